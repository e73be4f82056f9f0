//! Property tests over random chaos experiments (issue 15): random faults at random
//! times after the method starts, random abort thresholds, a manual abort or none.
//! Requests are conserved every tick, every experiment ends with a verdict by its end,
//! no step of an aborted experiment runs after the abort, and the same seed gives the
//! same run.

mod fixtures;

use fixtures::releases::Service;
use proptest::prelude::*;
use scalesim::sim::events::SimEvent;
use scalesim::sim::inputs::{Action, ActionSource};
use scalesim::sim::{step, World};

fn fault() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=4).prop_map(|n| format!(r#"{{ kind = "kill_pods", count = {n} }}"#)),
        prop_oneof![Just("a"), Just("b")]
            .prop_map(|z| format!(r#"{{ kind = "kill_zone", zone = "{z}" }}"#)),
        (10u32..=800).prop_map(|ms| format!(
            r#"{{ kind = "inject_latency", target = "service", ms = {ms}.0 }}"#
        )),
        (1u32..=9)
            .prop_map(|f| format!(r#"{{ kind = "cpu_stress", fraction = 0.{f}, pods = 3 }}"#)),
        Just(r#"{ kind = "fail_primary" }"#.to_string()),
        (1u32..=50).prop_map(|e| format!(r#"{{ kind = "bad_release", error_rate = 0.{e:02} }}"#)),
    ]
}

fn world(steps: &[(u32, String)], abort_pct: f64, for_s: u32, traffic_pct: f64) -> World {
    let method: Vec<String> = steps
        .iter()
        .map(|(at, a)| format!("{{ at_s = {at}.0, action = {a} }}"))
        .collect();
    let s = Service {
        class_extra: "writes = 1.0",
        ..Service::default()
    };
    s.world(&format!(
        r#"
[database]
replicas = 0
restart_s = 120.0
[[experiments]]
name = "random"
hypothesis = "It holds."
steady_s = 30.0
duration_s = 300.0
blast_radius = {{ traffic_pct = {traffic_pct:.1} }}
steady_state = [{{ probe = "error_rate_pct", max = 1.0 }}, {{ probe = "p99_ms", max = 400.0 }}]
method = [{}]
abort = [{{ probe = "error_rate_pct", max = {abort_pct:.1}, for_s = {for_s}.0 }}]
"#,
        method.join(", ")
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_experiments_conserve_requests_end_with_a_verdict_and_repeat(
        steps in prop::collection::vec((0u32..=280, fault()), 1..4),
        abort_pct in 1.0f64..100.0,
        for_s in 0u32..60,
        traffic_pct in 1.0f64..=100.0,
        manual in prop::option::of(60u32..400),
    ) {
        let run = || {
            let mut w = world(&steps, abort_pct, for_s, traffic_pct);
            w.push_action(60.0, Action::RunExperiment { name: "random".into() }).unwrap();
            if let Some(t) = manual {
                w.push_action(f64::from(t), Action::AbortExperiment).unwrap();
            }
            while w.now_s < 500.0 {
                step(&mut w);
                let gap = w.counters.conservation_gap();
                prop_assert!(gap.abs() <= 1e-6 * w.counters.arrived.max(1.0), "not conserved at {}", w.now_s);
            }
            Ok(w)
        };
        let w = run()?;
        let e = w.experiment.as_deref().expect("it ran");
        prop_assert!(e.verdict.is_some(), "no verdict by {}", w.now_s);
        prop_assert!(e.service_budget_used_pct <= e.exposed_budget_used_pct + 1e-9);
        if let Some(a) = e.abort {
            // Nothing of the method is applied after the abort.
            let late = w.events.iter().any(|ev| matches!(ev,
                SimEvent::FaultInjected { t_s, by: ActionSource::Experiment, action, .. }
                    if *t_s > a.t_s + 1e-9 && scalesim::sim::chaos::run::rollback_of(action).is_some()));
            prop_assert!(!late, "a step ran after the abort");
        }
        let again = run()?;
        prop_assert_eq!(format!("{:?}", w.events), format!("{:?}", again.events));
    }
}
