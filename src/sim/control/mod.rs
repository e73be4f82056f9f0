//! Control loops (stage 8 of [`step()`](super::step())), each on its own period, each
//! a reconciler: it reads a view of the world and returns an intent that the engine applies.
//!
//! ```text
//!   every tick : kubelet timers ─ Deployment ─ pause pods ─ scheduler
//!   every 10 s : LB health checks (interval from the balancer)
//!   every 15 s : pre-scaler ─▶ HPA (+ cooldowns) ─▶ spec.replicas      VPA recommender
//!   every 10 s : cluster autoscaler ─▶ nodes requested / removed
//! ```

pub mod autoscaler_loop;
pub mod hpa_loop;
pub mod prescale;
pub mod slo_loop;
pub mod vpa;

use super::world::World;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The state of every controller.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Controllers {
    /// The HPA and its cooldowns.
    pub hpa: hpa_loop::HpaLoop,
    /// The cluster autoscaler.
    pub cluster_autoscaler: autoscaler_loop::AutoscalerLoop,
    /// Scheduled and predictive pre-scaling.
    pub prescale: prescale::Prescaler,
    /// The right-sizing recommender.
    pub vpa: vpa::VpaRecommender,
    /// SLO trackers and alerts.
    pub slo: slo_loop::SloLoop,
}

impl Controllers {
    /// Controllers for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            hpa: hpa_loop::HpaLoop::new(scenario),
            cluster_autoscaler: autoscaler_loop::AutoscalerLoop::new(scenario),
            prescale: prescale::Prescaler::new(scenario),
            vpa: vpa::VpaRecommender::default(),
            slo: slo_loop::SloLoop::new(scenario),
        }
    }
}

/// The HPA bounds of a scenario: (minReplicas, maxReplicas), or the initial replicas
/// twice when it has no HPA.
pub fn hpa_bounds(scenario: &Scenario) -> (i32, i32) {
    match &scenario.hpa {
        Some(h) => (h.min_replicas, h.max_replicas.max(h.min_replicas)),
        None => {
            let n = scenario.topology.initial_replicas as i32;
            (n, n)
        }
    }
}

/// Runs the pod-level controllers due at `w.now_s`: pre-scaler, HPA, VPA.
pub fn run_pod_scalers(w: &mut World) {
    prescale::track_demand(w);
    if w.now_s >= w.control.hpa.next_sync_s {
        w.control.hpa.next_sync_s += w.control.hpa.sync_period_s;
        prescale::update_minimum(w);
        // Samples the VPA too, in its pass over the pods.
        hpa_loop::sync(w);
    }
}

/// Runs the cluster autoscaler if a scan is due (after the scheduler has tried the pending pods).
pub fn run_node_scaler(w: &mut World) {
    if w.control.cluster_autoscaler.enabled && w.now_s >= w.control.cluster_autoscaler.next_scan_s {
        w.control.cluster_autoscaler.next_scan_s += w.control.cluster_autoscaler.scan_interval_s;
        autoscaler_loop::scan(w);
    }
}
