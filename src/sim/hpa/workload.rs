//! The small CPU workload model used by the HPA sequence vectors and `scalesim hpa`
//! (docs/models.md#hpa-workload-model).
//! It is a stated assumption, not Kubernetes.
//!
//! ```text
//!   demand D(t) [m] ──split evenly──▶ ready pod 1 … ready pod n   (D // n each, capped at the limit)
//!                                       new pods: unready, no traffic until t + ready delay
//!   sync at t0, t0+15, … : HPA.reconcile ──▶ replicas change at once (unready / newest deleted first)
//! ```
//!
//! Metrics are instantaneous (sample at `now`, window 0), so a pod counts for CPU from the first
//! sync at which it is ready.
//!
//! The other metrics ([`OtherLoads`], for `scalesim hpa` with a multi-column load) follow the same
//! model: a total over the pods (memory, a Pods metric) is shared evenly by the ready pods, a
//! not-ready pod reports 0; an Object or External metric is the value itself.

use super::controller::{HpaController, HpaDecision, HpaMetrics, HpaPod, PodPhase};

/// The inputs of one simulated run.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuWorkload {
    /// Demand steps `(t_s, demand_m)`: total CPU demand [millicores] from `t_s` until the next
    /// step; sorted by time. Before the first step the demand is 0.
    pub demand_steps: Vec<(f64, i64)>,
    /// Pods at the start, long ready [pods].
    pub initial_replicas: i32,
    /// CPU request of every pod [millicores].
    pub cpu_request_m: i64,
    /// CPU limit of every pod [millicores]; usage is capped at it.
    pub cpu_limit_m: Option<i64>,
    /// Time from creation to Ready [s].
    pub ready_delay_s: f64,
    /// First sync [s].
    pub t_start_s: f64,
    /// Last sync no later than this [s].
    pub until_s: f64,
    /// Time between syncs [s].
    pub sync_period_s: f64,
}

impl CpuWorkload {
    /// Total demand at `t_s` [millicores]: the last step at or before `t_s`.
    pub fn demand_at(&self, t_s: f64) -> i64 {
        step_at(&self.demand_steps, t_s)
    }
}

/// A pod of the model: created at `created_s`, Ready from `ready_at_s`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ModelPod {
    created_s: f64,
    ready_at_s: f64,
}

/// Step values `(t_s, value)` over time: the last step at or before `t_s` (0 before the first).
/// A binary search: a sync costs log(rows), so a replay is linear in its rows and syncs
/// (a scan from the first row made a million rows take minutes).
fn step_at(steps: &[(f64, i64)], t_s: f64) -> i64 {
    match steps.partition_point(|&(t, _)| t <= t_s) {
        0 => 0,
        n => steps[n - 1].1,
    }
}

/// The loads of the metrics besides CPU, each as steps `(t_s, value)` sorted by time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OtherLoads {
    /// Memory in use, total over the pods [bytes].
    pub memory_bytes: Vec<(f64, i64)>,
    /// Memory request of every pod [bytes].
    pub memory_request_bytes: i64,
    /// Pods metrics by name: the total over the pods [milli-units].
    pub pods: Vec<(String, Vec<(f64, i64)>)>,
    /// Object metrics by name: the value [milli-units].
    pub object: Vec<(String, Vec<(f64, i64)>)>,
    /// External metrics by name: the value [milli-units].
    pub external: Vec<(String, Vec<(f64, i64)>)>,
}

/// The value of metric `name` in `list` at `t_s`; `None` when it has no steps.
fn named_at(list: &[(String, Vec<(f64, i64)>)], name: &str, t_s: f64) -> Option<i64> {
    list.iter()
        .find(|(n, _)| n == name)
        .map(|(_, steps)| step_at(steps, t_s))
}

/// The metrics view of one sync.
struct ModelView<'a> {
    pods: &'a [HpaPod],
    other: &'a OtherLoads,
    t_s: f64,
    n_ready: i64,
}

impl HpaMetrics for ModelView<'_> {
    fn pods(&self) -> &[HpaPod] {
        self.pods
    }
    fn pod_metric_m(&self, name: &str, index: usize) -> Option<i64> {
        let total = named_at(&self.other.pods, name, self.t_s)?;
        let ready = self.pods.get(index)?.ready;
        Some(if ready && self.n_ready > 0 {
            total / self.n_ready
        } else {
            0
        })
    }
    fn external_metric_m(&self, name: &str) -> Option<i64> {
        named_at(&self.other.external, name, self.t_s)
    }
    fn object_metric_m(&self, name: &str) -> Option<i64> {
        named_at(&self.other.object, name, self.t_s)
    }
}

/// Most syncs a run may have (guards against a tiny sync period).
pub const MAX_SYNCS: usize = 1_000_000;

/// Runs `hpa_ref.simulate_cpu`: one [`HpaDecision`] per sync at `t_start_s + k × sync_period_s`
/// up to `until_s` (at most [`MAX_SYNCS`] rows).
pub fn simulate_cpu(controller: &mut HpaController, w: &CpuWorkload) -> Vec<HpaDecision> {
    simulate(controller, w, &OtherLoads::default())
}

/// [`simulate_cpu`] with the loads of the other metrics: memory and Pods totals shared by the
/// ready pods, Object and External values as given.
pub fn simulate(
    controller: &mut HpaController,
    w: &CpuWorkload,
    other: &OtherLoads,
) -> Vec<HpaDecision> {
    let initial = w.initial_replicas.max(0) as usize;
    let long_ago = w.t_start_s - 10_000.0;
    let mut pods: Vec<ModelPod> = vec![
        ModelPod {
            created_s: long_ago,
            ready_at_s: long_ago,
        };
        initial
    ];
    let mut spec_replicas = w.initial_replicas.max(0);
    let mut view: Vec<HpaPod> = Vec::with_capacity(initial);
    let mut order: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    if w.sync_period_s.is_nan()
        || w.sync_period_s <= 0.0
        || !w.t_start_s.is_finite()
        || !w.until_s.is_finite()
    {
        return rows;
    }
    let mut t = w.t_start_s;
    loop {
        if t > w.until_s + 1e-9 || rows.len() >= MAX_SYNCS {
            break;
        }
        let n_ready = pods.iter().filter(|p| p.ready_at_s <= t).count() as i64;
        let demand = w.demand_at(t);
        let mut per_pod = if n_ready > 0 { demand / n_ready } else { 0 };
        let memory_per_pod = if n_ready > 0 {
            step_at(&other.memory_bytes, t) / n_ready
        } else {
            0
        };
        if let Some(limit) = w.cpu_limit_m {
            per_pod = per_pod.min(limit);
        }
        view.clear();
        for p in &pods {
            let ready = p.ready_at_s <= t;
            view.push(HpaPod {
                phase: PodPhase::Running,
                ready,
                start_time_s: Some(p.created_s),
                last_ready_transition_s: Some(if ready { p.ready_at_s } else { p.created_s }),
                cpu_usage_m: Some(if ready { per_pod } else { 0 }),
                cpu_request_m: w.cpu_request_m,
                memory_usage_bytes: Some(if ready { memory_per_pod } else { 0 }),
                memory_request_bytes: other.memory_request_bytes,
                sample_time_s: t,
                sample_window_s: 0.0,
            });
        }
        let metrics = ModelView {
            pods: &view,
            other,
            t_s: t,
            n_ready,
        };
        let decision = controller.reconcile(t, spec_replicas, &metrics);
        let new = decision.replicas_after;
        rows.push(decision);
        if new > spec_replicas {
            for _ in spec_replicas..new {
                pods.push(ModelPod {
                    created_s: t,
                    ready_at_s: t + w.ready_delay_s,
                });
            }
        } else if new < spec_replicas {
            // The ReplicaSet deletes not-ready pods first, then the newest.
            order.clear();
            order.extend(0..pods.len());
            crate::sim::ordering::sort_indices(&mut order, &|a, b| {
                let ka = (pods[a].ready_at_s <= t, -pods[a].ready_at_s);
                let kb = (pods[b].ready_at_s <= t, -pods[b].ready_at_s);
                ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
            });
            let drop_n = ((spec_replicas - new) as usize).min(pods.len());
            let mut keep = vec![true; pods.len()];
            for &i in &order[..drop_n] {
                keep[i] = false;
            }
            let mut i = 0;
            pods.retain(|_| {
                let k = keep[i];
                i += 1;
                k
            });
        }
        spec_replicas = new;
        t += w.sync_period_s;
    }
    rows
}
