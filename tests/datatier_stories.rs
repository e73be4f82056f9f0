//! Story tests of the data tier (cache, database, pools, CDN, external dependency), told with
//! the figures of docs/models.md#default-figures.

use scalesim::sim::data::cache::{Cache, CacheConfig, CacheInput, CacheOutput};
use scalesim::sim::data::cdn::{Cdn, CdnConfig, CdnInput, EdgeClassConfig};
use scalesim::sim::data::database::{Database, DatabaseConfig, DbInput, DbOutput, ReplicaState};
use scalesim::sim::data::external::{ExternalConfig, ExternalDependency, ExternalInput};
use scalesim::sim::data::popularity::zipf_top_share;
use scalesim::sim::data::sharding::ShardingConfig;

/// The app tier's reads go through the cache; its misses and writes reach the database,
/// whose read latency is the cache's fetch time on the next tick.
struct CacheAside {
    cache: Cache,
    db: Database,
    db_read_ms: f64,
}

impl CacheAside {
    fn new(cache: CacheConfig, db: DatabaseConfig) -> Self {
        CacheAside {
            cache: Cache::new(cache),
            db: Database::new(db),
            db_read_ms: 2.0,
        }
    }

    fn tick(&mut self, t: f64, pods: u32, reads: f64, writes: f64) -> (CacheOutput, DbOutput) {
        let c = self.cache.tick(
            t,
            1.0,
            &CacheInput {
                reads,
                writes,
                db_read_latency_ms: self.db_read_ms,
            },
        );
        let d = self.db.tick(
            t,
            1.0,
            &DbInput {
                pods,
                reads: c.db_reads,
                writes,
            },
        );
        if d.reads_served > 0.0 {
            self.db_read_ms = d.read_latency_ms;
        }
        (c, d)
    }
}

fn stampede_run(coalescing: bool) -> Vec<(CacheOutput, DbOutput)> {
    let mut sys = CacheAside::new(
        CacheConfig {
            keys: 200_000,
            zipf_s: 0.9,
            coalescing,
            ..CacheConfig::default()
        },
        DatabaseConfig {
            workers: 8,
            ..DatabaseConfig::default()
        },
    );
    (0..700)
        .map(|t| {
            if t == 600 {
                sys.cache.flush();
            }
            // Pre-warm: traffic ramps up to 20,000 reads/s over five minutes.
            let reads = (2_000.0 + 60.0 * t as f64).min(20_000.0);
            sys.tick(t as f64, 10, reads, 500.0)
        })
        .collect()
}

#[test]
fn a_cache_flush_stampedes_the_database_without_coalescing_and_does_not_with_it() {
    let herd = stampede_run(false);
    let single = stampede_run(true);
    // Before the flush both are healthy: ~86 % hits, 2 ms reads.
    for run in [&herd, &single] {
        let (c, d) = run[599];
        assert!(c.hit_ratio > 0.85, "{c:?}");
        assert!(d.read_latency_ms < 3.0 && d.failed.total() == 0.0, "{d:?}");
    }
    // Without coalescing every miss of a hot key reads the database while the
    // read is in flight; the database saturates, reads slow down, so more
    // duplicates pile up: failures, and the cache cannot re-warm.
    let herd_failures: f64 = herd[600..700].iter().map(|(_, d)| d.failed.total()).sum();
    let herd_peak_ms = herd[600..700]
        .iter()
        .map(|(_, d)| d.read_latency_ms)
        .fold(0.0, f64::max);
    assert!(herd_failures > 10_000.0, "{herd_failures}");
    assert!(herd_peak_ms > 5_000.0, "{herd_peak_ms}");
    assert!(herd[630].0.hit_ratio < 0.6, "{:?}", herd[630].0);
    // With single-flight the duplicates wait for the read in flight: no failure,
    // and within ten seconds the database is back to 2 ms reads.
    let single_failures: f64 = single[600..700].iter().map(|(_, d)| d.failed.total()).sum();
    assert_eq!(single_failures, 0.0);
    assert!(single[600..700].iter().any(|(c, _)| c.coalesced > 1000.0));
    assert!(single[612].1.read_latency_ms < 3.0, "{:?}", single[612].1);
    assert!(single[630].0.hit_ratio > 0.85);
    // Hot keys refill first: the warm hit ratio leads the cached-keys count.
    assert!(single[630].0.cached_keys > 0.0);
    let single_db: f64 = single[600..700].iter().map(|(c, _)| c.db_reads).sum();
    let herd_db: f64 = herd[600..700].iter().map(|(c, _)| c.db_reads).sum();
    assert!(herd_db > 2.0 * single_db, "{herd_db} {single_db}");
}

#[test]
fn an_80_percent_cache_hit_ratio_takes_about_80_percent_of_reads_off_the_database() {
    // A Redis Cluster of 3 shards, cache-aside, 5-minute TTL (docs/models.md#cache), sized to hit ~80 %.
    let cfg = CacheConfig {
        keys: 1_000_000,
        zipf_s: 1.0,
        capacity_keys: 70_000.0,
        ..CacheConfig::default()
    };
    let db_cfg = DatabaseConfig::default();
    let mut with_cache = CacheAside::new(cfg, db_cfg.clone());
    let mut without = Database::new(db_cfg);
    let (mut reads_db_cached, mut reads_db_direct) = (0.0, 0.0);
    let mut hit = 0.0;
    for t in 0..1800 {
        let (c, d) = with_cache.tick(t as f64, 10, 5_000.0, 0.0);
        let direct = without.tick(
            t as f64,
            1.0,
            &DbInput {
                pods: 10,
                reads: 5_000.0,
                writes: 0.0,
            },
        );
        if t >= 1200 {
            reads_db_cached += d.reads;
            reads_db_direct += direct.reads;
            hit = c.hit_ratio;
        }
    }
    assert!((hit - 0.8).abs() < 0.03, "hit ratio {hit}");
    let off = 1.0 - reads_db_cached / reads_db_direct;
    assert!((off - hit).abs() < 0.01, "{off} vs {hit}");
    assert!((off - 0.8).abs() < 0.03, "{off}");
}

fn pooled_db(pods: u32, seconds: usize) -> Vec<DbOutput> {
    // docs/models.md#connection-pools: max_connections = 1000, 50 per pod; each pod sends 400 queries/s,
    // 90 % reads, that each hold a connection ~2–5 ms: no pool is busy.
    let mut db = Database::new(DatabaseConfig::default());
    (0..seconds)
        .map(|t| {
            let q = 400.0 * f64::from(pods);
            db.tick(
                t as f64,
                1.0,
                &DbInput {
                    pods,
                    reads: 0.9 * q,
                    writes: 0.1 * q,
                },
            )
        })
        .collect()
}

#[test]
fn the_connection_pool_is_exhausted_past_20_pods() {
    // 50 × 20 = 1,000 fits: every query is served, none waits.
    let twenty = pooled_db(20, 30);
    let last = twenty[29];
    assert_eq!(
        (last.connections_wanted, last.connections_granted),
        (1000, 1000)
    );
    assert_eq!(last.failed.total(), 0.0);
    assert_eq!(last.waiting, 0.0);
    assert!((last.reads_served + last.writes_served - 8000.0).abs() < 1e-6);
    // 21 pods want 1,050: the 21st pod's connections are refused. Its queries
    // wait for a connection (5 s pool timeout), then fail: 1/21 of the traffic.
    let twenty_one = pooled_db(21, 30);
    let first = twenty_one[0];
    assert_eq!(
        (first.connections_wanted, first.connections_granted),
        (1050, 1000)
    );
    assert!((first.waiting - 400.0).abs() < 1e-6, "{first:?}");
    assert_eq!(first.failed.total(), 0.0);
    let at_5s = twenty_one[4];
    assert!((at_5s.waiting - 2000.0).abs() < 1e-6, "{at_5s:?}");
    let later = twenty_one[29];
    let failed = later.failed.pool_timeout_reads + later.failed.pool_timeout_writes;
    assert!((failed - 400.0).abs() < 1e-6, "{later:?}");
    assert!((later.failed.pool_timeout_reads - 360.0).abs() < 1e-6);
    assert!((later.reads_served + later.writes_served - 8000.0).abs() < 1e-6);
    assert!((failed / (400.0 * 21.0) - 1.0 / 21.0).abs() < 1e-9);
}

#[test]
fn a_killed_primary_fails_writes_until_promotion_then_writes_succeed_on_the_new_primary() {
    // Detection 30 s + promotion 30 s: failover to a replica within a minute (docs/models.md#database).
    let mut db = Database::new(DatabaseConfig::default());
    let input = DbInput {
        pods: 10,
        reads: 900.0,
        writes: 100.0,
    };
    let mut outs = Vec::new();
    for t in 0..200 {
        if t == 100 {
            db.fail_primary(0, t as f64);
        }
        outs.push(db.tick(t as f64, 1.0, &input));
    }
    assert!((outs[99].writes_served - 100.0).abs() < 1e-9);
    for (t, o) in outs.iter().enumerate().take(159).skip(100) {
        assert_eq!(o.writes_served, 0.0, "t = {t}");
        assert!((o.failed.primary_down - 100.0).abs() < 1e-9, "t = {t}");
        // Reads keep flowing to the replicas.
        assert!((o.reads_served - 900.0).abs() < 1e-6, "t = {t}");
    }
    // The tick that ends at T+160 completes the promotion.
    assert_eq!(outs[159].failovers_completed, 1);
    assert!(outs[..159].iter().all(|o| o.failovers_completed == 0));
    for o in &outs[160..] {
        assert!((o.writes_served - 100.0).abs() < 1e-6);
        assert_eq!(o.failed.total(), 0.0);
    }
    // One replica became the primary.
    assert_eq!(db.shards[0].replicas.len(), 1);
    assert!(db.shards[0].primary_up());
}

#[test]
fn async_replication_loses_the_writes_of_the_replica_lag_at_failover() {
    let mut db = Database::new(DatabaseConfig::default());
    let input = DbInput {
        pods: 10,
        reads: 900.0,
        writes: 2000.0,
    };
    for t in 0..60 {
        let _ = db.tick(t as f64, 1.0, &input);
    }
    let lag_ms = db.shards[0].replicas[0].lag_ms;
    db.fail_primary(0, 60.0);
    let mut lost = 0.0;
    for t in 60..130 {
        lost += db.tick(t as f64, 1.0, &input).lost_writes;
    }
    assert!(
        (lost - 2000.0 * lag_ms / 1000.0).abs() < 1e-6,
        "{lost} {lag_ms}"
    );
    assert!(lost > 0.0);
}

#[test]
fn a_cdn_purge_drops_the_hit_ratio_and_the_origin_sees_a_surge_that_decays_as_the_edge_rewarms() {
    // Static assets cached for a day, API responses for 5 minutes (docs/models.md#cdn).
    let mut cdn = Cdn::new(CdnConfig {
        pops: 20,
        classes: vec![
            EdgeClassConfig {
                cacheable_share: 1.0,
                ttl_s: 86_400.0,
                objects: 20_000,
                zipf_s: 0.9,
            },
            EdgeClassConfig {
                cacheable_share: 0.5,
                ttl_s: 300.0,
                objects: 5_000,
                zipf_s: 1.0,
            },
        ],
        ..CdnConfig::default()
    });
    let mut outs = Vec::new();
    for t in 0..7200 {
        if t == 3600 {
            cdn.purge();
        }
        outs.push(cdn.tick(
            t as f64,
            1.0,
            &CdnInput {
                class_arrivals: &[7_000.0, 3_000.0],
                origin_latency_ms: 200.0,
            },
        ));
    }
    let before = outs[3599];
    assert!(before.offload_pct > 60.0, "{before:?}");
    assert!(before.mean_latency_ms < 100.0);
    let purge = outs[3600];
    assert!(purge.hit_ratio < 0.5 * before.hit_ratio, "{purge:?}");
    assert!(
        purge.to_origin > 2.0 * before.to_origin,
        "{purge:?} {before:?}"
    );
    // The surge decays as the edge re-warms.
    let origin: Vec<f64> = outs[3600..].iter().map(|o| o.to_origin).collect();
    assert!(origin[10] < origin[0] && origin[60] < origin[10] && origin[600] < origin[60]);
    assert!(
        origin[3599] < 1.1 * before.to_origin,
        "{} {}",
        origin[3599],
        before.to_origin
    );
    assert!(outs[3600 + 60].mean_latency_ms > before.mean_latency_ms);
    let snap = cdn.snapshot();
    assert_eq!(snap.class_hit_ratio.len(), 2);
    assert!(snap.class_hit_ratio[0] > snap.class_hit_ratio[1]);
    let per_class = cdn.origin_by_class();
    assert_eq!(per_class.len(), 2);
    assert!((per_class.iter().sum::<f64>() - outs[7199].to_origin).abs() < 1e-6);
}

#[test]
fn a_hot_key_puts_one_shard_far_above_the_others() {
    let run = |hot_key_share: f64| {
        let mut db = Database::new(DatabaseConfig {
            workers: 8,
            sharding: ShardingConfig {
                shards: 4,
                hot_key_share,
                ..ShardingConfig::default()
            },
            ..DatabaseConfig::default()
        });
        let mut out = DbOutput::default();
        for t in 0..60 {
            out = db.tick(
                t as f64,
                1.0,
                &DbInput {
                    pods: 20,
                    reads: 9_000.0,
                    writes: 1_000.0,
                },
            );
        }
        (db.snapshot(), out)
    };
    let (even, even_out) = run(0.0);
    let shares: Vec<f64> = even.shards.iter().map(|s| s.queries_per_s).collect();
    assert!(
        shares.iter().all(|q| (q - 2500.0).abs() < 1e-6),
        "{shares:?}"
    );
    assert_eq!(even_out.failed.total(), 0.0);
    // A celebrity: Zipf over 1,000 accounts puts ~13 % of all queries on one key;
    // a viral post makes it 40 %.
    assert!((zipf_top_share(1000, 1.0) - 0.1336).abs() < 0.001);
    let (hot, hot_out) = run(0.4);
    let q: Vec<f64> = hot.shards.iter().map(|s| s.queries_per_s).collect();
    assert!(
        (q[0] - 5500.0).abs() < 1e-6 && (q[1] - 1500.0).abs() < 1e-6,
        "{q:?}"
    );
    let u0 = hot.shards[0].primary_utilization;
    let u1 = hot.shards[1].primary_utilization;
    assert!(u0 > 3.0 * u1, "{u0} {u1}");
    let r0 = hot.shards[0].replicas[0].utilization;
    let r1 = hot.shards[1].replicas[0].utilization;
    assert!(r0 > 3.0 * r1, "{r0} {r1}");
    assert!(hot_out.read_latency_ms > even_out.read_latency_ms);
    assert_eq!(hot.shards.len(), 4);
    assert_eq!(hot.connections_granted, 1000);
}

#[test]
fn replica_lag_grows_with_write_load_and_the_lag_spike_fault() {
    let lag_at = |writes: f64, seconds: usize| {
        let mut db = Database::new(DatabaseConfig::default());
        let mut lag = 0.0;
        for t in 0..seconds {
            lag = db
                .tick(
                    t as f64,
                    1.0,
                    &DbInput {
                        pods: 20,
                        reads: 1000.0,
                        writes,
                    },
                )
                .max_replica_lag_ms;
        }
        lag
    };
    let light = lag_at(500.0, 60);
    let heavy = lag_at(3_500.0, 60);
    assert!(light < heavy, "{light} {heavy}");
    assert!(light >= 1.0, "the link latency is a floor: {light}");
    // Above the replay capacity (4,000 writes/s) the lag grows every second.
    let over_30 = lag_at(4_500.0, 30);
    let over_60 = lag_at(4_500.0, 60);
    assert!(over_60 > over_30 + 3_000.0, "{over_30} {over_60}");
    // A lag spike adds to the lag until it ends.
    let mut db = Database::new(DatabaseConfig::default());
    let input = DbInput {
        pods: 20,
        reads: 1000.0,
        writes: 500.0,
    };
    let base = db.tick(0.0, 1.0, &input).max_replica_lag_ms;
    db.inject_lag_ms(0, 8_000.0, 20.0);
    let spiked = db.tick(1.0, 1.0, &input).max_replica_lag_ms;
    assert!((spiked - base - 8_000.0).abs() < 1e-6);
    for t in 2..25 {
        let _ = db.tick(t as f64, 1.0, &input);
    }
    assert!((db.tick(25.0, 1.0, &input).max_replica_lag_ms - base).abs() < 1e-6);
}

#[test]
fn a_new_replica_takes_minutes_to_serve_and_a_resize_takes_effect_later() {
    let mut db = Database::new(DatabaseConfig::default());
    db.add_replica(0.0);
    db.resize(0.0, 64);
    let input = DbInput {
        pods: 10,
        reads: 900.0,
        writes: 100.0,
    };
    for t in 0..599 {
        let _ = db.tick(t as f64, 1.0, &input);
    }
    assert_eq!(db.shards[0].ready_replicas(), 2);
    assert!(matches!(
        db.shards[0].replicas[2].state,
        ReplicaState::Provisioning { .. }
    ));
    let _ = db.tick(600.0, 1.0, &input);
    assert_eq!(db.shards[0].ready_replicas(), 3);
    assert_eq!(db.shards[0].primary.workers, 32);
    for t in 601..=900 {
        let _ = db.tick(t as f64, 1.0, &input);
    }
    assert_eq!(db.shards[0].primary.workers, 64);
    assert!(db.pending_resize.is_none());
}

#[test]
fn a_full_disk_fails_writes_but_not_reads() {
    let mut db = Database::new(DatabaseConfig::default());
    db.disk_full(true);
    let o = db.tick(
        0.0,
        1.0,
        &DbInput {
            pods: 5,
            reads: 90.0,
            writes: 10.0,
        },
    );
    assert!((o.failed.disk_full - 10.0).abs() < 1e-9);
    assert!((o.reads_served - 90.0).abs() < 1e-9);
}

#[test]
fn a_slow_payment_provider_times_out_checkouts() {
    let mut pay = ExternalDependency::new(ExternalConfig::default());
    let ok = pay.tick(0.0, 1.0, &ExternalInput { calls: 100.0 });
    pay.set_slow(2_500.0, 4.0);
    // A minute in: the run has lasted the 3 s timeout, so calls can have timed out.
    let slow = pay.tick(60.0, 1.0, &ExternalInput { calls: 100.0 });
    assert!(ok.timeouts < 1e-6);
    assert!(slow.timeouts > 25.0, "{slow:?}");
    assert!(slow.mean_latency_ms > 2_500.0);
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use scalesim::sim::data::cache::CacheOverflow;
    use scalesim::sim::data::external::DownMode;
    use scalesim::sim::data::sharding::ShardStrategy;

    /// One tick of inputs plus an optional fault (0 = none).
    fn steps() -> impl Strategy<Value = Vec<(f64, f64, f64, u8)>> {
        prop::collection::vec(
            (0.0..50_000.0f64, 0.0..5_000.0f64, 0.0..3_000.0f64, 0u8..12),
            1..120,
        )
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-7 * a.abs().max(b.abs()).max(1.0)
    }

    fn run_cache(coalescing: bool, queue: bool, steps: &[(f64, f64, f64, u8)]) -> Vec<CacheOutput> {
        let mut c = Cache::new(CacheConfig {
            keys: 50_000,
            capacity_keys: 20_000.0,
            ops_limit_per_shard: 8_000.0,
            overflow: if queue {
                CacheOverflow::Queue
            } else {
                CacheOverflow::FallThrough
            },
            coalescing,
            ..CacheConfig::default()
        });
        let mut outs = Vec::new();
        for (t, &(reads, writes, db_ms, fault)) in steps.iter().enumerate() {
            match fault {
                1 => c.flush(),
                2 => c.set_down(true),
                3 => c.set_down(false),
                _ => {}
            }
            let before = c.queued;
            let o = c.tick(
                t as f64,
                1.0,
                &CacheInput {
                    reads,
                    writes,
                    db_read_latency_ms: db_ms,
                },
            );
            assert!(
                close(reads + before, o.hits + o.misses() + o.queued),
                "{o:?}"
            );
            outs.push(o);
        }
        outs
    }

    fn cache_finite(o: &CacheOutput) -> bool {
        [
            o.hits,
            o.db_reads,
            o.coalesced,
            o.overflow,
            o.queued,
            o.hit_latency_ms,
            o.coalesced_wait_ms,
            o.hit_ratio,
            o.ops_per_s,
            o.hottest_shard_utilization,
            o.cached_keys,
            o.evictions,
        ]
        .iter()
        .all(|x| x.is_finite() && *x >= 0.0)
    }

    fn run_db(shards: u32, steps: &[(f64, f64, f64, u8)]) -> (Vec<DbOutput>, Database) {
        let mut db = Database::new(DatabaseConfig {
            workers: 4,
            sharding: ShardingConfig {
                shards,
                strategy: if shards.is_multiple_of(2) {
                    ShardStrategy::Range
                } else {
                    ShardStrategy::Geography
                },
                weights: vec![3.0, 1.0, 2.0, 1.0],
                hot_key_share: 0.2,
                sequential_writes: shards == 4,
                ..ShardingConfig::default()
            },
            failover_detection_s: 5.0,
            promotion_s: 5.0,
            restart_s: 20.0,
            replica_provision_s: 30.0,
            resize_s: 40.0,
            ..DatabaseConfig::default()
        });
        let mut outs = Vec::new();
        for (t, &(reads, writes, pods, fault)) in steps.iter().enumerate() {
            let now = t as f64;
            match fault {
                1 => db.fail_primary(t % shards as usize, now),
                2 => db.disk_full(true),
                3 => db.disk_full(false),
                4 => db.inject_lag_ms(0, 5_000.0, now + 10.0),
                5 => db.add_replica(now),
                6 => db.resize(now, 2 + (t % 16) as u32),
                7 => db.set_hot_key_share(reads / 50_000.0),
                _ => {}
            }
            let o = db.tick(
                now,
                1.0,
                &DbInput {
                    pods: (pods / 100.0) as u32,
                    reads,
                    writes,
                },
            );
            let tot = db.totals;
            assert!(
                close(tot.queries_in, tot.served + tot.failed + db.waiting()),
                "{tot:?} waiting {}",
                db.waiting()
            );
            outs.push(o);
        }
        (outs, db)
    }

    fn db_finite(o: &DbOutput) -> bool {
        [
            o.reads_served,
            o.writes_served,
            o.failed.total(),
            o.waiting,
            o.read_latency_ms,
            o.read_p99_ms,
            o.write_latency_ms,
            o.write_p99_ms,
            o.pool_wait_ms,
            o.connections_in_use,
            o.max_replica_lag_ms,
            o.max_utilization,
            o.lost_writes,
        ]
        .iter()
        .all(|x| x.is_finite() && *x >= 0.0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn the_cache_conserves_reads_stays_finite_and_replays_bit_for_bit(
            steps in steps(), coalescing in any::<bool>(), queue in any::<bool>()
        ) {
            let a = run_cache(coalescing, queue, &steps);
            prop_assert!(a.iter().all(cache_finite));
            let b = run_cache(coalescing, queue, &steps);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn the_cdn_conserves_requests_stays_finite_and_replays_bit_for_bit(
            steps in steps(), collapse in any::<bool>(), pops in 1u32..50
        ) {
            let run = || {
                let mut cdn = Cdn::new(CdnConfig {
                    pops,
                    collapse_requests: collapse,
                    classes: vec![
                        EdgeClassConfig::default(),
                        EdgeClassConfig { cacheable_share: 0.3, ttl_s: 5.0, objects: 10, zipf_s: 0.0 },
                    ],
                    ..CdnConfig::default()
                });
                let mut outs = Vec::new();
                for (t, &(a, b, origin_ms, fault)) in steps.iter().enumerate() {
                    if fault == 1 {
                        cdn.purge();
                    }
                    let o = cdn.tick(t as f64, 1.0, &CdnInput {
                        class_arrivals: &[a, b, 7.0],
                        origin_latency_ms: origin_ms,
                    });
                    assert!(close(o.requests, o.edge_hits + o.to_origin + o.collapsed), "{o:?}");
                    assert!([o.edge_hits, o.to_origin, o.collapsed, o.hit_ratio, o.offload_pct, o.mean_latency_ms]
                        .iter().all(|x| x.is_finite()));
                    outs.push(o);
                }
                outs
            };
            prop_assert_eq!(run(), run());
        }

        #[test]
        fn the_database_conserves_queries_stays_finite_and_replays_bit_for_bit(
            steps in steps(), shards in 1u32..5
        ) {
            let (a, db_a) = run_db(shards, &steps);
            prop_assert!(a.iter().all(db_finite));
            let (b, db_b) = run_db(shards, &steps);
            prop_assert_eq!(a, b);
            prop_assert_eq!(db_a, db_b);
        }

        #[test]
        fn the_external_dependency_answers_or_fails_every_call(
            steps in steps()
        ) {
            let mut d = ExternalDependency::new(ExternalConfig::default());
            for (i, &(calls, extra, _, fault)) in steps.iter().enumerate() {
                match fault {
                    1 => d.set_slow(extra, 3.0),
                    2 => d.set_error_rate(Some(extra / 5_000.0)),
                    3 => d.set_down(Some(DownMode::Blackhole)),
                    4 => d.set_down(Some(DownMode::Refuse)),
                    5 => d.heal(),
                    _ => {}
                }
                // Second by second: the first calls cannot have waited out the 3 s timeout.
                let o = d.tick(i as f64, 1.0, &ExternalInput { calls });
                prop_assert!(close(o.calls, o.succeeded + o.failed() + o.timing_out));
                prop_assert!(o.timeouts_due || o.timeouts == 0.0);
                prop_assert!([o.mean_latency_ms, o.p99_latency_ms, o.in_flight].iter().all(|x| x.is_finite() && *x >= 0.0));
            }
        }
    }
}
