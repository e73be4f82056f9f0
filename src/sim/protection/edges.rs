//! Retries and circuit breakers on the service's own calls: pod → database, pod → the
//! external dependency (and the hops behind it), consumer → database
//! (docs/models.md#retries-and-breakers-on-dependency-edges).
//!
//! ```text
//!   requests' calls n ─▶ [breaker] ─admitted─▶ layer 0 ─▶ layer 1 ─▶ … ─▶ callee (f this tick)
//!                            └─ rejected: fail fast       each layer: calls = first · S(f_prev)
//!   S(f) = 1 + f + … + f^(A−1) = (1 − f^A)/(1 − f)   (A attempts within the deadline, budget caps)
//!   back up: ok = min(requests, (1 − f) · calls); the layer above sees 1 − ok / requests
//! ```
//!
//! A dependency call retries within its request, so its retries land on the callee in
//! the same tick. How many a layer sends depends on how many of its calls fail, which
//! the callee decides only after it has taken them: each layer sends `S(f_prev)` calls
//! per first call with `f_prev` the retryable failure share it saw the tick before (a
//! one-tick lag, like a client reacting to what it saw). Each retry is a call, so layers
//! multiply: 3 attempts on each of 4 layers make 3⁴ = 81 calls to a dead leaf.
//!
//! Going back up, a layer's requests succeed as far as its successful calls allow:
//! `ok = min(requests, (1 − f) · calls)`. In steady state (`f_prev = f`) that is the
//! geometric `1 − f^A` of independent attempts; after a recovery (`f_prev = 1`, `f = 0`)
//! every request succeeds at once, its extra calls wasted.
//!
//! The breaker is resilience4j's, read as on the clients' edge
//! ([`super::breaker`]): it counts the pod layer's calls and their failures, and while
//! open fails the requests' calls at once (no load on the callee): an error, or the
//! `fallback` (a default answer, a cached value), which serves the request degraded.

use super::breaker::{BreakerChange, BreakerPolicy, CircuitBreaker};
use super::retries::{BudgetWindow, RetryOn, RetryPolicy};
use serde::{Deserialize, Serialize};

/// One layer of an edge: its callers' calls and what they saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Layer {
    /// The retryable failure share of this layer's calls the tick before [0..1].
    f_prev: f64,
    /// This tick: first calls and all calls (retries included) [calls].
    first: f64,
    calls: f64,
    /// The retry budget's window.
    budget: BudgetWindow,
}

/// One tick of an edge [calls, or requests where said].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeTick {
    /// The requests' first calls [calls].
    pub first: f64,
    /// Failed at once by the open breaker [calls].
    pub rejected: f64,
    /// Of those, served by the fallback [calls].
    pub fallback: f64,
    /// Calls that reached the deepest callee [calls].
    pub calls: f64,
    /// Retries sent, every layer's [calls].
    pub retries: f64,
    /// First calls that failed after their retries (the breaker's rejections not
    /// counted) [calls].
    pub failed: f64,
    /// Mean time the pod layer's retries add to a request: the sleeps and the retried
    /// calls [ms].
    pub retry_ms: f64,
}

impl EdgeTick {
    /// Calls at the deepest callee per first call (the amplification) [calls/call].
    pub fn amplification(&self) -> f64 {
        let sent = self.first - self.rejected;
        if sent > 0.0 {
            self.calls / sent
        } else {
            1.0
        }
    }
}

/// An edge's figures since the start [calls].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgeTotals {
    /// The requests' first calls.
    pub first: f64,
    /// Retries sent, every layer's.
    pub retries: f64,
    /// Calls that reached the deepest callee.
    pub calls: f64,
    /// Failed at once by the open breaker.
    pub rejected: f64,
    /// Of those, served by the fallback.
    pub fallback: f64,
    /// First calls that failed after their retries.
    pub failed: f64,
    /// The most calls at the deepest callee per first call in a tick.
    pub peak_amplification: f64,
}

/// Attempts per call `retry` allows within its deadline (the first included; 1 without a
/// policy) and the mean sleep before each retry [ms] (the middle of its window).
fn attempts_and_sleeps(retry: Option<&RetryPolicy>) -> (u32, Vec<f64>) {
    let (mut attempts, mut slept, mut sleeps_ms) = (1, 0.0, Vec::new());
    if let Some(p) = retry {
        for n in 1..p.max_attempts.max(1) {
            let (lo, hi) = p.sleep_window_ms(n);
            slept += lo;
            if p.deadline_ms.is_some_and(|d| slept > d) {
                break;
            }
            attempts += 1;
            sleeps_ms.push((lo + hi) / 2.0);
        }
    }
    (attempts, sleeps_ms)
}

/// A dependency edge's protection: retries within the request on each of its layers,
/// and a breaker on the pods' side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeProtection {
    /// The retry policy of every layer; `None` never retries.
    pub retry: Option<RetryPolicy>,
    /// Attempts the deadline allows, the first included.
    attempts: u32,
    /// Mean sleep before each retry (index n − 1) [ms].
    sleeps_ms: Vec<f64>,
    /// The breaker on the pod layer.
    pub breaker: Option<CircuitBreaker>,
    /// Whether the breaker's rejections are served by a fallback.
    fallback: bool,
    /// Per flow of calls (the database's reads and writes fail apart), its layers:
    /// layer 0 is the pods' (or consumers') call; the last calls the callee.
    flows: Vec<Vec<Layer>>,
    /// This tick.
    pub last: EdgeTick,
    /// Since the start.
    pub totals: EdgeTotals,
}

impl EdgeProtection {
    /// An edge of `flows` flows of calls (at least 1) over `hops` layers (at least 1) at
    /// `tick_s` ticks, or `None` when it has neither a retry policy nor a breaker (the
    /// policies were validated).
    pub fn new(
        retry: Option<RetryPolicy>,
        breaker: Option<BreakerPolicy>,
        flows: usize,
        hops: u32,
        tick_s: f64,
    ) -> Option<Self> {
        if retry.is_none() && breaker.is_none() {
            return None;
        }
        let (attempts, sleeps_ms) = attempts_and_sleeps(retry.as_ref());
        let budget = retry.as_ref().and_then(|p| p.budget.as_ref());
        let layers: Vec<Layer> = (0..hops.max(1))
            .map(|_| Layer {
                f_prev: 0.0,
                first: 0.0,
                calls: 0.0,
                budget: BudgetWindow::new(budget, tick_s),
            })
            .collect();
        let flows = vec![layers; flows.max(1)];
        Some(Self {
            attempts,
            sleeps_ms,
            fallback: breaker.as_ref().is_some_and(|b| b.fallback),
            breaker: breaker.map(|b| CircuitBreaker::new(b, tick_s)),
            flows,
            retry,
            last: EdgeTick::default(),
            totals: EdgeTotals::default(),
        })
    }

    /// Gives every layer `retry` from this tick (a learner's action): the calls' failure
    /// shares carry over; each layer's retry budget starts empty when the budget changes.
    pub fn set_retry(&mut self, retry: Option<RetryPolicy>, tick_s: f64) {
        let budget = retry.as_ref().and_then(|p| p.budget.as_ref());
        if budget != self.retry.as_ref().and_then(|p| p.budget.as_ref()) {
            for layer in self.flows.iter_mut().flatten() {
                layer.budget = BudgetWindow::new(budget, tick_s);
            }
        }
        (self.attempts, self.sleeps_ms) = attempts_and_sleeps(retry.as_ref());
        self.retry = retry;
    }

    /// Gives the pod layer `breaker` (closed) or none from this tick (a learner's
    /// action): with none, every call goes through.
    pub fn set_breaker(&mut self, breaker: Option<BreakerPolicy>, tick_s: f64) {
        self.fallback = breaker.as_ref().is_some_and(|b| b.fallback);
        self.breaker = breaker.map(|b| CircuitBreaker::new(b, tick_s));
    }

    /// Attempts per call the deadline allows, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Layers of calls from the pods to the callee.
    pub fn hops(&self) -> usize {
        self.flows[0].len()
    }

    /// Of `parts` (failures by the kind a policy may retry), those this edge's policy
    /// retries [calls]; none without a policy.
    pub fn retried(&self, parts: &[(RetryOn, f64)]) -> f64 {
        match &self.retry {
            Some(p) => parts
                .iter()
                .filter(|(kind, _)| p.retries(*kind))
                .map(|(_, n)| n)
                .sum(),
            None => 0.0,
        }
    }

    /// The breaker's slow-call duration [ms], if it has a breaker.
    pub fn slow_call_ms(&self) -> Option<f64> {
        self.breaker
            .as_ref()
            .map(|b| b.policy.slow_call_duration_threshold_ms)
    }

    /// How many first calls its breaker would let through at `now_s` [calls]
    /// ([`CircuitBreaker::permits`]; unbounded without a breaker), and a change of the
    /// breaker's state (open past its wait turns half-open).
    pub fn permits(&mut self, now_s: f64) -> (f64, Option<BreakerChange>) {
        match self.breaker.as_mut() {
            Some(b) => b.permits(now_s),
            None => (f64::INFINITY, None),
        }
    }

    /// Whether the open breaker's calls are served by the fallback.
    pub fn has_fallback(&self) -> bool {
        self.fallback
    }

    /// Stage 7, before the callee: the requests' `first` calls of each flow at `now_s`
    /// go through the breaker and the layers; `calls` gets each flow's calls that reach
    /// the callee [calls]. Returns a change of the breaker's state.
    pub fn offer(&mut self, now_s: f64, first: &[f64], calls: &mut [f64]) -> Option<BreakerChange> {
        let total: f64 = first.iter().sum();
        let (admitted, change) = match self.breaker.as_mut() {
            Some(b) => b.admit(now_s, total),
            None => (total, None),
        };
        let k = if total > 0.0 { admitted / total } else { 1.0 };
        let budget = self.retry.as_ref().and_then(|p| p.budget.as_ref());
        let (mut reached, mut retries) = (0.0, 0.0);
        for ((layers, n), out) in self.flows.iter_mut().zip(first).zip(calls.iter_mut()) {
            let mut c = n * k;
            for layer in layers.iter_mut() {
                let f = layer.f_prev;
                // 1 + f + … + f^(A−1) per first call.
                let (mut s, mut term) = (0.0, 1.0);
                for _ in 0..self.attempts {
                    s += term;
                    term *= f;
                }
                let r = (c * (s - 1.0)).min(layer.budget.allowed(budget, c));
                layer.first = c;
                layer.calls = c + r;
                retries += r;
                c = layer.calls;
            }
            *out = c;
            reached += c;
        }
        let rejected = total - admitted;
        self.last = EdgeTick {
            first: total,
            rejected,
            fallback: if self.fallback { rejected } else { 0.0 },
            calls: reached,
            retries,
            failed: 0.0,
            retry_ms: 0.0,
        };
        change
    }

    /// Stage 7, after the callee: of each flow's calls, `fail` failed this tick and
    /// `retryable` were of a kind the policy retries (shares of its calls, 0..1);
    /// `slow` of the pod layer's calls were slower than the breaker's slow-call duration
    /// (0..1; see [`Self::slow_call_ms`]); `attempt_ms` is a call's mean time. `share` gets, per flow, the share of the
    /// requests' first calls that failed (the breaker's rejections included unless the
    /// fallback served them) [0..1]. Returns a change of the breaker's state at `end_s`.
    pub fn settle(
        &mut self,
        end_s: f64,
        fail: &[f64],
        retryable: &[f64],
        slow: f64,
        attempt_ms: f64,
        share: &mut [f64],
    ) -> Option<BreakerChange> {
        let budget_on = self.retry.as_ref().is_some_and(|p| p.budget.is_some());
        let (mut pod_calls, mut pod_failed, mut failed) = (0.0, 0.0, 0.0);
        let last = self.last;
        let rejected_share = if last.first > 0.0 {
            (last.rejected - last.fallback) / last.first
        } else {
            0.0
        };
        let k = if last.first > 0.0 {
            1.0 - last.rejected / last.first
        } else {
            1.0
        };
        let mut f0_sum = (0.0, 0.0);
        for (((layers, f), r), out) in self
            .flows
            .iter_mut()
            .zip(fail)
            .zip(retryable)
            .zip(share.iter_mut())
        {
            let (mut g, mut g_r) = (f.clamp(0.0, 1.0), r.clamp(0.0, f.max(0.0)));
            if g < 1e-12 {
                (g, g_r) = (0.0, 0.0);
            }
            for (i, layer) in layers.iter_mut().enumerate().rev() {
                // What this layer's calls saw decides its retries next tick.
                layer.f_prev = g_r;
                if budget_on {
                    layer.budget.push(layer.first, layer.calls - layer.first);
                }
                let ok = layer.first.min((1.0 - g) * layer.calls);
                let failed_share = if layer.first > 0.0 {
                    (1.0 - ok / layer.first).clamp(0.0, 1.0)
                } else {
                    g
                };
                // `1 − ok / first` leaves a few ulps where nothing failed: no retries
                // are sent for rounding.
                let failed_share = if failed_share < 1e-12 {
                    0.0
                } else {
                    failed_share
                };
                // A failure passed up keeps the retryable share it had.
                g_r = if g > 0.0 { failed_share * g_r / g } else { 0.0 };
                if i == 0 {
                    pod_calls += layer.calls;
                    pod_failed += layer.calls * g;
                }
                g = failed_share;
            }
            let first = layers[0].first;
            f0_sum.0 += first * layers[0].f_prev;
            f0_sum.1 += first;
            failed += first * g;
            // Per first call of the flow, rejected ones included (k of them were sent).
            *out = (k * g + rejected_share).clamp(0.0, 1.0);
        }
        let change = match self.breaker.as_mut() {
            Some(b) => b.record(
                end_s,
                pod_calls,
                pod_failed,
                pod_calls * slow.clamp(0.0, 1.0),
            ),
            None => None,
        };
        self.last.failed = failed;
        let (t, l) = (&mut self.totals, &self.last);
        t.first += l.first;
        t.retries += l.retries;
        t.calls += l.calls;
        t.rejected += l.rejected;
        t.fallback += l.fallback;
        t.failed += l.failed;
        t.peak_amplification = t.peak_amplification.max(l.amplification());
        // The pods' own retries: the n-th is made with probability f_prev^n.
        let f0 = if f0_sum.1 > 0.0 {
            f0_sum.0 / f0_sum.1
        } else {
            0.0
        };
        let mut p = 1.0;
        self.last.retry_ms = 0.0;
        for sleep in &self.sleeps_ms {
            p *= f0;
            self.last.retry_ms += p * (sleep + attempt_ms);
        }
        change
    }

    /// The breaker's state as a number for the series: 0 closed, 0.5 half-open, 1 open
    /// (0 with no breaker).
    pub fn breaker_level(&self) -> f64 {
        self.breaker.as_ref().map_or(0.0, CircuitBreaker::level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::protection::{BackoffKind, RetryBudget};
    use crate::sim::resilience::backoff::Jitter;
    use crate::sim::resilience::circuit_breaker::CbState;

    fn policy(attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts: attempts,
            backoff: BackoffKind::Exponential,
            base_ms: 100.0,
            cap_ms: 20_000.0,
            jitter: Jitter::Full,
            per_attempt_timeout_ms: None,
            deadline_ms: None,
            budget: None,
            retry_on: RetryOn::DEFAULT.to_vec(),
        }
    }

    /// Runs `ticks` ticks of `n` first calls against a callee failing `f` of its calls.
    fn steady(e: &mut EdgeProtection, n: f64, f: f64, ticks: usize) -> (f64, f64) {
        let mut out = (0.0, 0.0);
        for t in 0..ticks {
            out = tick(e, t as f64, n, f, f);
        }
        out
    }

    /// One tick of `n` first calls, the callee failing `f` (`r` retryable): (calls at
    /// the callee, share of the first calls failed), and the breaker's changes.
    fn tick_with(
        e: &mut EdgeProtection,
        t: f64,
        n: f64,
        f: f64,
        r: f64,
    ) -> ((f64, f64), [Option<CbState>; 2]) {
        let mut calls = [0.0];
        let a = e.offer(t, &[n], &mut calls);
        let mut share = [0.0];
        let b = e.settle(t + 1.0, &[f], &[r], 0.0, 10.0, &mut share);
        ((calls[0], share[0]), [a.map(|c| c.to), b.map(|c| c.to)])
    }

    fn tick(e: &mut EdgeProtection, t: f64, n: f64, f: f64, r: f64) -> (f64, f64) {
        tick_with(e, t, n, f, r).0
    }

    #[test]
    fn three_attempts_on_four_layers_make_eighty_one_calls_to_a_dead_leaf() {
        // Three layers here (pod → hop → hop → leaf); the clients' own retries make the fourth.
        let mut e = EdgeProtection::new(Some(policy(3)), None, 1, 3, 1.0).unwrap();
        let (calls, share) = steady(&mut e, 100.0, 1.0, 5);
        assert_eq!(calls, 100.0 * 27.0);
        assert_eq!(share, 1.0);
        assert_eq!(e.last.amplification(), 27.0);
        // The clients' three attempts multiply it once more: 3 · 27 = 81.
    }

    #[test]
    fn in_steady_state_a_layer_follows_the_geometric_sum() {
        for (f, a) in [(0.5, 4u32), (0.2, 3), (0.9, 5)] {
            let mut e = EdgeProtection::new(Some(policy(a)), None, 1, 1, 1.0).unwrap();
            let (calls, share) = steady(&mut e, 1000.0, f, 10);
            let s = (1.0 - f64::powi(f, a as i32)) / (1.0 - f);
            assert!((calls - 1000.0 * s).abs() < 1e-6, "{calls}");
            // Requests fail only when every attempt does: f^A.
            assert!((share - f64::powi(f, a as i32)).abs() < 1e-9, "{share}");
        }
    }

    #[test]
    fn a_recovered_callee_serves_every_request_at_once() {
        let mut e = EdgeProtection::new(Some(policy(3)), None, 1, 1, 1.0).unwrap();
        steady(&mut e, 100.0, 1.0, 3);
        let (calls, share) = tick(&mut e, 3.0, 100.0, 0.0, 0.0);
        assert_eq!(calls, 300.0, "the retries sent on what it saw last tick");
        assert_eq!(share, 0.0);
        let (calls, _) = tick(&mut e, 4.0, 100.0, 0.0, 0.0);
        assert_eq!(calls, 100.0);
    }

    #[test]
    fn a_budget_caps_each_layers_retries() {
        let p = RetryPolicy {
            budget: Some(RetryBudget {
                percent_can_retry: 20.0,
                min_retries_per_s: 0.0,
                ttl_s: 10.0,
            }),
            ..policy(3)
        };
        let mut e = EdgeProtection::new(Some(p), None, 1, 2, 1.0).unwrap();
        let (calls, _) = steady(&mut e, 1000.0, 1.0, 30);
        assert!((calls - 1000.0 * 1.2 * 1.2).abs() < 1.0, "{calls}");
    }

    #[test]
    fn non_retryable_failures_fail_without_retries() {
        let mut e = EdgeProtection::new(Some(policy(3)), None, 1, 1, 1.0).unwrap();
        for t in 0..5 {
            let (calls, share) = tick(&mut e, t as f64, 100.0, 0.4, 0.0);
            assert_eq!(calls, 100.0);
            assert!((share - 0.4).abs() < 1e-12);
        }
    }

    #[test]
    fn an_open_breaker_stops_the_load_and_the_fallback_serves_the_requests() {
        let b = BreakerPolicy {
            minimum_calls: 10.0,
            wait_in_open_s: 5.0,
            ..BreakerPolicy::default()
        };
        for fallback in [false, true] {
            let policy = BreakerPolicy {
                fallback,
                ..b.clone()
            };
            let mut e = EdgeProtection::new(None, Some(policy), 1, 1, 1.0).unwrap();
            let (_, changes) = tick_with(&mut e, 0.0, 100.0, 1.0, 1.0);
            assert_eq!(changes, [None, Some(CbState::Open)]);
            let ((calls, share), _) = tick_with(&mut e, 1.0, 100.0, 0.0, 0.0);
            assert_eq!(calls, 0.0, "no load on the callee while open");
            assert_eq!(share, if fallback { 0.0 } else { 1.0 });
            // Half-open after the wait: the trial calls pass and close it.
            let ((calls, _), changes) = tick_with(&mut e, 6.5, 100.0, 0.0, 0.0);
            assert_eq!(calls, 10.0);
            assert_eq!(changes, [Some(CbState::HalfOpen), Some(CbState::Closed)]);
        }
    }

    #[test]
    fn flows_fail_apart_and_share_one_breaker() {
        // Reads succeed, writes all fail: the writes are tried 3 times and fail, the
        // reads once and pass.
        let mut e = EdgeProtection::new(Some(policy(3)), None, 2, 1, 1.0).unwrap();
        let mut calls = [0.0; 2];
        let mut share = [0.0; 2];
        for t in 0..4 {
            e.offer(t as f64, &[900.0, 100.0], &mut calls);
            e.settle(
                t as f64 + 1.0,
                &[0.0, 1.0],
                &[0.0, 1.0],
                0.0,
                5.0,
                &mut share,
            );
        }
        assert_eq!(calls, [900.0, 300.0]);
        assert_eq!(share, [0.0, 1.0]);
    }

    #[test]
    fn retries_add_their_sleeps_and_calls_to_the_request() {
        let mut e = EdgeProtection::new(Some(policy(3)), None, 1, 1, 1.0).unwrap();
        steady(&mut e, 100.0, 0.5, 3);
        // Full jitter: mean sleeps 50 and 100 ms; retries with probability 0.5 and 0.25.
        assert!((e.last.retry_ms - (0.5 * 60.0 + 0.25 * 110.0)).abs() < 1e-9);
    }
}
