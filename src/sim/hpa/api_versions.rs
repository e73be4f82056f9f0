//! Older HorizontalPodAutoscaler API versions to autoscaling/v2, as the API server converts them.
//!
//! ```text
//!   autoscaling/v1       targetCPUUtilizationPercentage ─┐   (+ annotations .../metrics, .../behavior)
//!   autoscaling/v2beta1  targetAverageUtilization, …    ─┼──▶ autoscaling/v2 object (serde_json tree)
//!   autoscaling/v2beta2  same shape as v2, no tolerance ─┘   (+ annotations .../scale-*-tolerance)
//! ```
//!
//! Sources (kubernetes/kubernetes): `pkg/apis/autoscaling/v1/conversion.go`,
//! `pkg/apis/autoscaling/v2beta1/conversion.go`, `pkg/apis/autoscaling/v2beta2/conversion.go`
//! and `pkg/apis/autoscaling/annotations.go`. The converted tree keeps every value as written, so
//! a wrong value is reported by the typed step; [`Converted::renames`] maps the v2 field paths
//! back to the fields the user wrote, for the error's path and line.

use serde_json::{Map, Value};

use super::spec::ManifestError;
use super::yaml_doc::parse_yaml_document;

/// `autoscaling.MetricSpecsAnnotation`: v1's metrics other than CPU utilization (v2beta1 shape).
pub const METRIC_SPECS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/metrics";
/// `autoscaling.BehaviorSpecsAnnotation`: v1's and v2beta1's `behavior`, as JSON.
pub const BEHAVIOR_SPECS_ANNOTATION: &str = "autoscaling.alpha.kubernetes.io/behavior";
/// `autoscaling.ToleranceScaleDownAnnotation`: v2beta2's `behavior.scaleDown.tolerance`.
pub const TOLERANCE_SCALE_DOWN_ANNOTATION: &str =
    "autoscaling.alpha.kubernetes.io/scale-down-tolerance";
/// `autoscaling.ToleranceScaleUpAnnotation`: v2beta2's `behavior.scaleUp.tolerance`.
pub const TOLERANCE_SCALE_UP_ANNOTATION: &str =
    "autoscaling.alpha.kubernetes.io/scale-up-tolerance";

/// The object in autoscaling/v2 form and how it was obtained.
#[derive(Clone, Debug, PartialEq)]
pub struct Converted {
    /// The object with `spec` in autoscaling/v2 form.
    pub value: Value,
    /// (v2 field path, the path of the field written in the file, whether every field under
    /// the v2 path is that one field); the longest matching v2 path applies.
    pub renames: Vec<(String, String, bool)>,
    /// One line per conversion done (empty for autoscaling/v2).
    pub notes: Vec<String>,
}

impl Converted {
    /// The path the user wrote for the v2 path `path` (`spec.metrics[0].resource.target.type`).
    pub fn source_path(&self, path: &str) -> String {
        // The longest v2 prefix of `path` wins.
        let mut best: Option<(usize, String)> = None;
        for (v2, source, whole) in &self.renames {
            if let Some(rest) = path.strip_prefix(v2.as_str()) {
                let longer = best.as_ref().is_none_or(|b| v2.len() > b.0);
                if longer && (rest.is_empty() || rest.starts_with(['.', '['])) {
                    let to = match whole {
                        true => source.clone(),
                        false => format!("{source}{rest}"),
                    };
                    best = Some((v2.len(), to));
                }
            }
        }
        best.map_or_else(|| path.to_string(), |b| b.1)
    }
}

/// The annotation `key`'s text.
fn annotation_of<'a>(annotations: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    annotations.get(key).and_then(Value::as_str)
}

fn err(path: &str, message: String) -> ManifestError {
    ManifestError {
        path: path.to_string(),
        message,
        line: None,
    }
}

/// Refuses any key of `map` not in `allowed`, naming it as serde does.
fn known_keys(map: &Map<String, Value>, path: &str, allowed: &[&str]) -> Result<(), ManifestError> {
    // The path names the unknown key; the reader shows its parent, as serde's errors.
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(err(
            &format!("{path}.{k}"),
            format!(
                "unknown field \"{k}\", expected one of {}",
                allowed
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// `apiVersion` of an HPA object (`autoscaling/v2` when absent) to autoscaling/v2.
/// Errors name the field the user wrote.
pub fn convert_to_v2(mut object: Value) -> Result<Converted, ManifestError> {
    let version = match object.get("apiVersion") {
        None | Some(Value::Null) => "autoscaling/v2".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(err(
                "apiVersion",
                "expected a string such as \"autoscaling/v2\"".into(),
            ))
        }
    };
    let annotations: Map<String, Value> = object
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let annotation = |k: &str| annotation_of(&annotations, k);
    let mut renames: Vec<(String, String, bool)> = Vec::new();
    let mut notes = Vec::new();
    let spec = match object.get_mut("spec") {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    };
    match version.as_str() {
        "autoscaling/v2" => {}
        "autoscaling/v2beta2" => {
            notes.push(
                "autoscaling/v2beta2 (served up to Kubernetes 1.25) read as autoscaling/v2, as the API server converts it"
                    .into(),
            );
            if let Some(spec) = spec {
                v2beta2_tolerances(spec, &annotations, &mut renames)?;
            }
        }
        "autoscaling/v2beta1" => {
            notes.push(
                "autoscaling/v2beta1 (served up to Kubernetes 1.24) converted to autoscaling/v2 as the API server does"
                    .into(),
            );
            if let Some(spec) = spec {
                let metrics = spec.remove("metrics").unwrap_or(Value::Array(Vec::new()));
                let converted = v2beta1_metrics(metrics, "spec.metrics", &mut renames)?;
                spec.insert("metrics".into(), Value::Array(converted));
                behavior_annotation(spec, &annotations, &mut renames)?;
            }
        }
        "autoscaling/v1" => {
            notes.push(
                "autoscaling/v1 converted to autoscaling/v2 as the API server does (targetCPUUtilizationPercentage: a cpu Utilization metric)"
                    .into(),
            );
            if let Some(spec) = spec {
                known_keys(
                    spec,
                    "spec",
                    &[
                        "scaleTargetRef",
                        "minReplicas",
                        "maxReplicas",
                        "targetCPUUtilizationPercentage",
                    ],
                )
                .map_err(|mut e| {
                    e.message.push_str(
                        " (autoscaling/v1 has no other fields; metrics and behavior need autoscaling/v2)",
                    );
                    e
                })?;
                // Convert_v1_HorizontalPodAutoscaler_To_autoscaling_…: the annotation's metrics
                // first, then the CPU one.
                let mut metrics = Vec::new();
                if let Some(text) = annotation(METRIC_SPECS_ANNOTATION) {
                    let path = format!("metadata.annotations.{METRIC_SPECS_ANNOTATION}");
                    // JSON is YAML: the YAML reader gives the tree (no second JSON reader).
                    let list = parse_yaml_document(text).map_err(|e| {
                        err(
                            &path,
                            format!("is not a JSON list of metrics: {}", e.message),
                        )
                    })?;
                    metrics = v2beta1_metrics(list, &path, &mut renames)?;
                    // The annotation is one line of JSON: every error is on it.
                    renames.clear();
                    for i in 0..metrics.len() {
                        renames.push((format!("spec.metrics[{i}]"), path.clone(), true));
                    }
                }
                if let Some(pct) = spec.remove("targetCPUUtilizationPercentage") {
                    let i = metrics.len();
                    renames.push((
                        format!("spec.metrics[{i}]"),
                        "spec.targetCPUUtilizationPercentage".into(),
                        true,
                    ));
                    let mut cpu = Map::new();
                    put(&mut cpu, "type", Value::from("Resource"));
                    put(&mut cpu, "resource.name", Value::from("cpu"));
                    put(&mut cpu, "resource.target.type", Value::from("Utilization"));
                    put(&mut cpu, "resource.target.averageUtilization", pct);
                    metrics.push(Value::Object(cpu));
                }
                spec.insert("metrics".into(), Value::Array(metrics));
                behavior_annotation(spec, &annotations, &mut renames)?;
            }
        }
        other => {
            return Err(err(
                "apiVersion",
                format!("expected \"autoscaling/v2\" (or v2beta2, v2beta1, v1), got \"{other}\""),
            ))
        }
    }
    if let Some(m) = object.as_object_mut() {
        m.insert("apiVersion".into(), Value::from("autoscaling/v2"));
    }
    Ok(Converted {
        value: object,
        renames,
        notes,
    })
}

/// v2beta2 has no `tolerance`: kubectl's strict validation refuses it; the API server keeps it
/// in two annotations (v2beta2/conversion.go).
fn v2beta2_tolerances(
    spec: &mut Map<String, Value>,
    annotations: &Map<String, Value>,
    renames: &mut Vec<(String, String, bool)>,
) -> Result<(), ManifestError> {
    for dir in ["scaleUp", "scaleDown"] {
        if spec
            .get("behavior")
            .and_then(|b| b.get(dir))
            .and_then(|r| r.get("tolerance"))
            .is_some()
        {
            return Err(err(
                &format!("spec.behavior.{dir}.tolerance"),
                "unknown field \"tolerance\": autoscaling/v2beta2 has no tolerance; use autoscaling/v2 (Kubernetes 1.33 and later)".into(),
            ));
        }
    }
    for (dir, key) in [
        ("scaleUp", TOLERANCE_SCALE_UP_ANNOTATION),
        ("scaleDown", TOLERANCE_SCALE_DOWN_ANNOTATION),
    ] {
        if let Some(q) = annotation_of(annotations, key) {
            let behavior = spec
                .entry("behavior")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(b) = behavior.as_object_mut() {
                let rules = b.entry(dir).or_insert_with(|| Value::Object(Map::new()));
                if let Some(r) = rules.as_object_mut() {
                    r.insert("tolerance".into(), Value::from(q));
                }
            }
            renames.push((
                format!("spec.behavior.{dir}.tolerance"),
                "metadata.annotations".into(),
                true,
            ));
        }
    }
    Ok(())
}

/// The `behavior` annotation of v1 and v2beta1. The API server marshals its internal type
/// there (Go field names) and reads it back with `encoding/json`, which matches keys without
/// regard to case; a malformed annotation is dropped, as the API server drops it.
fn behavior_annotation(
    spec: &mut Map<String, Value>,
    annotations: &Map<String, Value>,
    renames: &mut Vec<(String, String, bool)>,
) -> Result<(), ManifestError> {
    let Some(text) = annotation_of(annotations, BEHAVIOR_SPECS_ANNOTATION) else {
        return Ok(());
    };
    let Ok(raw) = parse_yaml_document(text) else {
        return Ok(());
    };
    let behavior = camel_keys(raw);
    if behavior.as_object().is_some_and(|m| !m.is_empty()) {
        spec.insert("behavior".into(), behavior);
        renames.push(("spec.behavior".into(), "metadata.annotations".into(), true));
    }
    Ok(())
}

/// Go field names (`ScaleUp`, `StabilizationWindowSeconds`) to the JSON names (`scaleUp`, …);
/// null fields dropped (an internal nil pointer).
fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (mut k, v) in m {
                if !v.is_null() {
                    if let Some(first) = k.get_mut(..1) {
                        first.make_ascii_lowercase();
                    }
                    out.insert(k, camel_keys(v));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(camel_keys).collect()),
        other => other,
    }
}

/// One v2beta1 metric source: its key, its fields and where each goes in v2, and the target
/// type: `type_field` set → `if_set`, else `otherwise` (v2beta1/conversion.go).
struct SourceRule {
    key: &'static str,
    /// (v2beta1 field, v2 path under the source).
    fields: &'static [(&'static str, &'static str)],
    type_field: &'static str,
    if_set: &'static str,
    otherwise: &'static str,
}

/// v2beta1 `metrics` to v2, per `pkg/apis/autoscaling/v2beta1/conversion.go`:
/// - Resource: `targetAverageUtilization` → Utilization, else `targetAverageValue` → AverageValue;
/// - Pods: `metricName`, `selector`, `targetAverageValue` → AverageValue;
/// - Object: `target` → `describedObject`, `metricName`, `selector`, `targetValue` → Value unless
///   `averageValue` is set (then AverageValue);
/// - External: `metricName`, `metricSelector`, `targetValue` → Value, else `targetAverageValue` →
///   AverageValue.
const SOURCE_RULES: [SourceRule; 4] = [
    SourceRule {
        key: "resource",
        fields: &[
            ("name", "name"),
            ("targetAverageUtilization", "target.averageUtilization"),
            ("targetAverageValue", "target.averageValue"),
        ],
        type_field: "targetAverageUtilization",
        if_set: "Utilization",
        otherwise: "AverageValue",
    },
    SourceRule {
        key: "pods",
        fields: &[
            ("metricName", "metric.name"),
            ("selector", "metric.selector"),
            ("targetAverageValue", "target.averageValue"),
        ],
        type_field: "targetAverageValue",
        if_set: "AverageValue",
        otherwise: "AverageValue",
    },
    SourceRule {
        key: "object",
        fields: &[
            ("target", "describedObject"),
            ("metricName", "metric.name"),
            ("selector", "metric.selector"),
            ("targetValue", "target.value"),
            ("averageValue", "target.averageValue"),
        ],
        type_field: "averageValue",
        if_set: "AverageValue",
        otherwise: "Value",
    },
    SourceRule {
        key: "external",
        fields: &[
            ("metricName", "metric.name"),
            ("metricSelector", "metric.selector"),
            ("targetValue", "target.value"),
            ("targetAverageValue", "target.averageValue"),
        ],
        type_field: "targetValue",
        if_set: "Value",
        otherwise: "AverageValue",
    },
];

/// Sets `path` (`a.b`) in `map` to `v`, making the mappings on the way.
fn put(map: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let inner = map.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = inner {
                put(m, rest, v);
            }
        }
    }
}

/// v2beta1 `metrics` (also v1's metrics annotation) to v2 by [`SOURCE_RULES`]. `path` is where
/// the list sits in the file; element i becomes `spec.metrics[i]`. A metric of another type is
/// left as written: the typed step names what is wrong or not modeled.
fn v2beta1_metrics(
    metrics: Value,
    path: &str,
    renames: &mut Vec<(String, String, bool)>,
) -> Result<Vec<Value>, ManifestError> {
    let Value::Array(list) = metrics else {
        return Err(err(path, "expected a list of metrics".into()));
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, m) in list.into_iter().enumerate() {
        let at = format!("{path}[{i}]");
        let v2 = format!("spec.metrics[{i}]");
        let Value::Object(mut m) = m else {
            return Err(err(&at, "expected a mapping with a type".into()));
        };
        let kind = m.get("type").and_then(Value::as_str).unwrap_or("");
        let rule = SOURCE_RULES
            .iter()
            .find(|r| r.key.eq_ignore_ascii_case(kind));
        if let Some(rule) = rule {
            if let Some(Value::Object(src)) = m.remove(rule.key) {
                let src_at = format!("{at}.{}", rule.key);
                let v2_at = format!("{v2}.{}", rule.key);
                let mut converted = Map::new();
                let set = src.get(rule.type_field).is_some_and(|v| !v.is_null());
                let target_type = if set { rule.if_set } else { rule.otherwise };
                put(&mut converted, "target.type", Value::from(target_type));
                for (field, v) in src {
                    let Some(&(_, to)) = rule.fields.iter().find(|(f, _)| *f == field) else {
                        let allowed: Vec<&str> = rule.fields.iter().map(|f| f.0).collect();
                        return Err(err(
                            &format!("{src_at}.{field}"),
                            format!(
                                "unknown field \"{field}\", expected one of {}",
                                allowed.join(", ")
                            ),
                        ));
                    };
                    renames.push((format!("{v2_at}.{to}"), format!("{src_at}.{field}"), false));
                    if !v.is_null() {
                        put(&mut converted, to, v);
                    }
                }
                renames.push((format!("{v2_at}.target"), src_at.clone(), true));
                renames.push((format!("{v2_at}.metric"), src_at.clone(), true));
                renames.push((v2_at, src_at, false));
                m.insert(rule.key.into(), Value::Object(converted));
            }
        }
        renames.push((v2, at, false));
        out.push(Value::Object(m));
    }
    Ok(out)
}
