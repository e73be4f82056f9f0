//! The options of one HPA replay, shared by `scalesim hpa` and the page's HPA explorer, so that
//! both take the same fields with the same defaults, checks and words.
//!
//! ```text
//!   --initial-replicas --cpu-request-m … ──OptionKey::set──▶ HpaRunOptions ──run──▶ rows
//!   explorer fields (same keys, same text)  ─────────────────┘
//! ```

use std::fmt::Write as _;

use super::load_csv::{
    check_columns, column_for, metric_name, unused_columns, LoadCurve, MEMORY_COLUMN,
};
use super::spec::{MetricSourceType, MetricTargetType};
use super::{
    simulate, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision, HpaSpec, OtherLoads,
};

/// Most syncs one run may ask for.
pub const MAX_SYNCS: f64 = 1_000_000.0;
/// Most pods one run may model (maxReplicas and the initial replicas).
pub const MAX_PODS: i32 = super::spec::MAX_REPLICAS;
/// Most pod-syncs (pods modelled × syncs) one run may ask for: every sync looks at every pod,
/// so this bounds the replay's time (a few seconds natively).
pub const MAX_POD_SYNCS: f64 = 200_000_000.0;
/// Longest replay [s]: 400 days, the longest run Scalesim simulates
/// ([`crate::scenario::ranges::MAX_RUN_S`]).
pub const MAX_UNTIL_S: f64 = crate::scenario::ranges::MAX_RUN_S;
/// Shortest and longest sync period [s]: kube-controller-manager's
/// `--horizontal-pod-autoscaler-sync-period` is 15 s; metrics are per second and a sync an
/// hour apart is no longer autoscaling.
pub const SYNC_PERIOD_RANGE_S: (f64, f64) = (1.0, 3600.0);
/// Longest ready delay [s]: a day, as a scenario's `topology.pod.readiness_delay_s`
/// ([`crate::scenario::ranges::MAX_STARTUP_S`]).
pub const MAX_READY_DELAY_S: f64 = crate::scenario::ranges::MAX_STARTUP_S;
/// Most CPU per pod, request or limit [millicores]: 1,024 cores, as a scenario's
/// `topology.pod.cpu_request_m` ([`crate::scenario::ranges::MAX_POD_CPU_M`]).
pub const MAX_POD_CPU_M: i64 = crate::scenario::ranges::MAX_POD_CPU_M as i64;
/// Memory request per pod [MiB]: 1 MiB (memory Utilization is a share of it) to 16 TiB,
/// as a scenario's `topology.pod.memory_request_mib`
/// ([`crate::scenario::ranges::MAX_POD_MEMORY_MIB`]).
pub const POD_MEMORY_RANGE_MIB: (f64, f64) = (1.0, crate::scenario::ranges::MAX_POD_MEMORY_MIB);
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
    /// Memory request per pod [MiB] (memory Utilization targets are a % of it).
    pub memory_request_mib: f64,
    /// The Kubernetes version whose controller is replayed (per-HPA tolerance depends on it).
    pub kube_version: KubeVersion,
}

/// A Kubernetes minor release, `1.MINOR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion {
    /// The minor version (34 for 1.34).
    pub minor: u32,
}

/// The release assumed when none is given: the current one when this was written.
pub const DEFAULT_KUBE_VERSION: KubeVersion = KubeVersion { minor: 34 };

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// Where per-HPA tolerance (`behavior.scaleUp/scaleDown.tolerance`, KEP-4951, feature gate
/// `HPAConfigurableTolerance`) stands in a release. Source: kubernetes/kubernetes
/// `pkg/features/kube_features.go` (alpha, off, in 1.33; beta, on, in 1.35) and
/// kubernetes/enhancements `keps/sig-autoscaling/4951-configurable-hpa-tolerance/kep.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToleranceSupport {
    /// Before 1.33: the field does not exist.
    NotInApi,
    /// 1.33 and 1.34: alpha, the gate is off by default, so the field is dropped.
    AlphaOff,
    /// 1.35 on: beta, on by default.
    On,
}

impl KubeVersion {
    /// Parses `1.34`, `v1.34` or `1.34.2`.
    pub fn parse(text: &str) -> Option<KubeVersion> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let mut parts = t.split('.');
        let major = parts.next()?;
        let minor_text = parts.next()?;
        // "1.05" is not how a release is written (1.5 is): refused, not guessed.
        if minor_text.len() > 1 && minor_text.starts_with('0') {
            return None;
        }
        let minor: u32 = minor_text.parse().ok()?;
        if let Some(patch) = parts.next() {
            patch.parse::<u32>().ok()?;
        }
        (major == "1" && parts.next().is_none() && (1..=99).contains(&minor))
            .then_some(KubeVersion { minor })
    }

    /// Whether this release honours per-HPA tolerance.
    pub fn tolerance_support(self) -> ToleranceSupport {
        match self.minor {
            0..=32 => ToleranceSupport::NotInApi,
            33 | 34 => ToleranceSupport::AlphaOff,
            _ => ToleranceSupport::On,
        }
    }
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
            memory_request_mib: 1024.0,
            kube_version: DEFAULT_KUBE_VERSION,
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
    /// `--memory-request-mib`.
    MemoryRequestMib,
    /// `--kube-version`.
    KubeVersion,
}

impl OptionKey {
    /// Every option, in the order of the usage text and the explorer's form.
    pub const ALL: [OptionKey; OptionKey::COUNT] = [
        OptionKey::InitialReplicas,
        OptionKey::CpuRequestM,
        OptionKey::CpuLimitM,
        OptionKey::ReadyDelayS,
        OptionKey::UntilS,
        OptionKey::SyncPeriodS,
        OptionKey::MemoryRequestMib,
        OptionKey::KubeVersion,
    ];

    /// How many options there are.
    pub const COUNT: usize = 8;

    /// The command-line flag.
    pub fn flag(self) -> &'static str {
        match self {
            OptionKey::InitialReplicas => "--initial-replicas",
            OptionKey::CpuRequestM => "--cpu-request-m",
            OptionKey::CpuLimitM => "--cpu-limit-m",
            OptionKey::ReadyDelayS => "--ready-delay-s",
            OptionKey::UntilS => "--until-s",
            OptionKey::SyncPeriodS => "--sync-period-s",
            OptionKey::MemoryRequestMib => "--memory-request-mib",
            OptionKey::KubeVersion => "--kube-version",
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
            OptionKey::MemoryRequestMib => "R",
            OptionKey::KubeVersion => "V",
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
            OptionKey::MemoryRequestMib => "Memory request per pod [MiB]",
            OptionKey::KubeVersion => "Kubernetes version (tolerance rules)",
        }
    }

    /// The accepted values in words (usage text and refusals), e.g. "1–3600".
    pub fn range_words(self) -> String {
        match self {
            OptionKey::InitialReplicas => format!("0–{MAX_PODS}"),
            OptionKey::CpuRequestM | OptionKey::CpuLimitM => format!("1–{MAX_POD_CPU_M}"),
            OptionKey::ReadyDelayS => format!("0–{MAX_READY_DELAY_S}"),
            OptionKey::UntilS => format!("0–{MAX_UNTIL_S} (400 days)"),
            OptionKey::SyncPeriodS => {
                format!("{}–{}", SYNC_PERIOD_RANGE_S.0, SYNC_PERIOD_RANGE_S.1)
            }
            OptionKey::MemoryRequestMib => {
                format!("{}–{}", POD_MEMORY_RANGE_MIB.0, POD_MEMORY_RANGE_MIB.1)
            }
            OptionKey::KubeVersion => "1.1–1.99".into(),
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
                OptionKey::CpuRequestM
                | OptionKey::ReadyDelayS
                | OptionKey::SyncPeriodS
                | OptionKey::MemoryRequestMib
                | OptionKey::KubeVersion => String::new(),
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
            OptionKey::MemoryRequestMib => Some(o.memory_request_mib.to_string()),
            OptionKey::KubeVersion => Some(o.kube_version.to_string()),
        }
    }

    /// Sets this option in `o` from `value` as typed; the error names the flag and the accepted
    /// range ([`Self::range_words`]). Non-finite numbers are refused.
    pub fn set(self, o: &mut HpaRunOptions, value: &str) -> Result<(), String> {
        let flag = self.flag();
        let value = value.trim();
        let range = self.range_words();
        let refuse = |what: &str| format!("{flag} expects {what} in {range}, got `{value}`");
        let real = |what: &str, lo: f64, hi: f64| -> Result<f64, String> {
            value
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && (lo..=hi).contains(x))
                .ok_or_else(|| refuse(what))
        };
        let whole = |what: &str, lo: i64, hi: i64| -> Result<i64, String> {
            value
                .parse::<i64>()
                .ok()
                .filter(|x| (lo..=hi).contains(x))
                .ok_or_else(|| refuse(what))
        };
        match self {
            OptionKey::InitialReplicas => {
                let n = whole("a whole number of pods", 0, i64::from(MAX_PODS))?;
                o.initial_replicas = Some(i32::try_from(n).map_err(|_| refuse("pods"))?);
            }
            OptionKey::CpuRequestM => {
                o.cpu_request_m = whole("whole millicores", 1, MAX_POD_CPU_M)?;
            }
            OptionKey::CpuLimitM => {
                o.cpu_limit_m = Some(whole("whole millicores", 1, MAX_POD_CPU_M)?);
            }
            OptionKey::ReadyDelayS => {
                o.ready_delay_s = real("seconds", 0.0, MAX_READY_DELAY_S)?;
            }
            OptionKey::UntilS => o.until_s = Some(real("seconds", 0.0, MAX_UNTIL_S)?),
            OptionKey::SyncPeriodS => {
                let (lo, hi) = SYNC_PERIOD_RANGE_S;
                o.sync_period_s = real("seconds", lo, hi)?;
            }
            OptionKey::MemoryRequestMib => {
                let (lo, hi) = POD_MEMORY_RANGE_MIB;
                o.memory_request_mib = real("MiB", lo, hi)?;
            }
            OptionKey::KubeVersion => {
                o.kube_version = KubeVersion::parse(value).ok_or_else(|| {
                    format!("{flag} expects a release such as 1.34 ({range}), got `{value}`")
                })?;
            }
        }
        Ok(())
    }

    /// The option named by `flag`, if any.
    pub fn from_flag(flag: &str) -> Option<OptionKey> {
        OptionKey::ALL.into_iter().find(|k| k.flag() == flag)
    }
}

/// The OPTIONS lines of the usage text: flag, label and default of every option.
pub fn options_usage() -> String {
    let mut out = String::new();
    for k in OptionKey::ALL {
        let flag = format!("{} {}", k.flag(), k.value_name());
        let _ = writeln!(
            out,
            "    {flag:<22} {:<38} {} [default: {}]",
            k.label(),
            k.range_words(),
            k.default_words()
        );
    }
    out
}

/// A target in words: "70 %", "1k per pod", "500".
fn target_words(t: &super::spec::MetricTarget) -> String {
    match t.target_type {
        MetricTargetType::Utilization => format!("{} %", t.average_utilization.unwrap_or(0)),
        MetricTargetType::AverageValue => format!(
            "{} per pod",
            t.average_value.map(|q| q.to_string()).unwrap_or_default()
        ),
        MetricTargetType::Value => t.value.map(|q| q.to_string()).unwrap_or_default(),
    }
}

/// "HPA 3–20 pods, cpu target 70 %, behavior set (…)": the manifest in one line.
pub fn describe_spec(spec: &HpaSpec) -> String {
    let mut s = format!("HPA {}–{} pods", spec.min_replicas, spec.max_replicas);
    for m in &spec.metrics {
        let target = match m.source_type {
            MetricSourceType::Resource => m.resource.as_ref().map(|r| &r.target),
            MetricSourceType::Pods => m.pods.as_ref().map(|p| &p.target),
            MetricSourceType::Object => m.object.as_ref().map(|o| &o.target),
            MetricSourceType::External => m.external.as_ref().map(|e| &e.target),
            MetricSourceType::ContainerResource => None,
        };
        if let Some(t) = target {
            let _ = write!(s, ", {} target {}", metric_name(m), target_words(t));
        }
    }
    s.push_str(if spec.behavior.is_some() {
        ", behavior set (stabilization windows and rate policies)"
    } else {
        ", no behavior (legacy path: max(2 × current, 4) cap, 300 s window)"
    });
    s
}

/// The decisions of one replay and what was assumed to make them.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// One decision per sync.
    pub rows: Vec<HpaDecision>,
    /// What was assumed (Kubernetes version, tolerance), one line each.
    pub notes: Vec<String>,
}

/// A fraction as a percentage: 0.1 → "10 %".
fn pct(x: f64) -> String {
    format!("{} %", (x * 1000.0).round() / 10.0)
}

/// Applies the release's per-HPA tolerance rule to `spec` (drops the fields it ignores) and says
/// what tolerance the replay uses.
fn apply_tolerance_rule(spec: &mut HpaSpec, v: KubeVersion, flag: f64) -> String {
    let mut given = Vec::new();
    if let Some(b) = spec.behavior.as_mut() {
        for (dir, rules) in [
            ("scaleUp", &mut b.scale_up),
            ("scaleDown", &mut b.scale_down),
        ] {
            if let Some(t) = rules.as_ref().and_then(|r| r.tolerance) {
                given.push((dir, t.as_f64()));
                if v.tolerance_support() != ToleranceSupport::On {
                    if let Some(r) = rules.as_mut() {
                        r.tolerance = None;
                    }
                }
            }
        }
    }
    let cluster = format!(
        "the cluster-wide {} (--horizontal-pod-autoscaler-tolerance)",
        pct(flag)
    );
    if given.is_empty() {
        return format!("Kubernetes {v} assumed (--kube-version): tolerance {cluster}");
    }
    let fields = given
        .iter()
        .map(|(d, t)| format!("behavior.{d}.tolerance {}", pct(*t)))
        .collect::<Vec<_>>()
        .join(", ");
    match v.tolerance_support() {
        ToleranceSupport::On => format!(
            "Kubernetes {v} assumed (--kube-version): per-HPA tolerance honoured ({fields}; HPAConfigurableTolerance is beta and on from 1.35), else {cluster}"
        ),
        ToleranceSupport::AlphaOff => format!(
            "Kubernetes {v} assumed (--kube-version): per-HPA tolerance ignored ({fields}): in 1.33–1.34 its feature gate HPAConfigurableTolerance is alpha and off by default; {cluster} applies (give --kube-version 1.35 for a release that honours it)"
        ),
        ToleranceSupport::NotInApi => format!(
            "Kubernetes {v} assumed (--kube-version): per-HPA tolerance ignored ({fields}): the field exists from 1.33 on; {cluster} applies"
        ),
    }
}

/// Steps of column `index` of `load` in milli-units (×1000) or, for `scale`, another unit.
fn scaled_steps(load: &LoadCurve, index: usize, scale: f64) -> Vec<(f64, i64)> {
    load.steps(index)
        .into_iter()
        .map(|(t, v)| (t, (v * scale).round() as i64))
        .collect()
}

impl HpaRunOptions {
    /// Checks the options together and each within its range, as [`OptionKey::set`] does (for
    /// options built in code): the error names the flag and what is accepted.
    pub fn check(&self) -> Result<(), String> {
        for k in OptionKey::ALL {
            if let Some(text) = k.text_of(self) {
                k.set(&mut HpaRunOptions::default(), &text)?;
            }
        }
        if let Some(limit) = self.cpu_limit_m {
            if limit < self.cpu_request_m {
                return Err(format!(
                    "--cpu-limit-m {limit} is below --cpu-request-m {}: Kubernetes refuses a limit under the request",
                    self.cpu_request_m
                ));
            }
        }
        Ok(())
    }

    /// The last sync time for a load whose last row is at `last_t` [s].
    pub fn until_for(&self, last_t: f64) -> f64 {
        self.until_s.unwrap_or(last_t + DEFAULT_TAIL_S)
    }

    /// The syncs a run to `last_t` makes (for callers with a lower cap) [syncs].
    pub fn syncs_for(&self, last_t: f64) -> f64 {
        (self.until_for(last_t) / self.sync_period_s).floor() + 1.0
    }

    /// Replays `spec` against `load` (one column per metric, see [`super::load_csv`]): one
    /// decision per sync. `load_name` names the load in errors. Per-HPA tolerance is honoured
    /// or dropped as [`Self::kube_version`] does. Errors name the option, the metric or the
    /// column at fault.
    pub fn replay(
        &self,
        mut spec: HpaSpec,
        load: &LoadCurve,
        load_name: &str,
    ) -> Result<Replay, String> {
        check_columns(load_name, &spec, load)?;
        self.check()?;
        let until_s = self.until_for(load.last_t()).min(MAX_UNTIL_S);
        let syncs = (until_s / self.sync_period_s).floor() + 1.0;
        if syncs > MAX_SYNCS {
            let w = crate::scenario::ranges::value_words;
            let until = match self.until_s {
                Some(_) => format!("--until-s {}", w(until_s)),
                // The user did not give it: say where it came from.
                None => format!(
                    "the replay runs to {} s (the load's last row at t_s {} s, plus {} s, at most 400 days)",
                    w(until_s),
                    w(load.last_t()),
                    w(DEFAULT_TAIL_S)
                ),
            };
            return Err(format!(
                "{until} with --sync-period-s {} asks for {} syncs; at most {} (give --until-s {} or less, or --sync-period-s {} or more)",
                w(self.sync_period_s),
                w(syncs),
                w(MAX_SYNCS),
                w(((MAX_SYNCS - 1.0) * self.sync_period_s).floor()),
                w((until_s / (MAX_SYNCS - 1.0)).ceil())
            ));
        }
        let initial = self.initial_replicas.unwrap_or(spec.min_replicas);
        if spec.max_replicas > MAX_PODS || initial > MAX_PODS {
            return Err(format!(
                "the replay models at most {MAX_PODS} pods (maxReplicas {}, initial {initial})",
                spec.max_replicas
            ));
        }
        let pod_syncs = f64::from(spec.max_replicas.max(initial)) * syncs;
        if pod_syncs > MAX_POD_SYNCS {
            return Err(format!(
                "{} pods × {syncs} syncs is more than the {MAX_POD_SYNCS:e} pod-syncs one replay models (give a shorter --until-s, a longer --sync-period-s or fewer pods)",
                spec.max_replicas.max(initial)
            ));
        }
        let config = HpaControllerConfig {
            sync_period_s: self.sync_period_s,
            ..HpaControllerConfig::default()
        };
        let mut notes = vec![apply_tolerance_rule(
            &mut spec,
            self.kube_version,
            config.tolerance,
        )];
        let unused = unused_columns(&spec, load);
        if !unused.is_empty() {
            notes.push(format!(
                "{load_name}: column{} {} not read: no metric of this HPA uses {}",
                if unused.len() == 1 { "" } else { "s" },
                unused.join(", "),
                if unused.len() == 1 { "it" } else { "them" }
            ));
        }
        let mut other = OtherLoads {
            memory_request_bytes: (self.memory_request_mib * 1_048_576.0).round() as i64,
            ..OtherLoads::default()
        };
        for m in &spec.metrics {
            let Some(col) = column_for(m) else { continue };
            let Some(i) = load.column(&col) else { continue };
            let name = metric_name(m);
            match m.source_type {
                MetricSourceType::Resource if col == MEMORY_COLUMN => {
                    other.memory_bytes = scaled_steps(load, i, 1_048_576.0);
                }
                MetricSourceType::Resource => {}
                MetricSourceType::Pods => other.pods.push((name, scaled_steps(load, i, 1000.0))),
                MetricSourceType::Object => {
                    other.object.push((name, scaled_steps(load, i, 1000.0)))
                }
                MetricSourceType::External => {
                    other.external.push((name, scaled_steps(load, i, 1000.0)));
                }
                MetricSourceType::ContainerResource => {}
            }
        }
        let mut hpa = HpaController::new(spec, config);
        let workload = CpuWorkload {
            demand_steps: load.cpu_steps(),
            initial_replicas: initial,
            cpu_request_m: self.cpu_request_m,
            cpu_limit_m: self.cpu_limit_m,
            ready_delay_s: self.ready_delay_s,
            t_start_s: 0.0,
            until_s,
            sync_period_s: self.sync_period_s,
        };
        Ok(Replay {
            rows: simulate(&mut hpa, &workload, &other),
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::KubeVersion;

    #[test]
    fn releases_are_read_as_kubernetes_writes_them() {
        assert_eq!(KubeVersion::parse("1.34").map(|v| v.minor), Some(34));
        assert_eq!(KubeVersion::parse("v1.3.5").map(|v| v.minor), Some(3));
        assert_eq!(KubeVersion::parse("1.05"), None);
        assert_eq!(KubeVersion::parse("2.1"), None);
    }
}
