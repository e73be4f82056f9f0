//! Client-side resilience: retry backoff with jitter, circuit breakers (resilience4j and
//! Hystrix) and token-bucket rate limiting (docs/models.md#resilience).
//!
//! **What the stepper uses.** The clients' retries ([`crate::sim::protection::retries`])
//! take their sleeps from [`backoff`]; their breaker
//! ([`crate::sim::protection::breaker`]) applies [`circuit_breaker`]'s resilience4j rules
//! to aggregate flows. The per-call breakers and the token bucket here are exact,
//! standalone models checked by their vectors in `tests/model_vectors.rs`; rate limits
//! will use the token bucket.
//!
//! ```text
//!   client ──▶ [token bucket] ──▶ [circuit breaker] ──▶ service
//!      ▲                                   │ failure
//!      └──────── retry after backoff ◀─────┘
//! ```

pub mod backoff;
pub mod circuit_breaker;
pub mod token_bucket;
