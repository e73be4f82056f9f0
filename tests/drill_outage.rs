//! A drill's steady state includes serving the traffic: an outage satisfies
//! `errors_rps ≤ 5` or `p99 ≤ 250 ms` vacuously (nothing served, nothing slow),
//! so killing the service never counts as mitigating a fault.

use scalesim::grade::{grade_answer, grade_drill, Answer, DrillQuestion, Question};
use scalesim::scenario::{built_in, load, Scenario, BUILT_INS};
use scalesim::sim::inputs::{Action, ScheduledAction};

/// Every built-in scenario with its drills.
fn drills() -> Vec<(Scenario, DrillQuestion)> {
    let mut out = Vec::new();
    for (name, text) in BUILT_INS {
        let s = load(name, text).unwrap_or_else(|e| panic!("{e}"));
        for q in s.questions().unwrap() {
            if let Question::Drill(d) = q {
                out.push((s.clone(), d));
            }
        }
    }
    out
}

/// Kill every zone of `s` `at_s` seconds after the fault.
fn kill_every_zone(s: &Scenario, at_s: f64) -> Vec<ScheduledAction> {
    s.topology
        .regions
        .iter()
        .flat_map(|r| r.zones.iter())
        .map(|z| ScheduledAction {
            at_s,
            action: Action::KillZone { zone: z.clone() },
        })
        .collect()
}

#[test]
fn killing_both_zones_does_not_mitigate_the_chaos_drill() {
    // The tester's answer: 0.50 / 1 with "time to mitigate: you 65.2 s".
    let s = load("chaos-drill", built_in("chaos-drill").unwrap()).unwrap();
    let questions = s.questions().unwrap();
    let q = questions.iter().find(|q| q.id() == "abort").unwrap();
    let Question::Drill(d) = q else {
        panic!("abort is a drill")
    };
    let actions = kill_every_zone(&s, 5.0);
    let g = grade_drill(&s, d, &actions).unwrap();
    assert!(!g.learner.mitigated, "{:?}", g.learner);
    assert_eq!(g.grade.points, 0.0, "{:?}", g.grade.feedback);
    assert!(g.learner.served_pct < 5.0, "{:?}", g.learner);
    // The feedback says why the run never counted as steady.
    assert!(
        g.grade.feedback.iter().any(|f| f.contains("served only")
            && f.contains("of the requests that arrived")
            && f.contains("an outage is not a mitigation")),
        "{:?}",
        g.grade.feedback
    );
    // Through the answers file's path too.
    let a = Answer {
        actions,
        ..Answer::default()
    };
    let qg = grade_answer(&s, q, &a).unwrap();
    assert_eq!(qg.grade.points, 0.0, "{:?}", qg.grade.feedback);
}

#[test]
fn no_built_in_drill_is_mitigated_by_an_outage() {
    let all = drills();
    assert!(all.len() >= 3, "{} drills", all.len());
    for (s, d) in all {
        for at_s in [1.0, 10.0] {
            let g = grade_drill(&s, &d, &kill_every_zone(&s, at_s)).unwrap();
            assert!(
                !g.learner.mitigated,
                "{}: killing every zone {at_s} s after the fault counted as steady: {:?}",
                d.id, g.grade.feedback
            );
            assert_eq!(g.grade.points, 0.0, "{}: {:?}", d.id, g.grade.feedback);
        }
    }
}

#[test]
fn every_built_in_drill_still_scores_nothing_for_nobody_and_full_for_the_playbook() {
    for (s, d) in drills() {
        let nobody = grade_drill(&s, &d, &[]).unwrap();
        assert_eq!(nobody.grade.points, 0.0, "{}: {:?}", d.id, nobody.grade);
        let playbook = grade_drill(&s, &d, &d.playbook).unwrap();
        assert_eq!(
            playbook.grade.points, playbook.grade.max,
            "{}: {:?}",
            d.id, playbook.grade
        );
        assert!(playbook.reference.mitigated, "{}", d.id);
        // The playbook serves what arrives after the fault (over 99 %), or, when the
        // fault fails every request until the playbook's actions take hold (the retry
        // storm's logins, for about a minute), at least half of all of it more than
        // nobody acting does.
        let (served, without) = (playbook.reference.served_pct, nobody.nobody.served_pct);
        assert!(
            served > 99.0 || served - without > 50.0,
            "{}: {served} % vs {without} % nobody",
            d.id
        );
    }
}
