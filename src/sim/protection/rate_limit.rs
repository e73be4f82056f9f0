//! Rate limits in front of the service: token buckets per request class and overall,
//! at the edge or at the load balancer, refusing with HTTP 429
//! (docs/models.md#rate-limits).
//!
//! ```text
//!   class arrivals ─▶ [class bucket: rate r_c, burst b_c] ─▶ [overall bucket: r, b] ─▶ on
//!                          └─ 429 (rate limited)                 └─ 429, shared by class
//!   a bucket each tick: tokens = min(burst, tokens + rate · dt); pass = min(arrivals, tokens)
//! ```
//!
//! The token bucket of [`super::super::resilience::token_bucket`] (Envoy's local rate
//! limit, NGINX `limit_req` with `burst … nodelay`), over aggregate flows: a full bucket
//! lets a burst of `burst` requests through at once, then `rate` per second. A refused
//! request gets a 429 at once: no pod sees it. The availability SLI leaves 429s out
//! unless `[slo] count_rate_limited` is true (a 429 is the client's to slow down).

use serde::{Deserialize, Serialize};

/// Where the buckets stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LimitAt {
    /// Before the CDN: every request counts, edge hits too.
    Edge,
    /// At the load balancer: only what reaches the origin counts.
    #[default]
    LoadBalancer,
}
crate::named_enum!(LimitAt {
    Edge = "edge",
    LoadBalancer = "load_balancer",
});

impl LimitAt {
    /// In a word or two.
    pub const fn words(self) -> &'static str {
        match self {
            LimitAt::Edge => "at the edge",
            LimitAt::LoadBalancer => "at the load balancer",
        }
    }
}

/// One class's bucket (`[[rate_limit.classes]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassLimit {
    /// The request class (`traffic.classes[].name`).
    pub name: String,
    /// Tokens added per second [req/s].
    pub limit_rps: f64,
    /// The bucket's size [requests]; default one second of `limit_rps`.
    #[serde(default)]
    pub burst: Option<f64>,
}

/// `[rate_limit]`: the buckets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitPolicy {
    /// Where the buckets stand (default the load balancer).
    #[serde(default)]
    pub at: LimitAt,
    /// The overall bucket's rate [req/s]; none: no overall limit.
    #[serde(default)]
    pub limit_rps: Option<f64>,
    /// The overall bucket's size [requests]; default one second of `limit_rps`.
    #[serde(default)]
    pub burst: Option<f64>,
    /// Per-class buckets, before the overall one.
    #[serde(default)]
    pub classes: Vec<ClassLimit>,
}

impl RateLimitPolicy {
    /// The rules the range table cannot state, against the traffic's class names;
    /// errors are (field path, message).
    pub fn validate(&self, class_names: &[&str]) -> Result<(), (String, String)> {
        if self.limit_rps.is_none() && self.classes.is_empty() {
            return Err((
                "rate_limit".into(),
                "sets no limit: give limit_rps (overall) or [[rate_limit.classes]] (per class)"
                    .into(),
            ));
        }
        if self.burst.is_some() && self.limit_rps.is_none() {
            return Err((
                "rate_limit.burst".into(),
                "is set without limit_rps: the overall bucket needs a rate".into(),
            ));
        }
        for (i, c) in self.classes.iter().enumerate() {
            if !class_names.contains(&c.name.as_str()) {
                return Err((
                    format!("rate_limit.classes[{i}].name"),
                    format!(
                        "is \"{}\", not a request class; the classes are {}",
                        c.name,
                        class_names.join(", ")
                    ),
                ));
            }
            if self.classes[..i].iter().any(|o| o.name == c.name) {
                return Err((
                    format!("rate_limit.classes[{i}].name"),
                    format!("limits \"{}\" twice: one bucket per class", c.name),
                ));
            }
        }
        Ok(())
    }
}

/// An aggregate token bucket [requests].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
}

impl Bucket {
    /// A full bucket (`burst` defaults to one second of `rate`).
    fn new(rate: f64, burst: Option<f64>) -> Self {
        let burst = burst.unwrap_or(rate).max(0.0);
        Self {
            rate,
            burst,
            tokens: burst,
        }
    }

    /// Refills for `dt` seconds and lets up to `n` through; returns what passed.
    fn pass(&mut self, n: f64, dt: f64) -> f64 {
        self.tokens = (self.tokens + self.rate * dt).min(self.burst);
        let through = n.min(self.tokens).max(0.0);
        self.tokens -= through;
        through
    }
}

/// The buckets in the World.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateLimiter {
    /// The policy.
    pub policy: RateLimitPolicy,
    overall: Option<Bucket>,
    /// Per traffic class (by index): its bucket, if limited.
    classes: Vec<Option<Bucket>>,
    /// Refused this tick, per class [requests].
    pub refused: Vec<f64>,
    /// Refused since the start, per class [requests].
    #[serde(default)]
    pub refused_total: Vec<f64>,
}

impl RateLimiter {
    /// Full buckets for the traffic's classes (`class_names`, in order); the policy
    /// was validated.
    pub fn new(policy: RateLimitPolicy, class_names: &[&str]) -> Self {
        let classes = class_names
            .iter()
            .map(|n| {
                policy
                    .classes
                    .iter()
                    .find(|c| c.name == *n)
                    .map(|c| Bucket::new(c.limit_rps, c.burst))
            })
            .collect();
        Self {
            overall: policy.limit_rps.map(|r| Bucket::new(r, policy.burst)),
            classes,
            refused: vec![0.0; class_names.len()],
            refused_total: vec![0.0; class_names.len()],
            policy,
        }
    }

    /// One tick of `dt` seconds: lets `class_arrivals` through the buckets (each
    /// class's first, then the overall one, which refuses every class alike);
    /// leaves what passed in `class_arrivals` and returns the requests refused.
    pub fn admit(&mut self, class_arrivals: &mut [f64], dt: f64) -> f64 {
        let mut total = 0.0;
        let mut refused = 0.0;
        for ((n, bucket), out) in class_arrivals
            .iter_mut()
            .zip(self.classes.iter_mut())
            .zip(self.refused.iter_mut())
        {
            let through = match bucket {
                Some(b) => b.pass(*n, dt),
                None => *n,
            };
            *out = *n - through;
            refused += *out;
            *n = through;
            total += through;
        }
        if let Some(b) = self.overall.as_mut() {
            let through = b.pass(total, dt);
            if through < total {
                let k = through / total;
                for (n, out) in class_arrivals.iter_mut().zip(self.refused.iter_mut()) {
                    *out += *n * (1.0 - k);
                    *n *= k;
                }
                refused += total - through;
            }
        }
        for (sum, n) in self.refused_total.iter_mut().zip(&self.refused) {
            *sum += n;
        }
        refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(limit: Option<f64>, classes: Vec<ClassLimit>) -> RateLimitPolicy {
        RateLimitPolicy {
            at: LimitAt::LoadBalancer,
            limit_rps: limit,
            burst: None,
            classes,
        }
    }

    #[test]
    fn a_full_bucket_passes_its_burst_then_its_rate() {
        let mut b = Bucket::new(100.0, Some(500.0));
        assert_eq!(b.pass(1000.0, 1.0), 500.0, "the burst (already full)");
        assert_eq!(b.pass(1000.0, 1.0), 100.0, "then the rate");
        // Idle for 10 s refills to the burst, not beyond.
        assert_eq!(b.pass(0.0, 10.0), 0.0);
        assert_eq!(b.pass(1000.0, 0.0), 500.0);
    }

    #[test]
    fn class_buckets_refuse_their_own_class_and_the_overall_one_every_class_alike() {
        let limit = ClassLimit {
            name: "browse".into(),
            limit_rps: 100.0,
            burst: Some(100.0),
        };
        let mut r = RateLimiter::new(policy(Some(500.0), vec![limit]), &["browse", "checkout"]);
        let mut a = [400.0, 200.0];
        let refused = r.admit(&mut a, 1.0);
        assert_eq!(a, [100.0, 200.0]);
        assert_eq!(refused, 300.0);
        // Overall 500 (the burst) then 500/s: 1,000 of 2 classes through 300.
        let mut a = [100.0, 900.0];
        r.admit(&mut a, 1.0);
        assert!((a[0] + a[1] - 500.0).abs() < 1e-9, "{a:?}");
        assert!((a[1] / a[0] - 9.0).abs() < 1e-9, "{a:?}");
        assert!((r.refused.iter().sum::<f64>() - 500.0).abs() < 1e-9);
    }

    #[test]
    fn a_policy_needs_a_limit_and_known_classes() {
        let err = policy(None, vec![]).validate(&["a"]).unwrap_err();
        assert_eq!(err.0, "rate_limit");
        let bad = ClassLimit {
            name: "x".into(),
            limit_rps: 1.0,
            burst: None,
        };
        let err = policy(None, vec![bad]).validate(&["a", "b"]).unwrap_err();
        assert_eq!(err.0, "rate_limit.classes[0].name");
        assert!(err.1.contains("a, b"), "{}", err.1);
    }
}
