//! The debrief: per question the points, for a judged question every check's
//! measure on each seed beside its bound, for an explanation the matched
//! words highlighted and the concepts missed, then the worked solution and
//! the seed passage it comes from, and links to replay the run.

use leptos::prelude::*;

use scalesim::grade::judge::figure;
use scalesim::grade::session::highlight;
use scalesim::grade::{Question, QuestionGrade, Verdict};
use scalesim::scenario::Scenario;
use scalesim::sim::series::Series;

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "met",
        Verdict::Partial => "half",
        Verdict::Fail => "missed",
    }
}

/// A playground link for `scenario` with `knobs` (scenario field → value) and actions.
fn replay_href(
    name: &str,
    seed: u64,
    g: &QuestionGrade,
    answer: Option<&scalesim::grade::Answer>,
) -> String {
    let _ = g;
    let mut spec = crate::model::run::RunSpec::fresh(name, seed);
    if let Some(a) = answer {
        for (field, v) in &a.knobs {
            if let Some(k) = scalesim::scenario::knobs::knob_by_field(field) {
                spec.knobs.insert(k.key.to_string(), *v);
            }
        }
        spec.actions = a
            .actions
            .iter()
            .map(|x| crate::model::run::TimedAction {
                at_s: x.at_s,
                action: x.action.clone(),
            })
            .collect();
    }
    let state = crate::model::url_state::UrlState {
        run: Some(spec),
        embed: false,
        show: crate::model::url_state::EmbedParts::default(),
        view: crate::model::url_state::View::Playground,
        drill: None,
    };
    format!(
        "index.html?{}",
        crate::model::url_state::encode_query(&state)
    )
}

/// One question's debrief.
#[component]
pub fn DebriefView(
    name: String,
    scenario: StoredValue<Scenario>,
    /// The scenario's questions, read.
    questions: StoredValue<Vec<scalesim::grade::Question>>,
    grade: QuestionGrade,
    answer: Option<scalesim::grade::Answer>,
    runs: Signal<super::debrief_chart::Runs>,
    theme: Signal<crate::theme::Theme>,
) -> impl IntoView {
    let q = questions.with_value(|qs| qs.iter().find(|q| q.id() == grade.id).cloned());
    let Some(q) = q else { return ().into_any() };
    let pct = grade.grade.percent();
    let passed = grade.passed();
    let title = format!(
        "{}: {} / {} points ({pct:.0} %)",
        q.id(),
        figure(grade.grade.points),
        figure(grade.grade.max)
    );
    let checks = grade.configure.as_ref().map(|c| {
        let seeds: Vec<u64> = c.rows.first().map(|r| r.measured.iter().map(|(s, _)| *s).collect()).unwrap_or_default();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Checks, scrollable">
            <table class="check-table">
                <caption>"What the simulator measured (the worst seed is judged)"</caption>
                <thead><tr>
                    <th scope="col">"Check"</th>
                    <th scope="col">"Bound"</th>
                    {seeds.iter().map(|s| view! { <th scope="col">{format!("seed {s}")}</th> }).collect_view()}
                    <th scope="col">"Result"</th>
                </tr></thead>
                <tbody>
                    {c.rows.iter().map(|r| view! {
                        <tr class=format!("verdict-{}", verdict_word(r.verdict))>
                            <th scope="row">{r.label.clone()}{r.gate.then_some(" (gate)")}
                                <span class="note">{format!(" {}\u{2013}{}", scalesim::sim::events::clock(r.window_s.0), scalesim::sim::events::clock(r.window_s.1))}</span>
                            </th>
                            <td>{r.bound.clone()}</td>
                            {r.measured.iter().map(|(_, v)| view! { <td class="num">{v.map_or("\u{2013}".into(), |v| format!("{} {}", figure(v), r.unit))}</td> }).collect_view()}
                            <td>{format!("{} ({} / {})", verdict_word(r.verdict), figure(r.points), figure(r.max))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
    });
    // One chart per series the checks read (at most two), with its window.
    let charts = match &q {
        Question::Configure(c) => {
            let mut seen: Vec<(Series, (f64, f64))> = Vec::new();
            for (check, row) in c
                .checks
                .iter()
                .zip(grade.configure.iter().flat_map(|g| g.rows.iter()))
            {
                if let Ok(p) = check.probe() {
                    let col = p.series();
                    if !seen.iter().any(|(c, _)| *c == col) && seen.len() < 2 {
                        seen.push((col, row.window_s));
                    }
                }
            }
            seen.into_iter()
                .map(|(col, window)| view! { <super::debrief_chart::DebriefChart runs=runs series=col window=window theme=theme /> })
                .collect_view()
                .into_any()
        }
        Question::Choice(_)
        | Question::Numeric(_)
        | Question::Order(_)
        | Question::Explain(_)
        | Question::Drill(_) => ().into_any(),
    };
    let explain = grade
        .explain
        .as_ref()
        .zip(answer.as_ref().and_then(|a| a.text.clone()))
        .map(|(e, text)| {
            let runs = highlight(&text, &e.matched);
            let missed: Vec<String> = match &q {
                Question::Explain(x) => x
                    .concepts
                    .iter()
                    .filter(|c| e.missed.contains(&c.id))
                    .map(|c| {
                        format!(
                            "{} (say, for example, \u{201c}{}\u{201d})",
                            c.label,
                            c.phrases.first().cloned().unwrap_or_default()
                        )
                    })
                    .collect(),
                Question::Choice(_)
                | Question::Numeric(_)
                | Question::Order(_)
                | Question::Configure(_)
                | Question::Drill(_) => Vec::new(),
            };
            view! {
                <blockquote class="explain-answer">
                    {runs.into_iter().map(|(t, c)| match c {
                        Some(c) => view! { <mark title=c>{t}</mark> }.into_any(),
                        None => view! { <span>{t}</span> }.into_any(),
                    }).collect_view()}
                </blockquote>
                {(!missed.is_empty()).then(|| view! {
                    <p>"Concepts missed:"</p>
                    <ul>{missed.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                })}
            }
        });
    let drill = grade.drill.as_ref().map(|d| {
        let row = |who: &'static str, r: &scalesim::grade::DrillRun| view! {
            <tr>
                <th scope="row">{who}</th>
                <td class="num">{if r.mitigated { format!("{} s", figure(r.mitigate_s)) } else { format!("never steady ({} s to the end)", figure(r.mitigate_s)) }}</td>
                <td class="num">{format!("{} %", figure(r.budget_burned_pct))}</td>
            </tr>
        };
        let acts = answer.as_ref().map(|a| a.actions.clone()).unwrap_or_default();
        let counted = d.counted.clone();
        view! {
            <table class="check-table">
                <caption>{format!("The fault struck at {}; the same seed, three ways", scalesim::sim::events::clock(d.fault_at_s))}</caption>
                <thead><tr><th scope="col">"Run"</th><th scope="col">"Time to mitigate"</th><th scope="col">"Error budget burned"</th></tr></thead>
                <tbody>
                    {row("You", &d.learner)}
                    {row("The reference playbook", &d.reference)}
                    {row("Nobody acting", &d.nobody)}
                </tbody>
            </table>
            {(!acts.is_empty()).then(|| view! {
                <ul class="feedback">
                    {acts.into_iter().zip(counted).map(|(a, c)| view! {
                        <li>{format!("{} s after the fault: {}: {}", figure(a.at_s), a.action.describe(), if c { "counted: without it the run recovers later or burns more budget" } else { "did not count: the run does as well without it" })}</li>
                    }).collect_view()}
                </ul>
            })}
        }
    });
    let feedback: Vec<String> = grade
        .grade
        .feedback
        .iter()
        .filter(|f| grade.configure.is_none() || f.contains("gate"))
        .filter(|f| {
            !f.starts_with("found") && !f.starts_with("missed") && !f.starts_with("model answer")
        })
        .cloned()
        .collect();
    let seed = scenario.with_value(|s| s.run.seed);
    let links = matches!(q, Question::Configure(_)).then(|| {
        let mine = replay_href(&name, seed, &grade, answer.as_ref());
        let reference = match &q {
            Question::Configure(c) => Some(scalesim::grade::Answer {
                knobs: c.reference.knobs.clone(),
                actions: c.reference.actions.clone(),
                ..Default::default()
            }),
            Question::Choice(_)
            | Question::Numeric(_)
            | Question::Order(_)
            | Question::Explain(_)
            | Question::Drill(_) => None,
        };
        let theirs = replay_href(&name, seed, &grade, reference.as_ref());
        view! {
            <p class="debrief-links">
                <a href=mine>"Replay this run in the playground"</a>
                " \u{b7} "
                <a href=theirs>"Try the reference answer"</a>
            </p>
        }
    });
    let solution = q.solution().to_string();
    let source = q.source().to_string();
    view! {
        <article class=if passed { "debrief passed" } else { "debrief failed" } aria-label=format!("Debrief of {}", q.id())>
            <h4>{title}{if passed { " \u{2713}" } else { "" }}</h4>
            {grade.key.map(|k| {
                let unit = match &q {
                    Question::Numeric(n) => n.unit.clone(),
                    Question::Choice(_) | Question::Order(_) | Question::Configure(_) | Question::Explain(_) | Question::Drill(_) => String::new(),
                };
                view! { <p>{format!("The right value: {} {unit}", figure(k))}</p> }
            })}
            {checks}
            {drill}
            <div class="debrief-charts">{charts}</div>
            {explain}
            {(!feedback.is_empty()).then(|| view! { <ul class="feedback">{feedback.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul> })}
            {(!solution.is_empty()).then(|| view! { <details open=!passed><summary>"Worked solution"</summary><p>{solution}</p></details> })}
            {(!source.is_empty()).then(|| view! { <p class="note">{format!("From: {source}")}</p> })}
            {links}
        </article>
    }
    .into_any()
}
