//! Every `k8s.hpa*` vector of tests/data/vectors.json, checked against the HPA model (docs/models.md#hpa),
//! plus the extra cross-check sequences generated with `hpa_ref.py` (tests/data/hpa_ref_sequences.json).

use scalesim::sim::hpa::calc::{
    compute_replicas_for_metrics, per_pod_average_value_replicas, resource_utilization_replicas,
    usage_ratio_replica_count, PodSample, PodState, Tolerances,
};
use scalesim::sim::hpa::{
    parse_manifest, simulate_cpu, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision,
    HpaMetrics, HpaPod,
};
use serde_json::{json, Value};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors.json"
));
const REF_SEQUENCES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/hpa_ref_sequences.json"
));

fn hpa_vectors() -> Vec<Value> {
    let all: Vec<Value> = serde_json::from_str(VECTORS).expect("vectors.json parses");
    all.into_iter()
        .filter(|v| v["model"].as_str().unwrap_or("").starts_with("k8s.hpa"))
        .collect()
}

fn i(v: &Value) -> i64 {
    v.as_i64()
        .unwrap_or_else(|| panic!("expected an integer, got {v}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

fn check_resource_utilization(v: &Value) {
    let inp = &v["inputs"];
    let exp = &v["expected"];
    let pods: Vec<PodSample> = inp["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| PodSample {
            state: match p["state"].as_str().unwrap() {
                "ready" => PodState::Ready,
                "unready" => PodState::Unready,
                "missing" => PodState::Missing,
                "ignored" => PodState::Ignored,
                other => panic!("unknown state {other}"),
            },
            usage_m: p["usage_m"].as_i64(),
            request_m: i(&p["request_m"]),
        })
        .collect();
    let tol = Tolerances {
        scale_down: f(&inp["tolerance_down"]),
        scale_up: f(&inp["tolerance_up"]),
    };
    let r = resource_utilization_replicas(
        i(&inp["current_replicas"]) as i32,
        i(&inp["target_average_utilization_pct"]) as i32,
        &pods,
        tol,
    )
    .unwrap();
    let id = v["id"].as_str().unwrap();
    assert_eq!(i64::from(r.replicas), i(&exp["desired_replicas"]), "{id}");
    assert_eq!(
        r.utilization_pct,
        Some(i(&exp["current_utilization_pct"])),
        "{id}"
    );
    assert_eq!(
        r.usage_ratio,
        f(&exp["usage_ratio"]),
        "{id}: bit-exact usage ratio"
    );
    assert_eq!(r.path.as_str(), exp["path"].as_str().unwrap(), "{id}");
    match exp.get("new_usage_ratio") {
        Some(n) => assert_eq!(r.new_usage_ratio, Some(f(n)), "{id}"),
        None => assert_eq!(r.new_usage_ratio, None, "{id}"),
    }
}

/// Builds a spec-only manifest as JSON and parses it like a user's paste.
fn manifest(min: i64, max: i64, metrics: Value, behavior: Option<Value>) -> String {
    let mut spec = json!({"minReplicas": min, "maxReplicas": max, "metrics": metrics});
    if let Some(b) = behavior {
        spec["behavior"] = b;
    }
    serde_json::to_string(&json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "vector"},
        "spec": spec,
    }))
    .unwrap()
}

fn cpu_metric(pct: i64) -> Value {
    json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": pct}}}])
}

/// The vectors write behavior as "{}", "nil (omitted)" or a k8s object with some fields left as
/// prose ("default 0"); prose fields mean "not set".
fn behavior_of(b: &Value) -> Option<Value> {
    match b {
        Value::String(s) if s.starts_with("{}") => Some(json!({})),
        Value::String(s) if s.starts_with("nil") => None,
        Value::Object(_) => {
            let mut b = b.clone();
            for dir in ["scaleUp", "scaleDown"] {
                if let Some(Value::Object(r)) = b.get_mut(dir) {
                    r.retain(|_, v| !v.is_string());
                }
            }
            Some(b)
        }
        other => panic!("unknown behavior {other}"),
    }
}

const SPIKE_TEXT: &str = "2100 (3 pods x 70%) for t<60 and t>600; 21000 (10x) for 60<=t<=600";

fn check_cpu_sequence(v: &Value) {
    let id = v["id"].as_str().unwrap();
    let inp = &v["inputs"];
    let exp = &v["expected"];
    assert_eq!(
        inp["demand_m"].as_str().unwrap(),
        SPIKE_TEXT,
        "{id}: demand text"
    );
    let metric = inp["metric"].as_str().unwrap();
    let pct: i64 = metric
        .strip_prefix("Resource cpu, target averageUtilization ")
        .unwrap_or_else(|| panic!("{id}: metric {metric}"))
        .parse()
        .unwrap();
    let text = manifest(
        i(&inp["minReplicas"]),
        i(&inp["maxReplicas"]),
        cpu_metric(pct),
        behavior_of(&inp["behavior"]),
    );
    let spec = parse_manifest(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
    let config = HpaControllerConfig {
        sync_period_s: f(&inp["sync_period_s"]),
        tolerance: f(&inp["tolerance"]),
        downscale_stabilization_s: f(&inp["downscale_stabilization_s"]),
        legacy_inclusive_boundary: inp
            .get("boundary_convention")
            .is_some_and(|b| b.as_str().unwrap().starts_with("literal Go comparison")),
        ..HpaControllerConfig::default()
    };
    let mut hpa = HpaController::new(spec, config);
    let w = CpuWorkload {
        // "t>600" with syncs every 15 s: the drop is seen from the sync after t = 600.
        demand_steps: vec![(0.0, 2100), (60.0, 21000), (600.5, 2100)],
        initial_replicas: i(&inp["initial_replicas"]) as i32,
        cpu_request_m: i(&inp["pod_cpu_request_m"]),
        cpu_limit_m: inp["cpu_limit_m"].as_i64(),
        ready_delay_s: f(&inp["ready_delay_s"]),
        t_start_s: f(&inp["first_sync_t"]),
        until_s: f(&inp["last_sync_t"]),
        sync_period_s: config.sync_period_s,
    };
    let rows = simulate_cpu(&mut hpa, &w);
    check_rows(id, &rows, exp);
}

fn check_rows(id: &str, rows: &[HpaDecision], exp: &Value) {
    let after: Vec<i64> = rows.iter().map(|r| i64::from(r.replicas_after)).collect();
    let want: Vec<i64> = exp["replicas_after_each_sync"]
        .as_array()
        .unwrap()
        .iter()
        .map(i)
        .collect();
    assert_eq!(after, want, "{id}: replicas after each sync");
    if let Some(per_sync) = exp.get("per_sync") {
        let per_sync = per_sync.as_array().unwrap();
        assert_eq!(rows.len(), per_sync.len(), "{id}: rows");
        for (r, e) in rows.iter().zip(per_sync) {
            let t = f(&e["t"]);
            assert_eq!(r.t_s, t, "{id}");
            assert_eq!(
                i64::from(r.replicas_before),
                i(&e["replicas_before"]),
                "{id} t={t}"
            );
            assert_eq!(i64::from(r.ready_pods), i(&e["ready"]), "{id} t={t}");
            assert_eq!(
                r.utilization_pct,
                e["utilization_pct"].as_i64(),
                "{id} t={t}"
            );
            match e["metric_desired"].as_i64() {
                Some(m) => assert_eq!(i64::from(r.proposal), m, "{id} t={t}"),
                None => assert!(
                    r.utilization_pct.is_none(),
                    "{id} t={t}: metrics were not consulted"
                ),
            }
            assert_eq!(
                i64::from(r.replicas_after),
                i(&e["replicas_after"]),
                "{id} t={t}"
            );
        }
    }
}

/// A metrics view with only an External metric (total fixed) over `n` ready pods.
struct ExternalOnly {
    pods: Vec<HpaPod>,
    total_m: i64,
}

impl HpaMetrics for ExternalOnly {
    fn pods(&self) -> &[HpaPod] {
        &self.pods
    }
    fn pod_metric_m(&self, _: &str, _: usize) -> Option<i64> {
        None
    }
    fn external_metric_m(&self, name: &str) -> Option<i64> {
        (name == "desired").then_some(self.total_m)
    }
    fn object_metric_m(&self, _: &str) -> Option<i64> {
        None
    }
}

/// hpa-seq-07: the metric asks for a fixed count every sync; an External AverageValue metric
/// with total = desired × target gives exactly that proposal (ceil(total / target)).
fn check_fixed_desired_sequence(v: &Value) {
    let id = v["id"].as_str().unwrap();
    let inp = &v["inputs"];
    let desired = i(&inp["metric_desired_every_sync"]);
    let metrics = json!([{"type": "External", "external": {"metric": {"name": "desired"},
        "target": {"type": "AverageValue", "averageValue": "1"}}}]);
    let text = manifest(
        i(&inp["minReplicas"]),
        i(&inp["maxReplicas"]),
        metrics,
        behavior_of(&inp["behavior"]),
    );
    let spec = parse_manifest(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(inp["syncs"].as_str().unwrap(), "t=0..600", "{id}");
    let period = f(&inp["sync_period_s"]);
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let view = ExternalOnly {
        pods: Vec::new(),
        total_m: desired * 1000,
    };
    let mut replicas = i(&inp["initial_replicas"]) as i32;
    let mut rows = Vec::new();
    let mut t = 0.0;
    while t <= 600.0 {
        let d = hpa.reconcile(t, replicas, &view);
        assert_eq!(i64::from(d.proposal), desired, "{id} t={t}");
        replicas = d.replicas_after;
        rows.push(d);
        t += period;
    }
    check_rows(id, &rows, &v["expected"]);
}

fn check_sequence(v: &Value) {
    if v["inputs"].get("metric_desired_every_sync").is_some() {
        check_fixed_desired_sequence(v);
    } else {
        check_cpu_sequence(v);
    }
}

fn check_compute_replicas_for_metrics(v: &Value) {
    let inp = &v["inputs"];
    let proposals: Vec<Option<i32>> = inp["per_metric_proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_i64().map(|x| x as i32))
        .collect();
    let got = compute_replicas_for_metrics(i(&inp["spec_replicas"]) as i32, &proposals);
    assert_eq!(
        i64::from(got),
        i(&v["expected"]["metric_desired_replicas"]),
        "{}",
        v["id"]
    );
}

fn check_scale_up_limit(v: &Value) {
    let inp = &v["inputs"];
    let min = i(&inp["minReplicas"]);
    let max = i(&inp["maxReplicas"]);
    for row in v["expected"]["table"].as_array().unwrap() {
        let current = i(&row["current"]) as i32;
        let legacy = HpaController::new(
            parse_manifest(&manifest(min, max, cpu_metric(50), None)).unwrap(),
            HpaControllerConfig::default(),
        );
        let defaults = HpaController::new(
            parse_manifest(&manifest(min, max, cpu_metric(50), Some(json!({})))).unwrap(),
            HpaControllerConfig::default(),
        );
        let desired = i(&inp["desired"]) as i32;
        assert_eq!(
            i64::from(legacy.scale_up_limit_now(current, 0.0).min(desired)),
            i(&row["legacy_max_after_one_sync"]),
            "{} current={current}",
            v["id"]
        );
        assert_eq!(
            i64::from(defaults.scale_up_limit_now(current, 0.0).min(desired)),
            i(&row["default_behavior_max_after_one_sync"]),
            "{} current={current}",
            v["id"]
        );
    }
}

fn check_scale_limits(v: &Value) {
    let id = v["id"].as_str().unwrap();
    let inp = &v["inputs"];
    let exp = &v["expected"];
    if let Some(start) = inp.get("period_start_replicas") {
        let up = &inp["scale_up_policy"];
        let down = &inp["scale_down_policy"];
        let behavior = json!({
            "scaleUp": {"policies": [{"type": up["type"], "value": up["value"], "periodSeconds": 15}]},
            "scaleDown": {"policies": [{"type": down["type"], "value": down["value"], "periodSeconds": 15}]},
        });
        let hpa = HpaController::new(
            parse_manifest(&manifest(1, 1000, cpu_metric(50), Some(behavior))).unwrap(),
            HpaControllerConfig::default(),
        );
        assert_eq!(
            i64::from(hpa.scale_up_limit_now(i(start) as i32, 0.0)),
            i(&exp["scale_up_max_replicas"]),
            "{id}"
        );
        let down_start = i(&inp["scale_down_period_start_replicas"]) as i32;
        assert_eq!(
            i64::from(hpa.scale_down_limit_now(down_start, 0.0)),
            i(&exp["scale_down_min_replicas"]),
            "{id}"
        );
        return;
    }
    let behavior =
        json!({"scaleUp": {"policies": inp["policies"], "selectPolicy": inp["selectPolicy"]}});
    let mut hpa = HpaController::new(
        parse_manifest(&manifest(1, 1000, cpu_metric(50), Some(behavior))).unwrap(),
        HpaControllerConfig::default(),
    );
    let current = i(&inp["current"]) as i32;
    for e in inp["scale_up_events"].as_array().unwrap() {
        let change = i(&e["change"]) as i32;
        hpa.record_scale_event(current - change, current, f(&e["t"]));
    }
    for now in inp["now_values"].as_array().unwrap() {
        let now = i(now);
        let key = format!("limit_at_{now}");
        assert_eq!(
            i64::from(hpa.scale_up_limit_now(current, now as f64)),
            i(&exp[&key]),
            "{id} {key}"
        );
    }
}

fn check_external_average_value(v: &Value) {
    let inp = &v["inputs"];
    let (replicas, _, _) = per_pod_average_value_replicas(
        i(&inp["status_replicas"]) as i32,
        i(&inp["external_metric_total_m"]),
        i(&inp["target_average_value_m"]),
        Tolerances::default(),
    );
    assert_eq!(
        i64::from(replicas),
        i(&v["expected"]["desired_replicas"]),
        "{}",
        v["id"]
    );
}

fn check_object_value(v: &Value) {
    let inp = &v["inputs"];
    let ratio = i(&inp["object_metric_m"]) as f64 / i(&inp["target_value_m"]) as f64;
    let (replicas, _) = usage_ratio_replica_count(
        i(&inp["current_replicas"]) as i32,
        ratio,
        i(&inp["ready_pod_count"]) as i32,
        Tolerances::default(),
    );
    assert_eq!(
        i64::from(replicas),
        i(&v["expected"]["desired_replicas"]),
        "{}",
        v["id"]
    );
}

#[test]
fn every_hpa_vector_in_the_reference_file_is_reproduced() {
    let vectors = hpa_vectors();
    let mut checked = 0;
    for v in &vectors {
        match v["model"].as_str().unwrap() {
            "k8s.hpa.replica_calculator.resource_utilization" => check_resource_utilization(v),
            "k8s.hpa.replica_calculator.external_average_value" => check_external_average_value(v),
            "k8s.hpa.replica_calculator.object_value" => check_object_value(v),
            "k8s.hpa.compute_replicas_for_metrics" => check_compute_replicas_for_metrics(v),
            "k8s.hpa.scale_up_limit" => check_scale_up_limit(v),
            "k8s.hpa.scale_limits" => check_scale_limits(v),
            "k8s.hpa.sequence" => check_sequence(v),
            other => panic!("no checker for HPA model {other} ({})", v["id"]),
        }
        checked += 1;
    }
    assert_eq!(checked, vectors.len());
    assert!(
        checked >= 22,
        "expected the ~22 public HPA vectors, found {checked}"
    );
}

#[test]
fn every_sequence_generated_with_hpa_ref_is_reproduced_row_by_row() {
    let cases: Vec<Value> =
        serde_json::from_str(REF_SEQUENCES).expect("hpa_ref_sequences.json parses");
    let mut checked = 0;
    for c in &cases {
        let id = c["id"].as_str().unwrap();
        let spec = parse_manifest(&serde_json::to_string(&c["hpa"]).unwrap())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let config = HpaControllerConfig {
            legacy_inclusive_boundary: c["legacy_inclusive_boundary"].as_bool().unwrap_or(false),
            ..HpaControllerConfig::default()
        };
        let mut hpa = HpaController::new(spec, config);
        let w = CpuWorkload {
            demand_steps: c["demand_steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (f(&s[0]), i(&s[1])))
                .collect(),
            initial_replicas: i(&c["initial_replicas"]) as i32,
            cpu_request_m: i(&c["cpu_request_m"]),
            cpu_limit_m: c["cpu_limit_m"].as_i64(),
            ready_delay_s: f(&c["ready_delay_s"]),
            t_start_s: 0.0,
            until_s: f(&c["until_s"]),
            sync_period_s: 15.0,
        };
        let rows = simulate_cpu(&mut hpa, &w);
        // Rows are stored compactly as [t, replicas_before, ready, utilization_pct, metric_desired, replicas_after].
        let columns = [
            "t",
            "replicas_before",
            "ready",
            "utilization_pct",
            "metric_desired",
            "replicas_after",
        ];
        let mut expected = c["expected"].clone();
        let per_sync: Vec<Value> = expected["per_sync_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let cells = row.as_array().unwrap();
                assert_eq!(cells.len(), columns.len(), "{id}");
                Value::Object(
                    columns
                        .iter()
                        .map(|k| k.to_string())
                        .zip(cells.iter().cloned())
                        .collect(),
                )
            })
            .collect();
        expected["per_sync"] = Value::Array(per_sync);
        check_rows(id, &rows, &expected);
        checked += 1;
    }
    assert_eq!(checked, cases.len());
    assert!(
        checked >= 10,
        "expected the generated cases, found {checked}"
    );
}

const REF_CALC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/hpa_ref_calc.json"
));

#[test]
fn every_random_calculator_case_from_hpa_ref_matches_bit_for_bit() {
    use scalesim::sim::hpa::calc::{plain_metric_replicas, CalcError};
    let cases: Vec<Value> = serde_json::from_str(REF_CALC).expect("hpa_ref_calc.json parses");
    let mut checked = 0;
    for (k, c) in cases.iter().enumerate() {
        let pods: Vec<PodSample> = c["pods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| PodSample {
                state: match p["state"].as_str().unwrap() {
                    "ready" => PodState::Ready,
                    "unready" => PodState::Unready,
                    "missing" => PodState::Missing,
                    _ => PodState::Ignored,
                },
                usage_m: p["usage_m"].as_i64(),
                request_m: i(&p["request_m"]),
            })
            .collect();
        let tol = Tolerances {
            scale_down: f(&c["tolerance_down"]),
            scale_up: f(&c["tolerance_up"]),
        };
        let current = i(&c["current_replicas"]) as i32;
        let r = match c["kind"].as_str().unwrap() {
            "utilization" => {
                resource_utilization_replicas(current, i(&c["target"]) as i32, &pods, tol)
            }
            _ => plain_metric_replicas(current, i(&c["target"]), &pods, tol),
        };
        let e = &c["expected"];
        match r {
            Err(err) => {
                assert_eq!(err, CalcError::NoMetrics, "case {k}");
                assert!(
                    e["error"]
                        .as_str()
                        .unwrap()
                        .starts_with("did not receive metrics"),
                    "case {k}"
                );
            }
            Ok(r) => {
                assert_eq!(i64::from(r.replicas), i(&e["replicas"]), "case {k}");
                assert_eq!(r.usage_ratio, f(&e["usage_ratio"]), "case {k}");
                assert_eq!(r.path.as_str(), e["path"].as_str().unwrap(), "case {k}");
                assert_eq!(r.new_usage_ratio, e["new_usage_ratio"].as_f64(), "case {k}");
                assert_eq!(r.utilization_pct, e["utilization"].as_i64(), "case {k}");
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 300);
}
