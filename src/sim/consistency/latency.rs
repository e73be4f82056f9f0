//! Latency of a replicated operation (a write that waits for W acks pays the replica
//! round trip; docs/models.md#consistency) as a distribution, and quantiles of mixtures of them.
//!
//! ```text
//!   coordinator ──rtt + Exp(jitter) [+ rto if a packet is lost]──▶ peer 1 ┐
//!               ──────────────────────────────────────────────────▶ peer 2 ├─ wait for the k-th ack
//!               ──────────────────────────────────────────────────▶ peer m ┘
//!   latency = base + (k-th order statistic of the m round trips)   (k = 0: base + Exp(jitter))
//! ```

use serde::{Deserialize, Serialize};

/// Bisection steps of a quantile (resolution 2^-40 of the search interval).
const BISECTION_STEPS: u32 = 40;

/// Largest number of peers a distribution may wait on (binomial sums stay exact).
pub const MAX_PEERS: u32 = 16;

/// The latency of one kind of operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AckLatency {
    /// Fixed local cost [ms].
    pub base_ms: f64,
    /// Round trip to a peer replica [ms].
    pub rtt_ms: f64,
    /// Mean of the exponential jitter of a round trip (or of the local op when `acks` = 0) [ms].
    pub jitter_ms: f64,
    /// Acks waited for (0 = local only).
    pub acks: u32,
    /// Peers that can ack.
    pub peers: u32,
    /// Probability that a round trip loses a packet and retransmits [0..1].
    pub retransmit_p: f64,
    /// Retransmission timeout [ms].
    pub rto_ms: f64,
}

impl AckLatency {
    /// A local operation: `base_ms` plus exponential jitter.
    pub fn local(base_ms: f64, jitter_ms: f64) -> Self {
        AckLatency {
            base_ms,
            jitter_ms,
            ..AckLatency::default()
        }
    }

    /// P(latency ≤ t_ms).
    pub fn cdf(&self, t_ms: f64) -> f64 {
        let x = t_ms - self.base_ms;
        if self.acks == 0 {
            return exp_cdf(x, self.jitter_ms);
        }
        let q = self.retransmit_p.clamp(0.0, 1.0);
        let g = (1.0 - q) * exp_cdf(x - self.rtt_ms, self.jitter_ms)
            + q * exp_cdf(x - self.rtt_ms - self.rto_ms, self.jitter_ms);
        at_least_k_of_m(g, self.acks.min(MAX_PEERS), self.peers.min(MAX_PEERS))
    }

    /// An upper bound of the support worth searching [ms].
    fn search_hi(&self) -> f64 {
        self.base_ms + self.rtt_ms + self.rto_ms + 60.0 * self.jitter_ms + 1.0
    }
}

/// P(Exp(mean) ≤ x); a step at 0 when the mean is 0.
fn exp_cdf(x: f64, mean: f64) -> f64 {
    if x < 0.0 {
        0.0
    } else if mean <= 0.0 {
        1.0
    } else {
        1.0 - (-x / mean).exp()
    }
}

/// P(at least k of m independent events of probability g).
fn at_least_k_of_m(g: f64, k: u32, m: u32) -> f64 {
    if k > m {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut binom = 1.0; // C(m, j)
    for j in 0..=m {
        if j >= k {
            sum += binom * g.powi(j as i32) * (1.0 - g).powi((m - j) as i32);
        }
        binom = binom * f64::from(m - j) / f64::from(j + 1);
    }
    sum.clamp(0.0, 1.0)
}

/// The `p`-quantile [ms] of a mixture of `(weight, latency)` parts; 0 when the weights are 0.
pub fn mixture_quantile(parts: &[(f64, AckLatency)], p: f64) -> f64 {
    let total: f64 = parts.iter().map(|(w, _)| w.max(0.0)).sum();
    if total <= 0.0 || !total.is_finite() {
        return 0.0;
    }
    let cdf = |t: f64| {
        parts
            .iter()
            .map(|(w, d)| w.max(0.0) * d.cdf(t))
            .sum::<f64>()
            / total
    };
    let mut lo = 0.0;
    let mut hi = parts
        .iter()
        .filter(|(w, _)| *w > 0.0)
        .map(|(_, d)| d.search_hi())
        .fold(1.0, f64::max);
    for _ in 0..BISECTION_STEPS {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) >= p {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_operation_has_the_exponential_quantiles() {
        let d = AckLatency::local(1.0, 2.0);
        let p99 = mixture_quantile(&[(1.0, d)], 0.99);
        assert!((p99 - (1.0 + 2.0 * 100f64.ln())).abs() < 1e-6);
    }

    #[test]
    fn waiting_for_more_acks_is_slower_and_packet_loss_adds_the_timeout_to_the_tail() {
        let one = AckLatency {
            base_ms: 1.0,
            rtt_ms: 10.0,
            jitter_ms: 1.0,
            acks: 1,
            peers: 4,
            retransmit_p: 0.0,
            rto_ms: 200.0,
        };
        let all = AckLatency { acks: 4, ..one };
        let lossy = AckLatency {
            retransmit_p: 0.05,
            ..all
        };
        let q = |d: AckLatency| mixture_quantile(&[(1.0, d)], 0.99);
        assert!(q(one) < q(all));
        assert!(q(lossy) > q(all) + 150.0);
    }
}
