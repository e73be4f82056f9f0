//! What the rate limit and load shedding refused, per request class over time, in
//! bounded buffers like [`SeriesSet`](super::series::SeriesSet)'s (the same thinning).
//!
//! ```text
//!   column 0: time at the end of the tick [s]
//!   column 1 + 2i: class i rate limited (429) [req/s]
//!   column 2 + 2i: class i shed by priority (503) [req/s]
//! ```
//!
//! Recorded each tick while the world has a rate limit or load shedding; classes are
//! the scenario's `[traffic] classes`, in order.

use serde::{Deserialize, Serialize};

use super::series::{bucket_push, empty_columns};

/// Per-class refusals over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassRefusalSeries {
    /// Most points kept per column (even, ≥ 2).
    cap: usize,
    /// Ticks per point.
    stride: u64,
    /// Ticks in the open bucket.
    open_ticks: u64,
    /// Sums of the open bucket, one per column.
    open: Vec<f64>,
    /// Closed points, one Vec per column (see the module's table).
    points: Vec<Vec<f64>>,
    /// The row being built this tick (no allocation per tick).
    row: Vec<f64>,
}

impl ClassRefusalSeries {
    /// An empty record of `classes` classes keeping at most `cap` points per column.
    pub fn new(classes: usize, cap: usize) -> Self {
        let width = 1 + 2 * classes;
        let (cap, open, points) = empty_columns(width, cap);
        Self {
            cap,
            stride: 1,
            open_ticks: 0,
            open,
            points,
            row: vec![0.0; width],
        }
    }

    /// Records the tick ending at `t_s` [s]: class i's rate-limited and shed requests
    /// (`rate_limited[i]`, `shed[i]`, [requests] this tick of `tick_s` seconds; a
    /// missing entry is 0).
    pub fn push(&mut self, t_s: f64, tick_s: f64, rate_limited: &[f64], shed: &[f64]) {
        let classes = (self.row.len() - 1) / 2;
        self.row[0] = t_s;
        for i in 0..classes {
            self.row[1 + 2 * i] = rate_limited.get(i).copied().unwrap_or(0.0) / tick_s;
            self.row[2 + 2 * i] = shed.get(i).copied().unwrap_or(0.0) / tick_s;
        }
        bucket_push(
            &mut self.open,
            &mut self.points,
            &mut self.open_ticks,
            &mut self.stride,
            self.cap,
            &self.row,
        );
    }

    /// Classes recorded.
    pub fn classes(&self) -> usize {
        (self.points.len() - 1) / 2
    }

    /// The closed points' times [s].
    pub fn times(&self) -> &[f64] {
        &self.points[0]
    }

    /// Class `class`'s closed points: rate limited, then shed [req/s] (empty for a
    /// class not recorded).
    pub fn class(&self, class: usize) -> (&[f64], &[f64]) {
        match (
            self.points.get(1 + 2 * class),
            self.points.get(2 + 2 * class),
        ) {
            (Some(limited), Some(shed)) => (limited, shed),
            (Some(_), None) | (None, Some(_)) | (None, None) => (&[], &[]),
        }
    }

    /// Every column's closed points (time first, see the module's table).
    pub fn columns(&self) -> &[Vec<f64>] {
        &self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_keeps_per_class_rates_and_thins_like_the_series() {
        let mut s = ClassRefusalSeries::new(2, 4);
        for k in 1..=8 {
            let t = f64::from(k);
            s.push(t, 0.5, &[1.0, 0.0], &[0.0, t]);
        }
        // 8 ticks at cap 4: thinned twice to 2 points of 4 ticks each.
        assert_eq!(s.times(), &[2.5, 6.5]);
        assert_eq!(s.class(0).0, &[2.0, 2.0]);
        assert_eq!(s.class(1).1, &[5.0, 13.0]);
        assert_eq!(s.classes(), 2);
        assert!(s.class(5).0.is_empty());
    }
}
