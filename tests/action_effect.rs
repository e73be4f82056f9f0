//! Will a learner's action show? The engine ignores what asks for what
//! already is (one rule for every source), and the page's notice says why an
//! action will move nothing on screen and what to change.

use scalesim::scenario::load_built_in;
use scalesim::sim::consistency::ConsistencyMode;
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::effect::{no_visible_effect, redundant};
use scalesim::sim::inputs::{Action, ActionSource};
use scalesim::sim::world::World;
use scalesim::sim::{run_until, step};

fn world(name: &str) -> World {
    let s = load_built_in(name).unwrap().unwrap();
    World::new(&s, s.run.seed).unwrap()
}

fn spike() -> Action {
    Action::Spike {
        multiplier: 10.0,
        ramp_up_s: 30.0,
        hold_s: 600.0,
        ramp_down_s: 60.0,
    }
}

fn ignored(w: &World) -> Vec<String> {
    w.events
        .iter()
        .filter_map(|e| match e {
            SimEvent::ActionIgnored { reason, by, .. } => {
                assert_eq!(*by, ActionSource::Learner);
                Some(reason.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_spike_in_the_first_view_moves_the_hpa_and_needs_no_notice() {
    let mut w = world("first-spike");
    run_until(&mut w, 30.0);
    assert_eq!(no_visible_effect(&w, &spike()), None);
    let before = w.spec_replicas;
    w.push_action(w.now_s, spike()).unwrap();
    run_until(&mut w, 150.0);
    assert!(
        w.spec_replicas >= before + 5,
        "{before} -> {}",
        w.spec_replicas
    );
}

#[test]
fn a_spike_at_max_replicas_says_why_nothing_scales_and_what_to_turn() {
    let mut w = world("black-friday");
    // The sale lands at t = 60 s; the HPA reaches maxReplicas 20 within minutes.
    while w.spec_replicas < w.max_replicas && w.now_s < 1800.0 {
        step(&mut w);
    }
    assert_eq!(w.spec_replicas, 20, "never reached maxReplicas");
    let why = no_visible_effect(&w, &spike()).expect("a notice");
    assert!(why.contains("maxReplicas 20"), "{why}");
    assert!(why.contains("HPA max replicas"), "{why}");
}

#[test]
fn killing_a_dead_zone_or_restoring_a_live_one_is_ignored_with_its_reason() {
    let mut w = world("first-spike");
    run_until(&mut w, 10.0);
    let kill = Action::KillZone { zone: "b".into() };
    let restore = Action::RestoreZone { zone: "a".into() };
    assert_eq!(redundant(&w, &kill), None);
    assert_eq!(
        redundant(&w, &restore).as_deref(),
        Some("zone a is already up")
    );
    w.push_action(w.now_s, kill.clone()).unwrap();
    w.push_action(w.now_s, restore.clone()).unwrap();
    step(&mut w);
    assert_eq!(
        no_visible_effect(&w, &kill).as_deref(),
        Some("Nothing to do: zone b is already down.")
    );
    w.push_action(w.now_s, kill).unwrap();
    step(&mut w);
    assert_eq!(
        ignored(&w),
        ["zone a is already up", "zone b is already down"]
    );
}

#[test]
fn a_consistency_switch_to_the_mode_in_force_changes_nothing_and_says_so() {
    let mut w = world("consistency-tradeoff");
    run_until(&mut w, 400.0); // the scenario flipped every class to eventual at 300 s
    let eventual = Action::SetConsistency {
        class: None,
        mode: ConsistencyMode::Eventual,
    };
    let switches = |w: &World| {
        w.events
            .iter()
            .filter(|e| matches!(e, SimEvent::ConsistencySwitched { .. }))
            .count()
    };
    let before = switches(&w);
    assert_eq!(
        redundant(&w, &eventual).as_deref(),
        Some("every class is already eventual")
    );
    w.push_action(w.now_s, eventual).unwrap();
    step(&mut w);
    assert_eq!(switches(&w), before, "no “eventual → eventual” line");
    assert_eq!(ignored(&w), ["every class is already eventual"]);
    // A real switch is still a switch.
    w.push_action(
        w.now_s,
        Action::SetConsistency {
            class: None,
            mode: ConsistencyMode::Strong,
        },
    )
    .unwrap();
    step(&mut w);
    assert_eq!(switches(&w), before + 1);
}

#[test]
fn an_unknown_zone_is_named_with_the_scenarios_zones() {
    let mut w = world("black-friday");
    let e = w
        .push_action(1.0, Action::KillZone { zone: "b".into() })
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no zone \u{201c}b\u{201d}") && e.contains("us-east-1a, us-east-1b, us-east-1c"),
        "{e}"
    );
}
