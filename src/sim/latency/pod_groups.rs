//! Pods whose response times are alike, merged for the tick's latency mixture.
//!
//! Each serving pod's requests take `d + Exp(m)` (docs/models.md#latency). Pods whose `d` and `m` fall in
//! the same cell (exponent and top six mantissa bits: under 1.6 % wide) and share a connection-pool group are one group, with
//! the request-weighted mean `d` and `m`; so a fleet of identical pods costs one group, and
//! pods at different loads stay apart. The table holds [`MAX_POD_GROUPS`]; past that a pod
//! joins the nearest group of its pool group (the error this adds to the mixture is second
//! order in the cells' width). Fixed size: no allocation per tick.

use super::cell;

/// Groups kept per tick.
pub const MAX_POD_GROUPS: usize = 8;

/// One group's requests and response-time parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PodGroup {
    /// Cell of (pool group, d, m), see [`cell`].
    key: u64,
    /// Connection-pool group of its pods: 0 full pools, 1 a partial pool, 2 no connection.
    pub pool_group: u8,
    /// Requests its pods served this tick [requests].
    pub requests: f64,
    /// Σ requests × d [requests·ms].
    weighted_shift: f64,
    /// Σ requests × m [requests·ms].
    weighted_mean: f64,
}

impl PodGroup {
    /// Request-weighted fixed delay `d` [ms].
    pub fn shift_ms(&self) -> f64 {
        if self.requests > 0.0 {
            self.weighted_shift / self.requests
        } else {
            0.0
        }
    }

    /// Request-weighted mean of the exponential part `m` [ms].
    pub fn mean_ms(&self) -> f64 {
        if self.requests > 0.0 {
            self.weighted_mean / self.requests
        } else {
            0.0
        }
    }
}

/// This tick's pod groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodGroups {
    groups: [PodGroup; MAX_POD_GROUPS],
    len: usize,
    /// The group the last pod joined: consecutive pods are usually alike.
    last: usize,
}

impl PodGroups {
    /// Forgets the last tick's groups.
    pub fn clear(&mut self) {
        self.len = 0;
        self.last = 0;
    }

    /// Adds `requests` served by a pod in pool group `pool_group` whose response time is
    /// `d_ms + Exp(m_ms)`.
    #[inline]
    pub fn add(&mut self, pool_group: u8, d_ms: f64, m_ms: f64, requests: f64) {
        if requests <= 0.0 {
            return;
        }
        let (cd, cm) = (cell(d_ms), cell(m_ms));
        let key = (u64::from(pool_group) << 40) | (cd << 20) | cm;
        let i = if self.last < self.len && self.groups[self.last].key == key {
            self.last
        } else if let Some(i) = self.groups[..self.len].iter().position(|g| g.key == key) {
            i
        } else if self.len < MAX_POD_GROUPS {
            self.groups[self.len] = PodGroup {
                key,
                pool_group,
                ..PodGroup::default()
            };
            self.len += 1;
            self.len - 1
        } else {
            self.nearest(pool_group, cd, cm)
        };
        let g = &mut self.groups[i];
        g.requests += requests;
        g.weighted_shift += requests * d_ms;
        g.weighted_mean += requests * m_ms;
        self.last = i;
    }

    /// The group of `pool_group` whose cell is nearest (d, m); any group if none shares it.
    fn nearest(&self, pool_group: u8, cd: u64, cm: u64) -> usize {
        let mut best = 0;
        let mut best_dist = u64::MAX;
        for (i, g) in self.groups[..self.len].iter().enumerate() {
            let gd = (g.key >> 20) & 0xf_ffff;
            let gm = g.key & 0xf_ffff;
            let other_pool = u64::from(g.pool_group != pool_group) << 40;
            let dist = other_pool + gd.abs_diff(cd) + gm.abs_diff(cm);
            if dist < best_dist {
                best = i;
                best_dist = dist;
            }
        }
        best
    }

    /// The groups, in the order they were first seen.
    pub fn as_slice(&self) -> &[PodGroup] {
        &self.groups[..self.len]
    }

    /// Requests in all groups [requests].
    pub fn requests(&self) -> f64 {
        self.as_slice().iter().map(|g| g.requests).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_pods_make_one_group_and_different_loads_stay_apart() {
        let mut g = PodGroups::default();
        for _ in 0..100 {
            g.add(0, 1.0, 20.0, 10.0);
        }
        g.add(0, 1.0, 40.0, 5.0);
        g.add(2, 1.0, 20.0, 5.0);
        assert_eq!(g.as_slice().len(), 3);
        assert_eq!(g.as_slice()[0].requests, 1000.0);
        assert!((g.as_slice()[0].mean_ms() - 20.0).abs() < 1e-12);
        assert_eq!(g.requests(), 1010.0);
    }

    #[test]
    fn past_the_table_a_pod_joins_the_nearest_group_of_its_pool() {
        let mut g = PodGroups::default();
        for i in 0..MAX_POD_GROUPS {
            g.add(0, 0.0, 10.0 * 2f64.powi(i as i32), 1.0);
        }
        g.add(0, 0.0, 10.5, 1.0);
        assert_eq!(g.as_slice().len(), MAX_POD_GROUPS);
        assert_eq!(g.as_slice()[0].requests, 2.0);
        assert!((g.as_slice()[0].mean_ms() - 10.25).abs() < 1e-12);
    }
}
