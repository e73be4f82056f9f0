//! A debrief chart: one series of the learner's judged run (first seed), with
//! ghost lines for the reference answer and for nobody acting on the same
//! seed, and the check's window shaded.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use crate::charts::{use_canvas_width, MeasuredCanvas, Palette};
use crate::model::format::compact;
use crate::theme::Theme;
use scalesim::figures::TimeAxis;
use scalesim::sim::series::{Series, SeriesSet};

/// The three runs a debrief compares.
#[derive(Clone, Debug, Default)]
pub struct Runs {
    /// The learner's answer.
    pub learner: Option<SeriesSet>,
    /// The reference answer.
    pub reference: Option<SeriesSet>,
    /// Nobody acting (no knobs, no actions).
    pub nobody: Option<SeriesSet>,
}

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    runs: &Runs,
    series: Series,
    window: (f64, f64),
    palette: Palette,
) -> Result<(), String> {
    let backend = MeasuredCanvas::new(canvas).ok_or("the canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&palette.background).map_err(|e| e.to_string())?;
    let all = [&runs.learner, &runs.reference, &runs.nobody];
    let x_max = all
        .iter()
        .filter_map(|r| r.as_ref().and_then(|s| s.get(Series::Time).last().copied()))
        .fold(60.0, f64::max);
    let y_max = all
        .iter()
        .filter_map(|r| r.as_ref())
        .flat_map(|s| s.get(series).iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.12;
    let text = |size| ("sans-serif", size).into_font().color(&palette.text);
    let mut chart = ChartBuilder::on(&root)
        .margin(6)
        .margin_right(14)
        .x_label_area_size(22)
        .y_label_area_size(42)
        .build_cartesian_2d(TimeAxis::new(x_max, 6), 0f64..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .y_labels(5)
        .x_label_formatter(&|v| TimeAxis::label(*v))
        .y_label_formatter(&|v| compact(*v))
        .label_style(text(11))
        .light_line_style(palette.background)
        .bold_line_style(palette.grid)
        .axis_style(palette.grid)
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series([Rectangle::new(
            [(window.0, 0.0), (window.1.min(x_max), y_max)],
            palette.band.filled(),
        )])
        .map_err(|e| e.to_string())?;
    let styles = [
        (&runs.nobody, palette.series[5], 1),
        (&runs.reference, palette.series[2], 2),
        (&runs.learner, palette.series[0], 2),
    ];
    for (run, color, width) in styles {
        let Some(s) = run else { continue };
        let pts: Vec<(f64, f64)> = s
            .get(Series::Time)
            .iter()
            .copied()
            .zip(s.get(series).iter().copied())
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(width)))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

/// The chart of `series` for `runs`, with `window` [s] shaded.
#[component]
pub fn DebriefChart(
    runs: Signal<Runs>,
    series: Series,
    window: (f64, f64),
    theme: Signal<Theme>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let width = use_canvas_width(canvas);
    let title = series.label();
    let label = format!(
        "{title} over the run: your answer, the reference answer and nobody acting; the judged window is shaded"
    );
    // Effect: redraw when the runs, the width or the theme change.
    Effect::new(move |_| {
        let w = width.get();
        let Some(c) = canvas.get() else { return };
        if w == 0 {
            return;
        }
        c.set_width(w);
        c.set_height(180);
        let _ = runs.with(|r| draw(c.clone(), r, series, window, Palette::of(theme.get())));
    });
    view! {
        <figure class="debrief-chart">
            <figcaption><strong>{title}</strong>" "
                <span class="key key-you">"your answer"</span>
                <span class="key key-reference">"reference"</span>
                <span class="key key-nobody">"nobody acts"</span>
                <span class="key key-window">"judged window"</span>
            </figcaption>
            <canvas node_ref=canvas class="chart-canvas" role="img" aria-label=label height="180"></canvas>
        </figure>
    }
}
