//! The learner's controls: faults and traffic (each a real button with an
//! accessible name), each protected call edge's retries and breaker, feature flags and
//! load shedding, releases (canary, blue-green and rolling update), chaos experiments,
//! and the scenario's knobs.

mod action_panel;
mod client_controls;
mod consistency_controls;
mod degrade_controls;
mod experiment_panel;
mod knob_panel;
mod release_controls;
mod scenario_jump;

pub use action_panel::ActionPanel;
pub use client_controls::ClientControls;
pub use consistency_controls::ConsistencyControls;
pub use degrade_controls::DegradeControls;
pub use experiment_panel::ExperimentPanel;
pub use knob_panel::KnobPanel;
pub use release_controls::ReleaseControls;
pub use scenario_jump::ScenarioJump;
