//! A call edge's protection as a learner changes it mid-run: `set_client_retries` builds
//! a new retry policy from four fields and the policy in force on its edge, and
//! `set_client_breaker` turns the edge's breaker on or off (docs/models.md#client-retries,
//! docs/models.md#circuit-breaker-on-the-clients-edge,
//! docs/models.md#retries-and-breakers-on-dependency-edges). The edge is the users'
//! clients by default, or the pods' (or consumers') client of a dependency.
//!
//! ```text
//!   set_client_retries { max_attempts, backoff, jitter, budget }
//!        + the policy in force (or the scenario's, or the defaults) ─▶ policy_after
//!        ─▶ ClientRetries::with_policy: the retries in flight keep their due tick;
//!           those the new policy has no room for give up (counters.gave_up)
//!   set_client_breaker { on }  ─▶ a closed breaker (the scenario's policy or the defaults) │ none
//! ```

use crate::sim::protection::retries::MAX_RING_CELLS;
use crate::sim::protection::{
    BackoffKind, CallEdge, CircuitBreaker, ClientRetries, EdgeProtection, RetryBudget, RetryOn,
    RetryPolicy,
};
use crate::sim::resilience::backoff::Jitter;
use crate::sim::world::World;

/// `RetryPolicy`'s serde default first sleep [ms] (`base_ms`), for clients that had no
/// policy (a native test keeps it equal to the scenario format's default).
pub const DEFAULT_BASE_MS: f64 = 100.0;
/// `RetryPolicy`'s serde default longest sleep [ms] (`cap_ms`).
pub const DEFAULT_CAP_MS: f64 = 20_000.0;

/// The policy `set_client_retries` makes from `current` (the clients' policy in force, or
/// none): its four fields set, the rest kept, or the scenario format's defaults when the
/// clients had no policy. A budget is Finagle's default one (20 %, 10/s, 10 s).
pub fn policy_after(
    current: Option<&RetryPolicy>,
    max_attempts: u32,
    backoff: BackoffKind,
    jitter: Jitter,
    budget: bool,
) -> RetryPolicy {
    let budget = budget.then(RetryBudget::default);
    match current {
        Some(p) => RetryPolicy {
            max_attempts,
            backoff,
            jitter,
            budget,
            ..p.clone()
        },
        None => RetryPolicy {
            max_attempts,
            backoff,
            base_ms: DEFAULT_BASE_MS,
            cap_ms: DEFAULT_CAP_MS,
            jitter,
            per_attempt_timeout_ms: None,
            deadline_ms: None,
            budget,
            retry_on: RetryOn::DEFAULT.to_vec(),
        },
    }
}

/// The retry policy `edge`'s client retries with now, if any.
pub fn policy_in_force(w: &World, edge: CallEdge) -> Option<&RetryPolicy> {
    match edge {
        CallEdge::Client => w.client_retries.as_ref().map(|r| &r.policy),
        CallEdge::Database | CallEdge::External | CallEdge::Consumer | CallEdge::Cache => {
            w.data.edge(edge).and_then(|e| e.retry.as_ref())
        }
    }
}

/// The policy `set_client_retries` on `edge` makes in `w`: [`policy_after`] the policy
/// in force there.
pub fn policy_for(
    w: &World,
    edge: CallEdge,
    max_attempts: u32,
    backoff: BackoffKind,
    jitter: Jitter,
    budget: bool,
) -> RetryPolicy {
    policy_after(
        policy_in_force(w, edge),
        max_attempts,
        backoff,
        jitter,
        budget,
    )
}

/// Who retries on `edge`, for the learner ("the clients", "the pods towards the database").
fn who(edge: CallEdge) -> &'static str {
    match edge {
        CallEdge::Client => "the clients",
        CallEdge::Database => "the pods towards the database",
        CallEdge::External => "the pods towards the external dependency",
        CallEdge::Consumer => "the consumers towards the database",
        CallEdge::Cache => "the pods towards the cache",
    }
}

/// Why `set_client_retries` on `edge` with this policy would change nothing, or cannot
/// run (the clients' retry ring would be over the cap at this tick); `None` when it
/// applies.
pub fn retries_unchanged(w: &World, edge: CallEdge, policy: &RetryPolicy) -> Option<String> {
    match policy_in_force(w, edge) {
        Some(p) if p == policy => {
            return Some(format!("{} already retry with this policy", who(edge)))
        }
        None if policy.max_attempts <= 1 => {
            return Some(format!(
                "{} already make one attempt and never retry",
                who(edge)
            ))
        }
        Some(_) | None => {}
    }
    if !edge.is_client() {
        return None;
    }
    ring_too_big(policy, w.tick_s, w.scenario.traffic.classes.len())
}

/// Why `policy`'s retry ring would not fit a run at `tick_s` with `classes` request
/// classes (the one rule of [`RetryPolicy::validate`] a new attempts count or backoff
/// can break; the range table bounds the attempts): `None` when it fits.
pub fn ring_too_big(policy: &RetryPolicy, tick_s: f64, classes: usize) -> Option<String> {
    let retries = policy.max_attempts.max(1) as usize - 1;
    let cells = policy.ring_slots(tick_s) * classes.max(1) * retries;
    (cells > MAX_RING_CELLS).then(|| {
        format!(
            "the clients' retry ring would need {cells} cells, over the {MAX_RING_CELLS} a run may hold: shorten [retry.client] cap_ms or lengthen run.tick_s"
        )
    })
}

/// Why `set_client_breaker { edge, on }` would change nothing ("already on", "have no
/// circuit breaker on").
pub fn breaker_unchanged(w: &World, edge: CallEdge, on: bool) -> Option<String> {
    match (on, has_breaker(w, edge)) {
        (true, true) => Some(format!("{}' circuit breaker is already on", who(edge))),
        (false, false) => Some(format!("{} have no circuit breaker on", who(edge))),
        (true, false) | (false, true) => None,
    }
}

/// Whether `edge` has a circuit breaker now (the scenario's or a learner's).
pub fn has_breaker(w: &World, edge: CallEdge) -> bool {
    match edge {
        CallEdge::Client => w.client_breaker.is_some(),
        CallEdge::Database | CallEdge::External | CallEdge::Cache | CallEdge::Consumer => {
            w.data.edge(edge).is_some_and(|e| e.breaker.is_some())
        }
    }
}

/// Gives `edge`'s client `policy`. On the clients' edge the retries in flight carry
/// over ([`ClientRetries::with_policy`]) and those it drops give up; on a dependency
/// edge the next calls retry so ([`EdgeProtection::set_retry`]).
pub fn set_retries(w: &mut World, edge: CallEdge, policy: RetryPolicy) {
    let tick_s = w.tick_s;
    if let Some((slot, flows, hops)) = w.data.edge_slot(edge) {
        match slot.as_mut() {
            Some(e) => e.set_retry(Some(policy), tick_s),
            None => *slot = EdgeProtection::new(Some(policy), None, flows, hops, tick_s),
        }
        return;
    }
    let next = match w.client_retries.as_ref() {
        Some(r) => {
            let (next, dropped) = r.with_policy(policy, tick_s);
            w.counters.gave_up += dropped;
            next
        }
        None => ClientRetries::new(policy, w.scenario.traffic.classes.len(), tick_s),
    };
    w.client_retries = Some(next);
}

/// Turns `edge`'s breaker on (closed, with the scenario's policy or the defaults) or off
/// (every call goes through from this tick).
pub fn set_breaker(w: &mut World, edge: CallEdge, on: bool) {
    let tick_s = w.tick_s;
    let policy = on.then(|| {
        let p = w.scenario.breaker.get(edge).cloned().unwrap_or_default();
        match edge {
            CallEdge::Cache => crate::sim::tiers::cache_aside(p),
            CallEdge::Client | CallEdge::Database | CallEdge::External | CallEdge::Consumer => p,
        }
    });
    match w.data.edge_slot(edge) {
        Some((slot, flows, hops)) => match slot.as_mut() {
            Some(e) => e.set_breaker(policy, tick_s),
            None => *slot = EdgeProtection::new(None, policy, flows, hops, tick_s),
        },
        None => w.client_breaker = policy.map(|p| CircuitBreaker::new(p, tick_s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_without_a_policy_get_the_scenario_formats_defaults() {
        let read: RetryPolicy = toml::from_str(
            "max_attempts = 4\nbackoff = \"exponential\"\njitter = \"full\"\nbudget = {}\n",
        )
        .unwrap();
        let made = policy_after(None, 4, BackoffKind::Exponential, Jitter::Full, true);
        assert_eq!(made, read);
    }

    #[test]
    fn a_ring_over_the_cap_is_refused_as_validate_refuses_it() {
        let mut p = policy_after(None, 10, BackoffKind::Exponential, Jitter::None, false);
        p.cap_ms = 600_000.0;
        p.base_ms = 600_000.0;
        let why = ring_too_big(&p, 0.01, 5).unwrap();
        assert!(why.contains("cells"), "{why}");
        assert!(p.validate("retry.client", 0.01, 5).is_err());
        assert_eq!(ring_too_big(&p, 1.0, 5), None);
        assert!(p.validate("retry.client", 1.0, 5).is_ok());
    }

    #[test]
    fn a_new_policy_keeps_the_fields_the_action_does_not_set() {
        let mut p = policy_after(None, 4, BackoffKind::None, Jitter::None, false);
        p.per_attempt_timeout_ms = Some(2000.0);
        p.base_ms = 250.0;
        let q = policy_after(Some(&p), 3, BackoffKind::Constant, Jitter::Equal, false);
        assert_eq!(
            (q.per_attempt_timeout_ms, q.base_ms, q.max_attempts),
            (Some(2000.0), 250.0, 3)
        );
        assert_eq!(q.jitter, Jitter::Equal);
    }
}
