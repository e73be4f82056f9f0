//! Latency histograms: fixed log-spaced bins, weighted by request counts, and a
//! sliding window over the last ticks (docs/models.md#latency).
//!
//! ```text
//!   pods ──(latency ms, requests)──▶ tick histogram ──▶ ring of W ticks ──▶ p50 / p95 / p99
//! ```
//!
//! Bins: 8 per octave from 0.125 ms to about 9 minutes (`BINS` = 176), so a bin
//! is at most 12.5 % wide. The bin of a value comes straight from the bits of
//! its f64 (exponent and the top three mantissa bits): no log, no sort.
//! Quantiles interpolate linearly inside the bin where the cumulative count crosses.

use super::latency::shape_cache::{LEFT_TAIL, RIGHT_TAIL};
use super::latency::{ResponseTime, ShapeCache};
use serde::{Deserialize, Serialize};

/// Bins per octave.
const PER_OCTAVE: usize = 8;
/// Octaves covered: 2^-3 ms .. 2^19 ms.
const OCTAVES: usize = 22;
/// Number of bins.
pub const BINS: usize = PER_OCTAVE * OCTAVES;
/// log2 of the lowest bin's lower edge [ms].
const MIN_EXP: i64 = -3;

/// The bin of a latency `ms` (clamped to the first and last bin).
#[inline]
pub fn bin_of(ms: f64) -> usize {
    if ms.is_nan() || ms <= 0.125 {
        return 0;
    }
    let bits = ms.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let sub = ((bits >> 49) & 0x7) as i64;
    let idx = (exp - MIN_EXP) * PER_OCTAVE as i64 + sub;
    idx.clamp(0, BINS as i64 - 1) as usize
}

/// Lower edge of bin `i` [ms], built from its bits (exact, no `powi`).
#[inline]
pub fn bin_lower_ms(i: usize) -> f64 {
    let exp = (i / PER_OCTAVE) as i64 + MIN_EXP + 1023;
    let sub = (i % PER_OCTAVE) as u64;
    f64::from_bits(((exp as u64) << 52) | (sub << 49))
}

/// A histogram of latencies [ms] weighted by request counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyHistogram {
    /// Requests per bin.
    pub counts: Vec<f64>,
    /// Total requests.
    pub total: f64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            counts: vec![0.0; BINS],
            total: 0.0,
        }
    }
}

impl LatencyHistogram {
    /// Adds `requests` requests that took `ms` milliseconds.
    #[inline]
    pub fn add(&mut self, ms: f64, requests: f64) {
        if requests > 0.0 {
            self.counts[bin_of(ms)] += requests;
            self.total += requests;
        }
    }

    /// Empties the histogram.
    pub fn clear(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0.0);
        self.total = 0.0;
    }

    /// Requests that took at most `ms` (whole bins below `ms`, plus a linear share of its bin).
    pub fn count_at_most(&self, ms: f64) -> f64 {
        let b = bin_of(ms);
        let below: f64 = self.counts[..b].iter().sum();
        let lo = bin_lower_ms(b);
        let hi = bin_lower_ms(b + 1);
        let frac = ((ms - lo) / (hi - lo)).clamp(0.0, 1.0);
        below + self.counts[b] * frac
    }

    /// Requests that took longer than `ms`: the bins above `ms`, plus the rest of its
    /// bin (the complement of [`Self::count_at_most`], summed from the top: a slow-call
    /// duration sits high, so few bins are read).
    pub fn count_above(&self, ms: f64) -> f64 {
        let b = bin_of(ms);
        let above: f64 = self.counts[b + 1..].iter().sum();
        let lo = bin_lower_ms(b);
        let hi = bin_lower_ms(b + 1);
        let frac = ((ms - lo) / (hi - lo)).clamp(0.0, 1.0);
        above + self.counts[b] * (1.0 - frac)
    }

    /// Requests recorded [requests].
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The quantiles `ps` (each in 0..1, ascending) [ms], written into `out`. All 0 when empty.
    pub fn quantiles_ms(&self, ps: &[f64], out: &mut [f64]) {
        quantiles_of(&self.counts, 0, self.total, ps, out);
    }
}

/// Quantiles of `counts`, whose first entry is bin `first`.
fn quantiles_of(counts: &[f64], first: usize, total: f64, ps: &[f64], out: &mut [f64]) {
    out.iter_mut().for_each(|o| *o = 0.0);
    if total.is_nan() || total <= 0.0 {
        return;
    }
    let mut cum = 0.0;
    let mut k = 0;
    for (j, &c) in counts.iter().enumerate() {
        let i = first + j;
        let c = c.max(0.0);
        while k < ps.len() && cum + c >= ps[k] * total && c > 0.0 {
            let frac = ((ps[k] * total - cum) / c).clamp(0.0, 1.0);
            let lo = bin_lower_ms(i);
            out[k] = lo + (bin_lower_ms(i + 1) - lo) * frac;
            k += 1;
        }
        if k == ps.len() {
            return;
        }
        cum += c;
    }
    let last = bin_lower_ms(BINS);
    out[k..].iter_mut().for_each(|o| *o = last);
}

/// A window over the last `slots` ticks: one histogram per tick plus their running sum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SlidingHistogram {
    /// Per-tick histograms, a ring.
    slots: Vec<LatencyHistogram>,
    /// Lowest and highest bin touched in each slot (`lo > hi` when empty).
    ranges: Vec<(usize, usize)>,
    /// Index of the current tick's slot.
    head: usize,
    /// Sum of all slots.
    sum: LatencyHistogram,
}

impl SlidingHistogram {
    /// A window of `slots` ticks (at least 1).
    pub fn new(slots: usize) -> Self {
        Self {
            slots: vec![LatencyHistogram::default(); slots.max(1)],
            ranges: vec![(BINS, 0); slots.max(1)],
            head: 0,
            sum: LatencyHistogram::default(),
        }
    }

    /// Starts a new tick: the oldest tick leaves the window.
    pub fn advance(&mut self) {
        self.head = (self.head + 1) % self.slots.len();
        let old = &mut self.slots[self.head];
        let (lo, hi) = self.ranges[self.head];
        if lo <= hi {
            for b in lo..=hi {
                self.sum.counts[b] -= old.counts[b];
                old.counts[b] = 0.0;
            }
            self.sum.total -= old.total;
            old.total = 0.0;
            if self.sum.total < 1e-9 {
                self.sum.clear();
            }
        }
        self.ranges[self.head] = (BINS, 0);
    }

    /// Adds requests to the current tick.
    #[inline]
    pub fn add(&mut self, ms: f64, requests: f64) {
        self.add_bin(bin_of(ms), requests);
    }

    /// Adds requests to bin `b` of the current tick (see [`bin_of`]).
    #[inline]
    pub fn add_bin(&mut self, b: usize, requests: f64) {
        if requests > 0.0 {
            let r = &mut self.ranges[self.head];
            r.0 = r.0.min(b);
            r.1 = r.1.max(b);
            self.slots[self.head].counts[b] += requests;
            self.slots[self.head].total += requests;
            self.sum.counts[b] += requests;
            self.sum.total += requests;
        }
    }

    /// Adds `requests` whose latency follows `rt` truncated at `cap_ms` (the requests over
    /// it timed out and are counted elsewhere), each bin with its exact mass (see
    /// [`shape_cache`](super::latency::shape_cache)): from `shapes` when `rt` cannot reach
    /// the cap, else computed here with the truncation, `(F(hi) − F(lo)) / F(cap)`.
    pub fn add_response_time(
        &mut self,
        shapes: &mut ShapeCache,
        rt: &ResponseTime,
        requests: f64,
        cap_ms: f64,
    ) {
        if requests <= 0.0 || requests.is_nan() {
            return;
        }
        if rt.reach_ms() < cap_ms {
            if let Some((first, masses)) = shapes.shape(rt) {
                self.add_masses(first, masses, requests);
                return;
            }
        }
        let f_cap = rt.cdf(cap_ms);
        let last = bin_of(cap_ms);
        if f_cap <= 0.0 {
            self.add_bin(last, requests);
            return;
        }
        let norm = requests / f_cap;
        let first = bin_of((rt.shift_ms + LEFT_TAIL * (rt.a_ms + rt.b_ms)).min(cap_ms));
        let slot = &mut self.slots[self.head];
        let mut b = first;
        let mut f_lo = 0.0;
        loop {
            let f_hi = if b >= last {
                f_cap
            } else {
                rt.cdf(bin_lower_ms(b + 1)).min(f_cap)
            };
            let done = b >= last || f_cap - f_hi <= RIGHT_TAIL * f_cap;
            let mass = if done { f_cap - f_lo } else { f_hi - f_lo } * norm;
            slot.counts[b] += mass;
            self.sum.counts[b] += mass;
            if done {
                break;
            }
            f_lo = f_hi;
            b += 1;
        }
        slot.total += requests;
        self.sum.total += requests;
        let r = &mut self.ranges[self.head];
        r.0 = r.0.min(first);
        r.1 = r.1.max(b);
    }

    /// Adds `requests` spread over the bins from `first` by `masses` (summing to 1).
    fn add_masses(&mut self, first: usize, masses: &[f64], requests: f64) {
        let end = (first + masses.len()).min(BINS);
        let masses = &masses[..end - first];
        let slot = &mut self.slots[self.head].counts[first..end];
        for (c, m) in slot.iter_mut().zip(masses) {
            *c += requests * m;
        }
        for (c, m) in self.sum.counts[first..end].iter_mut().zip(masses) {
            *c += requests * m;
        }
        self.slots[self.head].total += requests;
        self.sum.total += requests;
        let r = &mut self.ranges[self.head];
        r.0 = r.0.min(first);
        r.1 = r.1.max(end - 1);
    }

    /// The current tick's histogram.
    pub fn current(&self) -> &LatencyHistogram {
        &self.slots[self.head]
    }

    /// The whole window's histogram.
    pub fn window(&self) -> &LatencyHistogram {
        &self.sum
    }

    /// Quantiles of the whole window (see [`LatencyHistogram::quantiles_ms`]), scanning
    /// only the bins some tick of the window touched.
    pub fn window_quantiles_ms(&self, ps: &[f64], out: &mut [f64]) {
        let (mut lo, mut hi) = (BINS, 0);
        for &(l, h) in &self.ranges {
            lo = lo.min(l);
            hi = hi.max(h);
        }
        if lo > hi {
            out.iter_mut().for_each(|o| *o = 0.0);
            return;
        }
        quantiles_of(&self.sum.counts[lo..=hi], lo, self.sum.total, ps, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_monotone_and_cover_their_values() {
        for &ms in &[0.2, 1.0, 1.5, 3.3, 17.0, 250.0, 1234.5, 60_000.0] {
            let b = bin_of(ms);
            assert!(
                bin_lower_ms(b) <= ms && ms < bin_lower_ms(b + 1),
                "{ms} in bin {b}"
            );
        }
        let mut last = 0;
        for i in 1..10_000 {
            let b = bin_of(i as f64 * 0.37);
            assert!(b >= last);
            last = b;
        }
    }

    #[test]
    fn quantiles_are_weighted_by_request_counts() {
        let mut h = LatencyHistogram::default();
        h.add(10.0, 90.0);
        h.add(100.0, 9.0);
        h.add(1000.0, 1.0);
        let mut q = [0.0; 3];
        h.quantiles_ms(&[0.5, 0.95, 0.995], &mut q);
        assert!((q[0] - 10.0).abs() / 10.0 < 0.13, "{q:?}");
        assert!((q[1] - 100.0).abs() / 100.0 < 0.13, "{q:?}");
        assert!((q[2] - 1000.0).abs() / 1000.0 < 0.13, "{q:?}");
    }

    #[test]
    fn the_window_forgets_ticks_older_than_its_length() {
        let mut w = SlidingHistogram::new(3);
        w.add(500.0, 10.0);
        for _ in 0..3 {
            w.advance();
            w.add(5.0, 10.0);
        }
        let mut q = [0.0; 1];
        w.window().quantiles_ms(&[0.99], &mut q);
        assert!(q[0] < 6.0, "{q:?}");
        let mut r = [0.0; 1];
        w.window_quantiles_ms(&[0.99], &mut r);
        assert_eq!(q, r);
        assert!((w.window().total - 30.0).abs() < 1e-9);
    }

    #[test]
    fn above_and_at_most_split_the_total() {
        let mut h = LatencyHistogram::default();
        h.add(3.0, 10.0);
        h.add(250.0, 5.0);
        h.add(90_000.0, 2.0);
        assert_eq!(h.total(), 17.0);
        for ms in [1.0, 3.0, 100.0, 250.0, 60_000.0, 1e9] {
            let sum = h.count_above(ms) + h.count_at_most(ms);
            assert!((sum - 17.0).abs() < 1e-9, "{ms}: {sum}");
        }
        assert_eq!(h.count_above(60_000.0), 2.0);
    }
}
