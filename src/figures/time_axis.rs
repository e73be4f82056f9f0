//! A simulated-time x axis whose ticks fall on round clock values.
//!
//! ```text
//!   0:00   5:00   10:00   15:00   20:00   25:00   30:00      (not 0, 16:40, 33:20)
//! ```

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use crate::sim::events::{clock, time_ticks};

/// Simulated time [s] from `start_s` (0 for a whole run) to `end_s`, with at most
/// `most_ticks` ticks at the round steps of [`time_ticks`], labelled as [`clock`]
/// writes them without the "T+" ("5:00", "1:30:00").
#[derive(Clone, Debug, PartialEq)]
pub struct TimeAxis {
    start_s: f64,
    end_s: f64,
    ticks: Vec<f64>,
}

impl TimeAxis {
    /// The axis from 0 to `end_s` [s] (at least 1 s), at most `most_ticks` ticks.
    pub fn new(end_s: f64, most_ticks: usize) -> TimeAxis {
        TimeAxis::window(0.0, end_s, most_ticks)
    }

    /// The axis from `start_s` to `end_s` [s] (at least 1 s long): a window of a run, such
    /// as a release's minutes, its ticks at the round steps of its length ("25:30",
    /// "26:00"…).
    pub fn window(start_s: f64, end_s: f64, most_ticks: usize) -> TimeAxis {
        let start_s = if start_s.is_finite() {
            start_s.max(0.0)
        } else {
            0.0
        };
        let end_s = if end_s.is_finite() {
            end_s.max(start_s + 1.0)
        } else {
            start_s + 1.0
        };
        TimeAxis {
            start_s,
            end_s,
            ticks: window_ticks(start_s, end_s, most_ticks),
        }
    }

    /// The tick positions [s].
    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }

    /// The label of `t_s` ("5:00").
    pub fn label(t_s: f64) -> String {
        clock(t_s).trim_start_matches("T+").to_string()
    }
}

impl Ranged for TimeAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        // Clamped so a point far outside the axis cannot overflow the pixel type.
        let frac = ((value - self.start_s) / (self.end_s - self.start_s)).clamp(-4.0, 4.0);
        limit.0 + (f64::from(limit.1 - limit.0) * frac).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only bold lines and labels: light grid lines between them would not be round.
        if hint.weight().allow_light_points() && hint.max_num_points() < self.ticks.len() {
            return Vec::new();
        }
        let most = hint.bold_points().max(2);
        if self.ticks.len() <= most {
            return self.ticks.clone();
        }
        window_ticks(self.start_s, self.end_s, most)
    }

    fn range(&self) -> Range<f64> {
        self.start_s..self.end_s
    }
}

/// At most `most` ticks in `[start_s, end_s]` at the round step [`time_ticks`] picks for the
/// window's length, on multiples of that step.
fn window_ticks(start_s: f64, end_s: f64, most: usize) -> Vec<f64> {
    if start_s <= 0.0 {
        return time_ticks(end_s, most);
    }
    let span = time_ticks(end_s - start_s, most);
    let step = match span.as_slice() {
        [a, b, ..] => b - a,
        _ => return span.iter().map(|t| t + start_s).collect(),
    };
    let first = (start_s / step).ceil() as i64;
    let last = (end_s / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

impl ValueFormatter<f64> for TimeAxis {
    fn format(value: &f64) -> String {
        TimeAxis::label(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ticks_at_round_clock_values_and_maps_its_ends() {
        let a = TimeAxis::new(2000.0, 7);
        assert_eq!(a.ticks()[1], 300.0);
        let labels: Vec<String> = a.ticks().iter().map(|t| TimeAxis::label(*t)).collect();
        assert_eq!(
            labels,
            ["0:00", "5:00", "10:00", "15:00", "20:00", "25:00", "30:00"]
        );
        assert_eq!(a.map(&0.0, (10, 210)), 10);
        assert_eq!(a.map(&2000.0, (10, 210)), 210);
        assert_eq!(a.map(&1e300, (0, 100)), 400);
        assert_eq!(
            a.key_points(plotters::coord::ranged1d::BoldPoints(3)).len(),
            3
        );
    }

    #[test]
    fn a_window_ticks_at_round_values_inside_it_and_maps_its_ends() {
        let a = TimeAxis::window(1500.0, 1800.0, 7);
        let labels: Vec<String> = a.ticks().iter().map(|t| TimeAxis::label(*t)).collect();
        assert_eq!(
            labels,
            ["25:00", "26:00", "27:00", "28:00", "29:00", "30:00"]
        );
        assert_eq!(a.map(&1500.0, (10, 210)), 10);
        assert_eq!(a.map(&1800.0, (10, 210)), 210);
        assert_eq!(a.range(), 1500.0..1800.0);
    }
}
