//! One story per [`LimitReason`]: a situation that produces it, the variant with its numbers, and
//! words that fit those numbers. Guards against two old wordings: "held: the metric is inside the tolerance band"
//! beside CPU 127 % against 70 %, and "held by the scale-down stabilization window" beside a
//! change from 11 to 10 pods.

mod fixtures;
use fixtures::hpa_metrics::View;
use scalesim::sim::hpa::{
    parse_manifest, simulate_cpu, CalcError, CpuWorkload, HpaController, HpaControllerConfig,
    HpaDecision, HpaPod, LimitReason, PodPhase, PolicyType, ReadinessEffect,
};

const SEED001_HPA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/hpa/seed001-hpa.yaml"
));

/// A CPU HPA at 70 % with `behavior` (YAML lines, may be empty: the legacy path).
fn hpa(min: i32, max: i32, behavior: &str) -> HpaController {
    let text = format!(
        "minReplicas: {min}\nmaxReplicas: {max}\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target:\n      type: Utilization\n      averageUtilization: 70\n{behavior}"
    );
    HpaController::new(
        parse_manifest(&text).unwrap(),
        HpaControllerConfig::default(),
    )
}

/// A pod ready for an hour, using `cpu_m` of its 1000m request.
fn ready(cpu_m: i64) -> HpaPod {
    HpaPod {
        phase: PodPhase::Running,
        ready: true,
        start_time_s: Some(-3600.0),
        last_ready_transition_s: Some(-3590.0),
        cpu_usage_m: Some(cpu_m),
        cpu_request_m: 1000,
        memory_usage_bytes: None,
        memory_request_bytes: 0,
        sample_time_s: 0.0,
        sample_window_s: 0.0,
    }
}

/// A pod started 10 s before `now_s` and not ready yet.
fn starting(now_s: f64) -> HpaPod {
    HpaPod {
        ready: false,
        start_time_s: Some(now_s - 10.0),
        last_ready_transition_s: Some(now_s - 10.0),
        cpu_usage_m: Some(0),
        sample_time_s: now_s,
        ..ready(0)
    }
}

fn pods(n: usize, cpu_m: i64) -> View {
    View {
        rps_per_pod_m: None,
        pods: vec![ready(cpu_m); n],
        queue_m: None,
    }
}

fn words(d: &HpaDecision) -> String {
    d.limited_by.describe()
}

#[test]
fn none_the_hpa_followed_the_metrics() {
    // 4 pods at 150 %: ceil(1.5 / 0.7 × 4) = 9; the default policy allows max(4 + 4, 2 × 4) = 8.
    // At 105 %: ceil(1.5 × 4) = 6, inside that limit.
    let d = hpa(1, 20, "behavior: {}\n").reconcile(0.0, 4, &pods(4, 1050));
    assert_eq!((d.proposal, d.replicas_after), (6, 6));
    assert_eq!(d.limited_by, LimitReason::None);
    assert_eq!(words(&d), "not limited: the HPA followed the metrics");
}

#[test]
fn within_tolerance_names_the_utilization_the_target_and_the_band() {
    // 75 / 70 = 1.071: inside ±10 %, so 10 pods stay although 11 would be exact.
    let d = hpa(1, 20, "behavior: {}\n").reconcile(0.0, 10, &pods(10, 750));
    assert_eq!((d.utilization_pct, d.replicas_after), (Some(75), 10));
    assert!(matches!(
        d.limited_by,
        LimitReason::WithinTolerance {
            target_pct: Some(70),
            ..
        }
    ));
    assert_eq!(
        words(&d),
        "held: utilization 75 % is inside the tolerance band of the 70 % target (63–77 %)"
    );
}

#[test]
fn scale_up_stabilization_names_the_lowest_recent_recommendation() {
    let mut h = hpa(
        1,
        20,
        "behavior:\n  scaleUp: {stabilizationWindowSeconds: 60}\n",
    );
    // t = 0: 35 % asks for 2 (held at 4 by the default 300 s scale-down window).
    let d = h.reconcile(0.0, 4, &pods(4, 350));
    assert_eq!((d.proposal, d.replicas_after), (2, 4));
    // t = 15: 140 % asks for 8, but 2 was recommended 15 s ago: the count stays at 4.
    let d = h.reconcile(15.0, 4, &pods(4, 1400));
    assert_eq!((d.proposal, d.replicas_after), (8, 4));
    assert_eq!(
        d.limited_by,
        LimitReason::ScaleUpStabilization {
            window_s: 60.0,
            lowest: 2,
            wanted: 8,
            to: 4
        }
    );
    assert_eq!(
        words(&d),
        "scale-up stabilization: the lowest recommendation in the last 60 s was 2 (the metrics now ask for 8), so the HPA keeps 4"
    );
    // t = 90: the 2 and the 8 are older than 60 s; 150 % asks for 6 → 6.
    let d = h.reconcile(90.0, 4, &pods(4, 1050));
    assert_eq!((d.replicas_before, d.replicas_after), (4, 6));
    // t = 105: 93 % asks for 8, but 6 was recommended 15 s ago: no higher than 6.
    let d = h.reconcile(105.0, 6, &pods(6, 933));
    assert_eq!(d.proposal, 8);
    assert_eq!(d.replicas_after, 6);
    assert_eq!(
        words(&d),
        "scale-up stabilization: the lowest recommendation in the last 60 s was 6 (the metrics now ask for 8), and the HPA goes no higher than that"
    );
}

#[test]
fn scale_down_stabilization_that_lets_11_go_to_10_does_not_say_held() {
    // Regression: the legacy window let 11 pods go to 10 and the words said "held".
    let mut h = hpa(1, 20, "");
    let _ = h.reconcile(0.0, 11, &pods(11, 700));
    // t = 200: 60 % asks for ceil(0.857 × 11) = 10; the 11 of t = 0 is still in the window.
    let d = h.reconcile(200.0, 11, &pods(11, 600));
    assert_eq!((d.proposal, d.replicas_after), (10, 11));
    // t = 320: 40 % asks for 7; the highest recommendation of the last 300 s is 10 (t = 200).
    let d = h.reconcile(320.0, 11, &pods(11, 400));
    assert_eq!(
        (d.proposal, d.replicas_before, d.replicas_after),
        (7, 11, 10)
    );
    assert_eq!(
        d.limited_by,
        LimitReason::ScaleDownStabilization {
            window_s: 300.0,
            highest: 10,
            wanted: 7,
            to: 10,
            current: 11
        }
    );
    let w = words(&d);
    assert!(!w.contains("held"), "{w}");
    assert_eq!(
        w,
        "scale-down stabilization: the highest recommendation in the last 300 s was 10 (the metrics now ask for 7), and the HPA goes no lower than that"
    );
}

#[test]
fn scale_down_stabilization_on_the_behavior_path_keeps_the_current_count() {
    // A new HPA recorded its 10 pods at t = 0, so 10 % (asking for 2) keeps 10.
    let d = hpa(1, 20, "behavior: {}\n").reconcile(0.0, 10, &pods(10, 100));
    assert_eq!((d.proposal, d.replicas_after), (2, 10));
    assert_eq!(
        words(&d),
        "scale-down stabilization: the highest recommendation in the last 300 s was 10 (the metrics now ask for 2), and the HPA goes no lower than that"
    );
}

#[test]
fn rate_policies_name_the_policy_and_the_limit_it_allows() {
    let spec = parse_manifest(SEED001_HPA).unwrap();
    let mut h = HpaController::new(spec, HpaControllerConfig::default());
    let w = CpuWorkload {
        demand_steps: vec![(0.0, 2100), (60.0, 21000), (615.0, 2100)],
        initial_replicas: 3,
        cpu_request_m: 1000,
        cpu_limit_m: None,
        ready_delay_s: 0.0,
        t_start_s: 0.0,
        until_s: 900.0,
        sync_period_s: 15.0,
    };
    let rows = simulate_cpu(&mut h, &w);
    let at = |t: f64| rows.iter().find(|r| r.t_s == t).unwrap();
    let d = at(60.0);
    assert_eq!((d.proposal, d.replicas_after), (30, 8));
    assert_eq!(
        d.limited_by,
        LimitReason::RatePolicy {
            up: true,
            policy_type: PolicyType::Pods,
            value: 5,
            period_s: 30,
            limit: 8
        }
    );
    assert_eq!(
        words(d),
        "limited by the 5-pods-per-30 s scale-up policy: at most 8 pods now"
    );
    // t = 900: 20 pods, 25 % of 20 = 5 beats 2 pods: at least 15.
    let d = at(900.0);
    assert_eq!((d.replicas_before, d.replicas_after), (20, 15));
    assert_eq!(
        words(d),
        "limited by the 25 %-per-300 s scale-down policy: at least 15 pods now"
    );
}

#[test]
fn the_legacy_cap_shows_its_arithmetic() {
    let d = hpa(1, 50, "").reconcile(0.0, 3, &pods(3, 7000));
    assert_eq!((d.proposal, d.replicas_after), (30, 6));
    assert_eq!(
        d.limited_by,
        LimitReason::LegacyScaleUpLimit {
            current: 3,
            limit: 6
        }
    );
    assert_eq!(
        words(&d),
        "limited by the legacy scale-up cap (no behavior set): at most max(2 × 3, 4) = 6 pods now"
    );
}

#[test]
fn min_replicas_is_named_with_its_value() {
    let no_window = "behavior:\n  scaleDown: {stabilizationWindowSeconds: 0}\n";
    // 3 pods at 10 % ask for 1: the floor is 3.
    let d = hpa(3, 20, no_window).reconcile(0.0, 3, &pods(3, 100));
    assert_eq!((d.proposal, d.replicas_after), (1, 3));
    assert_eq!(d.limited_by, LimitReason::MinReplicas { min: 3 });
    assert_eq!(words(&d), "at minReplicas 3: the HPA never goes below it");
    // 1 pod below the floor is raised to it without asking the metrics.
    let d = hpa(3, 20, no_window).reconcile(0.0, 1, &pods(1, 100));
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (3, LimitReason::MinReplicas { min: 3 })
    );
}

#[test]
fn max_replicas_is_named_with_its_value() {
    // 10 pods at 140 % ask for 20; the ceiling is 12.
    let d = hpa(1, 12, "behavior: {}\n").reconcile(0.0, 10, &pods(10, 1400));
    assert_eq!((d.proposal, d.replicas_after), (20, 12));
    assert_eq!(d.limited_by, LimitReason::MaxReplicas { max: 12 });
    assert_eq!(words(&d), "at maxReplicas 12: the HPA never goes above it");
    let d = hpa(1, 12, "behavior: {}\n").reconcile(0.0, 25, &pods(25, 700));
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (12, LimitReason::MaxReplicas { max: 12 })
    );
}

#[test]
fn zero_replicas_disable_scaling() {
    let d = hpa(1, 12, "behavior: {}\n").reconcile(0.0, 0, &pods(0, 0));
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (0, LimitReason::ScalingDisabled)
    );
    assert_eq!(words(&d), "scaling disabled: the target has 0 replicas");
}

#[test]
fn unreadable_metrics_say_which_failed_and_why() {
    let mut view = pods(4, 1400);
    view.pods[2].cpu_request_m = 0;
    let d = hpa(1, 12, "behavior: {}\n").reconcile(0.0, 4, &view);
    assert_eq!(
        (d.replicas_after, d.limited_by),
        (
            4,
            LimitReason::MetricsUnavailable {
                failed: 1,
                total: 1,
                first_error: Some(CalcError::MissingRequest)
            }
        )
    );
    assert_eq!(
        words(&d),
        "held: no metric could be read (a pod has no request for the resource)"
    );
    // CPU asks for fewer pods while the queue metric is missing: no scale-down on half the facts.
    let spec = parse_manifest(
        "minReplicas: 1\nmaxReplicas: 20\nmetrics:\n- type: Resource\n  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n- type: External\n  external:\n    metric: {name: queue_messages_ready}\n    target: {type: AverageValue, averageValue: \"30\"}\nbehavior: {}\n",
    )
    .unwrap();
    let mut h = HpaController::new(spec, HpaControllerConfig::default());
    let d = h.reconcile(0.0, 8, &pods(8, 100));
    assert_eq!((d.proposal, d.replicas_after), (-1, 8));
    assert_eq!(
        words(&d),
        "held: 1 of 2 metrics could not be read (the metrics source returned nothing) and the rest ask for fewer pods; the HPA does not scale down on partial metrics"
    );
}

#[test]
fn a_disabled_direction_is_named() {
    let mut h = hpa(
        1,
        20,
        "behavior:\n  scaleDown: {selectPolicy: Disabled, stabilizationWindowSeconds: 0}\n",
    );
    let d = h.reconcile(0.0, 10, &pods(10, 100));
    assert_eq!((d.proposal, d.replicas_after), (2, 10));
    assert_eq!(d.limited_by, LimitReason::DirectionDisabled { up: false });
    assert_eq!(
        words(&d),
        "held: scale-down is disabled (selectPolicy: Disabled)"
    );
}

#[test]
fn cpu_127_pct_held_by_not_ready_pods_is_not_called_the_tolerance_band() {
    // Regression: 127 % against 70 % said "inside the tolerance band". The real cause:
    // 4 new pods are not ready yet, and counted at 0 % they bring the average into the band.
    let mut h = hpa(
        1,
        20,
        "behavior:\n  scaleUp:\n    policies:\n    - {type: Pods, value: 4, periodSeconds: 15}\n",
    );
    let w = CpuWorkload {
        demand_steps: vec![(0.0, 6350)],
        initial_replicas: 5,
        cpu_request_m: 1000,
        cpu_limit_m: None,
        ready_delay_s: 30.0,
        t_start_s: 0.0,
        until_s: 30.0,
        sync_period_s: 15.0,
    };
    let rows = simulate_cpu(&mut h, &w);
    // t = 0: 5 pods at 127 % ask for 10; the policy allows 5 + 4 = 9.
    assert_eq!(
        (rows[0].utilization_pct, rows[0].replicas_after),
        (Some(127), 9)
    );
    // t = 15: 5 ready pods still at 127 %, 4 not ready: 6350 / 9000 = 70 % → held at 9.
    let d = &rows[1];
    assert_eq!(
        (d.ready_pods, d.utilization_pct, d.replicas_after),
        (5, Some(127), 9)
    );
    assert!(matches!(
        d.limited_by,
        LimitReason::PodReadinessHold {
            unready: 4,
            missing: 0,
            target_pct: Some(70),
            effect: ReadinessEffect::InsideBand,
            ..
        }
    ));
    let w = words(d);
    assert!(!w.contains("metric is inside"), "{w}");
    assert_eq!(
        w,
        "held: counting 4 pods not ready yet at 0 % takes utilization from 127 % to 70 %, inside the tolerance band of the 70 % target"
    );
    // t = 30: all 9 ready at 70 %: now it is the band.
    assert!(matches!(
        rows[2].limited_by,
        LimitReason::WithinTolerance { .. }
    ));
}

#[test]
fn not_ready_pods_that_reverse_the_direction_hold_the_count() {
    // 2 pods at 90 % (1.29 × target) and 4 starting: counted at 0 % they give 30 %.
    let mut view = pods(2, 900);
    view.pods.extend(vec![starting(0.0); 4]);
    let d = hpa(1, 20, "behavior: {}\n").reconcile(0.0, 6, &view);
    assert_eq!((d.utilization_pct, d.replicas_after), (Some(90), 6));
    assert!(matches!(
        d.limited_by,
        LimitReason::PodReadinessHold {
            effect: ReadinessEffect::Reversed,
            ..
        }
    ));
    assert_eq!(
        words(&d),
        "held: counting 4 pods not ready yet at 0 % takes utilization from 90 % to 30 %, below the 70 % target"
    );
    // 1 pod starting beside 2 at 140 %, 10 wanted: recounted over the 3 pods, 93 % asks for 4 < 10.
    let mut view = pods(2, 1400);
    view.pods.push(starting(0.0));
    let d = hpa(1, 20, "behavior: {}\n").reconcile(0.0, 10, &view);
    assert_eq!(d.replicas_after, 10);
    assert!(matches!(
        d.limited_by,
        LimitReason::PodReadinessHold {
            unready: 1,
            effect: ReadinessEffect::WrongWay,
            ..
        }
    ));
    assert_eq!(
        words(&d),
        "held: counting 1 pod not ready yet at 0 % takes utilization from 140 % to 93 %, yet recounted over all pods that asks for fewer pods than now"
    );
}

#[test]
fn pods_without_metrics_count_at_100_pct_when_scaling_down() {
    // 4 pods at 30 % and 4 without a sample: at 100 % they give 65 %, inside the band.
    let mut view = pods(4, 300);
    view.pods.extend(vec![
        HpaPod {
            cpu_usage_m: None,
            ..ready(0)
        };
        4
    ]);
    let d = hpa(
        1,
        20,
        "behavior:\n  scaleDown: {stabilizationWindowSeconds: 0}\n",
    )
    .reconcile(0.0, 8, &view);
    assert_eq!((d.utilization_pct, d.replicas_after), (Some(30), 8));
    assert!(matches!(
        d.limited_by,
        LimitReason::PodReadinessHold {
            unready: 0,
            missing: 4,
            effect: ReadinessEffect::InsideBand,
            ..
        }
    ));
    assert_eq!(
        words(&d),
        "held: counting 4 pods without metrics at 100 % takes utilization from 30 % to 65 %, inside the tolerance band of the 70 % target"
    );
}

#[test]
fn a_legacy_window_above_max_replicas_is_named_as_the_window_not_the_maximum() {
    // 10 pods at 112 % of the request (70 % target) ask for 16; maxReplicas 10 caps it.
    let mut h = hpa(2, 10, "");
    let d = h.reconcile(0.0, 10, &pods(10, 1120));
    assert_eq!((d.proposal, d.replicas_after), (16, 10));
    // Then 7 % asks for 1: the 300 s window still holds 16, so 10 stay. The
    // window holds them, not maxReplicas (the metrics ask for far fewer).
    let d = h.reconcile(120.0, 10, &pods(10, 70));
    assert_eq!((d.proposal, d.replicas_after), (1, 10));
    assert_eq!(
        d.limited_by,
        LimitReason::ScaleDownStabilization {
            window_s: 300.0,
            highest: 16,
            wanted: 1,
            to: 10,
            current: 10
        }
    );
    assert!(words(&d).ends_with("so the HPA keeps 10"), "{}", words(&d));
}

#[test]
fn a_legacy_hpa_held_at_min_replicas_says_min_replicas() {
    // At minReplicas 2 with no load: the window's 2 is the minimum itself.
    let mut h = hpa(2, 10, "");
    let _ = h.reconcile(0.0, 2, &pods(2, 0));
    let d = h.reconcile(60.0, 2, &pods(2, 0));
    assert_eq!(d.replicas_after, 2);
    assert_eq!(d.limited_by, LimitReason::MinReplicas { min: 2 });
}
