//! What the data tier adds to a request's time, per path through it.
//!
//! A request of a class with `r` reads, `w` writes, `p` publishes and `x` external calls
//! takes one of these paths (cache-aside; docs/models.md#data-paths):
//!
//! ```text
//!   all reads hit      (share h^r)        r·hit + p·publish + w·quorum + x·floor + Exp(w·write + x·tail)
//!   a read misses      (rest × miss)      … + pool wait + Exp(k·read + w·write + x·tail)
//!   a read coalesces   (rest × coalesced) … + rebuild wait + Exp(w·write + x·tail)
//!   no cache                              p·publish + w·quorum + x·floor + pool wait + Exp(r·read + w·write + x·tail)
//! ```
//!
//! `h` is the tick's hit ratio; `k = max(1, r(1 − h)/(1 − h^r))` is the expected number
//! of misses of a request that misses at least once. The database's times are exponential
//! with the means its model gives (service plus queueing), the dependency's are its model's
//! `floor + Exp(tail)`; the exponential parts of one request add into one of the same mean, so a
//! path's data time is `shift + Exp(mean)`; a path that queries the database also waits for
//! a connection in its pod's pool group, added when the pod group is known.

use super::{ResponseTime, REACH_MEANS};
use crate::sim::data::connection_pool::PoolGroupTimes;
use serde::{Deserialize, Serialize};

/// One path: the share of origin requests that take it and its time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DataPath {
    /// Share of the origin requests [fraction].
    pub share: f64,
    /// Fixed part [ms].
    pub shift_ms: f64,
    /// Mean of the exponential part [ms].
    pub mean_ms: f64,
    /// Whether it queries the database (and so waits for a pooled connection).
    pub uses_database: bool,
}

/// The data tier's mean times this tick, per operation [ms].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DataTimes {
    /// The cache, when there is one.
    pub cache: Option<CacheTimes>,
    /// A database read: queueing plus service, excluding the pool wait [ms].
    pub read_ms: f64,
    /// A database write: queueing plus service, excluding the pool wait [ms].
    pub write_ms: f64,
    /// A write's wait for its consistency mode's acknowledgements [ms].
    pub quorum_ms: f64,
    /// Publishing one event [ms].
    pub publish_ms: f64,
    /// One external call's fixed part: its time is `floor + Exp(tail)` [ms].
    pub call_floor_ms: f64,
    /// One external call's exponential tail (mean) [ms].
    pub call_tail_ms: f64,
}

impl DataPath {
    /// What this path is for the requests of a pod in pool group `pool_group` whose own
    /// response time is `d_ms + Exp(m_ms)`: (share of the pod's completed requests that take
    /// it, their whole response time). A path that queries the database waits for the pool
    /// group's connections and completes only for the group's share that gets one.
    #[inline]
    pub fn at_pod(
        &self,
        pools: &PoolGroupTimes,
        pool_group: u8,
        d_ms: f64,
        m_ms: f64,
    ) -> (f64, ResponseTime) {
        let g = usize::from(pool_group);
        let (served, wait) = if self.uses_database {
            (pools.served_share(g), pools.wait_ms[g])
        } else {
            (1.0, 0.0)
        };
        let rt = ResponseTime::new(d_ms + self.shift_ms + wait, m_ms, self.mean_ms);
        (self.share * served, rt)
    }
}

/// The cache's share of hits and its times this tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CacheTimes {
    /// Reads served from the cache [fraction of reads].
    pub hit_ratio: f64,
    /// Of the reads that did not hit, the share that queried the database (the rest
    /// waited for a rebuild already in flight) [fraction].
    pub miss_share: f64,
    /// A cache round trip [ms].
    pub hit_ms: f64,
    /// A coalesced read's wait for the rebuild in flight [ms].
    pub coalesced_wait_ms: f64,
}

/// What one request of a class does in the data tier (per request).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClassCalls {
    /// Share of the origin requests in this class [fraction].
    pub share: f64,
    /// Reads [queries].
    pub reads: f64,
    /// Writes [queries].
    pub writes: f64,
    /// Events published [events].
    pub publishes: f64,
    /// External calls [calls].
    pub calls: f64,
}

/// The tick's data paths (at most three per class), shared by equal paths.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataPaths {
    paths: Vec<DataPath>,
}

impl Default for DataPaths {
    fn default() -> Self {
        DataPaths::none()
    }
}

/// The path of a request that does not touch the data tier.
const NO_DATA: DataPath = DataPath {
    share: 1.0,
    shift_ms: 0.0,
    mean_ms: 0.0,
    uses_database: false,
};

impl DataPaths {
    /// No data tier: every request takes no time there.
    pub fn none() -> Self {
        DataPaths {
            paths: vec![NO_DATA],
        }
    }

    /// Back to [`DataPaths::none`] without allocating.
    pub fn reset_none(&mut self) {
        self.paths.clear();
        self.paths.push(NO_DATA);
    }

    /// Room for `classes` classes, so that [`DataPaths::build`] never allocates.
    pub fn reserve_classes(&mut self, classes: usize) {
        let want = 3 * classes + 1;
        if self.paths.capacity() < want {
            self.paths.reserve(want - self.paths.len());
        }
    }

    /// Rebuilds the paths from the classes' calls and the tier's times. Shares are
    /// normalised to sum to 1; with no class at all, every request takes no time.
    pub fn build(&mut self, classes: impl Iterator<Item = ClassCalls>, t: &DataTimes) {
        self.paths.clear();
        let mut total = 0.0;
        for c in classes {
            if c.share <= 0.0 {
                continue;
            }
            total += c.share;
            let writes_db = c.writes > 0.0;
            let shift =
                c.publishes * t.publish_ms + c.writes * t.quorum_ms + c.calls * t.call_floor_ms;
            let mean = c.writes * t.write_ms + c.calls * t.call_tail_ms;
            if c.reads <= 0.0 {
                self.push(c.share, shift, mean, writes_db);
                continue;
            }
            let Some(k) = t.cache else {
                self.push(c.share, shift, mean + c.reads * t.read_ms, true);
                continue;
            };
            let h = k.hit_ratio.clamp(0.0, 1.0);
            let all_hit = libm::pow(h, c.reads);
            let hit_shift = shift + c.reads * k.hit_ms;
            self.push(c.share * all_hit, hit_shift, mean, writes_db);
            let rest = c.share * (1.0 - all_hit);
            let misses = if all_hit < 1.0 {
                (c.reads * (1.0 - h) / (1.0 - all_hit)).max(1.0)
            } else {
                1.0
            };
            let miss = k.miss_share.clamp(0.0, 1.0);
            self.push(rest * miss, hit_shift, mean + misses * t.read_ms, true);
            self.push(
                rest * (1.0 - miss),
                hit_shift + k.coalesced_wait_ms,
                mean,
                writes_db,
            );
        }
        if total <= 0.0 || self.paths.is_empty() {
            self.paths.clear();
            self.paths.push(NO_DATA);
            return;
        }
        self.paths.iter_mut().for_each(|p| p.share /= total);
    }

    /// Adds a path, or its share to an equal one.
    fn push(&mut self, share: f64, shift_ms: f64, mean_ms: f64, uses_database: bool) {
        if share <= 0.0 {
            return;
        }
        let same = |p: &&mut DataPath| {
            p.shift_ms == shift_ms && p.mean_ms == mean_ms && p.uses_database == uses_database
        };
        if let Some(p) = self.paths.iter_mut().find(same) {
            p.share += share;
        } else {
            self.paths.push(DataPath {
                share,
                shift_ms,
                mean_ms,
                uses_database,
            });
        }
    }

    /// The paths; their shares sum to 1.
    pub fn as_slice(&self) -> &[DataPath] {
        &self.paths
    }

    /// Share-weighted mean data time, excluding pool waits [ms].
    pub fn mean_ms(&self) -> f64 {
        self.paths
            .iter()
            .map(|p| p.share * (p.shift_ms + p.mean_ms))
            .sum()
    }

    /// A bound past which no path's time reaches more than 1e-6 of its requests,
    /// excluding pool waits: `max(shift + REACH_MEANS × mean)` [ms].
    pub fn reach_ms(&self) -> f64 {
        self.paths
            .iter()
            .map(|p| p.shift_ms + REACH_MEANS * p.mean_ms)
            .fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(share: f64, reads: f64, writes: f64) -> ClassCalls {
        ClassCalls {
            share,
            reads,
            writes,
            ..ClassCalls::default()
        }
    }

    #[test]
    fn a_cached_read_hits_or_misses_and_only_misses_pay_the_database() {
        let mut p = DataPaths::none();
        let t = DataTimes {
            cache: Some(CacheTimes {
                hit_ratio: 0.9,
                miss_share: 1.0,
                hit_ms: 0.5,
                coalesced_wait_ms: 0.0,
            }),
            read_ms: 4.0,
            ..DataTimes::default()
        };
        p.build([class(1.0, 1.0, 0.0)].into_iter(), &t);
        let s = p.as_slice();
        assert_eq!(s.len(), 2, "{s:?}");
        assert!((s[0].share - 0.9).abs() < 1e-12 && s[0].mean_ms == 0.0 && !s[0].uses_database);
        assert!((s[1].share - 0.1).abs() < 1e-12 && s[1].mean_ms == 4.0 && s[1].uses_database);
        assert!((p.mean_ms() - (0.5 + 0.4)).abs() < 1e-12);
    }

    #[test]
    fn two_reads_miss_at_least_once_with_1_minus_h_squared() {
        let mut p = DataPaths::none();
        let t = DataTimes {
            cache: Some(CacheTimes {
                hit_ratio: 0.5,
                miss_share: 1.0,
                hit_ms: 0.0,
                coalesced_wait_ms: 0.0,
            }),
            read_ms: 10.0,
            ..DataTimes::default()
        };
        p.build([class(1.0, 2.0, 0.0)].into_iter(), &t);
        let s = p.as_slice();
        assert!((s[1].share - 0.75).abs() < 1e-12);
        // One miss expected per read pair on average: 2 × 0.5 = 0.75 × k, k = 4/3.
        assert!((s[1].mean_ms - 10.0 * 4.0 / 3.0).abs() < 1e-9);
        assert!(
            (p.mean_ms() - 10.0).abs() < 1e-9,
            "the mean read time is kept"
        );
    }

    #[test]
    fn shares_are_normalised_and_classes_without_data_take_no_time() {
        let mut p = DataPaths::none();
        p.reserve_classes(2);
        let t = DataTimes {
            write_ms: 3.0,
            ..DataTimes::default()
        };
        p.build([class(3.0, 0.0, 1.0), class(1.0, 0.0, 0.0)].into_iter(), &t);
        let s = p.as_slice();
        assert_eq!(s.len(), 2);
        assert!((s[0].share - 0.75).abs() < 1e-12 && s[0].uses_database);
        assert_eq!(
            s[1],
            DataPath {
                share: 0.25,
                ..NO_DATA
            }
        );
    }
}
