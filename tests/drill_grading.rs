//! A drill grades what the learner's actions did together: the same
//! mitigation written twice is still a mitigation (issue 12, fourth newcomer:
//! the duplicate `restore` scored 0 while taking the playbook's time).

use scalesim::grade::{grade_answer, Answer, Question};
use scalesim::scenario::{built_in, load};
use scalesim::sim::actions::ScheduledAction;

fn rollback_answer(actions: &str) -> (f64, Vec<String>) {
    let s = load("canary-rollout", built_in("canary-rollout").unwrap()).unwrap();
    let questions = s.questions().unwrap();
    let q = questions.iter().find(|q| q.id() == "rollback").unwrap();
    assert!(matches!(q, Question::Drill(_)));
    let actions: Vec<ScheduledAction> =
        serde_json::from_str(actions).unwrap_or_else(|e| panic!("{e}"));
    let answer = Answer {
        actions,
        ..Answer::default()
    };
    let g = grade_answer(&s, q, &answer).unwrap();
    (g.grade.points / g.grade.max, g.grade.feedback.clone())
}

#[test]
fn the_same_restore_twice_scores_as_once() {
    let once = r#"[{"at_s": 60.0, "action": {"kind": "restore", "fault": "all"}}]"#;
    let twice = r#"[{"at_s": 60.0, "action": {"kind": "restore", "fault": "all"}},
                    {"at_s": 60.0, "action": {"kind": "restore", "fault": "all"}}]"#;
    let (one, _) = rollback_answer(once);
    let (two, feedback) = rollback_answer(twice);
    assert!(one > 0.9, "one restore: {one}");
    assert_eq!(two, one, "{feedback:?}");
    assert!(
        feedback
            .iter()
            .any(|f| f.starts_with("your actions overlap")),
        "{feedback:?}"
    );
    // Nothing at all still scores nothing.
    let (none, feedback) = rollback_answer("[]");
    assert_eq!(none, 0.0, "{feedback:?}");
}
