//! Token-bucket rate limiter, the arithmetic of `golang.org/x/time/rate`: a bucket of
//! size b, initially full, refilled at r tokens per second (docs/models.md#resilience).
//! A model awaiting the protection stage: the stepper does not call it yet.
//!
//! ```text
//!   +r tokens/s ──▶ [ bucket ≤ b ] ──▶ admit n ⇔ tokens(t) − n ≥ 0
//!   tokens(t) = min(b, tokens(t_last) + r·(t − t_last)); t_last and tokens move only on admit
//! ```
//!
//! Over any interval T at most b + r·T requests are admitted; in the long run, r.
//!
//! **Exact arithmetic.** Time is quantized to 1 µs and the rate to 0.001 token/s;
//! tokens are then counted in integer nano-tokens (1 µs × 1 milli-token/s =
//! 1 nano-token), so `0.2 + 0.3` style drift never flips an admit decision.

use serde::{Deserialize, Serialize};

const NANO: i128 = 1_000_000_000;

fn to_us(t_s: f64) -> i64 {
    (t_s * 1e6).round() as i64
}

/// A token bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenBucket {
    /// Refill rate [milli-tokens/s].
    rate_milli_per_s: i64,
    /// Capacity [tokens].
    burst: u64,
    /// Tokens at `last_us` [nano-tokens].
    tokens_nano: i128,
    /// Time of the last admit [µs]; `None` until the first request.
    last_us: Option<i64>,
}

impl TokenBucket {
    /// A bucket refilled at `rate_per_s` [tokens/s] holding at most `burst` tokens,
    /// full (or empty) at the first request.
    pub fn new(rate_per_s: f64, burst: u64, initially_full: bool) -> Self {
        let tokens = if initially_full {
            i128::from(burst) * NANO
        } else {
            0
        };
        Self {
            rate_milli_per_s: (rate_per_s * 1000.0).round().max(0.0) as i64,
            burst,
            tokens_nano: tokens,
            last_us: None,
        }
    }

    /// Refill rate [tokens/s].
    pub fn rate_per_s(&self) -> f64 {
        self.rate_milli_per_s as f64 / 1000.0
    }

    /// Capacity [tokens].
    pub fn burst(&self) -> u64 {
        self.burst
    }

    fn tokens_nano_at(&self, now_us: i64) -> i128 {
        let cap = i128::from(self.burst) * NANO;
        match self.last_us {
            None => self.tokens_nano.min(cap),
            Some(last) => {
                let elapsed = i128::from((now_us - last).max(0));
                (self.tokens_nano + elapsed * i128::from(self.rate_milli_per_s)).min(cap)
            }
        }
    }

    /// Tokens available at `now_s` [tokens], without changing the bucket.
    pub fn tokens_at(&self, now_s: f64) -> f64 {
        self.tokens_nano_at(to_us(now_s)) as f64 / NANO as f64
    }

    /// Take `n` tokens at `now_s` if available. Rejections change nothing.
    pub fn try_take(&mut self, now_s: f64, n: u64) -> bool {
        let now = to_us(now_s);
        let t = self.tokens_nano_at(now) - i128::from(n) * NANO;
        if t >= 0 {
            self.tokens_nano = t;
            self.last_us = Some(now);
            true
        } else {
            if self.last_us.is_none() {
                self.last_us = Some(now);
            }
            false
        }
    }

    /// Admit as many of `wanted` single-token requests as the bucket allows at
    /// `now_s` (a whole tick's arrivals at once). Returns the number admitted.
    pub fn admit_up_to(&mut self, now_s: f64, wanted: u64) -> u64 {
        let now = to_us(now_s);
        let available = self.tokens_nano_at(now);
        let k = (available / NANO).clamp(0, i128::from(wanted)) as u64;
        if self.last_us.is_none() {
            self.last_us = Some(now);
        }
        if k > 0 {
            self.tokens_nano = available - i128::from(k) * NANO;
            self.last_us = Some(now);
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_bucket_admits_its_burst_then_the_rate() {
        let mut b = TokenBucket::new(5.0, 10, true);
        assert_eq!(b.admit_up_to(0.0, 12), 10);
        assert_eq!(b.admit_up_to(0.0, 1), 0);
        assert_eq!(b.admit_up_to(1.0, 100), 5);
        assert_eq!(b.admit_up_to(100.0, 100), 10);
    }

    #[test]
    fn at_most_burst_plus_rate_times_t_are_admitted() {
        let mut b = TokenBucket::new(2.0, 3, true);
        let mut admitted = 0;
        for i in 0..=300 {
            if b.try_take(f64::from(i) * 0.01, 1) {
                admitted += 1;
            }
        }
        assert_eq!(admitted, 3 + 6);
    }

    #[test]
    fn an_empty_start_waits_for_the_first_token() {
        let mut b = TokenBucket::new(1.0, 5, false);
        assert!(!b.try_take(0.0, 1));
        assert!(!b.try_take(0.5, 1));
        assert!(b.try_take(1.0, 1));
    }
}
