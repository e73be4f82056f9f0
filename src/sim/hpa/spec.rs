//! The HorizontalPodAutoscaler `spec` (autoscaling/v2) with the real Kubernetes field names, its
//! API defaults and its validation (docs/models.md#hpa).
//!
//! ```text
//!   HPA.yaml ──parse_manifest──▶ HpaSpec ──(API defaults, validation)──▶ HpaController
//!   (full manifest or just `spec`, YAML or JSON)
//! ```
//!
//! API defaults (`pkg/apis/autoscaling/v2/defaults.go`):
//! - `minReplicas` defaults to 1;
//! - no `metrics` → one Resource cpu metric with `averageUtilization: 80`;
//! - `behavior` is defaulted **only when present** (`behavior: {}` → documented defaults; an omitted
//!   `behavior` keeps the legacy path). A field the user gives replaces the default field as a
//!   whole: giving `policies` replaces all default policies of that direction.
//! - `behavior.scaleDown.stabilizationWindowSeconds` stays unset here; the controller fills it from
//!   its `--horizontal-pod-autoscaler-downscale-stabilization` flag (300 s).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `autoscaling.DefaultCPUUtilization` [%]: the metric used when `metrics` is empty.
pub const DEFAULT_CPU_UTILIZATION_PCT: i32 = 80;
/// Largest `periodSeconds` the API accepts [s].
pub const MAX_PERIOD_S: i32 = 1800;
/// Largest `stabilizationWindowSeconds` the API accepts [s].
pub const MAX_STABILIZATION_WINDOW_S: i32 = 3600;

/// The largest quantity [`Quantity`] holds, in the field's own unit (cores, bytes or the
/// metric's unit), as a refusal states it: `i64::MAX` milli-units.
pub const MAX_QUANTITY_WORDS: &str = "9,223,372,036,854,775.807 (about 9.2P)";

/// What a quantity past [`MAX_QUANTITY_WORDS`] is told: `quantity "1E" is more than …`.
fn quantity_too_large(written: &str) -> String {
    format!(
        "quantity {written} is more than a quantity holds here: at most {MAX_QUANTITY_WORDS} \
         in the field's unit (milli-units in a signed 64-bit integer)"
    )
}

/// A Kubernetes `resource.Quantity`, kept as milli-units (`MilliValue()`, rounded up).
///
/// `"500m"` → 500, `"1"` → 1000, `"2Gi"` → 2·2³⁰·1000, `"100Mi"` → 100·2²⁰·1000.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity {
    /// The value in milli-units [1/1000 of the base unit].
    pub milli: i64,
}

impl Quantity {
    /// A quantity of `milli` milli-units.
    pub fn from_milli(milli: i64) -> Self {
        Quantity { milli }
    }

    /// Parses a Kubernetes quantity string (`"500m"`, `"1.5"`, `"2Gi"`, `"1e3"`, `"10k"`).
    pub fn parse(text: &str) -> Result<Self, String> {
        parse_quantity_milli(text)
            .map(Quantity::from_milli)
            .map_err(|e| {
                // A 300-digit quantity is named by its start and length, not echoed whole.
                let long = text.chars().count() > 32;
                if long {
                    let head: String = text.chars().take(16).collect();
                    e.replace(
                        &format!("{text:?}"),
                        &format!("\"{head}…\" ({} characters)", text.chars().count()),
                    )
                } else {
                    e
                }
            })
    }

    /// The value as a float in base units (`AsApproximateFloat64`).
    pub fn as_f64(&self) -> f64 {
        self.milli as f64 / 1000.0
    }

    /// The value for a message: in base units as a TOML or YAML number is
    /// written, with the Kubernetes form beside a fraction (`-0.5 (-500m)`).
    pub fn words(&self) -> String {
        if self.milli % 1000 == 0 {
            self.to_string()
        } else {
            let sign = if self.milli < 0 { "-" } else { "" };
            let (whole, frac) = (
                self.milli.unsigned_abs() / 1000,
                self.milli.unsigned_abs() % 1000,
            );
            let frac = format!("{frac:03}");
            format!("{sign}{whole}.{} ({self})", frac.trim_end_matches('0'))
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.milli % 1000 == 0 {
            write!(f, "{}", self.milli / 1000)
        } else {
            write!(f, "{}m", self.milli)
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct QuantityVisitor;
        impl Visitor<'_> for QuantityVisitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity such as \"500m\", \"1\", \"2Gi\" or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
                v.checked_mul(1000)
                    .map(Quantity::from_milli)
                    .ok_or_else(|| E::custom(quantity_too_large(&v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(1000))
                    .map(Quantity::from_milli)
                    .ok_or_else(|| E::custom(quantity_too_large(&v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("quantity {v} is not a finite number")));
                }
                // Past the largest quantity: named as written in e-notation, not in 300 digits.
                if v.abs() >= 1e16 {
                    return Err(E::custom(quantity_too_large(&format!("{v:e}"))));
                }
                // Display gives the shortest decimal that round-trips, e.g. 0.1 → "0.1".
                Quantity::parse(&format!("{v}")).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(QuantityVisitor)
    }
}

/// Parses a Kubernetes quantity into milli-units, rounding up like `Quantity.MilliValue()`.
pub fn parse_quantity_milli(text: &str) -> Result<i64, String> {
    let bad =
        || format!("{text:?} is not a quantity (examples: \"500m\", \"1\", \"1.5\", \"2Gi\")");
    let s = text.trim();
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(number_end);
    let mut mantissa: i128 = 0;
    let mut fraction_digits: i32 = 0;
    let mut digits = 0;
    let mut seen_dot = false;
    for c in number.chars() {
        if c == '.' {
            if seen_dot {
                return Err(bad());
            }
            seen_dot = true;
            continue;
        }
        digits += 1;
        if digits > 30 {
            return Err(format!("{text:?} has too many digits"));
        }
        mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
        if seen_dot {
            fraction_digits += 1;
        }
    }
    if digits == 0 {
        return Err(bad());
    }
    // Decimal exponent and binary exponent of the suffix.
    let (exp10, exp2): (i32, u32) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ if suffix.starts_with(['e', 'E']) => {
            let e: i64 = suffix[1..].parse().map_err(|_| bad())?;
            // Past ±40 a non-zero mantissa of at most 30 digits is past the largest
            // quantity, or rounds to the smallest (1m, or 0): the same as at ±40.
            if e > 40 && mantissa != 0 {
                return Err(quantity_too_large(&format!("{text:?}")));
            }
            (e.clamp(-40, 40) as i32, 0)
        }
        _ => return Err(bad()),
    };
    let too_large = || quantity_too_large(&format!("{text:?}"));
    let mut value = mantissa.checked_mul(1i128 << exp2).ok_or_else(too_large)?;
    let decimal = exp10 + 3 - fraction_digits;
    if decimal >= 0 {
        let factor = 10i128.checked_pow(decimal as u32).ok_or_else(too_large)?;
        value = value.checked_mul(factor).ok_or_else(too_large)?;
    } else if -decimal > 38 {
        value = i128::from(value > 0);
    } else {
        let divisor = 10i128.pow((-decimal) as u32);
        // Round away from zero in magnitude for positive values (MilliValue rounds up).
        let q = value / divisor;
        let r = value % divisor;
        value = if r != 0 && !negative { q + 1 } else { q };
    }
    if negative {
        value = -value;
    }
    i64::try_from(value).map_err(|_| too_large())
}

/// `spec.scaleTargetRef`: the workload this HPA scales.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossVersionObjectReference {
    /// e.g. `apps/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// e.g. `Deployment`.
    #[serde(default)]
    pub kind: String,
    /// The target's name.
    #[serde(default)]
    pub name: String,
}

/// `spec.metrics[].type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricSourceType {
    /// A resource (cpu, memory) of the pods, against their requests.
    Resource,
    /// A per-pod custom metric, e.g. requests per second per pod.
    Pods,
    /// A metric of another Kubernetes object, e.g. an Ingress's hits per second.
    Object,
    /// A metric from outside the cluster, e.g. a queue's depth.
    External,
    /// Per-container resource metric (accepted by the API, not modeled here).
    ContainerResource,
}
crate::named_enum!(MetricSourceType {
    Resource = "Resource",
    Pods = "Pods",
    Object = "Object",
    External = "External",
    ContainerResource = "ContainerResource",
});

/// `target.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricTargetType {
    /// `averageUtilization` [% of request].
    Utilization,
    /// `value`: the raw total.
    Value,
    /// `averageValue`: the total divided by the number of pods.
    AverageValue,
}
crate::named_enum!(MetricTargetType {
    Utilization = "Utilization",
    Value = "Value",
    AverageValue = "AverageValue",
});

/// `target`: the value the HPA steers the metric to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricTarget {
    /// Which of the fields below is the target.
    #[serde(rename = "type")]
    pub target_type: MetricTargetType,
    /// Target total value [milli-units].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
    /// Target per-pod average [milli-units].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    /// Target utilization [% of the pods' request].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
}

/// `resource`: a Resource metric source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceMetricSource {
    /// `cpu` or `memory`.
    pub name: String,
    /// The target.
    pub target: MetricTarget,
}

/// `metric`: a named custom metric (its label selector is accepted and ignored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricIdentifier {
    /// The metric's name, e.g. `http_requests_per_second`.
    pub name: String,
    /// Label selector (not modeled: kept as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<serde_json::Value>,
}

/// `pods`: a Pods metric source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodsMetricSource {
    /// Which metric.
    pub metric: MetricIdentifier,
    /// The target (`AverageValue`).
    pub target: MetricTarget,
}

/// `object`: an Object metric source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectMetricSource {
    /// The object the metric describes.
    #[serde(default)]
    pub described_object: CrossVersionObjectReference,
    /// Which metric.
    pub metric: MetricIdentifier,
    /// The target (`Value` or `AverageValue`).
    pub target: MetricTarget,
}

/// `external`: an External metric source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalMetricSource {
    /// Which metric.
    pub metric: MetricIdentifier,
    /// The target (`Value` or `AverageValue`).
    pub target: MetricTarget,
}

/// The custom metric names a simulated HPA can read, by source type: what the
/// world exports (the scenario's `[hpa]`, `[kafka.hpa]`). Names outside these
/// lists would leave the HPA without a metric for the whole run.
#[derive(Clone, Copy, Debug)]
pub struct ReadableMetrics {
    /// `type: Pods` metric names.
    pub pods: &'static [&'static str],
    /// `type: Object` metric names.
    pub object: &'static [&'static str],
    /// `type: External` metric names.
    pub external: &'static [&'static str],
}

impl ReadableMetrics {
    /// The first metric of `spec` whose name is not readable: (its path under
    /// the spec, `metrics[1].external.metric.name`; a message listing the names
    /// that are).
    pub fn unreadable(&self, spec: &HpaSpec) -> Option<(String, String)> {
        spec.metrics.iter().enumerate().find_map(|(i, m)| {
            let (field, name, names) = match m.source_type {
                MetricSourceType::Pods => ("pods", &m.pods.as_ref()?.metric.name, self.pods),
                MetricSourceType::Object => {
                    ("object", &m.object.as_ref()?.metric.name, self.object)
                }
                MetricSourceType::External => {
                    ("external", &m.external.as_ref()?.metric.name, self.external)
                }
                MetricSourceType::Resource | MetricSourceType::ContainerResource => return None,
            };
            if names.contains(&name.as_str()) {
                return None;
            }
            let readable = if names.is_empty() {
                format!("this HPA reads no {field} metrics here")
            } else {
                format!("it reads {}", names.join(", "))
            };
            Some((
                format!("metrics[{i}].{field}.metric.name"),
                format!(
                    "the simulator exports no {field} metric \u{201c}{name}\u{201d}, so the HPA would never have a value; {readable}"
                ),
            ))
        })
    }
}

/// One entry of `spec.metrics`, shaped like the Kubernetes `MetricSpec` (a type plus one source).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricSpec {
    /// Which source below is set.
    #[serde(rename = "type")]
    pub source_type: MetricSourceType,
    /// Set when `type: Resource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricSource>,
    /// Set when `type: Pods`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<PodsMetricSource>,
    /// Set when `type: Object`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectMetricSource>,
    /// Set when `type: External`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalMetricSource>,
    /// Set when `type: ContainerResource` (rejected by validation: not modeled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<serde_json::Value>,
}

impl MetricSpec {
    /// A Resource `name` metric with target `averageUtilization: pct`.
    pub fn resource_utilization(name: &str, pct: i32) -> Self {
        MetricSpec {
            source_type: MetricSourceType::Resource,
            resource: Some(ResourceMetricSource {
                name: name.to_string(),
                target: MetricTarget {
                    target_type: MetricTargetType::Utilization,
                    value: None,
                    average_value: None,
                    average_utilization: Some(pct),
                },
            }),
            pods: None,
            object: None,
            external: None,
            container_resource: None,
        }
    }
}

/// `policies[].type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyType {
    /// Change by at most `value` pods per period.
    Pods,
    /// Change by at most `value` % of the pods at the period's start.
    Percent,
}
crate::named_enum!(PolicyType {
    Pods = "Pods",
    Percent = "Percent",
});

/// `selectPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectPolicy {
    /// The policy that allows the largest change (the default).
    Max,
    /// The policy that allows the smallest change.
    Min,
    /// No scaling in this direction.
    Disabled,
}
crate::named_enum!(SelectPolicy {
    Max = "Max",
    Min = "Min",
    Disabled = "Disabled",
});

/// One rate-limit policy: change by at most `value` (pods or %) per `period_seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaScalingPolicy {
    /// Pods or Percent.
    #[serde(rename = "type")]
    pub policy_type: PolicyType,
    /// Pods, or percent [%].
    pub value: i32,
    /// The period the policy looks back over [s], 1..=1800.
    pub period_seconds: i32,
}

/// `behavior.scaleUp` / `behavior.scaleDown`. Unset fields are `None` until the API defaults fill them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaScalingRules {
    /// Stabilization window [s], 0..=3600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
    /// How to combine the policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<SelectPolicy>,
    /// The rate-limit policies; giving them replaces all default policies of this direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<HpaScalingPolicy>>,
    /// Per-direction tolerance (k8s 1.33 `HPAConfigurableTolerance`), a quantity such as "0.05".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Quantity>,
}

/// `spec.behavior`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaBehavior {
    /// Scale-up rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<HpaScalingRules>,
    /// Scale-down rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<HpaScalingRules>,
}

fn default_min_replicas() -> i32 {
    1
}

/// The `spec` of an autoscaling/v2 HorizontalPodAutoscaler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaSpec {
    /// The scaled workload (optional here; informative only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_target_ref: Option<CrossVersionObjectReference>,
    /// Lower bound [pods], default 1.
    #[serde(default = "default_min_replicas")]
    pub min_replicas: i32,
    /// Upper bound [pods], required.
    pub max_replicas: i32,
    /// The metrics; the largest proposal wins. Empty → CPU 80 % after defaults.
    #[serde(default)]
    pub metrics: Vec<MetricSpec>,
    /// Scaling behavior; `None` (omitted) selects the legacy path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<HpaBehavior>,
}

/// `defaultHPAScaleUpRules`: no window, Max of 4 pods / 15 s and 100 % / 15 s.
pub fn default_scale_up_rules() -> HpaScalingRules {
    HpaScalingRules {
        stabilization_window_seconds: Some(0),
        select_policy: Some(SelectPolicy::Max),
        policies: Some(vec![
            HpaScalingPolicy {
                policy_type: PolicyType::Pods,
                value: 4,
                period_seconds: 15,
            },
            HpaScalingPolicy {
                policy_type: PolicyType::Percent,
                value: 100,
                period_seconds: 15,
            },
        ]),
        tolerance: None,
    }
}

/// `defaultHPAScaleDownRules`: window left unset (the controller flag fills it), Max of 100 % / 15 s.
pub fn default_scale_down_rules() -> HpaScalingRules {
    HpaScalingRules {
        stabilization_window_seconds: None,
        select_policy: Some(SelectPolicy::Max),
        policies: Some(vec![HpaScalingPolicy {
            policy_type: PolicyType::Percent,
            value: 100,
            period_seconds: 15,
        }]),
        tolerance: None,
    }
}

/// `copyHPAScalingRules`: every field the user set replaces the default field as a whole.
fn copy_rules(from: Option<&HpaScalingRules>, mut to: HpaScalingRules) -> HpaScalingRules {
    if let Some(from) = from {
        if from.select_policy.is_some() {
            to.select_policy = from.select_policy;
        }
        if from.stabilization_window_seconds.is_some() {
            to.stabilization_window_seconds = from.stabilization_window_seconds;
        }
        if from.policies.is_some() {
            to.policies.clone_from(&from.policies);
        }
        if from.tolerance.is_some() {
            to.tolerance = from.tolerance;
        }
    }
    to
}

impl HpaSpec {
    /// A spec with `min..=max` replicas, one CPU utilization metric and no `behavior` (legacy path).
    pub fn cpu_utilization(min_replicas: i32, max_replicas: i32, target_pct: i32) -> Self {
        HpaSpec {
            scale_target_ref: None,
            min_replicas,
            max_replicas,
            metrics: vec![MetricSpec::resource_utilization("cpu", target_pct)],
            behavior: None,
        }
    }

    /// Applies the API defaults (`SetDefaults_HorizontalPodAutoscaler`): CPU 80 % when there are no
    /// metrics, and — only when `behavior` is present — the default scaling rules.
    pub fn with_api_defaults(mut self) -> Self {
        if self.metrics.is_empty() {
            self.metrics = vec![MetricSpec::resource_utilization(
                "cpu",
                DEFAULT_CPU_UTILIZATION_PCT,
            )];
        }
        if let Some(b) = self.behavior.take() {
            self.behavior = Some(HpaBehavior {
                scale_up: Some(copy_rules(b.scale_up.as_ref(), default_scale_up_rules())),
                scale_down: Some(copy_rules(
                    b.scale_down.as_ref(),
                    default_scale_down_rules(),
                )),
            });
        }
        self
    }

    /// Checks the rules the API server enforces; the error names the field path.
    pub fn validate(&self) -> Result<(), ManifestError> {
        let err = |path: String, message: String| Err(ManifestError::new(path, message));
        if self.max_replicas < 1 {
            return err(
                "spec.maxReplicas".into(),
                format!("must be at least 1, got {}", self.max_replicas),
            );
        }
        if self.max_replicas > MAX_REPLICAS {
            return err(
                "spec.maxReplicas".into(),
                format!(
                    "is {}; the simulator models at most {} pods (give at most {})",
                    crate::scenario::ranges::value_words(f64::from(self.max_replicas)),
                    crate::scenario::ranges::value_words(f64::from(MAX_REPLICAS)),
                    crate::scenario::ranges::value_words(f64::from(MAX_REPLICAS))
                ),
            );
        }
        if self.min_replicas < 1 {
            return err(
                "spec.minReplicas".into(),
                format!(
                    "must be at least 1, got {} (scale to zero, HPAScaleToZero, is not modeled)",
                    self.min_replicas
                ),
            );
        }
        if self.min_replicas > self.max_replicas {
            return err(
                "spec.minReplicas".into(),
                format!(
                    "{} is greater than maxReplicas {}",
                    self.min_replicas, self.max_replicas
                ),
            );
        }
        for (i, m) in self.metrics.iter().enumerate() {
            validate_metric(i, m)?;
        }
        if let Some(b) = &self.behavior {
            if let Some(r) = &b.scale_up {
                validate_rules("spec.behavior.scaleUp", r)?;
            }
            if let Some(r) = &b.scale_down {
                validate_rules("spec.behavior.scaleDown", r)?;
            }
        }
        Ok(())
    }
}

fn validate_target(
    path: &str,
    t: &MetricTarget,
    allowed: &[MetricTargetType],
    unit: &str,
) -> Result<(), ManifestError> {
    if !allowed.contains(&t.target_type) {
        let names: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
        return Err(ManifestError::new(
            format!("{path}.type"),
            format!(
                "{:?} is not allowed here, expected {}",
                t.target_type,
                names.join(" or ")
            ),
        ));
    }
    match t.target_type {
        MetricTargetType::Utilization => match t.average_utilization {
            Some(p) if p > 0 => Ok(()),
            Some(p) => Err(ManifestError::new(
                format!("{path}.averageUtilization"),
                format!("must be greater than 0, got {p}"),
            )),
            None => Err(ManifestError::new(
                format!("{path}.averageUtilization"),
                "is required when type is Utilization".into(),
            )),
        },
        MetricTargetType::Value => positive_quantity(path, "value", t.value, unit),
        MetricTargetType::AverageValue => {
            positive_quantity(path, "averageValue", t.average_value, unit)
        }
    }
}

/// A target quantity of `unit` ("cores"): above 0, up to the largest quantity.
fn positive_quantity(
    path: &str,
    field: &str,
    q: Option<Quantity>,
    unit: &str,
) -> Result<(), ManifestError> {
    match q {
        Some(q) if q.milli > 0 => Ok(()),
        Some(q) => Err(ManifestError::new(
            format!("{path}.{field}"),
            format!(
                "must be greater than 0, got {}; expected a quantity above 0 and at most \
                 {MAX_QUANTITY_WORDS} {unit}",
                q.words()
            ),
        )),
        None => Err(ManifestError::new(
            format!("{path}.{field}"),
            format!("is required when type is {}", upper_first(field)),
        )),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The unit of a Pods, Object or External metric's target.
const METRIC_UNIT: &str = "in the metric's unit";

fn validate_metric(i: usize, m: &MetricSpec) -> Result<(), ManifestError> {
    use MetricTargetType::{AverageValue, Utilization, Value};
    let path = format!("spec.metrics[{i}]");
    let missing = |field: &str| {
        Err(ManifestError::new(
            format!("{path}.{field}"),
            format!("is required when type is {:?}", m.source_type),
        ))
    };
    match m.source_type {
        MetricSourceType::Resource => {
            let Some(r) = &m.resource else {
                return missing("resource");
            };
            if r.name != "cpu" && r.name != "memory" {
                return Err(ManifestError::new(
                    format!("{path}.resource.name"),
                    format!(
                        "{:?} is not modeled, expected \"cpu\" or \"memory\"",
                        r.name
                    ),
                ));
            }
            let unit = if r.name == "cpu" {
                "cores (\"500m\" is half a core)"
            } else {
                "bytes (\"512Mi\" is 512 MiB)"
            };
            validate_target(
                &format!("{path}.resource.target"),
                &r.target,
                &[Utilization, AverageValue],
                unit,
            )
        }
        MetricSourceType::Pods => {
            let Some(p) = &m.pods else {
                return missing("pods");
            };
            validate_target(
                &format!("{path}.pods.target"),
                &p.target,
                &[AverageValue],
                METRIC_UNIT,
            )
        }
        MetricSourceType::Object => {
            let Some(o) = &m.object else {
                return missing("object");
            };
            validate_target(
                &format!("{path}.object.target"),
                &o.target,
                &[Value, AverageValue],
                METRIC_UNIT,
            )
        }
        MetricSourceType::External => {
            let Some(e) = &m.external else {
                return missing("external");
            };
            validate_target(
                &format!("{path}.external.target"),
                &e.target,
                &[Value, AverageValue],
                METRIC_UNIT,
            )
        }
        MetricSourceType::ContainerResource => Err(ManifestError::new(
            format!("{path}.type"),
            "ContainerResource metrics are not modeled; use a Resource metric".into(),
        )),
    }
}

fn validate_rules(path: &str, r: &HpaScalingRules) -> Result<(), ManifestError> {
    if let Some(w) = r.stabilization_window_seconds {
        if !(0..=MAX_STABILIZATION_WINDOW_S).contains(&w) {
            return Err(ManifestError::new(
                format!("{path}.stabilizationWindowSeconds"),
                format!("must be between 0 and {MAX_STABILIZATION_WINDOW_S}, got {w}"),
            ));
        }
    }
    if let Some(t) = r.tolerance {
        if t.milli < 0 {
            return Err(ManifestError::new(
                format!("{path}.tolerance"),
                format!(
                    "must not be negative, got {}; expected a quantity from 0 (0.1 is 10 %) \
                     to {MAX_QUANTITY_WORDS}",
                    t.words()
                ),
            ));
        }
    }
    if let Some(policies) = &r.policies {
        if policies.is_empty() && r.select_policy != Some(SelectPolicy::Disabled) {
            return Err(ManifestError::new(
                format!("{path}.policies"),
                "must specify at least one policy".into(),
            ));
        }
        for (i, p) in policies.iter().enumerate() {
            if p.value <= 0 {
                return Err(ManifestError::new(
                    format!("{path}.policies[{i}].value"),
                    format!("must be greater than 0, got {}", p.value),
                ));
            }
            if !(1..=MAX_PERIOD_S).contains(&p.period_seconds) {
                return Err(ManifestError::new(
                    format!("{path}.policies[{i}].periodSeconds"),
                    format!(
                        "must be between 1 and {MAX_PERIOD_S}, got {}",
                        p.period_seconds
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The most replicas an HPA may ask for here: the pods the simulator models
/// ([`crate::scenario::ranges::MAX_PODS`]; a replay's memory and time grow with it).
pub const MAX_REPLICAS: i32 = crate::scenario::ranges::MAX_PODS as i32;

/// Why a manifest was rejected: the field path, a message and, where known, the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    /// Field path such as `spec.behavior.scaleUp.policies[0].type` (empty for syntax errors).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line in the input, when known.
    pub line: Option<usize>,
}

impl ManifestError {
    fn new(path: String, message: String) -> Self {
        ManifestError {
            path,
            message,
            line: None,
        }
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ManifestError {}

/// A full HorizontalPodAutoscaler object; only `spec` is used.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HpaManifest {
    #[serde(default)]
    #[allow(dead_code)]
    api_version: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    kind: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    metadata: Option<serde::de::IgnoredAny>,
    spec: HpaSpec,
    #[serde(default)]
    #[allow(dead_code)]
    status: Option<serde::de::IgnoredAny>,
}

/// Deserializes `doc` as `T`; an error names the failing field's path (after
/// `path_prefix`, through `source_path` back to the field as written), its line (`locate`)
/// and quotes a decimal number as the file wrote it (`written`: `1e1`, not 10).
fn typed<T: serde::de::DeserializeOwned>(
    doc: serde_json::Value,
    path_prefix: &str,
    source_path: &dyn Fn(&str) -> String,
    locate: &dyn Fn(&str) -> Option<usize>,
    written: &dyn Fn(&str) -> Option<String>,
) -> Result<T, ManifestError> {
    // Pretty-printed, every field has its own line; serde_json's error line
    // gives the field's path (see `json_path`).
    let pretty = serde_json::to_string_pretty(&doc).unwrap_or_default();
    serde_json::from_str(&pretty).map_err(|e| {
        let inner = super::json_path::path_at_line(&pretty, e.line());
        let inner = source_path(&format!("{path_prefix}{inner}"));
        let mut message = e.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        let message = crate::scenario::serde_words::plain_written(
            &message.replace('`', "\""),
            None,
            written(&inner).as_deref(),
        );
        // An unknown field's line is its key's: name its parent, the message names it.
        let unknown = message.starts_with("unknown field ");
        let line = locate(&inner);
        let shown = match inner.rsplit_once('.') {
            _ if !unknown => inner.as_str(),
            Some((parent, _)) => parent,
            None => "",
        };
        ManifestError {
            path: shown.trim_end_matches('.').to_string(),
            message,
            line,
        }
    })
}

/// Best-effort line of a field path such as `spec.behavior.scaleUp.policies[0].periodSeconds`:
/// finds each key in turn after the previous one (the `[i]`-th occurrence for list items).
fn locate_path(text: &str, path: &str) -> Option<usize> {
    let mut pos = 0usize;
    let mut found_any = false;
    for segment in path.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        if key.is_empty() {
            continue;
        }
        let hit = find_key(text, pos, key)?;
        pos = hit;
        found_any = true;
        if let Some(i) = index {
            pos = list_item(text, pos, i);
        }
    }
    if !found_any {
        return None;
    }
    Some(text[..pos].matches('\n').count() + 1)
}

/// The offset of item `i` of the list whose key is at `key_at`: in a block list, the (i+1)-th
/// line starting with "- " at the first item's indentation; in a flow list, approximately the
/// (i+1)-th "- " or "{" after the key.
fn list_item(text: &str, key_at: usize, i: usize) -> usize {
    let rest = &text[key_at..];
    let after_key = rest.find('\n').map_or(rest.len(), |n| n + 1);
    let mut indent: Option<usize> = None;
    let mut n = 0usize;
    let mut off = after_key;
    for line in rest[after_key..].split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let ind = line.len() - body.len();
        let blank = body.trim().is_empty() || body.starts_with('#');
        if !blank {
            match indent {
                None if body.starts_with("- ") || body.trim_end() == "-" => indent = Some(ind),
                None => break,
                Some(first) if ind < first => break,
                Some(_) => {}
            }
            if indent == Some(ind) && (body.starts_with("- ") || body.trim_end() == "-") {
                if n == i {
                    return key_at + off + ind;
                }
                n += 1;
            }
        }
        off += line.len();
    }
    if indent.is_some() {
        return key_at;
    }
    let mut n = 0usize;
    for (o, c) in rest.char_indices() {
        let starts_item = (c == '-' && rest[o + 1..].starts_with(' ')) || c == '{';
        if starts_item {
            if n == i {
                return key_at + o;
            }
            n += 1;
        }
    }
    key_at
}

fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let hay = text.get(from..)?;
    let mut search = 0usize;
    while let Some(off) = hay[search..].find(key) {
        let at = search + off;
        let before_ok = at == 0
            || hay[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || c == '"' || c == '{' || c == ',' || c == '-');
        let after = &hay[at + key.len()..];
        let after_ok =
            after.starts_with(':') || after.starts_with("\":") || after.starts_with("\" :");
        if before_ok && after_ok {
            return Some(from + at);
        }
        search = at + key.len();
    }
    None
}

/// A manifest as read: the autoscaling/v2 spec (API defaults applied, validated) and what the
/// reader did to get it.
#[derive(Clone, Debug, PartialEq)]
pub struct ManifestRead {
    /// The spec.
    pub spec: HpaSpec,
    /// `metadata.name`, when given.
    pub name: Option<String>,
    /// One line per thing done besides reading (document picked, version converted).
    pub notes: Vec<String>,
}

/// One object of the file that could be the HPA.
struct Candidate<'a> {
    value: &'a serde_json::Value,
    doc: &'a super::yaml_doc::YamlDocument,
    /// `items[i].` when the object is an item of a `kind: List`.
    prefix: String,
}

impl Candidate<'_> {
    fn str_at(&self, pointer: &str) -> Option<&str> {
        self.value
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
    }
    fn kind(&self) -> Option<&str> {
        self.str_at("/kind")
    }
    fn name(&self) -> Option<&str> {
        self.str_at("/metadata/name")
    }
    fn is_hpa(&self) -> bool {
        match self.kind() {
            Some(k) => k == "HorizontalPodAutoscaler",
            // apiVersion or spec without a kind: taken for an HPA, as before.
            None => self.value.get("apiVersion").is_some() || self.value.get("spec").is_some(),
        }
    }
    /// 1-based line of `path` (inside this object) in the whole text; the longest prefix of
    /// the path that is found.
    fn line_of(&self, path: &str) -> Option<usize> {
        let mut p = format!("{}{path}", self.prefix);
        loop {
            if let Some(l) = locate_path(&self.doc.text, &p) {
                return Some(l + self.doc.first_line - 1);
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p.truncate(cut),
                None => return Some(self.doc.first_line),
            }
        }
    }
    /// "Service web (line 3)".
    fn describe(&self) -> String {
        let line = self.line_of("kind").unwrap_or(self.doc.first_line);
        match (self.kind(), self.name()) {
            (Some(k), Some(n)) => format!("{k} {n} (line {line})"),
            (Some(k), None) => format!("{k} (line {line})"),
            (None, _) => format!("an object without a kind (line {line})"),
        }
    }
}

/// Reads a HorizontalPodAutoscaler as practitioners have it (docs/hpa-files.md), applies the API
/// defaults and validates it:
/// - a full object (apiVersion/kind/metadata/spec, `status` and `metadata` ignored, as from
///   `kubectl get hpa -o yaml`) or just its `spec`, as YAML or JSON;
/// - a stream of documents (`---`, as `helm template` writes them; empty ones skipped), or a
///   `kind: List` (`items`): the HorizontalPodAutoscaler is taken; when there are several,
///   `name` (`metadata.name`) picks one, else the error names them all;
/// - a UTF-8 byte-order mark and CRLF line ends;
/// - `autoscaling/v1`, `v2beta1` and `v2beta2`, converted to v2 as the API server does
///   ([`super::api_versions`]).
///
/// Errors name the field as written and, where possible, its line, e.g.
/// `spec.behavior.scaleUp.policies[0].type: unknown variant "Pod", expected "Pods" or "Percent" at line 14`;
/// an unrendered template (`{{ .Values.x }}`) is refused with the placeholder's line.
pub fn read_manifest(text: &str, name: Option<&str>) -> Result<ManifestRead, ManifestError> {
    use serde_json::Value;
    let syntax = |e: super::yaml_doc::YamlSyntaxError| ManifestError {
        message: match e.message.ends_with("is not a finite number") {
            true => format!("{}; {}", e.message, number_hint(&e.path)),
            false => e.message,
        },
        path: e.path,
        line: e.line,
    };
    let docs = super::yaml_doc::parse_yaml_documents(text).map_err(syntax)?;
    if docs.is_empty() {
        return Err(ManifestError::new(
            String::new(),
            "the document is empty; expected a HorizontalPodAutoscaler or its spec".into(),
        ));
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for doc in &docs {
        let Value::Object(map) = &doc.value else {
            return Err(ManifestError {
                path: String::new(),
                message: "expected a mapping (a HorizontalPodAutoscaler or its spec)".into(),
                line: Some(doc.first_line),
            });
        };
        let is_list = map
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"));
        match map.get("items") {
            Some(Value::Array(items)) if is_list => {
                for (i, item) in items.iter().enumerate() {
                    candidates.push(Candidate {
                        value: item,
                        doc,
                        prefix: format!("items[{i}]."),
                    });
                }
            }
            _ => candidates.push(Candidate {
                value: &doc.value,
                doc,
                prefix: String::new(),
            }),
        }
    }
    let mut notes = Vec::new();
    // A bare spec: one document, no apiVersion, kind or spec.
    if let [only] = candidates.as_slice() {
        if only.kind().is_none() && !only.is_hpa() && only.prefix.is_empty() {
            if let Some((line, found)) = super::yaml_doc::template_placeholder(&only.doc.text) {
                return Err(syntax(super::yaml_doc::placeholder_error(
                    line + only.doc.first_line - 1,
                    &found,
                )));
            }
            // Paths as the file writes them: no `spec.` (the file is the spec).
            let written = |p: &str| only.doc.decimal_at(p).map(str::to_string);
            let spec = typed::<HpaSpec>(
                only.value.clone(),
                "",
                &|p| p.to_string(),
                &|p| only.line_of(p),
                &written,
            )?;
            let spec = finish(spec, &|p| p.trim_start_matches("spec.").to_string(), &|p| {
                only.line_of(p)
            })?;
            return Ok(ManifestRead {
                spec,
                name: None,
                notes,
            });
        }
    }
    let hpas: Vec<&Candidate> = candidates.iter().filter(|c| c.is_hpa()).collect();
    let listed = |list: &[&Candidate]| {
        list.iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen: &Candidate = match (hpas.as_slice(), name) {
        ([], _) => {
            if let [only] = candidates.as_slice() {
                let kind = only.value.get("kind").map_or("null".into(), value_short);
                return Err(ManifestError {
                    path: "kind".into(),
                    message: format!("expected \"HorizontalPodAutoscaler\", got {kind}"),
                    line: only.line_of("kind"),
                });
            }
            let all: Vec<&Candidate> = candidates.iter().collect();
            if all.is_empty() {
                return Err(ManifestError::new(
                    String::new(),
                    "the file holds no objects (an empty List, items: []); expected a HorizontalPodAutoscaler".into(),
                ));
            }
            return Err(ManifestError::new(
                String::new(),
                format!(
                    "no HorizontalPodAutoscaler among the {} objects: {}",
                    all.len(),
                    listed(&all)
                ),
            ));
        }
        (_, Some(n)) => {
            let named: Vec<&&Candidate> = hpas.iter().filter(|c| c.name() == Some(n)).collect();
            match named.as_slice() {
                [one] => one,
                [] => {
                    return Err(ManifestError::new(
                        String::new(),
                        format!(
                            "no HorizontalPodAutoscaler named \"{n}\"; the file holds {}",
                            listed(&hpas)
                        ),
                    ))
                }
                [first, ..] => {
                    notes.push(format!(
                        "{} HorizontalPodAutoscalers are named \"{n}\"; took the first",
                        named.len()
                    ));
                    first
                }
            }
        }
        ([one], None) => one,
        (several, None) => {
            return Err(ManifestError::new(
                String::new(),
                format!(
                    "the file holds {} HorizontalPodAutoscalers: {}; pick one with --name NAME",
                    several.len(),
                    listed(several)
                ),
            ))
        }
    };
    if candidates.len() > 1 {
        let others: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| !std::ptr::eq(*c, chosen))
            .collect();
        notes.push(format!(
            "read {}; skipped {}",
            chosen.describe(),
            listed(&others)
        ));
    }
    if let Some((line, found)) = super::yaml_doc::template_placeholder(&chosen.doc.text) {
        return Err(syntax(super::yaml_doc::placeholder_error(
            line + chosen.doc.first_line - 1,
            &found,
        )));
    }
    let converted = super::api_versions::convert_to_v2(chosen.value.clone()).map_err(|mut e| {
        e.line = chosen.line_of(&e.path);
        // An unknown field: its line, its parent's path (the message names it).
        if e.message.starts_with("unknown field") {
            if let Some((parent, _)) = e.path.rsplit_once('.') {
                e.path = parent.to_string();
            }
        }
        e
    })?;
    notes.extend(converted.notes.iter().cloned());
    let source = |p: &str| converted.source_path(p);
    let locate = |p: &str| chosen.line_of(p);
    let written = |p: &str| {
        chosen
            .doc
            .decimal_at(&format!("{}{p}", chosen.prefix))
            .map(str::to_string)
    };
    let spec = typed::<HpaManifest>(converted.value.clone(), "", &source, &locate, &written)?.spec;
    let spec = finish(spec, &source, &locate)?;
    Ok(ManifestRead {
        spec,
        name: chosen.name().map(str::to_string),
        notes,
    })
}

/// API defaults and validation; a validation error names the field as written and its line.
fn finish(
    spec: HpaSpec,
    source_path: &dyn Fn(&str) -> String,
    locate: &dyn Fn(&str) -> Option<usize>,
) -> Result<HpaSpec, ManifestError> {
    let spec = spec.with_api_defaults();
    if let Err(mut e) = spec.validate() {
        e.path = source_path(&e.path);
        e.line = locate(&e.path);
        return Err(e);
    }
    Ok(spec)
}

/// What to write instead of a non-finite number at `path` of an HPA file: a whole number
/// for the counts, seconds and percentages, a quantity for targets and tolerances.
fn number_hint(path: &str) -> &'static str {
    let last = path.rsplit('.').next().unwrap_or(path);
    let whole = matches!(
        last,
        "minReplicas"
            | "maxReplicas"
            | "averageUtilization"
            | "periodSeconds"
            | "stabilizationWindowSeconds"
            | "targetCPUUtilizationPercentage"
            | "targetAverageUtilization"
    ) || (last == "value" && path.contains("policies["));
    if whole {
        "write a whole number such as 10"
    } else {
        "write a number such as 1.5 or a quantity such as \"500m\""
    }
}

/// [`read_manifest`] without a name, the spec only.
pub fn parse_manifest(text: &str) -> Result<HpaSpec, ManifestError> {
    read_manifest(text, None).map(|r| r.spec)
}

fn value_short(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => format!("{s:?}"),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Null => "null".into(),
        _ => "a structure".into(),
    }
}
