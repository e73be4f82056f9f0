//! Numeric questions: a value with a unit, a tolerance and an optional
//! partial band, graded in base units so "250 ms" and "0.25 s" are the same.

use serde::{Deserialize, Serialize};

use super::configure::Setup;
use super::probe::{Probe, Stat};
use super::{Grade, Quantity};

/// Where a numeric key comes from: what a probe measures in one run of the
/// scenario (with `setup`'s knobs and actions) on `seed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFrom {
    /// A total or a series name (see [`super::probe`]).
    pub probe: String,
    /// For a series: what to take of it (default the peak).
    #[serde(default)]
    pub stat: Option<Stat>,
    /// Window start [s from the run's start].
    #[serde(default)]
    pub from_s: f64,
    /// Window end [s from the run's start] (default the run's end).
    #[serde(default)]
    pub to_s: Option<f64>,
    /// The seed (default the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Knobs and actions of that run (default none).
    #[serde(default)]
    pub setup: Setup,
}

impl AnswerFrom {
    /// The probe it reads. Errors: an unknown name, a stat on a total.
    pub fn probe(&self) -> Result<Probe, String> {
        Probe::parse(&self.probe, self.stat)
    }
}

/// A question whose answer is a number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumericQuestion {
    /// Stable id within the scenario ("q2").
    pub id: String,
    /// The question.
    pub prompt: String,
    /// The right value, in `unit`; absent when it comes from the engine
    /// (`answer_from`, resolved by the caller so keys cannot drift from the model).
    #[serde(default)]
    pub answer: Option<f64>,
    /// The engine figure that is the right value: a probe over a run of the
    /// scenario, so the key cannot drift from the model.
    #[serde(default)]
    pub answer_from: Option<AnswerFrom>,
    /// Unit of `answer`, `tolerance` and `partial` ("ms", "req/s", "%", "pods").
    pub unit: String,
    /// Full points within ± this of the answer [unit].
    #[serde(default)]
    pub tolerance: f64,
    /// Half points within ± this of the answer [unit] (wider than `tolerance`).
    #[serde(default)]
    pub partial: Option<f64>,
    /// The worked solution, shown after grading.
    #[serde(default)]
    pub solution: String,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
    /// Points the question is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

/// Grades the learner's text `given` ("250 ms") against the right value `key`
/// [q.unit]. Errors: `given` is not a number with a known unit, or the
/// question's own unit is unknown.
pub fn grade_numeric(q: &NumericQuestion, key: f64, given: &str) -> Result<Grade, String> {
    let key_q = Quantity::new(key, &q.unit).map_err(|e| format!("{}: {e}", q.id))?;
    let scale = Quantity::new(1.0, &q.unit).map(|u| u.value).unwrap_or(1.0);
    let given_q = Quantity::parse_or(given, &q.unit).map_err(|e| format!("{}: {e}", q.id))?;
    // Every figure keeps the digits the tolerance needs: "$0.015 ± $0.0005",
    // "$0.004 off" (with no tolerance, every digit the key has).
    let step = if q.tolerance > 0.0 {
        q.tolerance
    } else {
        q.partial.filter(|p| *p > 0.0).unwrap_or(0.0)
    };
    let fig = |v: f64| super::judge::figure_to(v, step);
    // "13 pods", "$5", or a bare "13" when the question has no unit.
    let unit = |text: String| super::judge::with_unit(&text, q.unit.trim());
    let expected = format!(
        "{} \u{b1} {}",
        unit(fig(key)),
        unit(super::judge::figure_to(q.tolerance, 0.0))
    );
    let mut feedback = Vec::new();
    // What each counts, when both name it and differ: "13 nodes" to a
    // question in pods (a bare "13" or "13 ×" counts what the question does).
    let clash = super::units::counted_noun(given)
        .zip(super::units::counted_noun(&q.unit))
        .filter(|(got, asked)| !super::units::same_counted(got, asked));
    let share = if given_q.dimension != key_q.dimension {
        feedback.push(format!(
            "\u{201c}{}\u{201d} is {}, but the answer is {}: expected {expected}",
            given.trim(),
            given_q.dimension.noun(),
            key_q.dimension.noun()
        ));
        0.0
    } else if let Some((got, _)) = clash {
        feedback.push(format!(
            "\u{201c}{}\u{201d} counts {}, but the question counts {}: expected {expected}",
            given.trim(),
            super::units::plural(got),
            q.unit.trim()
        ));
        0.0
    } else {
        let off = (given_q.value - key_q.value).abs() / scale;
        // The answer in the question's unit ("2 min" reads "120 s"; "-0" reads
        // "0"), as exact as written (204.5 stays 204.5) without the unit
        // conversion's noise (0.205 s is 205 ms, not 204.99999999999997).
        let in_unit = given_q.value / scale;
        let given = unit(crate::figures::significant(in_unit, 10));
        if off <= q.tolerance + 1e-9 {
            feedback.push(format!("right: {given} is within {expected}"));
            1.0
        } else if q.partial.is_some_and(|p| off <= p + 1e-9) {
            feedback.push(format!(
                "close: {given} is {} off; expected {expected}",
                unit(fig(off))
            ));
            0.5
        } else {
            feedback.push(format!(
                "wrong: {given} is {} off; expected {expected}",
                unit(fig(off))
            ));
            0.0
        }
    };
    Ok(Grade::of_share(share, q.points, feedback))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> NumericQuestion {
        NumericQuestion {
            source: String::new(),
            id: "p99".into(),
            prompt: "What p99 do you expect?".into(),
            answer: Some(250.0),
            answer_from: None,
            unit: "ms".into(),
            tolerance: 10.0,
            partial: Some(50.0),
            solution: "ρ = 0.8 …".into(),
            points: 4.0,
        }
    }

    #[test]
    fn equivalent_units_earn_the_same_and_the_bands_hold() {
        let g = |t: &str| grade_numeric(&q(), 250.0, t).unwrap().points;
        assert_eq!(g("250 ms"), 4.0);
        assert_eq!(g("0.255 s"), 4.0);
        assert_eq!(g("0.29 s"), 2.0);
        assert_eq!(g("400ms"), 0.0);
        assert_eq!(g("250 req/s"), 0.0);
        assert!(grade_numeric(&q(), 250.0, "fast").is_err());
        let fb = grade_numeric(&q(), 250.0, "300 ms").unwrap().feedback;
        assert!(fb[0].starts_with("close"), "{fb:?}");
        // A bare number is read in the question's unit.
        assert_eq!(g("250"), 4.0);
    }

    #[test]
    fn another_dimension_is_named_in_words() {
        let fb = grade_numeric(&q(), 250.0, "$250").unwrap().feedback;
        assert_eq!(
            fb,
            ["\u{201c}$250\u{201d} is an amount of money, but the answer is a time: expected 250 ms \u{b1} 10 ms"]
        );
        let fb = grade_numeric(&q(), 250.0, "3 req/s").unwrap().feedback;
        assert!(
            fb[0].contains("is a rate, but the answer is a time"),
            "{fb:?}"
        );
        // A question with no unit reads bare numbers, with no stray spaces.
        let bare = NumericQuestion {
            unit: String::new(),
            tolerance: 0.0,
            partial: None,
            ..q()
        };
        let fb = grade_numeric(&bare, 13.0, "12").unwrap().feedback;
        assert_eq!(fb, ["wrong: 12 is 1 off; expected 13 \u{b1} 0"]);
    }
}
