//! Story tests of the async tier (docs/models.md#kafka), the consistency modes
//! (docs/models.md#consistency) and multi-region routing (docs/models.md#gslb-and-dns), plus property tests: conservation of messages,
//! no NaN or infinity, determinism.

use proptest::prelude::*;
use scalesim::sim::consistency::{
    ConflictResolution, ConsistencyMode, DataClass, PartitionFault, ReplicatedStore, StoreConfig,
    StoreInput, StoreTick,
};
use scalesim::sim::geo::{Gslb, GslbConfig, GslbInput, GslbTick, SovereigntyRule};
use scalesim::sim::hpa::spec::{
    ExternalMetricSource, HpaBehavior, MetricIdentifier, MetricSourceType, MetricSpec,
    MetricTarget, MetricTargetType,
};
use scalesim::sim::hpa::{HpaController, HpaControllerConfig, HpaSpec, Quantity};
use scalesim::sim::messaging::{KafkaConfig, KafkaInput, KafkaTick, KafkaTopic, LAG_METRIC};
use serde_json::Value;

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors.json"
));

// ---------------------------------------------------------------- Kafka

#[test]
fn kafka_absorbs_a_100k_events_per_second_burst_and_the_database_sees_a_smooth_rate() {
    // docs/models.md#default-figures: 12 partitions, up to 12 consumers in parallel, brokers at 150K events/s.
    let mut k = KafkaTopic::new(KafkaConfig {
        initial_consumers: 12,
        ..KafkaConfig::default()
    });
    let capacity = 12.0 * 2_000.0;
    let mut peak_lag = 0.0f64;
    let mut peak_consumed = 0.0f64;
    let mut drained_at = None;
    for t in 0..900 {
        let eps = if (60..120).contains(&t) {
            100_000.0
        } else {
            5_000.0
        };
        let out = k.tick(f64::from(t), 1.0, &KafkaInput::publishing(eps));
        assert_eq!(out.rejected_eps, 0.0, "100K/s is under the broker limit");
        assert!(
            out.consumed_eps <= capacity,
            "the DB never sees more than the consumers can do"
        );
        assert_eq!(k.conservation_gap(), 0);
        peak_lag = peak_lag.max(out.lag_messages);
        peak_consumed = peak_consumed.max(out.consumed_eps);
        if t > 120 && out.lag_messages < 5_000.0 && drained_at.is_none() {
            drained_at = Some(t);
        }
    }
    // (100K − 24K)/s × 60 s = 4.56M messages wait in Kafka instead of hitting the DB.
    assert_eq!(peak_lag, 4_560_000.0, "lag builds during the burst");
    assert_eq!(
        peak_consumed, capacity,
        "consumers run flat out, not at 100K/s"
    );
    let drained_at = drained_at.expect("the lag drains");
    // Drained at 24K − 5K = 19K/s: about 240 s after the burst.
    assert!((350..370).contains(&drained_at), "drained at {drained_at}");
    assert_eq!(k.last().consumed_eps, 5_000.0);
}

#[test]
fn publishing_above_the_brokers_150k_events_per_second_is_throttled() {
    let mut k = KafkaTopic::new(KafkaConfig::default());
    let out = k.tick(0.0, 1.0, &KafkaInput::publishing(180_000.0));
    assert_eq!((out.published_eps, out.rejected_eps), (150_000.0, 30_000.0));
}

#[test]
fn adding_consumers_beyond_the_partition_count_does_not_raise_throughput() {
    let run = |consumers: u32| {
        let mut k = KafkaTopic::new(KafkaConfig {
            initial_consumers: consumers,
            ..KafkaConfig::default()
        });
        let mut last = KafkaTick::default();
        for t in 0..30 {
            last = k.tick(f64::from(t), 1.0, &KafkaInput::publishing(50_000.0));
        }
        last
    };
    let twelve = run(12);
    let fifteen = run(15);
    assert_eq!(twelve.consumed_eps, 24_000.0);
    assert_eq!(fifteen.consumed_eps, twelve.consumed_eps);
    assert_eq!((fifteen.active_consumers, fifteen.idle_consumers), (12, 3));
    assert!(run(6).consumed_eps < twelve.consumed_eps);
}

fn lag_hpa(max_consumers: i32) -> HpaController {
    let spec = HpaSpec {
        scale_target_ref: None,
        min_replicas: 1,
        max_replicas: max_consumers,
        metrics: vec![MetricSpec {
            source_type: MetricSourceType::External,
            resource: None,
            pods: None,
            object: None,
            external: Some(ExternalMetricSource {
                metric: MetricIdentifier {
                    name: LAG_METRIC.into(),
                    selector: None,
                },
                target: MetricTarget {
                    target_type: MetricTargetType::AverageValue,
                    value: None,
                    // KEDA's lagThreshold: 1,000 messages per consumer.
                    average_value: Some(Quantity::from_milli(1_000_000)),
                    average_utilization: None,
                },
            }),
            container_resource: None,
        }],
        behavior: Some(HpaBehavior::default()),
    };
    HpaController::new(spec, HpaControllerConfig::default())
}

#[test]
fn stopping_consumers_grows_the_lag_and_lag_driven_scaling_adds_consumers_after_they_restart() {
    let mut k = KafkaTopic::new(KafkaConfig {
        initial_consumers: 2,
        consumer_startup_s: 20.0,
        ..KafkaConfig::default()
    });
    let mut hpa = lag_hpa(12);
    let eps = 3_000.0;
    let mut lag_at_restart = 0.0;
    let mut consumers_at_restart = 0;
    let mut max_lag_after = 0.0f64;
    for t in 0..900 {
        let now = f64::from(t);
        if t == 60 {
            k.stop_consumers();
        }
        if t == 180 {
            lag_at_restart = k.lag_messages() as f64;
            consumers_at_restart = k.desired_consumers();
            k.restart_consumers(now);
        }
        let out = k.tick(now, 1.0, &KafkaInput::publishing(eps));
        if (61..180).contains(&t) {
            assert_eq!(out.consumed_eps, 0.0);
        }
        if t > 180 {
            max_lag_after = max_lag_after.max(out.lag_messages);
        }
        if t % 15 == 0 {
            let view = k.metrics_view(now);
            let d = hpa.reconcile(now, k.desired_consumers() as i32, &view);
            if d.replicas_after >= 0 {
                k.set_consumers(d.replicas_after as u32, now);
            }
        }
        assert_eq!(k.conservation_gap(), 0);
    }
    // 2 consumers × 2,000/s keep up with 3,000/s; stopped for 120 s the lag reaches ~360K.
    assert!(lag_at_restart > 300_000.0, "lag {lag_at_restart}");
    assert!(
        consumers_at_restart >= 12,
        "the HPA asked for {consumers_at_restart}"
    );
    assert!(max_lag_after >= lag_at_restart);
    assert!(
        k.lag_messages() < 10_000,
        "the lag drains: {}",
        k.lag_messages()
    );
    assert!(k.desired_consumers() < 12, "and the HPA scales back down");
}

#[test]
fn messages_older_than_retention_are_lost_and_counted_and_poison_messages_land_in_the_dlq() {
    let mut k = KafkaTopic::new(KafkaConfig {
        retention_s: 120.0,
        poison_fraction: 0.02,
        initial_consumers: 1,
        ..KafkaConfig::default()
    });
    // 1 consumer (2,000/s, less the retries of poison) cannot keep up with 5,000/s.
    for t in 0..600 {
        let _ = k.tick(f64::from(t), 1.0, &KafkaInput::publishing(5_000.0));
        assert_eq!(k.conservation_gap(), 0);
    }
    let t = k.totals();
    assert!(t.expired > 1_000_000, "expired {}", t.expired);
    let handled = (t.consumed + t.dead_lettered) as f64;
    assert!((t.dead_lettered as f64 / handled - 0.02).abs() < 0.001);
    assert!(
        k.last().lag_s <= 120.0 + 120.0 / 8.0 + 1.0,
        "nothing older than retention stays"
    );
}

// ---------------------------------------------------------------- consistency

fn store_with(mode: ConsistencyMode) -> ReplicatedStore {
    let mut s = ReplicatedStore::new(StoreConfig::default());
    s.set_mode(None, mode);
    s
}

const LOAD: StoreInput = StoreInput {
    reads_rps: 9_000.0,
    writes_rps: 1_000.0,
    replica_lag_ms: 300.0,
    replica_rtt_ms: 40.0,
};

fn run_store(s: &mut ReplicatedStore, from: u32, to: u32, input: &StoreInput) -> StoreTick {
    let mut last = StoreTick::default();
    for t in from..to {
        last = s.tick(f64::from(t), 1.0, input);
    }
    last
}

#[test]
fn flipping_from_strong_to_eventual_cuts_write_p99_and_makes_stale_reads_appear() {
    let mut s = store_with(ConsistencyMode::Strong);
    let strong = run_store(&mut s, 0, 10, &LOAD).total;
    s.set_mode(None, ConsistencyMode::Eventual);
    let eventual = run_store(&mut s, 10, 20, &LOAD).total;
    assert_eq!(strong.stale_read_pct, 0.0);
    assert!(strong.write_p99_ms > 40.0, "strong pays the round trip");
    assert!(eventual.write_p99_ms < strong.write_p99_ms / 3.0);
    assert!(eventual.write_p50_ms < strong.write_p50_ms);
    assert!(eventual.stale_read_pct > 0.0);
    assert_eq!((strong.availability, eventual.availability), (1.0, 1.0));
}

#[test]
fn causal_mode_shows_users_their_own_writes_at_a_small_read_cost() {
    let mut e = store_with(ConsistencyMode::Eventual);
    let mut c = store_with(ConsistencyMode::Causal);
    let e = run_store(&mut e, 0, 5, &LOAD).total;
    let c = run_store(&mut c, 0, 5, &LOAD).total;
    assert!(c.stale_read_pct < e.stale_read_pct);
    assert!(
        c.stale_read_pct > 0.0,
        "other users may still read stale data"
    );
    assert!(c.read_p99_ms > e.read_p99_ms);
    assert_eq!(c.write_p99_ms, e.write_p99_ms);
}

#[test]
fn a_partition_under_strong_consistency_costs_availability_and_under_eventual_it_costs_conflicts() {
    let cut = PartitionFault {
        minority_replicas: 1,
        minority_clients: 0.3,
    };
    let mut strong = store_with(ConsistencyMode::Strong);
    let mut eventual = store_with(ConsistencyMode::Eventual);
    let calm = run_store(&mut eventual, 0, 10, &LOAD).total;
    assert_eq!(calm.conflicts, 0.0);
    strong.set_partition(Some(cut));
    eventual.set_partition(Some(cut));
    let mut conflicts = 0.0;
    let mut strong_last = StoreTick::default();
    for t in 10..70 {
        strong_last = strong.tick(f64::from(t), 1.0, &LOAD);
        let e = eventual.tick(f64::from(t), 1.0, &LOAD);
        conflicts += e.total.conflicts;
        assert_eq!(e.total.availability, 1.0, "both sides accept");
    }
    let st = strong_last.total;
    assert!(
        (st.availability - 0.7).abs() < 1e-9,
        "the minority's 30 % is refused"
    );
    assert_eq!(st.conflicts, 0.0);
    assert!(conflicts > 100.0, "conflicts {conflicts}");
    assert!(eventual.divergent_keys(DataClass::Cart) > 0.0);
    eventual.set_partition(None);
    assert_eq!(eventual.divergent_keys(DataClass::Cart), 0.0);
}

#[test]
fn last_writer_wins_with_500_ms_of_clock_skew_loses_updates_and_the_crdt_option_does_not() {
    let cfg = StoreConfig {
        write_sites: 2,
        ..StoreConfig::default()
    };
    let input = StoreInput {
        replica_lag_ms: 50.0,
        ..LOAD
    };
    let lost = |resolution, skew_ms| {
        let mut s = ReplicatedStore::new(cfg.clone());
        s.set_mode(None, ConsistencyMode::Eventual);
        s.set_resolution(None, resolution);
        s.set_clock_skew_ms(skew_ms);
        let mut lost = (0.0, 0.0);
        for t in 0..60 {
            let out = s.tick(f64::from(t), 1.0, &input).total;
            lost.0 += out.lost_writes;
            lost.1 += out.lost_to_skew;
        }
        lost
    };
    let (lww_skewed, to_skew) = lost(ConflictResolution::LastWriterWins, 500.0);
    let (lww_synced, none) = lost(ConflictResolution::LastWriterWins, 0.0);
    assert!(to_skew > 0.0 && none == 0.0);
    assert!(
        lww_skewed > 2.0 * lww_synced,
        "{lww_skewed} vs {lww_synced}"
    );
    assert_eq!(lost(ConflictResolution::Crdt, 500.0), (0.0, 0.0));
    assert_eq!(
        lost(ConflictResolution::ApplicationMerge, 500.0),
        (0.0, 0.0)
    );
}

#[test]
fn quorum_r_plus_w_over_n_vectors_are_respected_by_the_strong_mode_configuration() {
    let all: Vec<Value> = serde_json::from_str(VECTORS).expect("vectors.json parses");
    let mut checked = 0;
    let quorum_vectors = all
        .iter()
        .filter(|v| v["model"] == "consistency.quorum")
        .count();
    for v in all.iter().filter(|v| v["model"] == "consistency.quorum") {
        let n = v["inputs"]["N"].as_u64().unwrap() as u32;
        let r = v["inputs"]["R"].as_u64().unwrap() as u32;
        let w = v["inputs"]["W"].as_u64().unwrap() as u32;
        let e = &v["expected"];
        let mut s = ReplicatedStore::new(StoreConfig {
            replicas: n,
            read_quorum: r,
            write_quorum: w,
            ..StoreConfig::default()
        });
        s.set_mode(None, ConsistencyMode::Strong);
        let q = s.quorum();
        assert_eq!(
            q.read_write_overlap,
            e["read_write_quorums_overlap"] == true
        );
        assert_eq!(
            u64::from(q.min_overlap_replicas),
            e["min_overlap_replicas"].as_u64().unwrap()
        );
        assert_eq!(
            q.write_write_overlap,
            e["write_write_overlap_W_gt_N_over_2"] == true
        );
        assert_eq!(
            u64::from(q.writes_tolerate_unavailable),
            e["writes_tolerate_unavailable_replicas"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(q.reads_tolerate_unavailable),
            e["reads_tolerate_unavailable_replicas"].as_u64().unwrap()
        );
        // The store reads stale data exactly when the quorums do not overlap.
        let out = s.tick(0.0, 1.0, &LOAD).total;
        assert_eq!(
            out.stale_read_pct == 0.0,
            q.read_write_overlap,
            "{}",
            v["id"]
        );
        // Writes survive N − W replicas cut off, not one more.
        let tolerate = q.writes_tolerate_unavailable;
        for (down, ok) in [(tolerate, true), (tolerate + 1, false)] {
            if down > n {
                continue;
            }
            s.set_partition(Some(PartitionFault {
                minority_replicas: down,
                minority_clients: 0.0,
            }));
            let out = s.tick(1.0, 1.0, &LOAD).total;
            assert_eq!(
                out.failed_writes_rps == 0.0,
                ok,
                "{} with {down} down",
                v["id"]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, quorum_vectors);
    assert_eq!(checked, 5);
}

#[test]
fn the_default_hybrid_keeps_cart_and_checkout_strong_while_recommendations_go_stale() {
    let mut s = ReplicatedStore::new(StoreConfig::default());
    let out = run_store(&mut s, 0, 5, &LOAD);
    let c = |d: DataClass| out.classes[d.index()];
    assert_eq!(c(DataClass::Cart).stale_read_pct, 0.0);
    assert_eq!(c(DataClass::Checkout).stale_read_pct, 0.0);
    assert!(c(DataClass::Recommendations).stale_read_pct > 0.0);
    assert!(c(DataClass::Cart).write_p99_ms > c(DataClass::Recommendations).write_p99_ms);
    // One class flipped at runtime; the others keep their mode.
    s.set_mode(Some(DataClass::Cart), ConsistencyMode::Eventual);
    let out = run_store(&mut s, 5, 6, &LOAD);
    assert!(out.classes[DataClass::Cart.index()].stale_read_pct > 0.0);
    assert_eq!(out.classes[DataClass::Checkout.index()].stale_read_pct, 0.0);
}

#[test]
fn packet_loss_stretches_the_synchronous_write_tail_and_a_quorum_hides_it() {
    let mut sync = store_with(ConsistencyMode::Strong);
    sync.set_quorum(1, 3);
    let mut quorum = store_with(ConsistencyMode::Strong);
    let clean = run_store(&mut sync, 0, 2, &LOAD).total;
    let clean_q = run_store(&mut quorum, 0, 2, &LOAD).total;
    sync.set_packet_loss(0.02);
    quorum.set_packet_loss(0.02);
    let lossy = run_store(&mut sync, 2, 4, &LOAD).total;
    let lossy_q = run_store(&mut quorum, 2, 4, &LOAD).total;
    // W = N waits for every replica: a retransmission (200 ms) lands in the p99.
    assert!(lossy.write_p99_ms > clean.write_p99_ms + 150.0);
    // W = 2 of 3 waits for the faster of two acks: both must lose a packet.
    assert!(lossy_q.write_p99_ms < clean_q.write_p99_ms + 20.0);
}

// ---------------------------------------------------------------- GSLB

const DEMAND: GslbInput = GslbInput {
    demand_rps: 1_000.0,
    write_share: 0.1,
    replication_lag_ms: 200.0,
};

fn run_gslb(g: &mut Gslb, from: u32, to: u32) -> GslbTick {
    let mut last = GslbTick::default();
    for t in from..to {
        last = g.tick(f64::from(t), 1.0, &DEMAND);
    }
    last
}

#[test]
fn the_store_and_the_gslb_survive_a_json_round_trip_mid_fault() {
    let mut s = store_with(ConsistencyMode::Eventual);
    s.set_partition(Some(PartitionFault {
        minority_replicas: 1,
        minority_clients: 0.4,
    }));
    run_store(&mut s, 0, 5, &LOAD);
    let mut back: ReplicatedStore =
        serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back.tick(5.0, 1.0, &LOAD), s.tick(5.0, 1.0, &LOAD));
    let mut g = Gslb::new(GslbConfig::default());
    run_gslb(&mut g, 0, 10);
    g.set_region_health(0, false, 10.0);
    run_gslb(&mut g, 10, 45);
    let mut back: Gslb = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
    assert_eq!(back.tick(45.0, 1.0, &DEMAND), g.tick(45.0, 1.0, &DEMAND));
}

#[test]
fn gslb_fails_over_a_dead_region_after_the_detection_delay() {
    let mut g = Gslb::new(GslbConfig::default());
    run_gslb(&mut g, 0, 10);
    g.set_region_health(0, false, 10.0);
    // 10 s checks × 3 failures = 30 s to detect.
    let before = run_gslb(&mut g, 10, 39);
    assert!((before.failed_dead_region_rps - 600.0).abs() < 1e-9);
    run_gslb(&mut g, 39, 41);
    assert_eq!(g.totals().failovers, 1);
    // Half a TTL after the failover half the US resolvers still hold the old answer.
    let half = run_gslb(&mut g, 41, 71);
    assert!((half.failed_dead_region_rps - 300.0).abs() < 1e-9);
    // One TTL later every US client has moved to us-west-2.
    let after = run_gslb(&mut g, 71, 101);
    assert_eq!(after.failed_dead_region_rps, 0.0);
    assert!((g.region_rps()[1] - 600.0).abs() < 1e-9);
    assert!(
        after.mean_latency_ms > 20.0,
        "the survivors are farther away"
    );
}

#[test]
fn a_sovereignty_refusing_failover_fails_eu_requests_instead_of_moving_them() {
    let mut g = Gslb::new(GslbConfig {
        sovereignty: SovereigntyRule::Refuse,
        ..GslbConfig::default()
    });
    run_gslb(&mut g, 0, 10);
    g.set_region_health(2, false, 10.0);
    let out = run_gslb(&mut g, 10, 200);
    assert!((out.refused_sovereignty_rps - 400.0).abs() < 1e-9);
    assert_eq!(out.sovereignty_violations_rps, 0.0);
    assert_eq!(g.region_rps()[0], 600.0);
}

#[test]
fn a_sovereignty_breaking_failover_moves_eu_requests_and_counts_the_violations() {
    let mut g = Gslb::new(GslbConfig {
        sovereignty: SovereigntyRule::Break,
        ..GslbConfig::default()
    });
    run_gslb(&mut g, 0, 10);
    g.set_region_health(2, false, 10.0);
    let out = run_gslb(&mut g, 10, 200);
    assert_eq!(out.refused_sovereignty_rps, 0.0);
    assert!((out.sovereignty_violations_rps - 400.0).abs() < 1e-9);
    assert!((g.region_rps()[0] - 1_000.0).abs() < 1e-9);
    assert!(g.totals().sovereignty_violations > 0.0);
    // Recovery: EU users go home again.
    g.set_region_health(2, true, 200.0);
    let back = run_gslb(&mut g, 200, 300);
    assert_eq!(back.sovereignty_violations_rps, 0.0);
}

// ---------------------------------------------------------------- properties

fn finite_kafka(t: &KafkaTick) -> bool {
    [
        t.offered_eps,
        t.published_eps,
        t.rejected_eps,
        t.consumed_eps,
        t.dead_lettered_eps,
        t.expired_eps,
        t.lag_messages,
        t.lag_s,
        t.capacity_eps,
        t.publish_latency_ms,
    ]
    .iter()
    .all(|x| x.is_finite())
}

fn finite_store(t: &StoreTick) -> bool {
    t.classes.iter().chain([&t.total]).all(|c| {
        [
            c.reads_rps,
            c.writes_rps,
            c.failed_reads_rps,
            c.failed_writes_rps,
            c.stale_reads_rps,
            c.stale_read_pct,
            c.conflicts,
            c.lost_writes,
            c.lost_to_skew,
            c.write_p50_ms,
            c.write_p99_ms,
            c.read_p99_ms,
            c.availability,
        ]
        .iter()
        .all(|x| x.is_finite())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn messages_are_conserved_every_tick_and_runs_are_deterministic(
        rates in prop::collection::vec(0.0f64..300_000.0, 1..60),
        partitions in 1u32..24,
        consumers in 0u32..30,
        retention_s in 5.0f64..500.0,
        poison in 0.0f64..0.3,
        hot in 0.0f64..1.0,
        dt_s in prop::sample::select(vec![0.1, 0.5, 1.0, 2.0]),
        stop_at in 0usize..60,
    ) {
        let cfg = KafkaConfig {
            partitions,
            initial_consumers: consumers,
            retention_s,
            poison_fraction: poison,
            hot_partition_share: hot,
            consumer_startup_s: 3.0,
            ..KafkaConfig::default()
        };
        let run = || {
            let mut k = KafkaTopic::new(cfg.clone());
            let mut outs = Vec::new();
            for (i, &eps) in rates.iter().enumerate() {
                let now = i as f64 * dt_s;
                if i == stop_at { k.stop_consumers(); }
                if i == stop_at + 5 { k.restart_consumers(now); }
                if i % 7 == 3 { k.set_consumers((consumers + i as u32) % 20, now); }
                let out = k.tick(now, dt_s, &KafkaInput { publish_eps: eps, consumer_speed: 0.5 + (i % 3) as f64 * 0.5, max_consumed: f64::INFINITY });
                prop_assert_eq!(k.conservation_gap(), 0);
                prop_assert!(finite_kafka(&out) && out.drain_eta_s.is_none_or(f64::is_finite));
                // Each active consumer carries less than one message of fractional capacity
                // from tick to tick, so a tick may take up to one extra message per consumer.
                prop_assert!(out.consumed_eps <= out.capacity_eps + f64::from(out.active_consumers) / dt_s);
                outs.push(out);
            }
            Ok((outs, k.totals()))
        };
        let a = run()?;
        let b = run()?;
        prop_assert_eq!(a, b);
    }

    #[test]
    fn the_store_and_the_gslb_stay_finite_and_deterministic(
        reads in 0.0f64..1e6,
        writes in 0.0f64..1e5,
        lag_ms in 0.0f64..5_000.0,
        rtt_ms in 0.0f64..300.0,
        loss in 0.0f64..0.5,
        skew_ms in 0.0f64..2_000.0,
        minority in 0u32..4,
        clients in 0.0f64..1.0,
        mode in 0usize..3,
        sites in 1u32..4,
        region_down in 0usize..4,
        dns_at in 0u32..40,
    ) {
        let modes = [ConsistencyMode::Strong, ConsistencyMode::Causal, ConsistencyMode::Eventual];
        let run_store = || {
            let mut s = ReplicatedStore::new(StoreConfig { write_sites: sites, ..StoreConfig::default() });
            s.set_mode(Some(DataClass::Inventory), modes[mode]);
            s.set_packet_loss(loss);
            s.set_clock_skew_ms(skew_ms);
            let input = StoreInput { reads_rps: reads, writes_rps: writes, replica_lag_ms: lag_ms, replica_rtt_ms: rtt_ms };
            let mut outs = Vec::new();
            for t in 0..20 {
                if t == 5 { s.set_partition(Some(PartitionFault { minority_replicas: minority, minority_clients: clients })); }
                if t == 15 { s.set_partition(None); }
                let out = s.tick(f64::from(t), 1.0, &input);
                prop_assert!(finite_store(&out));
                prop_assert!((0.0..=1.0).contains(&out.total.availability));
                outs.push(out);
            }
            Ok(outs)
        };
        prop_assert_eq!(run_store()?, run_store()?);
        let run_gslb = || {
            let mut g = Gslb::new(GslbConfig::default());
            let input = GslbInput { demand_rps: reads, write_share: 0.1, replication_lag_ms: lag_ms };
            let mut outs = Vec::new();
            for t in 0..120 {
                if t == 10 { g.set_region_health(region_down, false, 10.0); }
                if t == dns_at { g.set_dns_failure(true, f64::from(t)); }
                if t == dns_at + 30 { g.set_dns_failure(false, f64::from(t)); }
                let out = g.tick(f64::from(t), 1.0, &input);
                let accounted = out.routed_rps + out.failed_dead_region_rps + out.refused_sovereignty_rps
                    + out.no_region_rps + out.dns_failed_rps;
                prop_assert!((accounted - reads).abs() <= 1e-9 * reads.max(1.0));
                prop_assert!(out.mean_latency_ms.is_finite() && out.rpo_lost_writes.is_finite());
                outs.push(out);
            }
            Ok(outs)
        };
        prop_assert_eq!(run_gslb()?, run_gslb()?);
    }
}
