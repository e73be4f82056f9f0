//! From a [`RunSpec`] to a [`World`] at t = 0: take the built-in scenario
//! (fetched beforehand: `ui::run::fetch_scenario`), turn the knobs, queue the
//! learner's actions.

use super::{loaded_scenario, no_such_scenario, RunSpec};
use scalesim::scenario::{self, Scenario};
use scalesim::sim::world::World;

/// The scenario of `spec` with its knobs turned, or why it cannot be built
/// (its scenario must be loaded: `ui::run::fetch_scenario`).
pub fn scenario_of(spec: &RunSpec) -> Result<Scenario, String> {
    let name = &spec.scenario;
    let s = match loaded_scenario(name) {
        Some(s) => s,
        None if scenario::built_in_title(name).is_some() => {
            return Err(format!(
                "the scenario \u{201c}{name}\u{201d} is not loaded yet"
            ))
        }
        None => return Err(no_such_scenario(name)),
    };
    scalesim::link::scenario_with_knobs(s, &spec.knobs)
}

/// A world at t = 0 for `spec`, with every learner action queued at its time.
/// Knobs, actions and time are checked first ([`scalesim::link::check_run`]):
/// the error lists every problem, one per line.
pub fn build_world(spec: &RunSpec) -> Result<World, String> {
    let base = scenario_of(&RunSpec::fresh(&spec.scenario, spec.seed))?;
    let s = scalesim::link::check_run(spec, base).map_err(|p| p.join("\n"))?;
    let mut w = World::new(&s, spec.seed).map_err(|e| e.to_string())?;
    // The page's own actions (a drill's fault) are the scenario's, not the learner's.
    for a in &spec.injected {
        w.schedule(&scalesim::sim::inputs::ScheduledAction {
            at_s: a.at_s,
            action: a.action.clone(),
        })
        .map_err(|e| e.to_string())?;
    }
    for a in &spec.actions {
        w.push_action(a.at_s, a.action.clone())
            .map_err(|e| e.to_string())?;
    }
    Ok(w)
}
