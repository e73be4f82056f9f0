//! The typed event log: everything that happened, each with its time.
//!
//! ```text
//!   stages ──push──▶ [ SimEvent, SimEvent, … ] ──▶ describe(): "T+0:45 HPA: 3 → 7 pods (…)"
//! ```
//!
//! The charts' markers, the CLI's events.jsonl and the grader read this log;
//! none of them reaches into the models.

use super::cluster_autoscaler::Unremovable;
use super::consistency::{ConsistencyMode, DataClass};
use super::hpa::LimitReason;
use super::inputs::{mode_words, Action, ActionSource, FaultKind};
use super::slo::PolicyTier;
use serde::{Deserialize, Serialize};

/// Who changed the replica count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaler {
    /// The horizontal pod autoscaler.
    Hpa,
    /// A person or a scheduled event.
    Manual,
}

/// Why a pod died.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KillCause {
    /// A kill-pod fault.
    Fault,
    /// Its node died.
    NodeLost,
    /// It used more memory than its limit.
    OutOfMemory,
    /// Its version crashes as it starts (a crash loop).
    CrashLoop,
}

/// Why a node left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeRemoval {
    /// The cluster autoscaler found it unneeded.
    ScaleDown,
    /// A fault killed it.
    Fault,
}

/// What limited or held one scaling decision, carried as data and worded at the edge
/// ([`ScaleLimit::words`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleLimit {
    /// Nothing did: the scaler went where it was asked.
    None,
    /// The HPA controller's own reason ([`LimitReason`]); never `LimitReason::None`.
    Hpa(LimitReason),
    /// The count was raised to the pre-scaling floor the schedule put on minReplicas.
    PrescalingFloor,
    /// The scenario's cooldown held the change back.
    Cooldown {
        /// `true` for the scale-up cooldown, `false` for the scale-down one.
        up: bool,
        /// The cooldown [s].
        cooldown_s: f64,
    },
}

impl ScaleLimit {
    /// The HPA's own reason, with `LimitReason::None` as [`ScaleLimit::None`].
    pub fn from_hpa(reason: LimitReason) -> ScaleLimit {
        match reason {
            LimitReason::None => ScaleLimit::None,
            other => ScaleLimit::Hpa(other),
        }
    }

    /// In words ("limited by the 4-pods-per-15 s scale-up policy"), or `None` when
    /// nothing limited the decision.
    pub fn words(&self) -> Option<String> {
        match self {
            ScaleLimit::None => None,
            ScaleLimit::Hpa(r) => Some(r.describe()),
            ScaleLimit::PrescalingFloor => {
                Some("raised to the pre-scaling floor of minReplicas".to_string())
            }
            ScaleLimit::Cooldown { up, cooldown_s } => Some(format!(
                "held by the {cooldown_s:.0} s scale-{} cooldown",
                if *up { "up" } else { "down" }
            )),
        }
    }
}

/// An error-budget policy tier in words: its heading and what it asks of the team.
pub fn policy_tier_words(tier: PolicyTier) -> String {
    format!("{} ({})", tier.label(), tier.actions().join(", "))
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SimEvent {
    /// The Deployment's replica count changed.
    Scaled {
        /// [s]
        t_s: f64,
        /// Replicas before.
        from: i32,
        /// Replicas after.
        to: i32,
        /// Who.
        by: Scaler,
        /// The metric the HPA saw [% of request], when it was CPU.
        utilization_pct: Option<i64>,
        /// The HPA's CPU target [%], when it has one.
        target_pct: Option<i64>,
        /// What limited or held the decision; worded by [`ScaleLimit::words`].
        limited_by: ScaleLimit,
    },
    /// The HPA's minReplicas or maxReplicas changed.
    BoundsChanged {
        /// [s]
        t_s: f64,
        /// New minReplicas.
        min_replicas: i32,
        /// New maxReplicas.
        max_replicas: i32,
        /// Why, in words.
        reason: String,
    },
    /// A pod passed its first readiness probe.
    PodReady {
        /// [s]
        t_s: f64,
        /// Pod id.
        pod: u64,
        /// Zone name index.
        zone: u16,
        /// Seconds since it was created.
        after_s: f64,
    },
    /// Pods could not be scheduled: no node has room.
    PodsPending {
        /// [s]
        t_s: f64,
        /// How many pods wait.
        count: u32,
    },
    /// A pause pod gave its room to an app pod.
    PausePodPreempted {
        /// [s]
        t_s: f64,
        /// Pause pod id.
        pod: u64,
    },
    /// A pod died.
    PodKilled {
        /// [s]
        t_s: f64,
        /// Pod id.
        pod: u64,
        /// Why.
        cause: KillCause,
        /// Requests lost from its queue.
        lost_requests: f64,
        /// Sticky sessions lost.
        lost_sessions: f64,
    },
    /// The load balancer's health checks took a pod out of rotation.
    PodOutOfRotation {
        /// [s]
        t_s: f64,
        /// Pod id.
        pod: u64,
        /// Seconds it received traffic while dead.
        after_s: f64,
    },
    /// The cluster autoscaler asked for nodes.
    NodesRequested {
        /// [s]
        t_s: f64,
        /// Zone index.
        zone: u16,
        /// How many.
        count: u32,
        /// When they will be ready [s].
        ready_at_s: f64,
    },
    /// A node became ready.
    NodeAdded {
        /// [s]
        t_s: f64,
        /// Node id.
        node: u64,
        /// Zone index.
        zone: u16,
    },
    /// A node left.
    NodeRemoved {
        /// [s]
        t_s: f64,
        /// Node id.
        node: u64,
        /// Zone index.
        zone: u16,
        /// Why.
        reason: NodeRemoval,
    },
    /// The cluster autoscaler keeps an under-utilized node it would otherwise remove
    /// (logged once when the node starts being kept, not at every scan).
    NodeKept {
        /// [s]
        t_s: f64,
        /// Node id.
        node: u64,
        /// Zone index.
        zone: u16,
        /// Its utilization: max(CPU, memory) requests / allocatable [%].
        utilization_pct: f64,
        /// The scale-down utilization threshold [%].
        threshold_pct: f64,
        /// Why it stays.
        reason: Unremovable,
    },
    /// A burn-rate alert started firing.
    AlertFired {
        /// [s]
        t_s: f64,
        /// Alert name ("page 14.4× 1h/5m").
        alert: String,
    },
    /// A burn-rate alert stopped firing.
    AlertResolved {
        /// [s]
        t_s: f64,
        /// Alert name.
        alert: String,
    },
    /// The clients' circuit breaker changed state.
    BreakerChanged {
        /// [s]
        t_s: f64,
        /// The new state.
        to: crate::sim::resilience::circuit_breaker::CbState,
        /// The failure rate that decided it [%] (0 when it turns half-open).
        failure_rate_pct: f64,
        /// The calls that rate is over.
        calls: f64,
        /// How long it stays open before its trial calls [s].
        wait_s: f64,
        /// The edge it guards (absent: the clients').
        #[serde(
            default,
            skip_serializing_if = "crate::sim::protection::CallEdge::is_client"
        )]
        edge: crate::sim::protection::CallEdge,
        /// Calls slower than `slow_ms` among `calls` [%] (absent: none counted).
        #[serde(default, skip_serializing_if = "no_figure")]
        slow_call_rate_pct: f64,
        /// The slow-call duration when slow calls opened it [ms] (absent: they did not).
        #[serde(default, skip_serializing_if = "no_figure")]
        slow_ms: f64,
        /// The open breaker's calls are served by a fallback (absent: they fail).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        fallback: bool,
    },
    /// A rolling update to a version started.
    RolloutStarted {
        /// [s]
        t_s: f64,
        /// The version rolled to.
        version: String,
        /// The version the new pods had before.
        from: String,
        /// Pods it may add over the desired count, resolved.
        max_surge: i32,
        /// Pods it may leave unavailable, resolved.
        max_unavailable: i32,
    },
    /// A rolling update finished: every desired pod runs the version and is available.
    RolloutComplete {
        /// [s]
        t_s: f64,
        /// The version.
        version: String,
        /// How long it took [s].
        after_s: f64,
    },
    /// A canary release started (docs/models.md#canary-releases).
    CanaryStarted {
        /// [s]
        t_s: f64,
        /// The version released.
        version: String,
        /// The stable version it is compared with.
        from: String,
        /// The first stage's share of the traffic [%].
        weight_pct: f64,
        /// Stages before promotion.
        stages: u32,
    },
    /// A canary held its stage and widened to the next.
    CanaryStage {
        /// [s]
        t_s: f64,
        /// The version.
        version: String,
        /// The stage it entered (1-based).
        stage: u32,
        /// Stages in all.
        stages: u32,
        /// Its share of the traffic now [%].
        weight_pct: f64,
    },
    /// A rollback trigger fired: the canary's pods are removed and its traffic returns to
    /// the stable version.
    CanaryRolledBack {
        /// [s]
        t_s: f64,
        /// The version rolled back.
        version: String,
        /// The stage it was in (1-based).
        stage: u32,
        /// Its share of the traffic then [%].
        weight_pct: f64,
        /// The trigger.
        check: crate::sim::rollout::canary::CanaryCheck,
        /// What the trigger measured: error rate [%], p99 [ms], memory [% of limit] or
        /// restarts of one pod.
        measured: f64,
        /// Its limit, in the same unit (for the rates and p99, the stable version's plus
        /// the allowance).
        limit: f64,
    },
    /// Every stage held: the canary is promoted and a rolling update takes every pod to it.
    CanaryPromoted {
        /// [s]
        t_s: f64,
        /// The version.
        version: String,
        /// Since the canary started [s].
        after_s: f64,
    },
    /// A blue-green release started: green is created at full size beside blue, with no
    /// traffic (docs/models.md#blue-green-releases).
    BlueGreenStarted {
        /// [s]
        t_s: f64,
        /// The version released (green).
        version: String,
        /// The version running (blue).
        from: String,
        /// Pods in each environment [pods].
        replicas: i32,
    },
    /// Every green pod is available: the load balancer sends all traffic to green.
    BlueGreenSwitched {
        /// [s]
        t_s: f64,
        /// Green's version.
        version: String,
        /// Since the release started [s].
        after_s: f64,
    },
    /// All traffic went back to blue and green's pods are removed: a trigger fired, or
    /// the learner switched back (`check` is `None`).
    BlueGreenSwitchedBack {
        /// [s]
        t_s: f64,
        /// Green's version.
        version: String,
        /// Blue's version.
        blue: String,
        /// Whether green had taken the traffic (false: abandoned while staged).
        switched: bool,
        /// The trigger, if one fired.
        check: Option<crate::sim::rollout::canary::CanaryCheck>,
        /// What it measured, in its unit (0 without a trigger).
        measured: f64,
        /// Its limit, in the same unit (0 without a trigger).
        limit: f64,
    },
    /// The delay after the switch passed: blue's pods are removed.
    BlueGreenRetired {
        /// [s]
        t_s: f64,
        /// Green's version, now the only one.
        version: String,
        /// Blue's version, retired.
        blue: String,
        /// Since the release started [s].
        after_s: f64,
    },
    /// A chaos experiment started: its steady state is checked before the method
    /// (docs/models.md#chaos-experiments).
    ExperimentStarted {
        /// [s]
        t_s: f64,
        /// The experiment.
        name: String,
        /// What should stay true.
        hypothesis: String,
        /// How long the steady state is checked [s].
        steady_s: f64,
    },
    /// The steady state held: the method's faults start.
    ExperimentMethodStarted {
        /// [s]
        t_s: f64,
        /// The experiment.
        name: String,
    },
    /// An abort condition fired, or the learner aborted: the method stops and rolls back.
    ExperimentAborted {
        /// [s]
        t_s: f64,
        /// The experiment.
        name: String,
        /// The condition and what it measured, in words.
        why: String,
    },
    /// The experiment is over, with its verdict.
    ExperimentEnded {
        /// [s]
        t_s: f64,
        /// The experiment.
        name: String,
        /// How it ended.
        verdict: crate::sim::chaos::Verdict,
        /// Error budget the whole service spent on it (the blast radius's share of what
        /// the exposed traffic spent) [% of the budget].
        service_budget_used_pct: f64,
    },
    /// The error-budget policy tier changed.
    PolicyTierChanged {
        /// [s]
        t_s: f64,
        /// The new tier; worded by [`policy_tier_words`].
        tier: PolicyTier,
    },
    /// A fault or an action was applied.
    FaultInjected {
        /// [s]
        t_s: f64,
        /// What.
        action: Action,
        /// Who queued it (absent in logs written before it was recorded: the scenario).
        #[serde(default)]
        by: ActionSource,
    },
    /// An action could not apply and changed nothing (the pod it names is gone…).
    ActionIgnored {
        /// [s]
        t_s: f64,
        /// What was asked.
        action: Action,
        /// Who asked.
        by: ActionSource,
        /// Why nothing happened, in words ("pod 17 no longer exists").
        reason: String,
    },
    /// A fault was cleared.
    FaultCleared {
        /// [s]
        t_s: f64,
        /// Which kind.
        fault: FaultKind,
    },
    /// The consistency mode of a data class (or of all) was switched.
    ConsistencySwitched {
        /// [s]
        t_s: f64,
        /// The class, `None` for every class.
        class: Option<DataClass>,
        /// The mode before (`None`: the classes had different modes).
        from: Option<ConsistencyMode>,
        /// The mode after.
        to: ConsistencyMode,
    },
    /// A database failover completed: writes succeed again.
    FailoverDone {
        /// [s]
        t_s: f64,
        /// Failovers that completed.
        failovers: u32,
        /// Writes the promotion lost (the promoted replica's lag) [writes].
        lost_writes: f64,
    },
    /// The GSLB took regions out of its answers.
    RegionFailover {
        /// [s]
        t_s: f64,
        /// Regions failed over.
        regions: u32,
        /// Writes lost within the replication lag (RPO) [writes].
        lost_writes: f64,
    },
    /// The consumer group's HPA changed the consumer count.
    ConsumersScaled {
        /// [s]
        t_s: f64,
        /// Consumers before.
        from: u32,
        /// Consumers after.
        to: u32,
        /// Lag when it decided [messages].
        lag_messages: u64,
    },
    /// The Kafka lag alert fired or resolved.
    LagAlert {
        /// [s]
        t_s: f64,
        /// Firing (else resolved).
        firing: bool,
        /// Age of the oldest unconsumed message [s].
        lag_s: f64,
        /// Lag [messages].
        lag_messages: f64,
    },
}

/// `n` and the noun in the number it needs: "1 pod", "3 pods", "0 nodes".
pub fn counted(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "T+1:02:03" or "T+2:05" for `t_s` seconds ("T-0:30" before zero).
pub fn clock(t_s: f64) -> String {
    // A clock does not read ahead: 2.7 s is T+0:02, not T+0:03.
    let s = (t_s.abs() + 1e-6).floor() as u64;
    let sign = if t_s < 0.0 && s > 0 { '-' } else { '+' };
    if s >= 3600 {
        format!("T{sign}{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("T{sign}{}:{:02}", s / 60, s % 60)
    }
}

/// Round time-axis ticks from 0 to `end_s` seconds, at most `most` of them
/// (at least 2): multiples of the first step of 10 s, 15 s, 30 s, 1, 2, 5, 10,
/// 15, 30 min, 1, 2, 3, 6, 12 h, 1, 2, 7, 14, 30 days… that fits, so the labels
/// [`clock`] writes read 0:10, 0:20… rather than 16:40, 33:20.
pub fn time_ticks(end_s: f64, most: usize) -> Vec<f64> {
    const STEPS_S: [f64; 19] = [
        10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0,
        21600.0, 43200.0, 86400.0, 172800.0, 604800.0, 1209600.0, 2592000.0,
    ];
    let end = if end_s.is_finite() {
        end_s.max(0.0)
    } else {
        0.0
    };
    let most = most.max(2) as f64;
    let step = STEPS_S
        .iter()
        .copied()
        .find(|s| (end / s).floor() + 1.0 <= most)
        .unwrap_or_else(|| (end / (most - 1.0) / 2592000.0).ceil() * 2592000.0);
    let n = (end / step).floor() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// True for 0: an event's optional figure left out of the stored event.
fn no_figure(x: &f64) -> bool {
    *x == 0.0
}

impl SimEvent {
    /// The event's time [s].
    pub fn t_s(&self) -> f64 {
        match self {
            SimEvent::Scaled { t_s, .. }
            | SimEvent::BoundsChanged { t_s, .. }
            | SimEvent::PodReady { t_s, .. }
            | SimEvent::PodsPending { t_s, .. }
            | SimEvent::PausePodPreempted { t_s, .. }
            | SimEvent::PodKilled { t_s, .. }
            | SimEvent::PodOutOfRotation { t_s, .. }
            | SimEvent::NodesRequested { t_s, .. }
            | SimEvent::NodeAdded { t_s, .. }
            | SimEvent::NodeRemoved { t_s, .. }
            | SimEvent::NodeKept { t_s, .. }
            | SimEvent::AlertFired { t_s, .. }
            | SimEvent::BreakerChanged { t_s, .. }
            | SimEvent::AlertResolved { t_s, .. }
            | SimEvent::PolicyTierChanged { t_s, .. }
            | SimEvent::RolloutStarted { t_s, .. }
            | SimEvent::RolloutComplete { t_s, .. }
            | SimEvent::CanaryStarted { t_s, .. }
            | SimEvent::CanaryStage { t_s, .. }
            | SimEvent::CanaryRolledBack { t_s, .. }
            | SimEvent::CanaryPromoted { t_s, .. }
            | SimEvent::BlueGreenStarted { t_s, .. }
            | SimEvent::BlueGreenSwitched { t_s, .. }
            | SimEvent::BlueGreenSwitchedBack { t_s, .. }
            | SimEvent::BlueGreenRetired { t_s, .. }
            | SimEvent::ExperimentStarted { t_s, .. }
            | SimEvent::ExperimentMethodStarted { t_s, .. }
            | SimEvent::ExperimentAborted { t_s, .. }
            | SimEvent::ExperimentEnded { t_s, .. }
            | SimEvent::FaultInjected { t_s, .. }
            | SimEvent::ActionIgnored { t_s, .. }
            | SimEvent::FaultCleared { t_s, .. }
            | SimEvent::ConsistencySwitched { t_s, .. }
            | SimEvent::FailoverDone { t_s, .. }
            | SimEvent::RegionFailover { t_s, .. }
            | SimEvent::ConsumersScaled { t_s, .. }
            | SimEvent::LagAlert { t_s, .. } => *t_s,
        }
    }

    /// The event in plain words, with its time (zones by number).
    pub fn describe(&self) -> String {
        self.describe_with(&[])
    }

    /// The event in plain words, with its time, naming zones from `zone_names`.
    pub fn describe_with(&self, zone_names: &[String]) -> String {
        self.describe_at(zone_names, 0.0)
    }

    /// The event in plain words, naming zones from `zone_names`, with its time
    /// counted from `zero_s` (the moment a story calls T+0).
    pub fn describe_at(&self, zone_names: &[String], zero_s: f64) -> String {
        let zn = |z: u16| match zone_names.get(z as usize) {
            Some(n) => format!("zone {n}"),
            None => format!("zone #{z}"),
        };
        let what = match self {
            SimEvent::Scaled {
                from,
                to,
                by,
                utilization_pct,
                target_pct,
                limited_by,
                ..
            } => {
                let who = match by {
                    Scaler::Hpa => "HPA",
                    Scaler::Manual => "Manual scale",
                };
                let mut why = Vec::new();
                if let (Some(u), Some(t)) = (utilization_pct, target_pct) {
                    why.push(format!("CPU {u} % vs target {t} %"));
                }
                if let Some(words) = limited_by.words() {
                    why.push(words);
                }
                if why.is_empty() {
                    format!("{who}: {from} → {to} pods")
                } else {
                    format!("{who}: {from} → {to} pods ({})", why.join("; "))
                }
            }
            SimEvent::BoundsChanged {
                min_replicas,
                max_replicas,
                reason,
                ..
            } => format!("HPA bounds now {min_replicas}–{max_replicas} pods ({reason})"),
            SimEvent::PodReady { pod, after_s, .. } => {
                format!("pod {pod} ready, {after_s:.0} s after it was created")
            }
            SimEvent::PodsPending { count, .. } => {
                format!("{} Pending: no node has room", counted(*count, "pod", "pods"))
            }
            SimEvent::PausePodPreempted { pod, .. } => {
                format!("pause pod {pod} preempted: an app pod takes its room at once")
            }
            SimEvent::PodKilled {
                pod,
                cause,
                lost_requests,
                lost_sessions,
                ..
            } => {
                let c = match cause {
                    KillCause::Fault => "killed",
                    KillCause::NodeLost => "lost with its node",
                    KillCause::OutOfMemory => "OOM-killed (memory above its limit), restarting",
                    KillCause::CrashLoop => "crashed as it started (its version crash-loops), restarting after a back-off",
                };
                let mut s = format!("pod {pod} {c}; {lost_requests:.0} queued requests lost");
                if *lost_sessions >= 0.5 {
                    s.push_str(&format!(", {lost_sessions:.0} sessions lost"));
                }
                s
            }
            SimEvent::PodOutOfRotation { pod, after_s, .. } => format!(
                "load balancer health checks take dead pod {pod} out of rotation after {after_s:.0} s"
            ),
            SimEvent::NodesRequested {
                zone,
                count,
                ready_at_s,
                ..
            } => format!(
                "Cluster Autoscaler: +{} in {}, ready at {}",
                counted(*count, "node", "nodes"),
                zn(*zone),
                clock(*ready_at_s - zero_s)
            ),
            SimEvent::NodeAdded { node, zone, .. } => {
                format!("node {node} ready in {}", zn(*zone))
            }
            SimEvent::NodeRemoved {
                node, zone, reason, ..
            } => match reason {
                NodeRemoval::ScaleDown => format!(
                    "Cluster Autoscaler removes node {node} in {} (unneeded for over 10 min)",
                    zn(*zone)
                ),
                NodeRemoval::Fault => format!("node {node} in {} died", zn(*zone)),
            },
            SimEvent::NodeKept {
                node,
                zone,
                utilization_pct,
                threshold_pct,
                reason,
                ..
            } => format!(
                "Cluster Autoscaler keeps node {node} in {}: {utilization_pct:.0} % requested, under the {threshold_pct:.0} % scale-down threshold, but {reason}",
                zn(*zone)
            ),
            SimEvent::AlertFired { alert, .. } => format!("ALERT firing: {alert}"),
            SimEvent::BreakerChanged {
                to,
                failure_rate_pct,
                calls,
                wait_s,
                edge,
                slow_call_rate_pct,
                slow_ms,
                fallback,
                ..
            } => {
                use crate::sim::resilience::circuit_breaker::CbState;
                let calls = crate::figures::group_thousands(&format!("{:.0}", calls.max(0.0)));
                let why = if *slow_ms > 0.0 {
                    format!(
                        "{slow_call_rate_pct:.0} % of {calls} calls took over {}",
                        crate::figures::duration_words(slow_ms / 1000.0)
                    )
                } else {
                    format!("{failure_rate_pct:.0} % of {calls} calls failed")
                };
                let which = if edge.is_client() {
                    String::new()
                } else {
                    format!(" ({})", edge.words())
                };
                match to {
                    CbState::Open => format!(
                        "circuit breaker{which} OPEN: {why}; {} for {}",
                        edge.open_words(*fallback),
                        crate::figures::duration_words(*wait_s)
                    ),
                    CbState::HalfOpen => {
                        format!("circuit breaker{which} HALF_OPEN: trial calls go through")
                    }
                    CbState::Closed => format!(
                        "circuit breaker{which} CLOSED: {failure_rate_pct:.0} % of {calls} trial calls failed"
                    ),
                }
            }
            SimEvent::AlertResolved { alert, .. } => format!("alert resolved: {alert}"),
            SimEvent::RolloutStarted {
                version,
                from,
                max_surge,
                max_unavailable,
                ..
            } => format!(
                "Deployment: rolling update {from} \u{2192} {version} (up to {max_surge} extra pod{}, up to {max_unavailable} unavailable)",
                if *max_surge == 1 { "" } else { "s" }
            ),
            SimEvent::RolloutComplete {
                version, after_s, ..
            } => format!(
                "Deployment: rollout to {version} complete after {}",
                crate::figures::duration_words(*after_s)
            ),
            SimEvent::CanaryStarted {
                version,
                from,
                weight_pct,
                stages,
                ..
            } => format!(
                "canary: {version} takes {} of the traffic beside {from} (stage 1 of {stages})",
                pct_words(*weight_pct)
            ),
            SimEvent::CanaryStage {
                version,
                stage,
                stages,
                weight_pct,
                ..
            } => format!(
                "canary: {version} held its stage and widens to {} of the traffic (stage {stage} of {stages})",
                pct_words(*weight_pct)
            ),
            SimEvent::CanaryRolledBack {
                version,
                stage,
                weight_pct,
                check,
                measured,
                limit,
                ..
            } => {
                let why = trigger_words(*check, *measured, *limit, ("canary", "the stable version's"));
                format!(
                    "canary ROLLED BACK at stage {stage} ({} of the traffic): {why}; {version}'s pods are removed",
                    pct_words(*weight_pct)
                )
            }
            SimEvent::CanaryPromoted {
                version, after_s, ..
            } => format!(
                "canary: every stage held; {version} is promoted after {}",
                crate::figures::duration_words(*after_s)
            ),
            SimEvent::BlueGreenStarted {
                version,
                from,
                replicas,
                ..
            } => format!(
                "blue-green: green ({version}) starts {replicas} pods beside blue ({from}); blue keeps all the traffic"
            ),
            SimEvent::BlueGreenSwitched {
                version, after_s, ..
            } => format!(
                "blue-green: every green pod is ready; the load balancer SWITCHED all traffic to {version} after {}",
                crate::figures::duration_words(*after_s)
            ),
            SimEvent::BlueGreenSwitchedBack {
                version,
                blue,
                switched,
                check,
                measured,
                limit,
                ..
            } => {
                let why = match check {
                    Some(c) => trigger_words(*c, *measured, *limit, ("green", "blue's before the switch")),
                    None => "switched back by hand".to_string(),
                };
                let what = if *switched {
                    format!("SWITCHED BACK to {blue} at once")
                } else {
                    format!("{version} abandoned before the switch; {blue} kept the traffic")
                };
                format!("blue-green {what}: {why}; {version}'s pods are removed")
            }
            SimEvent::BlueGreenRetired {
                version, blue, ..
            } => format!(
                "blue-green: the standby ({blue}) is retired; {version} runs alone"
            ),
            SimEvent::ExperimentStarted {
                name,
                hypothesis,
                steady_s,
                ..
            } => format!(
                "experiment {name}: checking the steady state for {} before the method. Hypothesis: {hypothesis}",
                crate::figures::duration_words(*steady_s)
            ),
            SimEvent::ExperimentMethodStarted { name, .. } => {
                format!("experiment {name}: the steady state held; the method starts")
            }
            SimEvent::ExperimentAborted { name, why, .. } => {
                format!("experiment {name} ABORTED: {why}; its faults are rolled back")
            }
            SimEvent::ExperimentEnded {
                name,
                verdict,
                service_budget_used_pct,
                ..
            } => format!(
                "experiment {name}: {}; it cost {:.2} % of the error budget",
                verdict.words(),
                service_budget_used_pct
            ),
            SimEvent::PolicyTierChanged { tier, .. } => {
                format!("error-budget policy: {}", policy_tier_words(*tier))
            }
            SimEvent::FaultInjected { action, by, .. } => {
                format!("{}: {}", by.label(), action.describe())
            }
            SimEvent::ActionIgnored {
                action, by, reason, ..
            } => format!(
                "{}: {} \u{2014} nothing happened: {reason}",
                by.label(),
                action.describe()
            ),
            SimEvent::FaultCleared { fault, .. } => format!("Fault cleared: {}", fault.words()),
            SimEvent::ConsistencySwitched {
                class, from, to, ..
            } => format!(
                "Consistency: {} {} → {}",
                class.map_or("every class", |c| c.as_str()),
                from.map_or("mixed", mode_words),
                mode_words(*to)
            ),
            SimEvent::FailoverDone {
                failovers,
                lost_writes,
                ..
            } => format!(
                "Database: failover done ({failovers}), writes succeed again; {lost_writes:.0} writes lost"
            ),
            SimEvent::RegionFailover {
                regions,
                lost_writes,
                ..
            } => format!(
                "GSLB: {} failed over; {lost_writes:.0} writes lost within the replication lag",
                counted(*regions, "region", "regions")
            ),
            SimEvent::ConsumersScaled {
                from,
                to,
                lag_messages,
                ..
            } => format!(
                "Kafka: consumers {from} → {to} (lag {} messages)",
                crate::figures::group_thousands(&lag_messages.to_string())
            ),
            SimEvent::LagAlert {
                firing,
                lag_s,
                lag_messages,
                ..
            } => {
                if *firing {
                    format!(
                        "Kafka: lag alert firing, oldest message {lag_s:.0} s old ({} messages)",
                        crate::figures::group_thousands(&format!("{lag_messages:.0}"))
                    )
                } else {
                    format!("Kafka: lag alert resolved ({lag_s:.0} s)")
                }
            }
        };
        format!("{} {what}", clock(self.t_s() - zero_s))
    }
}

/// Why a release trigger fired, for the timeline: `who` names the new version's side
/// ("canary", "green") and `base` what it is compared with ("the stable version's");
/// the measured value and limit are in the check's unit.
fn trigger_words(
    check: crate::sim::rollout::canary::CanaryCheck,
    measured: f64,
    limit: f64,
    (who, base): (&str, &str),
) -> String {
    use crate::sim::rollout::canary::CanaryCheck;
    match check {
        CanaryCheck::ErrorRate => format!(
            "its error rate {} passed {base} + allowance, {}",
            pct_words(measured),
            pct_words(limit)
        ),
        CanaryCheck::P99 => {
            format!("its p99 {measured:.0} ms passed {base} + allowance, {limit:.0} ms")
        }
        CanaryCheck::Memory => {
            format!("a {who} pod uses {measured:.0} % of its memory limit (trigger {limit:.0} %)")
        }
        CanaryCheck::CrashLoop => format!("a {who} pod is in CrashLoopBackOff (restarted twice)"),
    }
}

/// A percentage in words: "1 %", "0.5 %", "12.3 %" (two decimals below 1 %, else one;
/// none when whole).
fn pct_words(pct: f64) -> String {
    let r = if pct.abs() < 1.0 {
        (pct * 100.0).round() / 100.0
    } else {
        (pct * 10.0).round() / 10.0
    };
    format!("{r} %")
}

#[cfg(test)]
mod tests {
    use super::super::hpa::PolicyType;
    use super::*;

    #[test]
    fn percentages_read_with_the_decimals_they_need() {
        assert_eq!(pct_words(0.5), "0.5 %");
        assert_eq!(pct_words(0.0123), "0.01 %");
        assert_eq!(pct_words(5.0), "5 %");
        assert_eq!(pct_words(12.34), "12.3 %");
    }

    #[test]
    fn a_scaling_event_reads_like_the_seed() {
        let e = SimEvent::Scaled {
            t_s: 45.0,
            from: 3,
            to: 7,
            by: Scaler::Hpa,
            utilization_pct: Some(140),
            target_pct: Some(70),
            limited_by: ScaleLimit::Hpa(LimitReason::RatePolicy {
                up: true,
                policy_type: PolicyType::Pods,
                value: 4,
                period_s: 15,
                limit: 7,
            }),
        };
        assert_eq!(
            e.describe(),
            "T+0:45 HPA: 3 → 7 pods (CPU 140 % vs target 70 %; limited by the 4-pods-per-15 s scale-up policy: at most 7 pods now)"
        );
    }

    #[test]
    fn a_fault_reads_in_plain_words() {
        let e = SimEvent::FaultInjected {
            t_s: 600.0,
            action: Action::InjectLatency {
                target: super::super::inputs::LatencyTarget::Service,
                ms: 200.0,
                duration_s: Some(60.0),
            },
            by: ActionSource::Scenario,
        };
        assert_eq!(
            e.describe(),
            "T+10:00 Scenario: inject 200 ms of latency into every request for 60 s"
        );
    }

    #[test]
    fn a_kept_node_says_why_in_a_few_words() {
        let e = SimEvent::NodeKept {
            t_s: 610.0,
            node: 3,
            zone: 0,
            utilization_pct: 37.5,
            threshold_pct: 50.0,
            reason: Unremovable::NoPlaceToMovePods {
                pods: 1,
                unplaced: 1,
            },
        };
        assert_eq!(
            e.describe_with(&["a".to_string()]),
            "T+10:10 Cluster Autoscaler keeps node 3 in zone a: 38 % requested, under the 50 % scale-down threshold, but its pod fits on no other node"
        );
        let two = Unremovable::NoPlaceToMovePods {
            pods: 3,
            unplaced: 2,
        };
        assert_eq!(two.to_string(), "2 of its 3 pods fit on no other node");
    }

    #[test]
    fn the_clock_shows_hours_after_an_hour() {
        assert_eq!(clock(7500.0), "T+2:05:00");
        assert_eq!(clock(90.0), "T+1:30");
        // A clock does not read ahead of the time.
        assert_eq!(clock(2.7), "T+0:02");
        assert_eq!(clock(0.9), "T+0:00");
        assert_eq!(clock(-0.4), "T+0:00");
        assert_eq!(clock(-30.0), "T-0:30");
        assert_eq!(clock(2.9999999999), "T+0:03");
    }

    #[test]
    fn time_ticks_fall_on_round_clock_values() {
        // A 2,000 s chart: every 5 min, not every 1,000 s (16:40, 33:20).
        let t = time_ticks(2000.0, 7);
        assert_eq!(t, vec![0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0, 1800.0]);
        let labels: Vec<String> = t.iter().map(|s| clock(*s)).collect();
        assert_eq!(labels[1], "T+5:00");
        assert_eq!(
            time_ticks(60.0, 7),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
        assert_eq!(time_ticks(10800.0, 7).len(), 7); // every 30 min over 3 h
        assert_eq!(time_ticks(10800.0, 7)[1], 1800.0);
        assert_eq!(time_ticks(0.0, 7), vec![0.0]);
        for end in [1.0, 59.0, 61.0, 599.0, 3599.0, 86400.0, 400.0 * 86400.0] {
            let t = time_ticks(end, 7);
            assert!(
                t.len() <= 7 && t.last().copied().unwrap_or(0.0) <= end,
                "{end}: {t:?}"
            );
            assert!(t.iter().all(|v| v % 10.0 == 0.0), "{end}: {t:?}");
        }
    }
}
