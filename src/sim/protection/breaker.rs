//! A circuit breaker on the clients' edge, over aggregate flows
//! (docs/models.md#circuit-breaker-on-the-clients-edge).
//!
//! ```text
//!            failure rate ≥ threshold over the window         first tick after the wait
//!   CLOSED ─────────────(≥ minimum calls)────────────▶ OPEN ──────────────────────────▶ HALF_OPEN
//!     ▲                                                 ▲        trial failure rate ≥ threshold │
//!     │                                                 └───────────────────────────────────────┤
//!     └──────────────────────── trial failure rate below the threshold ◀───────────────────────┘
//! ```
//!
//! resilience4j's semantics ([`crate::sim::resilience::circuit_breaker`]) read for a
//! population of clients sharing one breaker, as a gateway or a sidecar would: a
//! time-based window of `sliding_window_s` seconds counts the calls and failures of each
//! tick; the breaker opens when at least `minimum_calls` calls are in the window and
//! their failure rate is at or above the threshold. Open, it fails every call at once
//! (no load reaches the service; the failure reason is "circuit open", which clients do
//! not retry unless `retry_on` names it); on the first tick strictly after
//! `wait_in_open_s`, it turns half-open and lets `permitted_calls_in_half_open` trial
//! calls through, failing the rest at once; once they are through, their failure rate
//! (the tick's failure share) closes it with a fresh window or opens it again.

use crate::sim::resilience::circuit_breaker::CbState;
use serde::{Deserialize, Serialize};

fn default_threshold_pct() -> f64 {
    50.0
}
fn default_window_s() -> f64 {
    10.0
}
fn default_minimum_calls() -> f64 {
    100.0
}
fn default_wait_s() -> f64 {
    60.0
}
fn default_permitted() -> f64 {
    10.0
}
fn default_slow_rate_pct() -> f64 {
    100.0
}
fn default_slow_ms() -> f64 {
    60_000.0
}

/// `[breaker.client]`: resilience4j's `CircuitBreakerConfig` with a time-based window
/// (its defaults, except the window: 10 s instead of 100 calls).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerPolicy {
    /// Opens at or above this failure rate [%] (default 50).
    #[serde(default = "default_threshold_pct")]
    pub failure_rate_threshold_pct: f64,
    /// The window the failure rate is measured over [s] (default 10).
    #[serde(default = "default_window_s")]
    pub sliding_window_s: f64,
    /// Calls the window must hold before the rate counts [calls] (default 100).
    #[serde(default = "default_minimum_calls")]
    pub minimum_calls: f64,
    /// How long it stays open before trying again [s] (default 60).
    #[serde(default = "default_wait_s")]
    pub wait_in_open_s: f64,
    /// Trial calls let through when half-open [calls] (default 10).
    #[serde(default = "default_permitted")]
    pub permitted_calls_in_half_open: f64,
    /// Also opens at or above this share of slow calls [%] (resilience4j's
    /// `slowCallRateThreshold`, default 100: only when every call is slow).
    #[serde(default = "default_slow_rate_pct")]
    pub slow_call_rate_threshold_pct: f64,
    /// A call slower than this is slow [ms] (resilience4j's
    /// `slowCallDurationThreshold`, default 60,000).
    #[serde(default = "default_slow_ms")]
    pub slow_call_duration_threshold_ms: f64,
    /// Dependency edges only: the open breaker's calls are served by a fallback (a
    /// default answer, a cached value) instead of failing (default false).
    #[serde(default)]
    pub fallback: bool,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        Self {
            failure_rate_threshold_pct: default_threshold_pct(),
            sliding_window_s: default_window_s(),
            minimum_calls: default_minimum_calls(),
            wait_in_open_s: default_wait_s(),
            permitted_calls_in_half_open: default_permitted(),
            slow_call_rate_threshold_pct: default_slow_rate_pct(),
            slow_call_duration_threshold_ms: default_slow_ms(),
            fallback: false,
        }
    }
}

/// The scenario's `[breaker]` tables: one breaker per call edge.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSection {
    /// The clients' breaker towards the service (before the CDN or the load balancer).
    #[serde(default)]
    pub client: Option<BreakerPolicy>,
    /// The pods' breaker towards the database.
    #[serde(default)]
    pub database: Option<BreakerPolicy>,
    /// The pods' breaker towards the external dependency.
    #[serde(default)]
    pub external: Option<BreakerPolicy>,
    /// The pods' breaker towards the cache: while open, GETs skip the cache and read
    /// the database (cache-aside's own fallback).
    #[serde(default)]
    pub cache: Option<BreakerPolicy>,
    /// The consumers' breaker towards the database: while open, the consumer group is
    /// paused (the writes wait in Kafka and the lag grows) instead of dead-lettering
    /// writes that would fail; half-open, it consumes its trial writes.
    #[serde(default)]
    pub consumer: Option<BreakerPolicy>,
}

impl BreakerSection {
    /// The breaker of call edge `edge`, if the scenario has one.
    pub fn get(&self, edge: super::CallEdge) -> Option<&BreakerPolicy> {
        use super::CallEdge as E;
        match edge {
            E::Client => self.client.as_ref(),
            E::Database => self.database.as_ref(),
            E::External => self.external.as_ref(),
            E::Cache => self.cache.as_ref(),
            E::Consumer => self.consumer.as_ref(),
        }
    }

    /// [`Self::get`], to change.
    pub fn get_mut(&mut self, edge: super::CallEdge) -> Option<&mut BreakerPolicy> {
        use super::CallEdge as E;
        match edge {
            E::Client => self.client.as_mut(),
            E::Database => self.database.as_mut(),
            E::External => self.external.as_mut(),
            E::Cache => self.cache.as_mut(),
            E::Consumer => self.consumer.as_mut(),
        }
    }

    /// The rules the range table cannot state; errors are (field path, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.client.as_ref().is_some_and(|b| b.fallback) {
            return Err((
                "breaker.client.fallback".into(),
                "is true, but the clients' breaker has no fallback to serve: it fails the calls it refuses; set a fallback on a dependency edge ([breaker.database] or [breaker.external])".into(),
            ));
        }
        if self.cache.as_ref().is_some_and(|b| b.fallback) {
            return Err((
                "breaker.cache.fallback".into(),
                "is set, but the cache's breaker always falls back to the database (the GETs it refuses read the database): leave it out".into(),
            ));
        }
        if self.consumer.as_ref().is_some_and(|b| b.fallback) {
            return Err((
                "breaker.consumer.fallback".into(),
                "is set, but the consumers' breaker pauses the consumer group while open (the writes wait in Kafka): there is nothing to fall back to; leave it out".into(),
            ));
        }
        Ok(())
    }
}

/// A change of state, for the event log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerChange {
    /// The new state.
    pub to: CbState,
    /// The failure rate that decided it [%] (0 when it turns half-open).
    pub failure_rate_pct: f64,
    /// The calls that rate is over [calls].
    pub calls: f64,
    /// The slow-call rate over the same calls [%].
    pub slow_call_rate_pct: f64,
}

impl BreakerChange {
    /// The timeline's event of this change at `t_s`, on `edge` under `policy`.
    pub fn event(
        self,
        t_s: f64,
        policy: &BreakerPolicy,
        edge: super::CallEdge,
    ) -> crate::sim::events::SimEvent {
        // Slow calls decided it when the failure rate alone would not have.
        let by_slow =
            self.to == CbState::Open && self.failure_rate_pct < policy.failure_rate_threshold_pct;
        crate::sim::events::SimEvent::BreakerChanged {
            t_s,
            to: self.to,
            failure_rate_pct: self.failure_rate_pct,
            calls: self.calls,
            wait_s: policy.wait_in_open_s,
            edge,
            slow_call_rate_pct: if by_slow {
                self.slow_call_rate_pct
            } else {
                0.0
            },
            slow_ms: if by_slow {
                policy.slow_call_duration_threshold_ms
            } else {
                0.0
            },
            fallback: policy.fallback,
        }
    }
}

/// A call edge's breaker (the clients', or the pods' towards a dependency): its state and its
/// window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CircuitBreaker {
    /// The policy.
    pub policy: BreakerPolicy,
    /// The state.
    pub state: CbState,
    /// When it last opened [s].
    pub opened_at_s: f64,
    /// Per tick of the window: (calls, failed, slow).
    window: Vec<(f64, f64, f64)>,
    head: usize,
    calls: f64,
    failed: f64,
    #[serde(default)]
    slow: f64,
    /// Half-open: trial calls let through so far, and those that failed.
    trial_calls: f64,
    trial_failed: f64,
    #[serde(default)]
    trial_slow: f64,
    /// Calls let through this tick (half-open trials).
    admitted_now: f64,
}

impl CircuitBreaker {
    /// A closed breaker at `tick_s` ticks.
    pub fn new(policy: BreakerPolicy, tick_s: f64) -> Self {
        let slots = ((policy.sliding_window_s / tick_s).ceil() as usize).max(1);
        Self {
            policy,
            state: CbState::Closed,
            opened_at_s: f64::NEG_INFINITY,
            window: vec![(0.0, 0.0, 0.0); slots],
            head: 0,
            calls: 0.0,
            failed: 0.0,
            slow: 0.0,
            trial_calls: 0.0,
            trial_failed: 0.0,
            trial_slow: 0.0,
            admitted_now: 0.0,
        }
    }

    /// Stage 2: of `attempts` arriving at `now_s`, how many it lets through; an open
    /// breaker past its wait turns half-open first (returned as a change).
    pub fn admit(&mut self, now_s: f64, attempts: f64) -> (f64, Option<BreakerChange>) {
        let (room, change) = self.permits(now_s);
        let admitted = attempts.min(room);
        self.admitted_now = admitted;
        (admitted, change)
    }

    /// How many calls it would let through at `now_s` [calls]: unbounded closed, none
    /// open, the trial calls left half-open. An open breaker past its wait turns
    /// half-open first (returned as a change). A paused consumer group asks before it
    /// polls, so it takes no more than the breaker admits.
    pub fn permits(&mut self, now_s: f64) -> (f64, Option<BreakerChange>) {
        let mut change = None;
        if self.state == CbState::Open && now_s > self.opened_at_s + self.policy.wait_in_open_s {
            self.state = CbState::HalfOpen;
            self.trial_calls = 0.0;
            self.trial_failed = 0.0;
            self.trial_slow = 0.0;
            change = Some(BreakerChange {
                to: CbState::HalfOpen,
                failure_rate_pct: 0.0,
                calls: 0.0,
                slow_call_rate_pct: 0.0,
            });
        }
        let room = match self.state {
            CbState::Closed => f64::INFINITY,
            CbState::Open => 0.0,
            CbState::HalfOpen => {
                (self.policy.permitted_calls_in_half_open - self.trial_calls).max(0.0)
            }
        };
        (room, change)
    }

    /// Stage 9: the tick's outcome, `failed` of `concluded` calls (the rejected ones
    /// left out) and `slow` of them slower than the slow-call duration, at the end of
    /// the tick `end_s`; returns a change of state. It opens when either rate reaches its
    /// threshold.
    pub fn record(
        &mut self,
        end_s: f64,
        concluded: f64,
        failed: f64,
        slow: f64,
    ) -> Option<BreakerChange> {
        let share = |part: f64| {
            if concluded > 0.0 {
                (part / concluded).clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let (fail_share, slow_share) = (share(failed), share(slow));
        let p = &self.policy;
        let trips = |fail_pct: f64, slow_pct: f64| {
            fail_pct >= p.failure_rate_threshold_pct || slow_pct >= p.slow_call_rate_threshold_pct
        };
        match self.state {
            CbState::Closed => {
                let slot = &mut self.window[self.head];
                self.calls += concluded - slot.0;
                self.failed += failed - slot.1;
                self.slow += slow - slot.2;
                *slot = (concluded, failed, slow);
                self.head = (self.head + 1) % self.window.len();
                let pct = |x: f64| {
                    if self.calls > 0.0 {
                        100.0 * x / self.calls
                    } else {
                        0.0
                    }
                };
                let (rate, slow_rate) = (pct(self.failed), pct(self.slow));
                if self.calls >= p.minimum_calls && trips(rate, slow_rate) {
                    let calls = self.calls;
                    self.open(end_s);
                    return Some(BreakerChange {
                        to: CbState::Open,
                        failure_rate_pct: rate,
                        calls,
                        slow_call_rate_pct: slow_rate,
                    });
                }
                None
            }
            CbState::Open => None,
            CbState::HalfOpen => {
                self.trial_calls += self.admitted_now;
                self.trial_failed += self.admitted_now * fail_share;
                self.trial_slow += self.admitted_now * slow_share;
                if self.trial_calls < p.permitted_calls_in_half_open {
                    return None;
                }
                let calls = self.trial_calls;
                let rate = 100.0 * self.trial_failed / calls;
                let slow_rate = 100.0 * self.trial_slow / calls;
                if trips(rate, slow_rate) {
                    self.open(end_s);
                } else {
                    self.state = CbState::Closed;
                    self.window.iter_mut().for_each(|s| *s = (0.0, 0.0, 0.0));
                    self.calls = 0.0;
                    self.failed = 0.0;
                    self.slow = 0.0;
                }
                Some(BreakerChange {
                    to: self.state,
                    failure_rate_pct: rate,
                    calls,
                    slow_call_rate_pct: slow_rate,
                })
            }
        }
    }

    fn open(&mut self, at_s: f64) {
        self.state = CbState::Open;
        self.opened_at_s = at_s;
    }

    /// The state as a number for the series: 0 closed, 0.5 half-open, 1 open.
    pub fn level(&self) -> f64 {
        match self.state {
            CbState::Closed => 0.0,
            CbState::HalfOpen => 0.5,
            CbState::Open => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new(
            BreakerPolicy {
                wait_in_open_s: 5.0,
                ..BreakerPolicy::default()
            },
            1.0,
        )
    }

    #[test]
    fn it_opens_at_the_threshold_only_with_the_minimum_calls() {
        let mut b = breaker();
        // 60 calls at 100 % failure: under the minimum of 100.
        let (a, _) = b.admit(0.0, 60.0);
        assert_eq!(a, 60.0);
        assert_eq!(b.record(1.0, 60.0, 60.0, 0.0), None);
        // 40 more at 0 %: 100 calls at 60 % ≥ 50 %: open.
        b.admit(1.0, 40.0);
        let c = b.record(2.0, 40.0, 0.0, 0.0).unwrap();
        assert_eq!(c.to, CbState::Open);
        assert!((c.failure_rate_pct - 60.0).abs() < 1e-9 && c.calls == 100.0);
        // Open: nothing through, until strictly after the wait.
        assert_eq!(b.admit(7.0, 500.0).0, 0.0);
        let (trial, change) = b.admit(8.0, 500.0);
        assert_eq!(change.unwrap().to, CbState::HalfOpen);
        assert_eq!(trial, 10.0, "10 permitted calls in half-open");
    }

    #[test]
    fn half_open_closes_when_the_trials_pass_and_reopens_when_they_fail() {
        for (share, after) in [(0.2, CbState::Closed), (0.5, CbState::Open)] {
            let mut b = breaker();
            b.admit(0.0, 200.0);
            b.record(1.0, 200.0, 200.0, 0.0);
            assert_eq!(b.state, CbState::Open);
            let (trial, _) = b.admit(7.0, 300.0);
            let c = b.record(8.0, 300.0, 300.0 * share, 0.0).unwrap();
            assert_eq!((trial, c.to), (10.0, after), "share {share}");
            assert_eq!(b.state, after);
        }
    }

    #[test]
    fn the_window_forgets_calls_older_than_its_length() {
        let mut b = breaker();
        // 10 s window: 40 failed calls (under the minimum), then 10 s of 20 good
        // calls a tick (at most 40 % failed once the minimum is reached).
        b.admit(0.0, 40.0);
        b.record(1.0, 40.0, 40.0, 0.0);
        for t in 1..=10 {
            b.admit(f64::from(t), 20.0);
            assert_eq!(b.record(f64::from(t) + 1.0, 20.0, 0.0, 0.0), None, "t {t}");
        }
        assert!(
            b.failed < 1e-9,
            "the failures left the window: {}",
            b.failed
        );
    }

    #[test]
    fn slow_calls_open_it_at_their_own_threshold() {
        let mut b = CircuitBreaker::new(
            BreakerPolicy {
                slow_call_rate_threshold_pct: 50.0,
                slow_call_duration_threshold_ms: 2000.0,
                ..BreakerPolicy::default()
            },
            1.0,
        );
        b.admit(0.0, 200.0);
        // None failed, 60 % slow: open on the slow-call rate alone.
        let c = b.record(1.0, 200.0, 0.0, 120.0).unwrap();
        assert_eq!(c.to, CbState::Open);
        assert_eq!((c.failure_rate_pct, c.slow_call_rate_pct), (0.0, 60.0));
        // By default (100 %) the same calls keep it closed.
        let mut d = breaker();
        d.admit(0.0, 200.0);
        assert_eq!(d.record(1.0, 200.0, 0.0, 120.0,), None);
    }
}
