//! Grading in frames: choice, numeric, order and explain answers are graded
//! at once; a configure answer runs its seeds through the engine a slice of
//! ticks per animation frame (about 8 ms of work each), so the page keeps
//! drawing and the progress bar moves. Each configure question also runs the
//! reference answer and nobody-acting on its first seed: the debrief's ghost lines.

use leptos::prelude::*;

use std::collections::BTreeMap;

use super::debrief_chart::Runs;
use crate::model::interview::GradingState;
use scalesim::grade::session::in_question_order;
use scalesim::grade::{grade_answer, Answer, Judge, Question, QuestionGrade, Setup};
use scalesim::scenario::Scenario;

/// Work per frame [ms]: half a 60 Hz frame.
const FRAME_BUDGET_MS: f64 = 8.0;

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Grades every answered question of `s`, over as many frames as it takes,
/// and sets `state` along the way; `done` runs with the grades.
/// Which run of a configure question a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Learner,
    Reference,
    Nobody,
}

pub fn grade_in_frames(
    s: Scenario,
    answers: Vec<(Question, Answer)>,
    state: RwSignal<GradingState>,
    done: impl Fn(Vec<QuestionGrade>, BTreeMap<String, Runs>) + 'static,
) {
    state.set(GradingState::Running(0.0, "grading".into()));
    let mut grades = Vec::with_capacity(answers.len());
    let mut judged = Vec::new();
    // Questions that cannot be graded as answered: said, not fatal to the rest.
    let mut problems = Vec::new();
    let number = |q: &Question| {
        s.question_ids()
            .iter()
            .position(|x| *x == q.id())
            .map_or(0, |i| i + 1)
    };
    // "Question 3: too short to grade …" (the grader's messages lead with the id).
    let said = |q: &Question, e: String| {
        let plain = e
            .strip_prefix(&format!("{}: ", q.id()))
            .map(str::to_string)
            .unwrap_or(e);
        format!("Question {}: {plain}", number(q))
    };
    for (q, a) in answers {
        match &q {
            Question::Configure(c) => {
                let setup = Setup {
                    knobs: a.knobs.clone(),
                    actions: a.actions.clone(),
                };
                match Judge::new(&s, c, &setup) {
                    Ok(j) => judged.push((q.clone(), Role::Learner, j)),
                    Err(e) => {
                        problems.push(said(&q, e));
                        continue;
                    }
                }
                let mut one = c.clone();
                one.seeds.truncate(1);
                for (role, setup) in [
                    (Role::Reference, c.reference.clone()),
                    (Role::Nobody, Setup::default()),
                ] {
                    if let Ok(j) = Judge::new(&s, &one, &setup) {
                        judged.push((q.clone(), role, j));
                    }
                }
            }
            Question::Choice(_)
            | Question::Numeric(_)
            | Question::Order(_)
            | Question::Explain(_)
            | Question::Drill(_) => match grade_answer(&s, &q, &a) {
                Ok(g) => grades.push(g),
                Err(e) => problems.push(said(&q, e)),
            },
        }
    }
    let total = judged.len().max(1) as f64;
    let mut finished = 0usize;
    let mut runs: BTreeMap<String, Runs> = BTreeMap::new();
    let mut index = 0;
    let mut ticks_per_check = 200u64;
    let frame = move || -> Option<()> {
        let start = now_ms();
        while index < judged.len() {
            let (q, role, j) = &mut judged[index];
            match j.advance(ticks_per_check) {
                Ok(p) => {
                    let label = match role {
                        Role::Learner => format!(
                            "running your answer to {} on {} seeds",
                            q.id(),
                            seed_count(q)
                        ),
                        Role::Reference => format!("running the reference answer to {}", q.id()),
                        Role::Nobody => format!("running {} with nobody acting", q.id()),
                    };
                    state.set(GradingState::Running((finished as f64 + p) / total, label));
                }
                Err(e) => {
                    state.set(GradingState::Done(Err(e)));
                    return None;
                }
            }
            if j.is_done() {
                let (q, role, j) = judged.remove(index);
                finished += 1;
                let r = runs.entry(q.id().to_string()).or_default();
                match (role, j.finish()) {
                    (Role::Reference, Ok(cg)) => r.reference = cg.series,
                    (Role::Nobody, Ok(cg)) => r.nobody = cg.series,
                    (Role::Reference | Role::Nobody, Err(_)) => {}
                    (Role::Learner, Ok(cg)) => {
                        r.learner = cg.series.clone();
                        grades.push(QuestionGrade::of_configure(q.id(), cg))
                    }
                    (Role::Learner, Err(e)) => {
                        state.set(GradingState::Done(Err(e)));
                        return None;
                    }
                }
                index = 0;
            }
            let spent = now_ms() - start;
            if spent > FRAME_BUDGET_MS {
                break;
            }
            // Grow the slice while there is time left in the frame.
            if spent < FRAME_BUDGET_MS / 4.0 {
                ticks_per_check = (ticks_per_check * 2).min(20_000);
            }
        }
        if judged.is_empty() {
            let all = in_question_order(&s, std::mem::take(&mut grades));
            state.set(GradingState::Done(Ok(std::mem::take(&mut problems))));
            done(all, std::mem::take(&mut runs));
            return None;
        }
        Some(())
    };
    fn schedule(mut f: impl FnMut() -> Option<()> + 'static) {
        request_animation_frame(move || {
            if f().is_some() {
                schedule(f);
            }
        });
    }
    schedule(frame);
}

fn seed_count(q: &Question) -> usize {
    match q {
        Question::Configure(c) => c.seeds.len(),
        Question::Drill(d) => d.seeds.len(),
        Question::Choice(_) | Question::Numeric(_) | Question::Order(_) | Question::Explain(_) => 1,
    }
}
