//! HPA files as practitioners have them (docs/hpa-files.md): Helm output with several
//! documents, byte-order marks, CRLF, autoscaling/v1, v2beta1 and v2beta2, `kubectl get -o yaml`
//! output, `kind: List`, several HPAs, unrendered templates; and a load column per metric
//! (cpu_m, memory_mib, Pods, Object and External metrics), per-HPA tolerance by Kubernetes version.
//!
//! The field cases of tests/fixtures/field-cases/hpa/ must give the decisions of their
//! `*-expected-*` twin.

use scalesim::sim::hpa::{parse_load, read_manifest, HpaRunOptions, HpaSpec, OptionKey};

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/field-cases/hpa/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn temp_file(name: &str, text: &str) -> String {
    let path =
        std::env::temp_dir().join(format!("scalesim-hpa-files-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// `scalesim hpa ARGS`.
fn cli(args: &[&str]) -> Result<String, String> {
    let mut all = vec!["hpa".to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    scalesim::cli::run(&all)
}

/// `scalesim hpa --hpa HPA --load LOAD EXTRA… --json` as JSON rows.
fn rows(hpa: &str, load: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut a = vec!["--hpa", hpa, "--load", load, "--json"];
    a.extend_from_slice(extra);
    let out = cli(&a).unwrap_or_else(|e| panic!("{hpa}: {e}"));
    serde_json::from_str(&out).unwrap()
}

/// The replica counts after each sync.
fn afters(rows: &[serde_json::Value]) -> Vec<i64> {
    rows.iter()
        .map(|r| r["replicas_after"].as_i64().unwrap())
        .collect()
}

/// Runs `case` and `expected` with the same load and options: every row must be the same, and
/// the run must not be trivial (the replicas change).
fn same_decisions(case: &str, expected: &str, load: &str, extra: &[&str]) {
    let (case, expected, load) = (fixture(case), fixture(expected), fixture(load));
    let got = rows(&case, &load, extra);
    let want = rows(&expected, &load, extra);
    assert_eq!(got, want, "{case} vs {expected}");
    let a = afters(&got);
    assert!(a.iter().any(|n| *n != a[0]), "no rescale in {a:?}");
}

fn spec(text: &str) -> HpaSpec {
    read_manifest(text, None)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .spec
}

fn err(text: &str, name: Option<&str>) -> String {
    read_manifest(text, name).unwrap_err().to_string()
}

// ---- the field cases ----

#[test]
fn field_case_multi_doc_helm_output_decides_as_the_hpa_alone() {
    let extra = [
        "--initial-replicas",
        "1",
        "--cpu-request-m",
        "100",
        "--cpu-limit-m",
        "2000",
        "--until-s",
        "1200",
    ];
    same_decisions(
        "multi-doc-service-hpa.yaml",
        "multi-doc-expected-hpa-only.yaml",
        "multi-doc.csv",
        &extra,
    );
    // The table says which document it read and which it skipped.
    let mut a = vec![
        "--hpa".to_string(),
        fixture("multi-doc-service-hpa.yaml"),
        "--load".into(),
        fixture("multi-doc.csv"),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = cli(&refs).unwrap();
    assert!(
        out.contains(
            "# read HorizontalPodAutoscaler rel-app-web3 (line 17); skipped Service rel-app-web3 (line 4)"
        ),
        "{out}"
    );
}

#[test]
fn field_case_a_byte_order_mark_decides_as_the_plain_file() {
    same_decisions(
        "bom.yaml",
        "bom-expected-plain.yaml",
        "bom.csv",
        &["--initial-replicas", "3", "--until-s", "1200"],
    );
}

#[test]
fn field_case_autoscaling_v1_decides_as_its_v2_twin() {
    same_decisions(
        "v1.yaml",
        "v1-expected-v2.yaml",
        "v1.csv",
        &["--initial-replicas", "5", "--until-s", "1200"],
    );
    let v1 = spec(&std::fs::read_to_string(fixture("v1.yaml")).unwrap());
    let v2 = spec(&std::fs::read_to_string(fixture("v1-expected-v2.yaml")).unwrap());
    assert_eq!(
        (v1.metrics, v1.min_replicas, v1.max_replicas),
        (v2.metrics, v2.min_replicas, v2.max_replicas)
    );
}

#[test]
fn field_case_an_unrendered_template_is_refused_with_its_line_and_helm_template() {
    let e = cli(&[
        "--hpa",
        &fixture("template-placeholder.yaml"),
        "--load",
        &fixture("template.csv"),
        "--initial-replicas",
        "3",
    ])
    .unwrap_err();
    assert!(e.contains("template placeholder {{ .name }}"), "{e}");
    assert!(e.contains("helm template"), "{e}");
    assert!(e.ends_with("at line 4"), "{e}");
    // A quoted placeholder parses as a string, and is refused all the same.
    let quoted = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: \"{{ .Values.max }}\"\n";
    let e = err(quoted, None);
    assert!(
        e.contains("{{ .Values.max }}") && e.ends_with("at line 4"),
        "{e}"
    );
}

// ---- other files of the same kinds ----

const V2: &str = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 12
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
";

#[test]
fn crlf_line_ends_and_empty_documents_read_as_the_plain_file() {
    let want = spec(V2);
    assert_eq!(spec(&V2.replace('\n', "\r\n")), want);
    let padded = format!("---\n---\n# nothing here\n---\n\n{V2}---\n...\n");
    assert_eq!(spec(&padded), want);
    assert_eq!(spec(&format!("\u{feff}{}", V2.replace('\n', "\r\n"))), want);
}

#[test]
fn kubectl_get_output_with_status_annotations_and_managed_fields_reads_as_the_spec() {
    let kubectl = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\"}
  creationTimestamp: \"2024-05-02T10:00:00Z\"
  managedFields:
  - apiVersion: autoscaling/v2
    fieldsType: FieldsV1
    fieldsV1:
      f:spec:
        f:maxReplicas: {}
    manager: kubectl-client-side-apply
    operation: Update
  name: web
  namespace: default
  resourceVersion: \"123456\"
  uid: 0f6c3c1e-1111-2222-3333-444455556666
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 12
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 60}
status:
  currentMetrics:
  - type: Resource
    resource:
      current: {averageUtilization: 93, averageValue: 465m}
      name: cpu
  currentReplicas: 7
  desiredReplicas: 11
  conditions:
  - type: AbleToScale
    status: \"True\"
    lastTransitionTime: \"2024-05-02T10:00:00Z\"
";
    let read = read_manifest(kubectl, None).unwrap();
    assert_eq!(read.spec, spec(V2));
    assert_eq!(read.name.as_deref(), Some("web"));
}

#[test]
fn a_kind_list_gives_its_hpa_and_several_hpas_are_named_and_picked_by_name() {
    let item = |name: &str, max: i32| {
        format!(
            "- apiVersion: autoscaling/v2\n  kind: HorizontalPodAutoscaler\n  metadata: {{name: {name}, resourceVersion: \"9\"}}\n  spec:\n    maxReplicas: {max}\n    scaleTargetRef: {{kind: Deployment, name: {name}}}\n  status: {{currentReplicas: 1, desiredReplicas: 1}}\n"
        )
    };
    let list = |items: &str| {
        format!("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n{items}")
    };
    let one = list(&item("api", 7));
    assert_eq!(spec(&one).max_replicas, 7);
    let two = list(&(item("api", 7) + &item("worker", 30)));
    let e = err(&two, None);
    assert!(
        e.contains("the file holds 2 HorizontalPodAutoscalers: HorizontalPodAutoscaler api (line 7), HorizontalPodAutoscaler worker (line 14); pick one with --name NAME"),
        "{e}"
    );
    let worker = read_manifest(&two, Some("worker")).unwrap();
    assert_eq!(worker.spec.max_replicas, 30);
    assert!(
        worker.notes[0].starts_with(
            "read HorizontalPodAutoscaler worker (line 14); skipped HorizontalPodAutoscaler api"
        ),
        "{:?}",
        worker.notes
    );
    let e = err(&two, Some("web"));
    assert!(
        e.starts_with(
            "no HorizontalPodAutoscaler named \"web\"; the file holds HorizontalPodAutoscaler api"
        ),
        "{e}"
    );
    // An error inside an item names the field and the item's line.
    let bad = list(
        &(item("api", 7) + &item("worker", 30).replace("maxReplicas: 30", "maxReplicas: many")),
    );
    let e = err(&bad, Some("worker"));
    assert!(
        e.starts_with("spec.maxReplicas: is the text \"many\"; expected a whole number")
            && e.ends_with("at line 17"),
        "{e}"
    );
}

#[test]
fn several_hpas_in_a_multi_document_file_are_refused_without_name_and_picked_with_it() {
    let worker = V2
        .replace("name: web", "name: worker")
        .replace("maxReplicas: 12", "maxReplicas: 3");
    let file = temp_file("two.yaml", &format!("{V2}---\n{worker}"));
    let load = temp_file("two.csv", "t_s,cpu_m\n0,6000\n");
    let e = cli(&["--hpa", &file, "--load", &load]).unwrap_err();
    assert!(e.starts_with(&file), "{e}");
    assert!(
        e.contains("the file holds 2 HorizontalPodAutoscalers: HorizontalPodAutoscaler web (line 2), HorizontalPodAutoscaler worker (line 16); pick one with --name NAME"),
        "{e}"
    );
    let w = rows(&file, &load, &["--name", "worker", "--until-s", "60"]);
    assert_eq!(*afters(&w).iter().max().unwrap(), 3, "worker's maxReplicas");
    let web = rows(&file, &load, &["--name=web", "--until-s", "60"]);
    assert_eq!(
        *afters(&web).iter().max().unwrap(),
        10,
        "web: 6000 m at 60 % of 1000 m"
    );
    // No HPA at all: the objects found are named.
    let e = err(
        "kind: Service\nmetadata: {name: a}\n---\nkind: Deployment\nmetadata: {name: b}\n",
        None,
    );
    assert_eq!(
        e,
        "no HorizontalPodAutoscaler among the 2 objects: Service a (line 1), Deployment b (line 4)"
    );
}

const V2_ALL_TYPES: &str = "\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: shop}
spec:
  maxReplicas: 40
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 400Mi}}
  - type: Pods
    pods:
      metric: {name: packets-per-second, selector: {matchLabels: {app: shop}}}
      target: {type: AverageValue, averageValue: 1k}
  - type: Object
    object:
      describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      metric: {name: requests-per-second}
      target: {type: Value, value: 2k}
  - type: External
    external:
      metric: {name: queue_messages_ready, selector: {matchLabels: {queue: worker_tasks}}}
      target: {type: AverageValue, averageValue: \"30\"}
";

#[test]
fn autoscaling_v2beta1_converts_every_metric_type_as_the_api_server_does() {
    let v2beta1 = "\
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: shop
spec:
  maxReplicas: 40
  metrics:
  - type: Resource
    resource: {name: cpu, targetAverageUtilization: 70}
  - type: Resource
    resource: {name: memory, targetAverageValue: 400Mi}
  - type: Pods
    pods:
      metricName: packets-per-second
      selector: {matchLabels: {app: shop}}
      targetAverageValue: 1k
  - type: Object
    object:
      target: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main-route}
      metricName: requests-per-second
      targetValue: 2k
  - type: External
    external:
      metricName: queue_messages_ready
      metricSelector: {matchLabels: {queue: worker_tasks}}
      targetAverageValue: \"30\"
";
    let read = read_manifest(v2beta1, None).unwrap();
    assert_eq!(read.spec, spec(V2_ALL_TYPES));
    assert!(
        read.notes[0].contains("autoscaling/v2beta1"),
        "{:?}",
        read.notes
    );
    // An Object metric with averageValue becomes an AverageValue target.
    let avg = v2beta1.replace(
        "targetValue: 2k",
        "targetValue: 2k\n      averageValue: 500",
    );
    let o = spec(&avg).metrics[3].object.clone().unwrap();
    assert_eq!(
        format!(
            "{:?} {}",
            o.target.target_type,
            o.target.average_value.unwrap()
        ),
        "AverageValue 500"
    );
    // Errors name the v2beta1 field as written, with its line.
    let e = err(
        &v2beta1.replace(
            "targetAverageUtilization: 70",
            "targetAverageUtilization: high",
        ),
        None,
    );
    assert!(
        e.starts_with(
            "spec.metrics[0].resource.targetAverageUtilization: is the text \"high\"; expected a whole number"
        ),
        "{e}"
    );
    assert!(e.ends_with("at line 9"), "{e}");
    let e = err(
        &v2beta1.replace(
            "targetAverageUtilization: 70",
            "targetAverageUtilization: 0",
        ),
        None,
    );
    assert_eq!(e, "spec.metrics[0].resource.targetAverageUtilization: must be greater than 0, got 0 at line 9");
    let e = err(
        &v2beta1.replace(
            "metricName: packets-per-second",
            "metricname: packets-per-second",
        ),
        None,
    );
    assert!(
        e.starts_with("spec.metrics[2].pods: unknown field \"metricname\""),
        "{e}"
    );
    // The behavior annotation (the API server's round-trip; Go field names).
    let with_behavior = v2beta1.replace(
        "  name: shop\n",
        "  name: shop\n  annotations:\n    autoscaling.alpha.kubernetes.io/behavior: '{\"ScaleUp\":{\"StabilizationWindowSeconds\":60,\"SelectPolicy\":\"Max\",\"Policies\":[{\"Type\":\"Pods\",\"Value\":2,\"PeriodSeconds\":30}]},\"ScaleDown\":null}'\n",
    );
    let b = spec(&with_behavior).behavior.unwrap();
    let up = b.scale_up.unwrap();
    assert_eq!(up.stabilization_window_seconds, Some(60));
    assert_eq!(up.policies.unwrap()[0].value, 2);
}

#[test]
fn autoscaling_v2beta2_reads_as_v2_and_its_tolerance_annotations_too() {
    let v2beta2 = V2.replace("autoscaling/v2", "autoscaling/v2beta2");
    assert_eq!(spec(&v2beta2), spec(V2));
    let annotated = v2beta2.replace(
        "  name: web\n",
        "  name: web\n  annotations:\n    autoscaling.alpha.kubernetes.io/scale-up-tolerance: \"0.02\"\n",
    );
    let b = spec(&annotated).behavior.unwrap();
    assert_eq!(b.scale_up.unwrap().tolerance.unwrap().milli, 20);
    let with_field = format!("{v2beta2}  behavior:\n    scaleDown:\n      tolerance: 0.05\n");
    let e = err(&with_field, None);
    assert!(
        e.starts_with("spec.behavior.scaleDown: unknown field \"tolerance\""),
        "{e}"
    );
    assert!(e.ends_with("at line 16"), "{e}");
}

#[test]
fn autoscaling_v1_reads_its_metrics_annotation_and_refuses_v2_fields() {
    let v1 = "\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web
  annotations:
    autoscaling.alpha.kubernetes.io/metrics: '[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"rps\",\"targetAverageValue\":\"100\"}}]'
    autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":\"True\"}]'
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
status:
  currentReplicas: 3
  desiredReplicas: 3
  currentCPUUtilizationPercentage: 41
";
    let s = spec(v1);
    let names: Vec<String> = s
        .metrics
        .iter()
        .map(|m| format!("{:?}", m.source_type))
        .collect();
    assert_eq!(
        names,
        ["Pods", "Resource"],
        "the annotation's metrics first, then CPU"
    );
    assert_eq!(
        s.metrics[1]
            .resource
            .as_ref()
            .unwrap()
            .target
            .average_utilization,
        Some(50)
    );
    // No target: the API default, CPU 80 %.
    let bare =
        spec("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nspec: {maxReplicas: 4}\n");
    assert_eq!(
        bare.metrics[0]
            .resource
            .as_ref()
            .unwrap()
            .target
            .average_utilization,
        Some(80)
    );
    let e = err("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 4\n  metrics: []\n", None);
    assert!(
        e.starts_with("spec: unknown field \"metrics\"") && e.contains("autoscaling/v2"),
        "{e}"
    );
    let e = err("apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 4\n  targetCPUUtilizationPercentage: -5\n", None);
    assert_eq!(
        e,
        "spec.targetCPUUtilizationPercentage: must be greater than 0, got -5 at line 5"
    );
}

// ---- a load column per metric ----

/// A one-metric manifest.
fn one_metric(metric: &str) -> String {
    format!("maxReplicas: 50\nmetrics:\n- {metric}\n")
}

/// The first sync's proposal of `hpa` with `load` from `initial` pods.
fn first_proposal(hpa: &str, load: &str, initial: i32, extra: &[&str]) -> i64 {
    let h = temp_file(&format!("{}.yaml", hpa.len()), hpa);
    let l = temp_file(&format!("{}-{}.csv", hpa.len(), load.len()), load);
    let n = initial.to_string();
    let mut a = vec!["--initial-replicas", n.as_str(), "--until-s", "0"];
    a.extend_from_slice(extra);
    rows(&h, &l, &a)[0]["proposal"].as_i64().unwrap()
}

/// ceil(current × value / target), the HPA's formula (horizontal-pod-autoscale docs).
fn formula(current: f64, value: f64, target: f64) -> i64 {
    (current * value / target).ceil() as i64
}

#[test]
fn a_memory_metric_is_driven_by_a_memory_mib_column() {
    let hpa = one_metric("type: Resource\n  resource: {name: memory, target: {type: Utilization, averageUtilization: 50}}");
    // 4 pods share 6144 MiB: 1536 MiB each, 150 % of a 1024 MiB request, 3 × the 50 % target.
    let p = first_proposal(&hpa, "t_s,memory_mib\n0,6144\n", 4, &[]);
    assert_eq!(p, formula(4.0, 150.0, 50.0));
    // The request is an option: 2048 MiB makes it 75 %.
    let p = first_proposal(
        &hpa,
        "t_s,memory_mib\n0,6144\n",
        4,
        &["--memory-request-mib", "2048"],
    );
    assert_eq!(p, formula(4.0, 75.0, 50.0));
    let avg = one_metric("type: Resource\n  resource: {name: memory, target: {type: AverageValue, averageValue: 512Mi}}");
    assert_eq!(
        first_proposal(&avg, "t_s,memory_mib\n0,6144\n", 4, &[]),
        formula(4.0, 1536.0, 512.0)
    );
}

#[test]
fn cpu_and_memory_together_take_the_larger_proposal_at_every_sync() {
    let cpu = "type: Resource\n  resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}";
    let mem = "type: Resource\n  resource: {name: memory, target: {type: Utilization, averageUtilization: 50}}";
    let both = format!("maxReplicas: 50\nmetrics:\n- {cpu}\n- {mem}\n");
    // CPU leads first, memory later.
    let load = "t_s,cpu_m,memory_mib\n0,4000,1024\n120,1000,8192\n";
    let run = |hpa: &str, name: &str| {
        rows(
            &temp_file(name, hpa),
            &temp_file("both.csv", load),
            &["--initial-replicas", "2", "--until-s", "240"],
        )
    };
    let b = run(&both, "both.yaml");
    let c = run(&one_metric(cpu), "cpu.yaml");
    let m = run(&one_metric(mem), "mem.yaml");
    // At t = 0 both runs start from 2 pods: the proposal is the larger one.
    let p = |r: &[serde_json::Value]| r[0]["proposal"].as_i64().unwrap();
    assert_eq!(p(&b), p(&c).max(p(&m)));
    assert_eq!(
        p(&b),
        formula(2.0, 200.0, 50.0),
        "CPU: 2000 m per pod = 200 %"
    );
    // After the memory step the memory proposal rules: 8192 MiB over the pods at 50 % of 1 GiB.
    let at = |r: &[serde_json::Value], t: f64| r.iter().find(|x| x["t_s"] == t).cloned().unwrap();
    let row = at(&b, 135.0);
    let current = row["replicas_before"].as_f64().unwrap();
    let ready = row["ready"].as_f64().unwrap();
    let per_pod_pct = (8192.0 / ready).floor() / 1024.0 * 100.0;
    assert_eq!(
        row["proposal"].as_i64().unwrap(),
        formula(current, per_pod_pct, 50.0).max(1)
    );
}

#[test]
fn pods_object_and_external_metrics_are_driven_by_columns_named_after_them() {
    // Pods: 3 pods share 9000 packets/s: 3000 each against 1k per pod.
    let pods = one_metric("type: Pods\n  pods: {metric: {name: packets-per-second}, target: {type: AverageValue, averageValue: 1k}}");
    assert_eq!(
        first_proposal(&pods, "t_s,packets-per-second\n0,9000\n", 3, &[]),
        formula(3.0, 3000.0, 1000.0)
    );
    // Object, Value target: the ratio applies to the ready pods.
    let object = one_metric("type: Object\n  object: {describedObject: {kind: Ingress, name: main}, metric: {name: requests-per-second}, target: {type: Value, value: 2k}}");
    assert_eq!(
        first_proposal(&object, "t_s,requests-per-second\n0,5000\n", 4, &[]),
        formula(4.0, 5000.0, 2000.0)
    );
    // External, AverageValue target: the value divided by the target.
    let external = one_metric("type: External\n  external: {metric: {name: queue_messages_ready}, target: {type: AverageValue, averageValue: \"30\"}}");
    assert_eq!(
        first_proposal(&external, "t_s,queue_messages_ready\n0,301.5\n", 2, &[]),
        (301.5f64 / 30.0).ceil() as i64
    );
    // All five at once: one CSV, the largest proposal wins.
    let load = "t_s,cpu_m,memory_mib,packets-per-second,requests-per-second,queue_messages_ready\n0,1000,800,2000,1000,600\n";
    let p = first_proposal(V2_ALL_TYPES, load, 2, &[]);
    let want = [
        formula(2.0, 50.0, 70.0),
        formula(2.0, 400.0, 400.0),
        formula(2.0, 1000.0, 1000.0),
        formula(2.0, 1000.0, 2000.0),
        (600.0f64 / 30.0).ceil() as i64,
    ];
    assert_eq!(p, *want.iter().max().unwrap());
}

#[test]
fn a_missing_column_names_the_metric_the_column_and_the_columns_found() {
    let h = temp_file("all.yaml", V2_ALL_TYPES);
    let l = temp_file(
        "some.csv",
        "t_s,cpu_m,memory_mib,packets_per_second\n0,1,1,1\n",
    );
    let e = cli(&["--hpa", &h, "--load", &l]).unwrap_err();
    assert_eq!(
        e,
        format!("{l}:1: no column `packets-per-second` for metric \"packets-per-second\" (spec.metrics[2], Pods); columns found: t_s, cpu_m, memory_mib, packets_per_second")
    );
}

#[test]
fn a_bad_load_names_its_line_and_column() {
    let check = |text: &str, want: &str| {
        let e = parse_load("l.csv", text).unwrap_err();
        assert_eq!(e, want);
    };
    check(
        "t_s,cpu_m,rps\n0,1,2\n\n15,1,x\n",
        "l.csv:4: rps \"x\" is not a number",
    );
    check(
        "t_s,cpu_m,rps\n0,1,2\n15,1\n",
        "l.csv:3: expected 3 columns (t_s,cpu_m,rps), found 2",
    );
    check(
        "t_s,cpu_m,rps\n0,1.5,2\n",
        "l.csv:2: cpu_m \"1.5\" must be a whole number of millicores",
    );
    check(
        "t_s,rps\n0,-2\n",
        "l.csv:2: rps \"-2\" must be a number from 0 to 1e12 (the metric's unit, per pod)",
    );
    check(
        "time,cpu_m\n0,1\n",
        "l.csv:1: the first column must be `t_s` (seconds), found `time`",
    );
    check(
        "t_s,cpu_m,cpu_m\n0,1,1\n",
        "l.csv:1: column `cpu_m` appears twice",
    );
    check("0,1,2\n", "l.csv:1: without a header the rows are `t_s,cpu_m`; found 3 columns (add a header such as t_s,cpu_m,memory_mib)");
    // An empty cell keeps the previous value; a BOM and CRLF are fine.
    let load = parse_load("l.csv", "\u{feff}t_s,cpu_m,rps\r\n0,100,5\r\n10,,7\r\n").unwrap();
    assert_eq!(load.steps(0), vec![(0.0, 100.0), (10.0, 100.0)]);
    assert_eq!(load.steps(1), vec![(0.0, 5.0), (10.0, 7.0)]);
}

#[test]
fn per_hpa_tolerance_is_honoured_from_kubernetes_1_35_and_ignored_before() {
    // 4 pods at 105 % of the target: inside the cluster's 10 % band, outside a 0 tolerance.
    let hpa = format!(
        "{}  behavior:\n    scaleUp:\n      tolerance: 0\n",
        V2.replace("minReplicas: 2", "minReplicas: 1")
    );
    let h = temp_file("tol.yaml", &hpa);
    let l = temp_file("tol.csv", "t_s,cpu_m\n0,2520\n");
    let run = |v: &str| {
        rows(
            &h,
            &l,
            &[
                "--initial-replicas",
                "4",
                "--until-s",
                "0",
                "--kube-version",
                v,
            ],
        )
    };
    let held = run("1.34");
    assert_eq!(held[0]["replicas_after"], 4);
    assert!(held[0]["limited_by"]
        .as_str()
        .unwrap()
        .contains("inside the tolerance band"));
    assert_eq!(run("1.35")[0]["replicas_after"], formula(4.0, 63.0, 60.0));
    assert_eq!(run("1.32")[0]["replicas_after"], 4);
    // The table says which version was assumed and what became of the field.
    let table = |v: &[&str]| {
        let mut a = vec!["--hpa", h.as_str(), "--load", l.as_str(), "--until-s", "0"];
        a.extend_from_slice(v);
        cli(&a).unwrap()
    };
    let t = table(&[]);
    assert!(t.contains("# Kubernetes 1.34 assumed (--kube-version): per-HPA tolerance ignored (behavior.scaleUp.tolerance 0 %)"), "{t}");
    assert!(
        t.contains("HPAConfigurableTolerance is alpha and off by default"),
        "{t}"
    );
    let t = table(&["--kube-version", "v1.35.0"]);
    assert!(t.contains("# Kubernetes 1.35 assumed (--kube-version): per-HPA tolerance honoured (behavior.scaleUp.tolerance 0 %"), "{t}");
    let e = cli(&["--hpa", &h, "--load", &l, "--kube-version", "2.1"]).unwrap_err();
    assert_eq!(
        e,
        "--kube-version expects a release such as 1.34 (1.1–1.99), got `2.1`"
    );
    assert_eq!(OptionKey::KubeVersion.default_words(), "1.34");
    assert_eq!(HpaRunOptions::default().kube_version.to_string(), "1.34");
}

#[test]
fn the_example_hpa_with_all_three_metrics_scales_on_whichever_asks_for_the_most_pods() {
    // examples/hpa/seed001-hpa-all-metrics.yaml: CPU 70 %, memory 80 %, 1,000 requests/s per
    // pod. The load spikes CPU at 1:00, memory at 15:00 and requests at 30:00.
    let root = env!("CARGO_MANIFEST_DIR");
    let hpa = format!("{root}/examples/hpa/seed001-hpa-all-metrics.yaml");
    let load = format!("{root}/examples/hpa/seed001-all-metrics.csv");
    let r = rows(&hpa, &load, &[]);
    let after_at = |t: f64| {
        r.iter()
            .find(|row| (row["t_s"].as_f64().unwrap() - t).abs() < 1e-9)
            .map(|row| row["replicas_after"].as_i64().unwrap())
            .unwrap()
    };
    // CPU: 21,000 m over 3 pods of 1,000 m is 700 %: the scale-up policy allows 8.
    assert_eq!(after_at(60.0), 8);
    // Memory: 14,000 MiB over 15 pods of 1,024 MiB is 91 % of requests, target 80 %:
    // ceil(15 × 91.1 / 80) = 18 pods, though CPU asks for 3.
    assert_eq!(after_at(900.0), 18);
    // Requests: 16,000/s over 13 pods, 1,000 per pod: 16 pods.
    assert_eq!(after_at(1800.0), 16);
}
