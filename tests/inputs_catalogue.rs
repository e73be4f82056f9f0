//! Every action says everything the engine needs, and says it once:
//! a lifetime (`Action::anatomy`), a wording, a stable URL code and an apply
//! arm. Adding a variant fails here until it is in `Action::examples()`,
//! listed in [`variant`], and its link code is recorded in
//! `tests/fixtures/action_codes.txt` (`SCALESIM_RECORD=1 cargo test --test
//! inputs_catalogue` writes the new lines; old lines must never change).

mod fixtures;

use scalesim::scenario::{load, Scenario};
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::code::{decode_action, encode};
use scalesim::sim::inputs::{Action, FaultKind, Lifetime};
use scalesim::sim::run_until;
use scalesim::sim::world::World;

const CODES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/action_codes.txt"
);

/// The variant's position in the enum; the exhaustive match makes a new
/// variant fail to compile here until it is counted.
fn variant(a: &Action) -> usize {
    match a {
        Action::KillPods { .. } => 0,
        Action::KillNode { .. } => 1,
        Action::KillPodId { .. } => 2,
        Action::KillNodeId { .. } => 3,
        Action::KillZone { .. } => 4,
        Action::RestoreZone { .. } => 5,
        Action::KillRegion { .. } => 6,
        Action::RestoreRegion { .. } => 7,
        Action::InjectLatency { .. } => 8,
        Action::CpuStress { .. } => 9,
        Action::MemoryLeak { .. } => 10,
        Action::BadRelease { .. } => 11,
        Action::Restore { .. } => 12,
        Action::Spike { .. } => 13,
        Action::SetMinReplicas { .. } => 14,
        Action::SetMaxReplicas { .. } => 15,
        Action::SetReplicas { .. } => 16,
        Action::SetPausePods { .. } => 17,
        Action::Partition { .. } => 18,
        Action::PacketLoss { .. } => 19,
        Action::CacheFlush => 20,
        Action::CacheDown { .. } => 21,
        Action::SetCoalescing { .. } => 22,
        Action::FailPrimary { .. } => 23,
        Action::ReplicaLagSpike { .. } => 24,
        Action::ClockSkew { .. } => 25,
        Action::DnsFailure { .. } => 26,
        Action::StopConsumers { .. } => 27,
        Action::DiskFull { .. } => 28,
        Action::DependencySlow { .. } => 29,
        Action::DependencyErrors { .. } => 30,
        Action::DependencyDown { .. } => 31,
        Action::CdnPurge => 32,
        Action::AddReplica => 33,
        Action::ResizeDatabase { .. } => 34,
        Action::SetHotKeyShare { .. } => 35,
        Action::SetConsistency { .. } => 36,
        Action::SetResolution { .. } => 37,
        Action::SetClientRetries { .. } => 38,
        Action::SetClientBreaker { .. } => 39,
        Action::SetFeatureFlag { .. } => 40,
        Action::SetShedding { .. } => 41,
        Action::Rollout { .. } => 42,
        Action::Canary { .. } => 43,
        Action::BlueGreen { .. } => 44,
        Action::SwitchBack => 45,
        Action::RestorePrimary { .. } => 46,
        Action::RunExperiment { .. } => 47,
        Action::AbortExperiment => 48,
    }
}

const VARIANTS: usize = 49;

/// A world with no tier but the service.
fn bare() -> Scenario {
    load(
        "bare.toml",
        "title = \"bare\"\n[traffic]\nprofile = { kind = \"constant\", rps = 50.0 }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// `a` aimed at what `w` has: its first zone and region, shard 0.
fn fit(a: Action, w: &World) -> Action {
    let zone = w.zones[0].name.clone();
    let region = w.regions[0].name.clone();
    match a {
        Action::KillPods {
            count,
            zone: Some(_),
        } => Action::KillPods {
            count,
            zone: Some(zone),
        },
        Action::KillNode { zone: Some(_) } => Action::KillNode { zone: Some(zone) },
        Action::KillZone { .. } => Action::KillZone { zone },
        Action::RestoreZone { .. } => Action::RestoreZone { zone },
        Action::KillRegion { .. } => Action::KillRegion { region },
        Action::RestoreRegion { .. } => Action::RestoreRegion { region },
        Action::FailPrimary { .. } => Action::FailPrimary { shard: 0 },
        Action::ReplicaLagSpike { ms, duration_s, .. } => Action::ReplicaLagSpike {
            ms,
            duration_s,
            shard: 0,
        },
        other => other,
    }
}

#[test]
fn the_examples_cover_every_action_variant() {
    let mut seen: Vec<usize> = Action::examples().iter().map(variant).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, (0..VARIANTS).collect::<Vec<_>>());
}

/// `a` written as its link code and read back.
fn round_trip(a: &Action) -> Action {
    let code = encode(a);
    decode_action("a[0]", &code).unwrap_or_else(|e| panic!("{a:?} as {code}: {e}"))
}

#[test]
fn every_action_round_trips_through_its_link_code() {
    for a in Action::examples() {
        assert_eq!(round_trip(&a), a, "{}", encode(&a));
    }
}

#[test]
fn every_fault_kind_has_its_place_and_a_restore_of_it_survives_its_link_code() {
    for (i, k) in FaultKind::ALL.into_iter().enumerate() {
        assert_eq!(k.index(), i, "{k:?}");
        let a = Action::Restore { fault: k };
        assert_eq!(round_trip(&a), a, "{}", encode(&a));
    }
}

/// Links made on the day the codes were recorded still decode to the same
/// actions, and today's encoder still writes them: a code never changes when
/// a label is reworded.
#[test]
fn recorded_link_codes_decode_to_the_same_actions() {
    let lines: Vec<String> = Action::examples()
        .iter()
        .map(|a| format!("{}\t{}", encode(a), serde_json::to_string(a).unwrap()))
        .collect();
    if std::env::var_os("SCALESIM_RECORD").is_some() {
        let old = std::fs::read_to_string(CODES).unwrap_or_default();
        let mut all: Vec<String> = old.lines().map(str::to_string).collect();
        for l in &lines {
            if !all.contains(l) {
                all.push(l.clone());
            }
        }
        std::fs::write(CODES, all.join("\n") + "\n").unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(CODES).expect("tests/fixtures/action_codes.txt");
    assert!(
        recorded.lines().count() >= Action::examples().len(),
        "fewer recorded links than examples: run SCALESIM_RECORD=1 cargo test --test inputs_catalogue"
    );
    for line in recorded.lines() {
        let (code, json) = line.split_once('\t').expect("code<TAB>json");
        let want: Action = serde_json::from_str(json).unwrap();
        let got = decode_action("a[0]", code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(got, want, "{code} no longer decodes as it did");
        assert_eq!(encode(&want), code, "{json} is now written differently");
    }
    for l in &lines {
        assert!(
            recorded.lines().any(|r| r == l),
            "{l} is not recorded: run SCALESIM_RECORD=1 cargo test --test inputs_catalogue"
        );
    }
}

/// Times of every `FaultCleared` of `kind` and of every ignored action.
fn ends(w: &World, kind: FaultKind) -> (Vec<f64>, Vec<String>) {
    let mut cleared = Vec::new();
    let mut ignored = Vec::new();
    for e in &w.events {
        match e {
            SimEvent::FaultCleared { t_s, fault } if *fault == kind => cleared.push(*t_s),
            SimEvent::ActionIgnored { reason, .. } => ignored.push(reason.clone()),
            _ => {}
        }
    }
    (cleared, ignored)
}

/// A timed fault ends on its own at its end; an open one ends when restored;
/// an instant action queues nothing. Every action is applied (or ignored with
/// a reason) in a world with every tier.
#[test]
fn every_action_applies_and_every_fault_ends() {
    let s = fixtures::every_tier();
    for a in Action::examples() {
        let mut w = World::new(&s, 3).unwrap();
        let a = fit(a, &w);
        w.push_action(10.0, a.clone()).unwrap();
        run_until(&mut w, 11.0);
        let applied = w.events.iter().any(|e| match e {
            SimEvent::FaultInjected { action, .. } => *action == a,
            SimEvent::ActionIgnored { action, .. } => *action == a,
            SimEvent::ConsistencySwitched { .. } | SimEvent::FaultCleared { .. } => true,
            _ => false,
        });
        assert!(applied, "{a:?} left no trace in the log");
        match a.lifetime() {
            Lifetime::Instant => {
                assert!(w.inputs.pending.is_empty(), "{a:?} queued an end");
            }
            Lifetime::Fault {
                kind,
                duration_s: Some(d),
                ..
            } => {
                assert_eq!(w.inputs.pending.len(), 1, "{a:?} queued no end");
                run_until(&mut w, 11.0 + d);
                let (cleared, _) = ends(&w, kind);
                assert_eq!(cleared, vec![10.0 + d], "{a:?} did not end at its end");
            }
            Lifetime::Fault {
                kind,
                duration_s: None,
                ..
            } => {
                assert!(w.inputs.pending.is_empty(), "{a:?} queued an end");
                w.push_action(20.0, Action::Restore { fault: kind })
                    .unwrap();
                run_until(&mut w, 21.0);
                let (cleared, ignored) = ends(&w, kind);
                assert_eq!(cleared, vec![20.0], "{a:?}: {ignored:?}");
            }
            Lifetime::SelfTimed { kind, duration_s } => {
                assert!(w.inputs.pending.is_empty(), "{a:?} queued an end");
                w.push_action(10.0 + duration_s / 2.0, Action::Restore { fault: kind })
                    .unwrap();
                run_until(&mut w, 11.0 + duration_s / 2.0);
                let (cleared, ignored) = ends(&w, kind);
                assert_eq!(cleared.len(), 1, "{a:?}: {ignored:?}");
            }
        }
    }
}

/// One rule for an action aimed at what the world lacks, whatever its kind:
/// every action on a tier the scenario has not got is ignored, and says so.
#[test]
fn an_action_on_a_missing_tier_is_ignored_by_one_rule() {
    let s = bare();
    for a in Action::examples() {
        let Some(tier) = a.anatomy().tier else {
            continue;
        };
        let mut w = World::new(&s, 1).unwrap();
        let a = fit(a, &w);
        w.push_action(5.0, a.clone()).unwrap();
        run_until(&mut w, 6.0);
        let reasons: Vec<&String> = w
            .events
            .iter()
            .filter_map(|e| match e {
                SimEvent::ActionIgnored { action, reason, .. } if *action == a => Some(reason),
                _ => None,
            })
            .collect();
        assert_eq!(reasons.len(), 1, "{a:?}");
        assert!(
            reasons[0].contains(tier.words()) && reasons[0].contains(tier.table()),
            "{}",
            reasons[0]
        );
        assert!(
            !w.events
                .iter()
                .any(|e| matches!(e, SimEvent::FaultInjected { .. })),
            "{a:?} was injected into a world without its tier"
        );
    }
    // A pod or node that is not there: the same rule.
    let mut w = World::new(&s, 1).unwrap();
    w.push_action(5.0, Action::KillPodId { pod: 9_999 })
        .unwrap();
    w.push_action(5.0, Action::KillNodeId { node: 9_998 })
        .unwrap();
    run_until(&mut w, 6.0);
    let (_, ignored) = ends(&w, FaultKind::All);
    assert_eq!(
        ignored,
        vec![
            "pod 9999 no longer exists".to_string(),
            "node 9998 no longer exists".to_string()
        ]
    );
}
