//! A VPA-style right-sizing recommendation: the p95 of observed per-pod usage plus a
//! safety margin (docs/models.md#vpa).
//!
//! ```text
//!   each HPA sync: every running app pod's CPU [m] and memory [MiB] ─▶ log histograms
//!   recommendation = max(p95 × (1 + margin), the recommender's floor: 25m, 250 MiB)
//! ```

use super::super::histogram::LatencyHistogram;
use super::super::topology::{Pod, PodKind};
use serde::{Deserialize, Serialize};

/// Safety margin on top of the p95 (the VPA recommender's default is 15 %).
pub const MARGIN: f64 = 0.15;

/// Least CPU request the recommender gives [millicores]: its
/// `--pod-recommendation-min-cpu-millicores` default (VPA FAQ, "What are the
/// parameters to VPA recommender?"). An idle pod is not told to request 0m.
pub const MIN_CPU_M: f64 = 25.0;

/// Least memory request the recommender gives [MiB]: its
/// `--pod-recommendation-min-memory-mb` default (same source).
pub const MIN_MEMORY_MIB: f64 = 250.0;

/// Usage samples (the log-binned histogram works for any positive quantity).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VpaRecommender {
    /// CPU usage samples [millicores].
    pub cpu_m: LatencyHistogram,
    /// Memory usage samples [MiB].
    pub memory_mib: LatencyHistogram,
}

/// A right-sizing recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// p95 CPU usage [millicores].
    pub cpu_p95_m: f64,
    /// Recommended CPU request [millicores].
    pub cpu_request_m: f64,
    /// p95 memory usage [MiB].
    pub memory_p95_mib: f64,
    /// Recommended memory request [MiB].
    pub memory_request_mib: f64,
}

/// Samples one running app pod (at each HPA sync, in its pass over the pods):
/// `cpu_m` is its mean CPU usage since the last sync [millicores], a rate over
/// a window as metrics-server reports it, not one tick's (a 10 ms tick's
/// usage is a handful of requests, and its p95 would follow the tick size).
#[inline]
pub fn sample(v: &mut VpaRecommender, p: &Pod, cpu_m: f64) {
    if p.kind == PodKind::App && p.state.is_ready() {
        v.cpu_m.add(cpu_m.max(0.2), 1.0);
        v.memory_mib.add(p.memory_mib.max(0.2), 1.0);
    }
}

impl VpaRecommender {
    /// The recommendation, or `None` before any sample.
    pub fn recommend(&self) -> Option<Recommendation> {
        if self.cpu_m.total <= 0.0 {
            return None;
        }
        let mut c = [0.0];
        let mut m = [0.0];
        self.cpu_m.quantiles_ms(&[0.95], &mut c);
        self.memory_mib.quantiles_ms(&[0.95], &mut m);
        Some(Recommendation {
            cpu_p95_m: c[0],
            cpu_request_m: (c[0] * (1.0 + MARGIN)).max(MIN_CPU_M),
            memory_p95_mib: m[0],
            memory_request_mib: (m[0] * (1.0 + MARGIN)).max(MIN_MEMORY_MIB),
        })
    }
}
