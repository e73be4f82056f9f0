//! One learner's pass through an interview scenario, as the page holds it:
//! answers by question, the grades once submitted, the attempt to save, and
//! the pieces of a debrief (explain highlights, totals). Pure, so the panel's
//! logic is tested natively.
//!
//! ```text
//!   Session { answers } ──submit(grades)──▶ Attempt (saved in Progress) ──answers_of──▶ re-grade
//!   explain text + matches ──highlight──▶ [(words, Some(concept) | None)]
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::progress::Attempt;
use super::{Answer, Match, QuestionGrade};
use crate::scenario::Scenario;

/// The answers given so far in one interview scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// Built-in scenario name.
    pub scenario: String,
    /// Answers by question id.
    pub answers: BTreeMap<String, Answer>,
}

impl Session {
    /// A session with no answers.
    pub fn new(scenario: &str) -> Session {
        Session {
            scenario: scenario.to_string(),
            answers: BTreeMap::new(),
        }
    }

    /// The answer to question `id`, to edit (created empty).
    pub fn answer_mut(&mut self, id: &str) -> &mut Answer {
        self.answers.entry(id.to_string()).or_default()
    }

    /// Ids of the questions of `s` not answered yet, in order.
    pub fn unanswered<'a>(&self, s: &'a Scenario) -> Vec<&'a str> {
        s.question_ids()
            .into_iter()
            .filter(|id| self.answers.get(*id).is_none_or(is_blank))
            .collect()
    }

    /// The attempt to save once `grades` are in: the answers of the questions
    /// graded and the score over all of `s`'s questions; `at` is the submit
    /// time (ISO 8601).
    pub fn attempt(&self, s: &Scenario, grades: &[QuestionGrade], at: &str) -> Attempt {
        let (got, max) = totals(s, grades);
        Attempt {
            scenario: self.scenario.clone(),
            at: at.to_string(),
            // The answers graded (an untouched configure question is one),
            // so the attempt can be graded again as it was.
            answers: grades
                .iter()
                .map(|g| {
                    let a = self.answers.get(&g.id).cloned().unwrap_or_default();
                    (g.id.clone(), serde_json::to_value(a).unwrap_or(Value::Null))
                })
                .collect(),
            score_pct: if max > 0.0 { 100.0 * got / max } else { 0.0 },
        }
    }
}

/// Whether an answer holds nothing yet.
pub fn is_blank(a: &Answer) -> bool {
    a.picks.as_ref().is_none_or(Vec::is_empty)
        && a.value.as_ref().is_none_or(|v| v.trim().is_empty())
        && a.order.is_none()
        && a.text.as_ref().is_none_or(|t| t.trim().is_empty())
        && a.knobs.is_empty()
        && a.actions.is_empty()
}

/// Points earned and points possible over every question of `s` (an
/// unanswered question earns 0 of its points).
pub fn totals(s: &Scenario, grades: &[QuestionGrade]) -> (f64, f64) {
    let max = s.question_points();
    let got = grades.iter().map(|g| g.grade.points).sum();
    (got, max)
}

/// `grades` in the order of `s`'s questions (a grade for a question `s`
/// lacks goes last): the debrief reads in the order the questions were asked.
pub fn in_question_order(s: &Scenario, grades: Vec<QuestionGrade>) -> Vec<QuestionGrade> {
    let mut rest = grades;
    let mut out = Vec::with_capacity(rest.len());
    for id in s.question_ids() {
        if let Some(i) = rest.iter().position(|g| g.id == id) {
            out.push(rest.remove(i));
        }
    }
    out.append(&mut rest);
    out
}

/// The answers of a saved attempt, to re-grade or to restore the form.
/// Errors name the question whose saved answer no longer reads.
pub fn answers_of(a: &Attempt) -> Result<BTreeMap<String, Answer>, String> {
    a.answers
        .iter()
        .map(|(id, v)| {
            serde_json::from_value::<Answer>(v.clone())
                .map(|ans| (id.clone(), ans))
                .map_err(|e| format!("the saved answer to {id} cannot be read: {e}"))
        })
        .collect()
}

/// Splits `text` into runs, each either matched by a concept (its id) or not,
/// in order, covering the text exactly once. Overlapping matches keep the first.
pub fn highlight(text: &str, matched: &[Match]) -> Vec<(String, Option<String>)> {
    // In text order: each match inserted after those that start no later.
    let mut spans: Vec<&Match> = Vec::with_capacity(matched.len());
    for m in matched
        .iter()
        .filter(|m| m.span.0 < m.span.1 && m.span.1 <= text.len())
        .filter(|m| text.is_char_boundary(m.span.0) && text.is_char_boundary(m.span.1))
    {
        let at = spans.partition_point(|x| x.span.0 <= m.span.0);
        spans.insert(at, m);
    }
    let mut out = Vec::new();
    let mut at = 0;
    for m in spans {
        if m.span.0 < at {
            continue;
        }
        if m.span.0 > at {
            out.push((text[at..m.span.0].to_string(), None));
        }
        out.push((
            text[m.span.0..m.span.1].to_string(),
            Some(m.concept.clone()),
        ));
        at = m.span.1;
    }
    if at < text.len() {
        out.push((text[at..].to_string(), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(concept: &str, span: (usize, usize)) -> Match {
        Match {
            concept: concept.into(),
            words: String::new(),
            span,
        }
    }

    #[test]
    fn highlight_covers_the_text_once_in_order() {
        let text = "add jitter and backoff now";
        let runs = highlight(text, &[m("b", (15, 22)), m("j", (4, 10)), m("x", (5, 8))]);
        let joined: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(runs[1], ("jitter".into(), Some("j".into())));
        assert_eq!(runs[3], ("backoff".into(), Some("b".into())));
        // A span past the end or inside a character is ignored, not a panic.
        assert_eq!(highlight("é", &[m("x", (1, 2))]), vec![("é".into(), None)]);
    }

    #[test]
    fn an_attempt_keeps_the_answers_and_reads_back() {
        let mut s = Session::new("flash-sale");
        s.answer_mut("why").text = Some("pre-scale at 11:30".into());
        s.answer_mut("empty");
        let scenario = crate::scenario::load_built_in("flash-sale")
            .unwrap()
            .unwrap();
        let questions = scenario.questions().unwrap();
        let why = questions.iter().find(|q| q.id() == "why").unwrap();
        let g = crate::grade::grade_answer(&scenario, why, &s.answers["why"]);
        let g = g.unwrap_or_else(|_| crate::grade::QuestionGrade {
            id: "why".into(),
            kind: "explain",
            grade: crate::grade::Grade::of_share(0.0, 1.0, vec![]),
            key: None,
            configure: None,
            explain: None,
            drill: None,
        });
        let a = s.attempt(&scenario, &[g], "2026-11-30T12:00:00Z");
        assert_eq!(a.answers.len(), 1, "only the graded answers are saved");
        let back = answers_of(&a).unwrap();
        assert_eq!(back["why"].text.as_deref(), Some("pre-scale at 11:30"));
        assert_eq!(s.unanswered(&scenario), vec!["predict", "plan", "degrade"]);
    }
}
