//! Scenario files: the TOML schema, its validation and the built-in library.
//!
//! The schema arrives with the engine core (issue 3); until then this module
//! only names the built-in scenario directory.

/// Directory, relative to the crate root, that holds the built-in scenarios.
pub const BUILT_IN_DIR: &str = "scenarios";
