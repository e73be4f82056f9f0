//! Faults aimed at one pod or one node (the inspector's "Kill pod" and "Kill node"),
//! and where requests fail, zone by zone.

mod fixtures;
use fixtures::steady;
use scalesim::scenario::load;
use scalesim::sim::events::{KillCause, NodeRemoval, SimEvent};
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::topology::{NodeState, PodKind, PodState};
use scalesim::sim::{run_until, step, World};

fn warmed_up(extra: &str) -> World {
    let mut w = World::new(&steady(extra), 7).unwrap();
    run_until(&mut w, 120.0);
    w
}

fn ready_app_pod_ids(w: &World) -> Vec<u64> {
    w.pods
        .iter()
        .filter(|p| p.kind == PodKind::App && p.state == PodState::Ready)
        .map(|p| p.id)
        .collect()
}

fn killed_since(w: &World, from: usize) -> Vec<(u64, KillCause)> {
    w.events[from..]
        .iter()
        .filter_map(|e| match e {
            SimEvent::PodKilled { pod, cause, .. } => Some((*pod, *cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn killing_pod_id_x_kills_exactly_pod_x() {
    let mut w = warmed_up("");
    let ids = ready_app_pod_ids(&w);
    assert!(ids.len() >= 6, "{ids:?}");
    for &victim in &[ids[3], ids[0]] {
        let from = w.events.len();
        w.push_action(w.now_s, Action::KillPodId { pod: victim })
            .unwrap();
        step(&mut w);
        assert_eq!(killed_since(&w, from), vec![(victim, KillCause::Fault)]);
        let dead: Vec<u64> = w
            .pods
            .iter()
            .filter(|p| p.state == PodState::Dead)
            .map(|p| p.id)
            .collect();
        assert!(dead.contains(&victim), "{dead:?}");
    }
    let still_ready = ready_app_pod_ids(&w);
    assert_eq!(still_ready.len(), ids.len() - 2);
    assert!(!still_ready.contains(&ids[3]) && !still_ready.contains(&ids[0]));
}

#[test]
fn killing_a_pod_that_is_gone_changes_nothing_and_says_why() {
    let mut w = warmed_up("");
    let before = ready_app_pod_ids(&w);
    let from = w.events.len();
    w.push_action(w.now_s, Action::KillPodId { pod: 999_999 })
        .unwrap();
    step(&mut w);
    assert!(killed_since(&w, from).is_empty());
    assert_eq!(ready_app_pod_ids(&w), before);
    let ignored: Vec<String> = w.events[from..]
        .iter()
        .filter(|e| matches!(e, SimEvent::ActionIgnored { .. }))
        .map(|e| e.describe())
        .collect();
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    assert!(
        ignored[0].contains("pod 999999 no longer exists"),
        "{}",
        ignored[0]
    );
    assert!(
        ignored[0].contains("Learner: kill pod 999999"),
        "{}",
        ignored[0]
    );
    // Killing the same pod twice: the second is ignored as already dead.
    let victim = before[1];
    for _ in 0..2 {
        w.push_action(w.now_s, Action::KillPodId { pod: victim })
            .unwrap();
    }
    let from = w.events.len();
    step(&mut w);
    assert_eq!(killed_since(&w, from), vec![(victim, KillCause::Fault)]);
    assert!(w.events[from..].iter().any(|e| matches!(
        e,
        SimEvent::ActionIgnored { reason, .. } if reason.contains("already dead")
    )));
}

#[test]
fn killing_node_id_x_kills_that_node_and_only_its_pods() {
    let mut w = warmed_up("");
    let victim = w.nodes[1].id;
    let victim_index = 1u32;
    let on_it: Vec<u64> = w
        .pods
        .iter()
        .filter(|p| p.kind == PodKind::App && p.node == victim_index)
        .map(|p| p.id)
        .collect();
    assert!(!on_it.is_empty());
    let from = w.events.len();
    w.push_action(w.now_s, Action::KillNodeId { node: victim })
        .unwrap();
    step(&mut w);
    let removed: Vec<(u64, NodeRemoval)> = w.events[from..]
        .iter()
        .filter_map(|e| match e {
            SimEvent::NodeRemoved { node, reason, .. } => Some((*node, *reason)),
            _ => None,
        })
        .collect();
    assert_eq!(removed, vec![(victim, NodeRemoval::Fault)]);
    let mut killed: Vec<u64> = killed_since(&w, from).iter().map(|(p, _)| *p).collect();
    killed.sort_unstable();
    let mut expected = on_it.clone();
    expected.sort_unstable();
    assert_eq!(killed, expected);
    let ready_nodes = w
        .nodes
        .iter()
        .filter(|n| n.state == NodeState::Ready)
        .count();
    assert_eq!(ready_nodes, 2);
    // Asking again: the node is dead (or already removed), nothing else happens.
    let from = w.events.len();
    w.push_action(w.now_s, Action::KillNodeId { node: victim })
        .unwrap();
    step(&mut w);
    assert!(killed_since(&w, from).is_empty());
    assert!(w.events[from..]
        .iter()
        .any(|e| matches!(e, SimEvent::ActionIgnored { .. })));
}

#[test]
fn targeted_kills_from_a_scenario_replay_identically_and_are_worded_as_the_scenario_s() {
    let extra = r#"
[[events]]
at_s = 100.0
action = { kind = "kill_pod_id", pod = 5 }
[[events]]
at_s = 200.0
action = { kind = "kill_node_id", node = 2 }
"#;
    let run = || {
        let mut w = World::new(&steady(extra), 11).unwrap();
        w.push_action(150.0, Action::KillPodId { pod: 6 }).unwrap();
        run_until(&mut w, 400.0);
        w
    };
    let (a, b) = (run(), run());
    assert_eq!(
        serde_json::to_string(&a.events).unwrap(),
        serde_json::to_string(&b.events).unwrap()
    );
    assert_eq!(a.snapshot(), b.snapshot());
    let lines: Vec<String> = a.events.iter().map(|e| e.describe()).collect();
    assert!(
        lines.iter().any(|l| l == "T+1:40 Scenario: kill pod 5"),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l == "T+2:30 Learner: kill pod 6"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "T+3:20 Scenario: kill node 2 and its pods"),
        "{lines:#?}"
    );
}

#[test]
fn killing_a_zone_s_pods_makes_only_that_zone_fail_with_dead_pods_not_yet_detected() {
    let mut w = warmed_up("");
    let before = w.snapshot();
    for z in &before.zones {
        assert_eq!(z.failures_rps.total(), 0.0, "zone {} fails at rest", z.name);
    }
    let in_b = w
        .pods
        .iter()
        .filter(|p| p.kind == PodKind::App && p.zone == 1 && p.state == PodState::Ready)
        .count() as u32;
    assert!(in_b > 0);
    w.push_action(
        w.now_s,
        Action::KillPods {
            count: in_b,
            zone: Some("b".into()),
        },
    )
    .unwrap();
    step(&mut w);
    let s = w.snapshot();
    let b = &s.zones[1];
    assert!(
        b.failures_rps[FailureReason::DeadPodUndetected] > 10.0,
        "zone b: {:?}",
        b.failures_rps
    );
    for other in [&s.zones[0], &s.zones[2]] {
        assert_eq!(
            other.failures_rps[FailureReason::DeadPodUndetected],
            0.0,
            "zone {}",
            other.name
        );
    }
    // The per-zone reasons add up to the failures the engine counted this tick
    // (requests lost in a dying pod's queue are counted apart from the tick's errors).
    let sum: f64 = s
        .zones
        .iter()
        .map(|z| z.failures_rps.total() - z.failures_rps[FailureReason::LostWithPod])
        .sum();
    assert!(
        (sum - s.last.errors_rps).abs() < 1e-6 * s.last.errors_rps.max(1.0),
        "{sum} vs {}",
        s.last.errors_rps
    );
    // Once the health checks take the dead pods out, zone b stops failing.
    let later = w.now_s + 120.0;
    run_until(&mut w, later);
    assert_eq!(
        w.snapshot().zones[1].failures_rps[FailureReason::DeadPodUndetected],
        0.0
    );
}

#[test]
fn a_bad_release_fails_every_zone_with_application_errors_not_dead_pods() {
    let mut w = warmed_up("");
    w.push_action(
        w.now_s,
        Action::BadRelease {
            error_rate: 0.2,
            extra_latency_ms: 0.0,
            duration_s: None,
        },
    )
    .unwrap();
    step(&mut w);
    step(&mut w);
    for z in &w.snapshot().zones {
        let f = &z.failures_rps;
        assert!(f[FailureReason::Errored] > 10.0, "zone {}: {f:?}", z.name);
        assert_eq!(f[FailureReason::DeadPodUndetected], 0.0);
        assert_eq!(f[FailureReason::NoCapacity], 0.0);
    }
}

#[test]
fn a_failed_primary_shows_as_database_failures_in_the_zones_that_served_the_writes() {
    let name = "reference";
    let scenario = load(name, scalesim::scenario::built_in(name).unwrap()).unwrap();
    let mut w = World::new(&scenario, 5).unwrap();
    run_until(&mut w, 300.0);
    assert!(
        w.data.database.is_some(),
        "the reference scenario has a database"
    );
    w.push_action(w.now_s, Action::FailPrimary { shard: 0 })
        .unwrap();
    let before = w.data.counters.failures[FailureReason::Database];
    step(&mut w);
    step(&mut w);
    let s = w.snapshot();
    let grew = (w.data.counters.failures[FailureReason::Database] - before) / (2.0 * w.tick_s);
    assert!(grew > 0.0, "writes fail while the primary is down");
    let per_zone: Vec<f64> = s
        .zones
        .iter()
        .map(|z| z.failures_rps[FailureReason::Database])
        .collect();
    assert!(per_zone.iter().all(|&d| d > 0.0), "{per_zone:?}");
    for z in &s.zones {
        assert_eq!(
            z.failures_rps[FailureReason::DeadPodUndetected],
            0.0,
            "zone {}",
            z.name
        );
    }
}

#[test]
fn with_every_pod_gone_each_zone_s_clients_fail_for_want_of_capacity() {
    let mut w = warmed_up("");
    for z in ["a", "b", "c"] {
        w.push_action(w.now_s, Action::KillZone { zone: z.into() })
            .unwrap();
    }
    let later = w.now_s + 120.0;
    run_until(&mut w, later);
    let s = w.snapshot();
    let no_capacity: Vec<f64> = s
        .zones
        .iter()
        .map(|z| z.failures_rps[FailureReason::NoCapacity])
        .collect();
    // 1,800 req/s, users spread evenly over the three zones.
    for x in &no_capacity {
        assert!((x - 600.0).abs() < 1.0, "{no_capacity:?}");
    }
    for z in &s.zones {
        assert_eq!(
            z.failures_rps[FailureReason::DeadPodUndetected],
            0.0,
            "zone {}",
            z.name
        );
    }
}
