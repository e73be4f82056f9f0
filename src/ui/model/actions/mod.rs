//! The learner's controls, their pure part: the consistency modes by name.

mod consistency_modes;

pub use consistency_modes::{common_mode, mode_named, MODES};
