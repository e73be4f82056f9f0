//! The learner's controls: faults and traffic (each a real button with an
//! accessible name), the clients' retries and breaker, and the scenario's knobs.

mod action_panel;
mod client_controls;
mod consistency_controls;
mod knob_panel;
mod scenario_jump;

pub use action_panel::ActionPanel;
pub use client_controls::ClientControls;
pub use consistency_controls::ConsistencyControls;
pub use knob_panel::KnobPanel;
pub use scenario_jump::ScenarioJump;
