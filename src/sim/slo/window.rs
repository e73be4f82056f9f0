//! Bucketed ring of (good, valid) event counts for the SLO tracker (docs/models.md#slo-and-burn-rates),
//! with running sums over fixed trailing windows: O(1) amortized per record,
//! no allocation after creation.
//!
//! ```text
//!   bucket k-n+1 … k-1 [k = current, partial]   ← window of n buckets
//!   advancing to k+1 subtracts bucket k+1-n from every window, then clears its slot
//! ```
//!
//! A window of W seconds on buckets of width w covers the current partial
//! bucket plus the ⌈W/w⌉ − 1 previous whole ones: between W − w and W seconds
//! of data. That is the resolution error. Running sums are recomputed exactly
//! once per ring turn, so floating-point drift stays bounded.

use serde::{Deserialize, Serialize};

/// Running sums over one trailing window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowSum {
    /// Nominal window length [s].
    pub window_s: f64,
    /// Buckets covered (current partial one included).
    pub buckets: usize,
    /// Good events in the window.
    pub good: f64,
    /// Valid events in the window.
    pub valid: f64,
}

/// A ring of fixed-width buckets with running window sums.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BucketRing {
    /// Bucket width [s].
    pub width_s: f64,
    good: Vec<f64>,
    valid: Vec<f64>,
    /// Absolute index of the current bucket, floor(t / width); None before the first record.
    head: Option<i64>,
    windows: Vec<WindowSum>,
}

impl BucketRing {
    /// A ring of `width_s` buckets long enough for the longest of `windows_s` [s].
    pub fn new(width_s: f64, windows_s: &[f64]) -> Self {
        Self::with_span(width_s, windows_s, 0.0)
    }

    /// Like [`BucketRing::new`], keeping at least `span_s` [s] of history for
    /// ad-hoc window queries ([`BucketRing::sum_last`]).
    pub fn with_span(width_s: f64, windows_s: &[f64], span_s: f64) -> Self {
        let windows: Vec<WindowSum> = windows_s
            .iter()
            .map(|&w| WindowSum {
                window_s: w,
                buckets: ((w / width_s) - 1e-9).ceil().max(1.0) as usize,
                good: 0.0,
                valid: 0.0,
            })
            .collect();
        let span = ((span_s / width_s) - 1e-9).ceil().max(1.0) as usize;
        let len = windows
            .iter()
            .map(|w| w.buckets)
            .max()
            .unwrap_or(1)
            .max(span);
        Self {
            width_s,
            good: vec![0.0; len],
            valid: vec![0.0; len],
            head: None,
            windows,
        }
    }

    /// Slots in the ring (memory is 2 × this many f64, fixed at creation).
    pub fn len(&self) -> usize {
        self.good.len()
    }

    /// True when the ring has no slots (never, by construction).
    pub fn is_empty(&self) -> bool {
        self.good.is_empty()
    }

    /// Capacity of the ring's buffers, for memory checks.
    pub fn capacity(&self) -> usize {
        self.good.capacity() + self.valid.capacity() + self.windows.capacity()
    }

    fn slot(&self, bucket: i64) -> usize {
        bucket.rem_euclid(self.good.len() as i64) as usize
    }

    fn advance_to(&mut self, bucket: i64) {
        let len = self.good.len() as i64;
        let Some(mut head) = self.head else {
            self.head = Some(bucket);
            return;
        };
        if bucket <= head {
            return;
        }
        if bucket - head >= len {
            self.good.iter_mut().for_each(|g| *g = 0.0);
            self.valid.iter_mut().for_each(|v| *v = 0.0);
            for w in &mut self.windows {
                w.good = 0.0;
                w.valid = 0.0;
            }
            self.head = Some(bucket);
            return;
        }
        while head < bucket {
            head += 1;
            for w in 0..self.windows.len() {
                let leaving = self.slot(head - self.windows[w].buckets as i64);
                let (g, v) = (self.good[leaving], self.valid[leaving]);
                let win = &mut self.windows[w];
                win.good -= g;
                win.valid -= v;
            }
            let s = self.slot(head);
            self.good[s] = 0.0;
            self.valid[s] = 0.0;
            if s == 0 {
                self.head = Some(head);
                self.recompute();
            }
        }
        self.head = Some(head);
    }

    fn recompute(&mut self) {
        let head = self.head.unwrap_or(0);
        for w in 0..self.windows.len() {
            let (mut g, mut v) = (0.0, 0.0);
            for j in 0..self.windows[w].buckets as i64 {
                let s = self.slot(head - j);
                g += self.good[s];
                v += self.valid[s];
            }
            self.windows[w].good = g;
            self.windows[w].valid = v;
        }
    }

    /// Add `good` of `valid` events at time `t_s` [s]. Times before the current
    /// bucket are counted in the current bucket.
    pub fn add(&mut self, t_s: f64, good: f64, valid: f64) {
        let bucket = (t_s / self.width_s).floor() as i64;
        self.advance_to(bucket);
        let s = self.slot(self.head.unwrap_or(bucket));
        self.good[s] += good;
        self.valid[s] += valid;
        for w in &mut self.windows {
            w.good += good;
            w.valid += valid;
        }
    }

    /// (good, valid) over tracked window number `i`, clamped at ≥ 0.
    pub fn window(&self, i: usize) -> (f64, f64) {
        let w = &self.windows[i];
        (w.good.max(0.0), w.valid.max(0.0))
    }

    /// Index of the tracked window of length `window_s`, if any.
    pub fn find(&self, window_s: f64) -> Option<usize> {
        self.windows.iter().position(|w| w.window_s == window_s)
    }

    /// (good, valid) over the last `window_s` seconds, summed directly (O(window/width)).
    pub fn sum_last(&self, window_s: f64) -> (f64, f64) {
        let Some(head) = self.head else {
            return (0.0, 0.0);
        };
        let n = (((window_s / self.width_s) - 1e-9).ceil().max(1.0) as usize).min(self.good.len());
        let (mut g, mut v) = (0.0, 0.0);
        for j in 0..n as i64 {
            let s = self.slot(head - j);
            g += self.good[s];
            v += self.valid[s];
        }
        (g, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_sums_match_direct_sums_after_many_turns() {
        let mut r = BucketRing::new(10.0, &[60.0, 300.0]);
        for t in 0..5000 {
            let bad = if t % 7 == 0 { 1.0 } else { 0.0 };
            r.add(f64::from(t) + 0.5, 10.0 - bad, 10.0);
        }
        for (i, w) in [60.0, 300.0].iter().enumerate() {
            let (g, v) = r.window(i);
            let (g2, v2) = r.sum_last(*w);
            assert!((g - g2).abs() < 1e-9 && (v - v2).abs() < 1e-9);
        }
    }

    #[test]
    fn a_long_gap_clears_the_ring() {
        let mut r = BucketRing::new(10.0, &[60.0]);
        r.add(5.0, 1.0, 2.0);
        r.add(10_000.0, 3.0, 3.0);
        assert_eq!(r.window(0), (3.0, 3.0));
    }
}
