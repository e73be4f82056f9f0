//! A read-only snapshot of the world for the UI and the CLI: plain data, no models.
//!
//! ```text
//!   World ──Snapshot::of──▶ { t, last tick, zones ⊃ nodes ⊃ pods, HPA, CA, counters, SLO, cost, tiers }
//! ```

use super::control::vpa::Recommendation;
use super::cost::CostMeter;
use super::failure::FailureCounts;
use super::tiers::view::TierViews;
use super::tiers::DataCounters;
use super::topology::{NodeState, PodKind, PodState};
use super::world::{Counters, TickStats, World};
use serde::{Deserialize, Serialize};

/// A pod as drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PodView {
    /// Id.
    pub id: u64,
    /// Pause pod (placeholder) rather than the app.
    pub pause: bool,
    /// State.
    pub state: PodState,
    /// Node id, if scheduled.
    pub node: Option<u64>,
    /// Zone index.
    pub zone: u16,
    /// In the load balancer's rotation.
    pub in_rotation: bool,
    /// CPU use [millicores].
    pub cpu_usage_m: f64,
    /// Memory in use [MiB].
    pub memory_mib: f64,
    /// Requests queued.
    pub queue: f64,
    /// Requests routed to it in the last tick.
    pub routed: f64,
    /// Its version: an index into the world's versions (0 the starting one).
    #[serde(default)]
    pub version: u8,
}

/// A node as drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeView {
    /// Id.
    pub id: u64,
    /// Zone index.
    pub zone: u16,
    /// State.
    pub state: NodeState,
    /// Requested CPU / allocatable [%].
    pub cpu_requested_pct: f64,
    /// Why the cluster autoscaler keeps this under-utilized node, in a few words
    /// ("its pod fits on no other node"); `None` when it does not hold it back.
    #[serde(default)]
    pub kept_because: Option<String>,
}

/// A zone as drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneView {
    /// Name.
    pub name: String,
    /// Region name.
    pub region: String,
    /// Alive.
    pub alive: bool,
    /// Requests of this zone failing over the last tick, by reason [req/s].
    #[serde(default)]
    pub failures_rps: FailureCounts,
}

/// The burn rate over one window of the multiwindow alerts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnWindowView {
    /// Window length [s].
    pub window_s: f64,
    /// Burn rate over it [×]: error ratio / (1 − SLO).
    pub burn_rate: f64,
}

/// One multiwindow burn-rate alert rule, live: it fires when both windows burn
/// faster than the threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnAlertView {
    /// Name ("page 14.4× 1h/5m").
    pub name: String,
    /// Pages a person (else opens a ticket).
    pub page: bool,
    /// Burn-rate threshold both windows must exceed [×].
    pub threshold: f64,
    /// Long window [s].
    pub long_window_s: f64,
    /// Burn rate over the long window [×].
    pub long_burn_rate: f64,
    /// Short window [s].
    pub short_window_s: f64,
    /// Burn rate over the short window [×].
    pub short_burn_rate: f64,
    /// Firing now.
    pub firing: bool,
}

/// Everything the UI draws for one instant: the world's own parts (the last
/// tick's figures, the counters, the cost meter, each tier's view) held whole, and
/// the views built for drawing (zones, nodes, pods, burn-rate alerts).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Simulated time [s].
    pub t_s: f64,
    /// The last tick's figures: demand, arrivals, served, errors [req/s], windowed
    /// p50/p95/p99 [ms], mean CPU of ready pods against requests [%].
    pub last: TickStats,
    /// Deployment replicas.
    pub replicas: i32,
    /// minReplicas in force (with pre-scaling).
    pub min_replicas: i32,
    /// maxReplicas.
    pub max_replicas: i32,
    /// The HPA's last decision, in words.
    pub hpa_last: Option<String>,
    /// The cluster autoscaler's last "nothing to do" reason.
    pub ca_last: String,
    /// Zones.
    pub zones: Vec<ZoneView>,
    /// Nodes.
    pub nodes: Vec<NodeView>,
    /// Pods.
    pub pods: Vec<PodView>,
    /// Cumulative counters.
    pub counters: Counters,
    /// Error budget remaining [%] (100 without SLOs).
    pub budget_remaining_pct: f64,
    /// Burn rate over 1 h and 5 min.
    pub burn_rate_1h: f64,
    /// [1]
    pub burn_rate_5m: f64,
    /// Alerts firing, by name.
    pub alerts_firing: Vec<String>,
    /// The burn rate over every window of the alert table, shortest first
    /// (5 min, 30 min, 1 h, 6 h, 3 d), empty without SLOs.
    #[serde(default)]
    pub burn_windows: Vec<BurnWindowView>,
    /// Every alert rule with its windows' burn rates, threshold and state.
    #[serde(default)]
    pub burn_alerts: Vec<BurnAlertView>,
    /// Error-budget policy tier.
    pub policy_tier: Option<String>,
    /// Spend: rate [$/hour] and so far [$].
    pub cost: CostMeter,
    /// Right-sizing recommendation.
    pub vpa: Option<Recommendation>,
    /// Events so far.
    pub event_count: usize,
    /// The data and async tiers, each absent when the scenario has none: CDN (hit
    /// ratio, offload, per class), cache (hit ratio, ops/s per shard), database
    /// (primary and replicas per shard, lag, connections), Kafka (partitions, lag,
    /// consumers), consistency (mode per class, stale reads, conflicts, lost writes),
    /// GSLB (per-region state and rps), the external dependency.
    pub tiers: TierViews,
    /// Data-tier counts: failures by reason, stale reads, conflicts, lost writes.
    pub data_counters: DataCounters,
    /// The clients' retries, when they retry (`[retry.client]`).
    #[serde(default)]
    pub client_retries: Option<RetryView>,
    /// The clients' circuit breaker's state, when they have one (`[breaker.client]`).
    #[serde(default)]
    pub client_breaker: Option<crate::sim::resilience::circuit_breaker::CbState>,
    /// Whether the world has a rate limit, load shedding, or retries or a breaker on a
    /// dependency edge (the page's Protection chart; [`edge_views`] and
    /// [`class_refusals`] give the figures).
    #[serde(default)]
    pub protection: bool,
    /// Whether the world has a rate limit or load shedding, or had one earlier in the
    /// run (its per-class refusals are recorded).
    #[serde(default)]
    pub refusing: bool,
}

/// A dependency edge's protection this tick, as the diagram shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeView {
    /// Which edge.
    pub edge: crate::sim::protection::CallEdge,
    /// Its breaker's state, if it has one.
    pub breaker: Option<crate::sim::resilience::circuit_breaker::CbState>,
    /// Calls at the deepest callee per call sent (retries over every hop) [×].
    pub amplification: f64,
    /// Retries sent [calls/s].
    pub retries_rps: f64,
    /// Calls the open breaker failed at once (or the fallback served) [calls/s].
    pub rejected_rps: f64,
    /// Whether the open breaker's calls get the fallback.
    pub fallback: bool,
    /// Its retry policy, if it retries (`pending` is 0: a dependency edge's retries
    /// happen within their request).
    pub retry: Option<RetryView>,
}

/// One request class's refusals this tick [req/s].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassRefusals {
    /// The class's name.
    pub class: String,
    /// Its priority (higher is shed last).
    pub priority: u8,
    /// Refused by the rate limit (429) [req/s].
    pub rate_limited_rps: f64,
    /// Shed by priority (503) [req/s].
    pub shed_rps: f64,
}

/// A call edge's retry policy and what waits in it, as the page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetryView {
    /// Attempts at most, the first included.
    pub max_attempts: u32,
    /// How the sleep grows.
    pub backoff: crate::sim::protection::BackoffKind,
    /// Jitter on the sleep.
    pub jitter: crate::sim::resilience::backoff::Jitter,
    /// Whether a retry budget caps the retries.
    pub budget: bool,
    /// Retries scheduled and not yet due [attempts].
    pub pending: f64,
}

impl RetryView {
    /// The view of `policy` with `pending` retries waiting [attempts].
    pub fn of(policy: &crate::sim::protection::RetryPolicy, pending: f64) -> RetryView {
        RetryView {
            max_attempts: policy.max_attempts,
            backoff: policy.backoff,
            jitter: policy.jitter,
            budget: policy.budget.is_some(),
            pending,
        }
    }
}

impl Snapshot {
    /// The snapshot of `w`.
    pub fn of(w: &World) -> Snapshot {
        let slo = &w.control.slo;
        let (budget, b1h, b5m, firing) = match slo.availability.as_ref() {
            Some(a) => (
                a.budget_remaining_fraction() * 100.0,
                a.burn_rate(3600.0),
                a.burn_rate(300.0),
                slo.alert_names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| a.alert_firing(*i))
                    .map(|(_, n)| n.clone())
                    .collect(),
            ),
            None => (100.0, 0.0, 0.0, Vec::new()),
        };
        let (burn_windows, burn_alerts) = match slo.availability.as_ref() {
            Some(a) => {
                let burns = a.window_burn_rates();
                let windows = a
                    .windows()
                    .iter()
                    .zip(burns)
                    .map(|(&window_s, &burn_rate)| BurnWindowView {
                        window_s,
                        burn_rate,
                    })
                    .collect();
                let alerts = a
                    .config()
                    .alerts
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let (long, short) = a.rule_window_indices(i).unwrap_or_default();
                        BurnAlertView {
                            name: slo.alert_names.get(i).cloned().unwrap_or_default(),
                            page: r.severity == super::slo::Severity::Page,
                            threshold: r.burn_rate,
                            long_window_s: r.long_window_s,
                            long_burn_rate: burns.get(long).copied().unwrap_or(0.0),
                            short_window_s: r.short_window_s,
                            short_burn_rate: burns.get(short).copied().unwrap_or(0.0),
                            firing: a.alert_firing(i),
                        }
                    })
                    .collect();
                (windows, alerts)
            }
            None => (Vec::new(), Vec::new()),
        };
        let per_s = 1.0 / w.tick_s.max(1e-9);
        Snapshot {
            t_s: w.now_s,
            last: w.last.clone(),
            replicas: w.spec_replicas,
            min_replicas: w.effective_min_replicas(),
            max_replicas: w.max_replicas,
            hpa_last: w.control.hpa.last.map(|d| {
                format!(
                    "{} → {} pods ({})",
                    d.replicas_before,
                    d.replicas_after,
                    d.limited_by.describe()
                )
            }),
            ca_last: w.control.cluster_autoscaler.last_reason.clone(),
            zones: w
                .zones
                .iter()
                .map(|z| ZoneView {
                    name: z.name.clone(),
                    region: w.regions[z.region as usize].name.clone(),
                    alive: z.alive,
                    failures_rps: z.failures.scaled(per_s),
                })
                .collect(),
            nodes: w
                .nodes
                .iter()
                .map(|n| NodeView {
                    id: n.id,
                    zone: n.zone,
                    state: n.state,
                    cpu_requested_pct: n.cpu_requested_m as f64 / n.cpu_alloc_m.max(1) as f64
                        * 100.0,
                    kept_because: w
                        .control
                        .cluster_autoscaler
                        .kept_because(n.id)
                        .map(|r| r.to_string()),
                })
                .collect(),
            pods: w
                .pods
                .iter()
                .map(|p| PodView {
                    id: p.id,
                    pause: p.kind == PodKind::Pause,
                    state: p.state,
                    node: w.nodes.get(p.node as usize).map(|n| n.id),
                    zone: p.zone,
                    in_rotation: p.in_lb,
                    cpu_usage_m: p.cpu_usage_m,
                    memory_mib: w
                        .scenario
                        .topology
                        .pod
                        .memory_in_use_mib(p.memory_mib, p.queue),
                    queue: p.queue,
                    routed: p.routed,
                    version: p.version,
                })
                .collect(),
            counters: w.counters.clone(),
            budget_remaining_pct: budget,
            burn_rate_1h: b1h,
            burn_rate_5m: b5m,
            alerts_firing: firing,
            burn_windows,
            burn_alerts,
            policy_tier: slo.tier.map(|t| t.label().to_string()),
            cost: w.cost.clone(),
            vpa: w.control.vpa.recommend(),
            event_count: w.events.len(),
            tiers: TierViews::of(&w.data, w.now_s, w.tick_s),
            data_counters: w.data.counters,
            client_retries: w
                .client_retries
                .as_ref()
                .map(|r| RetryView::of(&r.policy, r.pending)),
            client_breaker: w.client_breaker.as_ref().map(|b| b.state),
            refusing: w.rate_limiter.is_some() || w.shedder.is_some() || w.class_refusals.is_some(),
            protection: w.rate_limiter.is_some()
                || w.shedder.is_some()
                || w.data.has_edge_protection(),
        }
    }
}

/// The dependency edges with retries or a breaker, in the order database, external,
/// consumers.
pub fn edge_views(w: &World) -> Vec<EdgeView> {
    use crate::sim::protection::CallEdge;
    [
        CallEdge::Database,
        CallEdge::External,
        CallEdge::Consumer,
        CallEdge::Cache,
    ]
    .into_iter()
    .filter_map(|edge| {
        let e = w.data.edge(edge)?;
        Some(EdgeView {
            edge,
            breaker: e.breaker.as_ref().map(|b| b.state),
            amplification: e.last.amplification(),
            retries_rps: e.last.retries / w.tick_s,
            rejected_rps: e.last.rejected / w.tick_s,
            fallback: e.has_fallback(),
            retry: e.retry.as_ref().map(|p| RetryView::of(p, 0.0)),
        })
    })
    .collect()
}

/// Per request class, what the rate limit and load shedding refused this tick; empty
/// without either.
pub fn class_refusals(w: &World) -> Vec<ClassRefusals> {
    if w.rate_limiter.is_none() && w.shedder.is_none() {
        return Vec::new();
    }
    w.scenario
        .traffic
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| ClassRefusals {
            class: c.name.clone(),
            priority: c.priority,
            rate_limited_rps: w
                .rate_limiter
                .as_ref()
                .map_or(0.0, |r| r.refused.get(i).copied().unwrap_or(0.0) / w.tick_s),
            shed_rps: w
                .shedder
                .as_ref()
                .map_or(0.0, |s| s.shed.get(i).copied().unwrap_or(0.0) / w.tick_s),
        })
        .collect()
}
