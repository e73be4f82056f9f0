//! The HPA controller: `reconcileAutoscaler` with its two normalization paths
//! (docs/models.md#hpa).
//!
//! ```text
//!   every sync (15 s):  metrics ──calc──▶ proposal (max over metrics)
//!                                           │
//!        behavior omitted ──▶ legacy: max(recs in 300 s) , cap max(2×cur, 4), [min, max]
//!        behavior present ──▶ stabilization windows ──▶ rate policies (selectPolicy) ──▶ [min, max]
//!                                           │
//!                                   HpaDecision { replicas_after, limited_by }
//! ```
//!
//! State kept between syncs, like the real controller keyed by HPA: the recommendations of the
//! stabilization windows and the scale events of the rate policies. Both are bounded: an entry
//! older than its windows is overwritten instead of appended.
//!
//! Timing: Go `After` is strict `>`, `Before` is `<`; every "now" inside one sync is
//! the same instant. The legacy window drops a sample exactly 300 s old unless
//! `legacy_inclusive_boundary` is set (the literal Go comparison on exact 15 s ticks).

use serde::{Deserialize, Serialize};

use super::calc::{
    classify_pod, compute_replicas_for_metrics, per_pod_average_value_replicas,
    plain_metric_replicas, resource_utilization_replicas, usage_ratio_replica_count, CalcError,
    CalcPath, GroupingInput, PodSample, Tolerances,
};
use super::spec::{
    HpaScalingPolicy, HpaScalingRules, HpaSpec, MetricSourceType, MetricSpec, MetricTargetType,
    PolicyType, SelectPolicy,
};

/// `scaleUpLimitFactor` of the legacy path.
const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
/// `scaleUpLimitMinimum` of the legacy path [pods].
const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;

/// A pod's phase as the HPA sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodPhase {
    /// Not yet running (scheduling, image pull): always unready.
    Pending,
    /// Running; readiness decides.
    Running,
    /// Failed: ignored.
    Failed,
    /// Being deleted (`DeletionTimestamp` set): ignored.
    Terminating,
}

/// One pod of the scale target, as the HPA's metrics view shows it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HpaPod {
    /// Phase.
    pub phase: PodPhase,
    /// The Ready condition.
    pub ready: bool,
    /// When the pod started [s]; `None` = not started (CPU: unready).
    pub start_time_s: Option<f64>,
    /// Last transition of the Ready condition [s]; `None` = the start time.
    pub last_ready_transition_s: Option<f64>,
    /// CPU usage [millicores]; `None` = no sample (missing).
    pub cpu_usage_m: Option<i64>,
    /// CPU request [millicores].
    pub cpu_request_m: i64,
    /// Memory usage [bytes]; `None` = no sample.
    pub memory_usage_bytes: Option<i64>,
    /// Memory request [bytes].
    pub memory_request_bytes: i64,
    /// Timestamp of the resource metric sample [s].
    pub sample_time_s: f64,
    /// Averaging window of the sample [s] (metrics-server: about 15–30 s; 0 = instantaneous).
    pub sample_window_s: f64,
}

/// The metrics view the controller reads each sync.
pub trait HpaMetrics {
    /// Pods of the scale target in a stable order.
    fn pods(&self) -> &[HpaPod];
    /// Value [milli-units] of the Pods metric `name` for pod `index` of pods(); None = missing.
    fn pod_metric_m(&self, name: &str, index: usize) -> Option<i64>;
    /// Total [milli-units] of the External metric `name` over all its series; None = unavailable.
    fn external_metric_m(&self, name: &str) -> Option<i64>;
    /// Value [milli-units] of the Object metric `name`; None = unavailable.
    fn object_metric_m(&self, name: &str) -> Option<i64>;
}

/// kube-controller-manager flags of the HPA controller (defaults of `defaults.go`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HpaControllerConfig {
    /// `--horizontal-pod-autoscaler-sync-period` [s]; calling `reconcile` on it is the caller's job.
    pub sync_period_s: f64,
    /// `--horizontal-pod-autoscaler-tolerance` [fraction], both directions.
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` [s].
    pub downscale_stabilization_s: f64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` [s].
    pub cpu_initialization_period_s: f64,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` [s].
    pub initial_readiness_delay_s: f64,
    /// Legacy window keeps a sample exactly `downscale_stabilization_s` old (literal Go on exact ticks).
    pub legacy_inclusive_boundary: bool,
}

impl Default for HpaControllerConfig {
    fn default() -> Self {
        HpaControllerConfig {
            sync_period_s: 15.0,
            tolerance: 0.1,
            downscale_stabilization_s: 300.0,
            cpu_initialization_period_s: 300.0,
            initial_readiness_delay_s: 30.0,
            legacy_inclusive_boundary: false,
        }
    }
}

/// What counting not-ready pods (or pods without metrics) did to a ratio that was outside the
/// tolerance band, so that the count stayed (the rebalancing in docs/models.md#hpa).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadinessEffect {
    /// The recounted ratio falls inside the tolerance band.
    InsideBand,
    /// The recounted ratio is on the other side of the target.
    Reversed,
    /// Recounted over all pods it asks to move against the ratio's direction.
    WrongWay,
}

/// What limited one decision: the controller's own reason, with the numbers behind it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum LimitReason {
    /// The HPA went where the metrics pointed.
    None,
    /// The metric was inside the tolerance band: no change.
    WithinTolerance {
        /// Metric / target (1.0 = on target).
        ratio: f64,
        /// Allowed drop below 1.0 [fraction].
        tolerance_down: f64,
        /// Allowed rise above 1.0 [fraction].
        tolerance_up: f64,
        /// The target [% of request] for Utilization targets.
        target_pct: Option<i32>,
    },
    /// The scale-up stabilization window: the count goes no higher than the window's lowest
    /// recommendation (and never below the current count).
    ScaleUpStabilization {
        /// The window [s].
        window_s: f64,
        /// The lowest recommendation in it, this sync's included [pods].
        lowest: i32,
        /// What the metrics asked for this sync [pods].
        wanted: i32,
        /// The stabilized count: `lowest`, or the current count when that is higher [pods].
        to: i32,
    },
    /// The scale-down stabilization window: the count goes no lower than the window's highest
    /// recommendation.
    ScaleDownStabilization {
        /// The window [s].
        window_s: f64,
        /// The highest recommendation in it, this sync's included [pods].
        highest: i32,
        /// What the metrics asked for this sync [pods].
        wanted: i32,
        /// The stabilized count: `highest`, or (behavior path) the current count when that is
        /// lower [pods].
        to: i32,
        /// The count before this sync [pods]. Without `behavior`, `to` may be above it: the
        /// window holds the metrics' earlier asks before the scale-up cap cut them.
        current: i32,
    },
    /// A rate-limit policy of `behavior` capped the change.
    RatePolicy {
        /// Scale-up (true) or scale-down policy.
        up: bool,
        /// Pods or Percent.
        policy_type: PolicyType,
        /// Pods or percent [%].
        value: i32,
        /// The policy's period [s].
        period_s: i32,
        /// The most (scale-up) or fewest (scale-down) pods the policies allow now [pods].
        limit: i32,
    },
    /// The legacy cap of max(2 × current, 4) pods per sync (no `behavior`).
    LegacyScaleUpLimit {
        /// Replicas before the sync [pods].
        current: i32,
        /// max(2 × current, 4) [pods].
        limit: i32,
    },
    /// Bounded below by `minReplicas`.
    MinReplicas {
        /// `minReplicas` [pods].
        min: i32,
    },
    /// Bounded above by `maxReplicas`.
    MaxReplicas {
        /// `maxReplicas` [pods].
        max: i32,
    },
    /// The target has 0 replicas: the HPA does nothing.
    ScalingDisabled,
    /// No valid metrics, or some failed while the rest asked to scale down: no change.
    MetricsUnavailable {
        /// Metrics that gave no proposal.
        failed: i32,
        /// Metrics in the spec.
        total: i32,
        /// Why the first failed metric failed.
        first_error: Option<CalcError>,
    },
    /// `selectPolicy: Disabled` for this direction.
    DirectionDisabled {
        /// Scale-up (true) or scale-down.
        up: bool,
    },
    /// Pods not ready yet (or without metrics) were counted at an assumed value, and that kept
    /// the count although the ready pods' ratio was outside the band.
    PodReadinessHold {
        /// Not-ready pods counted at 0 (scale-up only) [pods].
        unready: i32,
        /// Pods without metrics counted at 0 (scale-up) or at the target (scale-down) [pods].
        missing: i32,
        /// Metric / target over the ready pods.
        ratio: f64,
        /// Metric / target with the others counted in.
        rebalanced: f64,
        /// The target [% of request] for Utilization targets.
        target_pct: Option<i32>,
        /// Why the recounted ratio kept the count.
        effect: ReadinessEffect,
    },
}

/// "2 pods" or "1 pod".
fn pods(n: i32) -> String {
    format!("{n} {}", if n == 1 { "pod" } else { "pods" })
}

/// A ratio as the learner reads it: "127 %" of a utilization target, else "1.27 × target".
fn level(ratio: f64, target_pct: Option<i32>) -> String {
    match target_pct {
        Some(t) => format!("{:.0} %", ratio * f64::from(t)),
        None => format!("{ratio:.2} × target"),
    }
}

impl LimitReason {
    /// Plain words for learners, with the numbers of this decision.
    pub fn describe(&self) -> String {
        match *self {
            LimitReason::None => "not limited: the HPA followed the metrics".into(),
            LimitReason::WithinTolerance {
                ratio,
                tolerance_down,
                tolerance_up,
                target_pct,
            } => match target_pct {
                Some(t) => format!(
                    "held: utilization {} is inside the tolerance band of the {t} % target ({:.0}\u{2013}{:.0} %)",
                    level(ratio, target_pct),
                    f64::from(t) * (1.0 - tolerance_down),
                    f64::from(t) * (1.0 + tolerance_up),
                ),
                None => format!(
                    "held: the metric is at {}, inside the tolerance band ({:.2}\u{2013}{:.2} × target)",
                    level(ratio, None),
                    1.0 - tolerance_down,
                    1.0 + tolerance_up,
                ),
            },
            LimitReason::ScaleUpStabilization {
                window_s,
                lowest,
                wanted,
                to,
            } => {
                let then = if lowest < to {
                    format!("so the HPA keeps {to}")
                } else {
                    "and the HPA goes no higher than that".into()
                };
                format!(
                    "scale-up stabilization: the lowest recommendation in the last {window_s:.0} s was {lowest} (the metrics now ask for {wanted}), {then}"
                )
            }
            LimitReason::ScaleDownStabilization {
                window_s,
                highest,
                wanted,
                to,
                current,
            } => {
                if to > current {
                    // Legacy path: kube's stabilizeRecommendation keeps the
                    // prenormalized asks, so an ask the scale-up cap cut comes back.
                    return format!(
                        "scale-down stabilization raises {current} to {to}: the highest recommendation in the last {window_s:.0} s was {highest}, an earlier ask the scale-up cap held back, and the HPA goes no lower than it even though the metrics now ask for {wanted}"
                    );
                }
                let then = if highest > to {
                    format!("so the HPA keeps {to}")
                } else {
                    "and the HPA goes no lower than that".into()
                };
                format!(
                    "scale-down stabilization: the highest recommendation in the last {window_s:.0} s was {highest} (the metrics now ask for {wanted}), {then}"
                )
            }
            LimitReason::RatePolicy {
                up,
                policy_type,
                value,
                period_s,
                limit,
            } => {
                let (dir, bound) = if up {
                    ("scale-up", "at most")
                } else {
                    ("scale-down", "at least")
                };
                let policy = match policy_type {
                    PolicyType::Pods => {
                        let p = if value == 1 { "pod" } else { "pods" };
                        format!("{value}-{p}-per-{period_s} s")
                    }
                    PolicyType::Percent => format!("{value} %-per-{period_s} s"),
                };
                format!("limited by the {policy} {dir} policy: {bound} {} now", pods(limit))
            }
            LimitReason::LegacyScaleUpLimit { current, limit } => format!(
                "limited by the legacy scale-up cap (no behavior set): at most max(2 × {current}, 4) = {} now",
                pods(limit)
            ),
            LimitReason::MinReplicas { min } => {
                format!("at minReplicas {min}: the HPA never goes below it")
            }
            LimitReason::MaxReplicas { max } => {
                format!("at maxReplicas {max}: the HPA never goes above it")
            }
            LimitReason::ScalingDisabled => "scaling disabled: the target has 0 replicas".into(),
            LimitReason::MetricsUnavailable {
                failed,
                total,
                first_error,
            } => {
                let why = first_error.map_or("", |e| e.describe());
                if failed >= total {
                    format!("held: no metric could be read ({why})")
                } else {
                    format!(
                        "held: {failed} of {total} metrics could not be read ({why}) and the rest ask for fewer pods; the HPA does not scale down on partial metrics"
                    )
                }
            }
            LimitReason::DirectionDisabled { up } => format!(
                "held: {} is disabled (selectPolicy: Disabled)",
                if up { "scale-up" } else { "scale-down" }
            ),
            LimitReason::PodReadinessHold {
                unready,
                missing,
                ratio,
                rebalanced,
                target_pct,
                effect,
            } => {
                let up = ratio > 1.0;
                let who = match (unready, missing) {
                    (0, m) => format!("{} without metrics", pods(m)),
                    (u, 0) => format!("{} not ready yet", pods(u)),
                    (u, m) => format!("{} not ready yet and {m} without metrics", pods(u)),
                };
                let counted = match (up, target_pct) {
                    (true, Some(_)) => "0 %".to_string(),
                    (true, None) => "0".to_string(),
                    (false, Some(t)) => format!("{} %", t.max(100)),
                    (false, None) => "the target".to_string(),
                };
                let what = if target_pct.is_some() {
                    "utilization"
                } else {
                    "the metric"
                };
                let target = match target_pct {
                    Some(t) => format!("the {t} % target"),
                    None => "the target".to_string(),
                };
                let outcome = match effect {
                    ReadinessEffect::InsideBand => {
                        format!("inside the tolerance band of {target}")
                    }
                    ReadinessEffect::Reversed => {
                        format!("{} {target}", if up { "below" } else { "above" })
                    }
                    ReadinessEffect::WrongWay => format!(
                        "yet recounted over all pods that asks for {} pods than now",
                        if up { "fewer" } else { "more" }
                    ),
                };
                format!(
                    "held: counting {who} at {counted} takes {what} from {} to {}, {outcome}",
                    level(ratio, target_pct),
                    level(rebalanced, target_pct),
                )
            }
        }
    }
}

/// One sync's decision and why.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HpaDecision {
    /// Sync time [s].
    pub t_s: f64,
    /// `spec.replicas` before the sync [pods].
    pub replicas_before: i32,
    /// Running and Ready pods [pods].
    pub ready_pods: i32,
    /// Current utilization of the first Utilization metric [% of request], when computed.
    pub utilization_pct: Option<i64>,
    /// The metrics' proposal (max over metrics) [pods]; −1 when metrics were unavailable; the
    /// clamp target when the current count was outside [min, max] (metrics not consulted).
    pub proposal: i32,
    /// `spec.replicas` after the sync [pods].
    pub replicas_after: i32,
    /// Why `replicas_after` differs from `proposal` (or equals the current count).
    pub limited_by: LimitReason,
}

/// A stabilization-window sample (`timestampedRecommendation`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Recommendation {
    replicas: i32,
    t_s: f64,
}

/// A rescale (`timestampedScaleEvent`); `change` is always positive.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct ScaleEvent {
    change: i32,
    t_s: f64,
    outdated: bool,
}

/// The scaling rules of one direction with every default applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Rules {
    stabilization_window_s: f64,
    select_policy: SelectPolicy,
    policies: Vec<HpaScalingPolicy>,
    longest_period_s: f64,
}

impl Rules {
    fn resolve(r: &HpaScalingRules, default_window_s: f64) -> Self {
        let policies = r.policies.clone().unwrap_or_default();
        let longest = policies
            .iter()
            .map(|p| p.period_seconds)
            .max()
            .unwrap_or(0)
            .max(0);
        Rules {
            stabilization_window_s: r
                .stabilization_window_seconds
                .map_or(default_window_s, f64::from),
            select_policy: r.select_policy.unwrap_or(SelectPolicy::Max),
            policies,
            longest_period_s: f64::from(longest),
        }
    }
}

/// A limit from the rate policies and the policy that set it.
#[derive(Clone, Copy, Debug)]
struct RateLimit {
    limit: i32,
    policy: Option<usize>,
}

/// Outcome of `convertDesiredReplicasWithBehaviorRate` / `convertDesiredReplicasWithRules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Within,
    ScaleUpLimit,
    ScaleDownLimit,
    TooMany,
    TooFew,
}

/// The figures of a calculator result (no Utilization target).
fn basis_of(calc: &super::calc::ReplicaCalc) -> Basis {
    Basis {
        path: calc.path,
        ratio: calc.usage_ratio,
        rebalanced: calc.new_usage_ratio,
        unready: calc.unready_pod_count,
        missing: calc.missing_pod_count,
        target_pct: None,
    }
}

/// Gives pod `i`'s (metric sample, request) [milli-units].
type SampleOf<'a> = &'a dyn Fn(usize, &HpaPod) -> (Option<i64>, i64);

/// Groups the pods into `samples` (`groupPods`), with `value_of` giving each pod's (sample, request).
fn fill_samples(
    samples: &mut Vec<PodSample>,
    config: &HpaControllerConfig,
    now_s: f64,
    is_cpu: bool,
    metrics: &dyn HpaMetrics,
    value_of: SampleOf<'_>,
) {
    samples.clear();
    for (i, pod) in metrics.pods().iter().enumerate() {
        let (usage_m, request_m) = value_of(i, pod);
        let input = GroupingInput {
            ignored: matches!(pod.phase, PodPhase::Failed | PodPhase::Terminating),
            pending: pod.phase == PodPhase::Pending,
            has_metric: usage_m.is_some(),
            ready: Some(pod.ready),
            start_time_s: pod.start_time_s,
            last_ready_transition_s: pod.last_ready_transition_s,
            sample_time_s: pod.sample_time_s,
            sample_window_s: pod.sample_window_s,
        };
        let state = classify_pod(
            &input,
            now_s,
            is_cpu,
            config.cpu_initialization_period_s,
            config.initial_readiness_delay_s,
        );
        samples.push(PodSample {
            state,
            usage_m,
            request_m,
        });
    }
}

/// State of ONE HorizontalPodAutoscaler across syncs (serializable: a restored
/// controller keeps its stabilization window and scale events).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HpaController {
    spec: HpaSpec,
    config: HpaControllerConfig,
    scale_up: Option<Rules>,
    scale_down: Option<Rules>,
    tolerances: Tolerances,
    recommendations: Vec<Recommendation>,
    initialized: bool,
    scale_up_events: Vec<ScaleEvent>,
    scale_down_events: Vec<ScaleEvent>,
    samples: Vec<PodSample>,
    proposals: Vec<Option<i32>>,
    /// The history as it was before the sync at `last_now_s` (to redo that sync idempotently).
    before_last: History,
    last_now_s: Option<f64>,
}

/// The controller's memory, saved before each sync so that repeating a sync replaces it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct History {
    recommendations: Vec<Recommendation>,
    initialized: bool,
    scale_up_events: Vec<ScaleEvent>,
    scale_down_events: Vec<ScaleEvent>,
}

/// The figures behind one metric's proposal, kept to explain a decision.
#[derive(Clone, Copy, Debug)]
struct Basis {
    path: CalcPath,
    /// Metric / target over the ready pods.
    ratio: f64,
    /// The ratio after rebalancing, when it ran.
    rebalanced: Option<f64>,
    unready: i32,
    missing: i32,
    /// The target [% of request] of a Utilization target.
    target_pct: Option<i32>,
}

impl Basis {
    fn of_ratio(path: CalcPath, ratio: f64) -> Self {
        Basis {
            path,
            ratio,
            rebalanced: None,
            unready: 0,
            missing: 0,
            target_pct: None,
        }
    }
}

/// What the metric loop found besides the proposals.
struct MetricsOutcome {
    desired: i32,
    utilization_pct: Option<i64>,
    /// The winning (largest) proposal's figures.
    basis: Option<Basis>,
    /// Metrics without a proposal, and the first one's error.
    failed: i32,
    first_error: Option<CalcError>,
}

impl HpaController {
    /// A controller for `spec` (API defaults are applied here too; applying them twice is harmless).
    pub fn new(spec: HpaSpec, config: HpaControllerConfig) -> Self {
        let spec = spec.with_api_defaults();
        let (scale_up, scale_down) = match &spec.behavior {
            Some(b) => (
                Some(Rules::resolve(
                    b.scale_up.as_ref().unwrap_or(&HpaScalingRules::default()),
                    0.0,
                )),
                // maybeInitScaleDownStabilizationWindow: nil → the controller flag.
                Some(Rules::resolve(
                    b.scale_down.as_ref().unwrap_or(&HpaScalingRules::default()),
                    config.downscale_stabilization_s,
                )),
            ),
            None => (None, None),
        };
        let mut tolerances = Tolerances {
            scale_down: config.tolerance,
            scale_up: config.tolerance,
        };
        if let Some(b) = &spec.behavior {
            if let Some(t) = b.scale_up.as_ref().and_then(|r| r.tolerance) {
                tolerances.scale_up = t.as_f64();
            }
            if let Some(t) = b.scale_down.as_ref().and_then(|r| r.tolerance) {
                tolerances.scale_down = t.as_f64();
            }
        }
        HpaController {
            spec,
            config,
            scale_up,
            scale_down,
            tolerances,
            recommendations: Vec::new(),
            initialized: false,
            scale_up_events: Vec::new(),
            scale_down_events: Vec::new(),
            samples: Vec::new(),
            proposals: Vec::new(),
            before_last: History::default(),
            last_now_s: None,
        }
    }

    /// Saves the history before a new sync, or restores it when the sync at `now_s` is repeated,
    /// so that reconciling twice with the same view gives the same intent.
    fn begin_sync(&mut self, now_s: f64) {
        let h = &mut self.before_last;
        if self.last_now_s == Some(now_s) {
            self.recommendations.clone_from(&h.recommendations);
            self.initialized = h.initialized;
            self.scale_up_events.clone_from(&h.scale_up_events);
            self.scale_down_events.clone_from(&h.scale_down_events);
        } else {
            h.recommendations.clone_from(&self.recommendations);
            h.initialized = self.initialized;
            h.scale_up_events.clone_from(&self.scale_up_events);
            h.scale_down_events.clone_from(&self.scale_down_events);
            self.last_now_s = Some(now_s);
        }
    }

    /// The spec with API defaults applied.
    pub fn spec(&self) -> &HpaSpec {
        &self.spec
    }

    /// The controller flags.
    pub fn config(&self) -> &HpaControllerConfig {
        &self.config
    }

    /// The tolerances in force (per-direction `behavior.*.tolerance`, else the flag).
    pub fn tolerances(&self) -> Tolerances {
        self.tolerances
    }

    /// True when `behavior` is omitted and the legacy path runs.
    pub fn is_legacy(&self) -> bool {
        self.scale_up.is_none()
    }

    /// Number of stored stabilization recommendations and scale events (bounded).
    pub fn history_len(&self) -> usize {
        self.recommendations.len() + self.scale_up_events.len() + self.scale_down_events.len()
    }

    /// One sync of `reconcileAutoscaler` at `now_s` for a target with `spec_replicas` replicas.
    ///
    /// Calling it again with the same `now_s` redoes that sync (its recommendation and scale event
    /// are replaced, not added), so the same view always gives the same intent.
    #[must_use]
    pub fn reconcile(
        &mut self,
        now_s: f64,
        spec_replicas: i32,
        metrics: &dyn HpaMetrics,
    ) -> HpaDecision {
        self.begin_sync(now_s);
        let current = spec_replicas;
        if !self.initialized {
            // recordInitialRecommendation: a new HPA cannot scale down for a full window.
            self.initialized = true;
            self.recommendations.push(Recommendation {
                replicas: current,
                t_s: now_s,
            });
        }
        let ready_pods = metrics
            .pods()
            .iter()
            .filter(|p| p.phase == PodPhase::Running && p.ready)
            .count() as i32;
        let mut d = HpaDecision {
            t_s: now_s,
            replicas_before: current,
            ready_pods,
            utilization_pct: None,
            proposal: current,
            replicas_after: current,
            limited_by: LimitReason::None,
        };
        let min_replicas = self.spec.min_replicas;
        let max_replicas = self.spec.max_replicas;
        let desired;
        if current == 0 && min_replicas != 0 {
            d.proposal = 0;
            d.limited_by = LimitReason::ScalingDisabled;
            return d;
        } else if current > max_replicas {
            desired = max_replicas;
            d.proposal = desired;
            d.limited_by = LimitReason::MaxReplicas { max: max_replicas };
        } else if current < min_replicas {
            desired = min_replicas;
            d.proposal = desired;
            d.limited_by = LimitReason::MinReplicas { min: min_replicas };
        } else {
            let m = self.compute_replicas_for_metrics(now_s, current, metrics);
            d.utilization_pct = m.utilization_pct;
            d.proposal = m.desired;
            if m.desired == -1 {
                d.limited_by = LimitReason::MetricsUnavailable {
                    failed: m.failed,
                    total: self.spec.metrics.len() as i32,
                    first_error: m.first_error,
                };
                return d;
            }
            let prenormalized = m.desired.max(0);
            let (normalized, reason) = if self.is_legacy() {
                self.normalize_legacy(current, prenormalized, now_s)
            } else {
                self.normalize_with_behaviors(current, prenormalized, now_s)
            };
            desired = normalized;
            d.limited_by = match (reason, m.basis) {
                (LimitReason::None, Some(b)) if desired == current => self.hold_reason(&b),
                (other, _) => other,
            };
        }
        if desired != current {
            self.store_scale_event(current, desired, now_s);
        }
        d.replicas_after = desired;
        d
    }

    /// Per-metric proposals, then `computeReplicasForMetrics` (max wins).
    fn compute_replicas_for_metrics(
        &mut self,
        now_s: f64,
        current: i32,
        metrics: &dyn HpaMetrics,
    ) -> MetricsOutcome {
        let mut proposals = std::mem::take(&mut self.proposals);
        proposals.clear();
        let mut utilization_pct = None;
        let mut best: Option<(i32, Basis)> = None;
        let mut failed = 0;
        let mut first_error = None;
        for i in 0..self.spec.metrics.len() {
            let r = self.metric_proposal(i, now_s, current, metrics);
            match r {
                Ok((replicas, basis, utilization)) => {
                    if utilization_pct.is_none() {
                        utilization_pct = utilization;
                    }
                    if best.is_none_or(|(b, _)| replicas > b) {
                        best = Some((replicas, basis));
                    }
                    proposals.push(Some(replicas));
                }
                Err(e) => {
                    failed += 1;
                    first_error = first_error.or(Some(e));
                    proposals.push(None);
                }
            }
        }
        let desired = compute_replicas_for_metrics(current, &proposals);
        self.proposals = proposals;
        MetricsOutcome {
            desired,
            utilization_pct,
            basis: best.map(|(_, b)| b),
            failed,
            first_error,
        }
    }

    /// Why the count stayed when the normalization did not limit it: the tolerance band, the
    /// not-ready pods' rebalancing, or nothing (the metrics asked for the current count).
    fn hold_reason(&self, b: &Basis) -> LimitReason {
        let tol = self.tolerances;
        let within = LimitReason::WithinTolerance {
            ratio: b.ratio,
            tolerance_down: tol.scale_down,
            tolerance_up: tol.scale_up,
            target_pct: b.target_pct,
        };
        let readiness = |effect| LimitReason::PodReadinessHold {
            unready: if b.ratio > 1.0 { b.unready } else { 0 },
            missing: b.missing,
            ratio: b.ratio,
            rebalanced: b.rebalanced.unwrap_or(b.ratio),
            target_pct: b.target_pct,
            effect,
        };
        match b.path {
            CalcPath::WithinTolerance => within,
            // Inside the band before the recount too: the band held it, not the pods.
            CalcPath::RebalancedWithinTolerance if tol.is_within(b.ratio) => within,
            CalcPath::RebalancedWithinTolerance => readiness(ReadinessEffect::InsideBand),
            CalcPath::RebalancedDirectionFlip => readiness(ReadinessEffect::Reversed),
            CalcPath::RebalancedDirectionGuard => readiness(ReadinessEffect::WrongWay),
            CalcPath::Simple | CalcPath::Rebalanced | CalcPath::RatioOnly => LimitReason::None,
        }
    }

    /// One metric's proposal: (replicas, the figures behind it, utilization %).
    fn metric_proposal(
        &mut self,
        index: usize,
        now_s: f64,
        current: i32,
        metrics: &dyn HpaMetrics,
    ) -> Result<(i32, Basis, Option<i64>), CalcError> {
        let tol = self.tolerances;
        let config = self.config;
        let samples = &mut self.samples;
        let m: &MetricSpec = &self.spec.metrics[index];
        match m.source_type {
            MetricSourceType::Resource => {
                let r = m.resource.as_ref().ok_or(CalcError::Unavailable)?;
                let is_cpu = r.name == "cpu";
                let target = &r.target;
                if is_cpu {
                    fill_samples(samples, &config, now_s, true, metrics, &|_, p| {
                        (p.cpu_usage_m, p.cpu_request_m)
                    });
                } else {
                    fill_samples(samples, &config, now_s, false, metrics, &|_, p| {
                        (
                            p.memory_usage_bytes.map(|b| b.saturating_mul(1000)),
                            p.memory_request_bytes.saturating_mul(1000),
                        )
                    });
                }
                let (calc, target_pct) = match target.target_type {
                    MetricTargetType::Utilization => {
                        let pct = target.average_utilization.unwrap_or(0);
                        (
                            resource_utilization_replicas(current, pct, samples, tol)?,
                            Some(pct),
                        )
                    }
                    _ => (
                        plain_metric_replicas(
                            current,
                            target.average_value.map_or(0, |q| q.milli),
                            samples,
                            tol,
                        )?,
                        None,
                    ),
                };
                Ok((
                    calc.replicas,
                    Basis {
                        target_pct,
                        ..basis_of(&calc)
                    },
                    calc.utilization_pct,
                ))
            }
            MetricSourceType::Pods => {
                let p = m.pods.as_ref().ok_or(CalcError::Unavailable)?;
                let name = p.metric.name.as_str();
                let target_m = p.target.average_value.map_or(0, |q| q.milli);
                fill_samples(samples, &config, now_s, false, metrics, &|i, _| {
                    (metrics.pod_metric_m(name, i), 0)
                });
                let calc = plain_metric_replicas(current, target_m, samples, tol)?;
                Ok((calc.replicas, basis_of(&calc), None))
            }
            MetricSourceType::Object | MetricSourceType::External => {
                let (name, target) = match (&m.object, &m.external) {
                    (Some(o), _) if m.source_type == MetricSourceType::Object => {
                        (&o.metric.name, &o.target)
                    }
                    (_, Some(e)) if m.source_type == MetricSourceType::External => {
                        (&e.metric.name, &e.target)
                    }
                    _ => return Err(CalcError::Unavailable),
                };
                let value = if m.source_type == MetricSourceType::Object {
                    metrics.object_metric_m(name)
                } else {
                    metrics.external_metric_m(name)
                }
                .ok_or(CalcError::Unavailable)?;
                if target.target_type == MetricTargetType::AverageValue {
                    let target_m = target.average_value.map_or(0, |q| q.milli);
                    let (replicas, ratio, path) =
                        per_pod_average_value_replicas(current, value, target_m, tol);
                    return Ok((replicas, Basis::of_ratio(path, ratio), None));
                }
                let target_m = target.value.map_or(0, |q| q.milli);
                let usage_ratio = value as f64 / target_m as f64;
                let pods = metrics.pods();
                if current != 0 && !tol.is_within(usage_ratio) && pods.is_empty() {
                    return Err(CalcError::NoPods);
                }
                let ready = pods
                    .iter()
                    .filter(|p| p.phase == PodPhase::Running && p.ready)
                    .count() as i32;
                let (replicas, path) = usage_ratio_replica_count(current, usage_ratio, ready, tol);
                Ok((replicas, Basis::of_ratio(path, usage_ratio), None))
            }
            MetricSourceType::ContainerResource => Err(CalcError::Unavailable),
        }
    }

    /// Legacy `stabilizeRecommendation`: max of the recommendations in the last window.
    fn stabilize_legacy(&mut self, prenormalized: i32, now_s: f64) -> i32 {
        let mut max_rec = prenormalized;
        let mut old: Option<usize> = None;
        let cutoff = now_s - self.config.downscale_stabilization_s;
        for (i, r) in self.recommendations.iter().enumerate() {
            let is_old = if self.config.legacy_inclusive_boundary {
                r.t_s < cutoff
            } else {
                r.t_s <= cutoff
            };
            if is_old {
                old = Some(i);
            } else if r.replicas > max_rec {
                max_rec = r.replicas;
            }
        }
        let rec = Recommendation {
            replicas: prenormalized,
            t_s: now_s,
        };
        match old {
            Some(i) => self.recommendations[i] = rec,
            None => self.recommendations.push(rec),
        }
        max_rec
    }

    /// `normalizeDesiredReplicas` + `convertDesiredReplicasWithRules` (legacy path).
    fn normalize_legacy(
        &mut self,
        current: i32,
        prenormalized: i32,
        now_s: f64,
    ) -> (i32, LimitReason) {
        let stabilized = self.stabilize_legacy(prenormalized, now_s);
        let min = self.spec.min_replicas;
        let scale_up_limit =
            (SCALE_UP_LIMIT_FACTOR * f64::from(current)).max(SCALE_UP_LIMIT_MINIMUM) as i32;
        let (maximum_allowed, over) = if self.spec.max_replicas > scale_up_limit {
            (
                scale_up_limit,
                LimitReason::LegacyScaleUpLimit {
                    current,
                    limit: scale_up_limit,
                },
            )
        } else {
            (
                self.spec.max_replicas,
                LimitReason::MaxReplicas {
                    max: self.spec.max_replicas,
                },
            )
        };
        if stabilized < min {
            return (min, LimitReason::MinReplicas { min });
        }
        let window = |to: i32| LimitReason::ScaleDownStabilization {
            window_s: self.config.downscale_stabilization_s,
            highest: stabilized,
            wanted: prenormalized,
            to,
            current,
        };
        if stabilized > maximum_allowed {
            // The metrics alone stay under the cap: the window's ask is what holds.
            let reason = if prenormalized < maximum_allowed {
                window(maximum_allowed)
            } else {
                over
            };
            return (maximum_allowed, reason);
        }
        let reason = if stabilized == min && prenormalized < min {
            // minReplicas would hold it there with no window at all.
            LimitReason::MinReplicas { min }
        } else if stabilized > prenormalized {
            window(stabilized)
        } else {
            LimitReason::None
        };
        (stabilized, reason)
    }

    /// `stabilizeRecommendationWithBehaviors` (behavior path): the recommendation, and the window that set
    /// it (when it differs from `desired`) as a reason.
    fn stabilize_with_behaviors(
        &mut self,
        current: i32,
        desired: i32,
        now_s: f64,
    ) -> (i32, LimitReason) {
        let up_window = self
            .scale_up
            .as_ref()
            .map_or(0.0, |r| r.stabilization_window_s);
        let down_window = self
            .scale_down
            .as_ref()
            .map_or(self.config.downscale_stabilization_s, |r| {
                r.stabilization_window_s
            });
        let up_cutoff = now_s - up_window;
        let down_cutoff = now_s - down_window;
        let mut up_rec = desired;
        let mut down_rec = desired;
        let mut old: Option<usize> = None;
        for (i, r) in self.recommendations.iter().enumerate() {
            if r.t_s > up_cutoff {
                up_rec = up_rec.min(r.replicas);
            }
            if r.t_s > down_cutoff {
                down_rec = down_rec.max(r.replicas);
            }
            if r.t_s < up_cutoff && r.t_s < down_cutoff {
                old = Some(i);
            }
        }
        let mut recommendation = current;
        if recommendation < up_rec {
            recommendation = up_rec;
        }
        if recommendation > down_rec {
            recommendation = down_rec;
        }
        let rec = Recommendation {
            replicas: desired,
            t_s: now_s,
        };
        match old {
            Some(i) => self.recommendations[i] = rec,
            None => self.recommendations.push(rec),
        }
        let reason = if recommendation < desired {
            LimitReason::ScaleUpStabilization {
                window_s: up_window,
                lowest: up_rec,
                wanted: desired,
                to: recommendation,
            }
        } else if recommendation > desired {
            LimitReason::ScaleDownStabilization {
                window_s: down_window,
                highest: down_rec,
                wanted: desired,
                to: recommendation,
                current,
            }
        } else {
            LimitReason::None
        };
        (recommendation, reason)
    }

    /// `normalizeDesiredReplicasWithBehaviors`: stabilization, then rate policies, then [min, max].
    fn normalize_with_behaviors(
        &mut self,
        current: i32,
        prenormalized: i32,
        now_s: f64,
    ) -> (i32, LimitReason) {
        let (stabilized, stabilization) =
            self.stabilize_with_behaviors(current, prenormalized, now_s);
        let (desired, bound, rate) = self.convert_with_behavior_rate(current, stabilized, now_s);
        let reason = match bound {
            Bound::TooMany => LimitReason::MaxReplicas {
                max: self.spec.max_replicas,
            },
            Bound::TooFew => LimitReason::MinReplicas {
                min: self.spec.min_replicas,
            },
            Bound::ScaleUpLimit | Bound::ScaleDownLimit => {
                let up = bound == Bound::ScaleUpLimit;
                let rules = if up { &self.scale_up } else { &self.scale_down };
                match (rules, rate.and_then(|r| r.policy)) {
                    (Some(r), Some(i)) if r.select_policy != SelectPolicy::Disabled => {
                        let p = r.policies[i];
                        LimitReason::RatePolicy {
                            up,
                            policy_type: p.policy_type,
                            value: p.value,
                            period_s: p.period_seconds,
                            limit: desired,
                        }
                    }
                    _ => LimitReason::DirectionDisabled { up },
                }
            }
            Bound::Within => stabilization,
        };
        (desired, reason)
    }

    /// `convertDesiredReplicasWithBehaviorRate`.
    fn convert_with_behavior_rate(
        &self,
        current: i32,
        desired: i32,
        now_s: f64,
    ) -> (i32, Bound, Option<RateLimit>) {
        if desired > current {
            let mut rate = self.scale_up_limit(current, now_s);
            if rate.limit < current {
                rate.limit = current;
            }
            let (maximum_allowed, bound) = if self.spec.max_replicas > rate.limit {
                (rate.limit, Bound::ScaleUpLimit)
            } else {
                (self.spec.max_replicas, Bound::TooMany)
            };
            if desired > maximum_allowed {
                return (maximum_allowed, bound, Some(rate));
            }
            return (desired, Bound::Within, Some(rate));
        }
        if desired < current {
            let mut rate = self.scale_down_limit(current, now_s);
            if rate.limit > current {
                rate.limit = current;
            }
            let (minimum_allowed, bound) = if self.spec.min_replicas < rate.limit {
                (rate.limit, Bound::ScaleDownLimit)
            } else {
                (self.spec.min_replicas, Bound::TooFew)
            };
            if desired < minimum_allowed {
                return (minimum_allowed, bound, Some(rate));
            }
            return (desired, Bound::Within, Some(rate));
        }
        (desired, Bound::Within, None)
    }

    /// `getReplicasChangePerPeriod`: the changes with `t > now − period` (strict After).
    fn change_per_period(events: &[ScaleEvent], period_s: i32, now_s: f64) -> i32 {
        let cutoff = now_s - f64::from(period_s);
        events
            .iter()
            .filter(|e| e.t_s > cutoff)
            .fold(0i32, |acc, e| acc.saturating_add(e.change))
    }

    /// `calculateScaleUpLimitWithScalingRules`.
    fn scale_up_limit(&self, current: i32, now_s: f64) -> RateLimit {
        let Some(rules) = &self.scale_up else {
            return RateLimit {
                limit: current,
                policy: None,
            };
        };
        if rules.select_policy == SelectPolicy::Disabled {
            return RateLimit {
                limit: current,
                policy: None,
            };
        }
        let take_min = rules.select_policy == SelectPolicy::Min;
        let mut result = if take_min { i32::MAX } else { i32::MIN };
        let mut policy = None;
        for (i, p) in rules.policies.iter().enumerate() {
            let added = Self::change_per_period(&self.scale_up_events, p.period_seconds, now_s);
            let deleted = Self::change_per_period(&self.scale_down_events, p.period_seconds, now_s);
            let period_start = current.saturating_sub(added).saturating_add(deleted);
            let proposed = match p.policy_type {
                PolicyType::Pods => period_start.saturating_add(p.value),
                PolicyType::Percent => {
                    (f64::from(period_start) * (1.0 + f64::from(p.value) / 100.0)).ceil() as i32
                }
            };
            let better = if take_min {
                proposed < result
            } else {
                proposed > result
            };
            if better || policy.is_none() {
                result = if take_min {
                    result.min(proposed)
                } else {
                    result.max(proposed)
                };
                policy = Some(i);
            }
        }
        RateLimit {
            limit: result,
            policy,
        }
    }

    /// `calculateScaleDownLimitWithBehaviors`.
    fn scale_down_limit(&self, current: i32, now_s: f64) -> RateLimit {
        let Some(rules) = &self.scale_down else {
            return RateLimit {
                limit: current,
                policy: None,
            };
        };
        if rules.select_policy == SelectPolicy::Disabled {
            return RateLimit {
                limit: current,
                policy: None,
            };
        }
        // Max (the default) allows the largest change: the lowest limit.
        let take_max = rules.select_policy == SelectPolicy::Min;
        let mut result = if take_max { i32::MIN } else { i32::MAX };
        let mut policy = None;
        for (i, p) in rules.policies.iter().enumerate() {
            let added = Self::change_per_period(&self.scale_up_events, p.period_seconds, now_s);
            let deleted = Self::change_per_period(&self.scale_down_events, p.period_seconds, now_s);
            let period_start = current.saturating_sub(added).saturating_add(deleted);
            let proposed = match p.policy_type {
                PolicyType::Pods => period_start.saturating_sub(p.value),
                PolicyType::Percent => {
                    (f64::from(period_start) * (1.0 - f64::from(p.value) / 100.0)) as i32
                }
            };
            let better = if take_max {
                proposed > result
            } else {
                proposed < result
            };
            if better || policy.is_none() {
                result = if take_max {
                    result.max(proposed)
                } else {
                    result.min(proposed)
                };
                policy = Some(i);
            }
        }
        RateLimit {
            limit: result,
            policy,
        }
    }

    /// `storeScaleEvent` (behavior path only): reuse an outdated slot or append.
    fn store_scale_event(&mut self, prev: i32, new: i32, now_s: f64) {
        let (events, rules, change) = if new > prev {
            (&mut self.scale_up_events, &self.scale_up, new - prev)
        } else {
            (&mut self.scale_down_events, &self.scale_down, prev - new)
        };
        let Some(rules) = rules else {
            return;
        };
        let cutoff = now_s - rules.longest_period_s;
        let mut old = None;
        for (i, e) in events.iter_mut().enumerate() {
            if e.t_s < cutoff {
                e.outdated = true;
            }
            if e.outdated {
                old = Some(i);
            }
        }
        let ev = ScaleEvent {
            change,
            t_s: now_s,
            outdated: false,
        };
        match old {
            Some(i) => events[i] = ev,
            None => events.push(ev),
        }
    }

    /// The rate-limit ceiling a scale-up would meet now (for teaching views and vector checks).
    pub fn scale_up_limit_now(&self, current: i32, now_s: f64) -> i32 {
        if self.is_legacy() {
            let legacy =
                (SCALE_UP_LIMIT_FACTOR * f64::from(current)).max(SCALE_UP_LIMIT_MINIMUM) as i32;
            return legacy.min(self.spec.max_replicas);
        }
        self.scale_up_limit(current, now_s)
            .limit
            .max(current)
            .min(self.spec.max_replicas)
    }

    /// The rate-limit floor a scale-down would meet now (legacy: `minReplicas`, no rate limit).
    pub fn scale_down_limit_now(&self, current: i32, now_s: f64) -> i32 {
        if self.is_legacy() {
            return self.spec.min_replicas;
        }
        self.scale_down_limit(current, now_s)
            .limit
            .min(current)
            .max(self.spec.min_replicas)
    }

    /// Changes `minReplicas` and `maxReplicas` in place, as a patch of the HPA object
    /// does: the controller keeps its recommendations and scale events (kube keys them
    /// by the HPA, not by its spec), so the stabilization windows and rate policies
    /// carry on across the change. `min` ≤ `max` [pods].
    pub fn set_replica_bounds(&mut self, min: i32, max: i32) {
        self.spec.min_replicas = min;
        self.spec.max_replicas = max;
    }

    /// Records a past rescale, as if this controller had made it (for scenario set-up and tests).
    pub fn record_scale_event(&mut self, prev: i32, new: i32, t_s: f64) {
        if new != prev {
            self.store_scale_event(prev, new, t_s);
        }
    }
}
