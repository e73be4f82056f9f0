//! Parsing real HorizontalPodAutoscaler manifests: API defaults, quantities, validation, error
//! messages with field paths and lines, and no panic on any input.

use proptest::prelude::*;
use scalesim::sim::hpa::spec::{
    parse_quantity_milli, HpaScalingPolicy, MetricSourceType, MetricTargetType, SelectPolicy,
};
use scalesim::sim::hpa::{parse_manifest, HpaSpec, PolicyType};

const FULL: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/hpa/seed001-hpa.yaml"
));

#[test]
fn a_full_manifest_and_its_bare_spec_give_the_same_hpa() {
    let full = parse_manifest(FULL).unwrap();
    let spec_only: String = FULL
        .lines()
        .skip_while(|l| !l.starts_with("spec:"))
        .skip(1)
        .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
        .collect();
    assert_eq!(parse_manifest(&spec_only).unwrap(), full);
    assert_eq!((full.min_replicas, full.max_replicas), (3, 20));
    let up = full.behavior.as_ref().unwrap().scale_up.as_ref().unwrap();
    assert_eq!(
        up.stabilization_window_seconds,
        Some(0),
        "default filled in"
    );
    assert_eq!(
        up.policies.as_ref().unwrap()[1],
        HpaScalingPolicy {
            policy_type: PolicyType::Pods,
            value: 5,
            period_seconds: 30
        }
    );
    let down = full.behavior.as_ref().unwrap().scale_down.as_ref().unwrap();
    assert_eq!(
        down.stabilization_window_seconds, None,
        "left to the controller flag (300 s)"
    );
}

#[test]
fn json_is_accepted_too() {
    let json = r#"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},
      "spec":{"maxReplicas":7,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}]}}"#;
    let spec = parse_manifest(json).unwrap();
    assert_eq!((spec.min_replicas, spec.max_replicas), (1, 7));
}

#[test]
fn an_hpa_without_metrics_targets_80_percent_cpu_and_min_one_pod() {
    let spec = parse_manifest("maxReplicas: 5\n").unwrap();
    assert_eq!(spec.min_replicas, 1);
    assert_eq!(spec.metrics.len(), 1);
    let r = spec.metrics[0].resource.as_ref().unwrap();
    assert_eq!(
        (r.name.as_str(), r.target.average_utilization),
        ("cpu", Some(80))
    );
    assert!(
        spec.behavior.is_none(),
        "omitted behavior keeps the legacy path"
    );
}

#[test]
fn an_empty_behavior_gets_every_documented_default() {
    let spec = parse_manifest("maxReplicas: 5\nbehavior: {}\n").unwrap();
    let b = spec.behavior.unwrap();
    let up = b.scale_up.unwrap();
    assert_eq!(up.select_policy, Some(SelectPolicy::Max));
    assert_eq!(up.policies.unwrap().len(), 2);
    let down = b.scale_down.unwrap();
    assert_eq!(
        down.policies.unwrap(),
        vec![HpaScalingPolicy {
            policy_type: PolicyType::Percent,
            value: 100,
            period_seconds: 15
        }]
    );
}

#[test]
fn user_policies_replace_all_default_policies_of_that_direction() {
    let spec = parse_manifest(
        "maxReplicas: 5\nbehavior:\n  scaleUp:\n    policies:\n    - {type: Pods, value: 1, periodSeconds: 60}\n",
    )
    .unwrap();
    let up = spec.behavior.unwrap().scale_up.unwrap();
    assert_eq!(up.policies.unwrap().len(), 1);
    assert_eq!(up.stabilization_window_seconds, Some(0));
}

#[test]
fn quantities_are_read_as_milli_units() {
    assert_eq!(parse_quantity_milli("500m"), Ok(500));
    assert_eq!(parse_quantity_milli("1"), Ok(1000));
    assert_eq!(parse_quantity_milli("1.5"), Ok(1500));
    assert_eq!(parse_quantity_milli("0.1"), Ok(100));
    assert_eq!(parse_quantity_milli("2Gi"), Ok(2 * (1 << 30) * 1000));
    assert_eq!(parse_quantity_milli("100Mi"), Ok(100 * (1 << 20) * 1000));
    assert_eq!(parse_quantity_milli("10k"), Ok(10_000_000));
    assert_eq!(parse_quantity_milli("1e3"), Ok(1_000_000));
    assert_eq!(
        parse_quantity_milli("0.0001"),
        Ok(1),
        "MilliValue rounds up"
    );
    assert!(parse_quantity_milli("12x").is_err());
    assert!(parse_quantity_milli("").is_err());
    assert!(parse_quantity_milli("1..2").is_err());
    assert!(parse_quantity_milli("999999999Ei").is_err(), "too large");
    let spec = parse_manifest(
        "maxReplicas: 5\nmetrics:\n- type: Pods\n  pods:\n    metric: {name: rps}\n    target: {type: AverageValue, averageValue: 0.5}\n",
    )
    .unwrap();
    assert_eq!(spec.metrics[0].source_type, MetricSourceType::Pods);
    let t = &spec.metrics[0].pods.as_ref().unwrap().target;
    assert_eq!(
        (t.target_type, t.average_value.unwrap().milli),
        (MetricTargetType::AverageValue, 500)
    );
    // A refusal shows the number as written, the Kubernetes form beside it.
    let e = parse_manifest("maxReplicas: 5\nbehavior:\n  scaleUp:\n    tolerance: -0.5\n")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "behavior.scaleUp.tolerance: must not be negative, got -0.5 (-500m); expected a quantity \
         from 0 (0.1 is 10 %) to 9,223,372,036,854,775.807 (about 9.2P) at line 4"
    );
    let e = parse_manifest("maxReplicas: 5\nbehavior:\n  scaleUp:\n    tolerance: -2\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("got -2; expected"), "{e}");
}

fn err(text: &str) -> String {
    parse_manifest(text).unwrap_err().to_string()
}

#[test]
fn a_misspelled_policy_type_names_the_field_path_and_line() {
    let text = FULL.replacen(
        "- type: Pods\n        value: 5",
        "- type: Pod\n        value: 5",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.trim() == "- type: Pod")
        .unwrap()
        + 1;
    assert_eq!(
        err(&text),
        format!(
            "spec.behavior.scaleUp.policies[1].type: unknown variant \"Pod\", expected \"Pods\" or \"Percent\" at line {line}"
        )
    );
}

#[test]
fn validation_errors_name_the_field_and_its_line() {
    let text = FULL.replace(
        "periodSeconds: 300\n      - type: Pods",
        "periodSeconds: 3000\n      - type: Pods",
    );
    let line = text
        .lines()
        .position(|l| l.contains("periodSeconds: 3000"))
        .unwrap()
        + 1;
    assert_eq!(
        err(&text),
        format!("spec.behavior.scaleDown.policies[0].periodSeconds: must be between 1 and 1800, got 3000 at line {line}")
    );
    let e = err("maxReplicas: 3\nminReplicas: 5\n");
    assert_eq!(e, "minReplicas: 5 is greater than maxReplicas 3 at line 2");
    assert!(err("maxReplicas: 0\n").starts_with("maxReplicas: must be at least 1"));
    assert!(
        err("maxReplicas: 5\nbehavior:\n  scaleDown: {stabilizationWindowSeconds: 3601}\n")
            .contains("behavior.scaleDown.stabilizationWindowSeconds: must be between 0 and 3600")
    );
    assert!(err("maxReplicas: 5\nbehavior:\n  scaleUp:\n    policies:\n    - {type: Pods, value: 4, periodSeconds: 0}\n")
        .contains("policies[0].periodSeconds"));
    assert!(
        err("maxReplicas: 5\nbehavior:\n  scaleUp:\n    policies: []\n")
            .contains("at least one policy")
    );
    let e = err("maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target: {type: Utilization, averageUtilization: 0}\n");
    assert!(
        e.starts_with("metrics[0].resource.target.averageUtilization: must be greater than 0"),
        "{e}"
    );
    let e = err("maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target: {type: Value, value: 1}\n");
    assert!(e.starts_with("metrics[0].resource.target.type"), "{e}");
    let e = err("maxReplicas: 5\nmetrics:\n- type: Pods\n");
    assert!(e.starts_with("metrics[0].pods: is required"), "{e}");
    let e = err("maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: gpu\n    target: {type: Utilization, averageUtilization: 50}\n");
    assert!(e.contains("\"gpu\" is not modeled"), "{e}");
}

#[test]
fn the_wrong_kind_or_api_version_or_a_typo_is_reported() {
    assert!(err("apiVersion: apps/v1\nkind: Deployment\nspec: {}\n")
        .starts_with("kind: expected \"HorizontalPodAutoscaler\""));
    let e =
        err("apiVersion: autoscaling/v3\nkind: HorizontalPodAutoscaler\nspec: {maxReplicas: 3}\n");
    assert!(
        e.starts_with("apiVersion: expected \"autoscaling/v2\"") && e.ends_with("at line 1"),
        "{e}"
    );
    let e = err("maxReplicas: 5\nbehaviour: {}\n");
    assert!(e.contains("unknown field \"behaviour\""), "{e}");
    assert!(e.ends_with("at line 2"), "{e}");
    assert!(err("minReplicas: 2\n").contains("\"maxReplicas\" is required and not written"));
    assert!(err("").contains("empty"));
    assert!(err("- 1\n- 2\n").contains("expected a mapping"));
    assert!(err("maxReplicas: [\n").contains("line"));
}

#[test]
fn a_spec_survives_a_serde_round_trip() {
    let spec = parse_manifest(FULL).unwrap();
    let json = serde_json::to_string(&spec).unwrap();
    let back: HpaSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(back, spec);
    assert_eq!(parse_manifest(&json).unwrap(), spec);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_parsed_or_rejected_without_a_panic(text in "\\PC{0,200}") {
        let _ = parse_manifest(&text);
    }

    #[test]
    fn any_mutation_of_a_valid_manifest_is_parsed_or_rejected_without_a_panic(
        cut_at in 0usize..2000,
        cut_len in 0usize..40,
        insert in "[ -~\\n\\t]{0,12}",
        line_to_drop in 0usize..60,
    ) {
        let chars: Vec<char> = FULL.chars().collect();
        let at = cut_at.min(chars.len());
        let end = (at + cut_len).min(chars.len());
        let mut mutated: String = chars[..at].iter().collect();
        mutated.push_str(&insert);
        mutated.extend(chars[end..].iter());
        let _ = parse_manifest(&mutated);
        let dropped: String = FULL
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != line_to_drop)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        match parse_manifest(&dropped) {
            Ok(spec) => prop_assert!(spec.validate().is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn any_numbers_in_the_fields_are_validated_without_a_panic(
        min in -5i64..100, max in -5i64..100, period in -10i64..4000, window in -10i64..5000,
        value in -3i64..300, pct in -5i64..300,
    ) {
        let text = format!(
            "minReplicas: {min}\nmaxReplicas: {max}\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target: {{type: Utilization, averageUtilization: {pct}}}\nbehavior:\n  scaleDown:\n    stabilizationWindowSeconds: {window}\n    policies:\n    - {{type: Percent, value: {value}, periodSeconds: {period}}}\n"
        );
        let ok = (1..=max).contains(&min) && (1..=1800).contains(&period)
            && (0..=3600).contains(&window) && value > 0 && pct > 0;
        prop_assert_eq!(parse_manifest(&text).is_ok(), ok, "{}", text);
    }
}

#[test]
fn hostile_yaml_is_rejected_without_a_panic() {
    let deep = "[".repeat(10_000);
    assert!(parse_manifest(&deep).is_err());
    let deep_map = "a:\n".to_string() + &" b:\n".repeat(2000);
    assert!(parse_manifest(&deep_map).is_err());
    let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    assert!(parse_manifest(laughs).is_err());
    assert!(parse_manifest("maxReplicas: 99999999999999999999999\n").is_err());
    assert!(parse_manifest("maxReplicas: 5\nmetrics:\n- type: Pods\n  pods:\n    metric: {name: x}\n    target: {type: AverageValue, averageValue: .nan}\n").is_err());
    assert!(parse_manifest("maxReplicas: 5\n---\nmaxReplicas: 6\n").is_err());
}

#[test]
fn a_path_names_the_field_as_the_file_writes_it_spec_or_not() {
    // Regression: a file that is only a spec has no `spec.`; a whole object has.
    let bare = "minReplicas: 1\nmaxReplicas: 1.5\n";
    let full = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 1\n  maxReplicas: 1.5\n";
    assert_eq!(
        err(bare),
        "maxReplicas: is 1.5; expected a whole number at line 2"
    );
    assert_eq!(
        err(full),
        "spec.maxReplicas: is 1.5; expected a whole number at line 5"
    );
    // The same for a validation refusal and a YAML one.
    assert!(err("maxReplicas: 0\n").starts_with("maxReplicas: "));
    assert!(err(&full.replace("1.5", "0")).starts_with("spec.maxReplicas: "));
    assert!(err(&bare.replace("1.5", ".inf")).starts_with("maxReplicas: "));
    assert!(err(&full.replace("1.5", ".inf")).starts_with("spec.maxReplicas: "));
}

#[test]
fn a_quantity_refusal_states_the_accepted_range() {
    // Regression: too large, an exponent past the parser, zero and negative targets.
    let target = |q: &str| {
        format!("maxReplicas: 5\nmetrics:\n- type: Pods\n  pods:\n    metric: {{name: rps}}\n    target: {{type: AverageValue, averageValue: {q}}}\n")
    };
    for q in [
        "\"1E\"",
        "\"9e18\"",
        "\"1e300\"",
        "1e300",
        "9e18",
        "\"1Ei\"",
    ] {
        let e = err(&target(q));
        assert!(
            e.starts_with("metrics[0].pods.target.averageValue: quantity "),
            "{q}: {e}"
        );
        assert!(
            e.contains("at most 9,223,372,036,854,775.807 (about 9.2P) in the field's unit"),
            "{q}: {e}"
        );
        assert!(
            !e.contains("exponent out of range") && !e.contains("digits"),
            "{e}"
        );
    }
    for q in ["\"0\"", "\"-5\""] {
        let e = err(&target(q));
        assert!(
            e.contains("; expected a quantity above 0 and at most 9,223,372,036,854,775.807 (about 9.2P) in the metric's unit"),
            "{q}: {e}"
        );
    }
    // A CPU target is in cores.
    let e = err("maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target: {type: AverageValue, averageValue: \"0\"}\n");
    assert!(e.contains("(about 9.2P) cores"), "{e}");
    // A tiny exponent rounds up to 1m, as MilliValue does; the largest quantity is read.
    assert!(parse_manifest(&target("\"1e-300\"")).is_ok());
    assert!(parse_manifest(&target("\"9223372036854775807m\"")).is_ok());
}
