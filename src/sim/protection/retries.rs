//! Client retries with backoff, jitter, a deadline and a retry budget, as aggregate
//! flows (docs/models.md#client-retries).
//!
//! ```text
//!   tick t:   attempts_k (k = 1 first tries, k ≥ 2 retries) ──▶ served | failed | queued
//!             f = retryable failures / attempts that arrived this tick
//!             retries of attempt k+1 = f · attempts_k       (k < max_attempts, budget, deadline)
//!             placed at t + 1 + ⌊sleep / tick⌋, sleep spread over the k-th retry's window
//!   steady f: attempts per request = (1 − f^R) / (1 − f)    (R = max_attempts)
//! ```
//!
//! The sleep before the n-th retry (n ≥ 1) follows [`super::super::resilience::backoff`]:
//! `v = min(cap, base·2^(n−1))` for exponential backoff, `base` for constant, 0 for none;
//! no jitter sleeps `v` (every client in step: waves), full jitter `U(0, v)`, equal jitter
//! `U(v/2, v)`, decorrelated `min(cap, U(base, 3·prev))` with `prev` the previous
//! window's mean (an aggregate reading of the per-client formula).
//!
//! The retry budget is Finagle's (`RetryBudget(ttl, minRetriesPerSec, percentCanRetry)`,
//! defaults 10 s, 10/s, 20 %): over the last `ttl_s`, retries may be at most
//! `percent_can_retry` % of the first tries plus `min_retries_per_s · ttl_s`.
//!
//! Failures are shared by every attempt of a tick alike (the stepper does not tell a
//! retry from a first try once it is routed), so the requests each class gives up are
//! its share of the tick's failures that are not retried.

use crate::sim::failure::{FailureCounts, FailureReason};
use crate::sim::resilience::backoff::{expo_ms, Jitter};
use serde::{Deserialize, Serialize};

/// The most attempts a policy may make, the first included.
pub const MAX_ATTEMPTS: u32 = 10;

/// The most numbers the retry ring may hold (slots × request classes × retries): 16 MiB.
pub const MAX_RING_CELLS: usize = 2_000_000;

/// How the sleep between attempts grows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackoffKind {
    /// Retry at once (within the next tick).
    None,
    /// Sleep `base_ms` before every retry.
    Constant,
    /// Sleep `min(cap_ms, base_ms · 2^(n−1))` before the n-th retry.
    #[default]
    Exponential,
}
crate::named_enum!(BackoffKind {
    None = "none",
    Constant = "constant",
    Exponential = "exponential",
});

impl BackoffKind {
    /// In a word or two.
    pub const fn words(self) -> &'static str {
        match self {
            BackoffKind::None => "none",
            BackoffKind::Constant => "constant",
            BackoffKind::Exponential => "exponential",
        }
    }
}

/// Which failures a client retries. Each [`FailureReason`] belongs to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryOn {
    /// The request timed out (at the pod or waiting in its queue).
    Timeout,
    /// The server answered with an error (5xx): application errors, the database, no
    /// quorum, a refused publish, the external dependency.
    ServerError,
    /// Nobody took the request, or the connection broke (503, connection refused or
    /// reset): no capacity, a full queue, a dead pod still in rotation, a pod that
    /// died with it, an unreachable region.
    Unavailable,
    /// The clients' own circuit breaker failed it at once (resilience4j's
    /// `CallNotPermittedException`): not retried unless named.
    CircuitOpen,
    /// A rate limit refused it (HTTP 429, gRPC `RESOURCE_EXHAUSTED`): not retried
    /// unless named.
    RateLimited,
}
crate::named_enum!(RetryOn {
    Timeout = "timeout",
    ServerError = "server_error",
    Unavailable = "unavailable",
    CircuitOpen = "circuit_open",
    RateLimited = "rate_limited",
});

impl RetryOn {
    /// Every kind, in the order the docs list them.
    pub const ALL: [RetryOn; 5] = [
        RetryOn::Timeout,
        RetryOn::ServerError,
        RetryOn::Unavailable,
        RetryOn::CircuitOpen,
        RetryOn::RateLimited,
    ];

    /// What a policy retries when it names nothing: every failure but an open circuit
    /// and a 429.
    pub const DEFAULT: [RetryOn; 3] =
        [RetryOn::Timeout, RetryOn::ServerError, RetryOn::Unavailable];

    /// The kind a failure reason belongs to.
    pub const fn of(reason: FailureReason) -> RetryOn {
        match reason {
            FailureReason::TimedOut => RetryOn::Timeout,
            FailureReason::Errored
            | FailureReason::Database
            | FailureReason::NoQuorum
            | FailureReason::PublishRefused
            | FailureReason::Dependency => RetryOn::ServerError,
            FailureReason::Dropped
            | FailureReason::DeadPodUndetected
            | FailureReason::NoCapacity
            | FailureReason::LostWithPod
            | FailureReason::RegionUnreachable
            | FailureReason::Shed => RetryOn::Unavailable,
            FailureReason::CircuitOpen => RetryOn::CircuitOpen,
            FailureReason::RateLimited => RetryOn::RateLimited,
        }
    }

    /// In a few words.
    pub const fn words(self) -> &'static str {
        match self {
            RetryOn::Timeout => "timeouts",
            RetryOn::ServerError => "server errors (5xx)",
            RetryOn::Unavailable => "unavailable (503, refused or reset)",
            RetryOn::CircuitOpen => "an open circuit breaker",
            RetryOn::RateLimited => "rate limited (429)",
        }
    }
}

fn default_percent() -> f64 {
    20.0
}
fn default_min_per_s() -> f64 {
    10.0
}
fn default_ttl_s() -> f64 {
    10.0
}

/// A retry budget (Finagle's `RetryBudget`): retries at most a share of the requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryBudget {
    /// Retries allowed per 100 first tries [%] (Finagle's default 20).
    #[serde(default = "default_percent")]
    pub percent_can_retry: f64,
    /// Retries allowed per second whatever the traffic [retries/s] (default 10).
    #[serde(default = "default_min_per_s")]
    pub min_retries_per_s: f64,
    /// How long a first try counts towards the budget [s] (default 10; 1 to 60).
    #[serde(default = "default_ttl_s")]
    pub ttl_s: f64,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            percent_can_retry: default_percent(),
            min_retries_per_s: default_min_per_s(),
            ttl_s: default_ttl_s(),
        }
    }
}

fn default_base_ms() -> f64 {
    100.0
}
fn default_cap_ms() -> f64 {
    20_000.0
}
fn default_jitter() -> Jitter {
    Jitter::None
}
fn every_kind() -> Vec<RetryOn> {
    RetryOn::DEFAULT.to_vec()
}

/// A client's retry policy on one call edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (gRPC's `maxAttempts`): 1 never retries.
    pub max_attempts: u32,
    /// How the sleep grows (default exponential).
    #[serde(default)]
    pub backoff: BackoffKind,
    /// First sleep, or every sleep for constant backoff [ms] (default 100).
    #[serde(default = "default_base_ms")]
    pub base_ms: f64,
    /// Longest sleep [ms] (default 20,000).
    #[serde(default = "default_cap_ms")]
    pub cap_ms: f64,
    /// Jitter on the sleep (default none: clients in step).
    #[serde(default = "default_jitter")]
    pub jitter: Jitter,
    /// Per-attempt timeout [ms]: an attempt slower than this fails for the client
    /// (and is retried) while the server still works on it; none waits for the pod's
    /// own `timeout_ms`. Only a timeout shorter than the pod's changes anything.
    #[serde(default)]
    pub per_attempt_timeout_ms: Option<f64>,
    /// Overall deadline: no retry whose sleeps so far add up past it [ms].
    #[serde(default)]
    pub deadline_ms: Option<f64>,
    /// A retry budget; none retries every retryable failure.
    #[serde(default)]
    pub budget: Option<RetryBudget>,
    /// Which failures are retried (default all but an open circuit).
    #[serde(default = "every_kind")]
    pub retry_on: Vec<RetryOn>,
}

impl RetryPolicy {
    /// The n-th retry's (n ≥ 1) sleep window [ms]: the sleep is uniform over it, or
    /// exactly `lo` when `lo == hi`.
    pub fn sleep_window_ms(&self, n: u32) -> (f64, f64) {
        let (base, cap) = (self.base_ms, self.cap_ms.max(self.base_ms));
        let v = match self.backoff {
            BackoffKind::None => 0.0,
            BackoffKind::Constant => base,
            BackoffKind::Exponential => expo_ms(base, cap, n.saturating_sub(1)),
        };
        match self.jitter {
            Jitter::None => (v, v),
            Jitter::Full => (0.0, v),
            Jitter::Equal => (v / 2.0, v),
            Jitter::Decorrelated => {
                let (mut prev, mut window) = (base, (base, base));
                for _ in 0..n.max(1) {
                    let hi = (3.0 * prev).min(cap);
                    window = (base.min(hi), hi);
                    prev = (window.0 + window.1) / 2.0;
                }
                window
            }
        }
    }

    /// Whether failures of `kind` are retried.
    pub fn retries(&self, kind: RetryOn) -> bool {
        self.retry_on.contains(&kind)
    }

    /// The longest sleep any retry can take [ms].
    pub fn longest_sleep_ms(&self) -> f64 {
        (1..self.max_attempts.max(1))
            .map(|n| self.sleep_window_ms(n).1)
            .fold(0.0, f64::max)
    }

    /// The ring slots a run at `tick_s` needs: the tick after the failure, plus the
    /// longest sleep, plus the current slot.
    pub fn ring_slots(&self, tick_s: f64) -> usize {
        let tick_ms = (tick_s * 1000.0).max(1e-3);
        (self.longest_sleep_ms() / tick_ms).floor() as usize + 3
    }

    /// The rules the range table cannot state (`prefix` is where the policy is,
    /// `retry.client`): errors are (field path, message).
    pub fn validate(
        &self,
        prefix: &str,
        tick_s: f64,
        classes: usize,
    ) -> Result<(), (String, String)> {
        let at = |f: &str| format!("{prefix}.{f}");
        if !(1..=MAX_ATTEMPTS).contains(&self.max_attempts) {
            return Err((
                at("max_attempts"),
                format!(
                    "is {}; expected 1 to {MAX_ATTEMPTS} attempts, the first included (1 never retries)",
                    self.max_attempts
                ),
            ));
        }
        if self.cap_ms < self.base_ms {
            return Err((
                at("cap_ms"),
                format!(
                    "is {} ms, below base_ms ({} ms): the longest sleep cannot be shorter than the first",
                    self.cap_ms, self.base_ms
                ),
            ));
        }
        if self.retry_on.is_empty() && self.max_attempts > 1 {
            return Err((
                at("retry_on"),
                "is empty: name the failures to retry (timeout, server_error, unavailable), or set max_attempts = 1".into(),
            ));
        }
        let cells = self.ring_slots(tick_s) * classes.max(1) * (self.max_attempts as usize - 1);
        if cells > MAX_RING_CELLS {
            return Err((
                at("cap_ms"),
                format!(
                    "with {} ms sleeps at {} s ticks, {} request classes and {} attempts the retry ring needs {cells} cells, over the {MAX_RING_CELLS} a run may hold: shorten cap_ms or lengthen run.tick_s",
                    self.cap_ms, tick_s, classes, self.max_attempts
                ),
            ));
        }
        Ok(())
    }
}

/// The scenario's `[retry]` tables: one retry policy per call edge.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySection {
    /// The clients' policy towards the service (the CDN when there is one, else the
    /// load balancer): a retried attempt arrives like a new request.
    #[serde(default)]
    pub client: Option<RetryPolicy>,
    /// The pods' policy towards the database: each failed query is retried within its
    /// request (docs/models.md#retries-and-breakers-on-dependency-edges).
    #[serde(default)]
    pub database: Option<RetryPolicy>,
    /// The pods' policy towards the external dependency, and every hop's behind it
    /// (`[external] hops`).
    #[serde(default)]
    pub external: Option<RetryPolicy>,
    /// The Kafka consumers' policy towards the database: with one, a consumer retries a
    /// failed write and then dead-letters it instead of pausing.
    #[serde(default)]
    pub consumer: Option<RetryPolicy>,
    /// The pods' policy towards the cache: a GET the cache refuses (down, or its shard
    /// over its ops/s limit) is retried before it falls through to the database.
    #[serde(default)]
    pub cache: Option<RetryPolicy>,
}

impl RetrySection {
    /// The retry policy of call edge `edge`, if the scenario has one.
    pub fn get(&self, edge: super::CallEdge) -> Option<&RetryPolicy> {
        use super::CallEdge as E;
        match edge {
            E::Client => self.client.as_ref(),
            E::Database => self.database.as_ref(),
            E::External => self.external.as_ref(),
            E::Consumer => self.consumer.as_ref(),
            E::Cache => self.cache.as_ref(),
        }
    }

    /// Each policy's rules (`validate` of [`RetryPolicy`]); errors are (field, message).
    pub fn validate(&self, tick_s: f64, classes: usize) -> Result<(), (String, String)> {
        if let Some(p) = &self.client {
            p.validate("retry.client", tick_s, classes)?;
        }
        // Each dependency edge, and the timeout its calls have of their own.
        let pool = "the connection pool's own wait timeout ([database.pool] wait_timeout_ms)";
        for (edge, p, own) in [
            ("database", &self.database, pool),
            (
                "external",
                &self.external,
                "the dependency's own [external] timeout_ms",
            ),
            ("consumer", &self.consumer, pool),
            (
                "cache",
                &self.cache,
                "the cache's round trip (a refused GET fails at once)",
            ),
        ] {
            let Some(p) = p else { continue };
            let prefix = format!("retry.{edge}");
            p.validate(&prefix, tick_s, 1)?;
            if p.per_attempt_timeout_ms.is_some() {
                return Err((
                    format!("{prefix}.per_attempt_timeout_ms"),
                    format!("is set, but a call on this edge times out at {own}: set that instead"),
                ));
            }
        }
        Ok(())
    }
}

/// A retry budget's sliding window: per tick, the first tries and the retries made
/// over the last `ttl_s` (Finagle's `RetryBudget`, docs/models.md#client-retries).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetWindow {
    /// Per tick of the window: (first tries, retries).
    ring: Vec<(f64, f64)>,
    head: usize,
    /// Sums over the window.
    first: f64,
    retries: f64,
    tick_s: f64,
}

impl BudgetWindow {
    /// An empty window of `budget.ttl_s` at `tick_s` ticks (one slot with no budget).
    pub fn new(budget: Option<&RetryBudget>, tick_s: f64) -> Self {
        let slots = budget.map_or(1, |b| ((b.ttl_s / tick_s).ceil() as usize).max(1));
        Self {
            ring: vec![(0.0, 0.0); slots],
            head: 0,
            first: 0.0,
            retries: 0.0,
            tick_s,
        }
    }

    /// The retries `budget` still allows this tick, given this tick's `first` tries
    /// [attempts]: `percent/100 · first tries + min_per_s · window − retries made`,
    /// at least 0; unlimited with no budget.
    pub fn allowed(&self, budget: Option<&RetryBudget>, first: f64) -> f64 {
        match budget {
            Some(b) => {
                let window_s = self.ring.len() as f64 * self.tick_s;
                let balance = b.percent_can_retry / 100.0 * (self.first + first)
                    + b.min_retries_per_s * window_s
                    - self.retries;
                balance.max(0.0)
            }
            None => f64::INFINITY,
        }
    }

    /// The window moves on one tick: this tick made `first` first tries and `retries`.
    pub fn push(&mut self, first: f64, retries: f64) {
        let slot = &mut self.ring[self.head];
        self.first += first - slot.0;
        self.retries += retries - slot.1;
        *slot = (first, retries);
        self.head = (self.head + 1) % self.ring.len();
    }
}

/// What one tick's settlement decided [requests].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Settled {
    /// Failed attempts that will be retried.
    pub scheduled: f64,
    /// Failed attempts that end their request: not retryable, out of attempts, over
    /// the deadline or refused by the budget.
    pub gave_up: f64,
    /// Of those, the ones the retry budget refused.
    pub over_budget: f64,
}

/// The client edge's retries in flight: a ring of future ticks holding, per request
/// class and retry number, the attempts due then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientRetries {
    /// The policy.
    pub policy: RetryPolicy,
    classes: usize,
    /// Retries per request (`max_attempts − 1`).
    retries: usize,
    tick_ms: f64,
    slots: usize,
    /// `ring[(slot · classes + class) · retries + (n − 1)]`: attempts of the n-th retry.
    ring: Vec<f64>,
    /// The slot of the current tick.
    head: usize,
    /// This tick's attempts: `attempts[class · max_attempts + (k − 1)]`, k = 1 first tries.
    attempts: Vec<f64>,
    /// Sleep window [ms] of each retry number (index n − 1), and whether the deadline
    /// still allows it.
    windows: Vec<(f64, f64, bool)>,
    /// The retry budget's window.
    budget: BudgetWindow,
    /// Retries scheduled and not yet due [attempts].
    pub pending: f64,
}

impl ClientRetries {
    /// An empty ring for `classes` request classes at `tick_s` ticks (the policy was
    /// validated: [`RetryPolicy::validate`]).
    pub fn new(policy: RetryPolicy, classes: usize, tick_s: f64) -> Self {
        let classes = classes.max(1);
        let retries = policy.max_attempts.max(1) as usize - 1;
        let slots = policy.ring_slots(tick_s);
        let mut slept = 0.0;
        let windows = (1..=retries as u32)
            .map(|n| {
                let (lo, hi) = policy.sleep_window_ms(n);
                slept += lo;
                (lo, hi, policy.deadline_ms.is_none_or(|d| slept <= d))
            })
            .collect();
        Self {
            classes,
            retries,
            tick_ms: tick_s * 1000.0,
            slots,
            ring: vec![0.0; slots * classes * retries],
            head: 0,
            attempts: vec![0.0; classes * (retries + 1)],
            windows,
            budget: BudgetWindow::new(policy.budget.as_ref(), tick_s),
            pending: 0.0,
            policy,
        }
    }

    /// Stage 2: `class_arrivals` holds each class's first tries; the retries due this
    /// tick join them. Returns the retries that arrived [attempts].
    pub fn arrive(&mut self, class_arrivals: &mut [f64]) -> f64 {
        let per = self.retries + 1;
        let mut due_sum = 0.0;
        for (c, arrivals) in class_arrivals.iter_mut().enumerate().take(self.classes) {
            self.attempts[c * per] = *arrivals;
            let cell = (self.head * self.classes + c) * self.retries;
            for n in 0..self.retries {
                let due = std::mem::take(&mut self.ring[cell + n]);
                self.attempts[c * per + n + 1] = due;
                *arrivals += due;
                due_sum += due;
            }
        }
        self.pending -= due_sum;
        // Sums of the spread shares drift by a few ulps: nothing is due below that.
        if self.pending < 1e-9 {
            self.pending = 0.0;
        }
        due_sum
    }

    /// Stage 9: this tick's failures (by reason, every attempt's) and the attempts that
    /// concluded (served or failed) decide the retries; the ring moves on one tick.
    pub fn settle(&mut self, failed: &FailureCounts, concluded: f64) -> Settled {
        let total_failed: f64 = FailureReason::ALL.iter().map(|r| failed[*r]).sum();
        let retryable: f64 = FailureReason::ALL
            .iter()
            .filter(|r| self.policy.retries(RetryOn::of(**r)))
            .map(|r| failed[*r])
            .sum();
        let per = self.retries + 1;
        // The retryable failures, shared over this tick's attempts by class and number
        // (a failure does not know which attempt it was): `f` per attempt that arrived.
        let arrived: f64 = self.attempts.iter().sum();
        let f = if arrived > 0.0 && concluded > 0.0 {
            retryable.min(concluded) / arrived
        } else {
            0.0
        };
        // Retries wanted: the failed share of each attempt that has a retry left.
        let mut wanted = 0.0;
        let mut first = 0.0;
        for c in 0..self.classes {
            first += self.attempts[c * per];
            for k in 0..self.retries {
                if self.windows[k].2 {
                    wanted += f * self.attempts[c * per + k];
                }
            }
        }
        let allowed = self.budget.allowed(self.policy.budget.as_ref(), first);
        let scale = if wanted > allowed {
            allowed / wanted
        } else {
            1.0
        };
        let mut scheduled = 0.0;
        for k in 0..self.retries {
            let (lo, hi, in_deadline) = self.windows[k];
            if !in_deadline {
                continue;
            }
            for c in 0..self.classes {
                let r = f * self.attempts[c * per + k] * scale;
                if r > 0.0 {
                    scheduled += self.place(c, k, lo, hi, r);
                }
            }
        }
        self.pending += scheduled;
        if self.policy.budget.is_some() {
            self.budget.push(first, scheduled);
        }
        self.head = (self.head + 1) % self.slots;
        Settled {
            scheduled,
            gave_up: (total_failed - scheduled).max(0.0),
            over_budget: (wanted - scheduled).max(0.0),
        }
    }

    /// Puts `r` attempts of retry number `k + 1` of class `c` into the ring, their
    /// sleep uniform over `[lo, hi]` ms after the end of this tick; returns what it put
    /// (`r` up to rounding: the last tick of the window takes the remainder).
    fn place(&mut self, c: usize, k: usize, lo: f64, hi: f64, r: f64) -> f64 {
        let t = self.tick_ms;
        let cell = |slot: usize| ((slot % self.slots) * self.classes + c) * self.retries + k;
        let first = (lo / t).floor() as usize;
        let last = ((hi / t).floor() as usize).min(self.slots - 2);
        // A window inside one tick (or too narrow to divide) is a point.
        if last <= first || hi - lo <= 1e-9 * t {
            let i = cell(self.head + 1 + first);
            self.ring[i] += r;
            return r;
        }
        let mut placed = 0.0;
        for j in first..=last {
            let share = if j == last {
                r - placed
            } else {
                let end = ((j + 1) as f64 * t).min(hi);
                r * (end - (j as f64 * t).max(lo)) / (hi - lo)
            };
            let i = cell(self.head + 1 + j);
            self.ring[i] += share;
            placed += share;
        }
        placed
    }

    /// The same retries in flight under a new `policy` (an action changed it), and the
    /// scheduled retries the new policy has no room for [attempts]: each keeps its due
    /// tick (or the ring's farthest, if the new ring is shorter) and its retry number
    /// (or the new policy's last); with `max_attempts = 1` they are all dropped, and
    /// their requests give up. The budget's window carries over when its length is the
    /// same.
    pub fn with_policy(&self, policy: RetryPolicy, tick_s: f64) -> (Self, f64) {
        let mut next = Self::new(policy, self.classes, tick_s);
        if next.budget.ring.len() == self.budget.ring.len() {
            next.budget = self.budget.clone();
        }
        let mut dropped = 0.0;
        for j in 0..self.slots {
            let to_slot = j.min(next.slots - 1);
            for c in 0..self.classes {
                for n in 0..self.retries {
                    let v = self.ring
                        [(((self.head + j) % self.slots) * self.classes + c) * self.retries + n];
                    if v == 0.0 {
                        continue;
                    }
                    if next.retries == 0 {
                        dropped += v;
                        continue;
                    }
                    let m = n.min(next.retries - 1);
                    next.ring[(to_slot * next.classes + c) * next.retries + m] += v;
                    next.pending += v;
                }
            }
        }
        (next, dropped)
    }

    /// The attempts of this tick by attempt number (index 0 = first tries), summed over
    /// the classes, into `out` (its length caps what is written).
    pub fn attempts_by_number(&self, out: &mut [f64]) {
        let per = self.retries + 1;
        out.iter_mut().for_each(|x| *x = 0.0);
        for c in 0..self.classes {
            for (k, o) in out.iter_mut().enumerate().take(per) {
                *o += self.attempts[c * per + k];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(attempts: u32, backoff: BackoffKind, jitter: Jitter) -> RetryPolicy {
        RetryPolicy {
            max_attempts: attempts,
            backoff,
            base_ms: 100.0,
            cap_ms: 20_000.0,
            jitter,
            per_attempt_timeout_ms: None,
            deadline_ms: None,
            budget: None,
            retry_on: RetryOn::ALL.to_vec(),
        }
    }

    #[test]
    fn sleep_windows_follow_the_backoff_and_jitter_formulas() {
        let p = policy(5, BackoffKind::Exponential, Jitter::None);
        assert_eq!(p.sleep_window_ms(1), (100.0, 100.0));
        assert_eq!(p.sleep_window_ms(4), (800.0, 800.0));
        let full = policy(5, BackoffKind::Exponential, Jitter::Full);
        assert_eq!(full.sleep_window_ms(3), (0.0, 400.0));
        let equal = policy(5, BackoffKind::Exponential, Jitter::Equal);
        assert_eq!(equal.sleep_window_ms(3), (200.0, 400.0));
        let dec = policy(5, BackoffKind::Exponential, Jitter::Decorrelated);
        assert_eq!(dec.sleep_window_ms(1), (100.0, 300.0));
        assert_eq!(dec.sleep_window_ms(2), (100.0, 600.0));
        let none = policy(5, BackoffKind::None, Jitter::None);
        assert_eq!(none.sleep_window_ms(3), (0.0, 0.0));
        let capped = RetryPolicy {
            cap_ms: 300.0,
            ..policy(9, BackoffKind::Exponential, Jitter::None)
        };
        assert_eq!(capped.sleep_window_ms(8), (300.0, 300.0));
    }

    #[test]
    fn every_failure_reason_has_one_retry_kind() {
        for r in FailureReason::ALL {
            assert!(RetryOn::ALL.contains(&RetryOn::of(r)), "{r:?}");
        }
    }

    fn settle_steady(p: RetryPolicy, f: f64, ticks: usize) -> (f64, f64) {
        let mut cr = ClientRetries::new(p, 1, 1.0);
        let mut last = (0.0, 0.0);
        for _ in 0..ticks {
            let mut a = [1000.0];
            let retried = cr.arrive(&mut a);
            let attempts = a[0];
            let mut failed = FailureCounts::default();
            failed[FailureReason::Errored] = f * attempts;
            cr.settle(&failed, attempts);
            last = (attempts, retried);
        }
        last
    }

    #[test]
    fn in_steady_state_each_request_makes_the_geometric_number_of_attempts() {
        // (1 − f^R)/(1 − f) attempts per request for R attempts at most.
        for (f, r) in [(0.5, 4u32), (0.2, 3), (0.9, 5)] {
            let (attempts, _) = settle_steady(policy(r, BackoffKind::None, Jitter::None), f, 60);
            let want = 1000.0 * (1.0 - f64::powi(f, r as i32)) / (1.0 - f);
            assert!(
                (attempts - want).abs() < 1e-6,
                "f {f} R {r}: {attempts} vs {want}"
            );
        }
    }

    #[test]
    fn a_budget_caps_retries_at_its_share_of_first_tries() {
        let p = RetryPolicy {
            budget: Some(RetryBudget {
                percent_can_retry: 10.0,
                min_retries_per_s: 0.0,
                ttl_s: 10.0,
            }),
            ..policy(4, BackoffKind::None, Jitter::None)
        };
        // Everything fails: without a budget 4 attempts per request.
        let (attempts, retried) = settle_steady(p, 1.0, 120);
        assert!((retried / 1000.0 - 0.1).abs() < 0.01, "{retried}");
        assert!(attempts < 1101.0, "{attempts}");
    }

    #[test]
    fn no_jitter_retries_in_one_wave_and_full_jitter_spreads_them() {
        let wave = |jitter| {
            let mut cr = ClientRetries::new(
                RetryPolicy {
                    base_ms: 4000.0,
                    ..policy(2, BackoffKind::Exponential, jitter)
                },
                1,
                1.0,
            );
            // One tick of total failure, then nothing fails.
            let mut per_tick = Vec::new();
            for t in 0..8 {
                let mut a = [if t == 0 { 1000.0 } else { 0.0 }];
                let retried = cr.arrive(&mut a);
                let mut failed = FailureCounts::default();
                if t == 0 {
                    failed[FailureReason::TimedOut] = 1000.0;
                }
                cr.settle(&failed, a[0]);
                per_tick.push(retried);
            }
            per_tick
        };
        let step = wave(Jitter::None);
        assert_eq!(step[5], 1000.0, "{step:?}");
        assert_eq!(step.iter().filter(|x| **x > 0.0).count(), 1);
        let spread = wave(Jitter::Full);
        assert_eq!(spread.iter().filter(|x| **x > 0.0).count(), 4, "{spread:?}");
        assert!((spread.iter().sum::<f64>() - 1000.0).abs() < 1e-9);
        assert!(spread.iter().all(|x| *x <= 250.0 + 1e-9));
    }

    #[test]
    fn the_deadline_stops_retries_whose_sleeps_pass_it() {
        let p = RetryPolicy {
            deadline_ms: Some(250.0),
            ..policy(5, BackoffKind::Exponential, Jitter::None)
        };
        // Sleeps 100, 200, 400, …: only the first fits (100 ≤ 250; 300 > 250).
        let (attempts, _) = settle_steady(p, 1.0, 30);
        assert!((attempts - 2000.0).abs() < 1e-9, "{attempts}");
    }

    #[test]
    fn a_new_policy_keeps_the_retries_in_flight_and_drops_them_only_at_one_attempt() {
        let mut cr = ClientRetries::new(policy(3, BackoffKind::Constant, Jitter::None), 1, 1.0);
        let mut a = [1000.0];
        cr.arrive(&mut a);
        let mut failed = FailureCounts::default();
        failed[FailureReason::Errored] = 1000.0;
        cr.settle(&failed, 1000.0);
        assert_eq!(cr.pending, 1000.0);
        let (kept, dropped) =
            cr.with_policy(policy(5, BackoffKind::Exponential, Jitter::Full), 1.0);
        assert_eq!((kept.pending, dropped), (1000.0, 0.0));
        let mut b = [0.0];
        let mut kept = kept;
        assert_eq!(
            kept.arrive(&mut b),
            1000.0,
            "due in the next tick as before"
        );
        let (none, dropped) = cr.with_policy(policy(1, BackoffKind::None, Jitter::None), 1.0);
        assert_eq!((none.pending, dropped), (0.0, 1000.0));
    }
}
