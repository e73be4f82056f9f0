//! The series the charts draw: the engine's recorded series, thinned to at most
//! a few hundred points so a redraw costs the same at any run length.

use scalesim::sim::class_series::ClassRefusalSeries;
use scalesim::sim::series::{Series, SeriesSet};
use scalesim::sim::traffic::RequestClass;

/// Thinned series, one Vec per [`Series`], in its storage order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    /// Columns, indexed by [`Series::index`].
    pub cols: Vec<Vec<f64>>,
    /// The requests refused per class ([`Chart::Refusals`](scalesim::figures::Chart)).
    pub classes: ClassLines,
}

/// What the rate limit and load shedding refused per class, thinned: the lines of the
/// classes that refused something, on their own time axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassLines {
    /// Time at each point [s].
    pub t: Vec<f64>,
    /// One line per class and kind of refusal that refused something.
    pub lines: Vec<ClassLine>,
}

/// One class's rate-limited or shed requests [req/s].
#[derive(Clone, Debug, PartialEq)]
pub struct ClassLine {
    /// The class's index in the scenario (its colour).
    pub class: usize,
    /// Shed by priority (503) rather than rate limited (429).
    pub shed: bool,
    /// "checkout (priority 3) shed", "browse 429".
    pub label: String,
    /// Points [req/s].
    pub values: Vec<f64>,
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

/// Every k-th point of `p`, so at most `max_points` remain (the last is always kept).
fn thin(p: &[f64], max_points: usize) -> Vec<f64> {
    let n = p.len();
    let stride = n.div_ceil(max_points.max(1)).max(1);
    let mut out: Vec<f64> = p.iter().step_by(stride).copied().collect();
    if n > 0 && !(n - 1).is_multiple_of(stride) {
        out.push(p[n - 1]);
    }
    out
}

/// Every column of `series`, keeping every k-th point so at most `max_points` remain
/// (the last point is always kept).
pub fn decimate(series: &SeriesSet, max_points: usize) -> ChartData {
    let cols = Series::ALL
        .into_iter()
        .map(|c| thin(series.get(c), max_points))
        .collect();
    ChartData {
        cols,
        classes: ClassLines::default(),
    }
}

/// The refusals of `classes` recorded in `record`, thinned to at most `max_points`: a
/// line for each class and kind that refused something (none before any refusal).
pub fn class_lines(
    record: &ClassRefusalSeries,
    classes: &[RequestClass],
    max_points: usize,
) -> ClassLines {
    let mut lines = Vec::new();
    for (i, c) in classes.iter().enumerate() {
        let (limited, shed) = record.class(i);
        for (is_shed, values) in [(false, limited), (true, shed)] {
            if values.iter().any(|v| *v > 0.0) {
                let label = if is_shed {
                    format!("{} (priority {}) shed", c.name, c.priority)
                } else {
                    format!("{} 429", c.name)
                };
                lines.push(ClassLine {
                    class: i,
                    shed: is_shed,
                    label,
                    values: thin(values, max_points),
                });
            }
        }
    }
    ClassLines {
        t: thin(record.times(), max_points),
        lines,
    }
}
