//! The boundary for an answer from outside (an answers file, stored progress):
//! [`check_answer`] finds the first thing wrong with it before anything is
//! graded or simulated, and names the field of the answer it is in
//! (`picks`, `knobs."hpa.maxReplicas"`, `actions[1].at_s`), so the CLI can
//! point at the line that wrote it.

use super::answers::Answer;
use super::question::Question;
use super::ConfigureQuestion;
use super::{grade_choice, grade_explain, grade_order, Quantity};
use crate::scenario::knobs::apply_knobs;
use crate::scenario::ranges::value_words;
use crate::scenario::{check_input_action, Scenario};
use crate::sim::inputs::ScheduledAction;

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

/// A field an answer may write: its name, the kinds of question that read it,
/// how it is written, and whether an answer writes it.
type AnswerField = (
    &'static str,
    &'static [&'static str],
    &'static str,
    fn(&Answer) -> bool,
);

/// Every field of [`Answer`].
const FIELDS: [AnswerField; 6] = [
    (
        "picks",
        &["choice"],
        "picks = [1] (option numbers from 0)",
        |a| a.picks.is_some(),
    ),
    (
        "value",
        &["numeric"],
        "value = \"12 pods\" (a number with its unit)",
        |a| a.value.is_some(),
    ),
    (
        "order",
        &["order"],
        "order = [2, 0, 1] (item numbers from 0)",
        |a| a.order.is_some(),
    ),
    (
        "text",
        &["explain"],
        "text = \"…\" (your explanation)",
        |a| a.text.is_some(),
    ),
    (
        "knobs",
        &["configure"],
        "knobs = { \"hpa.maxReplicas\" = 40 } (knob values)",
        |a| !a.knobs.is_empty(),
    ),
    (
        "actions",
        &["configure", "drill"],
        "actions = [{ at_s = 60, action = { kind = \"set_replicas\", replicas = 30 } }]",
        |a| !a.actions.is_empty(),
    ),
];

/// How `q` is answered, for messages: "text = \"…\" (your explanation)"; a
/// numeric question's example is in its own unit (`value = "12 pods"`).
fn how(q: &Question) -> String {
    let forms: Vec<String> = FIELDS
        .iter()
        .filter(|(_, kinds, _, _)| kinds.contains(&q.kind()))
        .map(|(field, _, form, _)| match q {
            Question::Numeric(n) if *field == "value" => value_form(&n.unit),
            _ => form.to_string(),
        })
        .collect();
    forms.join(" and/or ")
}

/// `value = "12 pods" (a number with its unit)` in a question's `unit`; a
/// bare number when it has none.
fn value_form(unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        "value = 12 (a number)".into()
    } else {
        format!(
            "value = \"{}\" (a number with its unit)",
            super::judge::with_unit("12", unit)
        )
    }
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
    if let Some((field, _, _, _)) = FIELDS
        .iter()
        .find(|(_, kinds, _, writes)| !kinds.contains(&kind) && writes(answer))
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
            let allowed = c.settable_knobs(scenario);
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
                super::configure::check_knob(scenario, k, *v)
                    .and_then(|()| apply_knobs(&mut scenario.clone(), [(k.as_str(), *v)]))
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
            if let Some(d) = c.duration_s {
                s.run.duration_s = d;
            }
            let (end_s, tick_s) = (s.run.duration_s, s.run.tick_s);
            check_actions(&answer.actions, &s, |t| {
                ConfigureQuestion::in_run(t, end_s, tick_s)
            })?;
            for (i, a) in answer.actions.iter().enumerate() {
                c.allows(a.at_s, &a.action, end_s, tick_s)
                    .map_err(|m| AnswerProblem::at(format!("actions[{i}].action"), m))?;
            }
            // What is left: rules across knobs (a minimum above a maximum).
            crate::scenario::validate(&s)
                .map_err(|(f, m)| AnswerProblem::at("knobs", format!("{f}: {m}")))
        }
        Question::Drill(d) => {
            let run_s = d.duration_s.unwrap_or(scenario.run.duration_s);
            let last_s = crate::scenario::last_tick_start_s(run_s, scenario.run.tick_s);
            // The seed whose fault strikes latest leaves the least time after it.
            let latest = d.seeds.iter().map(|&seed| (seed, d.fault_at_s(seed))).fold(
                None,
                |m: Option<(u64, f64)>, (seed, at)| match m {
                    Some((_, best)) if best >= at => m,
                    Some(_) | None => Some((seed, at)),
                },
            );
            check_actions(&answer.actions, scenario, |t| {
                if !(t.is_finite() && t.abs() <= run_s) {
                    return Err(format!(
                        "an action at {} s after the fault is outside the run (times count from the fault, within \u{b1}{} s)",
                        value_words(t),
                        seconds(run_s, f64::floor)
                    ));
                }
                match latest {
                    Some((seed, fault_s)) if fault_s + t > last_s + 1e-9 => Err(format!(
                        "an action {} s after the fault never takes effect on seed {seed}: the fault strikes at {} s there and the run's last tick starts at {} s; give at most {} s after the fault",
                        value_words(t),
                        seconds(fault_s, f64::round),
                        seconds(last_s, f64::round),
                        // Down, so the time suggested is itself accepted.
                        seconds(last_s - fault_s, f64::floor)
                    )),
                    Some(_) | None => Ok(()),
                }
            })
        }
    }
}

/// A time the grader computed [s], for a person: to a tenth of a second,
/// rounded by `round` (floor for a bound the answer must stay within), with
/// thousands grouped ("577.2", "1,821.8", "2,399").
fn seconds(v: f64, round: fn(f64) -> f64) -> String {
    // The tenths first cleared of float noise: 2,399.9 is not 2,399.8999….
    let tenths = round(crate::figures::round_sig(v * 10.0, 12));
    crate::figures::significant(tenths / 10.0, 15)
}

/// Checks each of `actions` against `scenario`: its time by `time_ok` (the
/// error at `actions[i].at_s`), then its numbers and names ([`check_action`]).
fn check_actions(
    actions: &[ScheduledAction],
    scenario: &Scenario,
    time_ok: impl Fn(f64) -> Result<(), String>,
) -> Result<(), AnswerProblem> {
    for (i, a) in actions.iter().enumerate() {
        time_ok(a.at_s).map_err(|m| AnswerProblem::at(format!("actions[{i}].at_s"), m))?;
        let at = format!("actions[{i}].action");
        check_input_action(&a.action, scenario, &at).map_err(|(f, m)| AnswerProblem::at(f, m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::inputs::Action;

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
    fn computed_seconds_read_to_a_tenth() {
        assert_eq!(seconds(577.162268284243, f64::round), "577.2");
        assert_eq!(seconds(1821.83773171576, f64::floor), "1,821.8");
        assert_eq!(seconds(2399.0, f64::round), "2,399");
        assert_eq!(seconds(2399.8999999999996, f64::floor), "2,399.9");
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

    #[test]
    fn a_knob_out_of_range_is_refused_with_its_unit() {
        let (s, qs) = flash_sale();
        let q = of_kind(&qs, "configure");
        let mut a = super::super::reference_answer(&s, q).unwrap();
        a.knobs.insert("hpa.maxReplicas".into(), 61.0);
        let p = check_answer(&s, q, &a).unwrap_err();
        assert_eq!(
            p.message,
            "knob \u{201c}hpa.maxReplicas\u{201d} is 61, outside 4\u{2013}60 pods"
        );
        a.knobs.insert("hpa.maxReplicas".into(), 30.5);
        let p = check_answer(&s, q, &a).unwrap_err();
        assert!(
            p.message
                .ends_with("it takes whole numbers, 4\u{2013}60 pods"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_missing_value_is_shown_in_the_questions_own_unit() {
        let s = crate::scenario::load_built_in("black-friday")
            .unwrap()
            .unwrap();
        let qs = s.questions().unwrap();
        let q = qs.iter().find(|q| q.id() == "second-step").unwrap();
        let p = check_answer(&s, q, &Answer::default()).unwrap_err();
        assert_eq!(
            p.message,
            "question second-step (numeric) has no `value`; answer it with value = \"12 pods\" (a number with its unit)"
        );
        assert_eq!(
            value_form("ms"),
            "value = \"12 ms\" (a number with its unit)"
        );
        assert_eq!(value_form("$"), "value = \"$12\" (a number with its unit)");
        assert_eq!(value_form(""), "value = 12 (a number)");
        let a = Answer {
            value: Some("0.013 kpods".into()),
            ..Answer::default()
        };
        let p = check_answer(&s, q, &a).unwrap_err();
        assert_eq!(p.field, "value");
        assert!(
            p.message
                .contains("the answer is a count: write a bare number"),
            "{}",
            p.message
        );
    }
}
