//! What a run is made of (scenario, seed, knobs, actions), the store of the
//! built-in scenarios the page has loaded, and the world built from them.

mod scenario_store;
mod world_builder;

pub use scalesim::link::{RunSpec, TimedAction};
pub use scalesim::scenario::knobs::{knob, Knob, KnobDef, KNOBS};
pub use scenario_store::{add_scenario_json, is_loaded, loaded_scenario, no_such_scenario};
pub use world_builder::{build_world, scenario_of};
