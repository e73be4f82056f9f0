//! Client-side resilience: retry backoff with jitter, circuit breakers (resilience4j and
//! Hystrix) and token-bucket rate limiting (docs/models.md#resilience).
//!
//! **Models awaiting the stage that uses them.** Nothing in the engine calls these yet:
//! the stepper's stage 6 (Protection) applies only pod timeouts and queue bounds. Retries,
//! breakers and rate limits join the run when the protection stage is built on them;
//! until then they are exact, standalone models checked by their vectors in
//! `tests/model_vectors.rs`.
//!
//! ```text
//!   client ──▶ [token bucket] ──▶ [circuit breaker] ──▶ service
//!      ▲                                   │ failure
//!      └──────── retry after backoff ◀─────┘
//! ```

pub mod backoff;
pub mod circuit_breaker;
pub mod token_bucket;
