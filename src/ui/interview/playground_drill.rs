//! A drill on the playground page (`index.html?s=NAME&drill=ID`): the
//! scenario's drill question plays with its fault queued at its seeded
//! moment; "Finish and grade" grades the learner's actions, saves the attempt
//! to the progress (localStorage) and hands the actions to the interview page
//! (sessionStorage, [`super::interview_nav::DRILL_DONE_KEY`]) for its debrief.
//!
//! ```text
//!   ?drill=ID ──start──▶ fault queued, playing ──finish──▶ grade_drill ──▶ progress, banner's score, link back
//! ```

use leptos::prelude::*;

use super::interview_nav::{DrillDone, DRILL_DONE_KEY};
use super::ProgressStore;
use crate::model::run::{loaded_scenario, RunSpec, TimedAction};
use crate::sim_loop::SimLoop;
use scalesim::grade::session::Session;
use scalesim::grade::{grade_drill, Answer, DrillQuestion, QuestionGrade};
use scalesim::sim::inputs::ScheduledAction;

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

    /// Stops the drill, grades the learner's actions (times relative to the
    /// fault), saves the attempt and says the score.
    pub fn finish(&self) {
        let Some(d) = self.drill.get_untracked() else {
            return;
        };
        self.sim.pause();
        let actions: Vec<ScheduledAction> = self.sim.spec.with_untracked(|s| {
            s.as_ref()
                .map(|s| {
                    s.actions
                        .iter()
                        .map(|a| ScheduledAction {
                            at_s: a.at_s - d.fault_at_s,
                            action: a.action.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        let result = loaded_scenario(&d.scenario)
            .ok_or_else(|| format!("the scenario {} is not loaded", d.scenario))
            .and_then(|s| {
                let mut q = d.question.clone();
                q.seeds = vec![d.seed];
                let g = grade_drill(&s, &q, &actions)?;
                Ok((s, g))
            });
        self.drill.set(None);
        let message = match result {
            Ok((s, dg)) => {
                let message = format!(
                    "Drill graded: {:.0} % ({} of {} points). Your attempt is saved in your progress.",
                    dg.grade.percent(),
                    scalesim::grade::judge::figure(dg.grade.points),
                    scalesim::grade::judge::figure(dg.grade.max),
                );
                let qg = QuestionGrade::of_drill(&d.question.id, dg);
                let answer = Answer {
                    actions,
                    ..Answer::default()
                };
                let mut session = Session::new(&d.scenario);
                session
                    .answers
                    .insert(d.question.id.clone(), answer.clone());
                let attempt = session.attempt(
                    &s,
                    std::slice::from_ref(&qg),
                    &String::from(js_sys::Date::new_0().to_iso_string()),
                );
                ProgressStore::open().add(attempt);
                let done = DrillDone {
                    scenario: d.scenario.clone(),
                    question: d.question.id.clone(),
                    seed: d.seed,
                    answer,
                };
                if let (Some(storage), Ok(text)) = (
                    window().session_storage().ok().flatten(),
                    serde_json::to_string(&done),
                ) {
                    let _ = storage.set_item(DRILL_DONE_KEY, &text);
                }
                message
            }
            Err(e) => format!("The drill could not be graded: {e}."),
        };
        self.outcome.set(Some(DrillOutcome {
            scenario: d.scenario,
            message,
        }));
    }
}
