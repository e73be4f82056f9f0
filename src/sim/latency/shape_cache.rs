//! The histogram bin masses of response times, computed once per shape and reused.
//!
//! A response time's exact bin masses cost one CDF evaluation per bin (about 30 bins).
//! Consecutive ticks repeat the same shapes, so each shape is keyed by its three
//! parameters snapped to the centre of their cell (the exponent and top six mantissa
//! bits: 1/128 to 1/64 of the value wide, so a parameter moves by at most 0.78 %, and a
//! quantile by no more) and its masses kept in a
//! fixed table of [`SLOTS`] shapes (four-way, least recently used out). Allocated once;
//! the tick never allocates. The share under the SLI threshold does not use this table:
//! it comes from the exact parameters.

use super::{cell, ResponseTime};
use crate::sim::histogram::{bin_lower_ms, bin_of, BINS};

/// Longest shape kept [bins]: 16 octaves.
pub const SHAPE_BINS: usize = 128;
/// Shapes kept.
const SLOTS: usize = 256;
/// Slots per set (a shape may live in any slot of its set).
const WAYS: usize = 4;
/// Share of the mass lumped into the first bin (the left tail).
pub const LEFT_TAIL: f64 = 0.002;
/// Share of the mass left in the right tail when a shape stops (it goes into the last bin).
pub const RIGHT_TAIL: f64 = 1e-6;

/// The centre of `x`'s [`cell`] (0 stays 0).
#[inline]
fn snap(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let bits = x.to_bits();
    f64::from_bits((bits & !((1u64 << 46) - 1)) | (1u64 << 45))
}

/// Entries of the exponential table per unit of `u`.
const EXP_STEPS: f64 = 128.0;
/// `u` past which `e^(−u)` counts as 0 (e^(−32) ≈ 1.3e-14).
const EXP_MAX: f64 = 32.0;

/// `e^(−k/128)` for k = 0 ..= 32 × 128 + 1 (33 KB, built once per table with
/// [`super::exp_neg`]; kept out of the binary).
fn exp_table() -> Vec<f64> {
    (0..(EXP_MAX * EXP_STEPS) as usize + 2)
        .map(|k| super::exp_neg(k as f64 / EXP_STEPS))
        .collect()
}

/// `e^(−u)` for `u ≥ 0` by linear interpolation in `table`: absolute error below
/// 7.7e-6 (step² / 8), plenty for bin masses; the SLI uses the exact CDF.
#[inline]
fn exp_neg_table(table: &[f64], u: f64) -> f64 {
    let x = u * EXP_STEPS;
    if x.is_nan() || x >= EXP_MAX * EXP_STEPS {
        return if u > 0.0 { 0.0 } else { 1.0 };
    }
    let i = x as usize;
    let f = x - i as f64;
    let (lo, hi) = (table[i], table[i + 1]);
    lo + (hi - lo) * f
}

/// [`ResponseTime::cdf`] with its divisions done once and the table's exponential, for
/// many bin edges of one shape. Stages within 5 % of each other are taken as Erlang-2 of
/// their mean (a CDF error of order ((a − b)/(a + b))² < 1e-3), which keeps the
/// hypoexponential's coefficients `a/(a − b)` under 20 and so the table's error small.
struct FastCdf<'t> {
    table: &'t [f64],
    shift: f64,
    inv_a: f64,
    inv_b: f64,
    /// Coefficients of `e^(−t/a)` and `e^(−t/b)` (hypoexponential), or (1, 0)
    /// (exponential), or (1 + t/m form) flagged by `erlang`.
    ca: f64,
    cb: f64,
    erlang: bool,
    step: bool,
}

impl<'t> FastCdf<'t> {
    fn new(rt: &ResponseTime, table: &'t [f64]) -> Self {
        let (a, b) = (rt.a_ms, rt.b_ms);
        let mut f = FastCdf {
            table,
            shift: rt.shift_ms,
            inv_a: 0.0,
            inv_b: 0.0,
            ca: 1.0,
            cb: 0.0,
            erlang: false,
            step: a <= 0.0,
        };
        if a <= 0.0 {
            return f;
        }
        if b <= a * 1e-9 {
            f.inv_a = 1.0 / a;
        } else if a - b < 0.05 * a {
            f.inv_a = 2.0 / (a + b);
            f.erlang = true;
        } else {
            f.inv_a = 1.0 / a;
            f.inv_b = 1.0 / b;
            f.ca = a / (a - b);
            f.cb = b / (a - b);
        }
        f
    }

    #[inline]
    fn at(&self, x: f64) -> f64 {
        let t = x - self.shift;
        if t < 0.0 {
            return 0.0;
        }
        if self.step {
            return 1.0;
        }
        let u = t * self.inv_a;
        let e = |u: f64| exp_neg_table(self.table, u);
        let f = if self.erlang {
            1.0 - e(u) * (1.0 + u)
        } else if self.cb == 0.0 {
            1.0 - e(u)
        } else {
            1.0 - (self.ca * e(u) - self.cb * e(t * self.inv_b))
        };
        f.clamp(0.0, 1.0)
    }
}

/// Bin masses of `rt` from `first` on, summing to 1: `F(hi) − F(lo)` per bin, the first
/// [`LEFT_TAIL`] lumped into the first bin and the tail past `1 − RIGHT_TAIL` into the
/// last. Writes at most `out.len()` bins and returns (first bin, bins written), or `None`
/// when the shape needs more.
fn bin_masses(rt: &ResponseTime, table: &[f64], out: &mut [f64]) -> Option<(usize, usize)> {
    let first = bin_of(rt.shift_ms + LEFT_TAIL * (rt.a_ms + rt.b_ms));
    let cdf = FastCdf::new(rt, table);
    let mut f_lo = 0.0;
    for (j, o) in out.iter_mut().enumerate() {
        let b = first + j;
        let f_hi = if b + 1 >= BINS {
            1.0
        } else {
            cdf.at(bin_lower_ms(b + 1))
        };
        if f_hi >= 1.0 - RIGHT_TAIL {
            *o = 1.0 - f_lo;
            return Some((first, j + 1));
        }
        *o = f_hi - f_lo;
        f_lo = f_hi;
    }
    None
}

/// The table of shapes.
#[derive(Clone, Debug)]
pub struct ShapeCache {
    /// Per slot: 1 + the packed cells, 0 when empty.
    keys: Vec<u64>,
    /// Per slot: first bin and length.
    spans: Vec<(u16, u16)>,
    /// Per slot: when it was last used (a counter).
    used: Vec<u64>,
    /// `SLOTS × SHAPE_BINS` masses.
    masses: Vec<f64>,
    /// `e^(−k/128)`, see [`exp_table`].
    exp: Vec<f64>,
    clock: u64,
    /// Shapes found in the table so far.
    pub hits: u64,
    /// Shapes computed so far.
    pub misses: u64,
}

impl Default for ShapeCache {
    fn default() -> Self {
        ShapeCache {
            keys: vec![0; SLOTS],
            spans: vec![(0, 0); SLOTS],
            used: vec![0; SLOTS],
            masses: vec![0.0; SLOTS * SHAPE_BINS],
            exp: exp_table(),
            clock: 0,
            hits: 0,
            misses: 0,
        }
    }
}

impl ShapeCache {
    /// The bin masses of `rt` with its parameters snapped (see the module docs): (first bin,
    /// masses summing to 1). `None` when the shape is longer than [`SHAPE_BINS`].
    pub fn shape(&mut self, rt: &ResponseTime) -> Option<(usize, &[f64])> {
        let snapped = ResponseTime {
            shift_ms: snap(rt.shift_ms),
            a_ms: snap(rt.a_ms),
            b_ms: snap(rt.b_ms),
        };
        let key =
            1 + ((cell(snapped.shift_ms) << 34) | (cell(snapped.a_ms) << 17) | cell(snapped.b_ms));
        self.clock += 1;
        let set = ((key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize) * WAYS;
        let ways = set..set + WAYS;
        let slot = if let Some(i) = ways.clone().find(|&i| self.keys[i] == key) {
            self.hits += 1;
            i
        } else {
            self.misses += 1;
            let victim = ways.min_by_key(|&i| self.used[i]).unwrap_or(set);
            let out = &mut self.masses[victim * SHAPE_BINS..(victim + 1) * SHAPE_BINS];
            let (first, len) = bin_masses(&snapped, &self.exp, out)?;
            self.keys[victim] = key;
            self.spans[victim] = (first as u16, len as u16);
            victim
        };
        self.used[slot] = self.clock;
        let (first, len) = self.spans[slot];
        let start = slot * SHAPE_BINS;
        Some((
            usize::from(first),
            &self.masses[start..start + usize::from(len)],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shape_sums_to_one_and_is_reused() {
        let mut c = ShapeCache::default();
        let rt = ResponseTime::new(3.0, 20.0, 4.0);
        let (first, m) = c.shape(&rt).expect("fits");
        let m = m.to_vec();
        assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(bin_lower_ms(first) <= 3.0 + LEFT_TAIL * 24.0);
        // A parameter 0.1 % away lands in the same cell.
        let (first2, m2) = c.shape(&ResponseTime::new(3.0, 20.02, 4.0)).unwrap();
        assert_eq!((first2, m2), (first, m.as_slice()));
    }

    #[test]
    fn the_table_exponential_is_within_8e_6() {
        let table = exp_table();
        let mut u = 0.0;
        while u < 40.0 {
            assert!(
                (exp_neg_table(&table, u) - (-u).exp()).abs() < 7.7e-6,
                "{u}"
            );
            u += 0.0031;
        }
    }

    #[test]
    fn fast_and_exact_cdfs_agree_to_1e_3() {
        let table = exp_table();
        for rt in [
            ResponseTime::new(1.0, 10.0, 0.0),
            ResponseTime::new(0.0, 7.0, 7.0),
            ResponseTime::new(0.0, 7.0, 6.7),
            ResponseTime::new(0.0, 7.0, 6.6),
            ResponseTime::new(2.0, 30.0, 4.0),
            ResponseTime::new(5.0, 0.0, 0.0),
        ] {
            let fast = FastCdf::new(&rt, &table);
            let mut x = 0.0;
            while x < 400.0 {
                assert!((fast.at(x) - rt.cdf(x)).abs() < 1e-3, "{rt:?} at {x}");
                x += 0.37;
            }
        }
    }

    #[test]
    fn snapping_moves_a_value_by_at_most_08_percent() {
        let mut x = 0.01;
        while x < 1e6 {
            assert!((snap(x) - x).abs() <= 0.0079 * x, "{x}");
            x *= 1.013;
        }
    }
}
