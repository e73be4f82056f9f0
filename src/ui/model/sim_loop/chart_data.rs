//! The series the charts draw: the engine's recorded series, thinned to at most
//! a few hundred points so a redraw costs the same at any run length.

use scalesim::sim::series::{SeriesSet, SERIES_NAMES};

/// Thinned series, one Vec per column of [`SERIES_NAMES`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Columns, same order as [`SERIES_NAMES`].
    pub cols: Vec<Vec<f64>>,
}

impl ChartData {
    /// The column named `name`, if the engine records it.
    pub fn col(&self, name: &str) -> Option<&[f64]> {
        let i = SERIES_NAMES.iter().position(|n| *n == name)?;
        self.cols.get(i).map(Vec::as_slice)
    }

    /// Time of the last point [s].
    pub fn last_t_s(&self) -> f64 {
        self.col("t_s")
            .and_then(|t| t.last().copied())
            .unwrap_or(0.0)
    }
}

/// Every column of `series`, keeping every k-th point so at most `max_points` remain
/// (the last point is always kept).
pub fn decimate(series: &SeriesSet, max_points: usize) -> ChartData {
    let n = series.len();
    let stride = n.div_ceil(max_points.max(1)).max(1);
    let cols = (0..SERIES_NAMES.len())
        .map(|c| {
            let p = series.get(c);
            let mut out: Vec<f64> = p.iter().step_by(stride).copied().collect();
            if n > 0 && !(n - 1).is_multiple_of(stride) {
                out.push(p[n - 1]);
            }
            out
        })
        .collect();
    ChartData { cols }
}
