//! Pre-scaling: raise minReplicas ahead of a known event (scheduled) or ahead of the
//! demand the previous period showed at the same time of day (predictive).
//!
//! ```text
//!   demand ─▶ history[bucket of the period] ──(t + lead, one period ago)──▶ forecast rps
//!   forecast × origin share × CPU ms per request / (request × target %) ──▶ pods ─┐
//!   [[prescale.scheduled]] active now ─────────────────────────────┴─ max ─▶ minReplicas floor
//! ```

use super::super::events::SimEvent;
use super::super::world::World;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The pre-scaler's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prescaler {
    /// Mean demand per bucket over the last period [req/s] (empty when predictive is off).
    pub history_rps: Vec<f64>,
    /// Sum of demand in the open bucket [req/s × ticks].
    pub open_sum: f64,
    /// Ticks in the open bucket.
    pub open_ticks: u32,
    /// Index of the open bucket.
    pub open_bucket: usize,
    /// The last forecast [req/s].
    pub forecast_rps: f64,
}

impl Prescaler {
    /// A pre-scaler for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let n = scenario
            .prescale
            .predictive
            .as_ref()
            .map(|p| (p.period_s / p.bucket_s.max(1.0)).ceil().max(1.0) as usize)
            .unwrap_or(0);
        Self {
            history_rps: vec![0.0; n],
            ..Default::default()
        }
    }
}

/// Adds this tick's demand to the history (every tick, O(1)).
pub fn track_demand(w: &mut World) {
    let Some(p) = w.scenario.prescale.predictive.as_ref() else {
        return;
    };
    let ps = &mut w.control.prescale;
    if ps.history_rps.is_empty() {
        return;
    }
    let bucket = ((w.now_s % p.period_s) / p.bucket_s) as usize % ps.history_rps.len();
    if bucket != ps.open_bucket && ps.open_ticks > 0 {
        ps.history_rps[ps.open_bucket] = ps.open_sum / f64::from(ps.open_ticks);
        ps.open_sum = 0.0;
        ps.open_ticks = 0;
    }
    ps.open_bucket = bucket;
    ps.open_sum += w.last.demand_rps;
    ps.open_ticks += 1;
}

/// Recomputes the pre-scaling floor (at each HPA sync).
pub fn update_minimum(w: &mut World) {
    let now = w.now_s;
    let mut floor = 0;
    for s in &w.scenario.prescale.scheduled {
        if s.from_s <= now && now < s.until_s {
            floor = floor.max(s.min_replicas);
        }
    }
    let mut predicted = 0;
    if let Some(p) = w.scenario.prescale.predictive.as_ref() {
        let ps = &mut w.control.prescale;
        let n = ps.history_rps.len();
        if n > 0 && now >= p.period_s {
            let i = (((now + p.lead_s) % p.period_s) / p.bucket_s) as usize % n;
            let forecast = ps.history_rps[i].max(ps.history_rps[(i + 1) % n]);
            ps.forecast_rps = forecast;
            // The forecast is of the demand, before the CDN; the pods pay the CPU of
            // the origin's share of it, at the origin's mix [ms per demanded request].
            let origin_share = 1.0 - w.data.last.cdn_offload_pct / 100.0;
            let cpu_ms = w.last.mean_cpu_ms * origin_share;
            let per_pod_m =
                w.scenario.topology.pod.cpu_request_m as f64 * p.target_utilization_pct / 100.0;
            if per_pod_m > 0.0 {
                predicted = (forecast * cpu_ms / per_pod_m).ceil() as i32;
            }
        }
    }
    floor = floor.max(predicted).min(w.max_replicas);
    let in_force = w.effective_min_replicas();
    w.prescale_min = floor;
    // Logged when minReplicas in force moves: a floor at or under the HPA's own
    // minReplicas changes nothing.
    if w.effective_min_replicas() != in_force {
        let reason = if predicted >= floor && predicted > 0 {
            format!(
                "predictive pre-scaling: {:.0} req/s expected in {:.0} s",
                w.control.prescale.forecast_rps,
                w.scenario
                    .prescale
                    .predictive
                    .as_ref()
                    .map_or(0.0, |p| p.lead_s)
            )
        } else if floor > w.min_replicas {
            "scheduled pre-scaling ahead of a known event".to_string()
        } else {
            "pre-scaling over".to_string()
        };
        w.log(SimEvent::BoundsChanged {
            t_s: now,
            min_replicas: w.effective_min_replicas(),
            max_replicas: w.max_replicas,
            reason,
        });
    }
}
