//! The HPA replica calculator: one metric → one replica proposal
//! (docs/models.md#hpa).
//!
//! ```text
//!   pods ──groupPods──▶ ready │ unready │ missing │ ignored
//!                          │
//!            usage ratio = metric / target  ──tolerance?──▶ keep current
//!                          │ otherwise
//!            ceil(ratio × ready pods)  (or the missing/unready rebalancing)
//!   several metrics ──▶ max wins (errors block scale-down)
//! ```
//!
//! Ported from `replica_calculator.go` and `metrics/utilization.go` through `hpa_ref.py`:
//! integer percents are truncated (Go int64 division) and ratios are IEEE doubles, so results
//! match Go bit for bit (90.0/70.0×21.0 = 27.000000000000004 → 28).

use serde::{Deserialize, Serialize};

/// The dead band around ratio 1.0, per direction (`Tolerances`, inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tolerances {
    /// Allowed drop below 1.0 before scaling down [fraction].
    pub scale_down: f64,
    /// Allowed rise above 1.0 before scaling up [fraction].
    pub scale_up: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            scale_down: 0.1,
            scale_up: 0.1,
        }
    }
}

impl Tolerances {
    /// `(1.0-scaleDown) <= ratio && ratio <= (1.0+scaleUp)`.
    pub fn is_within(&self, usage_ratio: f64) -> bool {
        (1.0 - self.scale_down) <= usage_ratio && usage_ratio <= (1.0 + self.scale_up)
    }
}

/// How `groupPods` classified a pod (docs/models.md#hpa).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodState {
    /// Counted (`readyPodCount++`); its metric is used.
    Ready,
    /// Pending, or (CPU only) not ready per the readiness rules: metric removed.
    Unready,
    /// Running but without a metric sample.
    Missing,
    /// Being deleted or Failed: never counted.
    Ignored,
}

/// One pod as the calculator sees it after grouping.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PodSample {
    /// Its group.
    pub state: PodState,
    /// Its metric value [milli-units]; `None` = no sample.
    pub usage_m: Option<i64>,
    /// Its request of the resource [milli-units] (Utilization targets only).
    pub request_m: i64,
}

/// Which branch of the calculator decided (the strings of `as_str` are the vectors' `path`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalcPath {
    /// `ceil(ratio × ready pods)`.
    Simple,
    /// The ratio lies in the tolerance band: keep the current count.
    WithinTolerance,
    /// After rebalancing missing/unready pods the ratio lies in the band: keep.
    RebalancedWithinTolerance,
    /// Rebalancing flipped the direction (e.g. new unready pods): keep.
    RebalancedDirectionFlip,
    /// The rebalanced count would move against the ratio's direction: keep.
    RebalancedDirectionGuard,
    /// `ceil(new ratio × pods incl. missing/unready)`.
    Rebalanced,
    /// Object/External `Value` or `AverageValue` targets.
    RatioOnly,
}

impl CalcPath {
    /// The name used by `hpa_ref.py` and the vectors.
    pub fn as_str(&self) -> &'static str {
        match self {
            CalcPath::Simple => "simple",
            CalcPath::WithinTolerance => "within_tolerance",
            CalcPath::RebalancedWithinTolerance | CalcPath::RebalancedDirectionFlip => {
                "rebalanced_no_change"
            }
            CalcPath::RebalancedDirectionGuard => "rebalanced_direction_guard",
            CalcPath::Rebalanced => "rebalanced",
            CalcPath::RatioOnly => "ratio",
        }
    }
}

/// Why a metric gave no proposal (the controller treats it as an invalid metric).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalcError {
    /// "no pods returned by selector while calculating replica count".
    NoPods,
    /// "did not receive metrics for targeted pods (pods might be unready)".
    NoMetrics,
    /// A pod has no request for the resource (utilization cannot be computed).
    MissingRequest,
    /// The metrics source returned nothing for this metric.
    Unavailable,
}

impl CalcError {
    /// Plain words for learners: why the metric gave no proposal.
    pub fn describe(&self) -> &'static str {
        match self {
            CalcError::NoPods => "the target has no pods",
            CalcError::NoMetrics => "no ready pod has a metric sample yet",
            CalcError::MissingRequest => "a pod has no request for the resource",
            CalcError::Unavailable => "the metrics source returned nothing",
        }
    }
}

/// One metric's proposal with the figures behind it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaCalc {
    /// Proposed replicas.
    pub replicas: i32,
    /// Current utilization [% of request, truncated] (Utilization targets only).
    pub utilization_pct: Option<i64>,
    /// Current per-pod average [milli-units] (resource and plain metrics).
    pub average_m: Option<i64>,
    /// Metric / target.
    pub usage_ratio: f64,
    /// The ratio after the missing/unready rebalancing, when it ran.
    pub new_usage_ratio: Option<f64>,
    /// Pods counted ready.
    pub ready_pod_count: i32,
    /// Pods grouped unready (pending, or CPU not ready yet) [pods].
    pub unready_pod_count: i32,
    /// Pods without a metric sample [pods].
    pub missing_pod_count: i32,
    /// Which branch decided.
    pub path: CalcPath,
}

/// `int32(math.Ceil(x))`, saturating instead of overflowing.
pub fn ceil_i32(x: f64) -> i32 {
    x.ceil() as i32
}

/// What `usage_of` returns: totals over the pods that count.
struct Totals {
    metrics_total: i64,
    requests_total: i64,
    count: i64,
}

/// How the rebalancing fills in pods without a usable sample.
#[derive(Clone, Copy)]
struct Fill {
    /// Value for missing pods, `None` = leave them out.
    missing: Option<MissingFill>,
    /// Count unready pods as 0.
    unready_zero: bool,
}

#[derive(Clone, Copy)]
enum MissingFill {
    /// `request × pct / 100` (utilization scale-down).
    PercentOfRequest(i64),
    /// A fixed value (plain metric: the target; any scale-up: 0).
    Value(i64),
}

fn totals(pods: &[PodSample], fill: Fill) -> Totals {
    let mut t = Totals {
        metrics_total: 0,
        requests_total: 0,
        count: 0,
    };
    for p in pods {
        let value = match p.state {
            PodState::Ready => match p.usage_m {
                Some(v) => v,
                None => continue,
            },
            PodState::Missing => match fill.missing {
                Some(MissingFill::PercentOfRequest(pct)) => p.request_m.saturating_mul(pct) / 100,
                Some(MissingFill::Value(v)) => v,
                None => continue,
            },
            PodState::Unready if fill.unready_zero => 0,
            PodState::Unready | PodState::Ignored => continue,
        };
        t.metrics_total = t.metrics_total.saturating_add(value);
        t.requests_total = t.requests_total.saturating_add(p.request_m);
        t.count += 1;
    }
    t
}

fn ready_count(pods: &[PodSample]) -> i32 {
    pods.iter().filter(|p| p.state == PodState::Ready).count() as i32
}

/// Turns totals into (usage ratio, utilization %, per-pod average [milli-units]).
type RatioOf<'a> = &'a dyn Fn(&Totals) -> (f64, Option<i64>, i64);

/// The shared shape of `GetResourceReplicas` and `calcPlainMetricReplicas`.
fn replicas_from_samples(
    current_replicas: i32,
    pods: &[PodSample],
    tolerances: Tolerances,
    ratio_of: RatioOf<'_>,
    missing_on_scale_down: MissingFill,
) -> Result<ReplicaCalc, CalcError> {
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    let base = Fill {
        missing: None,
        unready_zero: false,
    };
    let t = totals(pods, base);
    if t.count == 0 {
        return Err(CalcError::NoMetrics);
    }
    let (usage_ratio, utilization, average) = ratio_of(&t);
    let ready = ready_count(pods);
    let mut out = ReplicaCalc {
        replicas: current_replicas,
        utilization_pct: utilization,
        average_m: Some(average),
        usage_ratio,
        new_usage_ratio: None,
        ready_pod_count: ready,
        unready_pod_count: pods.iter().filter(|p| p.state == PodState::Unready).count() as i32,
        missing_pod_count: pods.iter().filter(|p| p.state == PodState::Missing).count() as i32,
        path: CalcPath::WithinTolerance,
    };
    let has_unready = out.unready_pod_count > 0;
    let has_missing = out.missing_pod_count > 0;
    let scale_up_with_unready = has_unready && usage_ratio > 1.0;
    if !scale_up_with_unready && !has_missing {
        if tolerances.is_within(usage_ratio) {
            return Ok(out);
        }
        out.replicas = ceil_i32(usage_ratio * f64::from(ready));
        out.path = CalcPath::Simple;
        return Ok(out);
    }
    let fill = Fill {
        missing: if !has_missing {
            None
        } else if usage_ratio < 1.0 {
            Some(missing_on_scale_down)
        } else if usage_ratio > 1.0 {
            Some(MissingFill::Value(0))
        } else {
            None
        },
        unready_zero: scale_up_with_unready,
    };
    let t2 = totals(pods, fill);
    let (new_usage_ratio, _, _) = ratio_of(&t2);
    out.new_usage_ratio = Some(new_usage_ratio);
    if tolerances.is_within(new_usage_ratio) {
        out.path = CalcPath::RebalancedWithinTolerance;
        return Ok(out);
    }
    if (usage_ratio < 1.0 && new_usage_ratio > 1.0) || (usage_ratio > 1.0 && new_usage_ratio < 1.0)
    {
        out.path = CalcPath::RebalancedDirectionFlip;
        return Ok(out);
    }
    let new_replicas = ceil_i32(new_usage_ratio * t2.count as f64);
    if (new_usage_ratio < 1.0 && new_replicas > current_replicas)
        || (new_usage_ratio > 1.0 && new_replicas < current_replicas)
    {
        out.path = CalcPath::RebalancedDirectionGuard;
        return Ok(out);
    }
    out.replicas = new_replicas;
    out.path = CalcPath::Rebalanced;
    Ok(out)
}

/// `GetResourceReplicas`: a Resource metric with a `Utilization` target [% of request].
pub fn resource_utilization_replicas(
    current_replicas: i32,
    target_utilization_pct: i32,
    pods: &[PodSample],
    tolerances: Tolerances,
) -> Result<ReplicaCalc, CalcError> {
    if pods.is_empty() {
        return Err(CalcError::NoPods);
    }
    if pods.iter().any(|p| p.request_m <= 0) {
        return Err(CalcError::MissingRequest);
    }
    let target = i64::from(target_utilization_pct);
    let ratio_of = |t: &Totals| {
        // int32((metricsTotal*100)/requestsTotal): truncated integer percent.
        let utilization = t.metrics_total.saturating_mul(100) / t.requests_total.max(1);
        (
            utilization as f64 / target as f64,
            Some(utilization),
            t.metrics_total / t.count.max(1),
        )
    };
    let fallback_pct = target.max(100);
    replicas_from_samples(
        current_replicas,
        pods,
        tolerances,
        &ratio_of,
        MissingFill::PercentOfRequest(fallback_pct),
    )
}

/// `calcPlainMetricReplicas`: a Pods metric, or a Resource metric with an `AverageValue` target.
/// Missing pods count as exactly the target on a scale-down and as 0 on a scale-up.
pub fn plain_metric_replicas(
    current_replicas: i32,
    target_average_m: i64,
    pods: &[PodSample],
    tolerances: Tolerances,
) -> Result<ReplicaCalc, CalcError> {
    let ratio_of = |t: &Totals| {
        let average = t.metrics_total / t.count.max(1);
        (average as f64 / target_average_m as f64, None, average)
    };
    replicas_from_samples(
        current_replicas,
        pods,
        tolerances,
        &ratio_of,
        MissingFill::Value(target_average_m),
    )
}

/// `getUsageRatioReplicaCount`: Object and External metrics with a `Value` target.
pub fn usage_ratio_replica_count(
    current_replicas: i32,
    usage_ratio: f64,
    ready_pod_count: i32,
    tolerances: Tolerances,
) -> (i32, CalcPath) {
    if current_replicas != 0 {
        if tolerances.is_within(usage_ratio) {
            return (current_replicas, CalcPath::WithinTolerance);
        }
        return (
            ceil_i32(usage_ratio * f64::from(ready_pod_count)),
            CalcPath::RatioOnly,
        );
    }
    (ceil_i32(usage_ratio), CalcPath::RatioOnly) // scale from zero
}

/// `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas`: `AverageValue` targets.
/// The tolerance is checked on `total / (target × status replicas)`; readiness is not consulted.
pub fn per_pod_average_value_replicas(
    status_replicas: i32,
    total_m: i64,
    target_average_m: i64,
    tolerances: Tolerances,
) -> (i32, f64, CalcPath) {
    let usage_ratio = total_m as f64 / (target_average_m as f64 * f64::from(status_replicas));
    if tolerances.is_within(usage_ratio) {
        (status_replicas, usage_ratio, CalcPath::WithinTolerance)
    } else {
        (
            ceil_i32(total_m as f64 / target_average_m as f64),
            usage_ratio,
            CalcPath::RatioOnly,
        )
    }
}

/// `computeReplicasForMetrics`: the largest valid proposal, or −1 (do not scale) when every
/// metric failed, or some failed and the valid ones propose a scale-down.
pub fn compute_replicas_for_metrics(spec_replicas: i32, proposals: &[Option<i32>]) -> i32 {
    let mut replicas = 0;
    let mut invalid = 0usize;
    for p in proposals {
        match *p {
            None => invalid += 1,
            Some(p) => {
                if replicas == 0 || p > replicas {
                    replicas = p;
                }
            }
        }
    }
    if invalid >= proposals.len() || (invalid > 0 && replicas < spec_replicas) {
        return -1;
    }
    replicas
}

/// Inputs of `groupPods` for one pod, in seconds of simulated time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupingInput {
    /// Being deleted (`DeletionTimestamp != nil`) or phase Failed.
    pub ignored: bool,
    /// Phase Pending.
    pub pending: bool,
    /// There is a metric sample for this pod.
    pub has_metric: bool,
    /// The Ready condition; `None` = no condition yet.
    pub ready: Option<bool>,
    /// Pod start time [s]; `None` = not started.
    pub start_time_s: Option<f64>,
    /// Last transition of the Ready condition [s].
    pub last_ready_transition_s: Option<f64>,
    /// Timestamp of the metric sample [s].
    pub sample_time_s: f64,
    /// The sample's averaging window [s].
    pub sample_window_s: f64,
}

/// `groupPods` for one pod (docs/models.md#hpa). `is_cpu` applies the CPU readiness rules.
pub fn classify_pod(
    p: &GroupingInput,
    now_s: f64,
    is_cpu: bool,
    cpu_initialization_period_s: f64,
    initial_readiness_delay_s: f64,
) -> PodState {
    if p.ignored {
        return PodState::Ignored;
    }
    if p.pending {
        return PodState::Unready;
    }
    if !p.has_metric {
        return PodState::Missing;
    }
    if is_cpu {
        let unready = match (p.ready, p.start_time_s) {
            (None, _) | (_, None) => true,
            (Some(ready), Some(start)) => {
                let transition = p.last_ready_transition_s.unwrap_or(start);
                if start + cpu_initialization_period_s > now_s {
                    !ready || p.sample_time_s < transition + p.sample_window_s
                } else {
                    !ready && start + initial_readiness_delay_s > transition
                }
            }
        };
        if unready {
            return PodState::Unready;
        }
    }
    PodState::Ready
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(usage_m: i64) -> PodSample {
        PodSample {
            state: PodState::Ready,
            usage_m: Some(usage_m),
            request_m: 1000,
        }
    }

    #[test]
    fn ninety_over_seventy_times_twenty_one_rounds_up_to_twenty_eight_like_go() {
        let pods = vec![ready(900); 21];
        let r = resource_utilization_replicas(21, 70, &pods, Tolerances::default()).unwrap();
        assert_eq!(r.replicas, 28);
    }

    #[test]
    fn utilization_is_a_truncated_integer_percent() {
        let mut pods = vec![ready(409); 10];
        pods[0].usage_m = Some(410); // 4091 m of 10000 m → 40 %
        let r = resource_utilization_replicas(10, 50, &pods, Tolerances::default()).unwrap();
        assert_eq!(r.utilization_pct, Some(40));
    }

    #[test]
    fn a_pod_without_a_request_makes_the_utilization_metric_invalid() {
        let mut pods = vec![ready(500); 2];
        pods[1].request_m = 0;
        assert_eq!(
            resource_utilization_replicas(2, 50, &pods, Tolerances::default()),
            Err(CalcError::MissingRequest)
        );
    }

    #[test]
    fn a_young_pod_counts_only_once_a_full_metric_window_passed_since_it_became_ready() {
        let pod = GroupingInput {
            ignored: false,
            pending: false,
            has_metric: true,
            ready: Some(true),
            start_time_s: Some(0.0),
            last_ready_transition_s: Some(30.0),
            sample_time_s: 45.0,
            sample_window_s: 30.0,
        };
        assert_eq!(
            classify_pod(&pod, 45.0, true, 300.0, 30.0),
            PodState::Unready
        );
        let later = GroupingInput {
            sample_time_s: 60.0,
            ..pod
        };
        assert_eq!(
            classify_pod(&later, 60.0, true, 300.0, 30.0),
            PodState::Ready
        );
        // Memory skips the CPU readiness rules.
        assert_eq!(
            classify_pod(&pod, 45.0, false, 300.0, 30.0),
            PodState::Ready
        );
    }

    #[test]
    fn an_old_pod_that_went_unready_long_after_start_is_still_counted() {
        let pod = GroupingInput {
            ignored: false,
            pending: false,
            has_metric: true,
            ready: Some(false),
            start_time_s: Some(0.0),
            last_ready_transition_s: Some(500.0),
            sample_time_s: 600.0,
            sample_window_s: 30.0,
        };
        assert_eq!(
            classify_pod(&pod, 600.0, true, 300.0, 30.0),
            PodState::Ready
        );
        let flapped_at_start = GroupingInput {
            last_ready_transition_s: Some(10.0),
            ..pod
        };
        assert_eq!(
            classify_pod(&flapped_at_start, 600.0, true, 300.0, 30.0),
            PodState::Unready
        );
    }

    #[test]
    fn missing_pods_count_as_the_target_when_a_plain_metric_scales_down() {
        let mut pods = vec![
            PodSample {
                state: PodState::Ready,
                usage_m: Some(100),
                request_m: 0
            };
            3
        ];
        pods.push(PodSample {
            state: PodState::Missing,
            usage_m: None,
            request_m: 0,
        });
        // average 100 vs target 1000 → ratio 0.1; rebalanced (300+1000)/4 = 325 → 0.325 × 4 → 2.
        let r = plain_metric_replicas(4, 1000, &pods, Tolerances::default()).unwrap();
        assert_eq!(r.replicas, 2);
        assert_eq!(r.path, CalcPath::Rebalanced);
    }

    #[test]
    fn external_value_scales_from_zero_by_the_ratio_alone() {
        assert_eq!(
            usage_ratio_replica_count(0, 2.5, 0, Tolerances::default()).0,
            3
        );
    }

    #[test]
    fn ceil_saturates_instead_of_overflowing() {
        assert_eq!(ceil_i32(1e300), i32::MAX);
        assert_eq!(ceil_i32(f64::NAN), 0);
    }
}
