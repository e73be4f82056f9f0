//! Multi-region routing: a global server load balancer with regional failover,
//! DNS caching and a data-sovereignty rule (issue 4, item 6).
//!
//! ```text
//!   users (per group) ──DNS (TTL)──▶ GSLB ──▶ region A | region B | region C
//! ```

pub mod gslb;

pub use gslb::{
    Gslb, GslbConfig, GslbInput, GslbPolicy, GslbRegion, GslbTick, GslbTotals, SovereigntyRule,
    UserGroup,
};
