//! A drill on the playground page (`index.html?s=NAME&drill=ID`): the
//! scenario's drill question plays with its fault queued at its seeded
//! moment; "Finish" keeps the learner's actions (localStorage,
//! [`super::interview_nav::DRILL_DONE_KEY`]) for the interview page, which grades
//! them, saves the attempt to the progress and shows the debrief.
//!
//! ```text
//!   ?drill=ID ──start──▶ fault queued, playing ──finish──▶ DrillDone kept ──▶ link back ──▶ graded there
//! ```

use leptos::prelude::*;

use super::interview_nav::DrillDone;
use crate::model::run::{loaded_scenario, RunSpec, TimedAction};
use crate::sim_loop::SimLoop;
use scalesim::grade::DrillQuestion;

/// A drill being played in the playground.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveDrill {
    /// Built-in scenario name.
    pub scenario: String,
    /// The question.
    pub question: DrillQuestion,
    /// The seed played.
    pub seed: u64,
    /// When the fault strikes [s].
    pub fault_at_s: f64,
}

/// A finished drill: the scenario and what the banner says.
#[derive(Clone, Debug, PartialEq)]
pub struct DrillOutcome {
    /// Built-in scenario name (the link back opens it).
    pub scenario: String,
    /// The score or why there is none.
    pub message: String,
}

/// The playground page's drill state.
#[derive(Clone, Copy)]
pub struct PlaygroundDrill {
    /// The simulator the drill plays in (the page's root owns it).
    sim: SimLoop,
    /// The drill being played.
    pub drill: RwSignal<Option<ActiveDrill>>,
    /// The last drill's outcome (the banner shows it with a link back).
    pub outcome: RwSignal<Option<DrillOutcome>>,
}

impl PlaygroundDrill {
    /// No drill yet.
    pub fn new(sim: SimLoop) -> PlaygroundDrill {
        PlaygroundDrill {
            sim,
            drill: RwSignal::new(None),
            outcome: RwSignal::new(None),
        }
    }

    /// Plays drill `id` of loaded built-in `scenario`: its first seed, the
    /// fault queued at its seeded moment, at the drill's speed.
    pub fn start(&self, scenario: &str, id: &str) {
        let failed = |e: String| {
            self.outcome.set(Some(DrillOutcome {
                scenario: scenario.to_string(),
                message: format!("The drill could not run: {e}."),
            }))
        };
        let q = match loaded_scenario(scenario)
            .ok_or_else(|| format!("the scenario {scenario} is not loaded"))
            .and_then(|s| s.drill_question(id))
        {
            Ok(q) => q,
            Err(e) => return failed(e),
        };
        let seed = q.seeds.first().copied().unwrap_or(1);
        let fault_at_s = q.fault_at_s(seed);
        let spec = RunSpec {
            injected: vec![TimedAction {
                at_s: fault_at_s,
                action: q.fault.clone(),
            }],
            ..RunSpec::fresh(scenario, seed)
        };
        match self.sim.load(spec) {
            Ok(()) => {
                self.outcome.set(None);
                self.sim.speed.set(q.speed);
                self.drill.set(Some(ActiveDrill {
                    scenario: scenario.to_string(),
                    question: q,
                    seed,
                    fault_at_s,
                }));
                leptos::prelude::window().scroll_to_with_x_and_y(0.0, 0.0);
                self.sim.play();
            }
            Err(e) => failed(e),
        }
    }

    /// Stops the drill and hands the learner's actions (times relative to the
    /// fault) to the interview page, which grades them, saves the attempt and
    /// shows the debrief: the grader lives on that page, not in the
    /// playground's wasm.
    pub fn finish(&self) {
        let Some(d) = self.drill.get_untracked() else {
            return;
        };
        self.sim.pause();
        let actions: Vec<(f64, String)> = self.sim.spec.with_untracked(|s| {
            s.as_ref()
                .map(|s| {
                    s.actions
                        .iter()
                        .map(|a| {
                            (
                                a.at_s - d.fault_at_s,
                                scalesim::link::action_code(&a.action),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        self.drill.set(None);
        let taken = actions.len();
        let done = DrillDone {
            scenario: d.scenario.clone(),
            question: d.question.id.clone(),
            seed: d.seed,
            actions,
            answer: None,
        };
        let message = match done.save() {
            Ok(()) => format!(
                "Drill done: your {taken} {} kept. Open the interview page for your grade, the debrief and your progress.",
                if taken == 1 { "action is" } else { "actions are" }
            ),
            Err(e) => format!("The drill could not be kept for grading: {e}."),
        };
        self.outcome.set(Some(DrillOutcome {
            scenario: d.scenario,
            message,
        }));
    }
}
