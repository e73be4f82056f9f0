//! Property tests over random scenarios and fault sequences: no panic, no NaN or
//! infinity, conservation every tick, replicas within [min, max], same seed → same hash.

mod fixtures;
use proptest::prelude::*;
use scalesim::scenario::load;
use scalesim::sim::inputs::{Action, FaultKind, LatencyTarget};
use scalesim::sim::{step, World};

#[derive(Debug, Clone)]
struct Params {
    zones: usize,
    replicas: u32,
    min: u32,
    max: u32,
    rps: f64,
    spike: f64,
    cpu_ms: f64,
    algorithm: &'static str,
    cross_zone: bool,
    sticky: bool,
    noise: bool,
    pause: u32,
    tick_s: f64,
}

fn params() -> impl Strategy<Value = Params> {
    (
        1usize..=3,
        1u32..=8,
        1u32..=4,
        4u32..=30,
        0.0f64..5000.0,
        1.0f64..12.0,
        0.2f64..20.0,
        prop::sample::select(vec![
            "round_robin",
            "least_outstanding",
            "weighted",
            "power_of_two",
        ]),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u32..4,
            prop::sample::select(vec![0.5, 1.0, 2.0]),
        ),
    )
        .prop_map(
            |(
                zones,
                replicas,
                min,
                max,
                rps,
                spike,
                cpu_ms,
                algorithm,
                (cross_zone, sticky, noise, pause, tick_s),
            )| {
                Params {
                    zones,
                    replicas: replicas.clamp(min, max),
                    min,
                    max,
                    rps,
                    spike,
                    cpu_ms,
                    algorithm,
                    cross_zone,
                    sticky,
                    noise,
                    pause,
                    tick_s,
                }
            },
        )
}

fn action() -> impl Strategy<Value = (f64, Action)> {
    let zone = prop::sample::select(vec!["z0", "z1", "z2"]);
    (
        0.0f64..900.0,
        prop_oneof![
            (1u32..4).prop_map(|count| Action::KillPods { count, zone: None }),
            Just(Action::KillNode { zone: None }),
            zone.clone()
                .prop_map(|z| Action::KillZone { zone: z.into() }),
            zone.prop_map(|z| Action::RestoreZone { zone: z.into() }),
            (0.0f64..3000.0).prop_map(|ms| Action::InjectLatency {
                target: LatencyTarget::CrossZone,
                ms,
                duration_s: Some(120.0)
            }),
            (0.0f64..1.0).prop_map(|fraction| Action::CpuStress {
                fraction,
                pods: Some(2),
                duration_s: Some(200.0)
            }),
            (1.0f64..50.0).prop_map(|mib_per_s| Action::MemoryLeak {
                mib_per_s,
                pods: None,
                duration_s: None
            }),
            (0.0f64..1.0).prop_map(|error_rate| Action::BadRelease {
                error_rate,
                extra_latency_ms: 50.0,
                duration_s: Some(100.0)
            }),
            Just(Action::Restore {
                fault: FaultKind::All
            }),
            (1.0f64..8.0).prop_map(|multiplier| Action::Spike {
                multiplier,
                ramp_up_s: 10.0,
                hold_s: 100.0,
                ramp_down_s: 10.0
            }),
            (0u32..5).prop_map(|count| Action::SetPausePods { count }),
        ],
    )
}

fn scenario_text(p: &Params) -> String {
    let zones: Vec<String> = (0..p.zones).map(|i| format!("\"z{i}\"")).collect();
    let sticky = if p.sticky {
        "sticky = { fraction = 0.5, session_s = 300.0, requests_per_session = 20.0 }"
    } else {
        ""
    };
    format!(
        r#"
title = "random"
[run]
tick_s = {tick}
duration_s = 900.0
[topology]
initial_replicas = {replicas}
regions = [{{ name = "r", zones = [{zones}] }}]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 1
max_per_zone = 6
provision_delay_s = 120.0
[topology.pod]
cpu_request_m = 500
cpu_limit_m = 1000
[traffic]
noise = {noise}
profile = {{ kind = "product", parts = [{{ kind = "constant", rps = {rps} }}, {{ kind = "spike", multiplier = {spike}, start_s = 200.0, ramp_up_s = 30.0, hold_s = 300.0, ramp_down_s = 30.0 }}] }}
classes = [{{ name = "a", share = 0.7, cpu_ms = {cpu} }}, {{ name = "b", share = 0.3, cpu_ms = {cpu2} }}]
[balancer]
algorithm = "{alg}"
cross_zone = {cz}
{sticky}
[pause_pods]
count = {pause}
[hpa]
minReplicas = {min}
maxReplicas = {max}
"#,
        tick = p.tick_s,
        replicas = p.replicas,
        zones = zones.join(", "),
        noise = p.noise,
        rps = p.rps,
        spike = p.spike,
        cpu = p.cpu_ms,
        cpu2 = p.cpu_ms * 2.0,
        alg = p.algorithm,
        cz = p.cross_zone,
        pause = p.pause,
        min = p.min,
        max = p.max,
    )
}

fn run(p: &Params, actions: &[(f64, Action)], seed: u64) -> (u64, World) {
    let s = load("random.toml", &scenario_text(p)).unwrap_or_else(|e| panic!("{e}"));
    let mut w = World::new(&s, seed).unwrap();
    for (t, a) in actions {
        // Zones beyond this topology are rejected with an error, never a panic.
        let _ = w.push_action(*t, a.clone());
    }
    while w.now_s < 900.0 {
        step(&mut w);
        let gap = w.counters.conservation_gap();
        assert!(
            gap.abs() <= 1e-6 * w.counters.arrived.max(1.0),
            "conservation broken at t = {}: {gap}",
            w.now_s
        );
        assert!(
            w.spec_replicas >= p.min as i32 && w.spec_replicas <= p.max as i32,
            "replicas {} outside [{}, {}] at t = {}",
            w.spec_replicas,
            p.min,
            p.max,
            w.now_s
        );
    }
    (fixtures::series_hash(&w), w)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn random_scenarios_and_faults_keep_the_engine_sound(
        p in params(),
        actions in prop::collection::vec(action(), 0..8),
        seed in 0u64..1000,
    ) {
        let (h1, w) = run(&p, &actions, seed);
        let (h2, _) = run(&p, &actions, seed);
        prop_assert_eq!(h1, h2, "same seed, same series");
        prop_assert!(w.last.p99_ms.is_finite());
        prop_assert!(w.cost.total_usd.is_finite());
        prop_assert!(w.snapshot().pods.len() == w.pods.len());
    }
}
