//! A slow or failing external dependency: a payment provider behind an HTTP API.
//!
//! ```text
//!   pods ──call──▶ [ provider: rate limit, latency = base + Exp(tail), error rate ]
//!          ◀── ok / error / 429 throttled / timeout (client gives up at timeout_ms)
//! ```
//!
//! A call's latency is `base + extra + X` with X exponential of mean
//! `tail × slow_factor`, so P(latency > t) = e^{−(t − base − extra)/tail'}:
//! the client's timeout cuts that tail, and a slow-provider fault turns the
//! tail into timeouts. Expected values, no sampling: the timed-out share is
//! that survival at `timeout_ms`, the mean latency is E[min(latency, timeout)],
//! and the calls in flight follow Little's law (L = λW; docs/models.md#external-dependency), which is what
//! holds the callers' threads and connections while the provider is slow.
//! Calls above the provider's rate limit are throttled (HTTP 429) at once.

use serde::{Deserialize, Serialize};

/// The share of calls slower than `t_ms` when a call takes `floor_ms` plus an
/// exponential tail of mean `tail_ms`: `P(latency > t) = e^{−(t − floor)/tail}`, 1 at
/// or below the floor, 0 past it with no tail (docs/models.md#external-dependency).
#[inline]
pub fn share_slower_than(t_ms: f64, floor_ms: f64, tail_ms: f64) -> f64 {
    if floor_ms >= t_ms {
        1.0
    } else if tail_ms <= 0.0 {
        0.0
    } else {
        (-(t_ms - floor_ms) / tail_ms).exp()
    }
}

/// How a down provider fails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DownMode {
    /// Connections are refused: calls fail fast.
    #[default]
    Refuse,
    /// Packets vanish: every call waits for the timeout.
    Blackhole,
}
crate::named_enum!(DownMode {
    Refuse = "refuse",
    Blackhole = "blackhole",
});

/// The dependency's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalConfig {
    /// Fixed part of a call's latency [ms].
    pub base_latency_ms: f64,
    /// Mean of the exponential tail [ms].
    pub tail_ms: f64,
    /// Client timeout [ms].
    pub timeout_ms: f64,
    /// Share of answered calls that fail [0..1].
    pub error_rate: f64,
    /// The provider's rate limit [req/s].
    pub rate_limit_rps: f64,
    /// Call edges from a pod to the provider (default 1): with more, the call passes
    /// through `hops − 1` services of one's own first, each retrying its callee with
    /// `[retry.external]`; the provider's figures are the deepest callee's.
    pub hops: u32,
    /// Latency of a refused connection [ms].
    pub refuse_ms: f64,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            base_latency_ms: 120.0,
            tail_ms: 80.0,
            timeout_ms: 3000.0,
            error_rate: 0.001,
            rate_limit_rps: 1000.0,
            hops: 1,
            refuse_ms: 1.0,
        }
    }
}

/// One tick's input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExternalInput {
    /// Calls made this tick [calls].
    pub calls: f64,
}

/// One tick's output. Conservation: `calls = succeeded + failed()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExternalOutput {
    /// Calls made [calls].
    pub calls: f64,
    /// Answered with success [calls].
    pub succeeded: f64,
    /// Answered with an error (5xx, or refused while down) [calls].
    pub errors: f64,
    /// Gave up at the client timeout [calls].
    pub timeouts: f64,
    /// Will give up at the client timeout, but the run has not yet lasted it,
    /// so no call has waited that long: still in flight [calls].
    pub timing_out: f64,
    /// Whether the run has lasted the client timeout (calls can have timed out).
    pub timeouts_due: bool,
    /// Refused by the rate limit (HTTP 429) [calls].
    pub throttled: f64,
    /// Mean latency of all calls, timeouts counted at the timeout [ms].
    pub mean_latency_ms: f64,
    /// 99th percentile latency, capped at the timeout [ms].
    pub p99_latency_ms: f64,
    /// A call's fixed part: its latency is `floor + Exp(tail)` [ms].
    pub floor_ms: f64,
    /// Mean of a call's exponential tail [ms].
    pub tail_ms: f64,
    /// Calls in flight on average (Little's law) [calls].
    pub in_flight: f64,
}

impl ExternalOutput {
    /// All failed calls.
    pub fn failed(&self) -> f64 {
        self.errors + self.timeouts + self.throttled
    }
}

/// The dependency's state: its configuration and the faults in force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExternalDependency {
    /// Configuration.
    pub config: ExternalConfig,
    /// Fault: added latency [ms].
    pub extra_latency_ms: f64,
    /// Fault: multiplier of the tail (1 = normal).
    pub slow_factor: f64,
    /// Fault: error rate replacing the configured one, when set.
    pub forced_error_rate: Option<f64>,
    /// Fault: down, and how.
    pub down: Option<DownMode>,
    /// The last tick's output.
    pub last: ExternalOutput,
}

impl ExternalDependency {
    /// A healthy dependency.
    pub fn new(config: ExternalConfig) -> Self {
        ExternalDependency {
            config,
            extra_latency_ms: 0.0,
            slow_factor: 1.0,
            forced_error_rate: None,
            down: None,
            last: ExternalOutput::default(),
        }
    }

    /// Fault: the provider gets slow: `extra_ms` more on every call and its tail × `tail_factor`.
    pub fn set_slow(&mut self, extra_ms: f64, tail_factor: f64) {
        self.extra_latency_ms = extra_ms.max(0.0);
        self.slow_factor = tail_factor.max(0.0);
    }

    /// Fault: the provider fails this share of its calls (`None` restores the configured rate).
    pub fn set_error_rate(&mut self, rate: Option<f64>) {
        self.forced_error_rate = rate.map(|r| r.clamp(0.0, 1.0));
    }

    /// Fault: the provider is down (or back up).
    pub fn set_down(&mut self, down: Option<DownMode>) {
        self.down = down;
    }

    /// Clears every fault.
    pub fn heal(&mut self) {
        *self = ExternalDependency::new(self.config.clone());
    }

    /// Advances one tick of `dt_s` [s].
    #[must_use]
    pub fn tick(&mut self, now_s: f64, dt_s: f64, input: &ExternalInput) -> ExternalOutput {
        let c = &self.config;
        let dt = dt_s.max(1e-9);
        let calls = input.calls.max(0.0);
        let timeout = c.timeout_ms.max(0.0);
        let mut out = ExternalOutput {
            calls,
            ..ExternalOutput::default()
        };
        match self.down {
            Some(DownMode::Refuse) => {
                out.errors = calls;
                out.mean_latency_ms = c.refuse_ms.max(0.0);
                out.p99_latency_ms = out.mean_latency_ms;
                out.floor_ms = out.mean_latency_ms;
            }
            Some(DownMode::Blackhole) => {
                out.timeouts = calls;
                out.mean_latency_ms = timeout;
                out.p99_latency_ms = timeout;
                out.floor_ms = timeout;
            }
            None => {
                let allowed = c.rate_limit_rps.max(0.0) * dt;
                out.throttled = (calls - allowed).max(0.0);
                let admitted = calls - out.throttled;
                let floor = c.base_latency_ms.max(0.0) + self.extra_latency_ms;
                let tail = c.tail_ms.max(0.0) * self.slow_factor;
                // P(latency > timeout) and E[min(latency, timeout)].
                let p_timeout = share_slower_than(timeout, floor, tail);
                let mean = if floor >= timeout {
                    timeout
                } else {
                    floor + tail * (1.0 - p_timeout)
                };
                out.timeouts = admitted * p_timeout;
                let answered = admitted - out.timeouts;
                let err = self
                    .forced_error_rate
                    .unwrap_or(c.error_rate)
                    .clamp(0.0, 1.0);
                out.errors = answered * err;
                out.succeeded = answered - out.errors;
                out.mean_latency_ms = if calls > 0.0 {
                    (admitted * mean) / calls
                } else {
                    mean
                };
                out.p99_latency_ms = (floor + tail * 100f64.ln()).min(timeout);
                out.floor_ms = floor;
                out.tail_ms = tail;
            }
        }
        // No call has waited longer than the run: before it has lasted the
        // timeout, the calls that will time out are still waiting.
        out.timeouts_due = (now_s + dt_s) * 1000.0 >= timeout;
        if !out.timeouts_due {
            out.timing_out = std::mem::take(&mut out.timeouts);
        }
        out.in_flight = calls / dt * out.mean_latency_ms / 1000.0;
        self.last = out;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tick a minute into the run, past every timeout here.
    fn call(d: &mut ExternalDependency, n: f64) -> ExternalOutput {
        d.tick(60.0, 1.0, &ExternalInput { calls: n })
    }

    #[test]
    fn no_call_times_out_before_the_run_has_lasted_the_timeout() {
        let mut d = ExternalDependency::new(ExternalConfig::default());
        d.set_down(Some(DownMode::Blackhole));
        // 3,000 ms timeout: a second in, the calls still wait.
        let early = d.tick(0.0, 1.0, &ExternalInput { calls: 10.0 });
        assert_eq!((early.timeouts, early.timing_out), (0.0, 10.0));
        assert!(!early.timeouts_due);
        let due = d.tick(2.0, 1.0, &ExternalInput { calls: 10.0 });
        assert_eq!((due.timeouts, due.timing_out), (10.0, 0.0));
        assert!(due.timeouts_due);
    }

    #[test]
    fn a_healthy_provider_answers_almost_every_call_quickly() {
        let mut d = ExternalDependency::new(ExternalConfig::default());
        let out = call(&mut d, 100.0);
        assert!(out.succeeded > 99.8);
        assert!((out.mean_latency_ms - 200.0).abs() < 1.0, "{out:?}");
        assert!((out.p99_latency_ms - (120.0 + 80.0 * 100f64.ln())).abs() < 1e-9);
        assert!((out.calls - out.succeeded - out.failed()).abs() < 1e-9);
    }

    #[test]
    fn a_slow_provider_turns_its_tail_into_timeouts_and_holds_threads() {
        let mut d = ExternalDependency::new(ExternalConfig::default());
        let before = call(&mut d, 100.0);
        d.set_slow(2000.0, 10.0);
        let slow = call(&mut d, 100.0);
        assert!(slow.timeouts > 20.0, "{slow:?}");
        assert!(slow.in_flight > 10.0 * before.in_flight);
        assert_eq!(slow.p99_latency_ms, 3000.0);
    }

    #[test]
    fn a_failing_provider_errors_and_a_blackholed_one_times_out() {
        let mut d = ExternalDependency::new(ExternalConfig::default());
        d.set_error_rate(Some(0.5));
        assert!((call(&mut d, 100.0).errors - 50.0).abs() < 0.1);
        d.set_down(Some(DownMode::Refuse));
        assert_eq!(call(&mut d, 10.0).errors, 10.0);
        d.set_down(Some(DownMode::Blackhole));
        let b = call(&mut d, 10.0);
        assert_eq!(b.timeouts, 10.0);
        assert!((b.in_flight - 30.0).abs() < 1e-9);
        d.heal();
        assert!(call(&mut d, 10.0).succeeded > 9.9);
    }

    #[test]
    fn calls_above_the_rate_limit_are_throttled() {
        let mut d = ExternalDependency::new(ExternalConfig::default());
        assert!((call(&mut d, 1500.0).throttled - 500.0).abs() < 1e-9);
    }
}
