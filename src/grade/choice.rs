//! Choice questions: one answer, or several.
//!
//! Several answers score (right picks − wrong picks) / right options,
//! floored at 0, so ticking every box earns nothing.

use serde::{Deserialize, Serialize};

use super::Grade;

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// What the learner reads.
    pub text: String,
    /// Whether picking it is right.
    #[serde(default)]
    pub correct: bool,
    /// Why it is right or wrong, shown after grading.
    #[serde(default)]
    pub feedback: String,
}

/// A question with options to pick from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceQuestion {
    /// Stable id within the scenario ("q1").
    pub id: String,
    /// The question.
    pub prompt: String,
    /// The options, in the order shown.
    pub options: Vec<ChoiceOption>,
    /// Several options may be picked (scored as above); otherwise exactly one.
    #[serde(default)]
    pub multiple: bool,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
    /// The worked solution, shown after grading.
    #[serde(default)]
    pub solution: String,
    /// Points the question is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

/// Grades `picks` (option indices) against `q`. Errors: an index out of range,
/// an option picked twice, or not exactly one pick on a single-answer question.
pub fn grade_choice(q: &ChoiceQuestion, picks: &[usize]) -> Result<Grade, String> {
    if let Some(bad) = picks.iter().find(|&&p| p >= q.options.len()) {
        return Err(format!(
            "{}: there is no option {bad}: its {} options are numbered 0 to {}",
            q.id,
            q.options.len(),
            q.options.len() - 1
        ));
    }
    // A handful of picks: compare pairs (no sort code in the page).
    if let Some(p) = picks
        .iter()
        .enumerate()
        .find_map(|(i, p)| picks[..i].contains(p).then_some(p))
    {
        return Err(format!("{}: option {p} is picked twice", q.id));
    }
    if !q.multiple && picks.len() != 1 {
        return Err(format!("{}: pick exactly one option", q.id));
    }
    let right_options = q.options.iter().filter(|o| o.correct).count().max(1) as f64;
    let mut feedback = Vec::new();
    let (mut right, mut wrong) = (0.0, 0.0);
    for (i, o) in q.options.iter().enumerate() {
        let picked = picks.contains(&i);
        let verdict = match (picked, o.correct) {
            (true, true) => {
                right += 1.0;
                "right"
            }
            (true, false) => {
                wrong += 1.0;
                "wrong"
            }
            (false, true) => "missed",
            (false, false) => continue,
        };
        // "… sync period. The HPA decides fast …": no colon after a full stop.
        let why = match (o.feedback.is_empty(), o.text.ends_with(['.', '?', '!'])) {
            (true, _) => String::new(),
            (false, true) => format!(" {}", o.feedback),
            (false, false) => format!(": {}", o.feedback),
        };
        feedback.push(format!("{verdict} \u{2014} {}{why}", o.text));
    }
    Ok(Grade::of_share(
        (right - wrong) / right_options,
        q.points,
        feedback,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(multiple: bool, correct: &[bool]) -> ChoiceQuestion {
        ChoiceQuestion {
            solution: String::new(),
            source: String::new(),
            id: "q".into(),
            prompt: "?".into(),
            options: correct
                .iter()
                .enumerate()
                .map(|(i, c)| ChoiceOption {
                    text: format!("option {i}"),
                    correct: *c,
                    feedback: if *c { "yes".into() } else { String::new() },
                })
                .collect(),
            multiple,
            points: 2.0,
        }
    }

    #[test]
    fn one_answer_is_all_or_nothing() {
        let q = q(false, &[false, true, false]);
        assert_eq!(grade_choice(&q, &[1]).unwrap().points, 2.0);
        assert_eq!(grade_choice(&q, &[0]).unwrap().points, 0.0);
        assert!(grade_choice(&q, &[0, 1])
            .unwrap_err()
            .contains("exactly one"));
        assert!(grade_choice(&q, &[3]).unwrap_err().contains("no option 3"));
    }

    #[test]
    fn several_answers_score_right_minus_wrong_over_right_floored_at_zero() {
        let q = q(true, &[true, true, true, false, false]);
        let pct = |p: &[usize]| grade_choice(&q, p).unwrap().percent();
        assert!((pct(&[0, 1, 2]) - 100.0).abs() < 1e-9);
        assert!((pct(&[0, 1]) - 200.0 / 3.0).abs() < 1e-9);
        assert!((pct(&[0, 1, 3]) - 100.0 / 3.0).abs() < 1e-9);
        assert!((pct(&[0, 1, 2, 3, 4]) - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(pct(&[3, 4]), 0.0);
        assert_eq!(pct(&[]), 0.0);
        assert!(grade_choice(&q, &[1, 1]).unwrap_err().contains("twice"));
        let g = grade_choice(&q, &[0, 3]).unwrap();
        assert!(g
            .feedback
            .iter()
            .any(|l| l.starts_with("missed") && l.ends_with("yes")));
        assert!(g.feedback.iter().any(|l| l.starts_with("wrong")));
    }
}
