//! The learner's controls: faults and traffic (each a real button with an
//! accessible name) and the scenario's knobs.

mod action_panel;
mod knob_panel;

pub use action_panel::ActionPanel;
pub use knob_panel::KnobPanel;
