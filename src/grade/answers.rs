//! Answers (from the page, or an answers file keyed by question id) and the
//! one entry point that grades any question: [`grade_answer`]. `check_scenario`
//! is `scalesim grade --check`: every reference answer scores 100 %, every
//! weak answer fails, every labelled explain sample earns exactly its concepts.
//!
//! ```toml
//! [flash-sale-plan]            # a configure question
//! knobs = { "hpa.minReplicas" = 12 }
//! actions = [{ at_s = 1800, action = { kind = "set_replicas", replicas = 30 } }]
//! [why]                        # explain
//! text = "Pre-scale before noon because …"
//! [pods]                       # numeric
//! value = "12 pods"
//! [first]                      # choice: option indices from 0
//! picks = [1]
//! [steps]                      # order: item indices in order, or a bucket per item
//! order = [2, 0, 1]
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::configure::{Setup, Verdict};
use super::drill::{grade_drill, DrillGrade};
use super::judge::{answer_key, ConfigureGrade, Judge};
use super::question::Question;
use super::{grade_choice, grade_explain, grade_numeric, grade_order, ExplainGrade, Grade};
use crate::scenario::Scenario;
use crate::sim::inputs::ScheduledAction;

/// Ticks a configure question's judge runs between two progress reports.
pub const PROGRESS_TICKS: u64 = 20_000;

/// A score at or above this passes a question [%].
pub const PASS_PERCENT: f64 = 70.0;

/// A learner's answer to one question; which fields count depends on its kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Choice: the picked options (indices from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picks: Option<Vec<usize>>,
    /// Numeric: the value with its unit ("250 ms"); a bare number (`value = 13`,
    /// or `"13"`) is in the question's unit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "text_or_number"
    )]
    pub value: Option<String>,
    /// Order: item indices in order, or a bucket index per item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<usize>>,
    /// Explain: the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Configure: knob values by field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub knobs: BTreeMap<String, f64>,
    /// Configure: actions at run times; drill: actions at times after the fault [s].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ScheduledAction>,
}

/// A numeric answer written as text (`"12 pods"`) or as a bare number (`12`),
/// kept as text: the number in Rust's shortest form that reads back the same.
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct TextOrNumber;
    impl serde::de::Visitor<'_> for TextOrNumber {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a value with its unit in quotes, such as \"12 pods\", or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v.is_finite() {
                Ok(Some(v.to_string()))
            } else {
                Err(E::custom(format!("must be a finite number, got {v}")))
            }
        }
    }
    d.deserialize_any(TextOrNumber)
}

/// One question's grade, with the details its kind has.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionGrade {
    /// The question's id.
    pub id: String,
    /// Its kind.
    pub kind: &'static str,
    /// Points and feedback.
    pub grade: Grade,
    /// Numeric: the key it was graded against [the question's unit].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<f64>,
    /// Configure: every check on every seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configure: Option<ConfigureGrade>,
    /// Explain: matched phrases and missed concepts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<ExplainGrade>,
    /// Drill: the three runs compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<DrillGrade>,
}

impl QuestionGrade {
    /// A grade of no points with no details, to fill in.
    fn bare(id: &str, kind: &'static str) -> QuestionGrade {
        QuestionGrade {
            id: id.to_string(),
            kind,
            grade: Grade::of_share(0.0, 0.0, Vec::new()),
            key: None,
            configure: None,
            explain: None,
            drill: None,
        }
    }

    fn plain(q: &Question, grade: Grade) -> QuestionGrade {
        QuestionGrade {
            grade,
            ..QuestionGrade::bare(q.id(), q.kind())
        }
    }

    /// The grade of configure question `id` from its judged runs (the page
    /// judges them in slices, then records this).
    pub fn of_configure(id: &str, cg: ConfigureGrade) -> QuestionGrade {
        QuestionGrade {
            grade: cg.grade.clone(),
            configure: Some(cg),
            ..QuestionGrade::bare(id, "configure")
        }
    }

    /// The grade of drill `id`, as the page records a drill played live.
    pub fn of_drill(id: &str, dg: DrillGrade) -> QuestionGrade {
        QuestionGrade {
            grade: dg.grade.clone(),
            drill: Some(dg),
            ..QuestionGrade::bare(id, "drill")
        }
    }

    /// Whether it passes ([`PASS_PERCENT`]).
    pub fn passed(&self) -> bool {
        self.grade.percent() >= PASS_PERCENT - 1e-9
    }
}

fn needs(q: &Question, field: &str) -> String {
    format!(
        "question {} ({}) is answered with `{field}`",
        q.id(),
        q.kind()
    )
}

/// Grades `answer` to `q` of `scenario`. Simulated kinds run the engine
/// (configure: every seed; drill: three runs per seed and one per action).
/// Errors: the answer lacks the field its kind needs, or is malformed (an
/// option out of range, a unit that is not one, a knob out of range…).
pub fn grade_answer(
    scenario: &Scenario,
    q: &Question,
    answer: &Answer,
) -> Result<QuestionGrade, String> {
    grade_answer_with(scenario, q, answer, &mut |_| {})
}

/// [`grade_answer`], telling `on_progress` the share of a configure question's
/// runs done, in [0, 1], every [`PROGRESS_TICKS`] ticks (the CLI's progress line).
pub fn grade_answer_with(
    scenario: &Scenario,
    q: &Question,
    answer: &Answer,
    on_progress: &mut dyn FnMut(f64),
) -> Result<QuestionGrade, String> {
    super::check_answer(scenario, q, answer).map_err(|p| {
        if p.field.is_empty() {
            p.message
        } else {
            format!("{}: {}", p.field, p.message)
        }
    })?;
    match q {
        Question::Choice(c) => {
            let picks = answer.picks.as_ref().ok_or_else(|| needs(q, "picks"))?;
            Ok(QuestionGrade::plain(q, grade_choice(c, picks)?))
        }
        Question::Numeric(n) => {
            let value = answer.value.as_ref().ok_or_else(|| needs(q, "value"))?;
            let key = numeric_key(scenario, q)?;
            let mut g = QuestionGrade::plain(q, grade_numeric(n, key, value)?);
            g.key = Some(key);
            Ok(g)
        }
        Question::Order(o) => {
            let order = answer.order.as_ref().ok_or_else(|| needs(q, "order"))?;
            Ok(QuestionGrade::plain(q, grade_order(o, order)?))
        }
        Question::Explain(e) => {
            let text = answer.text.as_ref().ok_or_else(|| needs(q, "text"))?;
            let eg = grade_explain(e, text)?;
            let mut g = QuestionGrade::plain(q, eg.grade.clone());
            g.explain = Some(eg);
            Ok(g)
        }
        Question::Configure(c) => {
            let setup = Setup {
                knobs: answer.knobs.clone(),
                actions: answer.actions.clone(),
            };
            let mut judge = Judge::new(scenario, c, &setup)?;
            while !judge.is_done() {
                on_progress(judge.advance(PROGRESS_TICKS)?);
            }
            let cg = judge.finish()?;
            Ok(QuestionGrade::of_configure(&c.id, cg))
        }
        Question::Drill(d) => {
            let dg = grade_drill(scenario, d, &answer.actions)?;
            Ok(QuestionGrade::of_drill(&d.id, dg))
        }
    }
}

/// The key of a numeric question: its `answer`, or what the engine measures.
pub fn numeric_key(scenario: &Scenario, q: &Question) -> Result<f64, String> {
    let Question::Numeric(n) = q else {
        return Err(format!("question {} is not numeric", q.id()));
    };
    match (&n.answer, &n.answer_from) {
        (Some(a), _) => Ok(*a),
        (None, Some(from)) => answer_key(scenario, &n.id, from),
        (None, None) => Err(format!("question {}: no answer and no answer_from", n.id)),
    }
}

/// The answer a question's author gives: the right options, the key, the
/// reference configuration, the strong sample, the playbook.
pub fn reference_answer(scenario: &Scenario, q: &Question) -> Result<Answer, String> {
    let mut a = Answer::default();
    match q {
        Question::Choice(c) => {
            a.picks = Some(
                c.options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(i, _)| i)
                    .collect(),
            );
        }
        Question::Numeric(n) => {
            a.value = Some(format!("{} {}", numeric_key(scenario, q)?, n.unit));
        }
        Question::Order(o) => {
            a.order = Some(if o.buckets.is_empty() {
                (0..o.items.len()).collect()
            } else {
                o.key.clone()
            });
        }
        Question::Explain(e) => {
            a.text = Some(
                e.samples
                    .iter()
                    .find(|s| s.label == "strong")
                    .map_or_else(|| e.model_answer.clone(), |s| s.text.clone()),
            );
        }
        Question::Configure(c) => {
            a.knobs = c.reference.knobs.clone();
            a.actions = c.reference.actions.clone();
        }
        Question::Drill(d) => a.actions = d.playbook.clone(),
    }
    Ok(a)
}

/// One line of `scalesim grade --check`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckLine {
    /// The question's id.
    pub question: String,
    /// What was checked ("reference scores 100 %").
    pub what: String,
    /// Whether it held.
    pub ok: bool,
    /// The figures behind it.
    pub detail: String,
}

/// Runs a scenario's own answers (see the module doc). Errors: a question
/// cannot be graded at all (a bad definition).
pub fn check_scenario(scenario: &Scenario) -> Result<Vec<CheckLine>, String> {
    check_scenario_with(scenario, &mut |_, _| {})
}

/// [`check_scenario`], telling `on_progress` which answer it is running
/// ("question plan, reference answer") and the share of its runs done [0, 1]
/// (configure questions, every [`PROGRESS_TICKS`] ticks).
pub fn check_scenario_with(
    scenario: &Scenario,
    on_progress: &mut dyn FnMut(&str, f64),
) -> Result<Vec<CheckLine>, String> {
    let mut out = Vec::new();
    for q in &scenario.questions()? {
        let id = q.id().to_string();
        let reference = reference_answer(scenario, q)?;
        let what = format!("question {id}, reference answer");
        let g = grade_answer_with(scenario, q, &reference, &mut |share| {
            on_progress(&what, share)
        })?;
        let full = (g.grade.points - g.grade.max).abs() < 1e-9;
        out.push(CheckLine {
            question: id.clone(),
            what: "the reference answer scores 100 % on every seed".into(),
            ok: full,
            detail: detail(&g),
        });
        match q {
            Question::Configure(c) => {
                let weak = Answer {
                    knobs: c.weak.knobs.clone(),
                    actions: c.weak.actions.clone(),
                    ..Answer::default()
                };
                let what = format!("question {id}, weak answer");
                let g =
                    grade_answer_with(scenario, q, &weak, &mut |share| on_progress(&what, share))?;
                out.push(CheckLine {
                    question: id.clone(),
                    what: match c.weak_why.trim() {
                        "" => "the weak answer fails".to_string(),
                        why => format!("the weak answer fails ({why})"),
                    },
                    ok: !g.passed(),
                    detail: detail(&g),
                });
            }
            Question::Explain(e) => {
                for s in &e.samples {
                    let got = match grade_explain(e, &s.text) {
                        Ok(eg) => {
                            let mut ids: Vec<String> =
                                eg.matched.iter().map(|m| m.concept.clone()).collect();
                            ids.sort();
                            ids
                        }
                        Err(why) => vec![why],
                    };
                    let mut want = s.concepts.clone();
                    want.sort();
                    out.push(CheckLine {
                        question: id.clone(),
                        what: format!("the {} sample earns exactly its concepts", s.label),
                        ok: got == want,
                        detail: format!("expected [{}], got [{}]", want.join(", "), got.join(", ")),
                    });
                }
            }
            Question::Drill(_) => {
                let g = grade_answer(scenario, q, &Answer::default())?;
                out.push(CheckLine {
                    question: id.clone(),
                    what: "doing nothing scores 0".into(),
                    ok: g.grade.points == 0.0,
                    detail: detail(&g),
                });
            }
            Question::Choice(_) | Question::Numeric(_) | Question::Order(_) => {}
        }
    }
    Ok(out)
}

/// The figures of a grade in one line.
fn detail(g: &QuestionGrade) -> String {
    let mut d = format!("{:.0} %", g.grade.percent());
    if let Some(c) = &g.configure {
        for r in &c.rows {
            let mark = match r.verdict {
                Verdict::Pass => "ok",
                Verdict::Partial => "half",
                Verdict::Fail => "MISSED",
            };
            d.push_str(&format!(
                "; {} {} {} [{}]",
                r.label,
                r.bound,
                mark,
                super::judge::seeds_text(r)
            ));
        }
    }
    if let Some(dr) = &g.drill {
        d.push_str(&format!(
            "; mitigated in {:.0} s (playbook {:.0} s, nobody {:.0} s)",
            dr.learner.mitigate_s, dr.reference.mitigate_s, dr.nobody.mitigate_s
        ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configure_answer_reports_rising_progress_up_to_all_of_its_runs() {
        let s = crate::scenario::load_built_in("flash-sale")
            .unwrap()
            .unwrap();
        let q = s
            .questions()
            .unwrap()
            .into_iter()
            .find(|q| q.kind() == "configure")
            .unwrap();
        let a = reference_answer(&s, &q).unwrap();
        let mut shares = Vec::new();
        let with = grade_answer_with(&s, &q, &a, &mut |x| shares.push(x)).unwrap();
        assert!(!shares.is_empty());
        assert!(shares.windows(2).all(|w| w[0] <= w[1]), "{shares:?}");
        assert_eq!(shares.last(), Some(&1.0));
        // Reporting changes nothing in the grade.
        assert_eq!(with, grade_answer(&s, &q, &a).unwrap());
    }
}
