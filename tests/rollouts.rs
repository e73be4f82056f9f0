//! Releases (docs/models.md#rolling-update): a rolling update replaces the pods within
//! maxSurge and maxUnavailable; its surge pods open connection pools like any other,
//! so a Deployment sized to `max_connections` overflows it mid-rollout (the connection
//! storm); a version that crash-loops stalls the rollout with the old pods serving.
//! Every tick checks conservation and the strategy's bounds.

mod fixtures;

use fixtures::releases::Service;
use scalesim::sim::events::SimEvent;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::topology::PodKind;
use scalesim::sim::{step, World};

/// 20 pods of 10 connections against `max_connections = 200`, 2,000 req/s with one
/// query each, no HPA; `deployment` TOML appended.
fn shop(deployment: &str) -> World {
    let service = Service {
        replicas: 20,
        zones: r#""a", "b", "c""#,
        rps: 2000.0,
        class_extra: "reads = 1.0",
        ..Service::default()
    };
    service.world(&format!(
        r#"
[database]
[database.pool]
pool_size_per_pod = 10
max_connections = 200
wait_timeout_ms = 500.0
{deployment}
[[versions]]
name = "v2"
[[versions]]
name = "v3-crash"
crash_loop = true
"#
    ))
}

/// Runs to `until_s`, checking conservation and the strategy's bounds every tick;
/// returns the most live app pods and the most the ReplicaSets asked for at once.
fn run(w: &mut World, until_s: f64, surge: i32, unavailable: i32) -> (i32, i32) {
    let (mut most_live, mut most_spec) = (0, 0);
    while w.now_s < until_s - 1e-9 {
        step(w);
        let gap = w.counters.conservation_gap();
        assert!(
            gap.abs() <= 1e-6 * w.counters.arrived.max(1.0),
            "not conserved at {}",
            w.now_s
        );
        let live = w
            .pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.is_live_app())
            .count() as i32;
        most_live = most_live.max(live);
        if let Some(r) = &w.rollout {
            let spec: i32 = r.sets.iter().map(|s| s.replicas).sum();
            most_spec = most_spec.max(spec);
            assert!(spec <= 20 + surge, "{spec} pods asked for at {}", w.now_s);
            let available: i32 = r.sets.iter().map(|s| s.available.min(s.replicas)).sum();
            // Unavailability stays within the bound (a node the cluster autoscaler
            // drained could take more: it is off here, as a PodDisruptionBudget would
            // hold it).
            assert!(
                available >= 20 - unavailable,
                "{available} available at {}",
                w.now_s
            );
        }
    }
    (most_live, most_spec)
}

fn database_failures(w: &World) -> f64 {
    w.counters.failures[FailureReason::Database] + w.data.counters.failures[FailureReason::Database]
}

#[test]
fn a_surge_overflows_max_connections_and_no_surge_does_not() {
    // The default strategy: maxSurge 25 % (5 pods), maxUnavailable 25 % (5 pods).
    let mut storm = shop("");
    storm
        .push_action(
            300.0,
            Action::Rollout {
                version: "v2".into(),
            },
        )
        .unwrap();
    run(&mut storm, 300.0, 5, 5);
    let before = database_failures(&storm);
    assert_eq!(before, 0.0, "20 pods × 10 connections fit 200");
    let (live, spec) = run(&mut storm, 1200.0, 5, 5);
    let storm_failed = database_failures(&storm) - before;
    // One pod at a time: no extra pod, so never more than 200 connections wanted.
    let mut calm = shop("[deployment]\nmax_surge = 0\nmax_unavailable = 1\n");
    calm.push_action(
        300.0,
        Action::Rollout {
            version: "v2".into(),
        },
    )
    .unwrap();
    let (calm_live, calm_spec) = run(&mut calm, 1200.0, 0, 1);
    let calm_failed = database_failures(&calm);
    println!(
        "surge 25 %: up to {live} live pods ({spec} asked for), {storm_failed:.0} queries failed; \
         surge 0: up to {calm_live} ({calm_spec}), {calm_failed:.0} failed"
    );
    assert_eq!(spec, 25);
    assert!(storm_failed > 1000.0, "{storm_failed}");
    assert_eq!(calm_spec, 20);
    assert_eq!(calm_failed, 0.0);
    // Both finished: every pod runs v2; one pod at a time takes longer.
    let took = |w: &World| {
        assert!(w
            .pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.is_live_app())
            .all(|p| p.version == 1));
        w.events
            .iter()
            .find_map(|e| match e {
                SimEvent::RolloutComplete { after_s, .. } => Some(*after_s),
                _ => None,
            })
            .expect("the rollout completes")
    };
    let (fast, slow) = (took(&storm), took(&calm));
    println!("complete after {fast} s (25 %) and {slow} s (one at a time)");
    assert!(fast < slow);
}

#[test]
fn a_crash_looping_version_stalls_with_the_old_pods_serving_until_rolled_back() {
    let mut w = shop("");
    w.push_action(
        60.0,
        Action::Rollout {
            version: "v3-crash".into(),
        },
    )
    .unwrap();
    run(&mut w, 600.0, 5, 5);
    let r = w.rollout.as_ref().unwrap();
    let (new, old) = (r.sets[1], r.sets[0]);
    // Kubernetes' case: the new set surged and lost maxUnavailable old pods, then
    // nothing moves: its pods never become available.
    assert_eq!((new.replicas, new.available), (10, 0));
    assert_eq!(old.replicas, 15);
    assert!(!r.complete);
    let ready = w.ready_app_pods();
    assert_eq!(ready, 15, "the old pods keep serving");
    assert!(w.events.iter().any(|e| matches!(
        e,
        SimEvent::PodKilled {
            cause: scalesim::sim::events::KillCause::CrashLoop,
            ..
        }
    )));
    // Roll back to v1: its set is reused, the crashing pods go.
    w.push_action(
        600.0,
        Action::Rollout {
            version: "v1".into(),
        },
    )
    .unwrap();
    run(&mut w, 900.0, 5, 5);
    let live: Vec<u8> = w
        .pods
        .iter()
        .filter(|p| p.kind == PodKind::App && p.is_live_app())
        .map(|p| p.version)
        .collect();
    assert_eq!(live.len(), 20);
    assert!(live.iter().all(|v| *v == 0), "{live:?}");
}

#[test]
fn a_bad_version_fails_its_share_of_what_its_pods_serve() {
    let mut w = shop("");
    let s = &mut w.versions[1];
    s.error_rate = 0.5;
    w.push_action(
        60.0,
        Action::Rollout {
            version: "v2".into(),
        },
    )
    .unwrap();
    run(&mut w, 60.0, 5, 5);
    assert_eq!(w.counters.failures[FailureReason::Errored], 0.0);
    run(&mut w, 900.0, 5, 5);
    // Every pod runs v2 at the end: half the requests fail.
    let tick = w.series.latest[scalesim::sim::series::Series::ErrorsRps.index()];
    assert!((tick / 2000.0 - 0.5).abs() < 0.05, "{tick} req/s failed");
}
