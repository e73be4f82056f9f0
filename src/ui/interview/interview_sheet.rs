//! One interview scenario: its story and goals before anything runs, the
//! questions in order (or just one), Submit, the grading progress, the debrief.

use leptos::prelude::*;

use super::debrief_view::DebriefView;
use super::grading::grade_in_frames;
use super::interview_nav::{Graded, InterviewNav};
use super::question_form::QuestionForm;
use crate::model::interview::GradingState;
use scalesim::grade::judge::figure;
use scalesim::grade::session::{in_question_order, totals, Session};
use scalesim::scenario::Scenario;

fn iso_now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// The sheet of scenario `name` (only question `only`, from 0, when given).
#[component]
pub fn InterviewSheet(
    name: String,
    scenario: Scenario,
    only: Option<usize>,
    nav: InterviewNav,
    theme: Signal<crate::theme::Theme>,
) -> impl IntoView {
    let store = nav.store;
    let title = scenario.title.clone();
    let description = scenario.description.clone();
    let goals = scenario.goals.clone();
    let seeds = scenario.seeds.join("; ");
    let to_come = scenario.to_come.clone();
    let questions = match scenario.questions() {
        Ok(q) => q,
        Err(e) => {
            return view! { <p class="form-error" role="alert">{format!("This scenario\u{2019}s questions cannot be read: {e}.")}</p> }.into_any()
        }
    };
    let count = questions.len();
    let indices: Vec<usize> = match only {
        Some(i) if i < count => vec![i],
        Some(_) | None => (0..count).collect(),
    };
    let bad_link = only.filter(|i| *i >= count).map(|_| {
        format!("The link asks for a question this scenario does not have: it has {count} (1\u{2013}{count}), all shown below.")
    });
    // A drill just played on the playground page: graded here, on the seed it
    // played, saved to the progress, and shown in the debrief.
    if let Some(done) = InterviewNav::take_drill_done(&name) {
        let answer = done.answer();
        let graded = answer.clone().and_then(|answer| {
            let mut q = scenario.drill_question(&done.question)?;
            q.seeds = vec![done.seed];
            scalesim::grade::grade_drill(&scenario, &q, &answer.actions)
        });
        let answer = answer.unwrap_or_default();
        match graded {
            Ok(dg) => {
                let qg = scalesim::grade::QuestionGrade::of_drill(&done.question, dg);
                let mut played = Session::new(&name);
                played.answers.insert(done.question.clone(), answer.clone());
                nav.store
                    .add(played.attempt(&scenario, std::slice::from_ref(&qg), &iso_now()));
                nav.sessions.update_untracked(|m| {
                    m.entry(name.clone())
                        .or_insert_with(|| Session::new(&name))
                        .answers
                        .insert(done.question.clone(), answer.clone());
                });
                nav.results.update_untracked(|m| {
                    let g = m.entry(name.clone()).or_default();
                    g.grades.retain(|x| x.id != qg.id);
                    g.grades.push(qg);
                    g.grades = in_question_order(&scenario, std::mem::take(&mut g.grades));
                });
            }
            Err(e) => nav.drill_error.set(Some(e)),
        }
    }
    let scenario = StoredValue::new(scenario);
    let questions = StoredValue::new(questions);
    // The answers live in the nav, so leaving the page for a drill loses none.
    let kept = nav.sessions.with_untracked(|m| m.get(&name).cloned());
    let session = RwSignal::new(kept.unwrap_or_else(|| Session::new(&name)));
    let key = name.clone();
    // Effect: mirror the answers into the nav.
    Effect::new(move |_| {
        let s = session.get();
        nav.sessions.update_untracked(|m| {
            m.insert(key.clone(), s);
        });
    });
    let state = RwSignal::new(GradingState::Idle);
    // Completed gradings, on the debrief as data-graded (tests wait on it).
    let rounds = RwSignal::new(0u32);
    let key = name.clone();
    let graded = Signal::derive(move || {
        nav.results
            .with(|m| m.get(&key).map(|g| g.grades.clone()).unwrap_or_default())
    });
    let key = name.clone();
    let runs = Signal::derive(move || {
        nav.results
            .with(|m| m.get(&key).map(|g| g.runs.clone()).unwrap_or_default())
    });
    let name2 = name.clone();
    let name3 = name.clone();
    let name4 = name.clone();
    let wanted = indices.clone();
    let submit = move |_| {
        if matches!(state.get_untracked(), GradingState::Running(..)) {
            return;
        }
        let answers: Vec<_> = questions.with_value(|qs| {
            session.with_untracked(|sess| {
                wanted
                    .iter()
                    .map(|i| &qs[*i])
                    .filter_map(|q| match q {
                        // Leaving every knob as it is is an answer too: the scenario as it stands.
                        scalesim::grade::Question::Configure(_) => Some((
                            q.clone(),
                            sess.answers.get(q.id()).cloned().unwrap_or_default(),
                        )),
                        // A drill is graded when it is played.
                        scalesim::grade::Question::Drill(_) => None,
                        scalesim::grade::Question::Choice(_)
                        | scalesim::grade::Question::Numeric(_)
                        | scalesim::grade::Question::Order(_)
                        | scalesim::grade::Question::Explain(_) => {
                            let a = sess.answers.get(q.id())?;
                            (!scalesim::grade::session::is_blank(a)).then(|| (q.clone(), a.clone()))
                        }
                    })
                    .collect()
            })
        });
        if answers.is_empty() {
            state.set(GradingState::Done(Err(
                "answer at least one question first".into(),
            )));
            return;
        }
        let s = scenario.get_value();
        let key = name3.clone();
        grade_in_frames(s.clone(), answers, state, move |grades, runs| {
            let attempt = session.with_untracked(|sess| sess.attempt(&s, &grades, &iso_now()));
            store.add(attempt);
            // Grades of questions not in this submission (a drill) stay.
            nav.results.update(|m| {
                let g = m.entry(key.clone()).or_insert_with(Graded::default);
                g.grades.retain(|x| !grades.iter().any(|n| n.id == x.id));
                g.grades.extend(grades);
                g.grades = in_question_order(&s, std::mem::take(&mut g.grades));
                g.runs.extend(runs);
            });
            rounds.update(|n| *n += 1);
        });
    };
    let status = move || match state.get() {
        GradingState::Idle => None,
        GradingState::Running(p, what) => Some(
            view! {
                <div class="grading" role="status">
                    <label>{format!("The simulator is judging: {what}\u{2026} {:.0} %", p * 100.0)}
                        <progress max="100" value=format!("{:.0}", p * 100.0)></progress>
                    </label>
                </div>
            }
            .into_any(),
        ),
        GradingState::Done(Err(e)) => Some(
            view! { <p class="form-error" role="alert">{format!("Not graded: {e}.")}</p> }
                .into_any(),
        ),
        GradingState::Done(Ok(problems)) if problems.is_empty() => None,
        GradingState::Done(Ok(problems)) => Some(
            view! {
                <div class="form-error" role="alert">
                    <p>"Not graded, fix and submit again:"</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        ),
    };
    let summary = move || {
        let grades = graded.get();
        (!grades.is_empty()).then(|| {
            let (got, max) = scenario.with_value(|s| totals(s, &grades));
            view! {
                <p class="score" role="status">
                    {format!("Score: {} / {} points ({:.0} %) over {} question(s). Unanswered questions earn nothing.", figure(got), figure(max), if max > 0.0 { 100.0 * got / max } else { 0.0 }, count)}
                </p>
            }
        })
    };
    let debriefs = move || {
        let name = name2.clone();
        graded
            .get()
            .into_iter()
            .map(|g| {
                let answer = session.with_untracked(|s| s.answers.get(&g.id).cloned());
                let id = g.id.clone();
                let these = Signal::derive(move || runs.with(|r| r.get(&id).cloned().unwrap_or_default()));
                let answer = answer.or_else(|| nav.sessions.with_untracked(|m| m.get(&name).and_then(|s| s.answers.get(&g.id).cloned())));
                view! { <DebriefView name=name.clone() scenario=scenario questions=questions grade=g answer=answer runs=these theme=theme /> }
            })
            .collect_view()
    };
    view! {
        <article class="interview-sheet" aria-labelledby="sheet-title">
            <h3 id="sheet-title">{title}</h3>
            <p>{description}</p>
            {(!goals.is_empty()).then(|| view! {
                <p class="note">"What this teaches:"</p>
                <ul class="goals">{goals.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
            })}
            <p class="note">{format!("From: {seeds}.")}</p>
            {(!to_come.is_empty()).then(|| view! {
                <p class="note">"Still to come in the simulator: " {to_come.join("; ")}</p>
            })}
            {bad_link.map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <form class="questions" on:submit=|ev| ev.prevent_default()>
                {indices.into_iter().map(|i| view! { <QuestionForm scenario=scenario index=i question=questions.with_value(|qs| qs[i].clone()) session=session nav=nav name=name4.clone() /> }).collect_view()}
                <button type="button" class="primary" on:click=submit>"Submit for grading"</button>
            </form>
            {move || nav.drill_error.get().map(|e| view! { <p class="form-error" role="alert">{format!("The drill could not run: {e}.")}</p> })}
            {status}
            {summary}
            <section class="debriefs" aria-label="Debrief" data-graded=move || rounds.get().to_string()>{debriefs}</section>
        </article>
    }
    .into_any()
}
