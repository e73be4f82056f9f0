//! The CLI's SVG line charts (`scalesim run --out DIR`): one chart per group of series over
//! simulated time, and state timelines for the circuit breakers. Axes come from finite values only and are bounded, so drawing ends for any
//! series (huge, tiny, negative, NaN or infinite points are left out or drawn off the axis).

use std::path::Path;

use super::TimeAxis;

/// Largest value axis top [the series' unit]: far below f64::MAX so that the axis's
/// arithmetic (a 5 % margin, tick steps) stays finite.
pub const MAX_AXIS_VALUE: f64 = 1e300;
/// Smallest value axis top [the series' unit]: a flat or empty chart still has an axis.
pub const MIN_AXIS_VALUE: f64 = 1e-3;

/// The top of the value axis for `series` [their unit]: the largest finite value plus 5 %,
/// within [`MIN_AXIS_VALUE`]..=[`MAX_AXIS_VALUE`]; always finite.
pub fn value_axis_top(series: &[(&str, &[f64])]) -> f64 {
    let peak = series
        .iter()
        .flat_map(|(_, s)| s.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    (peak.min(MAX_AXIS_VALUE / 1.05) * 1.05).max(MIN_AXIS_VALUE)
}

/// The end of the time axis for times `t_s` [s]: the latest finite one, within
/// 1 ms..=[`MAX_AXIS_VALUE`].
fn time_axis_end(t_s: &[f64]) -> f64 {
    t_s.iter()
        .copied()
        .filter(|t| t.is_finite())
        .fold(0.0f64, f64::max)
        .clamp(1e-3, MAX_AXIS_VALUE)
}

/// Writes a line chart of `series` (name, values) over simulated time `t_s` [s] to `path`,
/// its time axis at round clock values (T+0:30, T+1:00…) as in the page. Points whose time or
/// value is not finite are left out.
pub fn line_chart_svg(
    path: &Path,
    title: &str,
    t_s: &[f64],
    series: &[(&str, &[f64])],
) -> Result<(), String> {
    window_chart_svg(path, title, 0.0, t_s, series)
}

/// [`line_chart_svg`] over the window from `from_s` [s] to the last time: a part of a
/// run, such as a release's analyses.
pub fn window_chart_svg(
    path: &Path,
    title: &str,
    from_s: f64,
    t_s: &[f64],
    series: &[(&str, &[f64])],
) -> Result<(), String> {
    use plotters::prelude::*;
    let x_max = time_axis_end(t_s);
    let y_max = value_axis_top(series);
    let root = SVGBackend::new(path, (900, 360)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut c = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(TimeAxis::window(from_s, x_max, 10), 0.0..y_max)
        .map_err(|e| e.to_string())?;
    c.configure_mesh()
        .x_desc("simulated time [T+h:mm:ss]")
        .x_label_formatter(&|v| TimeAxis::label(*v))
        .draw()
        .map_err(|e| e.to_string())?;
    let colors = [BLUE, GREEN, RED, MAGENTA, CYAN];
    for (i, (name, s)) in series.iter().enumerate() {
        let color = colors[i % colors.len()];
        // Off-axis points are clamped to 4× the axis so the pixel arithmetic stays in range.
        let points = t_s
            .iter()
            .copied()
            .zip(s.iter().copied())
            .filter(|(t, v)| t.is_finite() && v.is_finite())
            .map(|(t, v)| (t, v.clamp(-4.0 * y_max, 4.0 * y_max)));
        c.draw_series(LineSeries::new(points, &color))
            .map_err(|e| e.to_string())?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    c.configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// Writes `lanes` (name, state values: 0 closed, 0.5 half-open, 1 open) over simulated
/// time `t_s` [s] to `path` as a state timeline: one row per lane, filled pale while
/// half-open and solid while open ([`super::state_runs`]), on the same time axis as the
/// line charts.
pub fn state_lanes_svg(
    path: &Path,
    title: &str,
    t_s: &[f64],
    lanes: &[(&str, &[f64])],
) -> Result<(), String> {
    use plotters::prelude::*;
    let x_max = time_axis_end(t_s);
    let n = lanes.len().max(1);
    let height = 110 + 36 * n as u32;
    let root = SVGBackend::new(path, (900, height)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let names: Vec<String> = lanes.iter().map(|(name, _)| name.to_string()).collect();
    let mut c = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(100)
        .build_cartesian_2d(TimeAxis::new(x_max, 10), 0.0..n as f64)
        .map_err(|e| e.to_string())?;
    // Lane i sits between i and i + 1 from the top; its name at its middle.
    let name_at = |v: f64| {
        let row = (n as f64 - v - 0.5).round();
        if (v - (n as f64 - row - 0.5)).abs() < 0.01 && row >= 0.0 {
            names.get(row as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    c.configure_mesh()
        .x_desc("simulated time [T+h:mm:ss]")
        .x_label_formatter(&|v| TimeAxis::label(*v))
        .y_labels(2 * n + 1)
        .y_label_formatter(&|v| name_at(*v))
        .disable_y_mesh()
        .draw()
        .map_err(|e| e.to_string())?;
    let colors = [RED, MAGENTA, BLUE, GREEN, CYAN];
    for (i, (_, values)) in lanes.iter().enumerate() {
        let colour = colors[i % colors.len()];
        let top = (n - i) as f64 - 0.15;
        let bottom = (n - i - 1) as f64 + 0.15;
        c.draw_series(super::state_runs(t_s, values).into_iter().map(|r| {
            Rectangle::new(
                [(r.from_s, bottom), (r.to_s, top)],
                colour.mix(super::fill_opacity(r.level)).filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_axis_is_finite_for_any_series() {
        let huge = [f64::MAX, 1e308, f64::INFINITY, f64::NAN];
        assert!(value_axis_top(&[("a", &huge)]) <= MAX_AXIS_VALUE);
        assert_eq!(value_axis_top(&[("a", &[])]), MIN_AXIS_VALUE);
        assert_eq!(value_axis_top(&[("a", &[5e-324, -1e308])]), MIN_AXIS_VALUE);
        assert_eq!(value_axis_top(&[("a", &[100.0])]), 105.0);
    }
}
