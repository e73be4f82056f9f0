//! The fill cycle of one cached key, in aggregate over a bucket of equally hot keys.
//!
//! ```text
//!              request (rate r)            rebuild done, exactly L later
//!   [ cold ] ─────────────────▶ [ in flight ] ─────────────────────────▶ [ cached ]
//!      ▲         a miss starts      requests here miss too:                  │
//!      │         one rebuild        duplicates (no coalescing)               │
//!      │                            or waiters (single-flight)               │
//!      └──────────────── TTL expiry (1/T) + invalidation by writes ──────────┘
//! ```
//!
//! Each key of a bucket is cold (fraction u), in flight (g: its value is being
//! rebuilt, a read from the origin or the database that takes L seconds) or
//! cached (f), with u + g + f = 1. Requests for a key arrive at rate r (Poisson).
//! - A request for a cold key is a miss and starts a rebuild (cold → in flight).
//! - A request for an in-flight key is a miss as well: without request
//!   coalescing it sends its own, duplicate read (the thundering herd: every
//!   miss for a hot key goes to the database concurrently); with single-flight
//!   it waits for the read already in flight.
//! - **A rebuild completes exactly L after it started** (the miss's database
//!   read) and fills the key (in flight → cached). The key is not back before:
//!   every read in between misses. A refill is a step, not a creep.
//! - A cached key expires after its TTL T, or is invalidated by a write
//!   (cached → cold), as in cache-aside.
//!
//! **Refill schedule.** The rebuilds started in a tick are due L later: the
//! bucket keeps a timing wheel of [`REFILL_TICKS`] slots, one per tick, holding
//! the fraction of its keys whose rebuild completes in that tick. With L/dt =
//! n + φ (n whole ticks, φ the rest), a tick's rebuilds are due (1 − φ) in
//! tick +n and φ in tick +n + 1, so a key is in flight for L/dt tick ends on
//! average (tick +0 is the tick itself: a rebuild shorter than a tick fills the
//! key within it). Rebuilds longer than `REFILL_TICKS − 2` ticks are due at
//! that horizon.
//!
//! **Many keys.** A bucket's keys start their rebuilds when their first request
//! comes. In a hot bucket (r·dt ≫ 1) that is within the first tick after a
//! flush, so the whole bucket comes back at once, L later; a bucket of the long
//! tail (r·dt ≪ 1) rebuilds its keys one by one as they are asked for, each L
//! after its first miss. After a flush the hit ratio therefore stays at the
//! share of the still-cached buckets (none) for L, then steps up by the share
//! of every hot bucket together, then climbs as the tail is requested.
//!
//! The cold ↔ cached exchange is backward Euler on the chain per tick:
//! unconditionally stable for any tick (hot keys have r·dt ≫ 1), it keeps u, g,
//! f in [0, 1] with u + g + f = 1, and the flows it reports are exactly the
//! state changes, so requests are conserved. Its fixed point is the exact
//! steady state of the renewal cycle (1/r cold, L in flight, T cached): the
//! classic TTL-cache hit ratio rT/(1 + rL + rT), rT/(1 + rT) as L → 0.
//!
//! The rebuild latency L comes from the database model; the chain itself is the
//! standard TTL-cache renewal argument (docs/models.md#cache-fill-cycle).

use serde::{Deserialize, Serialize};

/// Ticks the refill wheel spans: rebuilds are due at most `REFILL_TICKS − 1` ticks ahead.
pub const REFILL_TICKS: usize = 128;

/// Slots of one wheel row (serde's array limit).
const ROW: usize = 32;

/// How much of a bucket of keys is in flight and cached, and when the rebuilds complete.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyWarmth {
    /// Fraction of the keys being rebuilt now [0..1].
    pub in_flight: f64,
    /// Fraction of the keys cached now [0..1].
    pub cached: f64,
    /// Timing wheel: fraction of the keys whose rebuild completes in tick (now + k),
    /// at slot (`head` + k) mod [`REFILL_TICKS`], as rows of 32.
    due: [[f64; ROW]; REFILL_TICKS / ROW],
    /// Slot of the current tick.
    head: usize,
}

/// What happened to one key of the bucket during a tick, on average.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KeyFlows {
    /// Requests per key that hit [requests].
    pub hits: f64,
    /// Requests per key that found it cold and started a rebuild [requests].
    pub fetches: f64,
    /// Requests per key that found a rebuild in flight [requests].
    pub in_flight_misses: f64,
    /// Rebuilds per key that completed and filled the cache [fills].
    pub fills: f64,
}

/// Fastest expiry rate used [1/s]: a TTL of 0, or of at most 1 ns, expires at this rate.
pub const MAX_EXPIRY_PER_S: f64 = 1e9;

/// Shortest fetch latency used [s], so 1/L stays finite.
pub const MIN_FETCH_S: f64 = 1e-4;

impl KeyWarmth {
    /// A bucket whose keys are all cached (a pre-warmed cache).
    pub fn warm(cached: f64) -> Self {
        KeyWarmth {
            cached: cached.clamp(0.0, 1.0),
            ..KeyWarmth::default()
        }
    }

    /// Fraction of the keys that are cold.
    pub fn cold(&self) -> f64 {
        (1.0 - self.in_flight - self.cached).max(0.0)
    }

    fn slot(&mut self, k: usize) -> &mut f64 {
        let i = (self.head + k) % REFILL_TICKS;
        &mut self.due[i / ROW][i % ROW]
    }

    /// Advances one tick of `dt_s` [s] with `rate_per_key` requests per key [req/s],
    /// rebuild latency `fetch_s` [s], TTL `ttl_s` [s] (∞ allowed) and invalidations
    /// per cached key `invalidate_per_key` [1/s]. Returns the flows per key.
    #[must_use]
    pub fn step(
        &mut self,
        dt_s: f64,
        rate_per_key: f64,
        fetch_s: f64,
        ttl_s: f64,
        invalidate_per_key: f64,
    ) -> KeyFlows {
        let (beta, expiry) = Self::tick_constants(dt_s, fetch_s, ttl_s);
        self.step_with(dt_s, rate_per_key, beta, expiry, invalidate_per_key)
    }

    /// The parts of [`KeyWarmth::step`] shared by every bucket of a tick: (β = dt/L,
    /// expiry rate 1/TTL [1/s]). Compute them once per tick and call [`KeyWarmth::step_with`].
    pub fn tick_constants(dt_s: f64, fetch_s: f64, ttl_s: f64) -> (f64, f64) {
        let beta = dt_s / finite_nonneg(fetch_s).max(MIN_FETCH_S);
        // A TTL of at most 1 ns expires as a TTL of 0 (1/TTL of a subnormal TTL is ∞,
        // and ∞ × 0 in the chain is NaN).
        let expiry = if ttl_s > 0.0 && ttl_s.is_finite() {
            (1.0 / ttl_s).min(MAX_EXPIRY_PER_S)
        } else if ttl_s <= 0.0 {
            MAX_EXPIRY_PER_S
        } else {
            0.0
        };
        (beta, expiry)
    }

    /// [`KeyWarmth::step`] with its per-tick constants from [`KeyWarmth::tick_constants`]
    /// (bit for bit the same result).
    #[must_use]
    pub fn step_with(
        &mut self,
        dt_s: f64,
        rate_per_key: f64,
        beta: f64,
        expiry: f64,
        invalidate_per_key: f64,
    ) -> KeyFlows {
        let alpha = finite_nonneg(rate_per_key) * dt_s;
        let gamma = (expiry + finite_nonneg(invalidate_per_key)) * dt_s;
        let (u0, g0, f0) = (self.cold(), self.in_flight, self.cached);
        // Rebuild time in ticks, L/dt = n + φ, within the wheel's horizon.
        let x = if beta > 0.0 { 1.0 / beta } else { f64::MAX };
        let x = x.min((REFILL_TICKS - 2) as f64);
        let n = x.floor();
        let phi = x - n;
        let n = n as usize;
        // Share of this tick's rebuilds that complete within it.
        let p0 = if n == 0 { 1.0 - phi } else { 0.0 };
        // Rebuilds started earlier and due now.
        let due = std::mem::take(self.slot(0));
        // Backward Euler: u1(1+α) = u0 + γ f1; f1(1+γ) = f0 + due + p0 α u1.
        let inv_a = 1.0 / (1.0 + alpha);
        let d = (1.0 + gamma) - p0 * alpha * gamma * inv_a;
        let f1 = (f0 + due + p0 * alpha * u0 * inv_a) / d;
        let u1 = (u0 + gamma * f1) * inv_a;
        let started = alpha * u1;
        let filled_now = p0 * started;
        let later = started - filled_now;
        if later > 0.0 {
            if n == 0 {
                *self.slot(1) += later;
            } else {
                *self.slot(n) += (1.0 - phi) * started;
                *self.slot(n + 1) += phi * started;
            }
        }
        self.head = (self.head + 1) % REFILL_TICKS;
        let g1 = (g0 + started - due - filled_now).max(0.0);
        self.in_flight = g1.clamp(0.0, 1.0);
        self.cached = f1.clamp(0.0, 1.0 - self.in_flight);
        KeyFlows {
            hits: alpha * f1,
            fetches: started,
            in_flight_misses: alpha * g1,
            fills: due + filled_now,
        }
    }

    /// Evicts `fraction_of_keys` of the bucket's keys from the cache (cached → cold).
    pub fn evict(&mut self, fraction_of_keys: f64) {
        self.cached = (self.cached - fraction_of_keys.max(0.0)).max(0.0);
    }
}

fn finite_nonneg(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// Steady-state hit ratio of a key with request rate `r` [req/s], fetch latency
/// `l_s` [s] and TTL `t_s` [s]: rT / (1 + rL + rT), the share of a fill cycle's
/// requests that arrive while it is cached.
pub fn steady_hit_ratio(r: f64, l_s: f64, t_s: f64) -> f64 {
    let x = r * t_s;
    x / (1.0 + r * l_s + x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TTL of 5e-324 s (valid: above 0) made 1/TTL infinite and the chain NaN
    /// (the CDN's hit ratio was NaN from the first tick).
    #[test]
    fn the_smallest_ttl_expires_like_a_ttl_of_zero() {
        for ttl in [5e-324, f64::MIN_POSITIVE, 1e-300, 1e-12] {
            let mut a = KeyWarmth::warm(1.0);
            let mut b = KeyWarmth::warm(1.0);
            for _ in 0..5 {
                let fa = a.step(1.0, 100.0, 0.01, ttl, 0.0);
                let fb = b.step(1.0, 100.0, 0.01, 0.0, 0.0);
                for x in [fa.hits, fa.fetches, fa.in_flight_misses, fa.fills, a.cached] {
                    assert!(x.is_finite(), "ttl {ttl}: {fa:?}");
                }
                assert_eq!(fa, fb, "ttl {ttl}");
            }
        }
    }

    #[test]
    fn a_cold_key_warms_to_the_ttl_cache_hit_ratio() {
        let mut k = KeyWarmth::default();
        let mut hits = 0.0;
        for _ in 0..5000 {
            hits = k.step(1.0, 0.01, 0.005, 300.0, 0.0).hits;
        }
        let expect = steady_hit_ratio(0.01, 0.005, 300.0);
        assert!((hits / 0.01 - expect).abs() < 1e-6, "{hits} {expect}");
        assert!((expect - 0.75).abs() < 0.001);
    }

    #[test]
    fn every_request_is_a_hit_or_a_miss_and_keys_are_conserved() {
        let mut k = KeyWarmth::default();
        for i in 0..200 {
            let before = k;
            let r = 50.0 * (i % 7) as f64;
            let fl = k.step(1.0, r, 0.05, 30.0, 0.1);
            assert!((fl.hits + fl.fetches + fl.in_flight_misses - r).abs() < 1e-9 * r.max(1.0));
            // The in-flight fraction changes by fetches started minus fills.
            let dg = k.in_flight - before.in_flight;
            assert!((dg - (fl.fetches - fl.fills)).abs() < 1e-9);
            assert!(k.cold() >= 0.0 && k.cached >= 0.0 && k.in_flight >= 0.0);
        }
    }

    #[test]
    fn a_hot_key_refills_within_a_tick_after_sending_a_herd_of_duplicates() {
        // 2,000 req/s on one key, 50 ms reads: ~100 duplicates per refill.
        let mut k = KeyWarmth::default();
        let fl = k.step(1.0, 2000.0, 0.05, 300.0, 0.0);
        assert!(fl.fetches < 1.5, "{fl:?}");
        assert!(
            fl.in_flight_misses > 80.0 && fl.in_flight_misses < 120.0,
            "{fl:?}"
        );
        assert!(k.cached > 0.9);
    }

    #[test]
    fn a_key_is_back_exactly_when_its_rebuild_completes_not_before() {
        // 100 req/s on one key, 3 s rebuild, 1 s ticks: every request misses for 3 ticks.
        let mut k = KeyWarmth::default();
        let mut in_flight = 0.0;
        for t in 0..3 {
            let fl = k.step(1.0, 100.0, 3.0, 3600.0, 0.0);
            assert!(fl.hits < 1e-9, "tick {t}: {fl:?}");
            in_flight += fl.in_flight_misses;
        }
        // One rebuild started (1/(1 + 100) left for the next tick), ~300 reads missed meanwhile.
        assert!(in_flight > 290.0 && in_flight < 300.0, "{in_flight}");
        let fl = k.step(1.0, 100.0, 3.0, 3600.0, 0.0);
        assert!(fl.hits > 98.0, "{fl:?}");
        assert!(k.cached > 0.98);
    }

    #[test]
    fn a_fractional_rebuild_time_splits_the_refill_over_two_ticks() {
        // L = 2.25 ticks: 3/4 of the keys started now are back in tick 2, 1/4 in tick 3.
        let mut k = KeyWarmth::default();
        let first = k.step(1.0, 1e6, 2.25, f64::INFINITY, 0.0);
        assert!((first.fetches - 1.0).abs() < 1e-5);
        let _ = k.step(1.0, 1e6, 2.25, f64::INFINITY, 0.0);
        let two = k.step(1.0, 1e6, 2.25, f64::INFINITY, 0.0);
        assert!((two.fills - 0.75).abs() < 1e-5, "{two:?}");
        let three = k.step(1.0, 1e6, 2.25, f64::INFINITY, 0.0);
        assert!((three.fills - 0.25).abs() < 1e-5, "{three:?}");
        assert!(k.cached > 1.0 - 1e-5 && k.in_flight < 1e-5);
    }
}
