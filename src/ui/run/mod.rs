//! Fetching the built-in scenarios the page opens. What a run is made of and
//! the world built from it are in [`crate::model::run`].

mod scenario_fetch;

pub use scenario_fetch::fetch_scenario;
