//! Client retries in the World: the amplification formula, conservation of attempts
//! and of requests, and the retry storm (an auth service down for 2 minutes) with and
//! without backoff, jitter and a retry budget.

mod fixtures;

use scalesim::scenario::{built_in, load};
use scalesim::sim::events::{KillCause, SimEvent};
use scalesim::sim::series::Series;
use scalesim::sim::{run_until, step, World};

/// The built-in `retry-storm` scenario (an auth service of 6 pods, 800 logins/s, a bad
/// release failing every login from T+5:00 to T+7:00, 512 KiB held per queued login)
/// with `retry` as its clients' `[retry.client]` table.
fn auth_service(retry: &str) -> String {
    let text = built_in("retry-storm").expect("retry-storm is built in");
    let head = &text[..text.find("[retry.client]").expect("a [retry.client] table")];
    format!("{head}[retry.client]\n{retry}")
}

/// Clients that retry at once and in step, three times, giving up on an attempt after
/// 2 s.
const IN_STEP: &str = "max_attempts = 4\nper_attempt_timeout_ms = 2000.0\nbackoff = \"none\"\n";

/// The same clients with exponential backoff, full jitter and a 10 % retry budget.
const PROTECTED: &str = "max_attempts = 4\nper_attempt_timeout_ms = 2000.0\nbackoff = \"exponential\"\nbase_ms = 200.0\ncap_ms = 30000.0\njitter = \"full\"\nbudget = { percent_can_retry = 10.0 }\n";

fn run(text: &str) -> World {
    let s = load("auth.toml", text).expect("the scenario loads");
    let mut w = World::new(&s, 3).unwrap();
    run_until(&mut w, s.run.duration_s);
    w
}

fn oom_kills(w: &World) -> Vec<f64> {
    w.events
        .iter()
        .filter_map(|e| match e {
            SimEvent::PodKilled {
                t_s,
                cause: KillCause::OutOfMemory,
                ..
            } => Some(*t_s),
            _ => None,
        })
        .collect()
}

fn budget_used_pct(w: &World) -> f64 {
    100.0 - w.series.latest[Series::BudgetRemainingPct.index()]
}

#[test]
fn clients_in_step_crash_the_service_again_after_it_comes_back_and_backoff_with_jitter_and_a_budget_do_not(
) {
    let storm = run(&auth_service(IN_STEP));
    let calm = run(&auth_service(PROTECTED));
    let back_s = 420.0;
    let again: Vec<f64> = oom_kills(&storm)
        .into_iter()
        .filter(|t| *t > back_s)
        .collect();
    assert!(
        again.first().is_some_and(|t| *t <= back_s + 60.0),
        "without protection a second outage within 60 s of recovery: {again:?}"
    );
    // A metastable failure: the storm holds the service down to the end of the run.
    assert!(again.iter().any(|t| *t > 1100.0), "{again:?}");
    assert!(oom_kills(&calm).is_empty(), "{:?}", oom_kills(&calm));
    let (storm_used, calm_used) = (budget_used_pct(&storm), budget_used_pct(&calm));
    assert!(
        calm_used <= 0.1 * storm_used,
        "error budget used: {calm_used:.1} % with protection vs {storm_used:.1} % without"
    );
    // Amplification: in step, each login was tried about 3 times; with the budget, at
    // most 10 % more attempts than logins.
    let amp = |w: &World| (w.counters.arrived + w.counters.retried) / w.counters.arrived;
    assert!(amp(&storm) > 2.5, "{}", amp(&storm));
    assert!(amp(&calm) < 1.1, "{}", amp(&calm));
    // After the storm passes, the protected service serves every login.
    let ready = calm.series.get(Series::PodsReady);
    assert_eq!(ready.last(), Some(&6.0));
}

#[test]
fn attempts_and_requests_are_conserved_every_tick() {
    for retry in [IN_STEP, PROTECTED] {
        let s = load("auth.toml", &auth_service(retry)).unwrap();
        let mut w = World::new(&s, 5).unwrap();
        while w.now_s < s.run.duration_s {
            step(&mut w);
            let c = &w.counters;
            let scale = 1.0 + c.arrived + c.retried;
            assert!(
                c.conservation_gap().abs() <= 1e-9 * scale,
                "t {}: attempts gap {}",
                w.now_s,
                c.conservation_gap()
            );
            let pending = w.client_retries.as_ref().unwrap().pending;
            assert!(
                c.request_gap(pending).abs() <= 1e-9 * scale,
                "t {}: requests gap {}",
                w.now_s,
                c.request_gap(pending)
            );
        }
    }
}

#[test]
fn a_steady_failure_share_multiplies_the_load_by_the_geometric_sum() {
    // Half the attempts fail (a bad release at 50 %) on a service with room to spare:
    // (1 − 0.5³) / (1 − 0.5) = 1.75 attempts per request with 3 attempts.
    let text = fixtures::steady_toml(
        120.0,
        "[[events]]\nat_s = 0.0\naction = { kind = \"bad_release\", error_rate = 0.5 }\n\
         [retry.client]\nmax_attempts = 3\nbackoff = \"none\"\n",
    );
    let s = load("t.toml", &text).unwrap();
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 60.0);
    let before = w.counters.clone();
    run_until(&mut w, 120.0);
    let first = w.counters.arrived - before.arrived;
    let attempts = first + w.counters.retried - before.retried;
    assert!(
        (attempts / first - 1.75).abs() < 1e-9,
        "{} attempts per request",
        attempts / first
    );
}

#[test]
fn retries_are_deterministic() {
    let a = run(&auth_service(IN_STEP));
    let b = run(&auth_service(IN_STEP));
    assert_eq!(fixtures::series_hash(&a), fixtures::series_hash(&b));
    assert_eq!(a.events, b.events);
}

/// The `storm` drill's score for `actions` (JSON, times after the fault) [0..1].
fn storm_drill(actions: &str) -> f64 {
    use scalesim::grade::{grade_answer, Answer};
    let s = load("retry-storm", built_in("retry-storm").unwrap()).unwrap();
    let questions = s.questions().unwrap();
    let q = questions.iter().find(|q| q.id() == "storm").unwrap();
    let answer = Answer {
        actions: serde_json::from_str(actions).unwrap_or_else(|e| panic!("{e}")),
        ..Answer::default()
    };
    let g = grade_answer(&s, q, &answer).unwrap();
    g.grade.points / g.grade.max
}

#[test]
fn the_drill_passes_a_rollback_that_drains_the_wave_and_fails_a_rollback_alone() {
    let restore = r#"{ "at_s": 20.0, "action": { "kind": "restore", "fault": "bad_release" } }"#;
    let scale = r#"{ "at_s": 20.0, "action": { "kind": "set_replicas", "replicas": 18 } }"#;
    assert_eq!(storm_drill(&format!("[{restore}, {scale}]")), 1.0);
    // The retries keep the pods down after the rollback: nothing is mitigated.
    assert_eq!(storm_drill(&format!("[{restore}]")), 0.0);
    assert_eq!(storm_drill("[]"), 0.0);
}
