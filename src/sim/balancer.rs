//! The load balancer: algorithms, health checks, cross-zone, stickiness, slow start
//! (stage 4 of [`step()`](super::step()), "Routing"; docs/models.md#load-balancer).
//!
//! ```text
//!   users ─GSLB─▶ region ─▶ zone LB ─┬─ cross-zone on:  all pods of the region
//!                                    └─ cross-zone off: pods of its own zone
//!                 weight(pod) = algorithm × slow start;  sticky share ∝ sessions
//! ```
//!
//! Requests are routed as aggregate flows (a fluid model), never one by one:
//! each pod gets `arrivals × weight / Σ weights` per tick. The algorithms become
//! weights:
//! - **round robin**: 1 per pod;
//! - **weighted**: the zone's configured weight;
//! - **least outstanding requests**: 1 / (1 + outstanding), outstanding = the pod's queue;
//! - **power of two choices**: 1 / (1 + outstanding)², the fluid limit of picking the
//!   less loaded of two random pods favours light pods more sharply than least-outstanding;
//!   a seeded ±5 % jitter per pod and tick stands in for the random pairs.
//!
//! The LB's view of a pod comes from health checks every `health_check_interval_s`:
//! a pod that dies keeps receiving (and failing) traffic until `unhealthy_threshold`
//! checks in a row have failed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the LB spreads requests over pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LbAlgorithm {
    /// Equal shares.
    #[default]
    RoundRobin,
    /// Fewest outstanding requests wins.
    LeastOutstanding,
    /// Shares by zone weight.
    Weighted,
    /// Power of two random choices.
    PowerOfTwo,
}
crate::named_enum!(LbAlgorithm {
    RoundRobin = "round_robin",
    LeastOutstanding = "least_outstanding",
    Weighted = "weighted",
    PowerOfTwo = "power_of_two",
});

/// Sticky sessions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StickyConfig {
    /// Share of requests that belong to a session pinned to one pod (0..1).
    pub fraction: f64,
    /// Mean session length [s].
    pub session_s: f64,
    /// Requests per session (new sessions per second = sticky rate / this).
    pub requests_per_session: f64,
}

impl Default for StickyConfig {
    fn default() -> Self {
        Self {
            fraction: 0.8,
            session_s: 1800.0,
            requests_per_session: 50.0,
        }
    }
}

/// The load balancer's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BalancerConfig {
    /// Algorithm.
    pub algorithm: LbAlgorithm,
    /// Time between health checks [s] (default 10 s).
    pub health_check_interval_s: f64,
    /// Failed checks in a row before a pod leaves rotation.
    pub unhealthy_threshold: u8,
    /// Cross-zone load balancing: any zone's LB may send to any pod of the region.
    pub cross_zone: bool,
    /// Sticky sessions (off when absent).
    pub sticky: Option<StickyConfig>,
    /// Slow start: a new pod's share rises linearly over this time [s] (0 = off).
    pub slow_start_s: f64,
    /// Zone weights for the `weighted` algorithm, by zone name (default 1).
    pub zone_weights: BTreeMap<String, f64>,
}

impl Default for BalancerConfig {
    fn default() -> Self {
        Self {
            algorithm: LbAlgorithm::RoundRobin,
            health_check_interval_s: 10.0,
            unhealthy_threshold: 3,
            cross_zone: true,
            sticky: None,
            slow_start_s: 0.0,
            zone_weights: BTreeMap::new(),
        }
    }
}

/// The routing weight of a pod in rotation.
/// `outstanding` [requests], `in_lb_for_s` time since it joined [s], `jitter` in [0, 1).
#[inline]
pub fn pod_weight(
    cfg: &BalancerConfig,
    zone_weight: f64,
    outstanding: f64,
    in_lb_for_s: f64,
    jitter: f64,
) -> f64 {
    let base = match cfg.algorithm {
        LbAlgorithm::RoundRobin => 1.0,
        LbAlgorithm::Weighted => zone_weight,
        LbAlgorithm::LeastOutstanding => 1.0 / (1.0 + outstanding),
        LbAlgorithm::PowerOfTwo => {
            let w = 1.0 / (1.0 + outstanding);
            w * w * (0.95 + 0.1 * jitter)
        }
    };
    if cfg.slow_start_s > 0.0 && in_lb_for_s < cfg.slow_start_s {
        base * (in_lb_for_s / cfg.slow_start_s).max(0.05)
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_outstanding_prefers_the_shorter_queue() {
        let cfg = BalancerConfig {
            algorithm: LbAlgorithm::LeastOutstanding,
            ..Default::default()
        };
        assert!(pod_weight(&cfg, 1.0, 0.0, 100.0, 0.0) > pod_weight(&cfg, 1.0, 50.0, 100.0, 0.0));
    }

    #[test]
    fn slow_start_ramps_a_new_pods_share() {
        let cfg = BalancerConfig {
            slow_start_s: 30.0,
            ..Default::default()
        };
        assert!((pod_weight(&cfg, 1.0, 0.0, 15.0, 0.0) - 0.5).abs() < 1e-12);
        assert_eq!(pod_weight(&cfg, 1.0, 0.0, 60.0, 0.0), 1.0);
    }
}
