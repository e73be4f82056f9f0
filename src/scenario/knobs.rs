//! The knobs a learner may turn: HPA bounds and target, behaviour policies,
//! pause pods, pre-scaling, LB algorithm and stickiness. A knob rewrites the
//! scenario before the world is built, so turning one re-simulates the run from
//! t = 0. The page's knob panel, replay links (by `key`) and the grader's
//! configure questions (by `field`) all turn knobs through this one table.

use crate::scenario::Scenario;
use crate::sim::balancer::{LbAlgorithm, StickyConfig};
use crate::sim::consistency::ReadRouting;
use crate::sim::hpa::spec::{
    HpaBehavior, HpaScalingPolicy, HpaScalingRules, MetricSourceType, MetricTargetType, PolicyType,
    SelectPolicy,
};
use crate::sim::protection::CallEdge;
use crate::sim::settings::ScheduledMinimum;

/// A numeric knob (no choices) from its key, field, label, range, step, reader and
/// writer: the one place a [`KnobDef`] of a plain number is spelled out.
macro_rules! number_knob {
    ($key:literal, $field:literal, $label:literal, $min:literal..=$max:literal, $step:literal, $read:expr, $write:expr) => {
        &const {
            KnobDef {
                key: $key,
                field: $field,
                label: $label,
                min: $min,
                max: $max,
                step: $step,
                choices: &[],
                read: $read,
                write: $write,
            }
        }
    };
}

/// A knob on one field of `edge`'s breaker (`[breaker.<edge>]`), stepped by 5 within
/// `range`; it does not apply when the scenario has no breaker on the edge.
macro_rules! breaker_knob {
    ($key:literal, $field:literal, $label:literal, $min:literal..=$max:literal, $edge:expr, $f:ident) => {
        number_knob!(
            $key,
            $field,
            $label,
            $min..=$max,
            5.0,
            |s| s.breaker.get($edge).map(|b| b.$f),
            |s, v| {
                if let Some(b) = s.breaker.get_mut($edge) {
                    b.$f = v;
                }
            }
        )
    };
}

/// A knob on one field of `[canary]`; it does not apply when the scenario has no
/// `[[versions]]` to release.
macro_rules! canary_knob {
    ($key:literal, $field:literal, $label:literal, $min:literal..=$max:literal, $step:literal, $f:ident) => {
        number_knob!(
            $key,
            $field,
            $label,
            $min..=$max,
            $step,
            |s| (!s.versions.is_empty()).then_some(s.canary.$f),
            |s, v| s.canary.$f = v
        )
    };
}

/// One knob: a short URL key, a label, its range and how it reads and writes a scenario.
#[derive(Clone, Copy)]
pub struct KnobDef {
    /// Key in the URL (`hmax`). Never changes once links carry it.
    pub key: &'static str,
    /// Dotted path of the scenario field it sets, as scenario files and answers
    /// files name it (`hpa.maxReplicas`, Kubernetes spelling under `hpa`).
    pub field: &'static str,
    /// Label shown to the learner.
    pub label: &'static str,
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
    /// Step of the input.
    pub step: f64,
    /// Names of the values, for choice knobs (index = value).
    pub choices: &'static [&'static str],
    /// The scenario's value; `None` when the knob does not apply (no HPA).
    pub read: fn(&Scenario) -> Option<f64>,
    /// Sets the value.
    pub write: fn(&mut Scenario, f64),
}

fn cpu_target(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    hpa.metrics.iter().find_map(|m| {
        let r = m.resource.as_ref()?;
        (m.source_type == MetricSourceType::Resource
            && r.name == "cpu"
            && r.target.target_type == MetricTargetType::Utilization)
            .then_some(f64::from(r.target.average_utilization?))
    })
}

fn set_cpu_target(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        for m in hpa.metrics.iter_mut() {
            if let Some(r) = m.resource.as_mut() {
                if r.name == "cpu" && r.target.target_type == MetricTargetType::Utilization {
                    r.target.average_utilization = Some(v as i32);
                }
            }
        }
    }
}

fn scale_up_pods(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    let pods = hpa
        .behavior
        .as_ref()
        .and_then(|b| b.scale_up.as_ref())
        .and_then(|r| r.policies.as_ref())
        .and_then(|p| p.iter().find(|p| p.policy_type == PolicyType::Pods))
        .map_or(4, |p| p.value);
    Some(f64::from(pods))
}

fn set_scale_up_pods(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        let behavior = hpa.behavior.get_or_insert_with(HpaBehavior::default);
        let rules = behavior
            .scale_up
            .get_or_insert_with(HpaScalingRules::default);
        rules.select_policy = Some(SelectPolicy::Max);
        rules.policies = Some(vec![HpaScalingPolicy {
            policy_type: PolicyType::Pods,
            value: v as i32,
            period_seconds: 15,
        }]);
    }
}

fn down_window(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    let w = hpa
        .behavior
        .as_ref()
        .and_then(|b| b.scale_down.as_ref())
        .and_then(|r| r.stabilization_window_seconds)
        .unwrap_or(300);
    Some(f64::from(w))
}

fn set_down_window(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        let behavior = hpa.behavior.get_or_insert_with(HpaBehavior::default);
        behavior
            .scale_down
            .get_or_insert_with(HpaScalingRules::default)
            .stabilization_window_seconds = Some(v as i32);
    }
}

fn prescale(s: &Scenario) -> Option<f64> {
    Some(
        s.prescale
            .scheduled
            .iter()
            .find(|m| m.from_s <= 0.0)
            .map_or(0.0, |m| f64::from(m.min_replicas)),
    )
}

fn set_prescale(s: &mut Scenario, v: f64) {
    s.prescale.scheduled.retain(|m| m.from_s > 0.0);
    if v >= 1.0 {
        s.prescale.scheduled.insert(
            0,
            ScheduledMinimum {
                from_s: 0.0,
                until_s: s.run.duration_s,
                min_replicas: v as i32,
            },
        );
    }
}

const LB_ALGORITHMS: [LbAlgorithm; 4] = [
    LbAlgorithm::RoundRobin,
    LbAlgorithm::LeastOutstanding,
    LbAlgorithm::Weighted,
    LbAlgorithm::PowerOfTwo,
];

/// A knob, by name: the page's panel, the frame's targets and the tests name
/// a knob by its variant, never by its place in [`KNOBS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Knob {
    /// The HPA's minimum replicas.
    HpaMinReplicas,
    /// The HPA's maximum replicas.
    HpaMaxReplicas,
    /// The HPA's CPU utilization target.
    HpaCpuTarget,
    /// Pods the HPA may add per 15 s.
    ScaleUpPods,
    /// The HPA's scale-down stabilization window.
    ScaleDownWindow,
    /// Pause pods (over-provisioning).
    PausePods,
    /// Pre-scaling: a minimum for the whole run.
    Prescale,
    /// The load balancer's algorithm.
    Balancer,
    /// Share of requests with sticky sessions.
    StickyPercent,
    /// Database connections per pod.
    DbPoolPerPod,
    /// The load balancer's slow start for new pods.
    SlowStart,
    /// Load shedding by priority: the share of the fleet's CPU the classes may use.
    Shedding,
    /// An overall rate limit at the load balancer.
    RateLimit,
    /// The rate limit of the scenario's first per-class bucket (`[rate_limit] classes`).
    ClassRateLimit,
    /// The failure rate that opens the client edge's breaker (`[breaker.client]`).
    ClientBreakerThreshold,
    /// How long the client edge's breaker stays open before it tries again.
    ClientBreakerWait,
    /// The failure rate that opens the database edge's breaker (`[breaker.database]`).
    DatabaseBreakerThreshold,
    /// How long the database edge's breaker stays open before it tries again.
    DatabaseBreakerWait,
    /// The failure rate that opens the external edge's breaker (`[breaker.external]`).
    ExternalBreakerThreshold,
    /// How long the external edge's breaker stays open before it tries again.
    ExternalBreakerWait,
    /// The failure rate that opens the cache edge's breaker (`[breaker.cache]`).
    CacheBreakerThreshold,
    /// How long the cache edge's breaker stays open before it tries again.
    CacheBreakerWait,
    /// The failure rate that opens the consumers' breaker (`[breaker.consumer]`).
    ConsumerBreakerThreshold,
    /// How long the consumers' breaker stays open (the group paused) before it tries again.
    ConsumerBreakerWait,
    /// The pods' attempts in all on a call to the external dependency.
    ExternalAttempts,
    /// The pods' first backoff sleep before retrying the external dependency.
    ExternalBackoff,
    /// The canary's error-rate allowance over the stable version's (`[canary]`).
    CanaryErrorAllowance,
    /// The canary's p99 allowance over the stable version's.
    CanaryP99Allowance,
    /// The canary analysis interval.
    CanaryInterval,
    /// Where the replicated store's eventual classes send a session's own reads
    /// (`[consistency] read_routing`).
    ReadRouting,
    /// How long after its write a session reads from the leader (`leader_after_write`).
    LeaderWindow,
    /// The first experiment's first abort condition, when it is on the error rate: the
    /// rate it aborts over (`[[experiments]]`).
    ExperimentAbortBound,
    /// How long that bound must stay broken before the experiment aborts.
    ExperimentAbortFor,
    /// The first experiment's blast radius: the share of the traffic exposed.
    ExperimentBlastRadius,
}

impl Knob {
    /// Every knob, in display order.
    pub const ALL: [Knob; 34] = [
        Knob::HpaMinReplicas,
        Knob::HpaMaxReplicas,
        Knob::HpaCpuTarget,
        Knob::ScaleUpPods,
        Knob::ScaleDownWindow,
        Knob::PausePods,
        Knob::Prescale,
        Knob::Balancer,
        Knob::StickyPercent,
        Knob::DbPoolPerPod,
        Knob::SlowStart,
        Knob::Shedding,
        Knob::RateLimit,
        Knob::ClassRateLimit,
        Knob::ClientBreakerThreshold,
        Knob::ClientBreakerWait,
        Knob::DatabaseBreakerThreshold,
        Knob::DatabaseBreakerWait,
        Knob::ExternalBreakerThreshold,
        Knob::ExternalBreakerWait,
        Knob::CacheBreakerThreshold,
        Knob::CacheBreakerWait,
        Knob::ConsumerBreakerThreshold,
        Knob::ConsumerBreakerWait,
        Knob::ExternalAttempts,
        Knob::ExternalBackoff,
        Knob::CanaryErrorAllowance,
        Knob::CanaryP99Allowance,
        Knob::CanaryInterval,
        Knob::ReadRouting,
        Knob::LeaderWindow,
        Knob::ExperimentAbortBound,
        Knob::ExperimentAbortFor,
        Knob::ExperimentBlastRadius,
    ];

    /// Its definition: URL key, scenario field, label, range, reader and writer.
    pub const fn def(self) -> &'static KnobDef {
        match self {
            Knob::HpaMinReplicas => {
                &const {
                    KnobDef {
                        key: "hmin",
                        field: "hpa.minReplicas",
                        label: "HPA min replicas",
                        min: 1.0,
                        max: 100.0,
                        step: 1.0,
                        choices: &[],
                        read: |s| s.hpa.as_ref().map(|h| f64::from(h.min_replicas)),
                        write: |s, v| {
                            if let Some(h) = s.hpa.as_mut() {
                                h.min_replicas = v as i32;
                            }
                        },
                    }
                }
            }
            Knob::HpaMaxReplicas => {
                &const {
                    KnobDef {
                        key: "hmax",
                        field: "hpa.maxReplicas",
                        label: "HPA max replicas",
                        min: 1.0,
                        max: 200.0,
                        step: 1.0,
                        choices: &[],
                        read: |s| s.hpa.as_ref().map(|h| f64::from(h.max_replicas)),
                        write: |s, v| {
                            if let Some(h) = s.hpa.as_mut() {
                                h.max_replicas = v as i32;
                            }
                        },
                    }
                }
            }
            Knob::HpaCpuTarget => {
                &const {
                    KnobDef {
                        key: "htgt",
                        field: "hpa.cpuAverageUtilization",
                        label: "HPA CPU target [%]",
                        min: 10.0,
                        max: 100.0,
                        step: 5.0,
                        choices: &[],
                        read: cpu_target,
                        write: set_cpu_target,
                    }
                }
            }
            Knob::ScaleUpPods => {
                &const {
                    KnobDef {
                        key: "hup",
                        field: "hpa.behavior.scaleUp.podsPer15s",
                        label: "Scale-up policy: pods added per 15 s",
                        min: 1.0,
                        max: 50.0,
                        step: 1.0,
                        choices: &[],
                        read: scale_up_pods,
                        write: set_scale_up_pods,
                    }
                }
            }
            Knob::ScaleDownWindow => {
                &const {
                    KnobDef {
                        key: "hdw",
                        field: "hpa.behavior.scaleDown.stabilizationWindowSeconds",
                        label: "Scale-down stabilization window [s]",
                        min: 0.0,
                        max: 3600.0,
                        step: 30.0,
                        choices: &[],
                        read: down_window,
                        write: set_down_window,
                    }
                }
            }
            Knob::PausePods => {
                &const {
                    KnobDef {
                        key: "pause",
                        field: "pause_pods.count",
                        label: "Pause pods (over-provisioning)",
                        min: 0.0,
                        max: 40.0,
                        step: 1.0,
                        choices: &[],
                        read: |s| Some(f64::from(s.pause_pods.count)),
                        write: |s, v| s.pause_pods.count = v as u32,
                    }
                }
            }
            Knob::Prescale => {
                &const {
                    KnobDef {
                        key: "pre",
                        field: "prescale.min_replicas",
                        label: "Pre-scaling: min replicas for the whole run (0 = off)",
                        min: 0.0,
                        max: 100.0,
                        step: 1.0,
                        choices: &[],
                        read: prescale,
                        write: set_prescale,
                    }
                }
            }
            Knob::Balancer => {
                &const {
                    KnobDef {
                        key: "lb",
                        field: "balancer.algorithm",
                        label: "Load balancer algorithm",
                        min: 0.0,
                        max: 3.0,
                        step: 1.0,
                        choices: &[
                            "round robin",
                            "least outstanding requests",
                            "weighted",
                            "power of two choices",
                        ],
                        read: |s| {
                            LB_ALGORITHMS
                                .iter()
                                .position(|a| *a == s.balancer.algorithm)
                                .map(|i| i as f64)
                        },
                        write: |s, v| s.balancer.algorithm = LB_ALGORITHMS[(v as usize).min(3)],
                    }
                }
            }
            Knob::StickyPercent => {
                &const {
                    KnobDef {
                        key: "sticky",
                        field: "balancer.sticky.percent",
                        label: "Sticky sessions: share of requests [%] (0 = off)",
                        min: 0.0,
                        max: 100.0,
                        step: 10.0,
                        choices: &[],
                        read: |s| {
                            Some(
                                s.balancer
                                    .sticky
                                    .as_ref()
                                    .map_or(0.0, |c| c.fraction * 100.0),
                            )
                        },
                        write: |s, v| {
                            s.balancer.sticky = (v > 0.0).then(|| StickyConfig {
                                fraction: v / 100.0,
                                ..s.balancer.sticky.clone().unwrap_or_default()
                            })
                        },
                    }
                }
            }
            Knob::DbPoolPerPod => {
                &const {
                    KnobDef {
                        key: "dbpool",
                        field: "database.pool.pool_size_per_pod",
                        label: "Database connections per pod (pool size)",
                        min: 1.0,
                        max: 200.0,
                        step: 1.0,
                        choices: &[],
                        read: |s| {
                            s.database
                                .as_ref()
                                .map(|d| f64::from(d.pool.pool_size_per_pod))
                        },
                        write: |s, v| {
                            if let Some(d) = s.database.as_mut() {
                                d.pool.pool_size_per_pod = v as u32;
                            }
                        },
                    }
                }
            }
            Knob::CanaryErrorAllowance => canary_knob!(
                "cet",
                "canary.error_rate_over_baseline_pct",
                "Canary rollback: error rate over the stable version's [points]",
                0.1..=10.0,
                0.1,
                error_rate_over_baseline_pct
            ),
            Knob::CanaryP99Allowance => canary_knob!(
                "cpt",
                "canary.p99_over_baseline_ms",
                "Canary rollback: p99 over the stable version's [ms]",
                10.0..=1000.0,
                10.0,
                p99_over_baseline_ms
            ),
            Knob::CanaryInterval => canary_knob!(
                "cai",
                "canary.interval_s",
                "Canary analysis interval [s]",
                10.0..=3600.0,
                10.0,
                interval_s
            ),
            Knob::ExperimentAbortBound => number_knob!(
                "xab",
                "experiments[0].abort[0].max",
                "Experiment abort: error rate over [%]",
                0.1..=100.0,
                0.1,
                |s| {
                    let a = s.experiments.first()?.abort.first()?;
                    (a.bound.probe == "error_rate_pct").then_some(a.bound.max)?
                },
                |s, v| {
                    if let Some(a) = s.experiments.first_mut().and_then(|e| e.abort.first_mut()) {
                        a.bound.max = Some(v);
                    }
                }
            ),
            Knob::ExperimentAbortFor => number_knob!(
                "xaf",
                "experiments[0].abort[0].for_s",
                "Experiment abort: broken for [s]",
                0.0..=3600.0,
                1.0,
                |s| Some(s.experiments.first()?.abort.first()?.for_s),
                |s, v| {
                    if let Some(a) = s.experiments.first_mut().and_then(|e| e.abort.first_mut()) {
                        a.for_s = v;
                    }
                }
            ),
            Knob::ExperimentBlastRadius => number_knob!(
                "xbr",
                "experiments[0].blast_radius.traffic_pct",
                "Experiment blast radius: share of the traffic [%]",
                0.1..=100.0,
                0.1,
                |s| Some(s.experiments.first()?.blast_radius.traffic_pct),
                |s, v| {
                    if let Some(e) = s.experiments.first_mut() {
                        e.blast_radius.traffic_pct = v;
                    }
                }
            ),
            Knob::ReadRouting => {
                &const {
                    KnobDef {
                        key: "rr",
                        field: "consistency.read_routing",
                        label: "Reads of one's own write go to",
                        min: 0.0,
                        max: 2.0,
                        step: 1.0,
                        choices: &[
                            "the local replica",
                            "the leader, for a window after the write",
                            "the replica that took the write",
                        ],
                        read: |s| {
                            let r = s.consistency.as_ref()?.read_routing.unwrap_or_default();
                            ReadRouting::ALL
                                .iter()
                                .position(|x| *x == r)
                                .map(|i| i as f64)
                        },
                        write: |s, v| {
                            if let Some(c) = s.consistency.as_mut() {
                                c.read_routing = Some(ReadRouting::ALL[(v as usize).min(2)]);
                            }
                        },
                    }
                }
            }
            Knob::LeaderWindow => {
                &const {
                    KnobDef {
                        key: "rlw",
                        field: "consistency.leader_window_ms",
                        label: "Read from the leader for this long after a write [ms]",
                        min: 0.0,
                        max: 600_000.0,
                        step: 10.0,
                        choices: &[],
                        read: |s| {
                            s.consistency.as_ref().map(|c| {
                                c.leader_window_ms
                                    .unwrap_or(crate::sim::consistency::StoreConfig::DEFAULT_LEADER_WINDOW_MS)
                            })
                        },
                        write: |s, v| {
                            if let Some(c) = s.consistency.as_mut() {
                                c.leader_window_ms = Some(v);
                            }
                        },
                    }
                }
            }
            Knob::SlowStart => {
                &const {
                    KnobDef {
                        key: "ss",
                        field: "balancer.slow_start_s",
                        label: "Load balancer slow start for new pods [s] (0 = off)",
                        min: 0.0,
                        max: 300.0,
                        step: 10.0,
                        choices: &[],
                        read: |s| Some(s.balancer.slow_start_s),
                        write: |s, v| s.balancer.slow_start_s = v,
                    }
                }
            }
            Knob::Shedding => {
                &const {
                    KnobDef {
                        key: "shed",
                        field: "shedding.cpu_threshold_pct",
                        label: "Load shedding by priority: CPU the classes may use [%] (0 = off)",
                        min: 0.0,
                        max: 100.0,
                        step: 5.0,
                        choices: &[],
                        read: |s| Some(s.shedding.as_ref().map_or(0.0, |p| p.cpu_threshold_pct)),
                        write: |s, v| {
                            s.shedding = (v > 0.0).then(|| crate::sim::protection::SheddingPolicy {
                                cpu_threshold_pct: v,
                                ..s.shedding.clone().unwrap_or_default()
                            })
                        },
                    }
                }
            }
            Knob::RateLimit => {
                &const {
                    KnobDef {
                        key: "rl",
                        field: "rate_limit.limit_rps",
                        label: "Rate limit at the load balancer [req/s] (0 = off; 429 past it)",
                        min: 0.0,
                        max: 1_000_000.0,
                        step: 100.0,
                        choices: &[],
                        read: |s| {
                            Some(
                                s.rate_limit
                                    .as_ref()
                                    .and_then(|r| r.limit_rps)
                                    .unwrap_or(0.0),
                            )
                        },
                        write: |s, v| {
                            let mut r = s.rate_limit.clone().unwrap_or_default();
                            r.limit_rps = (v > 0.0).then_some(v);
                            r.burst = r.burst.filter(|_| v > 0.0);
                            s.rate_limit =
                                (r.limit_rps.is_some() || !r.classes.is_empty()).then_some(r);
                        },
                    }
                }
            }
            Knob::ClassRateLimit => {
                &const {
                    KnobDef {
                        key: "rlc",
                        field: "rate_limit.classes[0].limit_rps",
                        label: "Rate limit of the first limited request class [req/s] (0 refuses the class)",
                        min: 0.0,
                        max: 1_000_000.0,
                        step: 10.0,
                        choices: &[],
                        read: |s| {
                            s.rate_limit
                                .as_ref()
                                .and_then(|r| r.classes.first())
                                .map(|c| c.limit_rps)
                        },
                        write: |s, v| {
                            if let Some(c) = s.rate_limit.as_mut().and_then(|r| r.classes.first_mut()) {
                                c.limit_rps = v;
                            }
                        },
                    }
                }
            }
            Knob::ClientBreakerThreshold => breaker_knob!(
                "bt",
                "breaker.client.failure_rate_threshold_pct",
                "Breaker (the clients' calls): opens at this share of calls failing [%]",
                5.0..=100.0,
                CallEdge::Client,
                failure_rate_threshold_pct
            ),
            Knob::ClientBreakerWait => breaker_knob!(
                "bw",
                "breaker.client.wait_in_open_s",
                "Breaker (the clients' calls): wait while open before trial calls [s]",
                5.0..=600.0,
                CallEdge::Client,
                wait_in_open_s
            ),
            Knob::DatabaseBreakerThreshold => breaker_knob!(
                "btd",
                "breaker.database.failure_rate_threshold_pct",
                "Breaker (the pods' database calls): opens at this share of calls failing [%]",
                5.0..=100.0,
                CallEdge::Database,
                failure_rate_threshold_pct
            ),
            Knob::DatabaseBreakerWait => breaker_knob!(
                "bwd",
                "breaker.database.wait_in_open_s",
                "Breaker (the pods' database calls): wait while open before trial calls [s]",
                5.0..=600.0,
                CallEdge::Database,
                wait_in_open_s
            ),
            Knob::ExternalBreakerThreshold => breaker_knob!(
                "bte",
                "breaker.external.failure_rate_threshold_pct",
                "Breaker (the pods' dependency calls): opens at this share of calls failing [%]",
                5.0..=100.0,
                CallEdge::External,
                failure_rate_threshold_pct
            ),
            Knob::ExternalBreakerWait => breaker_knob!(
                "bwe",
                "breaker.external.wait_in_open_s",
                "Breaker (the pods' dependency calls): wait while open before trial calls [s]",
                5.0..=600.0,
                CallEdge::External,
                wait_in_open_s
            ),
            Knob::CacheBreakerThreshold => breaker_knob!(
                "btc",
                "breaker.cache.failure_rate_threshold_pct",
                "Breaker (the pods' cache calls): opens at this share of calls failing [%]",
                5.0..=100.0,
                CallEdge::Cache,
                failure_rate_threshold_pct
            ),
            Knob::CacheBreakerWait => breaker_knob!(
                "bwc",
                "breaker.cache.wait_in_open_s",
                "Breaker (the pods' cache calls): wait while open before trial calls [s]",
                5.0..=600.0,
                CallEdge::Cache,
                wait_in_open_s
            ),
            Knob::ConsumerBreakerThreshold => breaker_knob!(
                "btk",
                "breaker.consumer.failure_rate_threshold_pct",
                "Breaker (the consumers' database writes): opens at this share of calls failing [%]",
                5.0..=100.0,
                CallEdge::Consumer,
                failure_rate_threshold_pct
            ),
            Knob::ConsumerBreakerWait => breaker_knob!(
                "bwk",
                "breaker.consumer.wait_in_open_s",
                "Breaker (the consumers' database writes): wait while open before trial calls [s]",
                5.0..=600.0,
                CallEdge::Consumer,
                wait_in_open_s
            ),
            Knob::ExternalAttempts => {
                &const {
                    KnobDef {
                        key: "xra",
                        field: "retry.external.max_attempts",
                        label: "Retries to the external dependency: attempts in all (1 = no retry)",
                        min: 1.0,
                        max: 10.0,
                        step: 1.0,
                        choices: &[],
                        read: |s| s.retry.external.as_ref().map(|p| f64::from(p.max_attempts)),
                        write: |s, v| {
                            if let Some(p) = s.retry.external.as_mut() {
                                p.max_attempts = v as u32;
                            }
                        },
                    }
                }
            }
            Knob::ExternalBackoff => {
                &const {
                    KnobDef {
                        key: "xrb",
                        field: "retry.external.base_ms",
                        label: "Retries to the external dependency: first backoff sleep [ms]",
                        min: 1.0,
                        max: 10_000.0,
                        step: 10.0,
                        choices: &[],
                        read: |s| s.retry.external.as_ref().map(|p| p.base_ms),
                        // The longest sleep is never shorter than the first.
                        write: |s, v| {
                            if let Some(p) = s.retry.external.as_mut() {
                                p.base_ms = v;
                                p.cap_ms = p.cap_ms.max(v);
                            }
                        },
                    }
                }
            }
        }
    }
}

/// Every knob's definition, in display order ([`Knob::ALL`]).
pub const KNOBS: [KnobDef; Knob::ALL.len()] = {
    let mut out = [*Knob::ALL[0].def(); Knob::ALL.len()];
    let mut i = 1;
    while i < out.len() {
        out[i] = *Knob::ALL[i].def();
        i += 1;
    }
    out
};

/// The knob with URL key `key`.
pub fn knob(key: &str) -> Option<&'static KnobDef> {
    KNOBS.iter().find(|k| k.key == key)
}

/// The knob that sets scenario field `field` (`hpa.maxReplicas`).
pub fn knob_by_field(field: &str) -> Option<&'static KnobDef> {
    KNOBS.iter().find(|k| k.field == field)
}

/// Every knob's field, for messages ("hpa.minReplicas, hpa.maxReplicas, …").
pub fn knob_fields() -> String {
    KNOBS.iter().map(|k| k.field).collect::<Vec<_>>().join(", ")
}

/// The range a knob may take in `scenario`: the scenario's own `[[knobs]]`
/// entry narrows the table's range; (min, max) in the knob's unit.
pub fn knob_range(scenario: &Scenario, k: &KnobDef) -> (f64, f64) {
    scenario
        .knobs
        .iter()
        .find(|d| d.field == k.field)
        .map_or((k.min, k.max), |d| (d.min.max(k.min), d.max.min(k.max)))
}

/// Turns the knobs `values` (by field) in `scenario`. Errors name the knob and
/// say what is wrong: an unknown field (with the valid ones), a value that is
/// not finite or lies outside the knob's range, or a knob that does not apply
/// to this scenario (no HPA to turn).
pub fn apply_knobs<'a>(
    scenario: &mut Scenario,
    values: impl IntoIterator<Item = (&'a str, f64)>,
) -> Result<(), String> {
    for (field, v) in values {
        let k = knob_by_field(field).ok_or_else(|| {
            format!(
                "there is no knob \u{201c}{field}\u{201d}; knobs: {}",
                knob_fields()
            )
        })?;
        let (min, max) = knob_range(scenario, k);
        if !(v.is_finite() && (min..=max).contains(&v)) {
            return Err(format!(
                "knob \u{201c}{field}\u{201d} is {}, outside {}\u{2013}{}",
                super::ranges::value_words(v),
                super::ranges::number_words(min),
                super::ranges::number_words(max)
            ));
        }
        // Every knob here sets a whole-number field (pods, %, seconds in the
        // Kubernetes API, a choice): 12.5 would be cut to 12 silently.
        if k.step.fract() == 0.0 && v.fract() != 0.0 {
            return Err(format!(
                "knob \u{201c}{field}\u{201d} is {}; it takes whole numbers from {} to {}",
                super::ranges::value_words(v),
                super::ranges::number_words(min),
                super::ranges::number_words(max)
            ));
        }
        if (k.read)(scenario).is_none() {
            let part = match field.split('.').next() {
                Some("hpa") => "HPA",
                Some(p) => p,
                None => field,
            };
            return Err(format!(
                "knob \u{201c}{field}\u{201d} does not apply: this scenario has no {part}"
            ));
        }
        (k.write)(scenario, v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_enum_as_before() {
        // The display order (and the URL keys) recorded before knobs were an enum.
        let keys: Vec<&str> = KNOBS.iter().map(|k| k.key).collect();
        assert_eq!(
            keys.join(","),
            "hmin,hmax,htgt,hup,hdw,pause,pre,lb,sticky,dbpool,ss,shed,rl,rlc,bt,bw,btd,bwd,bte,bwe,btc,bwc,btk,bwk,xra,xrb,cet,cpt,cai,rr,rlw,xab,xaf,xbr"
        );
        for (def, knob) in KNOBS.iter().zip(Knob::ALL) {
            assert_eq!(def.key, knob.def().key);
        }
        assert_eq!(Knob::HpaCpuTarget.def().field, "hpa.cpuAverageUtilization");
    }

    #[test]
    fn keys_and_fields_are_unique() {
        for (i, a) in KNOBS.iter().enumerate() {
            for b in &KNOBS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.field, b.field);
            }
        }
    }

    #[test]
    fn every_knob_reads_back_what_it_wrote() {
        let load = |n: &str| crate::scenario::load_built_in(n).unwrap().unwrap();
        let (mut bf, mut with_db) = (load("black-friday"), load("reference"));
        // A per-class bucket on browse, for the class rate-limit knob.
        let mut limited = bf.clone();
        limited.rate_limit = Some(crate::sim::protection::RateLimitPolicy {
            classes: vec![crate::sim::protection::ClassLimit {
                name: "browse".into(),
                limit_rps: 500.0,
                burst: None,
            }],
            ..Default::default()
        });
        // A breaker on every edge, for the breakers' knobs.
        let breaker = Some(crate::sim::protection::BreakerPolicy::default());
        limited.breaker = crate::sim::protection::BreakerSection {
            client: breaker.clone(),
            database: breaker.clone(),
            external: breaker.clone(),
            cache: breaker.clone(),
            consumer: breaker,
        };
        let mut with_retries = load("p99-debugging");
        let mut with_versions = load("canary-rollout");
        let mut with_store = load("asia-dashboards");
        let mut with_experiment = load("chaos-experiment");
        for k in &KNOBS {
            // Data-tier knobs are turned on a scenario that has the tier.
            let s = if (k.read)(&bf).is_some() {
                &mut bf
            } else if (k.read)(&with_db).is_some() {
                &mut with_db
            } else if (k.read)(&limited).is_some() {
                &mut limited
            } else if (k.read)(&with_versions).is_some() {
                &mut with_versions
            } else if (k.read)(&with_store).is_some() {
                &mut with_store
            } else if (k.read)(&with_experiment).is_some() {
                &mut with_experiment
            } else {
                &mut with_retries
            };
            let (lo, hi) = knob_range(s, k);
            let v = if k.choices.is_empty() {
                lo.max(1.0).min(hi)
            } else {
                1.0
            };
            let v = ((v / k.step).ceil() * k.step).min(hi);
            apply_knobs(s, [(k.field, v)]).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((k.read)(s), Some(v), "{}", k.field);
        }
    }

    #[test]
    fn a_bad_knob_is_named_with_what_is_valid() {
        let mut s = crate::scenario::load_built_in("black-friday")
            .unwrap()
            .unwrap();
        let e = apply_knobs(&mut s, [("hpa.maxReplica", 10.0)]).unwrap_err();
        assert!(e.contains("hpa.maxReplicas"), "{e}");
        let e = apply_knobs(&mut s, [("hpa.maxReplicas", 1e9)]).unwrap_err();
        assert!(e.contains("outside"), "{e}");
        let e = apply_knobs(&mut s, [("hpa.maxReplicas", f64::NAN)]).unwrap_err();
        assert!(e.contains("outside"), "{e}");
    }
}
