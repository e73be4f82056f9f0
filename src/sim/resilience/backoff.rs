//! Exponential backoff and jitter (AWS "Exponential Backoff and Jitter",
//! `aws-arch-backoff-simulator`; docs/models.md#resilience). The clients' retries
//! ([`crate::sim::protection::retries`]) take their sleep windows from [`expo_ms`] and
//! [`Jitter`].
//!
//! ```text
//!   attempt n:   expo(n) = min(cap, base·2^n)
//!   none  : expo(n)            full : U(0, expo(n))
//!   equal : expo/2 + U(0, expo/2)      decorrelated : min(cap, U(base, 3·prev))
//! ```
//!
//! The uniform draw `u` ∈ [0, 1) is an input, so callers use the world's seeded
//! RNG and tests use fixed draws. `uniform(a, b) = a + (b − a)·u`, as Python's
//! `random.uniform`. The AWS simulator's first retry uses n = 1; callers choose n.

/// min(cap, base·2^n) [ms].
pub fn expo_ms(base_ms: f64, cap_ms: f64, n: u32) -> f64 {
    let n = n.min(1023) as i32;
    cap_ms.min(base_ms * 2f64.powi(n))
}

/// `random.uniform(a, b)` with the draw `u`.
pub fn uniform_between(a: f64, b: f64, u: f64) -> f64 {
    a + (b - a) * u
}

/// Full Jitter: uniform(0, expo(n)) [ms].
pub fn full_jitter_ms(base_ms: f64, cap_ms: f64, n: u32, u: f64) -> f64 {
    uniform_between(0.0, expo_ms(base_ms, cap_ms, n), u)
}

/// Equal Jitter: v/2 + uniform(0, v/2) with v = expo(n) [ms].
pub fn equal_jitter_ms(base_ms: f64, cap_ms: f64, n: u32, u: f64) -> f64 {
    let v = expo_ms(base_ms, cap_ms, n);
    v / 2.0 + uniform_between(0.0, v / 2.0, u)
}

/// Decorrelated Jitter: min(cap, uniform(base, prev·3)) [ms].
pub fn decorrelated_jitter_ms(base_ms: f64, cap_ms: f64, prev_sleep_ms: f64, u: f64) -> f64 {
    cap_ms.min(uniform_between(base_ms, prev_sleep_ms * 3.0, u))
}

/// Which backoff formula (scenario files spell them `none`, `full`, `equal`,
/// `decorrelated`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// Plain exponential backoff: synchronized retry spikes.
    None,
    /// Full Jitter: uniform(0, expo(n)).
    Full,
    /// Equal Jitter: expo(n)/2 + uniform(0, expo(n)/2).
    Equal,
    /// Decorrelated Jitter: min(cap, uniform(base, 3·previous sleep)).
    Decorrelated,
}
crate::named_enum!(Jitter {
    None = "none",
    Full = "full",
    Equal = "equal",
    Decorrelated = "decorrelated",
});

impl Jitter {
    /// In a word, as scenario files spell it.
    pub const fn words(self) -> &'static str {
        match self {
            Jitter::None => "none",
            Jitter::Full => "full",
            Jitter::Equal => "equal",
            Jitter::Decorrelated => "decorrelated",
        }
    }
}

/// A retry schedule; `Decorrelated` keeps its previous sleep.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Backoff {
    pub jitter: Jitter,
    pub base_ms: f64,
    pub cap_ms: f64,
    /// Previous sleep [ms] (Decorrelated); starts at `base_ms`.
    pub prev_sleep_ms: f64,
}

impl Backoff {
    pub fn new(jitter: Jitter, base_ms: f64, cap_ms: f64) -> Self {
        Self {
            jitter,
            base_ms,
            cap_ms,
            prev_sleep_ms: base_ms,
        }
    }

    /// Sleep [ms] before retry attempt `n`, using the uniform draw `u` (ignored by `None`).
    pub fn next_sleep_ms(&mut self, n: u32, u: f64) -> f64 {
        let s = match self.jitter {
            Jitter::None => expo_ms(self.base_ms, self.cap_ms, n),
            Jitter::Full => full_jitter_ms(self.base_ms, self.cap_ms, n, u),
            Jitter::Equal => equal_jitter_ms(self.base_ms, self.cap_ms, n, u),
            Jitter::Decorrelated => {
                decorrelated_jitter_ms(self.base_ms, self.cap_ms, self.prev_sleep_ms, u)
            }
        };
        self.prev_sleep_ms = s;
        s
    }

    /// Back to the first attempt (after a success).
    pub fn reset(&mut self) {
        self.prev_sleep_ms = self.base_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponential_backoff_doubles_until_the_cap() {
        let got: Vec<f64> = (0..8).map(|n| expo_ms(100.0, 10_000.0, n)).collect();
        assert_eq!(
            got,
            [100.0, 200.0, 400.0, 800.0, 1600.0, 3200.0, 6400.0, 10_000.0]
        );
        assert_eq!(expo_ms(100.0, 10_000.0, 5000), 10_000.0);
    }

    #[test]
    fn equal_jitter_never_sleeps_less_than_half_the_exponential() {
        assert_eq!(equal_jitter_ms(100.0, 10_000.0, 3, 0.0), 400.0);
        assert_eq!(equal_jitter_ms(100.0, 10_000.0, 3, 0.5), 600.0);
    }

    #[test]
    fn decorrelated_jitter_remembers_its_last_sleep() {
        let mut b = Backoff::new(Jitter::Decorrelated, 100.0, 10_000.0);
        assert_eq!(b.next_sleep_ms(0, 0.5), 200.0);
        assert_eq!(b.next_sleep_ms(1, 0.25), 225.0);
        b.reset();
        assert_eq!(b.prev_sleep_ms, 100.0);
    }
}
