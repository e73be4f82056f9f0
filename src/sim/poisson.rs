//! Seeded random draws: uniform, standard normal and Poisson counts.
//!
//! ```text
//!   ChaCha8 ──u64──▶ uniform [0,1) ──▶ Knuth (λ < 30)          ──▶ arrivals this tick
//!                                 └──▶ Box–Muller normal (λ ≥ 30) ┘
//! ```
//!
//! The Poisson sampler is "exact enough" for arrivals per tick:
//! - **λ < 30: Knuth's multiplication method**, exact: multiply uniforms until the
//!   product drops below e^−λ; the number of factors minus one is Poisson(λ).
//!   It costs about λ + 1 uniforms.
//! - **λ ≥ 30: normal approximation** with a continuity correction,
//!   `max(0, floor(λ + √λ·Z + 0.5))`, Z from Box–Muller. Its skewness error is
//!   O(1/√λ) (under 0.2 of a standard deviation at λ = 30, vanishing as λ grows),
//!   which is far below what a per-second arrival count can show. It costs two
//!   uniforms, a log, a sqrt and a cosine, whatever λ is.
//!
//! Every draw reads the one RNG of the world, in a fixed order, and the transcendental
//! functions come from the pure-Rust `libm` crate (not the platform's C library), so a
//! run is reproducible bit for bit, natively and in wasm.

use rand_core::RngCore;

/// Below this mean Knuth's exact method is used; at or above it, the normal approximation.
pub const KNUTH_LIMIT: f64 = 30.0;

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn uniform01(rng: &mut impl RngCore) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal draw (Box–Muller, the cosine branch).
#[inline]
pub fn standard_normal(rng: &mut impl RngCore) -> f64 {
    let u1 = 1.0 - uniform01(rng); // (0, 1]: ln is finite
    let u2 = uniform01(rng);
    (-2.0 * libm::log(u1)).sqrt() * libm::cos(std::f64::consts::TAU * u2)
}

/// A Poisson(`lambda`) count, returned as f64 (the engine counts requests as f64).
/// `lambda` ≤ 0 or not finite gives 0.
pub fn poisson(rng: &mut impl RngCore, lambda: f64) -> f64 {
    if lambda.is_nan() || lambda <= 0.0 || !lambda.is_finite() {
        return 0.0;
    }
    if lambda < KNUTH_LIMIT {
        let limit = libm::exp(-lambda);
        let mut k = 0u32;
        let mut p = uniform01(rng);
        while p > limit {
            k += 1;
            p *= uniform01(rng);
        }
        f64::from(k)
    } else {
        (lambda + lambda.sqrt() * standard_normal(rng) + 0.5)
            .floor()
            .max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn mean_and_var(lambda: f64, n: usize) -> (f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| poisson(&mut rng, lambda)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
        (m, v)
    }

    #[test]
    fn small_means_have_poisson_mean_and_variance() {
        let (m, v) = mean_and_var(4.0, 200_000);
        assert!((m - 4.0).abs() < 0.03, "{m}");
        assert!((v - 4.0).abs() < 0.08, "{v}");
    }

    #[test]
    fn large_means_have_poisson_mean_and_variance() {
        let (m, v) = mean_and_var(1000.0, 100_000);
        assert!((m - 1000.0).abs() < 0.5, "{m}");
        assert!((v - 1000.0).abs() < 20.0, "{v}");
    }

    #[test]
    fn zero_or_negative_mean_gives_no_arrivals() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(poisson(&mut rng, 0.0), 0.0);
        assert_eq!(poisson(&mut rng, -3.0), 0.0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0.0);
    }

    #[test]
    fn uniform_draws_stay_in_the_unit_interval() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..10_000 {
            let u = uniform01(&mut rng);
            assert!((0.0..1.0).contains(&u));
        }
    }
}
