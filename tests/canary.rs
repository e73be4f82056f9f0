//! Canary releases (docs/models.md#canary-releases): a version takes 1 % of the traffic,
//! then wider shares, while an analysis compares it with the stable version beside it;
//! a bad version is rolled back at its first stage having failed only its share, a good
//! one is promoted through every stage and then rolled out to every pod. Every tick
//! checks conservation.

mod fixtures;

use fixtures::releases::{pods_of, run_conserved as run, Service, VERSIONS};
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::Action;
use scalesim::sim::rollout::canary::CanaryCheck;
use scalesim::sim::World;

/// 10 pods serving 1,000 req/s, no HPA, compressed stages (1, 5, 25, 50 % for 120 s
/// each) analysed every 30 s; `canary` TOML appended.
fn service(canary: &str) -> World {
    Service::default().world(&format!(
        r#"
[canary]
interval_s = 30.0
min_requests = 50.0
stages = [
  {{ weight_pct = 1.0, hold_s = 120.0 }},
  {{ weight_pct = 5.0, hold_s = 120.0 }},
  {{ weight_pct = 25.0, hold_s = 120.0 }},
  {{ weight_pct = 50.0, hold_s = 120.0 }},
]
{canary}
{VERSIONS}"#
    ))
}

fn rolled_back(w: &World) -> Option<(f64, u32, CanaryCheck, f64, f64)> {
    w.events.iter().find_map(|e| match e {
        SimEvent::CanaryRolledBack {
            t_s,
            stage,
            check,
            measured,
            limit,
            ..
        } => Some((*t_s, *stage, *check, *measured, *limit)),
        _ => None,
    })
}

/// A bad version (5 % errors) is caught at its first stage, 1 % of the traffic, by its
/// error rate against the stable version's: the failed requests are its share of what
/// it served for one analysis interval, about 0.05 × 10 req/s × 30 s = 15, where the same
/// version rolled out to every pod fails 50 a second until someone rolls it back.
#[test]
fn a_bad_version_is_rolled_back_at_its_first_stage_having_failed_its_share() {
    let mut w = service("");
    w.push_action(
        300.0,
        Action::Canary {
            version: "v2-bad".into(),
        },
    )
    .unwrap();
    run(&mut w, 290.0);
    let before = w.counters.failed();
    run(&mut w, 600.0);
    let (t, stage, check, measured, limit) = rolled_back(&w).expect("rolled back");
    assert_eq!((stage, check), (1, CanaryCheck::ErrorRate));
    assert!(t <= 300.0 + 61.0, "rolled back at {t}");
    assert!((measured - 5.0).abs() < 1.5, "measured {measured} %");
    assert!((limit - 0.5).abs() < 1e-9, "limit {limit} %");
    let failed = w.counters.failed() - before;
    assert!(
        (5.0..=40.0).contains(&failed),
        "{failed} requests failed during the canary"
    );
    assert_eq!(pods_of(&w, "v2-bad"), 0);
    assert_eq!(pods_of(&w, "v1"), 10);
    let overall = 100.0 * w.counters.failed() / w.counters.arrived;
    assert!(overall < 1.0, "{overall} % failed overall");

    // The same version rolled out to every pod fails 5 % of everything.
    let mut full = service("");
    full.push_action(
        300.0,
        Action::Rollout {
            version: "v2-bad".into(),
        },
    )
    .unwrap();
    run(&mut full, 600.0);
    let full_failed = full.counters.failed();
    assert!(
        full_failed > 10.0 * failed,
        "full rollout {full_failed} vs canary {failed}"
    );
}

/// A good version holds every stage and is promoted: a rolling update then moves every
/// pod to it. Its share of the traffic follows the stages.
#[test]
fn a_good_version_is_promoted_through_every_stage() {
    let mut w = service("");
    w.push_action(
        60.0,
        Action::Canary {
            version: "v2".into(),
        },
    )
    .unwrap();
    run(&mut w, 120.0);
    // At 1 % the canary has one pod and about 10 req/s of the 1,000.
    assert_eq!(pods_of(&w, "v2"), 1);
    let v2 = w.versions.iter().position(|x| x.name == "v2").unwrap() as u8;
    let routed: f64 = w
        .pods
        .iter()
        .filter(|p| p.version == v2)
        .map(|p| p.routed)
        .sum();
    assert!((routed - 10.0).abs() < 1.0, "{routed} req/s to the canary");
    run(&mut w, 60.0 + 3.0 * 120.0 + 10.0);
    assert_eq!(pods_of(&w, "v2"), 5, "50 % of 10 desired");
    run(&mut w, 1500.0);
    assert!(rolled_back(&w).is_none());
    let stages: Vec<f64> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::CanaryStage { weight_pct, .. } => Some(*weight_pct),
            _ => None,
        })
        .collect();
    assert_eq!(stages, [5.0, 25.0, 50.0]);
    assert!(w.events.iter().any(
        |e| matches!(e, SimEvent::CanaryPromoted { after_s, .. } if (*after_s - 480.0).abs() <= 1.0)
    ));
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, SimEvent::RolloutComplete { version, .. } if version == "v2")));
    assert_eq!(pods_of(&w, "v2"), 10);
    assert_eq!(pods_of(&w, "v1"), 0);
    assert!(w.rollout.as_ref().unwrap().analyses.len() >= 15);
}

/// Each trigger catches its kind of bad version: added latency by p99, a crash loop by
/// restarts, a leak by memory; with a trigger off, that version is promoted.
#[test]
fn each_trigger_catches_its_kind_of_bad_version() {
    for (version, want) in [
        ("v2-slow", CanaryCheck::P99),
        ("v2-crash", CanaryCheck::CrashLoop),
        ("v2-leak", CanaryCheck::Memory),
    ] {
        let mut w = service("");
        w.push_action(
            60.0,
            Action::Canary {
                version: version.into(),
            },
        )
        .unwrap();
        run(&mut w, 1500.0);
        let (_, _, check, measured, limit) =
            rolled_back(&w).unwrap_or_else(|| panic!("{version} was not rolled back"));
        assert_eq!(check, want, "{version}");
        assert!(measured >= limit, "{version}: {measured} < {limit}");
        assert_eq!(pods_of(&w, version), 0, "{version}");
    }
    // The slow version's p99 is the stable one's plus about 150 ms.
    let mut w = service("");
    w.push_action(
        60.0,
        Action::Canary {
            version: "v2-slow".into(),
        },
    )
    .unwrap();
    run(&mut w, 400.0);
    // The first interval ends before the canary's pod is ready: nothing to judge.
    let analyses = &w.rollout.as_ref().unwrap().analyses;
    assert_eq!(analyses[0].canary_requests, 0.0);
    let a = *analyses
        .iter()
        .find(|a| a.canary_requests >= 50.0)
        .expect("an interval with canary requests");
    assert!(
        (a.canary_p99_ms - a.stable_p99_ms - 150.0).abs() < 10.0,
        "{a:?}"
    );
    // With only the error-rate trigger on, the slow version goes all the way.
    let mut w = service("checks = [\"error_rate\"]");
    w.push_action(
        60.0,
        Action::Canary {
            version: "v2-slow".into(),
        },
    )
    .unwrap();
    run(&mut w, 1500.0);
    assert!(rolled_back(&w).is_none());
    assert_eq!(pods_of(&w, "v2-slow"), 10);
}

/// The same inputs give the same canary, event for event.
#[test]
fn a_canary_is_deterministic() {
    let go = || {
        let mut w = service("");
        w.push_action(
            30.0,
            Action::Canary {
                version: "v2-bad".into(),
            },
        )
        .unwrap();
        run(&mut w, 400.0);
        (w.events.clone(), w.counters.failed())
    };
    assert_eq!(go(), go());
}

/// A canary waits for a finished rollout: one sent while a rolling update is under way
/// is ignored with the reason, and the update goes on.
#[test]
fn a_canary_during_a_rolling_update_is_ignored_with_its_reason() {
    let mut w = service("");
    w.push_action(
        60.0,
        Action::Rollout {
            version: "v2".into(),
        },
    )
    .unwrap();
    w.push_action(
        61.0,
        Action::Canary {
            version: "v2-bad".into(),
        },
    )
    .unwrap();
    run(&mut w, 70.0);
    let why = w.events.iter().find_map(|e| match e {
        SimEvent::ActionIgnored { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(
        why.as_deref(),
        Some(
            "a rolling update to v2 is under way: a new release starts once every pod runs one version"
        )
    );
    run(&mut w, 600.0);
    assert_eq!(pods_of(&w, "v2"), 10);
    assert_eq!(pods_of(&w, "v2-bad"), 0);
}
