//! The series the charts draw: the engine's recorded series, thinned to at most
//! a few hundred points so a redraw costs the same at any run length.

use scalesim::sim::series::{Series, SeriesSet};

/// Thinned series, one Vec per [`Series`], in its storage order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Columns, indexed by [`Series::index`].
    pub cols: Vec<Vec<f64>>,
}

impl ChartData {
    /// The points of `series` (`None` before the first decimation).
    pub fn col(&self, series: Series) -> Option<&[f64]> {
        self.cols.get(series.index()).map(Vec::as_slice)
    }

    /// Time of the last point [s].
    pub fn last_t_s(&self) -> f64 {
        self.col(Series::Time)
            .and_then(|t| t.last().copied())
            .unwrap_or(0.0)
    }
}

/// Every column of `series`, keeping every k-th point so at most `max_points` remain
/// (the last point is always kept).
pub fn decimate(series: &SeriesSet, max_points: usize) -> ChartData {
    let n = series.len();
    let stride = n.div_ceil(max_points.max(1)).max(1);
    let cols = Series::ALL
        .into_iter()
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
