//! A call edge's protection changed mid-run (`set_client_retries`, `set_client_breaker`):
//! on the clients' edge the retries in flight carry over or give up, requests stay
//! conserved, a breaker turned off lets traffic through at once; on a dependency edge
//! the next calls retry and break as told; an action that changes nothing says why.

mod fixtures;

use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::events::SimEvent;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::protection::{BackoffKind, CallEdge};
use scalesim::sim::resilience::backoff::Jitter;
use scalesim::sim::resilience::circuit_breaker::CbState;
use scalesim::sim::{run_until, step, World};

fn retry_storm() -> Scenario {
    load("retry-storm", built_in("retry-storm").unwrap()).unwrap()
}

fn retries(max_attempts: u32, backoff: BackoffKind, jitter: Jitter, budget: bool) -> Action {
    Action::SetClientRetries {
        edge: CallEdge::Client,
        max_attempts,
        backoff,
        jitter,
        budget,
    }
}

fn breaker(edge: CallEdge, on: bool) -> Action {
    Action::SetClientBreaker { edge, on }
}

/// The gaps of attempts and of requests after each tick until `until_s`, as a share of
/// the traffic so far.
fn worst_gaps(w: &mut World, until_s: f64) -> (f64, f64) {
    let mut worst = (0.0f64, 0.0f64);
    while w.now_s < until_s {
        step(w);
        let c = &w.counters;
        let scale = 1.0 + c.arrived + c.retried;
        let pending = w.client_retries.as_ref().map_or(0.0, |r| r.pending);
        worst.0 = worst.0.max(c.conservation_gap().abs() / scale);
        worst.1 = worst.1.max(c.request_gap(pending).abs() / scale);
    }
    worst
}

fn ignored(w: &World) -> Vec<String> {
    w.events
        .iter()
        .filter_map(|e| match e {
            SimEvent::ActionIgnored { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_new_policy_mid_storm_keeps_the_retries_in_flight_and_the_requests_conserved() {
    let s = retry_storm();
    let mut w = World::new(&s, 3).unwrap();
    // Into the storm (the release fails every login from T+5:00), then calm clients.
    run_until(&mut w, 330.0);
    let before = w.client_retries.as_ref().unwrap().pending;
    assert!(before > 100.0, "retries in flight: {before}");
    w.push_action(
        330.0,
        retries(4, BackoffKind::Exponential, Jitter::Full, true),
    )
    .unwrap();
    let gave_up = w.counters.gave_up;
    step(&mut w);
    let r = w.client_retries.as_ref().unwrap();
    assert_eq!(r.policy.max_attempts, 4);
    assert_eq!(r.policy.jitter, Jitter::Full);
    assert!(r.policy.budget.is_some());
    // The scenario's other fields stay.
    assert_eq!(r.policy.per_attempt_timeout_ms, Some(2000.0));
    assert_eq!(r.policy.base_ms, 1000.0);
    assert!(w.counters.gave_up > gave_up);
    let (attempts, requests) = worst_gaps(&mut w, 600.0);
    assert!(attempts < 1e-9 && requests < 1e-9, "{attempts} {requests}");
    // The timeline says what the clients now do.
    assert!(w.events.iter().any(|e| matches!(
        e,
        SimEvent::FaultInjected {
            action: Action::SetClientRetries { .. },
            ..
        }
    )));
}

#[test]
fn one_attempt_drops_the_retries_in_flight_and_their_requests_give_up() {
    let s = retry_storm();
    let mut w = World::new(&s, 3).unwrap();
    run_until(&mut w, 330.0);
    let pending = w.client_retries.as_ref().unwrap().pending;
    let mut without = w.clone();
    w.push_action(330.0, retries(1, BackoffKind::None, Jitter::None, false))
        .unwrap();
    step(&mut w);
    step(&mut without);
    assert_eq!(w.client_retries.as_ref().unwrap().pending, 0.0);
    assert_eq!(w.last.retries_rps, 0.0);
    // The dropped retries gave up on top of the tick's own failures.
    assert!(w.counters.gave_up - without.counters.gave_up >= 0.5 * pending);
    let (attempts, requests) = worst_gaps(&mut w, 500.0);
    assert!(attempts < 1e-9 && requests < 1e-9, "{attempts} {requests}");
}

#[test]
fn clients_that_never_retried_start_with_the_default_sleeps() {
    let s = fixtures::steady(
        "[[events]]\nat_s = 0.0\naction = { kind = \"bad_release\", error_rate = 0.5 }\n",
    );
    let mut w = World::new(&s, 1).unwrap();
    assert!(w.client_retries.is_none());
    w.push_action(
        10.0,
        retries(3, BackoffKind::Exponential, Jitter::Equal, false),
    )
    .unwrap();
    run_until(&mut w, 60.0);
    let r = w.client_retries.as_ref().unwrap();
    assert_eq!((r.policy.base_ms, r.policy.cap_ms), (100.0, 20_000.0));
    assert!(w.counters.retried > 0.0);
    let (attempts, requests) = worst_gaps(&mut w, 120.0);
    assert!(attempts < 1e-9 && requests < 1e-9, "{attempts} {requests}");
}

#[test]
fn a_breaker_turned_off_while_open_lets_the_traffic_through_at_once() {
    let s = retry_storm();
    let mut w = World::new(&s, 3).unwrap();
    w.push_action(0.0, breaker(CallEdge::Client, true)).unwrap();
    run_until(&mut w, 320.0);
    let b = w.client_breaker.as_ref().expect("a breaker");
    assert_eq!(b.state, CbState::Open, "every login fails from T+5:00");
    // Open: every login fails at once, none reaches the pods.
    let open = |w: &World| w.counters.failures[FailureReason::CircuitOpen];
    let before = open(&w);
    step(&mut w);
    assert!(open(&w) - before > 700.0, "{}", open(&w) - before);
    w.push_action(321.0, breaker(CallEdge::Client, false))
        .unwrap();
    let before = open(&w);
    step(&mut w);
    assert!(w.client_breaker.is_none());
    assert_eq!(open(&w), before, "no call failed fast once it was off");
    assert!(
        w.last.cpu_utilization_pct > 50.0,
        "{}",
        w.last.cpu_utilization_pct
    );
}

#[test]
fn an_action_that_asks_for_what_already_is_is_ignored_with_its_reason() {
    let s = retry_storm();
    let mut w = World::new(&s, 3).unwrap();
    // The scenario's own policy, and a breaker it does not have turned off.
    w.push_action(5.0, retries(4, BackoffKind::None, Jitter::None, false))
        .unwrap();
    w.push_action(5.0, breaker(CallEdge::Client, false))
        .unwrap();
    run_until(&mut w, 6.0);
    assert_eq!(
        ignored(&w),
        vec![
            "the clients already retry with this policy".to_string(),
            "the clients have no circuit breaker on".to_string()
        ]
    );
    let bare = fixtures::steady("");
    let mut w = World::new(&bare, 1).unwrap();
    w.push_action(5.0, retries(1, BackoffKind::None, Jitter::None, true))
        .unwrap();
    run_until(&mut w, 6.0);
    assert_eq!(
        ignored(&w),
        vec!["the clients already make one attempt and never retry".to_string()]
    );
}

#[test]
fn a_link_or_a_file_with_too_many_attempts_is_refused_at_the_field() {
    let text = fixtures::steady_toml(
        120.0,
        "[[events]]\nat_s = 5.0\naction = { kind = \"set_client_retries\", max_attempts = 11, backoff = \"none\", jitter = \"none\", budget = false }\n",
    );
    let e = load("t.toml", &text).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("events[0].action.max_attempts"));
    assert!(e.message.contains("from 1 to 10 attempts"), "{}", e.message);
}

fn retry_amplification() -> Scenario {
    load(
        "retry-amplification",
        built_in("retry-amplification").unwrap(),
    )
    .unwrap()
}

/// Calls reaching the card network per call the pods send, this tick.
fn reach(w: &World) -> f64 {
    let e = w.data.external_edge.as_ref().unwrap();
    e.last.calls / e.last.first.max(1e-9)
}

#[test]
fn the_pods_dependency_retries_and_breaker_change_mid_run_and_the_next_calls_follow() {
    let s = retry_amplification();
    let mut w = World::new(&s, 4).unwrap();
    run_until(&mut w, 303.0);
    assert!(reach(&w) > 26.9, "3 attempts on 3 layers: {}", reach(&w));
    // One attempt on every layer, and no breaker: each call reaches the network once.
    let once = Action::SetClientRetries {
        edge: CallEdge::External,
        max_attempts: 1,
        backoff: BackoffKind::None,
        jitter: Jitter::None,
        budget: false,
    };
    w.push_action(303.0, once).unwrap();
    w.push_action(303.0, breaker(CallEdge::External, false))
        .unwrap();
    run_until(&mut w, 310.0);
    let e = w.data.external_edge.as_ref().unwrap();
    assert!(e.breaker.is_none());
    assert_eq!(e.attempts(), 1);
    assert!((reach(&w) - 1.0).abs() < 1e-9, "{}", reach(&w));
    assert_eq!(e.last.retries, 0.0);
    // Two attempts with the budget on: at most 20 % more calls per layer once the
    // window fills, and the breaker back on opens again while the network is down.
    let two = Action::SetClientRetries {
        edge: CallEdge::External,
        max_attempts: 2,
        backoff: BackoffKind::None,
        jitter: Jitter::None,
        budget: true,
    };
    w.push_action(310.0, two).unwrap();
    w.push_action(310.0, breaker(CallEdge::External, true))
        .unwrap();
    run_until(&mut w, 340.0);
    let e = w.data.external_edge.as_ref().unwrap();
    assert_eq!(e.breaker.as_ref().map(|b| b.state), Some(CbState::Open));
    assert!(e.retry.as_ref().unwrap().budget.is_some());
    // The timeline words each change as the pods' own.
    let words: Vec<String> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::FaultInjected { action, .. } => Some(action.describe()),
            _ => None,
        })
        .collect();
    assert!(
        words
            .iter()
            .any(|d| d == "pods no longer retry dependency calls: one attempt per call"),
        "{words:?}"
    );
}

#[test]
fn retries_added_to_the_database_edge_of_a_scenario_without_them_amplify_its_failures() {
    let mut s = fixtures::every_tier();
    (s.retry.database, s.breaker.database) = (None, None);
    let mut w = World::new(&s, 1).unwrap();
    assert!(w.data.db_edge.is_none());
    let three = Action::SetClientRetries {
        edge: CallEdge::Database,
        max_attempts: 3,
        backoff: BackoffKind::Exponential,
        jitter: Jitter::Full,
        budget: false,
    };
    w.push_action(10.0, three).unwrap();
    w.push_action(20.0, Action::FailPrimary { shard: 0 })
        .unwrap();
    run_until(&mut w, 30.0);
    let e = w
        .data
        .db_edge
        .as_ref()
        .expect("the action gave the pods a policy");
    assert_eq!(e.attempts(), 3);
    assert!(
        e.totals.retries > 0.0,
        "the writes failed over and were retried"
    );
    assert!(e.breaker.is_none());
}

#[test]
fn an_edge_the_world_lacks_is_refused_with_its_reason_and_the_consumers_take_a_breaker() {
    let bare = fixtures::steady("");
    let mut w = World::new(&bare, 1).unwrap();
    w.push_action(5.0, breaker(CallEdge::External, true))
        .unwrap();
    w.push_action(5.0, breaker(CallEdge::Consumer, true))
        .unwrap();
    run_until(&mut w, 6.0);
    let why = ignored(&w);
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(why[0].contains("external dependency"), "{why:?}");
    assert!(why[1].contains("Kafka"), "{why:?}");
    // A world with consumers gives them a closed breaker (which pauses the group
    // while open); a second "on" changes nothing.
    let mut w = World::new(&fixtures::every_tier(), 1).unwrap();
    w.push_action(5.0, breaker(CallEdge::Consumer, true))
        .unwrap();
    w.push_action(7.0, breaker(CallEdge::Consumer, true))
        .unwrap();
    run_until(&mut w, 8.0);
    let e = w.data.consumer_edge.as_ref().expect("the consumers' edge");
    assert_eq!(e.breaker_level(), 0.0);
    assert!(e.breaker.is_some());
    let why = ignored(&w);
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].contains("already on"), "{why:?}");
}

#[test]
fn an_edge_s_link_code_names_it_last_and_an_unknown_edge_is_refused() {
    use scalesim::link::{action_code, action_of_code};
    let a = breaker(CallEdge::Database, false);
    assert_eq!(action_code(&a), "bk_0_db");
    assert_eq!(action_of_code("a[0]", "bk_0_db").unwrap(), a);
    // Links made before edges had names read as the clients'.
    assert_eq!(
        action_of_code("a[0]", "bk_1").unwrap(),
        breaker(CallEdge::Client, true)
    );
    let err = action_of_code("a[2]", "rt_3_n_n_0_zz").unwrap_err();
    assert!(
        err.starts_with("a[2].edge") && err.contains("db, ex, co"),
        "{err}"
    );
    let err = action_of_code("a[2]", "bk_1_db_x").unwrap_err();
    assert!(err.contains("too many values"), "{err}");
}
