//! Property tests over random rollouts (issue 15): any desired count, maxSurge and
//! maxUnavailable as counts or shares, versions that crash-loop or not, rollouts and
//! rollbacks at random times, with the HPA scaling up or down meanwhile. Requests are conserved
//! every tick, the ReplicaSets never ask for more than desired + maxSurge pods, every
//! live pod belongs to a set, and the same seed gives the same run.

use proptest::prelude::*;
use scalesim::scenario::load;
use scalesim::sim::inputs::Action;
use scalesim::sim::rollout::resolve_fenceposts;
use scalesim::sim::topology::PodKind;
use scalesim::sim::{step, World};

fn bound() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..=6).prop_map(|n| n.to_string()),
        (0u32..=100).prop_map(|p| format!("\"{p}%\""))
    ]
}

fn scenario(
    replicas: u32,
    surge: &str,
    unavailable: &str,
    crash: bool,
    min_ready: f64,
    up: bool,
) -> String {
    let (from, to) = if up { (200.0, 1500.0) } else { (1500.0, 100.0) };
    format!(
        r#"
title = "rollout props"
[run]
duration_s = 900.0
[topology]
initial_replicas = {replicas}
regions = [{{ name = "r", zones = ["a", "b"] }}]
[topology.nodes]
cpu_m = 8000
memory_mib = 32000
initial_per_zone = 3
max_per_zone = 8
[traffic]
noise = true
profile = {{ kind = "ramp", from_rps = {from}, to_rps = {to}, start_s = 0.0, duration_s = 900.0 }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 10.0 }}]
[cluster_autoscaler]
enabled = false
[hpa]
minReplicas = 1
maxReplicas = 30
[[hpa.metrics]]
type = "Resource"
resource = {{ name = "cpu", target = {{ type = "Utilization", averageUtilization = 50 }} }}
[deployment]
max_surge = {surge}
max_unavailable = {unavailable}
min_ready_s = {min_ready}
[[versions]]
name = "v2"
error_rate = 0.05
[[versions]]
name = "v3"
crash_loop = {crash}
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn rollouts_conserve_requests_and_keep_within_the_surge(
        replicas in 1u32..=24,
        surge in bound(),
        unavailable in bound(),
        crash in any::<bool>(),
        min_ready in 0.0f64..60.0,
        plan in prop::collection::vec((0.0f64..800.0, prop::sample::select(vec!["v1", "v2", "v3"])), 1..4),
        seed in 0u64..1000,
        up in any::<bool>(),
    ) {
        let text = scenario(replicas, &surge, &unavailable, crash, min_ready, up);
        let s = load("props.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let run = || {
            let mut w = World::new(&s, seed).unwrap();
            for (at, v) in &plan {
                w.push_action(*at, Action::Rollout { version: v.to_string() }).unwrap();
            }
            let mut trace = Vec::new();
            while w.now_s < 900.0 - 1e-9 {
                step(&mut w);
                let gap = w.counters.conservation_gap();
                prop_assert!(gap.abs() <= 1e-6 * w.counters.arrived.max(1.0), "not conserved at {}", w.now_s);
                if let Some(r) = &w.rollout {
                    let desired = w.spec_replicas;
                    let d = &w.scenario.deployment;
                    let (s_max, _) = resolve_fenceposts(d.max_surge, d.max_unavailable, desired);
                    let spec: i32 = r.sets.iter().map(|s| s.replicas).sum();
                    prop_assert!(spec <= desired + s_max, "{spec} asked for, desired {desired} + {s_max} at {}", w.now_s);
                    for p in w.pods.iter().filter(|p| p.kind == PodKind::App && p.is_live_app()) {
                        prop_assert!(r.sets.iter().any(|s| s.version == p.version), "a pod of version {} has no set", p.version);
                    }
                }
                trace.push((w.counters.served.to_bits(), w.pods.len()));
            }
            Ok(trace)
        };
        let first = run()?;
        prop_assert_eq!(first, run()?);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Canaries and rollouts at random times, of good, bad and crash-looping versions,
    /// with the HPA moving: requests are conserved, a canary's sets ask for the desired
    /// replicas plus ⌈w × desired⌉ (at least 1), every live pod belongs to a set, a canary
    /// ends (rolled back or promoted) or still runs at the end, and the run repeats.
    #[test]
    fn canaries_conserve_requests_and_keep_their_sets(
        replicas in 1u32..=16,
        crash in any::<bool>(),
        plan in prop::collection::vec(
            (0.0f64..800.0, prop::sample::select(vec!["v1", "v2", "v3"]), any::<bool>()),
            1..4,
        ),
        seed in 0u64..1000,
        up in any::<bool>(),
    ) {
        let text = scenario(replicas, "\"25%\"", "\"25%\"", crash, 0.0, up)
            + "[canary]\ninterval_s = 20.0\nmin_requests = 10.0\nstages = [{ weight_pct = 10.0, hold_s = 60.0 }, { weight_pct = 40.0, hold_s = 60.0 }]\n";
        let s = load("props.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let run = || {
            let mut w = World::new(&s, seed).unwrap();
            for (at, v, canary) in &plan {
                let version = v.to_string();
                let a = if *canary { Action::Canary { version } } else { Action::Rollout { version } };
                w.push_action(*at, a).unwrap();
            }
            let mut trace = Vec::new();
            while w.now_s < 900.0 - 1e-9 {
                step(&mut w);
                let gap = w.counters.conservation_gap();
                prop_assert!(gap.abs() <= 1e-6 * w.counters.arrived.max(1.0), "not conserved at {}", w.now_s);
                if let Some(r) = &w.rollout {
                    if let Some(c) = &r.canary {
                        let desired = w.spec_replicas.max(0);
                        let weight = c.weight(&w.scenario.canary);
                        let spec: i32 = r.sets.iter().map(|s| s.replicas).sum();
                        let want = desired + scalesim::sim::rollout::canary::canary_replicas(weight, desired);
                        prop_assert!(spec <= want, "{spec} asked for during a canary, at most {want}, at {}", w.now_s);
                    }
                    for p in w.pods.iter().filter(|p| p.kind == PodKind::App && p.is_live_app()) {
                        prop_assert!(r.sets.iter().any(|s| s.version == p.version), "a pod of version {} has no set", p.version);
                    }
                }
                trace.push((w.counters.served.to_bits(), w.pods.len()));
            }
            Ok((trace, w.events.len()))
        };
        let first = run()?;
        prop_assert_eq!(first, run()?);
    }
}
