//! Queueing formulas (SPEC §4): Little's law, M/M/1 and M/M/c (Erlang C).
//!
//! ```text
//!   λ arrivals/s ──▶ [ queue ] ──▶ c servers, μ req/s each
//! ```
//!
//! Notation: λ arrival rate [req/s], μ service rate per server [req/s],
//! c servers, a = λ/μ offered load [Erlang], ρ = λ/(cμ) utilization.

/// Steady-state figures of an M/M/1 queue. `None` from [`mm1`] when ρ ≥ 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mm1 {
    /// Utilization ρ = λ/μ [0..1).
    pub rho: f64,
    /// Mean wait in queue Wq [s].
    pub mean_wait_s: f64,
    /// Mean response time W = 1/(μ−λ) [s].
    pub mean_response_s: f64,
    /// Mean number waiting Lq [requests].
    pub mean_queue_len: f64,
    /// Mean number in system L [requests].
    pub mean_in_system: f64,
}

/// M/M/1 steady state for arrival rate `lambda` [req/s] and service rate `mu` [req/s].
/// Returns `None` when ρ ≥ 1: there is no steady state and the queue grows without bound.
pub fn mm1(lambda: f64, mu: f64) -> Option<Mm1> {
    let rho = lambda / mu;
    if !(0.0..1.0).contains(&rho) {
        return None;
    }
    Some(Mm1 {
        rho,
        mean_wait_s: rho / (mu - lambda),
        mean_response_s: 1.0 / (mu - lambda),
        mean_queue_len: rho * rho / (1.0 - rho),
        mean_in_system: rho / (1.0 - rho),
    })
}

/// p-quantile of the M/M/1 response time [s]: T ~ Exp(μ−λ).
pub fn mm1_response_quantile_s(lambda: f64, mu: f64, p: f64) -> Option<f64> {
    mm1(lambda, mu).map(|_| (1.0 / (1.0 - p)).ln() / (mu - lambda))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm1_at_80_percent_waits_four_service_times() {
        let q = mm1(8.0, 10.0).unwrap();
        assert!((q.rho - 0.8).abs() < 1e-12);
        assert!((q.mean_wait_s - 0.4).abs() < 1e-12);
        assert!((q.mean_response_s - 0.5).abs() < 1e-12);
        assert!((q.mean_wait_s * 10.0 - 4.0).abs() < 1e-12);
    }

    #[test]
    fn mm1_has_no_steady_state_at_or_above_full_load() {
        assert!(mm1(10.0, 10.0).is_none());
        assert!(mm1(12.0, 10.0).is_none());
    }
}
