//! Request latency as distributions (docs/models.md#latency): what each request's time is made of,
//! and how the tick's mixture reaches the latency histogram and the latency SLI.
//!
//! ```text
//!   5 Service: each pod ─(shift d, mean m)─▶ pod groups (≤ 8, merged by quantised d, m)
//!   7 Data:    each class ─(shift, mean, uses the database?)─▶ data paths (hit, miss, coalesced)
//!   after 7:   every (group, path) pair is a response time  d + s + Exp(m) + Exp(m')
//!              ─▶ exact bin masses in the histogram, exact share under the SLI threshold
//! ```
//!
//! A request served by a pod in group *g* that takes data path *k* waits
//! `d_g + s_k (+ the pool wait of its pod's pool group when the path uses the database)`,
//! then is served by the pod in `Exp(m_g)` (M/M/1 response time) and by the data
//! tier in `Exp(m'_k)`. The sum of two exponentials is hypoexponential, whose CDF is
//! closed-form ([`ResponseTime::cdf`]); so the share under any threshold is exact for the
//! model, and the histogram gets each bin's exact mass rather than a few point masses.

/// The 17-bit cell of a non-negative value: its exponent and top six mantissa bits (1/128 to
/// 1/64 of the value wide). Pod groups merge pods in one cell; the shape cache keys on cells.
#[inline]
fn cell(x: f64) -> u64 {
    (x.max(0.0).to_bits() >> 46) & 0x1_ffff
}

pub mod data_paths;
pub mod pod_groups;
pub mod response_time;
pub mod shape_cache;

pub use data_paths::{CacheTimes, ClassCalls, DataPath, DataPaths, DataTimes};
pub use pod_groups::{PodGroup, PodGroups};
pub use response_time::{exp_neg, ResponseTime, REACH_MEANS};
pub use shape_cache::ShapeCache;
