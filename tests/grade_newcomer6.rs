//! The sixth newcomer's findings: explain phrases found inside longer numbers,
//! money feedback rounded to "$0.00", counted nouns and times in numeric
//! answers, and drill feedback and refusals.

use scalesim::grade::{grade_answer, Answer, Question, QuestionGrade};
use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::inputs::ScheduledAction;

fn scenario(name: &str) -> Scenario {
    load(name, built_in(name).unwrap()).unwrap()
}

fn question(s: &Scenario, id: &str) -> Question {
    s.questions()
        .unwrap()
        .into_iter()
        .find(|q| q.id() == id)
        .unwrap()
}

fn grade(name: &str, id: &str, answer: &Answer) -> Result<QuestionGrade, String> {
    let s = scenario(name);
    grade_answer(&s, &question(&s, id), answer)
}

fn value(name: &str, id: &str, v: &str) -> Result<QuestionGrade, String> {
    let a = Answer {
        value: Some(v.into()),
        ..Answer::default()
    };
    grade(name, id, &a)
}

fn share(g: &QuestionGrade) -> f64 {
    g.grade.points / g.grade.max
}

fn explain(text: &str) -> QuestionGrade {
    let a = Answer {
        text: Some(text.into()),
        ..Answer::default()
    };
    grade("canary-rollout", "explain", &a).unwrap()
}

#[test]
fn a_number_in_a_phrase_is_not_found_inside_a_longer_number() {
    let text =
        "We target 99.1 % availability and 21 % headroom, and we ship the new build to every \
                server at once on a quiet evening while we watch the dashboards closely.";
    let g = explain(text);
    let e = g.explain.as_ref().unwrap();
    assert!(
        !e.matched.iter().any(|m| m.concept == "canary"),
        "{:?}",
        g.grade.feedback
    );
    // Nor "5 %" in 0.5 %, 15 %, 2,5 % or .5 %.
    let text = "We accept 0.5 % errors, 15 % more latency, 2,5 % extra memory and .5 % packet \
                loss while the new build goes to every server at once on a quiet evening.";
    let g = explain(text);
    let e = g.explain.as_ref().unwrap();
    assert!(
        !e.matched.iter().any(|m| m.concept == "canary"),
        "{:?}",
        g.grade.feedback
    );
}

#[test]
fn a_number_phrase_is_found_where_it_is_written_and_quoted_whole() {
    let text = "We send 1 % of traffic to the new version first and compare it with the baseline \
                before we widen it, and we keep the old version running so we can switch back.";
    let g = explain(text);
    let e = g.explain.as_ref().unwrap();
    let canary = e.matched.iter().find(|m| m.concept == "canary").unwrap();
    assert_eq!(canary.words, "1 %");
    assert_eq!(&text[canary.span.0..canary.span.1], "1 %");
    assert!(
        g.grade
            .feedback
            .iter()
            .any(|f| f.ends_with(": \u{201c}1 %\u{201d}")),
        "{:?}",
        g.grade.feedback
    );
    // Written without the space, the phrase and its evidence are the same.
    let text = text.replace("1 %", "1%");
    let g = explain(&text);
    let e = g.explain.as_ref().unwrap();
    let canary = e.matched.iter().find(|m| m.concept == "canary").unwrap();
    assert_eq!(canary.words, "1%");
}

#[test]
fn small_money_keeps_its_significant_digits_in_feedback() {
    let g = value("reference", "per-user", "0.019").unwrap();
    assert_eq!(
        g.grade.feedback[0],
        "close: $0.019 is $0.004 off; expected $0.015 \u{b1} $0.0005"
    );
    let g = value("reference", "per-user", "0.015").unwrap();
    assert_eq!(
        g.grade.feedback[0],
        "right: $0.015 is within $0.015 \u{b1} $0.0005"
    );
    // Larger amounts read as before.
    let g = value("reference", "discounts", "$14,000").unwrap();
    assert_eq!(
        g.grade.feedback[0],
        "close: $14,000 is $500 off; expected $13,500 \u{b1} $100"
    );
}

#[test]
fn another_counted_noun_is_refused_with_what_the_question_counts() {
    let g = value("black-friday", "second-step", "13 nodes").unwrap();
    assert_eq!(share(&g), 0.0, "{:?}", g.grade.feedback);
    assert!(
        g.grade.feedback[0].starts_with(
            "\u{201c}13 nodes\u{201d} counts nodes, but the question counts pods: expected 13 pods"
        ),
        "{:?}",
        g.grade.feedback
    );
    for fine in ["13", "13 pods", "13 pod", "13 \u{d7}", "13 replicas"] {
        let g = value("black-friday", "second-step", fine).unwrap();
        assert_eq!(share(&g), 1.0, "{fine}: {:?}", g.grade.feedback);
    }
}

#[test]
fn a_time_in_parts_or_on_a_clock_is_graded_as_a_time() {
    for text in ["43m12s", "43m 12s", "0:43:12", "43:12", "43.2", "43.2 min"] {
        let g =
            value("error-budget", "budget-minutes", text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(share(&g), 1.0, "{text}: {:?}", g.grade.feedback);
    }
    let g = value("error-budget", "budget-minutes", "1h30m").unwrap();
    assert_eq!(share(&g), 0.0, "{:?}", g.grade.feedback);
    assert!(
        g.grade.feedback[0].starts_with("wrong: 90 min is"),
        "{:?}",
        g.grade.feedback
    );
    let e = value("error-budget", "budget-minutes", "1.1.6").unwrap_err();
    assert!(e.contains("does not start with a number"), "{e}");
    let e = value("error-budget", "budget-minutes", "43:75").unwrap_err();
    assert!(e.contains("not a clock time"), "{e}");
}

#[test]
fn a_capital_m_to_a_time_question_says_it_means_million() {
    for text in ["43.2 M", "43.2M"] {
        let e = value("error-budget", "budget-minutes", text).unwrap_err();
        assert!(
            e.contains("M means million; write m or min for minutes"),
            "{text}: {e}"
        );
    }
    // Elsewhere M is a million, as before.
    let g = value("black-friday", "second-step", "0.000013 M").unwrap();
    assert_eq!(share(&g), 1.0, "{:?}", g.grade.feedback);
}

fn rollback(actions: &str) -> Result<QuestionGrade, String> {
    let actions: Vec<ScheduledAction> = serde_json::from_str(actions).unwrap();
    let a = Answer {
        actions,
        ..Answer::default()
    };
    grade("canary-rollout", "rollback", &a)
}

#[test]
fn a_drill_that_never_steadies_does_not_say_it_recovers() {
    let g =
        rollback(r#"[{"at_s": 60.0, "action": {"kind": "restore", "fault": "latency"}}]"#).unwrap();
    let fb = &g.grade.feedback;
    assert_eq!(share(&g), 0.0, "{fb:?}");
    assert!(!fb.iter().any(|f| f.contains("recovers")), "{fb:?}");
    assert!(
        fb.iter().any(|f| f
            == "none of your actions changed the outcome: the run stays unsteady just as long without them, so none counts as mitigation"),
        "{fb:?}"
    );
    assert!(
        fb.iter().any(|f| f.starts_with("time to mitigate: you ")
            && f.contains(" s (never steady), the playbook ")),
        "{fb:?}"
    );
    // A run that does recover still says so.
    let g = rollback(
        r#"[{"at_s": 60.0, "action": {"kind": "restore", "fault": "bad_release"}},
            {"at_s": 60.0, "action": {"kind": "restore", "fault": "bad_release"}}]"#,
    )
    .unwrap();
    assert!(
        g.grade
            .feedback
            .iter()
            .any(|f| f.contains("the run recovers just as fast")),
        "{:?}",
        g.grade.feedback
    );
}

/// The longest run of digits after a decimal point in `text`.
fn longest_decimals(text: &str) -> usize {
    let mut longest = 0;
    let mut run: Option<usize> = None;
    let mut prev = ' ';
    for c in text.chars() {
        run = match (run, c.is_ascii_digit()) {
            (Some(n), true) => Some(n + 1),
            (None, true) if prev == '.' => Some(1),
            (Some(_) | None, true | false) => None,
        };
        longest = longest.max(run.unwrap_or(0));
        prev = c;
    }
    longest
}

#[test]
fn an_action_too_late_is_refused_with_figures_for_people_and_a_bound_that_is_accepted() {
    let e =
        rollback(r#"[{"at_s": 1900.0, "action": {"kind": "restore", "fault": "bad_release"}}]"#)
            .unwrap_err();
    assert!(longest_decimals(&e) <= 1, "{e}");
    assert!(
        e.contains("the fault strikes at 577.2 s there")
            && e.contains("give at most 1,821.8 s after the fault"),
        "{e}"
    );
    // The bound suggested is itself accepted.
    let g =
        rollback(r#"[{"at_s": 1821.8, "action": {"kind": "restore", "fault": "bad_release"}}]"#);
    assert!(g.is_ok(), "{g:?}");
}
