//! The learner's controls: faults and traffic (each a real button with an
//! accessible name) and the scenario's knobs.

mod action_panel;
mod consistency_controls;
mod knob_panel;
mod scenario_jump;

pub use action_panel::ActionPanel;
pub use consistency_controls::ConsistencyControls;
pub use knob_panel::KnobPanel;
pub use scenario_jump::ScenarioJump;
