//! What a run is made of (scenario, seed, knobs, actions) and how a world is
//! built from it, and the store of the built-in scenarios the page has
//! fetched. The URL codec and the sim loop both use it.

mod scenario_store;
mod world_builder;

pub use scalesim::link::{RunSpec, TimedAction};
pub use scalesim::scenario::knobs::{knob, KnobDef, KNOBS};
pub use scenario_store::{add_scenario_json, fetch_scenario, is_loaded, loaded_scenario};
pub use world_builder::{build_world, scenario_of};
