//! The learner's controls, their pure part: the consistency modes by name, and the
//! clients' retry policy and breaker as the Clients controls show and change them.

mod client_policy;
mod consistency_modes;

pub use client_policy::{
    attempts_typed, backoff_named, jitter_named, ClientChange, ClientPolicy, BACKOFFS, JITTERS,
};
pub use consistency_modes::{common_mode, mode_named, MODES};
