//! Client-side resilience (SPEC §5, §6): retry backoff with jitter, circuit
//! breakers (resilience4j and Hystrix) and token-bucket rate limiting.
//!
//! ```text
//!   client ──▶ [token bucket] ──▶ [circuit breaker] ──▶ service
//!      ▲                                   │ failure
//!      └──────── retry after backoff ◀─────┘
//! ```

pub mod backoff;
pub mod circuit_breaker;
pub mod token_bucket;
