//! The data tier: CDN/edge, cache, database and an external
//! dependency, each a standalone per-tick component.
//!
//! ```text
//!   users ─▶ [ CDN ] ─origin─▶ pods ─┬─▶ [ cache ] ─miss─▶ [ database: shards × (primary + replicas) ]
//!                                    └─▶ [ external dependency (payment provider) ]
//! ```
//!
//! Every component is plain serde data (a config with units and defaults, and
//! a state) with a `#[must_use]` `tick(now_s, dt_s, &input) -> output` that
//! moves aggregate flows (f64 counts per tick), fault methods, and accessors
//! for the UI. A tick is O(buckets + shards × replicas) and does not allocate.
//! The models and their formulas: docs/models.md#data-tier.
//!
//! **Wiring into `step`** (one call per component per tick, in this order):
//! - Stage 3 (Edge): `cdn.tick(now, dt, &CdnInput { class_arrivals, origin_latency_ms })`;
//!   `cdn.origin_by_class()` replaces the class arrivals that go on to routing;
//!   edge hits are served at `edge_latency_ms`, collapsed requests at edge + origin latency.
//! - Stage 7 (Data): the pods' reads go to `cache.tick(now, dt, &CacheInput { reads,
//!   writes, db_read_latency_ms })`; its `db_reads` and the writes go to
//!   `database.tick(now, dt, &DbInput { pods, reads, writes })`; the database's
//!   `read_latency_ms` is the cache's `db_read_latency_ms` next tick. Calls to a
//!   payment provider go to `external.tick(now, dt, &ExternalInput { calls })`.
//! - Failures map to errors by reason (`DbFailures`, `ExternalOutput::{errors,
//!   timeouts, throttled}`); latencies add to the request's latency as each
//!   output's field docs say.

pub mod cache;
pub mod cdn;
pub mod connection_pool;
pub mod database;
pub mod external;
pub mod key_warmth;
pub mod popularity;
pub mod sharding;
