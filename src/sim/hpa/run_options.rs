//! The options of one HPA replay, shared by `scalesim hpa` and the page's HPA explorer, so that
//! both take the same fields with the same defaults, checks and words.
//!
//! ```text
//!   --initial-replicas --cpu-request-m … ──OptionKey::set──▶ HpaRunOptions ──run──▶ rows
//!   explorer fields (same keys, same text)  ─────────────────┘
//! ```

use std::fmt::Write as _;

use super::spec::{MetricSourceType, MetricTargetType};
use super::{simulate_cpu, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision, HpaSpec};

/// Most syncs one run may ask for.
pub const MAX_SYNCS: f64 = 1_000_000.0;
/// Most pods one run may model (maxReplicas and the initial replicas).
pub const MAX_PODS: i32 = 100_000;
/// Simulated time after the last load row when no end is given [s].
pub const DEFAULT_TAIL_S: f64 = 1800.0;

/// Everything besides the manifest and the load curve that shapes a replay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HpaRunOptions {
    /// Pods at t = 0, long ready [pods]; `None` = `minReplicas`.
    pub initial_replicas: Option<i32>,
    /// CPU request per pod [millicores].
    pub cpu_request_m: i64,
    /// CPU limit per pod [millicores]; usage is capped at it; `None` = no limit.
    pub cpu_limit_m: Option<i64>,
    /// Time from pod creation to Ready [s].
    pub ready_delay_s: f64,
    /// Last sync no later than this [s]; `None` = the last load row + [`DEFAULT_TAIL_S`].
    pub until_s: Option<f64>,
    /// HPA sync period [s].
    pub sync_period_s: f64,
}

impl Default for HpaRunOptions {
    fn default() -> Self {
        HpaRunOptions {
            initial_replicas: None,
            cpu_request_m: 1000,
            cpu_limit_m: None,
            ready_delay_s: 0.0,
            until_s: None,
            sync_period_s: 15.0,
        }
    }
}

/// One option: its command-line flag and its explorer field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKey {
    /// `--initial-replicas`.
    InitialReplicas,
    /// `--cpu-request-m`.
    CpuRequestM,
    /// `--cpu-limit-m`.
    CpuLimitM,
    /// `--ready-delay-s`.
    ReadyDelayS,
    /// `--until-s`.
    UntilS,
    /// `--sync-period-s`.
    SyncPeriodS,
}

impl OptionKey {
    /// Every option, in the order of the usage text and the explorer's form.
    pub const ALL: [OptionKey; 6] = [
        OptionKey::InitialReplicas,
        OptionKey::CpuRequestM,
        OptionKey::CpuLimitM,
        OptionKey::ReadyDelayS,
        OptionKey::UntilS,
        OptionKey::SyncPeriodS,
    ];

    /// The command-line flag.
    pub fn flag(self) -> &'static str {
        match self {
            OptionKey::InitialReplicas => "--initial-replicas",
            OptionKey::CpuRequestM => "--cpu-request-m",
            OptionKey::CpuLimitM => "--cpu-limit-m",
            OptionKey::ReadyDelayS => "--ready-delay-s",
            OptionKey::UntilS => "--until-s",
            OptionKey::SyncPeriodS => "--sync-period-s",
        }
    }

    /// The value's name in the usage text.
    pub fn value_name(self) -> &'static str {
        match self {
            OptionKey::InitialReplicas => "N",
            OptionKey::CpuRequestM => "M",
            OptionKey::CpuLimitM => "L",
            OptionKey::ReadyDelayS => "S",
            OptionKey::UntilS => "T",
            OptionKey::SyncPeriodS => "P",
        }
    }

    /// What it is, with its unit (usage text and field label).
    pub fn label(self) -> &'static str {
        match self {
            OptionKey::InitialReplicas => "Pods at t = 0, long ready",
            OptionKey::CpuRequestM => "CPU request per pod [millicores]",
            OptionKey::CpuLimitM => "CPU limit per pod [millicores]",
            OptionKey::ReadyDelayS => "Time from pod creation to Ready [s]",
            OptionKey::UntilS => "Last sync no later than [s]",
            OptionKey::SyncPeriodS => "HPA sync period [s]",
        }
    }

    /// The default in words (usage text and the field's placeholder).
    pub fn default_words(self) -> String {
        match self.text_of(&HpaRunOptions::default()) {
            Some(v) => v,
            None => match self {
                OptionKey::InitialReplicas => "minReplicas".into(),
                OptionKey::CpuLimitM => "none".into(),
                OptionKey::UntilS => format!("last row + {DEFAULT_TAIL_S}"),
                OptionKey::CpuRequestM | OptionKey::ReadyDelayS | OptionKey::SyncPeriodS => {
                    String::new()
                }
            },
        }
    }

    /// The value of this option in `o` as it would be typed; `None` when it is unset.
    pub fn text_of(self, o: &HpaRunOptions) -> Option<String> {
        match self {
            OptionKey::InitialReplicas => o.initial_replicas.map(|n| n.to_string()),
            OptionKey::CpuRequestM => Some(o.cpu_request_m.to_string()),
            OptionKey::CpuLimitM => o.cpu_limit_m.map(|m| m.to_string()),
            OptionKey::ReadyDelayS => Some(o.ready_delay_s.to_string()),
            OptionKey::UntilS => o.until_s.map(|t| t.to_string()),
            OptionKey::SyncPeriodS => Some(o.sync_period_s.to_string()),
        }
    }

    /// Sets this option in `o` from `value` as typed; the error names the flag.
    pub fn set(self, o: &mut HpaRunOptions, value: &str) -> Result<(), String> {
        let flag = self.flag();
        let value = value.trim();
        let seconds = || -> Result<f64, String> {
            let x: f64 = number(flag, value, "a number of seconds")?;
            if x.is_finite() && x >= 0.0 {
                Ok(x)
            } else {
                Err(format!(
                    "{flag} expects a number of seconds ≥ 0, got `{value}`"
                ))
            }
        };
        let millicores = || -> Result<i64, String> {
            let m: i64 = number(flag, value, "whole millicores")?;
            if m <= 0 {
                return Err(format!("{flag} must be greater than 0, got {m}"));
            }
            Ok(m)
        };
        match self {
            OptionKey::InitialReplicas => {
                let n: i32 = number(flag, value, "a whole number of pods")?;
                if n < 0 {
                    return Err(format!("{flag} must not be negative, got {n}"));
                }
                o.initial_replicas = Some(n);
            }
            OptionKey::CpuRequestM => o.cpu_request_m = millicores()?,
            OptionKey::CpuLimitM => o.cpu_limit_m = Some(millicores()?),
            OptionKey::ReadyDelayS => o.ready_delay_s = seconds()?,
            OptionKey::UntilS => o.until_s = Some(seconds()?),
            OptionKey::SyncPeriodS => {
                let p = seconds()?;
                if p <= 0.0 {
                    return Err(format!("{flag} must be greater than 0, got `{value}`"));
                }
                o.sync_period_s = p;
            }
        }
        Ok(())
    }

    /// The option named by `flag`, if any.
    pub fn from_flag(flag: &str) -> Option<OptionKey> {
        OptionKey::ALL.into_iter().find(|k| k.flag() == flag)
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: &str, what: &str) -> Result<T, String> {
    value
        .parse::<T>()
        .map_err(|_| format!("{flag} expects {what}, got `{value}`"))
}

/// The OPTIONS lines of the usage text: flag, label and default of every option.
pub fn options_usage() -> String {
    let mut out = String::new();
    for k in OptionKey::ALL {
        let flag = format!("{} {}", k.flag(), k.value_name());
        let _ = writeln!(
            out,
            "    {flag:<22} {:<38} [default: {}]",
            k.label(),
            k.default_words()
        );
    }
    out
}

/// The command needs CPU metrics: the workload model only produces CPU usage.
pub fn check_cpu_only(spec: &HpaSpec) -> Result<(), String> {
    for (i, m) in spec.metrics.iter().enumerate() {
        let cpu = m.source_type == MetricSourceType::Resource
            && m.resource.as_ref().is_some_and(|r| r.name == "cpu");
        if !cpu {
            return Err(format!(
                "spec.metrics[{i}]: the replay simulates CPU demand only; \
                 use a Resource cpu metric (got {:?})",
                m.source_type
            ));
        }
    }
    Ok(())
}

/// "HPA 3–20 pods, cpu target 70 %, behavior set (…)": the manifest in one line.
pub fn describe_spec(spec: &HpaSpec) -> String {
    let mut s = format!("HPA {}–{} pods", spec.min_replicas, spec.max_replicas);
    for m in &spec.metrics {
        if let Some(r) = &m.resource {
            match r.target.target_type {
                MetricTargetType::Utilization => {
                    let _ = write!(
                        s,
                        ", {} target {} %",
                        r.name,
                        r.target.average_utilization.unwrap_or(0)
                    );
                }
                MetricTargetType::AverageValue | MetricTargetType::Value => {
                    let _ = write!(
                        s,
                        ", {} target {} per pod",
                        r.name,
                        r.target
                            .average_value
                            .map(|q| q.to_string())
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    s.push_str(if spec.behavior.is_some() {
        ", behavior set (stabilization windows and rate policies)"
    } else {
        ", no behavior (legacy path: max(2 × current, 4) cap, 300 s window)"
    });
    s
}

impl HpaRunOptions {
    /// The last sync time for a load curve `steps` [s].
    pub fn until_for(&self, steps: &[(f64, i64)]) -> f64 {
        let last_t = steps.last().map_or(0.0, |s| s.0);
        self.until_s.unwrap_or(last_t + DEFAULT_TAIL_S)
    }

    /// The syncs a run of `steps` makes (for callers with a lower cap) [syncs].
    pub fn syncs_for(&self, steps: &[(f64, i64)]) -> f64 {
        (self.until_for(steps) / self.sync_period_s).floor() + 1.0
    }

    /// Replays `spec` (CPU metrics only) against the load `steps`: one decision per sync.
    /// Errors name the option or the manifest field at fault.
    pub fn run(&self, spec: HpaSpec, steps: Vec<(f64, i64)>) -> Result<Vec<HpaDecision>, String> {
        check_cpu_only(&spec)?;
        let until_s = self.until_for(&steps);
        if until_s / self.sync_period_s > MAX_SYNCS {
            return Err(format!(
                "--until-s {until_s} with --sync-period-s {} asks for more than {MAX_SYNCS} syncs",
                self.sync_period_s
            ));
        }
        let initial = self.initial_replicas.unwrap_or(spec.min_replicas);
        if spec.max_replicas > MAX_PODS || initial > MAX_PODS {
            return Err(format!(
                "the replay models at most {MAX_PODS} pods (maxReplicas {}, initial {initial})",
                spec.max_replicas
            ));
        }
        let config = HpaControllerConfig {
            sync_period_s: self.sync_period_s,
            ..HpaControllerConfig::default()
        };
        let mut hpa = HpaController::new(spec, config);
        let workload = CpuWorkload {
            demand_steps: steps,
            initial_replicas: initial,
            cpu_request_m: self.cpu_request_m,
            cpu_limit_m: self.cpu_limit_m,
            ready_delay_s: self.ready_delay_s,
            t_start_s: 0.0,
            until_s,
            sync_period_s: self.sync_period_s,
        };
        Ok(simulate_cpu(&mut hpa, &workload))
    }
}
