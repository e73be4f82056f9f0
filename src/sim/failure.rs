//! Why a request failed: one name per reason, shared by the request counters
//! ([`Counters`](super::world::Counters)), the data tier's counters
//! ([`DataCounters`](super::tiers::DataCounters)) and each zone's failures of the last
//! tick ([`Zone::failures`](super::topology::Zone::failures)).
//!
//! ```text
//!   refused ─┬─ NoCapacity         no pod in rotation
//!            ├─ DeadPodUndetected  sent to a dead pod still in rotation
//!            ├─ RegionUnreachable  dead region, DNS failure, data sovereignty (GSLB)
//!            ├─ CircuitOpen        the clients' breaker failed it at once
//!            ├─ RateLimited        a token bucket refused it (429)
//!            └─ Shed               load shedding refused its class (503)
//!   at a pod ── TimedOut, Dropped (queue full), Errored (bad release), LostWithPod
//!   data tier ─ Database, NoQuorum, PublishRefused, Dependency
//! ```
//!
//! [`FailureCounts`] holds one figure per reason in a fixed array indexed by the
//! reason: no allocation, so the stepper can use it.

use serde::{Deserialize, Serialize};
use std::ops::{Index, IndexMut};

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FailureReason {
    /// Timed out, in service or waiting in a queue.
    TimedOut,
    /// Dropped: the pod's queue was full.
    Dropped,
    /// Sent to a dead or restarting pod the load balancer has not yet taken out of
    /// rotation (refused).
    DeadPodUndetected,
    /// No pod in rotation to take it (refused).
    NoCapacity,
    /// Failed by the application (bad release).
    Errored,
    /// Lost in the queue of a pod that died.
    LostWithPod,
    /// Its region was unreachable: dead region, DNS failure, data sovereignty, no
    /// region (refused by the GSLB).
    RegionUnreachable,
    /// Failed by the database: pool timeouts, primary down, disk full.
    Database,
    /// No quorum (strong consistency under a partition).
    NoQuorum,
    /// The broker refused its publish.
    PublishRefused,
    /// The external dependency failed it: errors, timeouts, throttling.
    Dependency,
    /// The clients' circuit breaker was open (or half-open with its trial calls used):
    /// failed at once, before reaching the service.
    CircuitOpen,
    /// Refused with HTTP 429 by a rate limit at the edge or the load balancer
    /// (docs/models.md#rate-limits).
    RateLimited,
    /// Refused by load shedding while the fleet was saturated, lowest priority first
    /// (503; docs/models.md#load-shedding).
    Shed,
}

/// How many reasons there are.
pub const FAILURE_REASONS: usize = 14;

impl FailureReason {
    /// Every reason, in display order.
    pub const ALL: [FailureReason; FAILURE_REASONS] = [
        FailureReason::TimedOut,
        FailureReason::Dropped,
        FailureReason::DeadPodUndetected,
        FailureReason::NoCapacity,
        FailureReason::Errored,
        FailureReason::LostWithPod,
        FailureReason::RegionUnreachable,
        FailureReason::Database,
        FailureReason::NoQuorum,
        FailureReason::PublishRefused,
        FailureReason::Dependency,
        FailureReason::CircuitOpen,
        FailureReason::RateLimited,
        FailureReason::Shed,
    ];

    /// Of [`Self::REFUSED`], those no policy chose: no pod, no route, a dead pod still
    /// in rotation, the clients' open breaker (not a rate limit or shedding).
    pub const REFUSED_UNPLANNED: [FailureReason; 4] = [
        FailureReason::NoCapacity,
        FailureReason::RegionUnreachable,
        FailureReason::DeadPodUndetected,
        FailureReason::CircuitOpen,
    ];

    /// The reasons a request is refused for before any pod serves it: by the load
    /// balancer, the GSLB, the clients' own circuit breaker, a rate limit or shedding.
    pub const REFUSED: [FailureReason; 6] = [
        FailureReason::NoCapacity,
        FailureReason::RegionUnreachable,
        FailureReason::DeadPodUndetected,
        FailureReason::CircuitOpen,
        FailureReason::RateLimited,
        FailureReason::Shed,
    ];

    /// The reasons of requests a pod served that then failed in the data tier (behind
    /// the pods: the GSLB's refusals are not among them).
    pub const DATA_TIER: [FailureReason; 4] = [
        FailureReason::Database,
        FailureReason::NoQuorum,
        FailureReason::PublishRefused,
        FailureReason::Dependency,
    ];

    /// Its position in [`ALL`](Self::ALL) and in a [`FailureCounts`].
    #[inline]
    pub const fn index(self) -> usize {
        match self {
            FailureReason::TimedOut => 0,
            FailureReason::Dropped => 1,
            FailureReason::DeadPodUndetected => 2,
            FailureReason::NoCapacity => 3,
            FailureReason::Errored => 4,
            FailureReason::LostWithPod => 5,
            FailureReason::RegionUnreachable => 6,
            FailureReason::Database => 7,
            FailureReason::NoQuorum => 8,
            FailureReason::PublishRefused => 9,
            FailureReason::Dependency => 10,
            FailureReason::CircuitOpen => 11,
            FailureReason::RateLimited => 12,
            FailureReason::Shed => 13,
        }
    }

    /// The reason in a few words, as the page and the CLI show it.
    pub const fn words(self) -> &'static str {
        match self {
            FailureReason::TimedOut => "timeout",
            FailureReason::Dropped => "queue full",
            FailureReason::DeadPodUndetected => "dead pod not yet detected",
            FailureReason::NoCapacity => "no capacity",
            FailureReason::Errored => "application errors",
            FailureReason::LostWithPod => "lost with a dying pod",
            FailureReason::RegionUnreachable => "region unreachable",
            FailureReason::Database => "database",
            FailureReason::NoQuorum => "no quorum",
            FailureReason::PublishRefused => "publish refused",
            FailureReason::Dependency => "dependency failed",
            FailureReason::CircuitOpen => "circuit open",
            FailureReason::RateLimited => "rate limited (429)",
            FailureReason::Shed => "shed (load shedding)",
        }
    }
}

/// Failed requests by reason: counts [requests] (cumulative in the counters, over a
/// tick in a zone) or rates [req/s] (in the snapshot). Fixed size, no allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FailureCounts([f64; FAILURE_REASONS]);

impl Index<FailureReason> for FailureCounts {
    type Output = f64;
    #[inline]
    fn index(&self, r: FailureReason) -> &f64 {
        &self.0[r.index()]
    }
}

impl IndexMut<FailureReason> for FailureCounts {
    #[inline]
    fn index_mut(&mut self, r: FailureReason) -> &mut f64 {
        &mut self.0[r.index()]
    }
}

impl FailureCounts {
    /// Every reason with its figure, in display order (allocation-free).
    pub fn labelled(&self) -> [(FailureReason, f64); FAILURE_REASONS] {
        FailureReason::ALL.map(|r| (r, self[r]))
    }

    /// The figures of `reasons` added in the order given.
    #[inline]
    pub fn sum_of(&self, reasons: &[FailureReason]) -> f64 {
        reasons.iter().fold(0.0, |acc, &r| acc + self[r])
    }

    /// All reasons together.
    pub fn total(&self) -> f64 {
        self.sum_of(&FailureReason::ALL)
    }

    /// Requests refused before any pod served them ([`FailureReason::REFUSED`]).
    pub fn refused(&self) -> f64 {
        self.sum_of(&FailureReason::REFUSED)
    }

    /// Requests a pod served that failed in the data tier ([`FailureReason::DATA_TIER`]).
    pub fn data_tier(&self) -> f64 {
        self.sum_of(&FailureReason::DATA_TIER)
    }

    /// Adds `other`'s figures to these (a zone's to a total).
    pub fn add(&mut self, other: &FailureCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// What was added since `before` (cumulative counts): these less `before`.
    pub fn since(&self, before: &FailureCounts) -> FailureCounts {
        let mut d = *self;
        for (a, b) in d.0.iter_mut().zip(before.0) {
            *a -= b;
        }
        d
    }

    /// Every figure multiplied by `k` (counts over `dt` to rates: `k = 1 / dt`).
    pub fn scaled(&self, k: f64) -> FailureCounts {
        FailureCounts(self.0.map(|x| x * k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_its_own_slot_in_display_order() {
        for (i, r) in FailureReason::ALL.iter().enumerate() {
            assert_eq!(r.index(), i, "{r:?}");
        }
        let mut c = FailureCounts::default();
        c[FailureReason::NoQuorum] = 2.0;
        c[FailureReason::NoCapacity] = 1.0;
        assert_eq!(c.total(), 3.0);
        assert_eq!(c.refused(), 1.0);
        assert_eq!(c.data_tier(), 2.0);
        assert_eq!(c.scaled(0.5)[FailureReason::NoQuorum], 1.0);
    }
}
