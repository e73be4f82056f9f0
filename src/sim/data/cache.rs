//! A Redis-like cache in front of the database, used cache-aside.
//!
//! ```text
//!   app ──GET──▶ [ cache: S shards, ops/s limit each ] ── hit ──▶ value (≈ 0.5 ms)
//!                        │ miss (cold key or fetch in flight)
//!                        ▼
//!                  [ database ] ──read──▶ app ──SET──▶ cache (fill, TTL T)
//!   writes: app ──▶ database, then DEL key in the cache (invalidation)
//! ```
//!
//! The hit ratio is not a setting: it follows from the working set (a Zipf-like
//! keyspace, see [`popularity`](super::popularity)), the cache capacity (LRU
//! keeps the hottest keys: the coldest buckets are evicted first), the TTL and
//! the request rate, through the fill cycle of every key
//! ([`key_warmth`](super::key_warmth)). A missed key comes back when its
//! rebuild (the miss's database read, latency L) completes, not gradually.
//!
//! **Cold start.** The cache starts empty, which is the same event as a flush at
//! t = 0: every read misses until the hot keys' rebuilds land, L later (pre-warming the
//! cache is the cure). `warm_at_start = true` starts it pre-warmed
//! instead: on the first tick every bucket holds its steady-state share of cached
//! keys for the opening traffic (up to the capacity, hottest first).
//!
//! **Thundering herd.** After a flush, or while the cache is down, every read
//! misses. While the value of a hot key is being fetched (the database read
//! takes L), every other read of that key misses too and, without coalescing,
//! sends its own read: r·L duplicates per key, and L grows as the database
//! saturates, so the herd feeds itself. With request coalescing
//! (single-flight) the first miss fetches and the others wait for its result:
//! one database read per missing key per fetch latency.
//!
//! **Ops/s limit per shard.** Keys hash evenly over the shards, except that the
//! hottest key lives on one shard (shard 0 here). Each shard serves at most
//! `ops_limit_per_shard` operations per second (GETs, the SETs of fills, the
//! DELs of writes); its latency follows M/M/1 queueing (docs/models.md#cache) on top of the
//! network round trip. GETs over the limit either fail and fall through to the
//! database (cache-aside clients treat a cache error as a miss) or wait in a
//! bounded queue, as the [`CacheOverflow`] policy says.

use super::key_warmth::{steady_hit_ratio, KeyWarmth};
use super::popularity::{Popularity, BUCKETS};
use crate::sim::queueing::mm1;
use serde::{Deserialize, Serialize};

/// What happens to GETs above a shard's ops/s limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CacheOverflow {
    /// They fail, and the client reads the database instead.
    #[default]
    FallThrough,
    /// They wait in a bounded queue for the next tick; beyond it they fall through.
    Queue,
}
crate::named_enum!(CacheOverflow {
    FallThrough = "fall_through",
    Queue = "queue",
});

/// The cache's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Keys in the working set [keys].
    pub keys: u64,
    /// Zipf exponent of key popularity (0 uniform, 1 classic skew).
    pub zipf_s: f64,
    /// Keys the cache's memory holds [keys] (LRU beyond).
    pub capacity_keys: f64,
    /// Time to live of a filled key [s] (typically 5–60 min).
    pub ttl_s: f64,
    /// Redis Cluster shards (default 3).
    pub shards: u32,
    /// Operations per second one shard serves [ops/s] (default 250K ops/s over 3 shards).
    pub ops_limit_per_shard: f64,
    /// What happens above the limit.
    pub overflow: CacheOverflow,
    /// Most GETs the overflow queue holds [requests].
    pub max_queue: f64,
    /// Request coalescing (single-flight): one database read per missing key.
    pub coalescing: bool,
    /// Network round trip to the cache [ms].
    pub rtt_ms: f64,
    /// Start pre-warmed: each bucket at its steady-state warmth for the first tick's
    /// traffic. Off (the default): the cache starts empty and stampedes like a flushed one.
    pub warm_at_start: bool,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            keys: 100_000,
            zipf_s: 1.0,
            capacity_keys: 100_000.0,
            ttl_s: 300.0,
            shards: 3,
            ops_limit_per_shard: 250_000.0 / 3.0,
            overflow: CacheOverflow::FallThrough,
            max_queue: 10_000.0,
            coalescing: false,
            rtt_ms: 0.5,
            warm_at_start: false,
        }
    }
}

/// One tick's input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CacheInput {
    /// Reads (GETs) arriving this tick [requests].
    pub reads: f64,
    /// Writes to the database this tick, each invalidating its key [requests].
    pub writes: f64,
    /// Current latency of a database read, the fetch time L [ms].
    pub db_read_latency_ms: f64,
}

/// One tick's output. Conservation: `reads + queued_before = hits + misses() + queued`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheOutput {
    /// Reads in this tick [requests].
    pub reads: f64,
    /// Served from the cache [requests]; latency `hit_latency_ms`.
    pub hits: f64,
    /// Reads that go to the database [requests] (cold keys, duplicates of an
    /// in-flight read without coalescing, overflow); latency `hit_latency_ms` +
    /// the database read latency.
    pub db_reads: f64,
    /// Of `db_reads`, those sent because a shard was over its ops/s limit or the queue was full.
    pub overflow: f64,
    /// Misses that waited for an in-flight read (coalescing) [requests]; latency
    /// `hit_latency_ms + coalesced_wait_ms`; no database load.
    pub coalesced: f64,
    /// GETs waiting in the overflow queue at the end of the tick [requests].
    pub queued: f64,
    /// Latency of a cache operation [ms]: round trip + M/M/1 response on the hottest shard.
    pub hit_latency_ms: f64,
    /// Extra wait of a coalesced read [ms] (the fetch in flight).
    pub coalesced_wait_ms: f64,
    /// Hits over reads served by the cache this tick [0..1].
    pub hit_ratio: f64,
    /// Operations per second across the shards [ops/s].
    pub ops_per_s: f64,
    /// Utilization of the hottest shard [0..1].
    pub hottest_shard_utilization: f64,
    /// Keys cached at the end of the tick [keys].
    pub cached_keys: f64,
    /// Keys evicted for capacity this tick [keys].
    pub evictions: f64,
}

impl CacheOutput {
    /// All misses: database reads plus coalesced waiters [requests].
    pub fn misses(&self) -> f64 {
        self.db_reads + self.coalesced
    }
}

/// The cache's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// Configuration.
    pub config: CacheConfig,
    /// Key popularity buckets.
    pub popularity: Popularity,
    /// Warmth of each bucket.
    pub warmth: [KeyWarmth; BUCKETS],
    /// The cache is down (fault).
    pub down: bool,
    /// GETs waiting in the overflow queue [requests].
    pub queued: f64,
    /// SETs of fills last tick [ops], counted against the ops limit.
    pub last_fills: f64,
    /// Operations per shard last tick [ops/s], shard 0 holds the hottest key.
    pub shard_ops_per_s: Vec<f64>,
    /// The first tick has run (a `warm_at_start` cache is warmed on it).
    #[serde(default)]
    pub started: bool,
    /// The last tick's output.
    pub last: CacheOutput,
}

impl Cache {
    /// A cold cache.
    pub fn new(config: CacheConfig) -> Self {
        let popularity = Popularity::zipf(config.keys, config.zipf_s);
        let shards = config.shards.max(1) as usize;
        Cache {
            config,
            popularity,
            warmth: [KeyWarmth::default(); BUCKETS],
            down: false,
            queued: 0.0,
            last_fills: 0.0,
            shard_ops_per_s: vec![0.0; shards],
            started: false,
            last: CacheOutput::default(),
        }
    }

    /// Pre-warms every bucket to its steady state for `reads` and `writes` per tick of
    /// `dt` [s] and rebuild latency `fetch_s` [s]: the TTL-cache hit ratio
    /// rT/(1 + rL + rT) of its keys is cached, the rest cold (every key cached with no
    /// TTL and no writes).
    fn warm_up(&mut self, dt: f64, reads: f64, writes: f64, fetch_s: f64) {
        let pop = &self.popularity;
        for b in 0..BUCKETS {
            let n = pop.keys[b];
            if n <= 0.0 {
                continue;
            }
            let r = reads * pop.share[b] / dt / n;
            let inv = writes * pop.share[b] / dt / n;
            let (_, expiry) = KeyWarmth::tick_constants(dt, fetch_s, self.config.ttl_s);
            let gone = expiry + inv;
            let cached = if gone > 0.0 {
                steady_hit_ratio(r, fetch_s, 1.0 / gone)
            } else {
                1.0
            };
            self.warmth[b] = KeyWarmth::warm(cached);
        }
    }

    /// Fault: FLUSHALL. Every cached key is gone; fetches in flight still land.
    pub fn flush(&mut self) {
        for w in &mut self.warmth {
            w.cached = 0.0;
        }
    }

    /// Fault: the cache is down (or back up). It comes back empty.
    pub fn set_down(&mut self, down: bool) {
        if down != self.down {
            self.warmth = [KeyWarmth::default(); BUCKETS];
        }
        self.down = down;
    }

    /// Turns request coalescing (single-flight) on or off.
    pub fn set_coalescing(&mut self, on: bool) {
        self.config.coalescing = on;
    }

    /// Keys cached now [keys].
    pub fn cached_keys(&self) -> f64 {
        let mut k = 0.0;
        for b in 0..BUCKETS {
            k += self.warmth[b].cached * self.popularity.keys[b];
        }
        k
    }

    /// Share of the requests whose key is cached now: the hit ratio a read would see [0..1].
    pub fn warm_hit_ratio(&self) -> f64 {
        let mut h = 0.0;
        for b in 0..BUCKETS {
            h += self.warmth[b].cached * self.popularity.share[b];
        }
        h
    }

    /// A view for the UI.
    pub fn snapshot(&self) -> CacheSnapshot {
        CacheSnapshot {
            hit_ratio: self.last.hit_ratio,
            warm_hit_ratio: self.warm_hit_ratio(),
            ops_per_s: self.last.ops_per_s,
            shard_ops_per_s: self.shard_ops_per_s.clone(),
            ops_limit_per_shard: self.config.ops_limit_per_shard,
            cached_keys: self.cached_keys(),
            capacity_keys: self.config.capacity_keys,
            down: self.down,
            coalescing: self.config.coalescing,
            queued: self.queued,
        }
    }

    /// Advances one tick of `dt_s` [s].
    #[must_use]
    pub fn tick(&mut self, _now_s: f64, dt_s: f64, input: &CacheInput) -> CacheOutput {
        let dt = dt_s.max(1e-9);
        let reads_in = input.reads.max(0.0);
        let writes = input.writes.max(0.0);
        let fetch_s = (input.db_read_latency_ms.max(0.0) / 1000.0).max(1e-4);
        if !self.started {
            self.started = true;
            if self.config.warm_at_start && !self.down {
                self.warm_up(dt, reads_in, writes, fetch_s);
            }
        }
        let c = &self.config;
        let mut out = CacheOutput {
            reads: reads_in,
            ..CacheOutput::default()
        };
        let pop = &self.popularity;

        if self.down {
            // Every read goes to the database; single-flight still merges the
            // concurrent reads of a key: one read per fetch time, r/(1 + rL) per key.
            let offered = reads_in + self.queued;
            self.queued = 0.0;
            let mut db = 0.0;
            for b in 0..BUCKETS {
                let n = pop.keys[b];
                if n <= 0.0 {
                    continue;
                }
                let reqs = offered * pop.share[b];
                db += if c.coalescing {
                    let r = reqs / dt / n;
                    n * r / (1.0 + r * fetch_s) * dt
                } else {
                    reqs
                };
            }
            out.db_reads = db.min(offered);
            out.coalesced = offered - out.db_reads;
            out.coalesced_wait_ms = fetch_s * 1000.0;
            self.shard_ops_per_s.iter_mut().for_each(|x| *x = 0.0);
            self.last_fills = 0.0;
            self.last = out;
            return out;
        }

        // Ops/s limit per shard: shard 0 also carries the hottest key.
        let shards = self.shard_ops_per_s.len() as f64;
        let top = pop.top_share();
        let offered = reads_in + self.queued;
        let other_ops = writes + self.last_fills;
        let cap = c.ops_limit_per_shard.max(0.0) * dt;
        let gets_hot = offered * ((1.0 - top) / shards + top);
        let gets_cold = offered * (1.0 - top) / shards;
        let room = (cap - other_ops / shards).max(0.0);
        let admitted_hot = gets_hot.min(room);
        let admitted_cold = gets_cold.min(room);
        let admitted = admitted_hot + admitted_cold * (shards - 1.0);
        let over = (offered - admitted).max(0.0);
        let (queued, fall_through) = match c.overflow {
            CacheOverflow::FallThrough => (0.0, over),
            CacheOverflow::Queue => {
                let q = over.min(c.max_queue.max(0.0));
                (q, over - q)
            }
        };
        self.queued = queued;

        // The fill cycle of each bucket, on the admitted reads.
        let mut hits = 0.0;
        let mut fetches = 0.0;
        let mut dup = 0.0;
        let mut fills = 0.0;
        let (beta, expiry) = KeyWarmth::tick_constants(dt, fetch_s, c.ttl_s);
        for b in 0..BUCKETS {
            let n = pop.keys[b];
            if n <= 0.0 {
                continue;
            }
            let r = admitted * pop.share[b] / dt / n;
            let inv = writes * pop.share[b] / dt / n;
            let fl = self.warmth[b].step_with(dt, r, beta, expiry, inv);
            hits += fl.hits * n;
            fetches += fl.fetches * n;
            dup += fl.in_flight_misses * n;
            fills += fl.fills * n;
        }
        // Put the sum back on the admitted total exactly (rounding only).
        let counted = hits + fetches + dup;
        if counted > 0.0 {
            let k = admitted / counted;
            hits *= k;
            fetches *= k;
            dup *= k;
        }

        // LRU capacity: evict from the coldest buckets first.
        let mut excess = self.cached_keys() - c.capacity_keys.max(0.0);
        let mut evictions = 0.0;
        for b in (0..BUCKETS).rev() {
            if excess <= 0.0 {
                break;
            }
            let n = pop.keys[b];
            if n <= 0.0 {
                continue;
            }
            let held = self.warmth[b].cached * n;
            let take = held.min(excess);
            self.warmth[b].evict(take / n);
            excess -= take;
            evictions += take;
        }

        let (to_db, waiters) = if c.coalescing {
            (fetches, dup)
        } else {
            (fetches + dup, 0.0)
        };
        out.hits = hits;
        out.db_reads = to_db + fall_through;
        out.overflow = fall_through;
        out.coalesced = waiters;
        out.queued = queued;
        out.hit_ratio = if admitted > 0.0 { hits / admitted } else { 0.0 };
        out.evictions = evictions;
        out.cached_keys = self.cached_keys();
        out.coalesced_wait_ms = fetch_s * 1000.0;

        // Per-shard load and latency (Redis shards are single-threaded: M/M/1).
        for (i, s) in self.shard_ops_per_s.iter_mut().enumerate() {
            *s = if i == 0 {
                (admitted_hot + (other_ops + fills) / shards) / dt
            } else {
                (admitted_cold + (other_ops + fills) / shards) / dt
            };
        }
        out.ops_per_s = self.shard_ops_per_s.iter().sum();
        let mu = c.ops_limit_per_shard.max(1e-9);
        let lambda = self.shard_ops_per_s[0].min(0.98 * mu);
        out.hottest_shard_utilization = (self.shard_ops_per_s[0] / mu).min(1.0);
        let service_ms =
            mm1(lambda, mu).map_or(1000.0 / (0.02 * mu), |q| q.mean_response_s * 1000.0);
        let queue_wait_ms = if queued > 0.0 { 1000.0 * dt } else { 0.0 };
        out.hit_latency_ms = c.rtt_ms.max(0.0) + service_ms + queue_wait_ms;
        self.last_fills = fills;
        self.last = out;
        out
    }
}

/// The cache, for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CacheSnapshot {
    /// Hit ratio last tick [0..1].
    pub hit_ratio: f64,
    /// Share of requests whose key is cached now [0..1].
    pub warm_hit_ratio: f64,
    /// Operations per second [ops/s].
    pub ops_per_s: f64,
    /// Per shard [ops/s]; shard 0 holds the hottest key.
    pub shard_ops_per_s: Vec<f64>,
    /// The limit per shard [ops/s].
    pub ops_limit_per_shard: f64,
    /// Keys cached [keys].
    pub cached_keys: f64,
    /// Capacity [keys].
    pub capacity_keys: f64,
    /// Down (fault).
    pub down: bool,
    /// Request coalescing on.
    pub coalescing: bool,
    /// GETs waiting in the overflow queue [requests].
    pub queued: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady(cache: &mut Cache, reads: f64, db_ms: f64, ticks: usize) -> CacheOutput {
        let mut out = CacheOutput::default();
        for i in 0..ticks {
            out = cache.tick(
                i as f64,
                1.0,
                &CacheInput {
                    reads,
                    writes: 0.0,
                    db_read_latency_ms: db_ms,
                },
            );
        }
        out
    }

    #[test]
    fn a_cold_cache_starts_at_zero_hits_and_warms_up() {
        let mut c = Cache::new(CacheConfig::default());
        let first = steady(&mut c, 1000.0, 5.0, 1);
        let later = steady(&mut c, 1000.0, 5.0, 600);
        assert!(first.hit_ratio < later.hit_ratio);
        assert!(later.hit_ratio > 0.5, "{later:?}");
    }

    #[test]
    fn a_bigger_cache_or_a_longer_ttl_hits_more() {
        let small = CacheConfig {
            capacity_keys: 1_000.0,
            ..CacheConfig::default()
        };
        let short = CacheConfig {
            ttl_s: 10.0,
            ..CacheConfig::default()
        };
        let h_big = steady(&mut Cache::new(CacheConfig::default()), 2000.0, 5.0, 900).hit_ratio;
        let h_small = steady(&mut Cache::new(small), 2000.0, 5.0, 900).hit_ratio;
        let h_short = steady(&mut Cache::new(short), 2000.0, 5.0, 900).hit_ratio;
        assert!(h_big > h_small + 0.05, "{h_big} {h_small}");
        assert!(h_big > h_short + 0.05, "{h_big} {h_short}");
    }

    #[test]
    fn gets_over_the_shard_limit_fall_through_to_the_database() {
        let cfg = CacheConfig {
            ops_limit_per_shard: 1000.0,
            ..CacheConfig::default()
        };
        let out = steady(&mut Cache::new(cfg), 6000.0, 5.0, 300);
        assert!(out.overflow > 2000.0, "{out:?}");
        assert!(out.hottest_shard_utilization > 0.97);
    }

    #[test]
    fn a_queue_policy_holds_gets_over_the_limit() {
        let cfg = CacheConfig {
            ops_limit_per_shard: 1000.0,
            overflow: CacheOverflow::Queue,
            max_queue: 500.0,
            ..CacheConfig::default()
        };
        let out = steady(&mut Cache::new(cfg), 6000.0, 5.0, 10);
        assert!((out.queued - 500.0).abs() < 1e-9, "{out:?}");
        assert!(out.hit_latency_ms > 100.0);
    }

    #[test]
    fn a_down_cache_sends_every_read_to_the_database() {
        let mut c = Cache::new(CacheConfig::default());
        let _ = steady(&mut c, 1000.0, 5.0, 300);
        c.set_down(true);
        let out = steady(&mut c, 1000.0, 5.0, 1);
        assert_eq!(out.hits, 0.0);
        assert!((out.db_reads - 1000.0).abs() < 1e-9);
    }
}
