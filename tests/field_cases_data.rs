//! Field cases of the data tier (docs/models.md#data-tier), each from
//! `tests/fixtures/field-cases/engine/`, plus other cases of the same kinds.
//!
//! - `lag.toml`: replication lag is the age of the last applied write (MySQL
//!   `Seconds_Behind_Source`, PostgreSQL `now() − pg_last_xact_replay_timestamp()`),
//!   T·(1 − μ/W) when the primary commits W writes/s and the replica replays μ < W.
//! - `hpa24.toml`: consumers scaled on Kafka lag stop at the partition count, as KEDA's
//!   Kafka scaler caps the metric at partitions × lagThreshold (`allowIdleConsumers: false`).
//! - `one-key.toml`: a flushed key is back when its rebuild query completes, not gradually.

use scalesim::scenario::{load, Scenario};
use scalesim::sim::consistency::{ReplicatedStore, StoreInput};
use scalesim::sim::data::popularity::Popularity;
use scalesim::sim::series::Series;
use scalesim::sim::{step, World};

const LAG: &str = include_str!("fixtures/field-cases/engine/lag.toml");
const HPA24: &str = include_str!("fixtures/field-cases/engine/hpa24.toml");
const ONE_KEY: &str = include_str!("fixtures/field-cases/engine/one-key.toml");

fn scenario(text: &str) -> Scenario {
    load("case.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

/// `text` with `from` replaced by `to`, which must be there.
fn with(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the case");
    text.replacen(from, to, 1)
}

fn run(text: &str) -> World {
    let s = scenario(text);
    let mut w = World::new(&s, s.run.seed).unwrap();
    while w.now_s < s.run.duration_s - 1e-9 {
        step(&mut w);
    }
    w
}

/// The series `c` as (t [s], value) rows.
fn rows(w: &World, c: Series) -> Vec<(f64, f64)> {
    let t = w.series.get(Series::Time);
    t.iter()
        .copied()
        .zip(w.series.get(c).iter().copied())
        .collect()
}

/// The value of series `c` in the row of time `t_s`.
fn at(w: &World, c: Series, t_s: f64) -> f64 {
    rows(w, c)
        .into_iter()
        .find(|(t, _)| (*t - t_s).abs() < 1e-6)
        .unwrap_or_else(|| panic!("no row at t = {t_s}"))
        .1
}

// ── 4. Replication lag ──────────────────────────────────────────────────────────────────

/// The lag at the end of a run of `t` s with `w` writes/s against a replay of `mu` writes/s [s].
fn final_lag_s(w_per_s: f64, mu: f64, t: f64) -> f64 {
    let text = with(LAG, "rps = 5500.0", &format!("rps = {w_per_s:.1}"));
    let text = with(
        &text,
        "apply_capacity_wps = 4200.0",
        &format!("apply_capacity_wps = {mu:.1}"),
    );
    let text = with(&text, "duration_s = 900.0", &format!("duration_s = {t:.1}"));
    let world = run(&text);
    world
        .series
        .get(Series::DbReplicationLagMs)
        .last()
        .copied()
        .unwrap()
        / 1000.0
}

#[test]
fn field_case_lag_replica_lag_is_the_age_of_the_last_applied_write() {
    let w = run(LAG);
    let lag_s = w
        .series
        .get(Series::DbReplicationLagMs)
        .last()
        .copied()
        .unwrap()
        / 1000.0;
    // 900 · (1 − 4200/5500) = 212.73 s (the engine said 278.6 s: backlog ÷ replay rate).
    let expect = 900.0 * (1.0 - 4200.0 / 5500.0);
    assert!(
        (lag_s - expect).abs() < 0.005 * expect,
        "{lag_s} s, expected {expect} s"
    );
    assert!((expect - 212.7).abs() < 0.05);
    // Every tick, not just the last: the age grows at 1 − μ/W seconds per second.
    for (t, v) in rows(&w, Series::DbReplicationLagMs) {
        let e = (t + 1.0) * (1.0 - 4200.0 / 5500.0);
        assert!(
            (v / 1000.0 - e).abs() < 0.005 * e + 0.01,
            "t {t}: {v} ms vs {e} s"
        );
    }
}

#[test]
fn the_lag_is_t_times_one_minus_replay_over_writes_for_other_ratios() {
    for &(wr, mu, t) in &[
        (5_500.0, 2_750.0, 600.0),
        (5_500.0, 5_000.0, 1_200.0),
        (3_000.0, 1_000.0, 300.0),
        (1_500.0, 1_400.0, 900.0),
    ] {
        let lag = final_lag_s(wr, mu, t);
        let expect = t * (1.0 - mu / wr);
        assert!(
            (lag - expect).abs() < 0.005 * expect + 0.01,
            "W {wr}, μ {mu}, T {t}: {lag} s, expected {expect} s"
        );
    }
    // A replica that keeps up lags by the link (1 ms) plus the M/M/1 apply time 1/(μ − λ).
    let lag_ms = final_lag_s(2_000.0, 4_200.0, 120.0) * 1000.0;
    let expect_ms = 1.0 + 1000.0 / (4_200.0 - 2_000.0);
    assert!(
        (lag_ms - expect_ms).abs() < 1e-6,
        "{lag_ms} ms vs {expect_ms} ms"
    );
}

#[test]
fn the_lag_recovers_as_the_replica_catches_up_when_writes_drop_below_the_replay_rate() {
    // 5,500 writes/s until t = 300 s, then 2,000/s (replay 4,200/s). The replica is still
    // replaying the dense writes until 4,200·t = 5,500·300 (t ≈ 392.9 s): the age peaks at
    // about 92.9 s there, then shrinks by 4,200/2,000 − 1 = 1.1 s per s to ≈ 0 at t ≈ 477 s.
    let text = with(
        LAG,
        r#"profile = { kind = "constant", rps = 5500.0 }"#,
        r#"profile = { kind = "ramp", from_rps = 5500.0, to_rps = 2000.0, start_s = 300.0, duration_s = 1.0 }"#,
    );
    let text = with(&text, "duration_s = 900.0", "duration_s = 600.0");
    let w = run(&text);
    let lag = rows(&w, Series::DbReplicationLagMs);
    let (t_peak, peak) = lag
        .iter()
        .copied()
        .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    assert!(
        (peak / 1000.0 - 92.9).abs() < 1.0,
        "peak {peak} ms at {t_peak}"
    );
    assert!((t_peak - 392.0).abs() <= 2.0, "peak at {t_peak}");
    // Shrinking after the peak, never growing again.
    let after: Vec<f64> = lag
        .iter()
        .filter(|(t, _)| *t > t_peak)
        .map(|r| r.1)
        .collect();
    assert!(after.windows(2).all(|p| p[1] <= p[0] + 1e-9));
    let at_440 = at(&w, Series::DbReplicationLagMs, 440.0) / 1000.0;
    assert!(
        (at_440 - 1.1 * (477.3 - 441.0)).abs() < 2.0,
        "{at_440} s at t = 440"
    );
    // Caught up: about the apply time, a few milliseconds.
    let end_ms = at(&w, Series::DbReplicationLagMs, 599.0);
    assert!(end_ms < 3.0, "{end_ms} ms");
}

#[test]
fn stale_reads_use_the_age_of_the_last_applied_write() {
    // The lag case with reads and an eventually consistent store behind the database: each
    // tick's stale-read share is the store's at the database's lag of that tick.
    let text = with(LAG, "writes = 1.0", "writes = 1.0\nreads = 1.0");
    let text = with(
        &text,
        "[cluster_autoscaler]",
        "[consistency]\nmode = \"eventual\"\nreplica_rtt_ms = 2.0\n\n[cluster_autoscaler]",
    );
    let s = scenario(&text);
    let w = run(&text);
    let cfg = s.consistency.as_ref().unwrap().store_config();
    let lags = rows(&w, Series::DbReplicationLagMs);
    let stale = w.series.get(Series::StaleReadPct);
    let writes = w.series.get(Series::DbWritesPerS);
    let mut checked = 0;
    for (i, (t, lag_ms)) in lags.iter().enumerate() {
        if (*t as u64) % 100 != 99 {
            continue;
        }
        let mut store = ReplicatedStore::new(cfg.clone());
        let out = store.tick(
            *t,
            1.0,
            &StoreInput {
                reads_rps: 1000.0,
                writes_rps: writes[i],
                replica_lag_ms: *lag_ms,
                replica_rtt_ms: 2.0,
            },
        );
        let want = out.total.stale_read_pct;
        assert!(
            (stale[i] - want).abs() < 1e-9 * want.max(1.0),
            "t {t}: {} vs {want}",
            stale[i]
        );
        checked += 1;
    }
    assert_eq!(checked, 9);
    // The store reads a window of minutes: far more stale reads at the end than early on.
    assert!(stale[stale.len() - 1] > stale[10]);
}

// ── 5. Kafka consumers scaled on lag ────────────────────────────────────────────────────

fn consumers(text: &str) -> (f64, World) {
    let w = run(text);
    let most = w
        .series
        .get(Series::KafkaConsumers)
        .iter()
        .copied()
        .fold(0.0, f64::max);
    (most, w)
}

#[test]
fn field_case_hpa24_lag_scaled_consumers_stop_at_the_partition_count() {
    // 50k events/s into 12 partitions of 3,500/s each: the lag grows for ever. The engine
    // asked for 24 consumers, 12 of them idle; KEDA's scaler reports at most 12 × 5,000.
    let (most, w) = consumers(HPA24);
    assert_eq!(most, 12.0);
    let k = w.data.kafka.as_ref().unwrap();
    assert_eq!(k.desired_consumers(), 12);
    assert_eq!(k.last().idle_consumers, 0);
    assert_eq!(k.last().consumed_eps, 12.0 * 3_500.0);
}

#[test]
fn the_cap_follows_the_partition_count() {
    for (partitions, expect) in [(6, 8.0), (10, 10.0), (16, 16.0), (30, 24.0)] {
        let text = with(
            HPA24,
            "partitions = 12",
            &format!("partitions = {partitions}"),
        );
        let (most, _) = consumers(&text);
        // minReplicas 8 holds below it, maxReplicas 24 above it.
        assert_eq!(most, expect, "{partitions} partitions");
    }
}

#[test]
fn allow_idle_consumers_lifts_the_cap_and_the_idle_ones_consume_nothing() {
    let text = with(
        HPA24,
        "lag_alert_s = 60.0",
        "lag_alert_s = 60.0\nallow_idle_consumers = true",
    );
    let (most, w) = consumers(&text);
    assert_eq!(most, 24.0, "the old behaviour: up to maxReplicas");
    let k = w.data.kafka.as_ref().unwrap();
    let last = k.last();
    assert_eq!((last.active_consumers, last.idle_consumers), (12, 12));
    // Twice the consumers, the same throughput: the 12 beyond the partitions sit idle.
    let (_, capped) = consumers(HPA24);
    let c = capped.data.kafka.as_ref().unwrap();
    assert_eq!(last.consumed_eps, c.last().consumed_eps);
    assert_eq!(k.totals().consumed, c.totals().consumed);
}

// ── 6. Caches refill when the rebuild finishes ──────────────────────────────────────────

/// Database reads (cache misses sent on) in the ticks [from_s, to_s) [queries].
fn db_reads(text: &str, from_s: f64, to_s: f64) -> (f64, World) {
    let s = scenario(text);
    let mut w = World::new(&s, s.run.seed).unwrap();
    let mut n = 0.0;
    while w.now_s < s.run.duration_s - 1e-9 {
        let t = w.now_s;
        step(&mut w);
        if t >= from_s && t < to_s {
            n += w.data.last.db_reads_per_s * w.tick_s;
        }
    }
    (n, w)
}

#[test]
fn field_case_one_key_is_back_when_its_rebuild_finishes_and_every_read_misses_until_then() {
    let (queries, w) = db_reads(ONE_KEY, 60.0, 70.0);
    let hit = |t: f64| at(&w, Series::CacheHitRatio, t);
    // The engine said 0.33, 0.55, 0.70 … creeping back over 10 s.
    assert!(hit(59.0) > 0.99);
    assert!(hit(60.0) < 0.01, "{}", hit(60.0));
    assert!(hit(61.0) < 0.01, "{}", hit(61.0));
    for t in 62..120 {
        assert!(hit(f64::from(t)) > 0.98, "t {t}: {}", hit(f64::from(t)));
    }
    // No coalescing: every miss during the 2 s rebuild sends its own query, about 200.
    assert!((queries - 200.0).abs() < 5.0, "{queries} queries");
}

#[test]
fn with_coalescing_one_query_rebuilds_the_key_and_the_others_wait() {
    let text = with(ONE_KEY, "coalescing = false", "coalescing = true");
    let (queries, w) = db_reads(&text, 60.0, 70.0);
    assert!(queries < 1.5, "{queries} queries");
    assert!(queries > 0.9, "{queries} queries");
    assert!(at(&w, Series::CacheHitRatio, 61.0) < 0.01);
    assert!(at(&w, Series::CacheHitRatio, 62.0) > 0.98);
}

#[test]
fn a_cache_that_starts_empty_stampedes_like_a_flushed_one() {
    let (queries, w) = db_reads(ONE_KEY, 0.0, 10.0);
    let hit = |t: f64| at(&w, Series::CacheHitRatio, t);
    assert!(
        hit(0.0) < 0.01 && hit(1.0) < 0.01,
        "{} {}",
        hit(0.0),
        hit(1.0)
    );
    assert!(hit(2.0) > 0.98, "{}", hit(2.0));
    assert!((queries - 200.0).abs() < 5.0, "{queries} queries");
    // The same numbers as the flush at t = 60.
    assert!((hit(2.0) - hit(62.0)).abs() < 1e-3);
}

#[test]
fn warm_at_start_starts_the_cache_warm() {
    let text = with(
        ONE_KEY,
        "coalescing = false",
        "coalescing = false\nwarm_at_start = true",
    );
    let (queries, w) = db_reads(&text, 0.0, 10.0);
    let hit = |t: f64| at(&w, Series::CacheHitRatio, t);
    assert!(hit(0.0) > 0.99, "{}", hit(0.0));
    assert!(queries < 2.0, "{queries} queries");
    // The flush still stampedes.
    assert!(hit(60.0) < 0.01 && hit(61.0) < 0.01 && hit(62.0) > 0.98);
}

#[test]
fn many_zipf_keys_refill_band_by_band_when_their_rebuilds_complete() {
    // 100,000 keys with Zipf(1) popularity, 2,000 reads/s, a 3 s rebuild, coalescing on.
    let text = with(ONE_KEY, "keys = 1", "keys = 100000");
    let text = with(&text, "zipf_s = 0.0", "zipf_s = 1.0");
    let text = with(&text, "capacity_keys = 1.0", "capacity_keys = 100000.0");
    let text = with(&text, "coalescing = false", "coalescing = true");
    let text = with(&text, "rps = 100.0", "rps = 2000.0");
    let text = with(&text, "read_ms = 2000.0", "read_ms = 3000.0");
    let text = with(&text, "workers = 1000", "workers = 20000");
    let text = with(&text, "pool_size_per_pod = 250", "pool_size_per_pod = 5000");
    let text = with(&text, "max_connections = 1000", "max_connections = 20000");
    let w = run(&text);
    let hit = |t: f64| at(&w, Series::CacheHitRatio, t);
    let before = hit(59.0);
    // Nothing is back before the first rebuilds complete, 3 s after the flush.
    for t in [60.0, 61.0, 62.0] {
        assert!(hit(t) < 0.01, "t {t}: {}", hit(t));
    }
    // Then every hot band at once: the keys asked for more than once a tick all missed in
    // the flush's tick, so they all come back together (the share of the requests they take).
    let p = Popularity::zipf(100_000, 1.0);
    let hot: f64 = (0..p.keys.len())
        .filter(|&b| p.keys[b] > 0.0 && 2000.0 * p.share[b] / p.keys[b] > 10.0)
        .map(|b| p.share[b])
        .sum();
    let step_up = hit(63.0) - hit(62.0);
    assert!(step_up > 0.9 * hot, "step {step_up}, hot bands {hot}");
    // The tail comes back key by key as it is asked for: smaller steps after.
    assert!(hit(64.0) - hit(63.0) < 0.5 * step_up);
    assert!(hit(119.0) > hit(63.0), "{} {}", hit(119.0), hit(63.0));
    assert!(before > hit(63.0));
}
