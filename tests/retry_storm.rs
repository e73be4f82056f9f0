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
    let head = &text[..text
        .find("\n[retry.client]\n")
        .expect("a [retry.client] table")];
    let tail = &text[text.find("\n[[questions]]").expect("its questions")..];
    format!("{head}\n[retry.client]\n{retry}{tail}")
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

/// The storm drill's rollback, 20 s after the fault.
const ROLLBACK: &str =
    r#"{ "at_s": 20.0, "action": { "kind": "restore", "fault": "bad_release" } }"#;

/// The clients' policy set `at_s` after the fault: 4 attempts, `backoff`, `jitter`, `budget`.
fn clients(at_s: f64, backoff: &str, jitter: &str, budget: bool) -> String {
    format!(
        r#"{{ "at_s": {at_s:?}, "action": {{ "kind": "set_client_retries", "max_attempts": 4, "backoff": "{backoff}", "jitter": "{jitter}", "budget": {budget} }} }}"#
    )
}

#[test]
fn the_drill_passes_a_rollback_with_calm_clients_and_fails_a_rollback_alone() {
    // The playbook: roll back and give the clients exponential backoff, full jitter and
    // a retry budget (measured: steady 102 s and 108 s after the fault on seeds 1 and 2,
    // 5.5 % and 6.0 % of the error budget burned).
    let calm = clients(20.0, "exponential", "full", true);
    assert_eq!(storm_drill(&format!("[{ROLLBACK}, {calm}]")), 1.0);
    // The retries keep the pods down after the rollback: nothing is mitigated.
    assert_eq!(storm_drill(&format!("[{ROLLBACK}]")), 0.0);
    assert_eq!(storm_drill("[]"), 0.0);
    // Calm clients while the release still fails every login: the pods live, but the
    // errors never settle (37 %).
    assert!(storm_drill(&format!("[{calm}]")) < 0.5);
    // Backoff and jitter without a budget: every failure still comes back three times.
    let no_budget = clients(20.0, "exponential", "full", false);
    assert!(storm_drill(&format!("[{ROLLBACK}, {no_budget}]")) < 0.1);
    // Twenty seconds later still passes (95 %: steady 109 s after the fault, 8.2 %
    // burned on seed 2).
    let late = clients(40.0, "exponential", "full", true);
    let score = storm_drill(&format!("[{ROLLBACK}, {late}]"));
    assert!((0.9..1.0).contains(&score), "{score}");
}

#[test]
fn tripling_the_pods_drains_the_wave_sooner_but_burns_more_budget_than_calm_clients() {
    // Steady 56 s after the fault (the playbook 102 s) but 7.5 % of the budget burned
    // (the playbook 5.5 %): 96 %.
    let scale = r#"{ "at_s": 20.0, "action": { "kind": "set_replicas", "replicas": 18 } }"#;
    let score = storm_drill(&format!("[{ROLLBACK}, {scale}]"));
    assert!((0.9..1.0).contains(&score), "{score}");
}

/// The retry-storm service with `retry` as its clients' `[retry.client]` table and
/// `breaker` as their `[breaker.client]` table.
fn with_breaker(retry: &str, breaker: &str) -> String {
    format!("{}\n[breaker.client]\n{breaker}", auth_service(retry))
}

#[test]
fn an_open_breaker_stops_the_load_and_half_opens_after_its_wait() {
    use scalesim::sim::resilience::circuit_breaker::CbState;
    let w = run(&with_breaker(
        IN_STEP,
        "failure_rate_threshold_pct = 50.0\nwait_in_open_s = 30.0\n",
    ));
    let changes: Vec<(f64, CbState)> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::BreakerChanged { t_s, to, .. } => Some((*t_s, *to)),
            _ => None,
        })
        .collect();
    // It opens within seconds of the release failing every login (T+5:00)…
    let (opened, _) = changes[0];
    assert_eq!(changes[0].1, CbState::Open, "{changes:?}");
    assert!((300.0..=305.0).contains(&opened), "{changes:?}");
    // …half-opens on the first tick strictly after its 30 s wait, and its trial calls
    // fail while the release still fails them, so it opens again.
    assert_eq!(
        changes[1],
        (opened + 31.0, CbState::HalfOpen),
        "{changes:?}"
    );
    assert_eq!(changes[2].1, CbState::Open, "{changes:?}");
    // While it is open no login reaches the pods: their CPU falls to nothing.
    let t = w.series.get(Series::Time);
    let cpu = w.series.get(Series::CpuUtilizationPct);
    let state = w.series.get(Series::BreakerState);
    let open_cpu: Vec<f64> = (0..t.len())
        .filter(|&i| state[i] == 1.0 && t[i] > opened + 5.0 && t[i] < opened + 30.0)
        .map(|i| cpu[i])
        .collect();
    assert!(
        !open_cpu.is_empty() && open_cpu.iter().all(|c| *c < 1.0),
        "{open_cpu:?}"
    );
    // After the rollback (T+7:00) a trial passes and it closes for good; the pods never
    // ran out of memory (failing fast held no queue).
    let (t_closed, last) = *changes.last().unwrap();
    assert_eq!(last, CbState::Closed, "{changes:?}");
    assert!(
        t_closed > 420.0 && t_closed < 420.0 + 31.0 + 5.0,
        "{changes:?}"
    );
    assert!(oom_kills(&w).is_empty(), "{:?}", oom_kills(&w));
    assert!(w.counters.failures[scalesim::sim::failure::FailureReason::CircuitOpen] > 0.0);
}

#[test]
fn a_breaker_spares_the_service_while_it_is_down_at_about_the_same_budget() {
    let storm = run(&auth_service(IN_STEP));
    let calm = run(&auth_service(PROTECTED));
    let all = run(&with_breaker(PROTECTED, "wait_in_open_s = 20.0\n"));
    assert!(oom_kills(&all).is_empty());
    // Every login fails while the release does, breaker or not; the breaker's own
    // rejections after the rollback (until a trial passes) cost a little more.
    let (s, c, a) = (
        budget_used_pct(&storm),
        budget_used_pct(&calm),
        budget_used_pct(&all),
    );
    assert!(
        a <= 1.1 * c && a < 0.1 * s,
        "budget used: storm {s:.2} %, calm {c:.2} %, with a breaker {a:.2} %"
    );
    // What it buys: while the release fails, the pods do (almost) no work.
    let mean_cpu = |w: &World| {
        let t = w.series.get(Series::Time);
        let cpu = w.series.get(Series::CpuUtilizationPct);
        let v: Vec<f64> = (0..t.len())
            .filter(|&i| t[i] > 310.0 && t[i] < 410.0)
            .map(|i| cpu[i])
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (cpu_calm, cpu_all) = (mean_cpu(&calm), mean_cpu(&all));
    assert!(
        cpu_all < 0.25 * cpu_calm,
        "CPU while down: {cpu_calm:.1} % without a breaker, {cpu_all:.1} % with"
    );
}
