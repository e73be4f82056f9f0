//! What interview mode keeps while the learner moves between views: answers
//! in progress and grades per scenario (so leaving for the playground loses
//! nothing), and a live drill running in the playground.
//!
//! ```text
//!   sheet "Start the drill" ──start_drill──▶ playground, fault queued at its seeded moment, playing
//!   banner "Finish and grade" ──finish_drill──▶ grade_drill(actions after the fault) ──▶ sheet's debrief
//! ```

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::debrief_chart::Runs;
use super::ProgressStore;
use crate::run::loaded_scenario;
use crate::run::{RunSpec, TimedAction};
use crate::sim_loop::SimLoop;
use crate::url_state::View;
use scalesim::grade::session::{in_question_order, Session};
use scalesim::grade::{grade_drill, Answer, DrillQuestion, QuestionGrade};
use scalesim::sim::actions::ScheduledAction;

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

/// The grades of a scenario's last submission, and the runs behind them.
#[derive(Clone, Debug, Default)]
pub struct Graded {
    /// Per question, in the scenario's order.
    pub grades: Vec<QuestionGrade>,
    /// The debrief charts' runs, by question id.
    pub runs: BTreeMap<String, Runs>,
}

/// Interview mode's state, shared through context by the app.
#[derive(Clone, Copy)]
pub struct InterviewNav {
    /// The page's view.
    pub view: RwSignal<View>,
    /// The interview scenario open and its single question, if any.
    pub open: RwSignal<Option<(String, Option<usize>)>>,
    /// The simulator (drills play in it).
    pub sim: SimLoop,
    /// Saved progress.
    pub store: ProgressStore,
    /// Answers in progress, by scenario.
    pub sessions: RwSignal<BTreeMap<String, Session>>,
    /// Last grades, by scenario.
    pub results: RwSignal<BTreeMap<String, Graded>>,
    /// The drill being played.
    pub drill: RwSignal<Option<ActiveDrill>>,
    /// Why the last drill could not start or be graded.
    pub drill_error: RwSignal<Option<String>>,
}

impl InterviewNav {
    /// Interview state for the app.
    pub fn new(
        view: RwSignal<View>,
        open: RwSignal<Option<(String, Option<usize>)>>,
        sim: SimLoop,
    ) -> InterviewNav {
        InterviewNav {
            view,
            open,
            sim,
            store: ProgressStore::open(),
            sessions: RwSignal::new(BTreeMap::new()),
            results: RwSignal::new(BTreeMap::new()),
            drill: RwSignal::new(None),
            drill_error: RwSignal::new(None),
        }
    }

    /// Plays drill `q` of `scenario` in the playground: its first seed, the
    /// fault queued at its seeded moment, at the drill's speed.
    pub fn start_drill(&self, scenario: &str, q: &DrillQuestion) {
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
                self.drill_error.set(None);
                self.drill.set(Some(ActiveDrill {
                    scenario: scenario.to_string(),
                    question: q.clone(),
                    seed,
                    fault_at_s,
                }));
                self.sim.speed.set(q.speed);
                self.view.set(View::Playground);
                // The banner is at the top of the playground: show it.
                leptos::prelude::window().scroll_to_with_x_and_y(0.0, 0.0);
                self.sim.play();
            }
            Err(e) => self.drill_error.set(Some(e)),
        }
    }

    /// Stops the drill, grades the learner's actions (times relative to the
    /// fault) and goes back to the scenario's sheet with the debrief.
    pub fn finish_drill(&self) {
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
        self.open.set(Some((d.scenario.clone(), None)));
        self.view.set(View::Interview);
        match result {
            Ok((s, dg)) => {
                let qg = QuestionGrade {
                    id: d.question.id.clone(),
                    kind: "drill",
                    grade: dg.grade.clone(),
                    key: None,
                    configure: None,
                    explain: None,
                    drill: Some(dg),
                };
                let answer = Answer {
                    actions,
                    ..Answer::default()
                };
                let mut session = self
                    .sessions
                    .with_untracked(|m| m.get(&d.scenario).cloned())
                    .unwrap_or_else(|| Session::new(&d.scenario));
                session.answers.insert(d.question.id.clone(), answer);
                let attempt = session.attempt(
                    &s,
                    std::slice::from_ref(&qg),
                    &String::from(js_sys::Date::new_0().to_iso_string()),
                );
                self.store.add(attempt);
                self.sessions.update(|m| {
                    m.insert(d.scenario.clone(), session);
                });
                self.results.update(|m| {
                    let g = m.entry(d.scenario.clone()).or_default();
                    g.grades.retain(|x| x.id != qg.id);
                    g.grades.push(qg);
                    g.grades = in_question_order(&s, std::mem::take(&mut g.grades));
                });
            }
            Err(e) => self.drill_error.set(Some(e)),
        }
    }
}
