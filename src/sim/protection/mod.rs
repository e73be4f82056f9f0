//! Stage 6, Protection, beyond the pods' own timeouts and queue bounds: the clients'
//! retries (docs/models.md#client-retries) and their circuit breaker
//! (docs/models.md#circuit-breaker-on-the-clients-edge).
//!
//! ```text
//!   demand ──▶ first tries ─┬─▶ load balancer ─▶ pods ─▶ served
//!                           │                     │
//!        retries due now ───┘                     └─▶ failed ─┬─ retryable, attempts left,
//!              ▲                                              │  budget, deadline ─▶ retry ring
//!              └────────────── backoff + jitter ◀─────────────┘
//!                                                             └─ else: the request gives up
//! ```
//!
//! The request models of [`super::resilience`] (backoff formulas) give the delays; this
//! module moves the retried attempts through time as aggregate flows, like every other
//! flow of the stepper: no allocation per tick.

pub mod breaker;
pub mod retries;

pub use breaker::{BreakerChange, BreakerPolicy, BreakerSection, ClientBreaker};
pub use retries::{BackoffKind, ClientRetries, RetryBudget, RetryOn, RetryPolicy, RetrySection};
