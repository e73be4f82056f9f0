//! Blue-green releases (docs/models.md#blue-green-releases): green starts at full size
//! beside blue with no traffic, takes all of it at once when every pod is ready, and
//! blue waits as the standby until it is retired. Both environments run meanwhile, so
//! the nodes and the cost double. A bad green is switched back at its first analysis;
//! a crash-looping one never takes traffic. Every tick checks conservation.

mod fixtures;

use fixtures::releases::{pods_of, run_conserved as run, Service, VERSIONS};
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::Action;
use scalesim::sim::rollout::canary::CanaryCheck;
use scalesim::sim::topology::NodeState;
use scalesim::sim::World;

/// 12 pods of half a core filling 4 nodes of 1.5 cores (3 pods each), the cluster
/// autoscaler on, 1,000 req/s; analysis every 30 s, blue kept 300 s after
/// the switch; `extra` TOML appended.
fn service(extra: &str) -> World {
    service_with("", extra)
}

/// [`service`] with more `[blue_green]` fields.
fn service_with(blue_green: &str, extra: &str) -> World {
    let s = Service {
        replicas: 12,
        node_cpu_m: 1500,
        nodes_per_zone: 2,
        cluster_autoscaler: true,
        ..Service::default()
    };
    s.world(&format!(
        r#"
[canary]
interval_s = 30.0
min_requests = 50.0
[blue_green]
scale_down_delay_s = 300.0
{blue_green}
{extra}
{VERSIONS}"#
    ))
}

fn release(w: &mut World, at_s: f64, version: &str) {
    w.push_action(
        at_s,
        Action::BlueGreen {
            version: version.into(),
        },
    )
    .unwrap();
}

fn switched_at(w: &World) -> Option<f64> {
    w.events.iter().find_map(|e| match e {
        SimEvent::BlueGreenSwitched { t_s, .. } => Some(*t_s),
        _ => None,
    })
}

fn switched_back(w: &World) -> Option<(f64, bool, Option<CanaryCheck>)> {
    w.events.iter().find_map(|e| match e {
        SimEvent::BlueGreenSwitchedBack {
            t_s,
            switched,
            check,
            ..
        } => Some((*t_s, *switched, *check)),
        _ => None,
    })
}

/// A good version: green is staged at full size with no traffic, switched once every
/// pod is ready, and blue retired 300 s later. While both run the cluster autoscaler
/// doubles the nodes, so the cost per hour doubles; afterwards it falls back.
#[test]
fn a_good_version_switches_once_ready_and_the_cost_doubles_while_both_run() {
    let mut w = service("");
    release(&mut w, 300.0, "v2");
    run(&mut w, 299.0);
    let cost_before = w.cost.per_hour_usd;
    let nodes_before = w
        .nodes
        .iter()
        .filter(|n| n.state == NodeState::Ready)
        .count();
    run(&mut w, 301.0);
    assert_eq!(
        pods_of(&w, "v2"),
        12,
        "green is created at full size at once"
    );
    let switch = loop {
        let next = w.now_s + 1.0;
        run(&mut w, next);
        if let Some(t) = switched_at(&w) {
            break t;
        }
        assert!(w.now_s < 900.0, "green never took the traffic");
        // Staged: green's pods get nothing, blue serves everything.
        let green = w.versions.iter().position(|v| v.name == "v2").unwrap() as u8;
        let routed: f64 = w
            .pods
            .iter()
            .filter(|p| p.version == green)
            .map(|p| p.routed)
            .sum();
        assert_eq!(
            routed, 0.0,
            "a staged green pod was sent requests at {}",
            w.now_s
        );
    };
    run(&mut w, switch + 60.0);
    let cost_both = w.cost.per_hour_usd;
    let nodes_both = w
        .nodes
        .iter()
        .filter(|n| n.state == NodeState::Ready)
        .count();
    println!(
        "blue-green: switched {:.0} s after the release; nodes {nodes_before} -> {nodes_both}, cost ${cost_before:.3}/h -> ${cost_both:.3}/h",
        switch - 300.0
    );
    assert!(
        (cost_both / cost_before - 2.0).abs() < 1e-9,
        "cost while both environments run: ${cost_both:.3}/h against ${cost_before:.3}/h"
    );
    // After the switch blue takes nothing and green everything.
    let blue_routed: f64 = w
        .pods
        .iter()
        .filter(|p| p.version == 0)
        .map(|p| p.routed)
        .sum();
    assert_eq!(blue_routed, 0.0);
    run(&mut w, switch + 301.0);
    let retired = w
        .events
        .iter()
        .find_map(|e| match e {
            SimEvent::BlueGreenRetired { t_s, .. } => Some(*t_s),
            _ => None,
        })
        .expect("blue is retired after the delay");
    assert!(
        (retired - (switch + 300.0)).abs() <= 1.0,
        "retired at {retired}"
    );
    assert_eq!(
        w.counters.failed(),
        0.0,
        "a good blue-green release fails nothing"
    );
    run(&mut w, retired + 60.0);
    assert_eq!((pods_of(&w, "v2"), pods_of(&w, "v1")), (12, 0));
    assert!(w.rollout.as_ref().is_some_and(|r| r.complete));
}

/// A version failing 5 % of requests takes all the traffic at the switch, so its first
/// 30 s interval fails about 0.05 × 1,000 req/s × 30 s = 1,500 requests before the
/// analysis switches back to blue. More than a canary at 1 % (15), far less than a
/// rolling update left running.
#[test]
fn a_bad_version_is_switched_back_at_its_first_analysis() {
    let mut w = service("");
    release(&mut w, 300.0, "v2-bad");
    run(&mut w, 900.0);
    let switch = switched_at(&w).expect("green is switched in");
    let (back, switched, check) = switched_back(&w).expect("and back");
    assert!(switched);
    assert_eq!(check, Some(CanaryCheck::ErrorRate));
    assert!(
        back - switch <= 31.0,
        "switched back {} s after the switch",
        back - switch
    );
    let failed = w.counters.failed();
    println!("blue-green of a 5 % bad version: {failed:.0} requests failed before the switch back");
    assert!((1_300.0..=1_700.0).contains(&failed), "{failed:.0} failed");
    run(&mut w, back + 120.0);
    assert_eq!(pods_of(&w, "v2-bad"), 0, "green's pods are removed");
    assert_eq!(pods_of(&w, "v1"), 12, "blue was kept at full size");
    let after = w.counters.failed();
    assert_eq!(after, failed, "blue serves cleanly again at once");
}

/// Switching back by hand is instant: in the next tick blue takes every request.
#[test]
fn switching_back_by_hand_is_instant() {
    let mut w = service("");
    release(&mut w, 300.0, "v2");
    run(&mut w, 600.0);
    let switch = switched_at(&w).expect("green switched in");
    assert!(switch < 600.0);
    w.push_action(600.0, Action::SwitchBack).unwrap();
    run(&mut w, 602.0);
    let (back, _, check) = switched_back(&w).expect("switched back");
    assert_eq!((back, check), (600.0, None));
    let v2 = w.versions.iter().position(|v| v.name == "v2").unwrap() as u8;
    let green: f64 = w
        .pods
        .iter()
        .filter(|p| p.version == v2)
        .map(|p| p.routed)
        .sum();
    assert_eq!(
        green, 0.0,
        "green still takes requests after the switch back"
    );
}

/// A crash-looping version never becomes ready, so it never takes traffic: the
/// crash-loop trigger abandons it and blue never fails a request.
#[test]
fn a_crash_looping_green_is_abandoned_before_the_switch() {
    let mut w = service("");
    release(&mut w, 300.0, "v2-crash");
    run(&mut w, 1200.0);
    assert_eq!(switched_at(&w), None);
    let (_, switched, check) = switched_back(&w).expect("abandoned");
    assert!(!switched);
    assert_eq!(check, Some(CanaryCheck::CrashLoop));
    assert_eq!(w.counters.failed(), 0.0);
    assert_eq!(pods_of(&w, "v2-crash"), 0);
}

/// The HPA measures the environment taking traffic only (Argo Rollouts gives it the
/// active ReplicaSet's selector): while 12 ready green pods wait 10 minutes for the
/// switch, it reads blue's 12 pods at 33 % CPU, not 24 pods at half that, and holds 12
/// replicas. (Kubernetes' proposal, ⌈usage ratio × pods⌉, would come to about the same
/// number either way; the utilisation shown and the tolerance band are what differ.)
#[test]
fn the_hpa_measures_only_the_environment_taking_traffic() {
    let mut w = service_with(
        "promote_after_s = 600.0",
        r#"
[hpa]
minReplicas = 2
maxReplicas = 30
[[hpa.metrics]]
type = "Resource"
resource = { name = "cpu", target = { type = "Utilization", averageUtilization = 33 } }
[hpa.behavior.scaleDown]
stabilizationWindowSeconds = 0
"#,
    );
    release(&mut w, 300.0, "v2");
    let (mut least, mut most) = (i32::MAX, 0);
    while switched_at(&w).is_none() {
        let next = w.now_s + 1.0;
        run(&mut w, next);
        least = least.min(w.spec_replicas);
        most = most.max(w.spec_replicas);
        assert!(w.now_s < 1800.0, "never switched");
        if w.now_s > 600.0 && pods_of(&w, "v2") == 12 {
            let d = w.control.hpa.last.expect("the HPA has synced");
            assert_eq!(
                d.ready_pods, 12,
                "the HPA counted the idle pods at {}",
                w.now_s
            );
            assert_eq!(d.utilization_pct, Some(33), "at {}", w.now_s);
        }
    }
    let waited = switched_at(&w).unwrap() - 300.0;
    assert!(waited >= 800.0, "switched {waited} s after the release");
    assert_eq!(
        (least, most),
        (12, 12),
        "the HPA moved the replicas while green waited"
    );
}

/// The same inputs give the same events.
#[test]
fn a_blue_green_release_repeats() {
    let events = || {
        let mut w = service("");
        release(&mut w, 300.0, "v2-bad");
        run(&mut w, 900.0);
        format!("{:?}", w.events)
    };
    assert_eq!(events(), events());
}
