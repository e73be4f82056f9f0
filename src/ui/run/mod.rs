//! What a run is made of (scenario, seed, knobs, actions) and how a world is
//! built from it. Pure Rust: the URL codec and the sim loop both use it.

mod run_spec;
mod world_builder;

pub use crate::scenario::knobs::{knob, KnobDef, KNOBS};
pub use run_spec::{RunSpec, TimedAction};
pub use world_builder::{build_world, scenario_of};
