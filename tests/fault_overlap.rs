//! Faults of one kind that overlap. The rule, for every fault kind:
//!
//! ```text
//!   inject         the latest injection on a target replaces what was there
//!                  (a second bad release replaces the first)
//!   timed end      clears only the targets the injection still holds; one that was
//!                  replaced or already cleared ends nothing, and the log says so
//!   restore        rolls the kind back to the last good state: every target of it;
//!                  with none in force, nothing happens and the log says so
//! ```
//!
//! A target is what an injection sets: the release, each latency target, each
//! pod (CPU stress, memory leak), each data-tier fault, each of the external
//! dependency's faults (slow, errors, down).

mod fixtures;

use scalesim::scenario::{load, Scenario};
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::{Action, FaultKind, LatencyTarget};
use scalesim::sim::series::Series;
use scalesim::sim::topology::PodKind;
use scalesim::sim::{run_until, World};

fn steady(events: &str) -> Scenario {
    let text = fixtures::steady_toml(400.0, events);
    load("steady.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// (time, reason) of every ignored action.
fn ignored(w: &World) -> Vec<(f64, String)> {
    w.events
        .iter()
        .filter_map(|e| {
            if let SimEvent::ActionIgnored { t_s, reason, .. } = e {
                Some((*t_s, reason.clone()))
            } else {
                None
            }
        })
        .collect()
}

/// Times of every `FaultCleared` of `kind`.
fn cleared(w: &World, kind: FaultKind) -> Vec<f64> {
    w.events
        .iter()
        .filter_map(|e| {
            if let SimEvent::FaultCleared { t_s, fault } = e {
                (*fault == kind).then_some(*t_s)
            } else {
                None
            }
        })
        .collect()
}

/// The share of arrivals that failed in the last tick.
fn error_share(w: &World) -> f64 {
    let r = &w.series.latest;
    r[Series::ErrorsRps.index()] / r[Series::ArrivalsRps.index()]
}

#[test]
fn the_testers_overlap_the_later_release_replaces_and_its_rollback_restores_the_last_good_one() {
    // Both at 100 s, the open-ended 50 % release first: the 90 % one replaces it.
    let s = steady(
        r#"
[[events]]
at_s = 100.0
action = { kind = "bad_release", error_rate = 0.5 }
[[events]]
at_s = 100.0
action = { kind = "bad_release", error_rate = 0.9, duration_s = 50.0 }
[[events]]
at_s = 200.0
action = { kind = "restore", fault = "bad_release" }
[[events]]
at_s = 300.0
action = { kind = "restore", fault = "bad_release" }
"#,
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 120.0);
    assert!((error_share(&w) - 0.9).abs() < 0.02, "{}", error_share(&w));
    run_until(&mut w, 160.0);
    // The 90 % release was the one in force: its end rolls back to the last good version.
    assert_eq!(w.faults.error_rate, 0.0);
    assert!(error_share(&w) < 0.01, "{}", error_share(&w));
    run_until(&mut w, 400.0);
    assert_eq!(cleared(&w, FaultKind::BadRelease), [150.0]);
    let ign = ignored(&w);
    assert_eq!(ign.len(), 2, "{ign:?}");
    for (t, why) in &ign {
        assert!([200.0, 300.0].contains(t), "{ign:?}");
        assert_eq!(why, "no bad release is in force");
    }
    assert!(w
        .events
        .iter()
        .map(|e| e.describe())
        .any(|d| d.contains("nothing happened: no bad release is in force")));
}

#[test]
fn a_timed_release_that_was_replaced_ends_nothing() {
    // The timed release first: the open-ended one replaces it and outlives its end.
    let s = steady(
        r#"
[[events]]
at_s = 100.0
action = { kind = "bad_release", error_rate = 0.9, duration_s = 50.0 }
[[events]]
at_s = 100.0
action = { kind = "bad_release", error_rate = 0.5 }
[[events]]
at_s = 300.0
action = { kind = "restore", fault = "bad_release" }
"#,
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 120.0);
    assert!((error_share(&w) - 0.5).abs() < 0.02, "{}", error_share(&w));
    run_until(&mut w, 250.0);
    assert_eq!(w.faults.error_rate, 0.5);
    assert!((error_share(&w) - 0.5).abs() < 0.02, "{}", error_share(&w));
    assert_eq!(cleared(&w, FaultKind::BadRelease), Vec::<f64>::new());
    let ign = ignored(&w);
    assert_eq!(ign.len(), 1, "{ign:?}");
    assert_eq!(ign[0].0, 150.0);
    assert!(ign[0].1.contains("replaced by a later one"), "{ign:?}");
    run_until(&mut w, 400.0);
    assert_eq!(cleared(&w, FaultKind::BadRelease), [300.0]);
    assert!(error_share(&w) < 0.01);
}

#[test]
fn a_timed_fault_restored_early_ends_nothing_at_its_end() {
    let s = steady(
        r#"
[[events]]
at_s = 100.0
action = { kind = "bad_release", error_rate = 0.2, duration_s = 100.0 }
[[events]]
at_s = 150.0
action = { kind = "restore", fault = "bad_release" }
"#,
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 400.0);
    assert_eq!(cleared(&w, FaultKind::BadRelease), [150.0]);
    let ign = ignored(&w);
    assert_eq!(ign.len(), 1, "{ign:?}");
    assert_eq!(ign[0].0, 200.0);
    assert!(ign[0].1.contains("is no longer in force"), "{ign:?}");
}

#[test]
fn a_restore_with_nothing_in_force_says_nothing_happened_for_every_kind() {
    let kinds = [
        (FaultKind::Latency, "no injected latency is in force"),
        (FaultKind::CpuStress, "no CPU stress is in force"),
        (FaultKind::MemoryLeak, "no memory leak is in force"),
        (FaultKind::BadRelease, "no bad release is in force"),
        (FaultKind::Partition, "no network partition is in force"),
        (FaultKind::PacketLoss, "no packet loss is in force"),
        (FaultKind::CacheDown, "no cache outage is in force"),
        (FaultKind::ReplicaLag, "no replica lag spike is in force"),
        (FaultKind::ClockSkew, "no clock skew is in force"),
        (FaultKind::DnsFailure, "no DNS failure is in force"),
        (FaultKind::ConsumersStopped, "no consumer stop is in force"),
        (FaultKind::DiskFull, "no full database disk is in force"),
        (
            FaultKind::Dependency,
            "no external dependency fault is in force",
        ),
        (FaultKind::All, "no fault is in force"),
    ];
    for (kind, why) in kinds {
        let mut w = World::new(&fixtures::every_tier(), 1).unwrap();
        w.push_action(10.0, Action::Restore { fault: kind })
            .unwrap();
        run_until(&mut w, 20.0);
        assert_eq!(cleared(&w, kind), Vec::<f64>::new(), "{kind:?}");
        assert_eq!(ignored(&w), [(10.0, why.to_string())], "{kind:?}");
    }
}

/// A timed fault of one kind, an open-ended one of the same kind on the same
/// target(s), and whether the open-ended one is in force, read from the
/// world's state where the engine shows it (`None`: the log tells).
struct Overlap {
    timed: Action,
    open: Action,
    open_in_force: Option<fn(&World) -> bool>,
}

fn app_pods(w: &World) -> impl Iterator<Item = &scalesim::sim::topology::Pod> {
    w.pods.iter().filter(|p| p.kind == PodKind::App)
}

fn overlaps() -> Vec<Overlap> {
    let o = |timed, open, open_in_force| Overlap {
        timed,
        open,
        open_in_force,
    };
    vec![
        o(
            Action::InjectLatency {
                target: LatencyTarget::Service,
                ms: 300.0,
                duration_s: Some(50.0),
            },
            Action::InjectLatency {
                target: LatencyTarget::Service,
                ms: 100.0,
                duration_s: None,
            },
            Some(|w| w.faults.service_latency_ms == 100.0),
        ),
        o(
            Action::CpuStress {
                fraction: 0.6,
                pods: None,
                duration_s: Some(50.0),
            },
            Action::CpuStress {
                fraction: 0.3,
                pods: None,
                duration_s: None,
            },
            Some(|w| app_pods(w).any(|p| p.cpu_stress == 0.3)),
        ),
        o(
            Action::MemoryLeak {
                mib_per_s: 0.2,
                pods: None,
                duration_s: Some(50.0),
            },
            Action::MemoryLeak {
                mib_per_s: 0.1,
                pods: None,
                duration_s: None,
            },
            Some(|w| app_pods(w).any(|p| p.leak_mib_per_s == 0.1)),
        ),
        o(
            Action::BadRelease {
                error_rate: 0.2,
                extra_latency_ms: 0.0,
                duration_s: Some(50.0),
            },
            Action::BadRelease {
                error_rate: 0.1,
                extra_latency_ms: 0.0,
                duration_s: None,
            },
            Some(|w| w.faults.error_rate == 0.1),
        ),
        o(
            Action::Partition {
                between: Default::default(),
                minority_replicas: 1,
                minority_clients: 0.3,
                duration_s: Some(50.0),
            },
            Action::Partition {
                between: Default::default(),
                minority_replicas: 1,
                minority_clients: 0.2,
                duration_s: None,
            },
            Some(|w| {
                let p = w.data.store.as_ref().unwrap().partition();
                p.map(|p| p.minority_clients) == Some(0.2)
            }),
        ),
        o(
            Action::PacketLoss {
                fraction: 0.2,
                duration_s: Some(50.0),
            },
            Action::PacketLoss {
                fraction: 0.1,
                duration_s: None,
            },
            None,
        ),
        o(
            Action::CacheDown {
                duration_s: Some(50.0),
            },
            Action::CacheDown { duration_s: None },
            Some(|w| w.data.cache.as_ref().unwrap().down),
        ),
        o(
            Action::ClockSkew {
                ms: 100.0,
                duration_s: Some(50.0),
            },
            Action::ClockSkew {
                ms: 50.0,
                duration_s: None,
            },
            None,
        ),
        o(
            Action::DnsFailure {
                duration_s: Some(50.0),
            },
            Action::DnsFailure { duration_s: None },
            None,
        ),
        o(
            Action::StopConsumers {
                duration_s: Some(50.0),
            },
            Action::StopConsumers { duration_s: None },
            Some(|w| w.data.kafka.as_ref().unwrap().consumers_stopped()),
        ),
        o(
            Action::DiskFull {
                duration_s: Some(50.0),
            },
            Action::DiskFull { duration_s: None },
            Some(|w| w.data.database.as_ref().unwrap().disk_full),
        ),
        o(
            Action::DependencySlow {
                extra_ms: 400.0,
                tail_factor: 2.0,
                duration_s: Some(50.0),
            },
            Action::DependencySlow {
                extra_ms: 200.0,
                tail_factor: 2.0,
                duration_s: None,
            },
            Some(|w| w.data.external.as_ref().unwrap().extra_latency_ms == 200.0),
        ),
        o(
            Action::DependencyErrors {
                error_rate: 0.3,
                duration_s: Some(50.0),
            },
            Action::DependencyErrors {
                error_rate: 0.2,
                duration_s: None,
            },
            Some(|w| w.data.external.as_ref().unwrap().forced_error_rate == Some(0.2)),
        ),
        o(
            Action::DependencyDown {
                duration_s: Some(50.0),
            },
            Action::DependencyDown { duration_s: None },
            Some(|w| w.data.external.as_ref().unwrap().down.is_some()),
        ),
    ]
}

#[test]
fn every_timed_fault_kind_ends_only_what_it_still_holds() {
    for Overlap {
        timed,
        open,
        open_in_force,
    } in overlaps()
    {
        let kind = timed.lifetime().fault_kind().unwrap();
        let mut w = World::new(&fixtures::every_tier(), 1).unwrap();
        w.push_action(100.0, timed.clone()).unwrap();
        w.push_action(110.0, open.clone()).unwrap();
        run_until(&mut w, 200.0);
        if let Some(f) = open_in_force {
            assert!(f(&w), "{timed:?}: the later {open:?} was cleared");
        }
        assert_eq!(cleared(&w, kind), Vec::<f64>::new(), "{timed:?}");
        let ign = ignored(&w);
        assert_eq!(ign.len(), 1, "{timed:?}: {ign:?}");
        assert_eq!(ign[0].0, 150.0, "{timed:?}");
        assert!(ign[0].1.contains("replaced by a later one"), "{ign:?}");
        // A restore rolls the kind back once; a second one has nothing to do.
        w.push_action(200.0, Action::Restore { fault: kind })
            .unwrap();
        w.push_action(210.0, Action::Restore { fault: kind })
            .unwrap();
        run_until(&mut w, 220.0);
        if let Some(f) = open_in_force {
            assert!(!f(&w), "{open:?} was not rolled back");
        }
        assert_eq!(cleared(&w, kind), [200.0], "{timed:?}");
        let ign = ignored(&w);
        assert_eq!(ign.len(), 2, "{timed:?}: {ign:?}");
        assert_eq!(ign[1].0, 210.0, "{timed:?}");
        assert!(ign[1].1.ends_with("is in force"), "{ign:?}");
    }
}

#[test]
fn targets_of_one_kind_are_independent() {
    // Service latency stays when a timed cross-zone latency ends.
    let mut w = World::new(&fixtures::every_tier(), 1).unwrap();
    let open = Action::InjectLatency {
        target: LatencyTarget::Service,
        ms: 250.0,
        duration_s: None,
    };
    w.push_action(100.0, open).unwrap();
    w.push_action(
        110.0,
        Action::InjectLatency {
            target: LatencyTarget::CrossZone,
            ms: 40.0,
            duration_s: Some(30.0),
        },
    )
    .unwrap();
    run_until(&mut w, 160.0);
    assert_eq!(w.faults.cross_zone_latency_ms, 0.0);
    assert_eq!(w.faults.service_latency_ms, 250.0);
    assert_eq!(cleared(&w, FaultKind::Latency), [140.0]);

    // A dependency that is down stays down when a timed slowness ends.
    let mut w = World::new(&fixtures::every_tier(), 1).unwrap();
    w.push_action(100.0, Action::DependencyDown { duration_s: None })
        .unwrap();
    w.push_action(
        110.0,
        Action::DependencySlow {
            extra_ms: 300.0,
            tail_factor: 2.0,
            duration_s: Some(30.0),
        },
    )
    .unwrap();
    run_until(&mut w, 160.0);
    let e = w.data.external.as_ref().unwrap();
    assert!(e.down.is_some(), "the open-ended outage was healed");
    assert_eq!(e.extra_latency_ms, 0.0);

    // CPU stress on every pod stays on the pods a timed stress of two did not take.
    let mut w = World::new(&steady(""), 1).unwrap();
    w.push_action(
        100.0,
        Action::CpuStress {
            fraction: 0.3,
            pods: None,
            duration_s: None,
        },
    )
    .unwrap();
    w.push_action(
        110.0,
        Action::CpuStress {
            fraction: 0.6,
            pods: Some(2),
            duration_s: Some(30.0),
        },
    )
    .unwrap();
    run_until(&mut w, 120.0);
    let stress: Vec<f64> = w.pods.iter().map(|p| p.cpu_stress).collect();
    assert_eq!(
        stress.iter().filter(|s| **s == 0.6).count(),
        2,
        "{stress:?}"
    );
    run_until(&mut w, 160.0);
    let stress: Vec<f64> = w.pods.iter().map(|p| p.cpu_stress).collect();
    assert_eq!(
        stress.iter().filter(|s| **s == 0.3).count(),
        4,
        "{stress:?}"
    );
    assert_eq!(
        stress.iter().filter(|s| **s == 0.0).count(),
        2,
        "{stress:?}"
    );
}
