//! World-level stories of the data and async tiers wired into `step` (docs/models.md#data-tier).
//! Each test drives a whole World (pods, HPA, load balancer) with a data tier and checks
//! one story of the issue's list, through the snapshot, the series and the event log.

use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::consistency::{ConflictResolution, ConsistencyMode};
use scalesim::sim::events::SimEvent;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::series::Series;
use scalesim::sim::{run_until, step, World};

fn built(name: &str) -> Scenario {
    load(name, built_in(name).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

/// A one-region, three-zone shop at `rps` with one class and the given data-tier TOML.
fn shop(rps: f64, class: &str, replicas: u32, tiers: &str) -> Scenario {
    let text = format!(
        r#"
title = "story"
[run]
duration_s = 3600.0
[topology]
initial_replicas = {replicas}
regions = [{{ name = "r", zones = ["a", "b", "c"] }}]
[topology.nodes]
cpu_m = 8000
memory_mib = 32000
initial_per_zone = 4
max_per_zone = 10
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 2000
memory_request_mib = 512
memory_limit_mib = 1024
[traffic]
noise = false
profile = {{ kind = "constant", rps = {rps} }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 1.0, {class} }}]
{tiers}
"#
    );
    load("story.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn run_checked(w: &mut World, until_s: f64) {
    while w.now_s < until_s - 1e-9 {
        step(w);
        let gap = w.counters.conservation_gap();
        assert!(
            gap.abs() <= 1e-6 * w.counters.arrived.max(1.0),
            "requests not conserved at t = {}: {gap}",
            w.now_s
        );
        if let Some(k) = w.data.kafka.as_ref() {
            assert_eq!(k.conservation_gap(), 0, "messages not conserved");
        }
    }
}

/// Values of series `c` whose time lies in [from_s, to_s).
fn window(w: &World, c: Series, from_s: f64, to_s: f64) -> Vec<f64> {
    let t = w.series.get(Series::Time);
    w.series
        .get(c)
        .iter()
        .zip(t)
        .filter(|(_, t)| **t >= from_s && **t < to_s)
        .map(|(v, _)| *v)
        .collect()
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::MIN, f64::max)
}

#[test]
fn kafka_absorbs_a_100k_events_per_second_burst_and_the_database_sees_a_smooth_rate() {
    let s = built("kafka-burst");
    let mut w = World::new(&s, s.run.seed).unwrap();
    run_checked(&mut w, 2300.0);
    // The burst of 100K events/s (T+5 to T+10 min) fits under the 150K/s broker limit: no publish fails.
    assert_eq!(w.data.counters.failures[FailureReason::PublishRefused], 0.0);
    let arrivals = window(&w, Series::ArrivalsRps, 400.0, 600.0);
    assert!(arrivals.iter().all(|a| *a > 90_000.0), "{arrivals:?}");
    // The log absorbs it: millions of messages of lag…
    assert!(max(&window(&w, Series::KafkaLagMessages, 300.0, 1200.0)) > 5e6);
    // …consumers scale on lag up to 15 (only 12 own a partition) …
    assert!(max(&window(&w, Series::KafkaConsumers, 300.0, 1200.0)) >= 12.0);
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, SimEvent::ConsumersScaled { to, .. } if *to > 5)));
    // …and the database sees at most what 12 active consumers write: a flat 30K/s, not the burst.
    let db = window(&w, Series::DbWritesPerS, 300.0, 2300.0);
    assert!(max(&db) <= 12.0 * 2500.0 + 1.0, "{}", max(&db));
    let plateau = window(&w, Series::DbWritesPerS, 700.0, 1500.0);
    assert!(
        plateau.iter().all(|v| (v - 30_000.0).abs() < 500.0),
        "{plateau:?}"
    );
    // The lag drains before the second burst.
    assert!(w.data.last.kafka_lag_messages < 100_000.0);
    // Above the broker limit, publishes are refused and those requests fail.
    run_checked(&mut w, 2600.0);
    assert!(w.data.counters.failures[FailureReason::PublishRefused] > 1e6);
    let k = w.data.kafka.as_ref().unwrap().totals();
    assert!(k.rejected > 0);
    assert_eq!(
        k.published,
        k.consumed + w.data.kafka.as_ref().unwrap().lag_messages() + k.expired + k.dead_lettered
    );
}

#[test]
fn an_80_percent_cache_hit_ratio_takes_about_80_percent_of_reads_off_the_database() {
    let s = shop(
        5000.0,
        "reads = 1.0",
        6,
        r#"
[cache]
keys = 1000000
zipf_s = 1.0
capacity_keys = 70000.0
ttl_s = 300.0
[database]
"#,
    );
    let mut w = World::new(&s, 1).unwrap();
    run_checked(&mut w, 1200.0);
    let (mut hits, mut db, mut n) = (0.0, 0.0, 0.0);
    while w.now_s < 1800.0 {
        let next = w.now_s + 1.0;
        run_checked(&mut w, next);
        hits += w.data.last.cache_hit_ratio;
        db += w.data.last.db_reads_per_s;
        n += 1.0;
    }
    let hit = hits / n;
    let off = 1.0 - db / n / 5000.0;
    assert!((hit - 0.8).abs() < 0.05, "hit ratio {hit}");
    assert!(
        (off - hit).abs() < 0.02,
        "{off} of reads kept off the database vs hit ratio {hit}"
    );
}

fn pool_world(replicas: i32) -> World {
    let s = shop(
        4000.0,
        "reads = 1.0, writes = 0.1",
        20,
        r#"
[database]
[database.pool]
pool_size_per_pod = 50
max_connections = 1000
wait_timeout_ms = 1000.0
"#,
    );
    let mut w = World::new(&s, 2).unwrap();
    w.push_action(0.0, Action::SetReplicas { replicas })
        .unwrap();
    w
}

#[test]
fn the_connection_pool_is_exhausted_past_20_pods() {
    // docs/models.md#connection-pools: 50 connections per pod × 20 pods = 1,000 = max_connections: fits.
    let mut ok = pool_world(20);
    run_checked(&mut ok, 600.0);
    assert_eq!(ok.ready_app_pods(), 20);
    assert_eq!(ok.data.counters.failures[FailureReason::Database], 0.0);
    // 24 pods: the 21st gets no connection, its queries wait out the pool timeout and fail.
    let mut over = pool_world(24);
    run_checked(&mut over, 600.0);
    assert_eq!(over.ready_app_pods(), 24);
    assert!(
        over.data.counters.failures[FailureReason::Database] > 10_000.0,
        "{:?}",
        over.data.counters
    );
    let db = over.snapshot().tiers.database.unwrap();
    assert_eq!(db.connections_granted, 1000);
    assert!(db.connections_wanted > db.max_connections);
    assert!(over.counters.failed() > 10_000.0);
}

fn store_world(mode: &str, resolution: &str) -> World {
    let s = shop(
        3000.0,
        "reads = 2.0, writes = 1.0",
        8,
        &format!(
            r#"
[database]
workers = 64
apply_capacity_wps = 20000.0
[consistency]
mode = "{mode}"
resolution = "{resolution}"
replicas = 3
read_quorum = 2
write_quorum = 2
write_sites = 2
replica_rtt_ms = 20.0
"#
        ),
    );
    World::new(&s, 3).unwrap()
}

#[test]
fn flipping_from_strong_to_eventual_cuts_write_p99_and_makes_stale_reads_appear() {
    let mut w = store_world("strong", "last_writer_wins");
    run_checked(&mut w, 300.0);
    let strong = w.snapshot().tiers.consistency.unwrap();
    assert_eq!(strong.stale_read_pct, 0.0);
    w.push_action(
        300.0,
        Action::SetConsistency {
            class: None,
            mode: ConsistencyMode::Eventual,
        },
    )
    .unwrap();
    run_checked(&mut w, 600.0);
    let eventual = w.snapshot().tiers.consistency.unwrap();
    assert!(
        eventual.write_p99_ms < 0.5 * strong.write_p99_ms,
        "{} vs {}",
        eventual.write_p99_ms,
        strong.write_p99_ms
    );
    assert!(eventual.stale_read_pct > 0.0);
    assert!(w.data.counters.stale_reads > 0.0);
    // The switch reads in plain words.
    let said: Vec<String> = w.events.iter().map(|e| e.describe()).collect();
    assert!(
        said.iter()
            .any(|s| s == "T+5:00 Consistency: every class strong → eventual"),
        "{said:?}"
    );
    assert!(window(&w, Series::StaleReadPct, 320.0, 600.0)
        .iter()
        .all(|v| *v > 0.0));
}

#[test]
fn a_partition_costs_availability_under_strong_consistency_and_conflicts_under_eventual() {
    let partition = Action::Partition {
        between: Default::default(),
        minority_replicas: 1,
        minority_clients: 0.3,
        duration_s: Some(300.0),
    };
    let mut strong = store_world("strong", "last_writer_wins");
    let mut eventual = store_world("eventual", "last_writer_wins");
    for w in [&mut strong, &mut eventual] {
        w.push_action(300.0, partition.clone()).unwrap();
        run_checked(w, 700.0);
    }
    // Strong: the minority side has no quorum and refuses; no conflict.
    assert!(strong.data.counters.failures[FailureReason::NoQuorum] > 10_000.0);
    assert_eq!(strong.data.counters.conflicts, 0.0);
    assert!(strong.counters.failed() > 10_000.0);
    // Eventual: both sides accept writes; nothing fails, conflicts are counted.
    assert_eq!(
        eventual.data.counters.failures[FailureReason::NoQuorum],
        0.0
    );
    assert!(eventual.data.counters.conflicts > 100.0);
    assert_eq!(eventual.counters.failed(), 0.0);
}

#[test]
fn last_writer_wins_with_500_ms_of_clock_skew_loses_updates_and_the_crdt_option_does_not() {
    let mut lww = store_world("eventual", "last_writer_wins");
    let mut crdt = store_world("eventual", "crdt");
    for w in [&mut lww, &mut crdt] {
        w.push_action(
            100.0,
            Action::ClockSkew {
                ms: 500.0,
                duration_s: None,
            },
        )
        .unwrap();
        w.push_action(
            100.0,
            Action::Partition {
                between: Default::default(),
                minority_replicas: 1,
                minority_clients: 0.5,
                duration_s: Some(300.0),
            },
        )
        .unwrap();
        run_checked(w, 600.0);
    }
    assert!(
        lww.data.counters.lost_writes > 100.0,
        "{:?}",
        lww.data.counters
    );
    assert!(crdt.data.counters.conflicts > 100.0);
    assert_eq!(crdt.data.counters.lost_writes, 0.0);
    let view = crdt.snapshot().tiers.consistency.unwrap();
    assert!(view
        .classes
        .iter()
        .all(|c| c.resolution == ConflictResolution::Crdt));
}

#[test]
fn a_cache_flush_stampedes_the_database_without_coalescing_and_does_not_with_it() {
    let s = built("cache-stampede");
    let mut w = World::new(&s, s.run.seed).unwrap();
    // Each flush: (database failures, peak database reads/s, peak p99) over the next 100 s.
    let flush = |w: &mut World, at_s: f64| {
        run_checked(w, at_s - 5.0);
        let failed = w.data.counters.failures[FailureReason::Database];
        let mut peak_reads: f64 = 0.0;
        while w.now_s < at_s + 100.0 {
            let next = w.now_s + 1.0;
            run_checked(w, next);
            peak_reads = peak_reads.max(w.data.last.db_reads_per_s);
        }
        let p99 = max(&window(w, Series::P99Ms, at_s, at_s + 100.0));
        (
            w.data.counters.failures[FailureReason::Database] - failed,
            peak_reads,
            p99,
        )
    };
    // T+10 min, no coalescing: a herd of duplicate reads; the database saturates and fails.
    let (herd_failed, herd_reads, herd_p99) = flush(&mut w, 600.0);
    // T+25 min, the same flush with coalescing: one read per missing key.
    let (single_failed, single_reads, single_p99) = flush(&mut w, 1500.0);
    assert!(herd_failed > 1000.0, "stampede failures {herd_failed}");
    assert_eq!(single_failed, 0.0);
    assert!(
        herd_p99 > 1000.0 && single_p99 < herd_p99,
        "{herd_p99} {single_p99}"
    );
    assert!(herd_reads > single_reads, "{herd_reads} vs {single_reads}");
    assert!(w
        .events
        .iter()
        .any(|e| e.describe().contains("request coalescing on the cache on")));
}

#[test]
fn a_killed_primary_fails_writes_until_promotion() {
    let s = shop(
        2000.0,
        "reads = 1.0, writes = 1.0",
        8,
        r#"
[database]
failover_detection_s = 30.0
promotion_s = 30.0
"#,
    );
    let mut w = World::new(&s, 4).unwrap();
    w.push_action(300.0, Action::FailPrimary { shard: 0 })
        .unwrap();
    run_checked(&mut w, 300.0);
    assert_eq!(w.data.counters.failures[FailureReason::Database], 0.0);
    run_checked(&mut w, 330.0);
    let during = w.data.counters.failures[FailureReason::Database];
    assert!(
        during > 10_000.0,
        "writes fail while the primary is down: {during}"
    );
    assert!(!w.snapshot().tiers.database.unwrap().shards[0].primary_up);
    run_checked(&mut w, 365.0);
    let done = w
        .events
        .iter()
        .find_map(|e| match e {
            SimEvent::FailoverDone { t_s, .. } => Some(*t_s),
            _ => None,
        })
        .expect("failover done");
    assert!(
        (355.0..=365.0).contains(&done),
        "promotion after detection + promotion: {done}"
    );
    let after = w.data.counters.failures[FailureReason::Database];
    run_checked(&mut w, 600.0);
    assert_eq!(
        w.data.counters.failures[FailureReason::Database],
        after,
        "writes succeed after promotion"
    );
    assert!(w.snapshot().tiers.database.unwrap().shards[0].primary_up);
    assert!(w
        .events
        .iter()
        .any(|e| e.describe().contains("Database: failover done")));
}

#[test]
fn the_reference_architecture_runs_a_day_with_every_tier_busy_and_conserved() {
    let s = built("reference");
    let mut w = World::new(&s, 42).unwrap();
    run_checked(&mut w, 12.0 * 3600.0);
    let snap = w.snapshot();
    assert!(snap.tiers.cdn.unwrap().offload_pct > 50.0);
    assert!(snap.tiers.cache.unwrap().hit_ratio > 0.5);
    assert!(snap.tiers.database.unwrap().connections_in_use > 0.0);
    assert!(snap.tiers.kafka.unwrap().consumed_eps > 0.0);
    assert!(w.data.counters.edge_served > 0.0);
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, SimEvent::ConsumersScaled { .. })));
}

#[test]
fn a_world_serialized_mid_run_continues_bit_identically() {
    for name in ["reference", "consistency-tradeoff", "kafka-burst"] {
        let s = built(name);
        let mut a = World::new(&s, 7).unwrap();
        run_until(&mut a, 700.0);
        let json = serde_json::to_string(&a).unwrap();
        let mut b: World = serde_json::from_str(&json).unwrap();
        run_until(&mut a, 1400.0);
        run_until(&mut b, 1400.0);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap(),
            "{name}: the restored world diverged"
        );
        assert!(b.control.hpa.controller.is_some() || s.hpa.is_none());
    }
}

#[test]
fn every_data_tier_fault_has_a_plain_words_description_and_heals() {
    let s = built("reference");
    let mut w = World::new(&s, 1).unwrap();
    let faults = [
        Action::CacheFlush,
        Action::CacheDown {
            duration_s: Some(30.0),
        },
        Action::FailPrimary { shard: 0 },
        Action::ReplicaLagSpike {
            ms: 2000.0,
            duration_s: 60.0,
            shard: 0,
        },
        Action::StopConsumers {
            duration_s: Some(60.0),
        },
        Action::DiskFull {
            duration_s: Some(30.0),
        },
        Action::CdnPurge,
        Action::DnsFailure {
            duration_s: Some(30.0),
        },
        Action::PacketLoss {
            fraction: 0.05,
            duration_s: Some(30.0),
        },
        Action::DependencySlow {
            extra_ms: 500.0,
            tail_factor: 2.0,
            duration_s: Some(30.0),
        },
        Action::DependencyErrors {
            error_rate: 0.2,
            duration_s: Some(30.0),
        },
        Action::DependencyDown {
            duration_s: Some(30.0),
        },
        Action::SetResolution {
            class: None,
            resolution: ConflictResolution::Crdt,
        },
    ];
    for (i, f) in faults.iter().enumerate() {
        w.push_action(60.0 + 10.0 * i as f64, f.clone()).unwrap();
    }
    run_checked(&mut w, 600.0);
    let said: Vec<String> = w.events.iter().map(|e| e.describe()).collect();
    for needle in [
        "flush the cache",
        "cache down for 30 s",
        "kill the database primary of shard 0",
        "stop the Kafka consumers",
        "Fault cleared: consumers stopped (restarted)",
        "database disk full",
        "purge the CDN",
        "Database: failover done",
    ] {
        assert!(
            said.iter().any(|s| s.contains(needle)),
            "{needle}: {said:?}"
        );
    }
    let k = w.data.kafka.as_ref().unwrap();
    assert!(!k.consumers_stopped());
    assert!(!w.data.cache.as_ref().unwrap().down);
    assert!(!w.data.database.as_ref().unwrap().disk_full);
}

fn two_regions(sovereignty: &str) -> World {
    let text = format!(
        r#"
title = "regions"
[topology]
initial_replicas = 8
regions = [{{ name = "us-east-1", zones = ["use1a", "use1b"] }}, {{ name = "eu-west-1", zones = ["euw1a", "euw1b"] }}]
[topology.nodes]
cpu_m = 8000
memory_mib = 32000
initial_per_zone = 2
[traffic]
noise = false
profile = {{ kind = "constant", rps = 2000.0 }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 2.0, reads = 1.0, writes = 0.2 }}]
[database]
[gslb]
policy = "geography"
sovereignty = "{sovereignty}"
dns_ttl_s = 30.0
regions = [{{ name = "us-east-1", eu = false, weight = 1.0 }}, {{ name = "eu-west-1", eu = true, weight = 1.0 }}]
users = [
  {{ name = "US users", share = 0.6, eu = false, home_region = 0, latency_ms = [20.0, 90.0] }},
  {{ name = "EU users", share = 0.4, eu = true, home_region = 1, latency_ms = [90.0, 20.0] }},
]
"#
    );
    let s = load("regions.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    World::new(&s, 5).unwrap()
}

#[test]
fn the_gslb_fails_over_a_dead_region_and_the_sovereignty_rule_refuses_or_breaks_as_chosen() {
    let mut refuse = two_regions("refuse");
    let mut brk = two_regions("break");
    for w in [&mut refuse, &mut brk] {
        run_checked(w, 120.0);
        let g = w.snapshot().tiers.gslb.unwrap();
        assert!((g.regions[0].rps - 1200.0).abs() < 1.0 && (g.regions[1].rps - 800.0).abs() < 1.0);
        w.push_action(
            120.0,
            Action::KillRegion {
                region: "eu-west-1".into(),
            },
        )
        .unwrap();
        run_checked(w, 400.0);
        assert!(!w.snapshot().tiers.gslb.unwrap().regions[1].in_rotation);
        assert!(w
            .events
            .iter()
            .any(|e| matches!(e, SimEvent::RegionFailover { .. })));
    }
    // Refuse: EU users have no EU region left, their requests fail; US users are served.
    let r = refuse.snapshot().tiers.gslb.unwrap();
    assert!(r.failed_rps > 700.0, "{r:?}");
    assert_eq!(refuse.data.counters.sovereignty_violations, 0.0);
    // Break: EU users fail over to the US, counted as violations.
    let b = brk.snapshot().tiers.gslb.unwrap();
    assert!(b.regions[0].rps > 1900.0, "{b:?}");
    assert!(brk.data.counters.sovereignty_violations > 10_000.0);
    assert!(brk.last.errors_rps < 1.0);
}

#[test]
fn a_database_cannot_autoscale_fast_a_new_replica_serves_only_minutes_later() {
    let s = shop(
        2000.0,
        "reads = 1.0",
        8,
        r#"
[database]
replicas = 1
replica_provision_s = 600.0
"#,
    );
    let mut w = World::new(&s, 6).unwrap();
    w.push_action(60.0, Action::AddReplica).unwrap();
    run_checked(&mut w, 120.0);
    let ready = |w: &World| {
        w.snapshot().tiers.database.unwrap().shards[0]
            .replicas
            .iter()
            .filter(|r| r.state == scalesim::sim::data::database::ReplicaState::Ready)
            .count()
    };
    assert_eq!(
        w.snapshot().tiers.database.unwrap().shards[0]
            .replicas
            .len(),
        2
    );
    assert_eq!(ready(&w), 1, "still provisioning a minute later");
    run_checked(&mut w, 700.0);
    assert_eq!(ready(&w), 2, "ready ten minutes after it was asked for");
    assert!(w
        .events
        .iter()
        .any(|e| e.describe().contains("add a read replica to every shard")));
}

#[test]
fn a_failing_payment_provider_fails_checkouts_and_a_slow_one_slows_them() {
    let s = shop(
        500.0,
        "reads = 1.0, writes = 1.0, external_calls = 1.0",
        6,
        r#"
[database]
[external]
base_latency_ms = 100.0
error_rate = 0.0
rate_limit_rps = 5000.0
"#,
    );
    let mut w = World::new(&s, 8).unwrap();
    run_checked(&mut w, 300.0);
    assert!(w.data.counters.failures[FailureReason::Dependency] < 1.0);
    let p50_before = w.last.p50_ms;
    w.push_action(
        300.0,
        Action::DependencyErrors {
            error_rate: 0.3,
            duration_s: Some(120.0),
        },
    )
    .unwrap();
    run_checked(&mut w, 420.0);
    let failed = w.data.counters.failures[FailureReason::Dependency];
    assert!((failed / (500.0 * 120.0) - 0.3).abs() < 0.03, "{failed}");
    run_checked(&mut w, 600.0);
    assert!(
        w.data.counters.failures[FailureReason::Dependency] - failed < 1.0,
        "healed after 120 s"
    );
    w.push_action(
        600.0,
        Action::DependencySlow {
            extra_ms: 400.0,
            tail_factor: 1.0,
            duration_s: None,
        },
    )
    .unwrap();
    run_checked(&mut w, 720.0);
    assert!(
        w.last.p50_ms > p50_before + 300.0,
        "{} vs {p50_before}",
        w.last.p50_ms
    );
    assert!(w.snapshot().tiers.external.unwrap().latency_ms > 450.0);
}

#[test]
fn a_cdn_purge_surges_the_origin_then_the_edge_rewarms() {
    let s = shop(
        5000.0,
        "reads = 0.0",
        10,
        r#"
[cdn]
pops = 5
classes = [{ cacheable_share = 0.9, ttl_s = 3600.0, objects = 20000, zipf_s = 1.0 }]
"#,
    );
    let mut w = World::new(&s, 9).unwrap();
    run_checked(&mut w, 900.0);
    let warm = w.data.last.cdn_offload_pct;
    assert!(warm > 60.0, "{warm}");
    w.push_action(900.0, Action::CdnPurge).unwrap();
    run_checked(&mut w, 902.0);
    let purged = w.data.last.cdn_offload_pct;
    assert!(
        purged < warm - 20.0,
        "the origin takes the surge: {purged} vs {warm}"
    );
    run_checked(&mut w, 1500.0);
    assert!(w.data.last.cdn_offload_pct > warm - 5.0, "re-warmed");
    let hit = window(&w, Series::CdnHitRatio, 900.0, 1500.0);
    assert!(hit.first().unwrap() < hit.last().unwrap());
}

#[test]
fn a_call_slower_than_its_timeout_fails_only_once_the_run_has_lasted_its_timeout() {
    // 3,000 ms client timeout; the provider answers after 5 s from the start.
    let s = shop(
        500.0,
        "reads = 0.0, writes = 0.0, external_calls = 1.0",
        6,
        "[external]\ntimeout_ms = 3000.0\n",
    );
    let mut w = World::new(&s, 8).unwrap();
    w.push_action(
        0.0,
        Action::DependencySlow {
            extra_ms: 5000.0,
            tail_factor: 1.0,
            duration_s: None,
        },
    )
    .unwrap();
    run_checked(&mut w, 2.0);
    // Two seconds in, no call has waited 3 s: the requests are in flight.
    assert_eq!(w.data.counters.failures[FailureReason::Dependency], 0.0);
    assert!(
        w.data.external_timing_out > 900.0,
        "{}",
        w.data.external_timing_out
    );
    assert!(w.counters.queued >= w.data.external_timing_out);
    run_checked(&mut w, 4.0);
    // From 3 s on they fail, the held ones with them; none is lost or counted twice.
    assert_eq!(w.data.external_timing_out, 0.0);
    let failed = w.data.counters.failures[FailureReason::Dependency];
    assert!((failed - 500.0 * 4.0).abs() < 1.0, "{failed}");
}

#[test]
fn behind_a_cdn_the_pods_pay_the_cpu_of_the_mix_that_reaches_them() {
    // 1,000 req/s: 80 % static pages at 1 ms of CPU, 20 % API calls at 9 ms. The
    // arrivals' mix costs 0.8 × 1 + 0.2 × 9 = 2.6 ms. The CDN caches half of the
    // static pages (one object, a TTL longer than the run: every cacheable request
    // hits once it is warm), so the origin gets 400 static + 200 API req/s and pays
    // (400 × 1 + 200 × 9) / 600 = 2,200 / 600 ≈ 3.667 ms per request, 2,200 m in all.
    let text = r#"
title = "cdn mix"
[run]
duration_s = 120.0
[topology]
initial_replicas = 6
regions = [{ name = "r", zones = ["a", "b", "c"] }]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 2
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 1000
[traffic]
noise = false
profile = { kind = "constant", rps = 1000.0 }
classes = [
  { name = "static", share = 0.8, cpu_ms = 1.0 },
  { name = "api", share = 0.2, cpu_ms = 9.0 },
]
[cluster_autoscaler]
enabled = false
[cdn]
pops = 1
classes = [
  { cacheable_share = 0.5, ttl_s = 1000000.0, objects = 1, zipf_s = 1.0 },
  { cacheable_share = 0.0, ttl_s = 60.0, objects = 1, zipf_s = 1.0 },
]
"#;
    let s = load("cdn-mix.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let mut w = World::new(&s, 1).unwrap();
    run_checked(&mut w, 60.0);
    let origin = w.data.cdn.as_ref().unwrap().origin_by_class().to_vec();
    let dt = w.tick_s;
    assert!((origin[0] / dt - 400.0).abs() < 0.01, "{origin:?}");
    assert!((origin[1] / dt - 200.0).abs() < 1e-9, "{origin:?}");
    let by_hand = 2200.0 / 600.0;
    assert!(
        (w.last.mean_cpu_ms - by_hand).abs() < 1e-4,
        "{} ms per request, not {by_hand} (the arrivals' mix is 2.6 ms)",
        w.last.mean_cpu_ms
    );
    let used_m: f64 = w.pods.iter().map(|p| p.cpu_usage_m).sum();
    assert!((used_m - 2200.0).abs() < 1.0, "{used_m} m");
}
