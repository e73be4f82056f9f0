//! Key popularity: a Zipf-like working set cut into a few buckets of keys
//! that are equally hot inside each bucket.
//!
//! ```text
//!   rank 1      2–3        4–7   …   N/2–N          keys sorted by popularity
//!   [celebrity][hot ][warm]…[ long tail ]           BUCKETS buckets
//!   share p_b = Σ_{k in b} k^−s / H(N, s)           of the requests
//! ```
//!
//! Bucket 0 is the single hottest key, the "celebrity" of a social feed; the other
//! buckets double in width up to the whole keyspace, so a cache or a CDN can
//! track how much of each slice of the working set is warm with O(BUCKETS) work.
//!
//! The generalized harmonic number H(n, s) = Σ_{k=1}^{n} k^−s is summed exactly
//! up to [`EXACT_TERMS`] and continued with the midpoint integral
//! ∫_{m+½}^{n+½} x^−s dx with its Euler–Maclaurin correction −[f′]/24,
//! whose error is far below 1e-9 of the total.
//!
//! The model and its sources: docs/models.md#key-popularity.

use serde::{Deserialize, Serialize};

/// Number of popularity buckets.
pub const BUCKETS: usize = 12;

/// Terms of H(n, s) summed one by one before the integral takes over.
pub const EXACT_TERMS: u64 = 1000;

/// Generalized harmonic number H(n, s) = Σ_{k=1}^{n} k^−s.
pub fn harmonic(n: u64, s: f64) -> f64 {
    let m = n.min(EXACT_TERMS);
    let mut h = 0.0;
    for k in 1..=m {
        h += (k as f64).powf(-s);
    }
    if n > m {
        let (a, b) = (m as f64 + 0.5, n as f64 + 0.5);
        h += if (s - 1.0).abs() < 1e-12 {
            (b / a).ln()
        } else {
            (b.powf(1.0 - s) - a.powf(1.0 - s)) / (1.0 - s)
        };
        // Euler–Maclaurin correction of the midpoint rule: −[f′]/24, f′ = −s·x^−(s+1).
        h += s / 24.0 * (b.powf(-s - 1.0) - a.powf(-s - 1.0));
    }
    h
}

/// Share of the requests that go to the single hottest key of a Zipf(`s`)
/// keyspace of `keys` keys: 1/H(keys, s).
pub fn zipf_top_share(keys: u64, s: f64) -> f64 {
    if keys == 0 {
        return 0.0;
    }
    1.0 / harmonic(keys, s)
}

/// A keyspace cut into popularity buckets: keys per bucket and request share per bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Popularity {
    /// Keys in each bucket [keys]; 0 for an empty bucket of a small keyspace.
    pub keys: [f64; BUCKETS],
    /// Share of the requests that fall in each bucket; sums to 1.
    pub share: [f64; BUCKETS],
}

impl Popularity {
    /// Zipf(`s`) popularity over `keys` keys (`s` = 0 is uniform, 1 is classic Zipf).
    pub fn zipf(keys: u64, s: f64) -> Self {
        let keys = keys.max(1);
        let s = if s.is_finite() { s.max(0.0) } else { 0.0 };
        let total = harmonic(keys, s);
        let mut out = Popularity {
            keys: [0.0; BUCKETS],
            share: [0.0; BUCKETS],
        };
        // Bucket b holds ranks (edge[b], edge[b+1]]: edge 0 = 0, edge 1 = 1
        // (the hottest key alone), then geometric up to `keys`.
        let mut prev_edge = 0u64;
        let mut prev_h = 0.0;
        for b in 0..BUCKETS {
            let edge = if b == 0 {
                1
            } else if b + 1 == BUCKETS {
                keys
            } else {
                let frac = b as f64 / (BUCKETS - 1) as f64;
                ((keys as f64).powf(frac).round() as u64).clamp(prev_edge, keys)
            };
            let h = harmonic(edge, s);
            out.keys[b] = (edge - prev_edge) as f64;
            out.share[b] = ((h - prev_h) / total).max(0.0);
            prev_edge = edge;
            prev_h = h;
        }
        out
    }

    /// Share of the requests on the hottest key (bucket 0).
    pub fn top_share(&self) -> f64 {
        self.share[0]
    }

    /// Total keys [keys].
    pub fn total_keys(&self) -> f64 {
        self.keys.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buckets_cover_every_key_and_every_request() {
        for &(n, s) in &[
            (1u64, 1.0),
            (10, 0.8),
            (100_000, 1.0),
            (10_000_000, 1.2),
            (50, 0.0),
        ] {
            let p = Popularity::zipf(n, s);
            assert!((p.total_keys() - n as f64).abs() < 1e-6, "{n}");
            assert!((p.share.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{n} {s}");
        }
    }

    #[test]
    fn the_harmonic_continuation_matches_the_exact_sum() {
        let exact: f64 = (1..=200_000u64).map(|k| (k as f64).powf(-1.1)).sum();
        assert!((harmonic(200_000, 1.1) - exact).abs() / exact < 1e-9);
        let exact1: f64 = (1..=50_000u64).map(|k| 1.0 / k as f64).sum();
        assert!((harmonic(50_000, 1.0) - exact1).abs() / exact1 < 1e-9);
    }

    #[test]
    fn the_celebrity_key_takes_a_large_share_of_a_skewed_keyspace() {
        // Zipf s = 1 over 10,000 keys: H ≈ 9.79, so the top key gets ≈ 10 %.
        let top = zipf_top_share(10_000, 1.0);
        assert!((top - 0.1021).abs() < 0.001, "{top}");
        assert!((zipf_top_share(10_000, 0.0) - 1e-4).abs() < 1e-12);
    }
}
