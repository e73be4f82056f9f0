//! The learner's controls, their pure part: the consistency modes by name, a call
//! edge's retry policy and breaker as the retry controls show and change them, and the
//! feature flags and load shedding as the Degraded mode switches, the versions the
//! Release controls can send out, and the chaos experiments the Experiments panel runs.

mod client_policy;
mod consistency_modes;
mod degraded_mode;
mod experiments;
mod release;

pub use client_policy::{
    attempts_typed, backoff_named, jitter_named, ClientChange, ClientPolicy, BACKOFFS, JITTERS,
};
pub use consistency_modes::{common_mode, mode_named, MODES};
pub use degraded_mode::{flag_action, DegradedMode, FlagSwitch};
pub use experiments::{run_experiment_action, Experiments};
pub use release::{blue_green_action, canary_action, rollout_action, Release};
