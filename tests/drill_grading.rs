//! A drill grades what the learner's actions did together: the same
//! mitigation written twice is still a mitigation (a regression: a duplicate
//! `restore` scored 0 while taking the playbook's time).

use scalesim::grade::{grade_answer, Answer, Question};
use scalesim::scenario::{built_in, load};
use scalesim::sim::inputs::ScheduledAction;

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

#[test]
fn an_action_after_the_runs_end_on_some_seed_is_refused_and_the_figures_name_their_seed() {
    let s = load("canary-rollout", built_in("canary-rollout").unwrap()).unwrap();
    let questions = s.questions().unwrap();
    let q = questions.iter().find(|q| q.id() == "rollback").unwrap();
    let Question::Drill(d) = q else {
        panic!("rollback is a drill")
    };
    // The run is 2,400 s; the latest fault over seeds 1 and 2 leaves `room` seconds.
    let (seed, fault_s) = d
        .seeds
        .iter()
        .map(|&k| (k, d.fault_at_s(k)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let room = 2399.0 - fault_s;
    let late = Answer {
        actions: vec![ScheduledAction {
            at_s: room.floor() + 10.0,
            action: serde_json::from_str(r#"{"kind": "restore", "fault": "all"}"#).unwrap(),
        }],
        ..Answer::default()
    };
    let err = grade_answer(&s, q, &late).unwrap_err();
    assert!(err.starts_with("actions[0].at_s: "), "{err}");
    assert!(
        err.contains(&format!("never takes effect on seed {seed}"))
            && err.contains("the run's last tick starts at 2,399 s"),
        "{err}"
    );
    // Within the room it grades, and the figures say which seed they are from.
    let (_, feedback) =
        rollback_answer(r#"[{"at_s": 60.0, "action": {"kind": "restore", "fault": "all"}}]"#);
    assert!(
        feedback[0].starts_with("judged on seed ")
            && feedback[0].contains("the weakest of your 2 seeds: the fault struck at "),
        "{feedback:?}"
    );
}
