//! Where requests fail, per reason, between two published frames [req/s].

use crate::sim::world::Counters;

/// Failure rates over the last frame [req/s].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FailureRates {
    /// Timed out [req/s].
    pub timed_out_rps: f64,
    /// Dropped, the pod's queue was full [req/s].
    pub queue_full_rps: f64,
    /// Refused: no pod in rotation or sent to a dead pod [req/s].
    pub refused_rps: f64,
    /// Failed by the application (bad release) [req/s].
    pub app_error_rps: f64,
    /// Lost with a dying pod's queue [req/s].
    pub lost_rps: f64,
}

impl FailureRates {
    /// The rates between `before` and `after`, `dt_s` simulated seconds apart.
    pub fn between(before: &Counters, after: &Counters, dt_s: f64) -> FailureRates {
        if dt_s <= 0.0 {
            return FailureRates::default();
        }
        let r = |a: f64, b: f64| ((a - b) / dt_s).max(0.0);
        FailureRates {
            timed_out_rps: r(after.timed_out, before.timed_out),
            queue_full_rps: r(after.dropped, before.dropped),
            refused_rps: r(after.refused, before.refused),
            app_error_rps: r(after.errored, before.errored),
            lost_rps: r(after.lost, before.lost),
        }
    }
}
