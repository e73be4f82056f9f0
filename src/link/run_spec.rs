//! A run, as the URL and the replay see it: everything needed to re-simulate it.
//!
//! ```text
//!   RunSpec { scenario, seed, knobs, actions, at_s } ──build_world──▶ World at t = 0
//!                                                     ──replay to at_s──▶ the same state
//! ```

use std::collections::BTreeMap;

use crate::sim::inputs::Action;

/// A learner's action and the simulated time it was taken at.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedAction {
    /// When [s].
    pub at_s: f64,
    /// What.
    pub action: Action,
}

/// Everything that determines a run. Same spec, same run, bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    /// Built-in scenario name (`black-friday`).
    pub scenario: String,
    /// RNG seed.
    pub seed: u64,
    /// Knob values that differ from the scenario, by knob key (sorted, so the URL is stable).
    pub knobs: BTreeMap<String, f64>,
    /// The learner's actions, in the order they were taken.
    pub actions: Vec<TimedAction>,
    /// Simulated time the run was shared at [s]; opening the link replays up to it.
    pub at_s: f64,
    /// Actions the page adds that are not the learner's (a drill's fault, at
    /// its seeded moment): queued like the scenario's events, never in links.
    pub injected: Vec<TimedAction>,
}

impl RunSpec {
    /// A fresh run of `scenario` with `seed`, no knobs turned and no actions.
    pub fn fresh(scenario: &str, seed: u64) -> RunSpec {
        RunSpec {
            scenario: scenario.to_string(),
            seed,
            knobs: BTreeMap::new(),
            actions: Vec::new(),
            at_s: 0.0,
            injected: Vec::new(),
        }
    }
}
