//! Metric series in bounded buffers: memory stays flat however long the run.
//!
//! ```text
//!   tick values ──▶ bucket (mean of `stride` ticks) ──▶ points[..cap]
//!                                     when full: merge neighbours, stride × 2
//! ```
//!
//! Each series keeps at most `cap` points. When it is full, neighbouring points
//! are averaged pairwise and the stride doubles, so a 30-day run at 1 s ticks
//! keeps the same memory as a 1-hour run, at a coarser resolution.

use serde::{Deserialize, Serialize};

/// The series the engine records, in this column order.
pub const SERIES_NAMES: [&str; SERIES_COUNT] = [
    "t_s",
    "demand_rps",
    "arrivals_rps",
    "served_rps",
    "errors_rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "replicas_desired",
    "pods_ready",
    "pods_pending",
    "nodes_ready",
    "nodes_provisioning",
    "cpu_utilization_pct",
    "queued_requests",
    "cost_per_hour_usd",
    "budget_remaining_pct",
    "burn_rate_1h",
    "sessions_lost",
    "min_replicas",
    "cdn_hit_ratio",
    "cache_hit_ratio",
    "db_connections_in_use",
    "db_replication_lag_ms",
    "kafka_lag_messages",
    "kafka_lag_s",
    "kafka_consumers",
    "stale_read_pct",
    "conflicts",
    "lost_writes",
    "db_writes_per_s",
];

/// Number of recorded series.
pub const SERIES_COUNT: usize = 31;

/// Index of each series in [`SERIES_NAMES`].
#[allow(missing_docs)]
pub mod col {
    pub const T_S: usize = 0;
    pub const DEMAND_RPS: usize = 1;
    pub const ARRIVALS_RPS: usize = 2;
    pub const SERVED_RPS: usize = 3;
    pub const ERRORS_RPS: usize = 4;
    pub const P50_MS: usize = 5;
    pub const P95_MS: usize = 6;
    pub const P99_MS: usize = 7;
    pub const REPLICAS_DESIRED: usize = 8;
    pub const PODS_READY: usize = 9;
    pub const PODS_PENDING: usize = 10;
    pub const NODES_READY: usize = 11;
    pub const NODES_PROVISIONING: usize = 12;
    pub const CPU_UTILIZATION_PCT: usize = 13;
    pub const QUEUED_REQUESTS: usize = 14;
    pub const COST_PER_HOUR_USD: usize = 15;
    pub const BUDGET_REMAINING_PCT: usize = 16;
    pub const BURN_RATE_1H: usize = 17;
    pub const SESSIONS_LOST: usize = 18;
    pub const MIN_REPLICAS: usize = 19;
    pub const CDN_HIT_RATIO: usize = 20;
    pub const CACHE_HIT_RATIO: usize = 21;
    pub const DB_CONNECTIONS_IN_USE: usize = 22;
    pub const DB_REPLICATION_LAG_MS: usize = 23;
    pub const KAFKA_LAG_MESSAGES: usize = 24;
    pub const KAFKA_LAG_S: usize = 25;
    pub const KAFKA_CONSUMERS: usize = 26;
    pub const STALE_READ_PCT: usize = 27;
    pub const CONFLICTS: usize = 28;
    pub const LOST_WRITES: usize = 29;
    pub const DB_WRITES_PER_S: usize = 30;
}

/// All series, sharing one stride.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesSet {
    /// Most points kept per series (even, ≥ 2).
    pub cap: usize,
    /// Ticks per point.
    pub stride: u64,
    /// Ticks in the open bucket.
    pub open_ticks: u64,
    /// Sums of the open bucket, one per series.
    pub open: Vec<f64>,
    /// Closed points, one Vec per series.
    pub points: Vec<Vec<f64>>,
    /// The last tick's values, in column order (what a probe reads each tick).
    #[serde(skip)]
    pub latest: [f64; SERIES_COUNT],
    /// The highest tick value of each series so far (0 before any): a peak
    /// read from the points would be a peak of means, lower the longer the run.
    #[serde(default)]
    pub peaks: [f64; SERIES_COUNT],
}

impl SeriesSet {
    /// An empty set keeping at most `cap` points per series.
    pub fn new(cap: usize) -> Self {
        let cap = (cap.max(2) + 1) & !1;
        Self {
            cap,
            stride: 1,
            open_ticks: 0,
            open: vec![0.0; SERIES_COUNT],
            points: (0..SERIES_COUNT).map(|_| Vec::with_capacity(cap)).collect(),
            latest: [0.0; SERIES_COUNT],
            peaks: [0.0; SERIES_COUNT],
        }
    }

    /// Records one tick's values.
    pub fn push(&mut self, row: &[f64; SERIES_COUNT]) {
        self.latest = *row;
        for ((o, peak), v) in self
            .open
            .iter_mut()
            .zip(self.peaks.iter_mut())
            .zip(row.iter())
        {
            *o += v;
            *peak = peak.max(*v);
        }
        self.open_ticks += 1;
        if self.open_ticks == self.stride {
            let n = self.open_ticks as f64;
            for (p, o) in self.points.iter_mut().zip(self.open.iter_mut()) {
                p.push(*o / n);
                *o = 0.0;
            }
            self.open_ticks = 0;
            if self.points[0].len() == self.cap {
                self.halve();
            }
        }
    }

    fn halve(&mut self) {
        for p in self.points.iter_mut() {
            let half = p.len() / 2;
            for i in 0..half {
                p[i] = 0.5 * (p[2 * i] + p[2 * i + 1]);
            }
            p.truncate(half);
        }
        self.stride *= 2;
    }

    /// The highest tick value of series `col` so far (0 before any tick).
    pub fn peak(&self, col: usize) -> f64 {
        self.peaks[col]
    }

    /// The closed points of series `col`.
    pub fn get(&self, col: usize) -> &[f64] {
        &self.points[col]
    }

    /// Number of closed points.
    pub fn len(&self) -> usize {
        self.points[0].len()
    }

    /// True when no point is closed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the points (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.points.iter().map(|p| p.capacity() * 8).sum::<usize>() + self.open.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_peak_is_the_highest_tick_not_the_highest_mean() {
        // One tick at 100 among 10,000 at 1: the points average it away as the
        // stride doubles; the peak keeps it.
        let mut s = SeriesSet::new(64);
        let mut row = [1.0; SERIES_COUNT];
        for t in 0..10_000 {
            row[3] = if t == 5 { 100.0 } else { 1.0 };
            s.push(&row);
        }
        assert!(s.get(3).iter().all(|v| *v < 10.0), "{:?}", s.get(3));
        assert_eq!(s.peak(3), 100.0);
        assert_eq!(s.peak(4), 1.0);
    }

    use super::*;

    #[test]
    fn a_full_buffer_halves_its_resolution_and_keeps_its_memory() {
        let mut s = SeriesSet::new(8);
        let bytes = s.heap_bytes();
        for t in 0..1000u32 {
            let mut row = [0.0; SERIES_COUNT];
            row[0] = f64::from(t);
            s.push(&row);
        }
        assert!(s.len() <= 8);
        assert_eq!(s.heap_bytes(), bytes);
        assert_eq!(s.stride, 128);
        // The first point is the mean of t = 0..127.
        assert!((s.get(0)[0] - 63.5).abs() < 1e-9);
    }
}
