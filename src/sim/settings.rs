//! Engine settings a scenario gives besides topology, traffic and the HPA:
//! SLOs, the cluster autoscaler, pause pods, pre-scaling, cooldowns and the run itself.
//!
//! ```text
//!   scenario.toml ─▶ [slo] [cluster_autoscaler] [pause_pods] [prescale] [cooldown] [run]
//! ```

use serde::{Deserialize, Serialize};

/// Service level objectives (docs/models.md#slo-and-burn-rates).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SloSettings {
    /// Track SLOs and burn-rate alerts.
    pub enabled: bool,
    /// Availability target: good / valid requests (0.999 = "three nines").
    pub availability_target: f64,
    /// Compliance window [days].
    pub window_days: f64,
    /// A request slower than this is not "good" for the latency SLI [ms].
    pub latency_threshold_ms: f64,
    /// Latency target: share of served requests under the threshold.
    pub latency_target: f64,
    /// Assume the service was healthy before t = 0 at its initial rate (fills the alert
    /// windows), so burn-rate alerts fire as they would on a service with a history.
    pub healthy_history: bool,
    /// Count requests a rate limit refused (429) as bad events of the availability SLI;
    /// by default they are not valid events (the client is told to slow down).
    pub count_rate_limited: bool,
    /// Share of the availability error budget already spent this period when the run
    /// starts [%] (default 0): a month that has gone badly, nearer the policy's tiers.
    pub budget_spent_start_pct: f64,
}

impl Default for SloSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            availability_target: 0.999,
            window_days: 30.0,
            latency_threshold_ms: 300.0,
            latency_target: 0.99,
            healthy_history: true,
            count_rate_limited: false,
            budget_spent_start_pct: 0.0,
        }
    }
}

/// The cluster autoscaler (docs/models.md#cluster-autoscaler).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterAutoscalerSettings {
    /// Run the cluster autoscaler.
    pub enabled: bool,
    /// `--scan-interval` [s].
    pub scan_interval_s: f64,
    /// `--scale-down-utilization-threshold` (requests / allocatable).
    pub scale_down_utilization_threshold: f64,
    /// `--scale-down-unneeded-time` [s].
    pub scale_down_unneeded_s: f64,
    /// `--scale-down-delay-after-add` [s].
    pub scale_down_delay_after_add_s: f64,
    /// `--balance-similar-node-groups`: split a scale-up over the zones' groups, fewest
    /// nodes first (the zones' groups are identical), instead of one zone taking all.
    pub balance_similar_node_groups: bool,
}

impl Default for ClusterAutoscalerSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            scan_interval_s: 10.0,
            scale_down_utilization_threshold: 0.5,
            scale_down_unneeded_s: 600.0,
            scale_down_delay_after_add_s: 600.0,
            balance_similar_node_groups: true,
        }
    }
}

/// Pause pods: low-priority placeholders that reserve room (docs/models.md#cluster-autoscaler).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PausePodSettings {
    /// How many.
    pub count: u32,
    /// CPU each reserves [millicores] (default: the app pod's request).
    pub cpu_m: Option<i64>,
    /// Memory each reserves [MiB] (default: the app pod's request).
    pub memory_mib: Option<i64>,
}

/// Predictive pre-scaling from the previous period's demand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PredictiveSettings {
    /// The period whose shape repeats [s] (a day).
    pub period_s: f64,
    /// How far ahead to provision [s].
    pub lead_s: f64,
    /// Length of one history bucket [s].
    pub bucket_s: f64,
    /// CPU utilization the forecast sizes for [%].
    pub target_utilization_pct: f64,
}

impl Default for PredictiveSettings {
    fn default() -> Self {
        Self {
            period_s: 86_400.0,
            lead_s: 600.0,
            bucket_s: 300.0,
            target_utilization_pct: 70.0,
        }
    }
}

/// A scheduled raise of minReplicas ahead of a known event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledMinimum {
    /// From [s].
    pub from_s: f64,
    /// Until [s].
    pub until_s: f64,
    /// minReplicas in between.
    pub min_replicas: i32,
}

/// Pre-scaling: scheduled and predictive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrescaleSettings {
    /// Known events: raise minReplicas between two times.
    pub scheduled: Vec<ScheduledMinimum>,
    /// Forecast from the previous period (off when absent).
    pub predictive: Option<PredictiveSettings>,
}

/// Cooldowns on top of the HPA, e.g. 3 min up, 10 min down (docs/models.md#pre-scaling).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CooldownSettings {
    /// No scale-up sooner than this after the last scale-up [s] (0 = off).
    pub scale_up_s: f64,
    /// No scale-down sooner than this after the last scaling [s] (0 = off).
    pub scale_down_s: f64,
}

/// How the engine steps and records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunSettings {
    /// Tick length [s].
    pub tick_s: f64,
    /// Run length [s].
    pub duration_s: f64,
    /// RNG seed.
    pub seed: u64,
    /// Latency percentiles window [s].
    pub latency_window_s: f64,
    /// Most points kept per metric series.
    pub series_points: usize,
    /// Most events kept in the log.
    pub max_events: usize,
    /// The moment the story calls T+0 [s]: the CLI's timeline counts from it.
    pub timeline_zero_s: f64,
}

impl Default for RunSettings {
    fn default() -> Self {
        Self {
            tick_s: 1.0,
            duration_s: 3600.0,
            seed: 1,
            latency_window_s: 60.0,
            series_points: 16_384,
            max_events: 100_000,
            timeline_zero_s: 0.0,
        }
    }
}
