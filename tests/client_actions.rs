//! The clients' protection changed mid-run (`set_client_retries`, `set_client_breaker`):
//! the retries in flight carry over or give up, requests stay conserved, a breaker turned
//! off lets traffic through at once, and an action that changes nothing says why.

mod fixtures;

use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::events::SimEvent;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::protection::BackoffKind;
use scalesim::sim::resilience::backoff::Jitter;
use scalesim::sim::resilience::circuit_breaker::CbState;
use scalesim::sim::{run_until, step, World};

fn retry_storm() -> Scenario {
    load("retry-storm", built_in("retry-storm").unwrap()).unwrap()
}

fn retries(max_attempts: u32, backoff: BackoffKind, jitter: Jitter, budget: bool) -> Action {
    Action::SetClientRetries {
        max_attempts,
        backoff,
        jitter,
        budget,
    }
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
    w.push_action(0.0, Action::SetClientBreaker { on: true })
        .unwrap();
    run_until(&mut w, 320.0);
    let b = w.client_breaker.as_ref().expect("a breaker");
    assert_eq!(b.state, CbState::Open, "every login fails from T+5:00");
    // Open: every login fails at once, none reaches the pods.
    let open = |w: &World| w.counters.failures[FailureReason::CircuitOpen];
    let before = open(&w);
    step(&mut w);
    assert!(open(&w) - before > 700.0, "{}", open(&w) - before);
    w.push_action(321.0, Action::SetClientBreaker { on: false })
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
    w.push_action(5.0, Action::SetClientBreaker { on: false })
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
