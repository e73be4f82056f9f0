//! The boundary for an answer from outside (an answers file, stored progress):
//! [`check_answer`] finds the first thing wrong with it before anything is
//! graded or simulated, and names the field of the answer it is in
//! (`picks`, `knobs."hpa.maxReplicas"`, `actions[1].at_s`), so the CLI can
//! point at the line that wrote it.

use super::answers::Answer;
use super::judge::configured;
use super::question::Question;
use super::{grade_choice, grade_explain, grade_order, Quantity};
use crate::scenario::knobs::apply_knobs;
use crate::scenario::ranges::value_words;
use crate::scenario::{check_action, Scenario};

/// What is wrong with an answer, and where in it.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerProblem {
    /// The field of the answer, as a path inside the question's table
    /// (`picks`, `knobs."hpa.maxReplicas"`, `actions[0].at_s`).
    pub field: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl AnswerProblem {
    fn at(field: impl Into<String>, message: impl Into<String>) -> AnswerProblem {
        AnswerProblem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A grading function's error about `field` of question `id`, without the
    /// "id: " it starts with (the location says which question).
    fn graded(id: &str, field: &str, message: String) -> AnswerProblem {
        let bare = message.strip_prefix(&format!("{id}: ")).map(str::to_string);
        AnswerProblem::at(field, bare.unwrap_or(message))
    }
}

/// The fields an answer may write, each with what a question of which kinds
/// reads from it and how it is written.
const FIELDS: [(&str, &[&str], &str); 6] = [
    ("picks", &["choice"], "picks = [1] (option numbers from 0)"),
    (
        "value",
        &["numeric"],
        "value = \"250 ms\" (a number with its unit)",
    ),
    (
        "order",
        &["order"],
        "order = [2, 0, 1] (item numbers from 0)",
    ),
    ("text", &["explain"], "text = \"…\" (your explanation)"),
    (
        "knobs",
        &["configure"],
        "knobs = { \"hpa.maxReplicas\" = 40 } (knob values)",
    ),
    (
        "actions",
        &["configure", "drill"],
        "actions = [{ at_s = 60, action = { kind = \"scale_deployment\", replicas = 30 } }]",
    ),
];

/// Whether `answer` writes `field`.
fn writes(answer: &Answer, field: &str) -> bool {
    match field {
        "picks" => answer.picks.is_some(),
        "value" => answer.value.is_some(),
        "order" => answer.order.is_some(),
        "text" => answer.text.is_some(),
        "knobs" => !answer.knobs.is_empty(),
        "actions" => !answer.actions.is_empty(),
        other => unreachable!("FIELDS names {other}, which Answer does not have"),
    }
}

/// How `q` is answered, for messages: "text = \"…\" (your explanation)".
fn how(q: &Question) -> String {
    let forms: Vec<&str> = FIELDS
        .iter()
        .filter(|(_, kinds, _)| kinds.contains(&q.kind()))
        .map(|(_, _, form)| *form)
        .collect();
    forms.join(" and/or ")
}

/// The first problem with `answer` to `q` of `scenario`: a field of another
/// kind of question, a missing field, a pick, item or unit that is not one, a
/// text too short to grade, a knob this question does not offer or out of its
/// range, an action it does not offer, outside the run or naming a zone,
/// region or shard the scenario lacks. Cheap: nothing is simulated.
pub fn check_answer(
    scenario: &Scenario,
    q: &Question,
    answer: &Answer,
) -> Result<(), AnswerProblem> {
    let kind = q.kind();
    if let Some((field, _, _)) = FIELDS
        .iter()
        .find(|(f, kinds, _)| !kinds.contains(&kind) && writes(answer, f))
    {
        return Err(AnswerProblem::at(
            *field,
            format!(
                "question {} is {} {kind} question and does not read `{field}`; answer it with {}",
                q.id(),
                if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                },
                how(q)
            ),
        ));
    }
    let missing = |field: &str| {
        AnswerProblem::at(
            "",
            format!(
                "question {} ({kind}) has no `{field}`; answer it with {}",
                q.id(),
                how(q)
            ),
        )
    };
    match q {
        Question::Choice(c) => {
            let picks = answer.picks.as_ref().ok_or_else(|| missing("picks"))?;
            grade_choice(c, picks)
                .map(drop)
                .map_err(|m| AnswerProblem::graded(&c.id, "picks", m))
        }
        Question::Numeric(n) => {
            let value = answer.value.as_ref().ok_or_else(|| missing("value"))?;
            Quantity::parse_or(value, &n.unit)
                .map(drop)
                .map_err(|m| AnswerProblem::at("value", m))
        }
        Question::Order(o) => {
            let order = answer.order.as_ref().ok_or_else(|| missing("order"))?;
            grade_order(o, order)
                .map(drop)
                .map_err(|m| AnswerProblem::graded(&o.id, "order", m))
        }
        Question::Explain(e) => {
            let text = answer.text.as_ref().ok_or_else(|| missing("text"))?;
            grade_explain(e, text)
                .map(drop)
                .map_err(|m| AnswerProblem::graded(&e.id, "text", m))
        }
        Question::Configure(c) => {
            let allowed: Vec<&str> = if c.knobs.is_empty() {
                scenario.knobs.iter().map(|k| k.field.as_str()).collect()
            } else {
                c.knobs.iter().map(String::as_str).collect()
            };
            for (k, v) in &answer.knobs {
                let field = format!("knobs.\"{k}\"");
                if !allowed.contains(&k.as_str()) {
                    return Err(AnswerProblem::at(
                        field,
                        format!(
                            "knob \u{201c}{k}\u{201d} is not one this question lets you set ({})",
                            allowed.join(", ")
                        ),
                    ));
                }
                apply_knobs(&mut scenario.clone(), [(k.as_str(), *v)])
                    .map_err(|m| AnswerProblem::at(field, m))?;
            }
            if !c.allow_actions && !answer.actions.is_empty() {
                return Err(AnswerProblem::at(
                    "actions",
                    format!(
                        "question {} is answered with knobs only, not scheduled actions",
                        c.id
                    ),
                ));
            }
            let mut s = scenario.clone();
            apply_knobs(&mut s, answer.knobs.iter().map(|(k, v)| (k.as_str(), *v)))
                .map_err(|m| AnswerProblem::at("knobs", m))?;
            let end_s = c.duration_s.unwrap_or(s.run.duration_s);
            for (i, a) in answer.actions.iter().enumerate() {
                if !(a.at_s.is_finite() && (0.0..=end_s).contains(&a.at_s)) {
                    return Err(AnswerProblem::at(
                        format!("actions[{i}].at_s"),
                        format!(
                            "an action at {} s is outside the run (0 to {} s)",
                            value_words(a.at_s),
                            value_words(end_s)
                        ),
                    ));
                }
                check_action(&a.action, &s, &format!("actions[{i}].action"))
                    .map_err(|(f, m)| AnswerProblem::at(f, m))?;
                c.allows(a.at_s, &a.action, end_s)
                    .map_err(|m| AnswerProblem::at(format!("actions[{i}].action"), m))?;
            }
            let setup = super::Setup {
                knobs: answer.knobs.clone(),
                actions: answer.actions.clone(),
            };
            // What is left: rules across knobs (a minimum above a maximum).
            configured(scenario, c, &setup)
                .map(drop)
                .map_err(|m| AnswerProblem::at("knobs", m))
        }
        Question::Drill(d) => {
            let run_s = d.duration_s.unwrap_or(scenario.run.duration_s);
            for (i, a) in answer.actions.iter().enumerate() {
                if !(a.at_s.is_finite() && a.at_s.abs() <= run_s) {
                    return Err(AnswerProblem::at(
                        format!("actions[{i}].at_s"),
                        format!(
                            "an action at {} s after the fault is outside the run (times count from the fault, within \u{b1}{} s)",
                            value_words(a.at_s),
                            value_words(run_s)
                        ),
                    ));
                }
                check_action(&a.action, scenario, &format!("actions[{i}].action"))
                    .map_err(|(f, m)| AnswerProblem::at(f, m))?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::actions::{Action, ScheduledAction};

    fn flash_sale() -> (Scenario, Vec<Question>) {
        let s = crate::scenario::load_built_in("flash-sale")
            .unwrap()
            .unwrap();
        let qs = s.questions().unwrap();
        (s, qs)
    }

    fn of_kind<'a>(qs: &'a [Question], kind: &str) -> &'a Question {
        qs.iter().find(|q| q.kind() == kind).unwrap()
    }

    #[test]
    fn the_reference_answers_pass_the_check() {
        for name in crate::scenario::BUILT_IN_NAMES {
            let s = crate::scenario::load_built_in(name).unwrap().unwrap();
            for q in s.questions().unwrap() {
                let a = super::super::reference_answer(&s, &q).unwrap();
                assert_eq!(check_answer(&s, &q, &a), Ok(()), "{name} {}", q.id());
            }
        }
    }

    #[test]
    fn a_field_of_another_kind_is_named() {
        let (s, qs) = flash_sale();
        let q = of_kind(&qs, "explain");
        let a = Answer {
            text: Some("x".into()),
            value: Some("3 pods".into()),
            ..Answer::default()
        };
        let p = check_answer(&s, q, &a).unwrap_err();
        assert_eq!(p.field, "value");
        assert!(p.message.contains("does not read `value`"), "{}", p.message);
        assert!(p.message.contains("text = "), "{}", p.message);
        let p = check_answer(&s, q, &Answer::default()).unwrap_err();
        assert!(p.message.contains("has no `text`"), "{}", p.message);
    }

    #[test]
    fn knob_and_action_problems_name_their_entry() {
        let (s, qs) = flash_sale();
        let q = of_kind(&qs, "configure");
        let mut a = super::super::reference_answer(&s, q).unwrap();
        a.knobs.insert("hpa.maxReplicas".into(), 1e9);
        let p = check_answer(&s, q, &a).unwrap_err();
        assert_eq!(p.field, "knobs.\"hpa.maxReplicas\"");
        let mut a = super::super::reference_answer(&s, q).unwrap();
        a.actions.push(ScheduledAction {
            at_s: 1e9,
            action: Action::SetReplicas { replicas: 3 },
        });
        let p = check_answer(&s, q, &a).unwrap_err();
        assert_eq!(p.field, format!("actions[{}].at_s", a.actions.len() - 1));
        assert!(p.message.contains("outside the run"), "{}", p.message);
    }
}
