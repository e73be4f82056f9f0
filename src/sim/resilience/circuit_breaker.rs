//! Circuit breakers as resilience4j and Hystrix implement them (docs/models.md#resilience).
//! Per call; the stepper's breaker ([`crate::sim::protection::breaker`]) applies the same
//! rules to aggregate flows.
//!
//! ```text
//!            failure rate ≥ threshold            wait elapsed (strictly after)
//!   CLOSED ─────────────────────────▶ OPEN ─────────────────────────────▶ HALF_OPEN
//!     ▲       (≥ minimum calls)         ▲   trial calls fail ≥ threshold     │
//!     │                                 └────────────────────────────────────┤
//!     └──────────────────── trial calls below threshold ◀────────────────────┘
//! ```
//!
//! resilience4j: every permitted call's outcome enters a sliding window (last N
//! calls, or last N seconds); OPEN rejects without recording and turns HALF_OPEN
//! lazily on the first call strictly after `opened_at + wait` (or at once with
//! automatic transition); HALF_OPEN admits `permitted` calls and decides when all
//! are recorded. A call is slow when its duration is strictly above the threshold.
//! `maxWaitDurationInHalfOpenState` is not modeled (default 0 = wait forever).
//!
//! Hystrix: 10 s rolling window in 10 buckets; trips when volume ≥ 20 and the
//! truncated error percentage ≥ 50; after the sleep window a single trial request
//! decides (success → CLOSED with metrics reset, failure → OPEN again). The health
//! snapshot is evaluated on every result (Hystrix caches it for 500 ms; not modeled).

use serde::{Deserialize, Serialize};

/// Breaker state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CbState {
    Closed,
    Open,
    HalfOpen,
}

impl CbState {
    /// Upper-case name as in resilience4j ("CLOSED", "OPEN", "HALF_OPEN").
    pub fn as_str(self) -> &'static str {
        match self {
            CbState::Closed => "CLOSED",
            CbState::Open => "OPEN",
            CbState::HalfOpen => "HALF_OPEN",
        }
    }
}

/// resilience4j sliding window type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlidingWindowType {
    /// Last `sliding_window_size` calls.
    CountBased,
    /// Calls of the last `sliding_window_size` seconds (1 s buckets).
    TimeBased,
}

/// resilience4j `CircuitBreakerConfig`; `Default` gives its defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resilience4jConfig {
    /// [%], inclusive.
    pub failure_rate_threshold_pct: f64,
    /// [%], inclusive.
    pub slow_call_rate_threshold_pct: f64,
    pub slow_call_duration_threshold_s: f64,
    pub wait_duration_in_open_state_s: f64,
    pub permitted_number_of_calls_in_half_open_state: u32,
    pub minimum_number_of_calls: u32,
    pub sliding_window_type: SlidingWindowType,
    /// Calls (count-based) or seconds (time-based).
    pub sliding_window_size: u32,
    pub automatic_transition_from_open_to_half_open_enabled: bool,
    /// Longest stay in HALF_OPEN before going back to OPEN [s]; 0 = wait indefinitely.
    pub max_wait_duration_in_half_open_state_s: f64,
}

impl Default for Resilience4jConfig {
    fn default() -> Self {
        Self {
            failure_rate_threshold_pct: 50.0,
            slow_call_rate_threshold_pct: 100.0,
            slow_call_duration_threshold_s: 60.0,
            wait_duration_in_open_state_s: 60.0,
            permitted_number_of_calls_in_half_open_state: 10,
            minimum_number_of_calls: 100,
            sliding_window_type: SlidingWindowType::CountBased,
            sliding_window_size: 100,
            automatic_transition_from_open_to_half_open_enabled: false,
            max_wait_duration_in_half_open_state_s: 0.0,
        }
    }
}

/// Counts over a sliding window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Counts {
    calls: u32,
    failed: u32,
    slow: u32,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.calls += o.calls;
        self.failed += o.failed;
        self.slow += o.slow;
    }
    fn sub(&mut self, o: Counts) {
        self.calls -= o.calls;
        self.failed -= o.failed;
        self.slow -= o.slow;
    }
}

/// A fixed-size window: one slot per call (count-based) or per second (time-based).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct OutcomeWindow {
    kind: SlidingWindowType,
    slots: Vec<Counts>,
    /// Count-based: next slot to write; time-based: unused.
    next: usize,
    /// Time-based: absolute second of the newest slot.
    head_s: Option<i64>,
    total: Counts,
}

impl OutcomeWindow {
    fn new(kind: SlidingWindowType, size: u32) -> Self {
        Self {
            kind,
            slots: vec![Counts::default(); size.max(1) as usize],
            next: 0,
            head_s: None,
            total: Counts::default(),
        }
    }

    fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = Counts::default());
        self.next = 0;
        self.head_s = None;
        self.total = Counts::default();
    }

    fn advance(&mut self, now_s: f64) {
        if self.kind != SlidingWindowType::TimeBased {
            return;
        }
        let sec = now_s.floor() as i64;
        let len = self.slots.len() as i64;
        match self.head_s {
            None => self.head_s = Some(sec),
            Some(h) if sec > h => {
                let steps = (sec - h).min(len);
                for k in 1..=steps {
                    let s = (h + k).rem_euclid(len) as usize;
                    let old = self.slots[s];
                    self.total.sub(old);
                    self.slots[s] = Counts::default();
                }
                self.head_s = Some(sec);
            }
            _ => {}
        }
    }

    fn record(&mut self, now_s: f64, c: Counts) {
        match self.kind {
            SlidingWindowType::CountBased => {
                let old = self.slots[self.next];
                self.total.sub(old);
                self.slots[self.next] = c;
                self.next = (self.next + 1) % self.slots.len();
            }
            SlidingWindowType::TimeBased => {
                self.advance(now_s);
                let s = self.head_s.unwrap_or(0).rem_euclid(self.slots.len() as i64) as usize;
                self.slots[s].add(c);
            }
        }
        self.total.add(c);
    }

    fn snapshot(&mut self, now_s: f64) -> Counts {
        self.advance(now_s);
        self.total
    }
}

/// resilience4j circuit breaker state machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resilience4jBreaker {
    config: Resilience4jConfig,
    state: CbState,
    closed_window: OutcomeWindow,
    half_open_window: OutcomeWindow,
    /// Time the breaker opened [s].
    opened_at_s: f64,
    /// Time the breaker went HALF_OPEN [s].
    half_open_since_s: f64,
    half_open_permits_left: u32,
}

impl Resilience4jBreaker {
    pub fn new(config: Resilience4jConfig) -> Self {
        let closed_window =
            OutcomeWindow::new(config.sliding_window_type, config.sliding_window_size);
        let half_open_window = OutcomeWindow::new(
            SlidingWindowType::CountBased,
            config.permitted_number_of_calls_in_half_open_state,
        );
        Self {
            config,
            state: CbState::Closed,
            closed_window,
            half_open_window,
            opened_at_s: 0.0,
            half_open_since_s: 0.0,
            half_open_permits_left: 0,
        }
    }

    pub fn config(&self) -> &Resilience4jConfig {
        &self.config
    }

    /// Current state (an OPEN breaker with no traffic stays OPEN unless automatic transition is on).
    pub fn state(&self) -> CbState {
        self.state
    }

    /// Time the breaker last opened [s].
    pub fn opened_at_s(&self) -> f64 {
        self.opened_at_s
    }

    fn enter_half_open(&mut self, now_s: f64) {
        self.state = CbState::HalfOpen;
        self.half_open_since_s = now_s;
        self.half_open_window.clear();
        self.half_open_permits_left = self.config.permitted_number_of_calls_in_half_open_state;
    }

    fn enter_open(&mut self, now_s: f64) {
        self.state = CbState::Open;
        self.opened_at_s = now_s;
    }

    fn enter_closed(&mut self) {
        self.state = CbState::Closed;
        self.closed_window.clear();
    }

    /// Timer work: automatic OPEN → HALF_OPEN once `now ≥ opened_at + wait`, and
    /// HALF_OPEN → OPEN after `max_wait_duration_in_half_open_state_s` (when > 0).
    pub fn poll(&mut self, now_s: f64) {
        let wait = self.config.wait_duration_in_open_state_s;
        if self.state == CbState::Open
            && self
                .config
                .automatic_transition_from_open_to_half_open_enabled
            && now_s >= self.opened_at_s + wait
        {
            self.enter_half_open(self.opened_at_s + wait);
        }
        let max_wait = self.config.max_wait_duration_in_half_open_state_s;
        if self.state == CbState::HalfOpen
            && max_wait > 0.0
            && now_s >= self.half_open_since_s + max_wait
        {
            self.enter_open(self.half_open_since_s + max_wait);
        }
    }

    /// May a call go through at `now_s`? Rejected calls are not recorded.
    pub fn try_acquire_permission(&mut self, now_s: f64) -> bool {
        self.poll(now_s);
        if self.state == CbState::Open
            && now_s > self.opened_at_s + self.config.wait_duration_in_open_state_s
        {
            self.enter_half_open(now_s);
        }
        match self.state {
            CbState::Closed => true,
            CbState::Open => false,
            CbState::HalfOpen => {
                if self.half_open_permits_left > 0 {
                    self.half_open_permits_left -= 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    fn exceeded(&self, c: Counts, minimum_calls: u32) -> bool {
        if c.calls == 0 || c.calls < minimum_calls {
            return false;
        }
        let failure_pct = f64::from(c.failed) * 100.0 / f64::from(c.calls);
        let slow_pct = f64::from(c.slow) * 100.0 / f64::from(c.calls);
        failure_pct >= self.config.failure_rate_threshold_pct
            || slow_pct >= self.config.slow_call_rate_threshold_pct
    }

    /// Record the outcome of a permitted call that ended at `now_s` after `duration_s`.
    pub fn on_result(&mut self, now_s: f64, failed: bool, duration_s: f64) {
        self.poll(now_s);
        let c = Counts {
            calls: 1,
            failed: u32::from(failed),
            slow: u32::from(duration_s > self.config.slow_call_duration_threshold_s),
        };
        match self.state {
            CbState::Closed => {
                self.closed_window.record(now_s, c);
                let snap = self.closed_window.snapshot(now_s);
                let min_calls = match self.config.sliding_window_type {
                    SlidingWindowType::CountBased => self
                        .config
                        .minimum_number_of_calls
                        .min(self.config.sliding_window_size),
                    SlidingWindowType::TimeBased => self.config.minimum_number_of_calls,
                };
                if self.exceeded(snap, min_calls) {
                    self.enter_open(now_s);
                }
            }
            CbState::HalfOpen => {
                self.half_open_window.record(now_s, c);
                let snap = self.half_open_window.snapshot(now_s);
                let permitted = self.config.permitted_number_of_calls_in_half_open_state;
                if snap.calls >= permitted {
                    if self.exceeded(snap, permitted) {
                        self.enter_open(now_s);
                    } else {
                        self.enter_closed();
                    }
                }
            }
            // A call permitted before the breaker opened: not recorded.
            CbState::Open => {}
        }
    }

    /// Failure rate of the current window [%], or `None` below the minimum number of calls.
    pub fn failure_rate_pct(&mut self, now_s: f64) -> Option<f64> {
        let (snap, min) = match self.state {
            CbState::HalfOpen => (
                self.half_open_window.snapshot(now_s),
                self.config.permitted_number_of_calls_in_half_open_state,
            ),
            _ => (
                self.closed_window.snapshot(now_s),
                self.config.minimum_number_of_calls,
            ),
        };
        (snap.calls >= min && snap.calls > 0)
            .then(|| f64::from(snap.failed) * 100.0 / f64::from(snap.calls))
    }
}

/// Hystrix `HystrixCommandProperties` defaults relevant to the breaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HystrixConfig {
    pub metrics_rolling_statistical_window_ms: u32,
    pub metrics_rolling_statistical_window_buckets: u32,
    pub circuit_breaker_request_volume_threshold: u32,
    /// [%], inclusive, compared with the truncated integer error percentage.
    pub circuit_breaker_error_threshold_percentage: u32,
    pub circuit_breaker_sleep_window_ms: u32,
    pub execution_timeout_ms: u32,
}

impl Default for HystrixConfig {
    fn default() -> Self {
        Self {
            metrics_rolling_statistical_window_ms: 10_000,
            metrics_rolling_statistical_window_buckets: 10,
            circuit_breaker_request_volume_threshold: 20,
            circuit_breaker_error_threshold_percentage: 50,
            circuit_breaker_sleep_window_ms: 5000,
            execution_timeout_ms: 1000,
        }
    }
}

/// Trial requests Hystrix lets through after the sleep window.
pub const HYSTRIX_HALF_OPEN_TRIAL_REQUESTS: u32 = 1;

/// Hystrix `errorPercentage = (int)((double)errors/total*100)`: truncated.
pub fn hystrix_error_percentage(errors: u32, total: u32) -> u32 {
    if total == 0 {
        0
    } else {
        (f64::from(errors) / f64::from(total) * 100.0) as u32
    }
}

/// Hystrix circuit breaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HystrixBreaker {
    config: HystrixConfig,
    state: CbState,
    /// Per-bucket (total, errors); the current bucket is `head`.
    buckets: Vec<(u32, u32)>,
    head: Option<i64>,
    /// Time the breaker opened or last tested [s].
    opened_at_s: f64,
    trial_in_flight: bool,
}

impl HystrixBreaker {
    pub fn new(config: HystrixConfig) -> Self {
        let n = config.metrics_rolling_statistical_window_buckets.max(1) as usize;
        Self {
            config,
            state: CbState::Closed,
            buckets: vec![(0, 0); n],
            head: None,
            opened_at_s: 0.0,
            trial_in_flight: false,
        }
    }

    pub fn config(&self) -> &HystrixConfig {
        &self.config
    }

    pub fn state(&self) -> CbState {
        self.state
    }

    fn bucket_ms(&self) -> f64 {
        f64::from(self.config.metrics_rolling_statistical_window_ms)
            / f64::from(
                self.config
                    .metrics_rolling_statistical_window_buckets
                    .max(1),
            )
    }

    fn advance(&mut self, now_s: f64) -> usize {
        let b = (now_s * 1000.0 / self.bucket_ms()).floor() as i64;
        let len = self.buckets.len() as i64;
        match self.head {
            Some(h) if b > h => {
                for k in 1..=(b - h).min(len) {
                    self.buckets[(h + k).rem_euclid(len) as usize] = (0, 0);
                }
                self.head = Some(b);
            }
            None => self.head = Some(b),
            _ => {}
        }
        self.head.unwrap_or(b).rem_euclid(len) as usize
    }

    /// (total, errors) over the rolling window at `now_s`.
    pub fn health_counts(&mut self, now_s: f64) -> (u32, u32) {
        self.advance(now_s);
        self.buckets
            .iter()
            .fold((0, 0), |(t, e), &(bt, be)| (t + bt, e + be))
    }

    /// `allowRequest`: CLOSED yes; OPEN only the single trial strictly after the sleep window.
    pub fn allow_request(&mut self, now_s: f64) -> bool {
        match self.state {
            CbState::Closed => true,
            CbState::Open => {
                let sleep_s = f64::from(self.config.circuit_breaker_sleep_window_ms) / 1000.0;
                if now_s > self.opened_at_s + sleep_s {
                    self.state = CbState::HalfOpen;
                    self.trial_in_flight = true;
                    self.opened_at_s = now_s;
                    true
                } else {
                    false
                }
            }
            CbState::HalfOpen => {
                !self.trial_in_flight && {
                    self.trial_in_flight = true;
                    true
                }
            }
        }
    }

    /// Record a result at `now_s`. `error` covers failures, timeouts and rejections.
    pub fn on_result(&mut self, now_s: f64, error: bool) {
        match self.state {
            CbState::HalfOpen => {
                self.trial_in_flight = false;
                if error {
                    self.state = CbState::Open;
                    self.opened_at_s = now_s;
                } else {
                    self.state = CbState::Closed;
                    self.buckets.iter_mut().for_each(|b| *b = (0, 0));
                }
            }
            CbState::Closed => {
                let s = self.advance(now_s);
                self.buckets[s].0 += 1;
                self.buckets[s].1 += u32::from(error);
                let (total, errors) = self.health_counts(now_s);
                if total >= self.config.circuit_breaker_request_volume_threshold
                    && hystrix_error_percentage(errors, total)
                        >= self.config.circuit_breaker_error_threshold_percentage
                {
                    self.state = CbState::Open;
                    self.opened_at_s = now_s;
                }
            }
            CbState::Open => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nineteen_failures_of_nineteen_do_not_trip_hystrix_but_twenty_do() {
        let mut h = HystrixBreaker::new(HystrixConfig::default());
        for i in 0..19 {
            assert!(h.allow_request(f64::from(i) * 0.1));
            h.on_result(f64::from(i) * 0.1, true);
        }
        assert_eq!(h.state(), CbState::Closed);
        h.on_result(1.95, true);
        assert_eq!(h.state(), CbState::Open);
        assert!(!h.allow_request(6.95));
        assert!(h.allow_request(7.0));
        assert_eq!(h.state(), CbState::HalfOpen);
        assert!(!h.allow_request(7.0), "a single trial request");
        h.on_result(7.1, false);
        assert_eq!(h.state(), CbState::Closed);
        assert_eq!(h.health_counts(7.1), (0, 0));
    }

    #[test]
    fn hystrix_truncates_the_error_percentage() {
        assert_eq!(hystrix_error_percentage(199, 400), 49);
        assert_eq!(hystrix_error_percentage(1, 3), 33);
        let mut h = HystrixBreaker::new(HystrixConfig::default());
        // 201 successes then 199 errors: 49.75 % truncates to 49, below 50.
        for i in 0..400 {
            h.on_result(0.0, i >= 201);
        }
        assert_eq!(h.health_counts(0.0), (400, 199));
        assert_eq!(h.state(), CbState::Closed);
    }

    #[test]
    fn hystrix_forgets_errors_older_than_its_rolling_window() {
        let mut h = HystrixBreaker::new(HystrixConfig::default());
        for _ in 0..15 {
            h.on_result(0.5, true);
        }
        for _ in 0..15 {
            h.on_result(10.5, true);
        }
        assert_eq!(h.health_counts(10.5), (15, 15));
        assert_eq!(h.state(), CbState::Closed);
    }

    #[test]
    fn a_failed_half_open_trial_reopens_resilience4j_with_a_new_wait() {
        let cfg = Resilience4jConfig {
            minimum_number_of_calls: 2,
            sliding_window_size: 4,
            permitted_number_of_calls_in_half_open_state: 2,
            ..Resilience4jConfig::default()
        };
        let mut b = Resilience4jBreaker::new(cfg);
        for t in [0.0, 1.0] {
            assert!(b.try_acquire_permission(t));
            b.on_result(t, true, 0.1);
        }
        assert_eq!(b.state(), CbState::Open);
        assert!(
            !b.try_acquire_permission(61.0),
            "61 is not strictly after 1 + 60"
        );
        assert!(b.try_acquire_permission(61.5));
        assert!(b.try_acquire_permission(61.5));
        assert!(
            !b.try_acquire_permission(61.5),
            "only 2 permitted in half-open"
        );
        b.on_result(62.0, true, 0.1);
        assert_eq!(b.state(), CbState::HalfOpen);
        b.on_result(62.0, false, 0.1);
        assert_eq!(b.state(), CbState::Open, "50 % failures reopen (inclusive)");
        assert_eq!(b.opened_at_s(), 62.0);
    }

    #[test]
    fn a_half_open_breaker_that_waits_too_long_reopens() {
        let cfg = Resilience4jConfig {
            minimum_number_of_calls: 1,
            sliding_window_size: 1,
            permitted_number_of_calls_in_half_open_state: 3,
            max_wait_duration_in_half_open_state_s: 5.0,
            ..Resilience4jConfig::default()
        };
        let mut b = Resilience4jBreaker::new(cfg);
        b.on_result(0.0, true, 0.1);
        assert!(b.try_acquire_permission(61.0));
        assert_eq!(b.state(), CbState::HalfOpen);
        b.poll(66.0);
        assert_eq!(b.state(), CbState::Open);
        assert_eq!(b.opened_at_s(), 66.0);
    }

    #[test]
    fn slow_calls_trip_resilience4j_when_all_are_slow() {
        let cfg = Resilience4jConfig {
            minimum_number_of_calls: 3,
            sliding_window_size: 3,
            slow_call_duration_threshold_s: 2.0,
            ..Resilience4jConfig::default()
        };
        let mut b = Resilience4jBreaker::new(cfg);
        for t in 0..3 {
            b.on_result(f64::from(t), false, 2.5);
        }
        assert_eq!(b.state(), CbState::Open);
    }

    #[test]
    fn a_time_based_window_drops_calls_older_than_its_size() {
        let cfg = Resilience4jConfig {
            sliding_window_type: SlidingWindowType::TimeBased,
            sliding_window_size: 10,
            minimum_number_of_calls: 4,
            automatic_transition_from_open_to_half_open_enabled: true,
            ..Resilience4jConfig::default()
        };
        let mut b = Resilience4jBreaker::new(cfg);
        b.on_result(0.0, true, 0.1);
        b.on_result(0.5, true, 0.1);
        b.on_result(20.0, false, 0.1);
        b.on_result(20.5, true, 0.1);
        assert_eq!(
            b.failure_rate_pct(20.5),
            None,
            "only 2 calls in the last 10 s"
        );
        b.on_result(21.0, false, 0.1);
        b.on_result(21.0, true, 0.1);
        assert_eq!(b.state(), CbState::Open);
        b.poll(81.0);
        assert_eq!(b.state(), CbState::HalfOpen, "automatic transition");
    }
}
