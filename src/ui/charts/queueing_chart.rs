//! "Why autoscalers aim below 100 %": M/M/1 response time against utilization.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{MeasuredCanvas, Palette};
use crate::model::charts::{queueing_curve, QueueingCurve};
use crate::model::format::compact;
use crate::theme::Theme;

/// Service time of the modelled server [ms].
const SERVICE_MS: f64 = 10.0;
/// Highest utilization drawn [%]: the curve goes to infinity at 100 %.
const MAX_PCT: f64 = 95.0;

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    curve: &QueueingCurve,
    palette: Palette,
) -> Result<(), String> {
    let backend = MeasuredCanvas::new(canvas).ok_or("the canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&palette.background).map_err(|e| e.to_string())?;
    let y_max = curve.points.iter().map(|p| p.p99_ms).fold(0.0, f64::max) * 1.05;
    let text = |size| ("sans-serif", size).into_font().color(&palette.text);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .caption(
            "Response time vs utilization (M/M/1, 10 ms per request)",
            text(16),
        )
        .x_label_area_size(36)
        .y_label_area_size(52)
        .build_cartesian_2d(0f64..100f64, 0f64..y_max)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("utilization [%]")
        .y_desc("response time [ms]")
        .axis_desc_style(text(13))
        .label_style(text(12))
        .x_labels(11)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| compact(*v))
        .light_line_style(palette.background)
        .bold_line_style(palette.grid)
        .axis_style(palette.text)
        .draw()
        .map_err(|e| e.to_string())?;
    let [mean_colour, p99_colour, ..] = palette.series;
    chart
        .draw_series(LineSeries::new(
            curve.points.iter().map(|p| (p.utilization_pct, p.mean_ms)),
            mean_colour.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("mean")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], mean_colour.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            curve.points.iter().map(|p| (p.utilization_pct, p.p99_ms)),
            p99_colour.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("p99")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], p99_colour.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(text(12))
        .background_style(palette.background)
        .border_style(palette.grid)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// A canvas chart of the engine's M/M/1 model, redrawn when the theme changes.
#[component]
pub fn QueueingChart(theme: Signal<Theme>) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    // Computed once: the curve depends on constants only, not on any signal.
    let curve = queueing_curve(SERVICE_MS, MAX_PCT, 95);
    let caption = format!(
        "At 80 % utilization a request waits {:.0} service times in the queue; at 90 % it waits {:.0}. \
         Latency explodes near 100 %, which is why autoscalers target 60\u{2013}70 % CPU.",
        curve.wait_at_80_in_service_times, curve.wait_at_90_in_service_times
    );
    let summary = curve
        .points
        .iter()
        .filter(|p| matches!(p.utilization_pct as u32, 50 | 80 | 90))
        .map(|p| {
            format!(
                "{:.0} %: mean {:.0} ms, p99 {:.0} ms",
                p.utilization_pct, p.mean_ms, p.p99_ms
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    // Effect: drawing on a canvas is a side effect on the outside world.
    Effect::new(move |_| {
        let palette = Palette::of(theme.get());
        if let Some(canvas) = canvas_ref.get() {
            if let Err(e) = draw(canvas, &curve, palette) {
                leptos::logging::error!("queueing chart: {e}");
            }
        }
    });
    view! {
        <figure class="chart">
            <canvas
                node_ref=canvas_ref
                id="queueing-chart"
                width="640"
                height="320"
                role="img"
                aria-label=format!("Line chart of response time against utilization. {summary}.")
            ></canvas>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}
