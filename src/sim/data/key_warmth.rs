//! The fill cycle of one cached key, in aggregate over a bucket of equally hot keys.
//!
//! ```text
//!              request (rate r)               fetch done (rate 1/L)
//!   [ cold ] ─────────────────▶ [ in flight ] ─────────────────────▶ [ cached ]
//!      ▲         a miss starts      requests here miss too:              │
//!      │         one fetch          duplicates (no coalescing)           │
//!      │                            or waiters (single-flight)           │
//!      └──────────────── TTL expiry (1/T) + invalidation by writes ──────┘
//! ```
//!
//! Each key of a bucket is cold (fraction u), in flight (g: its value is being
//! fetched from the origin or the database, which takes L seconds) or cached
//! (f), with u + g + f = 1. Requests for a key arrive at rate r (Poisson).
//! - A request for a cold key is a miss and starts a fetch (cold → in flight).
//! - A request for an in-flight key is a miss as well: without request
//!   coalescing it sends its own, duplicate read (the thundering herd: every
//!   miss for a hot key goes to the database concurrently); with single-flight
//!   it waits for the read already in flight.
//! - A fetch completes after L on average and fills the key (in flight → cached).
//! - A cached key expires after its TTL T, or is invalidated by a write
//!   (cached → cold), as in cache-aside.
//!
//! This is a three-state Markov chain per key. Its steady state gives the
//! classic TTL-cache hit ratio: a key spends 1/r cold, L in flight and T cached
//! per cycle, so with L → 0 the hit ratio is rT/(1 + rT). Starting cold (f = 0)
//! it warms up as requests arrive: the warm-up time constant is about
//! 1/(r + 1/T), fast for hot keys and slow for the long tail.
//!
//! The step is backward Euler on the chain: unconditionally stable for any
//! tick (hot keys have r·dt ≫ 1), it keeps u, g, f in [0, 1] with u + g + f = 1,
//! its fixed point is the exact steady state, and the flows it reports are
//! exactly the state changes, so requests are conserved.
//!
//! SPEC §4 (queueing) gives the fetch latency L through the database model;
//! the chain itself is the standard TTL-cache renewal argument (no SPEC section).

use serde::{Deserialize, Serialize};

/// How much of a bucket of keys is in flight and cached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyWarmth {
    /// Fraction of the keys being fetched now [0..1].
    pub in_flight: f64,
    /// Fraction of the keys cached now [0..1].
    pub cached: f64,
}

/// What happened to one key of the bucket during a tick, on average.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KeyFlows {
    /// Requests per key that hit [requests].
    pub hits: f64,
    /// Requests per key that found it cold and started a fetch [requests].
    pub fetches: f64,
    /// Requests per key that found a fetch in flight [requests].
    pub in_flight_misses: f64,
    /// Fetches per key that completed and filled the cache [fills].
    pub fills: f64,
}

/// Shortest fetch latency used [s], so 1/L stays finite.
pub const MIN_FETCH_S: f64 = 1e-4;

impl KeyWarmth {
    /// Fraction of the keys that are cold.
    pub fn cold(&self) -> f64 {
        (1.0 - self.in_flight - self.cached).max(0.0)
    }

    /// Advances one tick of `dt_s` [s] with `rate_per_key` requests per key [req/s],
    /// fetch latency `fetch_s` [s], TTL `ttl_s` [s] (∞ allowed) and invalidations
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
        let alpha = finite_nonneg(rate_per_key) * dt_s;
        let beta = dt_s / finite_nonneg(fetch_s).max(MIN_FETCH_S);
        let expiry = if ttl_s > 0.0 && ttl_s.is_finite() {
            1.0 / ttl_s
        } else if ttl_s <= 0.0 {
            1e9
        } else {
            0.0
        };
        let gamma = (expiry + finite_nonneg(invalidate_per_key)) * dt_s;
        let (u0, g0, f0) = (self.cold(), self.in_flight, self.cached);
        // Backward Euler: u1(1+α) = u0 + γ f1; g1(1+β) = g0 + α u1; f1(1+γ) = f0 + β g1.
        let ab = alpha * beta / ((1.0 + alpha) * (1.0 + beta));
        let d = (1.0 + gamma) - ab * gamma;
        let f1 = (f0 + beta * g0 / (1.0 + beta) + ab * u0) / d;
        let u1 = (u0 + gamma * f1) / (1.0 + alpha);
        let g1 = (g0 + alpha * u1) / (1.0 + beta);
        self.in_flight = g1.clamp(0.0, 1.0);
        self.cached = f1.clamp(0.0, 1.0 - self.in_flight);
        KeyFlows {
            hits: alpha * f1,
            fetches: alpha * u1,
            in_flight_misses: alpha * g1,
            fills: beta * g1,
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
}
