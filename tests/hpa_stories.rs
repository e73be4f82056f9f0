//! HPA stories (docs/models.md#hpa): each beat is asserted where it happens.

mod fixtures;
use fixtures::hpa_metrics::View;
use scalesim::sim::hpa::{
    parse_manifest, simulate_cpu, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision,
    HpaMetrics, HpaPod, LimitReason, PodPhase, PolicyType,
};

const SEED001_HPA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/hpa/seed001-hpa.yaml"
));

/// 3 pods at 70 % of 1000m; 10× (21000m) for 60 ≤ t ≤ 600 s; back to 2100m after.
fn spike_10x(until_s: f64) -> CpuWorkload {
    CpuWorkload {
        demand_steps: vec![(0.0, 2100), (60.0, 21000), (615.0, 2100)],
        initial_replicas: 3,
        cpu_request_m: 1000,
        cpu_limit_m: None,
        ready_delay_s: 0.0,
        t_start_s: 0.0,
        until_s,
        sync_period_s: 15.0,
    }
}

fn at(rows: &[HpaDecision], t_s: f64) -> &HpaDecision {
    rows.iter()
        .find(|r| r.t_s == t_s)
        .unwrap_or_else(|| panic!("no sync at t = {t_s}"))
}

fn yaml_hpa(min: i32, max: i32, behavior: &str) -> String {
    format!(
        "minReplicas: {min}\nmaxReplicas: {max}\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target:\n      type: Utilization\n      averageUtilization: 70\n{behavior}"
    )
}

#[test]
fn the_example_hpa_under_a_10x_spike_adds_5_pods_per_30_s_then_removes_a_quarter_every_5_minutes() {
    // Where the seed's timeline disagrees with the real algorithm: the seed writes 3 → 8 at T+30 s
    // and 8 → 12 at T+60 s. The HPA only acts on the first sync that sees the load, and from 8
    // pods "50 % or 5 pods, whichever is higher" is max(ceil(8 × 1.5) = 12, 8 + 5 = 13) = 13; the
    // +5 of the first step also stays inside the 30 s period, so the second step comes 30 s later.
    let spec = parse_manifest(SEED001_HPA).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let rows = simulate_cpu(&mut hpa, &spike_10x(2400.0));

    // T+60 s: CPU at 700 %, the HPA wants 30 pods; max(50 % of 3 → 5, 3 + 5 → 8) allows 8.
    let r = at(&rows, 60.0);
    assert_eq!(
        (r.utilization_pct, r.proposal, r.replicas_after),
        (Some(700), 30, 8)
    );
    assert_eq!(
        r.limited_by,
        LimitReason::RatePolicy {
            up: true,
            policy_type: PolicyType::Pods,
            value: 5,
            period_s: 30,
            limit: 8
        }
    );
    // T+75 s: the +5 is still inside the 30 s period: hold.
    assert_eq!(at(&rows, 75.0).replicas_after, 8);
    // T+90 s: 8 → 13; T+120 s: 13 → 20, the ceiling.
    assert_eq!(at(&rows, 90.0).replicas_after, 13);
    assert_eq!(at(&rows, 105.0).replicas_after, 13);
    let r = at(&rows, 120.0);
    assert_eq!(
        (r.replicas_after, r.limited_by),
        (20, LimitReason::MaxReplicas { max: 20 })
    );

    // The load drops after T+600 s; the 300 s window holds 20 pods until T+900 s.
    let r = at(&rows, 615.0);
    assert_eq!((r.proposal, r.replicas_after), (3, 20));
    assert_eq!(
        r.limited_by,
        LimitReason::ScaleDownStabilization {
            window_s: 300.0,
            highest: 30,
            wanted: 3,
            to: 20,
            current: 20
        }
    );
    assert_eq!(at(&rows, 885.0).replicas_after, 20);
    // Then one step per 300 s period: 25 % of the pods or 2 pods, whichever is more.
    for (t, pods) in [
        (900.0, 15),
        (1200.0, 11),
        (1500.0, 8),
        (1800.0, 6),
        (2100.0, 4),
    ] {
        let r = at(&rows, t);
        assert_eq!(r.replicas_after, pods, "t = {t}");
        assert!(
            matches!(r.limited_by, LimitReason::RatePolicy { up: false, .. }),
            "t = {t}"
        );
        assert_eq!(
            at(&rows, t + 285.0).replicas_after,
            pods,
            "held until t = {}",
            t + 285.0
        );
    }
    let r = at(&rows, 2400.0);
    assert_eq!(
        (r.replicas_after, r.limited_by),
        (3, LimitReason::None),
        "the metrics asked for 3"
    );

    let mut changes = vec![3];
    for r in &rows {
        if r.replicas_after != *changes.last().unwrap() {
            changes.push(r.replicas_after);
        }
    }
    assert_eq!(changes, vec![3, 8, 13, 20, 15, 11, 8, 6, 4, 3]);
}

#[test]
fn default_behavior_doubles_3_7_14_28_and_then_sits_inside_the_tolerance_band() {
    let spec = parse_manifest(&yaml_hpa(3, 50, "behavior: {}\n")).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let rows = simulate_cpu(&mut hpa, &spike_10x(960.0));
    let r = at(&rows, 60.0);
    assert_eq!(r.replicas_after, 7);
    assert_eq!(
        r.limited_by.describe(),
        "limited by the 4-pods-per-15 s scale-up policy: at most 7 pods now"
    );
    let r = at(&rows, 75.0);
    assert_eq!(r.replicas_after, 14);
    assert_eq!(
        r.limited_by.describe(),
        "limited by the 100 %-per-15 s scale-up policy: at most 14 pods now"
    );
    assert_eq!(at(&rows, 90.0).replicas_after, 28);
    // 28 pods at 75 %: 75/70 = 1.071 is inside ±10 %, so it never reaches the ideal 30.
    let r = at(&rows, 105.0);
    assert_eq!((r.utilization_pct, r.replicas_after), (Some(75), 28));
    assert!(matches!(
        r.limited_by,
        LimitReason::WithinTolerance { ratio, target_pct: Some(70), .. } if ratio == 75.0 / 70.0
    ));
    assert_eq!(at(&rows, 885.0).replicas_after, 28);
    assert_eq!(at(&rows, 900.0).replicas_after, 3);
}

#[test]
fn without_behavior_the_legacy_path_keeps_scaling_up_after_the_load_drops() {
    // A 30-second burst: 21000m at t = 60 and 75, back to 2100m from t = 90.
    let mut w = spike_10x(300.0);
    w.demand_steps = vec![(0.0, 2100), (60.0, 21000), (90.0, 2100)];

    let legacy = parse_manifest(&yaml_hpa(3, 50, "")).unwrap();
    let mut hpa = HpaController::new(legacy, HpaControllerConfig::default());
    assert!(hpa.is_legacy());
    let rows = simulate_cpu(&mut hpa, &w);
    assert_eq!(at(&rows, 60.0).replicas_after, 6);
    assert_eq!(
        at(&rows, 60.0).limited_by,
        LimitReason::LegacyScaleUpLimit {
            current: 3,
            limit: 6
        }
    );
    assert_eq!(at(&rows, 75.0).replicas_after, 12);
    // The load is back to 3 pods' worth, yet the 300 s maximum (30) still drives it up.
    let r = at(&rows, 90.0);
    assert_eq!((r.proposal, r.replicas_after), (3, 24));
    // 24 → 30 on a load of 3 pods: the window's 30 is an ask the cap cut at 60 s.
    let r = at(&rows, 105.0);
    assert_eq!(
        (r.proposal, r.replicas_before, r.replicas_after),
        (3, 24, 30)
    );
    assert_eq!(
        r.limited_by,
        LimitReason::ScaleDownStabilization {
            window_s: 300.0,
            highest: 30,
            wanted: 3,
            to: 30,
            current: 24
        }
    );
    let words = r.limited_by.describe();
    assert!(!words.contains("no lower than that"), "{words}");
    assert_eq!(
        words,
        "scale-down stabilization raises 24 to 30: the highest recommendation in the last 300 s was 30, an earlier ask the scale-up cap held back, and the HPA goes no lower than it even though the metrics now ask for 3"
    );

    let with_behavior = parse_manifest(&yaml_hpa(3, 50, "behavior: {}\n")).unwrap();
    let mut hpa = HpaController::new(with_behavior, HpaControllerConfig::default());
    let rows = simulate_cpu(&mut hpa, &w);
    assert_eq!(at(&rows, 75.0).replicas_after, 14);
    // The behavior path only holds between the current count and the window's maximum.
    let r = at(&rows, 90.0);
    assert_eq!((r.proposal, r.replicas_after), (3, 14));
    assert!(matches!(
        r.limited_by,
        LimitReason::ScaleDownStabilization {
            highest: 30,
            to: 14,
            ..
        }
    ));
    assert_eq!(at(&rows, 105.0).replicas_after, 14);
}

#[test]
fn a_new_hpa_cannot_scale_down_for_300_s() {
    for behavior in ["behavior: {}\n", ""] {
        let spec = parse_manifest(&yaml_hpa(2, 20, behavior)).unwrap();
        let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
        let mut w = spike_10x(450.0);
        w.initial_replicas = 10;
        w.demand_steps = vec![(0.0, 1000)];
        let rows = simulate_cpu(&mut hpa, &w);
        let r = at(&rows, 0.0);
        assert_eq!((r.proposal, r.replicas_after), (2, 10), "{behavior:?}");
        assert_eq!(
            r.limited_by,
            LimitReason::ScaleDownStabilization {
                window_s: 300.0,
                highest: 10,
                wanted: 2,
                to: 10,
                current: 10
            }
        );
        assert_eq!(at(&rows, 285.0).replicas_after, 10, "{behavior:?}");
        assert_eq!(at(&rows, 300.0).replicas_after, 2, "{behavior:?}");
    }
}

#[test]
fn unready_new_pods_hold_the_count_instead_of_shrinking_it() {
    let spec = parse_manifest(&yaml_hpa(3, 50, "behavior: {}\n")).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let mut w = spike_10x(120.0);
    w.cpu_limit_m = Some(1000);
    w.ready_delay_s = 30.0;
    let rows = simulate_cpu(&mut hpa, &w);
    // t = 60: 3 saturated pods at 100 % → 5; t = 75: 3 ready + 2 unready: hold at 5.
    assert_eq!(at(&rows, 60.0).replicas_after, 5);
    let r = at(&rows, 75.0);
    assert_eq!((r.ready_pods, r.replicas_after), (3, 5));
    assert_eq!(at(&rows, 90.0).replicas_after, 8);
}

fn steady_pod(cpu_m: i64, memory_bytes: i64) -> HpaPod {
    HpaPod {
        phase: PodPhase::Running,
        ready: true,
        start_time_s: Some(-3600.0),
        last_ready_transition_s: Some(-3590.0),
        cpu_usage_m: Some(cpu_m),
        cpu_request_m: 1000,
        memory_usage_bytes: Some(memory_bytes),
        memory_request_bytes: 1 << 30,
        sample_time_s: 0.0,
        sample_window_s: 30.0,
    }
}

const MULTI_METRIC_HPA: &str = r#"
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 40
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 800Mi}}
  - type: Pods
    pods:
      metric: {name: http_requests_per_second}
      target: {type: AverageValue, averageValue: "1k"}
  - type: External
    external:
      metric: {name: queue_messages_ready}
      target: {type: AverageValue, averageValue: "30"}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 0}
"#;

#[test]
fn with_several_metrics_the_largest_proposal_wins() {
    let spec = parse_manifest(MULTI_METRIC_HPA).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    // 4 pods: CPU 35 % (→2), memory 400Mi of 800Mi (→2), 1500 rps per pod vs 1000 (→6), queue 300/30 (→10).
    let view = View {
        pods: vec![steady_pod(350, 400 << 20); 4],
        rps_per_pod_m: Some(1_500_000),
        queue_m: Some(300_000),
    };
    let d = hpa.reconcile(0.0, 4, &view);
    assert_eq!(d.utilization_pct, Some(35));
    assert_eq!(d.proposal, 10);
    assert_eq!(
        d.replicas_after, 8,
        "default scale-up allows max(4 + 4, 2 × 4) = 8"
    );
    assert!(matches!(
        d.limited_by,
        LimitReason::RatePolicy { up: true, .. }
    ));
}

#[test]
fn a_failed_metric_blocks_a_scale_down_but_not_a_scale_up() {
    let spec = parse_manifest(MULTI_METRIC_HPA).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let quiet = View {
        pods: vec![steady_pod(100, 100 << 20); 10],
        rps_per_pod_m: Some(100_000),
        queue_m: None,
    };
    let d = hpa.reconcile(0.0, 10, &quiet);
    assert_eq!((d.proposal, d.replicas_after), (-1, 10));
    assert!(matches!(
        d.limited_by,
        LimitReason::MetricsUnavailable {
            failed: 1,
            total: 4,
            ..
        }
    ));
    let busy = View {
        rps_per_pod_m: Some(2_000_000),
        ..quiet
    };
    let d = hpa.reconcile(15.0, 10, &busy);
    assert_eq!((d.proposal, d.replicas_after), (20, 20));
}

#[test]
fn reconciling_twice_with_the_same_view_gives_the_same_intent() {
    let spec = parse_manifest(MULTI_METRIC_HPA).unwrap();
    let hpa = HpaController::new(spec, HpaControllerConfig::default());
    let view = View {
        pods: vec![steady_pod(900, 400 << 20); 6],
        rps_per_pod_m: Some(900_000),
        queue_m: Some(10_000),
    };
    let (mut a, mut b) = (hpa.clone(), hpa);
    assert_eq!(a.reconcile(30.0, 6, &view), b.reconcile(30.0, 6, &view));
    // The same controller asked twice in one sync: the second answer equals the first.
    let first = a.reconcile(45.0, 6, &view);
    assert_ne!(first.replicas_after, 6, "this sync scales");
    assert_eq!(a.reconcile(45.0, 6, &view), first);
    assert_eq!(a.reconcile(45.0, 6, &view), first);
    // The next sync sees the first answer applied exactly once.
    let next = a.reconcile(60.0, first.replicas_after, &view);
    let mut fresh = b.clone();
    let _ = fresh.reconcile(45.0, 6, &view);
    assert_eq!(fresh.reconcile(60.0, first.replicas_after, &view), next);
}

#[test]
fn replicas_outside_the_bounds_are_clamped_at_once_and_zero_replicas_disable_scaling() {
    let spec = parse_manifest(&yaml_hpa(3, 10, "behavior: {}\n")).unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let view = View {
        pods: vec![steady_pod(700, 0); 25],
        rps_per_pod_m: None,
        queue_m: None,
    };
    let d = hpa.reconcile(0.0, 25, &view);
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (10, LimitReason::MaxReplicas { max: 10 })
    );
    let d = hpa.reconcile(
        15.0,
        0,
        &View {
            pods: vec![],
            ..view
        },
    );
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (0, LimitReason::ScalingDisabled)
    );
}

#[test]
fn a_disabled_direction_never_moves() {
    let spec = parse_manifest(&yaml_hpa(
        1,
        10,
        "behavior:\n  scaleUp: {selectPolicy: Disabled}\n",
    ))
    .unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let view = View {
        pods: vec![steady_pod(1000, 0); 2],
        rps_per_pod_m: None,
        queue_m: None,
    };
    let d = hpa.reconcile(0.0, 2, &view);
    assert_eq!(d.proposal, 3);
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (2, LimitReason::DirectionDisabled { up: true })
    );
    assert_eq!(
        d.limited_by.describe(),
        "held: scale-up is disabled (selectPolicy: Disabled)"
    );
}

#[test]
fn a_per_direction_tolerance_narrows_the_band_upward_only() {
    let spec = parse_manifest(&yaml_hpa(
        1,
        20,
        "behavior:\n  scaleUp: {tolerance: \"0.05\"}\n",
    ))
    .unwrap();
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    assert_eq!(hpa.tolerances().scale_up, 0.05);
    assert_eq!(hpa.tolerances().scale_down, 0.1);
    // 75/70 = 1.071: outside ±5 %, so 10 pods → ceil(10.71) = 11.
    let view = View {
        pods: vec![steady_pod(750, 0); 10],
        rps_per_pod_m: None,
        queue_m: None,
    };
    assert_eq!(hpa.reconcile(0.0, 10, &view).replicas_after, 11);
}

#[test]
fn a_day_of_syncs_keeps_the_history_bounded() {
    for behavior in ["", "behavior: {}\n"] {
        let spec = parse_manifest(&yaml_hpa(3, 60, behavior)).unwrap();
        let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
        let mut w = spike_10x(86_400.0);
        // A sawtooth every 10 minutes keeps it scaling up and down all day.
        w.demand_steps = (0..144)
            .map(|k| (f64::from(k) * 600.0, if k % 2 == 0 { 2100 } else { 30_000 }))
            .collect();
        let rows = simulate_cpu(&mut hpa, &w);
        assert_eq!(rows.len(), 5761);
        assert!(rows.iter().all(|r| (3..=60).contains(&r.replicas_after)));
        assert!(
            hpa.history_len() < 60,
            "history grew to {}",
            hpa.history_len()
        );
    }
}

#[test]
fn an_object_metric_scales_by_its_ratio_times_the_ready_pods() {
    let spec = parse_manifest(
        "maxReplicas: 30\nmetrics:\n- type: Object\n  object:\n    describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}\n    metric: {name: requests_per_second}\n    target: {type: Value, value: 2k}\nbehavior: {}\n",
    )
    .unwrap();
    struct Ingress(Vec<HpaPod>);
    impl HpaMetrics for Ingress {
        fn pods(&self) -> &[HpaPod] {
            &self.0
        }
        fn pod_metric_m(&self, _: &str, _: usize) -> Option<i64> {
            None
        }
        fn external_metric_m(&self, _: &str) -> Option<i64> {
            None
        }
        fn object_metric_m(&self, name: &str) -> Option<i64> {
            (name == "requests_per_second").then_some(3_000_000)
        }
    }
    let mut pods = vec![steady_pod(0, 0); 4];
    pods[3].ready = false; // 3 ready pods × 1.5 → 5 (the unready one is not counted)
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let d = hpa.reconcile(0.0, 4, &Ingress(pods));
    assert_eq!((d.ready_pods, d.proposal, d.replicas_after), (3, 5, 5));
}
