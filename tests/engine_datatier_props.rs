//! Property tests over random data-tier configurations and faults: conservation of
//! requests (`arrived = served + failed + queued`, data-tier waits included) and of
//! messages (`published = consumed + lag + expired + dead-lettered`) every tick, no NaN
//! or infinity in any series or snapshot figure, and the same seed → the same run.

mod fixtures;
use proptest::prelude::*;
use scalesim::scenario::load;
use scalesim::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass};
use scalesim::sim::inputs::{Action, FaultKind, PartitionScope};
use scalesim::sim::{step, World};

#[derive(Debug, Clone)]
struct Tiers {
    rps: f64,
    reads: f64,
    writes: f64,
    publishes: f64,
    calls: f64,
    cdn: bool,
    cache: bool,
    coalescing: bool,
    pool: u32,
    replicas: u32,
    partitions: u32,
    consumer_eps: f64,
    mode: &'static str,
    external: bool,
    pods: u32,
}

fn tiers() -> impl Strategy<Value = Tiers> {
    (
        (
            0.0f64..8000.0,
            0.0f64..4.0,
            0.0f64..2.0,
            0.0f64..2.0,
            0.0f64..1.5,
        ),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (1u32..80, 0u32..3, 1u32..16, 100.0f64..5000.0),
        (
            prop::sample::select(vec!["strong", "causal", "eventual", "none"]),
            any::<bool>(),
            2u32..25,
        ),
    )
        .prop_map(
            |(
                (rps, reads, writes, publishes, calls),
                (cdn, cache, coalescing),
                (pool, replicas, partitions, consumer_eps),
                (mode, external, pods),
            )| Tiers {
                rps,
                reads,
                writes,
                publishes,
                calls,
                cdn,
                cache,
                coalescing,
                pool,
                replicas,
                partitions,
                consumer_eps,
                mode,
                external,
                pods,
            },
        )
}

fn action() -> impl Strategy<Value = (f64, Action)> {
    let at = 0.0f64..600.0;
    let dur = prop::option::of(10.0f64..300.0);
    let class = prop::option::of(prop::sample::select(DataClass::ALL.to_vec()));
    let mode = prop::sample::select(vec![
        ConsistencyMode::Strong,
        ConsistencyMode::Causal,
        ConsistencyMode::Eventual,
    ]);
    let resolution = prop::sample::select(vec![
        ConflictResolution::LastWriterWins,
        ConflictResolution::Crdt,
        ConflictResolution::ApplicationMerge,
    ]);
    (
        at,
        prop_oneof![
            (0u32..3, 0.0f64..1.0, dur.clone()).prop_map(|(m, c, d)| Action::Partition {
                between: PartitionScope::Zones,
                minority_replicas: m,
                minority_clients: c,
                duration_s: d,
            }),
            (0.0f64..0.5, dur.clone()).prop_map(|(f, d)| Action::PacketLoss {
                fraction: f,
                duration_s: d
            }),
            Just(Action::CacheFlush),
            dur.clone()
                .prop_map(|d| Action::CacheDown { duration_s: d }),
            any::<bool>().prop_map(|on| Action::SetCoalescing { on }),
            (0u32..2).prop_map(|shard| Action::FailPrimary { shard }),
            (0.0f64..5000.0, 1.0f64..200.0).prop_map(|(ms, d)| Action::ReplicaLagSpike {
                ms,
                duration_s: d,
                shard: 0,
            }),
            (0.0f64..1000.0, dur.clone())
                .prop_map(|(ms, d)| Action::ClockSkew { ms, duration_s: d }),
            dur.clone()
                .prop_map(|d| Action::StopConsumers { duration_s: d }),
            dur.clone().prop_map(|d| Action::DiskFull { duration_s: d }),
            (0.0f64..3000.0, dur.clone()).prop_map(|(ms, d)| Action::DependencySlow {
                extra_ms: ms,
                tail_factor: 2.0,
                duration_s: d,
            }),
            (0.0f64..1.0, dur.clone()).prop_map(|(e, d)| Action::DependencyErrors {
                error_rate: e,
                duration_s: d
            }),
            dur.prop_map(|d| Action::DependencyDown { duration_s: d }),
            Just(Action::CdnPurge),
            Just(Action::AddReplica),
            (1u32..128).prop_map(|workers| Action::ResizeDatabase { workers }),
            (0.0f64..1.0).prop_map(|share| Action::SetHotKeyShare { share }),
            (class.clone(), mode).prop_map(|(class, mode)| Action::SetConsistency { class, mode }),
            (class, resolution)
                .prop_map(|(class, resolution)| Action::SetResolution { class, resolution }),
            Just(Action::Restore {
                fault: FaultKind::All
            }),
            (1u32..4).prop_map(|count| Action::KillPods { count, zone: None }),
        ],
    )
}

fn scenario_text(t: &Tiers) -> String {
    let mut s = format!(
        r#"
title = "random data tier"
[run]
duration_s = 600.0
[topology]
initial_replicas = {pods}
regions = [{{ name = "r", zones = ["a", "b"] }}]
[topology.nodes]
cpu_m = 8000
memory_mib = 32000
initial_per_zone = 4
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 2000
[traffic]
profile = {{ kind = "product", parts = [{{ kind = "constant", rps = {rps} }}, {{ kind = "spike", multiplier = 4.0, start_s = 200.0, ramp_up_s = 20.0, hold_s = 100.0, ramp_down_s = 20.0 }}] }}
classes = [
  {{ name = "browse", share = 0.8, cpu_ms = 1.0, reads = {reads} }},
  {{ name = "checkout", share = 0.2, cpu_ms = 2.0, reads = 1.0, writes = {writes}, publishes = {publishes}, external_calls = {calls} }},
]
[hpa]
minReplicas = 2
maxReplicas = 30
[database]
replicas = {replicas}
[database.pool]
pool_size_per_pod = {pool}
max_connections = 1000
[database.sharding]
shards = 2
[kafka.topic]
partitions = {partitions}
consumer_throughput_eps = {ceps}
initial_consumers = 2
[kafka.hpa]
minReplicas = 1
maxReplicas = 20
[[kafka.hpa.metrics]]
type = "External"
external = {{ metric = {{ name = "kafka_consumergroup_lag" }}, target = {{ type = "AverageValue", averageValue = "500" }} }}
"#,
        pods = t.pods,
        rps = t.rps,
        reads = t.reads,
        writes = t.writes,
        publishes = t.publishes,
        calls = t.calls,
        replicas = t.replicas,
        pool = t.pool,
        partitions = t.partitions,
        ceps = t.consumer_eps,
    );
    if t.cdn {
        s.push_str("[cdn]\nclasses = [{ cacheable_share = 0.8 }, { cacheable_share = 0.0 }]\n");
    }
    if t.cache {
        s.push_str(&format!("[cache]\ncoalescing = {}\n", t.coalescing));
    }
    if t.mode != "none" {
        s.push_str(&format!(
            "[consistency]\nmode = \"{}\"\nwrite_sites = 2\n",
            t.mode
        ));
    }
    if t.external {
        s.push_str("[external]\n");
    }
    s
}

fn run(t: &Tiers, actions: &[(f64, Action)], seed: u64) -> (u64, World) {
    let s = load("random.toml", &scenario_text(t)).unwrap_or_else(|e| panic!("{e}"));
    let mut w = World::new(&s, seed).unwrap();
    for (at, a) in actions {
        w.push_action(*at, a.clone()).unwrap();
    }
    while w.now_s < 600.0 {
        step(&mut w);
        let gap = w.counters.conservation_gap();
        assert!(
            gap.abs() <= 1e-6 * w.counters.arrived.max(1.0),
            "requests not conserved at t = {}: {gap}",
            w.now_s
        );
        let k = w.data.kafka.as_ref().unwrap();
        assert_eq!(
            k.conservation_gap(),
            0,
            "messages not conserved at t = {}",
            w.now_s
        );
        assert!(w.data.waiting_requests >= 0.0 && w.counters.queued >= 0.0);
    }
    (fixtures::series_hash(&w), w)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_data_tiers_and_faults_conserve_requests_and_messages(
        t in tiers(),
        actions in prop::collection::vec(action(), 0..10),
        seed in 0u64..1000,
    ) {
        let (h1, w) = run(&t, &actions, seed);
        let (h2, _) = run(&t, &actions, seed);
        prop_assert_eq!(h1, h2, "same seed, same series");
        let snap = serde_json::to_string(&w.snapshot()).unwrap();
        prop_assert!(!snap.contains("NaN") && !snap.contains("inf"));
        let c = &w.data.counters;
        let failures = c.failures.labelled().map(|(_, v)| v);
        for v in [c.edge_served, c.stale_reads, c.conflicts, c.lost_writes].into_iter().chain(failures) {
            prop_assert!(v.is_finite() && v >= 0.0, "{:?}", c);
        }
    }
}
