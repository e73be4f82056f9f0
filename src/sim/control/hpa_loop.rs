//! The HPA loop: every sync period, build the HPA's metrics view over the pods,
//! reconcile, apply cooldowns and pre-scaling, and set `spec.replicas`.
//!
//! ```text
//!   pods ─▶ HpaPod view (CPU = mean usage since the last sync) ─▶ HpaController::reconcile
//!                                                                   │ HpaDecision
//!   pre-scaling floor, cooldowns            ◀───────────────────────┘ ─▶ spec.replicas + event
//! ```
//!
//! Metrics the view offers besides CPU and memory:
//! - Pods metrics `requests_per_second` / `http_requests_per_second` / `rps`: the
//!   pod's requests per second since the last sync;
//! - External metrics `queue_depth` / `queued_requests`: requests queued over all pods;
//! - Object metrics `requests_per_second` / `hits_per_second`: the arrivals of the
//!   whole service (an Ingress), per second.
//!
//! Values are in milli-units, as Kubernetes `MilliValue()`. Cooldowns and pre-scaling:
//! docs/models.md#pre-scaling.

use super::super::events::{ScaleLimit, Scaler, SimEvent};
use super::super::hpa::spec::{MetricSourceType, ReadableMetrics};
use super::super::hpa::{
    HpaController, HpaControllerConfig, HpaDecision, HpaMetrics, HpaPod, HpaSpec, LimitReason,
    PodPhase,
};
use super::super::topology::{PodKind, PodState};
use super::super::world::World;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The HPA's state across syncs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HpaLoop {
    /// The HPA spec (None: no HPA, replicas stay as set).
    pub spec: Option<HpaSpec>,
    /// The controller, serialized with its stabilization history and scale events.
    pub controller: Option<HpaController>,
    /// Sync period [s].
    pub sync_period_s: f64,
    /// Next sync [s].
    pub next_sync_s: f64,
    /// The last decision.
    pub last: Option<HpaDecision>,
    /// Time of the last scale-up [s] (cooldowns).
    pub last_scale_up_s: f64,
    /// Time of the last replica change [s] (cooldowns).
    pub last_scale_s: f64,
    /// Time of the last sync [s] (averaging window of the CPU samples).
    pub last_sync_s: f64,
    /// CPU target of the first CPU Utilization metric [%].
    pub cpu_target_pct: Option<i64>,
    /// Scratch: the pods view.
    #[serde(skip)]
    pub pods_view: Vec<HpaPod>,
    /// Scratch: requests per second per pod [milli-req/s], same order.
    #[serde(skip)]
    pub rps_view_m: Vec<i64>,
}

/// The first HPA sync at or after `from_s` [s] in a run of `tick_s`-second ticks:
/// the loop syncs at the first tick start at or after each multiple of the sync
/// period `sync_period_s` (from 0), and at every tick when a tick is longer than
/// the period. The pre-scaler reads its windows only then, as the real HPA reads
/// a changed minReplicas at its next sync: a window no sync falls in changes
/// nothing (`scenario::validate` refuses it).
pub fn first_sync_at_or_after(from_s: f64, tick_s: f64, sync_period_s: f64) -> f64 {
    if tick_s > sync_period_s {
        return tick_at_or_after(from_s, tick_s);
    }
    let k = (from_s / sync_period_s).floor().max(0.0);
    let at = tick_at_or_after(k * sync_period_s, tick_s);
    if at >= from_s {
        at
    } else {
        tick_at_or_after((k + 1.0) * sync_period_s, tick_s)
    }
}

/// The last HPA sync before `from_s` [s] (see [`first_sync_at_or_after`]);
/// `None` when `from_s` is 0.
pub fn last_sync_before(from_s: f64, tick_s: f64, sync_period_s: f64) -> Option<f64> {
    if tick_s > sync_period_s {
        let at = tick_at_or_after(from_s, tick_s) - tick_s;
        return (at >= 0.0).then_some(at);
    }
    let mut k = (from_s / sync_period_s).floor();
    while k >= 0.0 {
        let at = tick_at_or_after(k * sync_period_s, tick_s);
        if at < from_s {
            return Some(at);
        }
        k -= 1.0;
    }
    None
}

/// The tick start the stepper reaches first at or after `t_s` (`now_s = n × tick_s`) [s].
fn tick_at_or_after(t_s: f64, tick_s: f64) -> f64 {
    let mut n = (t_s / tick_s).ceil().max(0.0);
    if n >= 1.0 && (n - 1.0) * tick_s >= t_s {
        n -= 1.0;
    }
    if n * tick_s < t_s {
        n += 1.0;
    }
    n * tick_s
}

impl HpaLoop {
    /// The loop for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let config = HpaControllerConfig::default();
        let cpu_target_pct = scenario.hpa.as_ref().and_then(|s| {
            s.clone().with_api_defaults().metrics.iter().find_map(|m| {
                (m.source_type == MetricSourceType::Resource)
                    .then_some(m.resource.as_ref())
                    .flatten()
                    .filter(|r| r.name == "cpu")
                    .and_then(|r| r.target.average_utilization)
                    .map(i64::from)
            })
        });
        Self {
            spec: scenario.hpa.clone(),
            controller: None,
            sync_period_s: config.sync_period_s,
            next_sync_s: 0.0,
            last: None,
            last_scale_up_s: -1.0e12,
            last_scale_s: -1.0e12,
            last_sync_s: 0.0,
            cpu_target_pct,
            pods_view: Vec::new(),
            rps_view_m: Vec::new(),
        }
    }
}

/// What the service's HPA can read besides CPU and memory: requests per second
/// per pod (Pods), the Ingress's arrivals (Object) and the requests queued
/// across pods (External).
pub const READABLE: ReadableMetrics = ReadableMetrics {
    pods: &["requests_per_second", "http_requests_per_second", "rps"],
    object: &["requests_per_second", "hits_per_second"],
    external: &["queue_depth", "queued_requests"],
};

/// The HPA's view of the world at one sync.
struct MetricsView<'a> {
    pods: &'a [HpaPod],
    rps_m: &'a [i64],
    queued_m: i64,
    arrivals_m: i64,
}

impl HpaMetrics for MetricsView<'_> {
    fn pods(&self) -> &[HpaPod] {
        self.pods
    }
    fn pod_metric_m(&self, name: &str, index: usize) -> Option<i64> {
        READABLE
            .pods
            .contains(&name)
            .then(|| self.rps_m.get(index).copied())
            .flatten()
    }
    fn external_metric_m(&self, name: &str) -> Option<i64> {
        READABLE.external.contains(&name).then_some(self.queued_m)
    }
    fn object_metric_m(&self, name: &str) -> Option<i64> {
        READABLE.object.contains(&name).then_some(self.arrivals_m)
    }
}

/// One HPA sync at `w.now_s`.
pub fn sync(w: &mut World) {
    let now = w.now_s;
    let window = (now - w.control.hpa.last_sync_s).max(w.tick_s);
    w.control.hpa.last_sync_s = now;
    let spec = &w.scenario.topology.pod;
    let (req_m, mem_req) = (spec.cpu_request_m, spec.memory_request_mib * 1_048_576);
    let image_pull = spec.image_pull_s;
    // minReplicas in force: the HPA's own, or a pre-scaling raise.
    let floor = w.effective_min_replicas();
    let hpa = &mut w.control.hpa;
    let vpa = &mut w.control.vpa;
    hpa.pods_view.clear();
    hpa.rps_view_m.clear();
    let mut queued = 0.0;
    // A blue-green release's idle environment is not the HPA's target
    // (docs/models.md#blue-green-releases).
    let idle = w.rollout.as_ref().and_then(|r| r.idle_version());
    for (p, t) in w.pods.iter_mut().zip(w.pod_times.iter()) {
        if p.kind != PodKind::App {
            continue;
        }
        if idle == Some(p.version) {
            p.cpu_used_ms_since_sync = 0.0;
            p.requests_since_sync = 0.0;
            continue;
        }
        // The VPA samples at each sync, in the same pass.
        super::vpa::sample(vpa, p, p.cpu_used_ms_since_sync / window);
        queued += p.queue;
        let running = p.node != super::super::topology::NO_NODE
            && t.start_time_s.is_some_and(|s| now >= s + image_pull);
        let phase = match p.state {
            PodState::Pending => PodPhase::Pending,
            PodState::Starting if !running => PodPhase::Pending,
            PodState::Starting | PodState::Warming | PodState::Ready => PodPhase::Running,
            PodState::Draining => PodPhase::Terminating,
            PodState::Dead => PodPhase::Failed,
        };
        let has_sample = phase == PodPhase::Running;
        hpa.pods_view.push(HpaPod {
            phase,
            ready: p.state.is_ready(),
            start_time_s: t.start_time_s,
            last_ready_transition_s: t.last_ready_transition_s,
            cpu_usage_m: has_sample.then(|| (p.cpu_used_ms_since_sync / window).round() as i64),
            cpu_request_m: req_m,
            memory_usage_bytes: has_sample.then_some((p.memory_mib * 1_048_576.0) as i64),
            memory_request_bytes: mem_req,
            sample_time_s: now,
            sample_window_s: window,
        });
        hpa.rps_view_m
            .push((p.requests_since_sync / window * 1000.0).round() as i64);
        p.cpu_used_ms_since_sync = 0.0;
        p.requests_since_sync = 0.0;
    }
    let arrivals_m = (w.last.arrivals_rps * 1000.0).round() as i64;
    let Some(spec) = hpa.spec.as_ref() else {
        return;
    };
    let controller = hpa
        .controller
        .get_or_insert_with(|| HpaController::new(spec.clone(), HpaControllerConfig::default()));
    let view = MetricsView {
        pods: &hpa.pods_view,
        rps_m: &hpa.rps_view_m,
        queued_m: (queued * 1000.0).round() as i64,
        arrivals_m,
    };
    let before = w.spec_replicas;
    // Pre-scaling patches minReplicas, as a scheduled `kubectl patch` would: the
    // controller sees the floor and keeps its history (recommendations, scale events).
    controller.set_replica_bounds(floor, w.max_replicas);
    let decision = controller.reconcile(now, before, &view);
    hpa.last = Some(decision);
    let mut after = decision.replicas_after;
    let mut limited = match decision.limited_by {
        LimitReason::MinReplicas { min } if min > w.min_replicas => ScaleLimit::PrescalingFloor,
        other => ScaleLimit::from_hpa(other),
    };
    let cd = &w.scenario.cooldown;
    if after > before && now - hpa.last_scale_up_s < cd.scale_up_s {
        after = before;
        limited = ScaleLimit::Cooldown {
            up: true,
            cooldown_s: cd.scale_up_s,
        };
    } else if after < before && now - hpa.last_scale_s < cd.scale_down_s {
        after = before;
        limited = ScaleLimit::Cooldown {
            up: false,
            cooldown_s: cd.scale_down_s,
        };
    }
    if after != before {
        if after > before {
            hpa.last_scale_up_s = now;
        }
        hpa.last_scale_s = now;
        let target_pct = hpa.cpu_target_pct;
        w.spec_replicas = after;
        w.log(SimEvent::Scaled {
            t_s: now,
            from: before,
            to: after,
            by: Scaler::Hpa,
            utilization_pct: decision.utilization_pct,
            target_pct,
            limited_by: limited,
        });
    }
}

/// Replaces the HPA's bounds (a scheduled or learner change), as a patch of the
/// HPA object: the controller keeps its history ([`HpaController::set_replica_bounds`]).
pub fn set_bounds(w: &mut World) {
    let (min, max, floor) = (w.min_replicas, w.max_replicas, w.effective_min_replicas());
    if let Some(spec) = w.control.hpa.spec.as_mut() {
        spec.min_replicas = min;
        spec.max_replicas = max;
    }
    if let Some(c) = w.control.hpa.controller.as_mut() {
        c.set_replica_bounds(floor, max);
    }
}

#[cfg(test)]
mod tests {
    use super::{first_sync_at_or_after, last_sync_before};

    /// The sync instants the stepper produces: at each tick start `n × tick`,
    /// a sync when it is at or past the next one, which then moves a period on.
    fn engine_syncs(tick_s: f64, period_s: f64, until_s: f64) -> Vec<f64> {
        let (mut next, mut out, mut n) = (0.0, Vec::new(), 0u64);
        loop {
            let now = n as f64 * tick_s;
            if now > until_s {
                return out;
            }
            if now >= next {
                next += period_s;
                out.push(now);
            }
            n += 1;
        }
    }

    #[test]
    fn the_first_sync_at_or_after_a_time_is_the_one_the_stepper_makes() {
        for tick in [0.01, 0.1, 0.3, 0.7, 1.0, 7.0, 10.0, 15.0, 20.0, 60.0] {
            let syncs = engine_syncs(tick, 15.0, 900.0);
            for i in 0..800 {
                let from = f64::from(i) * 0.73;
                let want = syncs.iter().copied().find(|t| *t >= from).unwrap();
                assert_eq!(
                    first_sync_at_or_after(from, tick, 15.0),
                    want,
                    "tick {tick} s, from {from} s"
                );
                let before = syncs.iter().copied().rev().find(|t| *t < from);
                assert_eq!(
                    last_sync_before(from, tick, 15.0),
                    before,
                    "tick {tick} s, before {from} s"
                );
            }
        }
    }
}
