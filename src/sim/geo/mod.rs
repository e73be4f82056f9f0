//! Multi-region routing: a global server load balancer with regional failover,
//! DNS caching and a data-sovereignty rule (docs/models.md#gslb-and-dns).
//!
//! ```text
//!   users (per group) ──DNS (TTL)──▶ GSLB ──▶ region A | region B | region C
//! ```
//!
//! **Wiring into `step` (stage 4, Routing).** Each tick: `let g = gslb.tick(now_s, tick_s,
//! &GslbInput { demand_rps, write_share, replication_lag_ms })`, then `gslb.region_rps()[r]`
//! is region r's arrivals for the load balancer. Errors by reason: `failed_dead_region_rps`
//! ("region down"), `refused_sovereignty_rps` ("sovereignty"), `no_region_rps`
//! ("no region"), `dns_failed_rps` ("DNS"); `mean_latency_ms` adds to the user latency.
//! Faults: `set_region_health(r, healthy, now_s)`, `set_dns_failure(on, now_s)`.

pub mod gslb;

pub use gslb::{
    Gslb, GslbConfig, GslbInput, GslbPolicy, GslbRegion, GslbTick, GslbTotals, SovereigntyRule,
    UserGroup,
};
