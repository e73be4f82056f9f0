//! One response time: a fixed delay plus two independent exponential stages.
//!
//! `T = shift + Exp(mean a) + Exp(mean b)`: the pod's M/M/1 response time
//! (`Exp(μ − λ)`, mean `S/(1 − ρ)`; docs/models.md#queueing) plus the data tier's time (the database's read or
//! write time, exponential with the mean of its service and queueing). Its CDF for
//! `t = x − shift ≥ 0` is the hypoexponential's (Ross, *Introduction to Probability
//! Models*, section 5.2.4; docs/models.md#latency):
//!
//! ```text
//!   a ≠ b:  F = 1 − (a·e^(−t/a) − b·e^(−t/b)) / (a − b)
//!   a = b:  F = 1 − e^(−t/a)·(1 + t/a)          (Erlang-2)
//!   b = 0:  F = 1 − e^(−t/a)                    (exponential)
//! ```

/// `e^(−x)` for `x ≥ 0` (1 for `x ≤ 0` or NaN, 0 beyond 708), by range reduction to
/// `2^(−k)·e^(−r)` with `|r| ≤ ln 2 / 2` and a degree-9 Taylor polynomial: relative error
/// below 1e-11. Plain f64 arithmetic, so the same bits natively and in wasm, and about
/// three times cheaper than a general `exp`.
#[inline]
pub fn exp_neg(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    if x > 708.0 {
        return 0.0;
    }
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let k = (x * std::f64::consts::LOG2_E + 0.5) as i64;
    let kf = k as f64;
    // e^(−x) = 2^(−k) · e^(−r), r = x − k·ln 2 in [−ln2/2, ln2/2].
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    let y = -r;
    // Horner's rule, innermost coefficient first: the same operations in the same
    // order as the nested form (and rustfmt need not lay out ten levels of parentheses).
    const INV_FACTORIALS: [f64; 9] = [
        1.0 / 40_320.0,
        1.0 / 5040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ];
    let mut p = 1.0 / 362_880.0;
    for c in INV_FACTORIALS {
        p = c + y * p;
    }
    p * f64::from_bits(((1023 - k) as u64) << 52)
}

/// Multiples of the exponential stages' mean past which less than 1e-6 of a response
/// time's mass lies (e^(−14) ≈ 8e-7).
pub const REACH_MEANS: f64 = 14.0;

/// `shift + Exp(a) + Exp(b)` [ms]: the latency of the requests of one pod group on one
/// data path. `a ≥ b ≥ 0` (the constructor orders them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResponseTime {
    /// Fixed delay: waits behind a backlog, network hops, pool waits, cache hits [ms].
    pub shift_ms: f64,
    /// Mean of the longer exponential stage [ms].
    pub a_ms: f64,
    /// Mean of the shorter exponential stage [ms].
    pub b_ms: f64,
}

impl ResponseTime {
    /// `shift + Exp(m1) + Exp(m2)` [ms]; negative or NaN parts count as 0.
    pub fn new(shift_ms: f64, m1_ms: f64, m2_ms: f64) -> Self {
        let clean = |x: f64| if x > 0.0 { x } else { 0.0 };
        let (m1, m2) = (clean(m1_ms), clean(m2_ms));
        ResponseTime {
            shift_ms: clean(shift_ms),
            a_ms: m1.max(m2),
            b_ms: m1.min(m2),
        }
    }

    /// Mean response time [ms].
    pub fn mean_ms(&self) -> f64 {
        self.shift_ms + self.a_ms + self.b_ms
    }

    /// Where all but 1e-6 of its mass lies below: `shift + REACH_MEANS × (a + b)` [ms].
    #[inline]
    pub fn reach_ms(&self) -> f64 {
        self.shift_ms + REACH_MEANS * (self.a_ms + self.b_ms)
    }

    /// P(T ≤ `x_ms`) in [0, 1].
    #[inline]
    pub fn cdf(&self, x_ms: f64) -> f64 {
        let t = x_ms - self.shift_ms;
        if t < 0.0 {
            return 0.0;
        }
        let (a, b) = (self.a_ms, self.b_ms);
        if a <= 0.0 {
            return 1.0;
        }
        let f = if b <= a * 1e-9 {
            1.0 - exp_neg(t / a)
        } else if a - b < 1e-4 * a {
            let u = t / (0.5 * (a + b));
            1.0 - exp_neg(u) * (1.0 + u)
        } else {
            1.0 - (a * exp_neg(t / a) - b * exp_neg(t / b)) / (a - b)
        };
        f.clamp(0.0, 1.0)
    }

    /// The `p`-quantile [ms] (`p` in [0, 1)), by bisection on the CDF to 1e-9 relative.
    /// For tests and one-off figures, not the per-tick path.
    pub fn quantile_ms(&self, p: f64) -> f64 {
        let mut lo = self.shift_ms;
        let mut hi = self.shift_ms + 60.0 * (self.a_ms + self.b_ms);
        if self.cdf(lo) >= p {
            return lo;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-9 * hi {
                break;
            }
        }
        0.5 * (lo + hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_neg_matches_libm_to_1e_11() {
        let mut x = 0.0;
        while x < 700.0 {
            let want = libm::exp(-x);
            let got = exp_neg(x);
            assert!(
                (got - want).abs() <= 1e-11 * want + 1e-300,
                "x = {x}: {got} vs {want}"
            );
            x += 0.0137 + x * 0.01;
        }
        assert_eq!(exp_neg(0.0), 1.0);
        assert_eq!(exp_neg(-3.0), 1.0);
        assert_eq!(exp_neg(f64::NAN), 1.0);
        assert_eq!(exp_neg(1e9), 0.0);
    }

    #[test]
    fn an_m_m_1_pod_at_rho_095_has_77_7_percent_under_300_ms() {
        // μ = 100/s, λ = 95/s: T ~ Exp(μ − λ), mean 200 ms; P(T ≤ 300 ms) = 1 − e^(−1.5).
        let rt = ResponseTime::new(0.0, 200.0, 0.0);
        assert!((rt.cdf(300.0) - (1.0 - (-1.5f64).exp())).abs() < 1e-12);
        assert!((rt.quantile_ms(0.5) - 200.0 * std::f64::consts::LN_2).abs() < 1e-6);
    }

    #[test]
    fn the_hypoexponential_cdf_agrees_with_numerical_convolution() {
        // P(X + Y ≤ t) = ∫0^t f_X(u) F_Y(t − u) du, by the midpoint rule.
        for (a, b) in [(10.0, 3.0), (5.0, 5.0), (5.0, 4.9999), (40.0, 0.5)] {
            let rt = ResponseTime::new(2.0, a, b);
            for t in [0.5, 3.0, 8.0, 20.0, 60.0] {
                let n = 20_000;
                let h = t / n as f64;
                let mut s = 0.0;
                for i in 0..n {
                    let u = (i as f64 + 0.5) * h;
                    s += (-u / a).exp() / a * (1.0 - (-(t - u) / b).exp()) * h;
                }
                assert!(
                    (rt.cdf(2.0 + t) - s).abs() < 1e-6,
                    "a={a} b={b} t={t}: {} vs {s}",
                    rt.cdf(2.0 + t)
                );
            }
        }
    }

    #[test]
    fn a_fixed_delay_is_a_step() {
        let rt = ResponseTime::new(5.0, 0.0, 0.0);
        assert_eq!(rt.cdf(4.999), 0.0);
        assert_eq!(rt.cdf(5.0), 1.0);
        assert_eq!(rt.quantile_ms(0.99), 5.0);
    }
}
