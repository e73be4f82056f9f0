//! The data tier (issue 4): CDN/edge, cache, database and an external
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
//! See SPEC §4 for the queueing formulas used.

pub mod cache;
pub mod cdn;
pub mod connection_pool;
pub mod database;
pub mod external;
pub mod key_warmth;
pub mod popularity;
pub mod sharding;
