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
pub mod edges;
pub mod flags;
pub mod rate_limit;
pub mod retries;
pub mod shedding;

pub use breaker::{BreakerChange, BreakerPolicy, BreakerSection, CircuitBreaker};
pub use edges::{EdgeProtection, EdgeTick, EdgeTotals};
pub use flags::{FeatureFlag, Flags};
pub use rate_limit::{ClassLimit, LimitAt, RateLimitPolicy, RateLimiter};
pub use retries::{BackoffKind, ClientRetries, RetryBudget, RetryOn, RetryPolicy, RetrySection};
pub use shedding::{FleetLoad, Shedder, SheddingPolicy};

/// A call edge that can carry a retry policy or a circuit breaker (`[retry.<edge>]`,
/// `[breaker.<edge>]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CallEdge {
    /// The clients towards the service.
    #[default]
    Client,
    /// The pods towards the database.
    Database,
    /// The pods towards the external dependency.
    External,
    /// The Kafka consumers towards the database.
    Consumer,
    /// The pods towards the cache (a GET that fails every attempt reads the database).
    Cache,
}
crate::named_enum!(CallEdge {
    Client = "client",
    Database = "database",
    External = "external",
    Consumer = "consumer",
    Cache = "cache",
});

impl CallEdge {
    /// Whether it is the clients' edge (the events leave it out, as before edges had names).
    pub fn is_client(&self) -> bool {
        *self == CallEdge::Client
    }

    /// Who calls whom, in a few words.
    pub const fn words(self) -> &'static str {
        match self {
            CallEdge::Client => "clients \u{2192} service",
            CallEdge::Database => "pods \u{2192} database",
            CallEdge::External => "pods \u{2192} external dependency",
            CallEdge::Consumer => "consumers \u{2192} database",
            CallEdge::Cache => "pods \u{2192} cache",
        }
    }

    /// What its open breaker does with the calls, in a few words (`fallback`: a
    /// dependency edge's breaker serves them a fallback).
    pub const fn open_words(self, fallback: bool) -> &'static str {
        match (self, fallback) {
            (CallEdge::Cache, _) => "reads skip the cache and go to the database",
            (CallEdge::Consumer, _) => {
                "the consumer group is paused (the writes wait in Kafka, the lag grows)"
            }
            (CallEdge::Database | CallEdge::External, true) => "calls get the fallback",
            (CallEdge::Client, _) | (CallEdge::Database | CallEdge::External, false) => {
                "calls fail at once"
            }
        }
    }
}
