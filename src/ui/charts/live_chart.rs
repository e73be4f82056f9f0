//! One live chart: a canvas redrawn from the published frame, with the run's
//! fault bands, action markers and a reference line, on the shared time axis.
//! A line on a much smaller scale (consumers against thousands of messages)
//! gets the secondary y axis on the right; ticks are compact ("12k", "1.5M").

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{use_canvas_width, MeasuredCanvas, Palette};
use crate::model::charts::{
    gate_held, shown_lanes, ChartGate, ChartSpec, Line, Reference, LANE_PX,
};
use crate::model::format::{compact, line_figure};
use crate::model::sim_loop::Frame;
use crate::sim_loop::{frame_stats, use_frames, use_run};
use crate::theme::Theme;
use scalesim::figures::{fill_opacity, state_runs, Place, TimeAxis};
use scalesim::sim::series::Series;

/// Charts that redraw on the same published frame: three groups, so at most a
/// third of the charts draw in any one animation frame while playing.
const SLOTS: u64 = 3;

/// Height of the plot, axes included [px]; state lanes add rows under it.
const PLOT_PX: u32 = 170;

/// Units counted in whole things: their axes label whole numbers only.
const WHOLE_UNITS: [&str; 5] = ["pods", "nodes", "consumers", "keys", "writes"];

/// An axis tick: compact, and blank between whole numbers on a count axis.
fn tick(v: f64, whole: bool) -> String {
    if whole && (v - v.round()).abs() > 1e-9 {
        String::new()
    } else {
        compact(v)
    }
}

/// The reference lines of `spec` in `f`: (value, label).
fn references(spec: &ChartSpec, f: &Frame) -> Vec<(f64, String)> {
    match spec.reference {
        Reference::None => Vec::new(),
        Reference::CpuTarget => f
            .targets
            .cpu_target_pct
            .map(|t| vec![(t, format!("HPA target {t:.0} %"))])
            .unwrap_or_default(),
        Reference::LatencySlo => f
            .targets
            .latency_slo_ms
            .map(|t| vec![(t, format!("SLO {t:.0} ms"))])
            .unwrap_or_default(),
        Reference::BurnThresholds => f.targets.burn_thresholds.clone(),
        Reference::Full => vec![(100.0, "full budget".into())],
    }
}

/// A line the plot draws: its points, colour and axis.
struct Drawn<'a> {
    /// Times of its points [s].
    t: &'a [f64],
    /// Its points.
    values: &'a [f64],
    /// Palette index.
    colour: usize,
    /// Against the right axis.
    right: bool,
    /// Thin (a class's rate-limited requests, against its shed ones thick).
    thin: bool,
    /// Counted in whole things (its axis labels whole numbers only).
    whole: bool,
}

/// The lines of `spec` in `f`: the catalogue's lines (not its lanes), or for the
/// per-class chart the classes' refusals, each class in its colour.
fn drawn_lines<'a>(spec: &ChartSpec, f: &'a Frame) -> Vec<Drawn<'a>> {
    if spec.by_class {
        let c = &f.chart.classes;
        return c
            .lines
            .iter()
            .map(|l| Drawn {
                t: &c.t,
                values: &l.values,
                colour: l.class,
                right: false,
                thin: !l.shed,
                whole: false,
            })
            .collect();
    }
    let t = f.chart.col(Series::Time).unwrap_or(&[]);
    spec.lines
        .iter()
        .filter(|l| l.place != Place::Lane)
        .filter_map(|l| {
            Some(Drawn {
                t,
                values: f.chart.col(l.series)?,
                colour: l.colour,
                right: l.place == Place::Right,
                thin: false,
                whole: WHOLE_UNITS.contains(&l.unit()),
            })
        })
        .collect()
}

fn draw(
    canvas: web_sys::HtmlCanvasElement,
    spec: &ChartSpec,
    f: &Frame,
    lanes: &[Line],
    palette: Palette,
) -> Result<(), String> {
    let backend = MeasuredCanvas::new(canvas).ok_or("the canvas has no 2d context")?;
    let whole_area = backend.into_drawing_area();
    whole_area
        .fill(&palette.background)
        .map_err(|e| e.to_string())?;
    // The state lanes take the bottom rows; the plot the rest.
    let lanes_px = LANE_PX * lanes.len() as u32;
    let height = whole_area.dim_in_pixel().1;
    let (root, lane_area) = whole_area.split_vertically(height.saturating_sub(lanes_px));
    let x_max = f.snap.t_s.max(60.0);
    let lines = drawn_lines(spec, f);
    let refs = references(spec, f);
    let top = |right: bool| {
        lines
            .iter()
            .filter(|d| d.right == right)
            .flat_map(|d| d.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    };
    let data_max = top(false);
    // Burn-rate thresholds only stretch the axis up to the lowest one above the data.
    let ref_max = refs
        .iter()
        .map(|(v, _)| *v)
        .filter(|v| spec.reference != Reference::BurnThresholds || *v <= data_max.max(2.0) * 3.0)
        .fold(0.0, f64::max);
    let y_max = (data_max.max(ref_max) * 1.12).max(1.0);
    // The secondary axis: its own scale, so a handful of consumers is not a
    // flat line at the bottom of thousands of messages.
    let dual = spec.dual_axis();
    let y2_max = if dual {
        (top(true) * 1.12).max(1.0)
    } else {
        y_max
    };
    let whole = |right: bool| lines.iter().filter(|d| d.right == right).all(|d| d.whole);
    let (left_whole, right_whole) = (whole(false), whole(true));
    let text = |size| ("sans-serif", size).into_font().color(&palette.text);
    let mut chart = ChartBuilder::on(&root)
        .margin(6)
        .margin_right(if dual { 4 } else { 18 })
        .x_label_area_size(22)
        .y_label_area_size(42)
        .right_y_label_area_size(if dual { 42 } else { 0 })
        .build_cartesian_2d(TimeAxis::new(x_max, 7), 0f64..y_max)
        .map_err(|e| e.to_string())?
        .set_secondary_coord(0f64..x_max, 0f64..y2_max);
    chart
        .configure_mesh()
        .y_labels(5)
        .x_label_formatter(&|v| TimeAxis::label(*v))
        .y_label_formatter(&|v| tick(*v, left_whole))
        .label_style(text(11))
        .light_line_style(palette.background)
        .bold_line_style(palette.grid)
        .axis_style(palette.grid)
        .draw()
        .map_err(|e| e.to_string())?;
    if dual {
        chart
            .configure_secondary_axes()
            .y_labels(5)
            .y_label_formatter(&|v| tick(*v, right_whole))
            .label_style(text(11))
            .axis_style(palette.grid)
            .draw()
            .map_err(|e| e.to_string())?;
    }
    let a = &f.annotations;
    chart
        .draw_series(a.bands.iter().map(|b| {
            Rectangle::new(
                [
                    (b.start_s, 0.0),
                    (b.end_s.unwrap_or(x_max).min(x_max), y_max),
                ],
                palette.band.filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(a.actions.iter().map(|m| {
            PathElement::new(
                [(m.t_s, 0.0), (m.t_s, y_max)],
                palette.marker.stroke_width(1),
            )
        }))
        .map_err(|e| e.to_string())?;
    // A reference label needs 13 px of height; one closer than that to the
    // last one drawn is left out (its line stays) rather than written over it.
    let plot_h = f64::from(chart.plotting_area().dim_in_pixel().1.max(1));
    let label_room = y_max * 13.0 / plot_h;
    let mut last_label = f64::NEG_INFINITY;
    for (v, label) in &refs {
        if *v <= y_max {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(0.0, *v), (x_max, *v)],
                    palette.reference.stroke_width(1),
                )))
                .map_err(|e| e.to_string())?;
            if (*v - last_label).abs() < label_room {
                continue;
            }
            last_label = *v;
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x_max * 0.01, *v + y_max * 0.015),
                    ("sans-serif", 11).into_font().color(&palette.reference),
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    for d in &lines {
        let width = if d.thin { 1 } else { 2 };
        let style = palette.series[d.colour % palette.series.len()].stroke_width(width);
        let points = d.t.iter().zip(d.values.iter()).map(|(x, y)| (*x, *y));
        if d.right {
            chart
                .draw_secondary_series(LineSeries::new(points, style))
                .map_err(|e| e.to_string())?;
        } else {
            chart
                .draw_series(LineSeries::new(points, style))
                .map_err(|e| e.to_string())?;
        }
    }
    // The per-class chart names its lines in the plot, each in its colour.
    if spec.by_class {
        for (i, l) in f.chart.classes.lines.iter().enumerate() {
            let colour = palette.series[l.class % palette.series.len()];
            chart
                .draw_series(std::iter::once(Text::new(
                    l.label.clone(),
                    (x_max * 0.01, y_max * (0.97 - 0.1 * i as f64)),
                    ("sans-serif", 11).into_font().color(&colour),
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    if spec.hpa_marks {
        let colour = palette.series[0];
        chart
            .draw_series(a.hpa.iter().map(|m| {
                Polygon::new(
                    vec![
                        (m.t_s, y_max * 0.985),
                        (m.t_s - x_max * 0.006, y_max * 0.93),
                        (m.t_s + x_max * 0.006, y_max * 0.93),
                    ],
                    colour.filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
    }
    if !lanes.is_empty() {
        let x_px = |t: f64| chart.backend_coord(&(t, 0.0)).0;
        draw_lanes(&lane_area, lanes, f, x_px, x_max, palette)?;
    }
    whole_area.present().map_err(|e| e.to_string())
}

/// The state lanes under the plot, on its time axis (`x_px` maps a time to the
/// plot's pixel column): each lane's runs filled in its colour, pale half-open and
/// solid open, its label at the left.
fn draw_lanes<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lanes: &[Line],
    f: &Frame,
    x_px: impl Fn(f64) -> i32,
    x_max: f64,
    palette: Palette,
) -> Result<(), String> {
    let t = f.chart.col(Series::Time).unwrap_or(&[]);
    let h = LANE_PX as i32;
    let (left, right) = (x_px(0.0), x_px(x_max));
    for (i, l) in lanes.iter().enumerate() {
        let colour = palette.series[l.colour % palette.series.len()];
        let (top, bottom) = (i as i32 * h + 1, (i as i32 + 1) * h - 1);
        let values = f.chart.col(l.series).unwrap_or(&[]);
        let runs = state_runs(t, values).into_iter().map(|r| {
            Rectangle::new(
                [(x_px(r.from_s), top), (x_px(r.to_s.min(x_max)), bottom)],
                colour.mix(fill_opacity(r.level)).filled(),
            )
        });
        for r in std::iter::once(Rectangle::new(
            [(left, top), (right, bottom)],
            palette.grid.filled(),
        ))
        .chain(runs)
        {
            area.draw(&r).map_err(|e| e.to_string())?;
        }
        area.draw(&Text::new(
            l.label,
            (left + 3, top),
            ("sans-serif", 10).into_font().color(&palette.text),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The latest values of `spec`'s lines, in words (of its state lanes, those drawn).
fn latest(spec: &ChartSpec, f: &Frame) -> String {
    if f.chart.last_t_s() <= 0.0 && f.chart.col(Series::Time).is_none_or(|t| t.is_empty()) {
        return "no data yet: press Play".into();
    }
    if spec.by_class {
        let lines = &f.chart.classes.lines;
        if lines.is_empty() {
            return "nothing refused so far".into();
        }
        return lines
            .iter()
            .filter_map(|l| Some(format!("{} {} req/s", l.label, compact(*l.values.last()?))))
            .collect::<Vec<_>>()
            .join(", ");
    }
    let shown = shown_lanes(spec, &f.chart, &f.targets.breaker_edges);
    spec.lines
        .iter()
        .filter(|l| l.place != Place::Lane || shown.iter().any(|s| s.series == l.series))
        .filter_map(|l| {
            let v = f.chart.col(l.series)?.last()?;
            let figure = line_figure(l.series, *v, l.unit());
            Some(if l.label == l.unit() {
                figure
            } else {
                format!("{} {figure}", l.label)
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A live chart. `stagger` staggers its redraws with the other charts. It
/// draws only when the world holds what it plots; otherwise its empty state
/// says what the scenario lacks and which built-in scenario has it.
#[component]
pub fn LiveChart(spec: ChartSpec, theme: Signal<Theme>, stagger: u64) -> impl IntoView {
    let frames = use_frames();
    let run = use_run();
    let canvas_ref = NodeRef::<Canvas>::new();
    // Memos: whether the world holds what the chart plots is checked each
    // frame (no allocation) and changes only with the scenario; the words are
    // built only then.
    let held = Memo::new(move |_| frames.with(|f| f.as_ref().map(|f| spec.need.held_by(&f.snap))));
    let scenario = Memo::new(move |_| {
        run.with(|s| s.as_ref().map(|s| s.scenario.clone()).unwrap_or_default())
    });
    let chart_gate = Memo::new(move |_| scenario.with(|name| gate_held(&spec, held.get(), name)));
    let shown_width = use_canvas_width(canvas_ref);
    // Effect: drawing on a canvas is a side effect. It runs when a frame is
    // published (≤ 30 Hz) and, while playing, draws on one frame in three;
    // at once when the canvas is shown at a new width. Returns the width drawn at.
    Effect::new(move |drawn: Option<u32>| {
        let drawn = drawn.unwrap_or(0);
        let palette = Palette::of(theme.get());
        let width = shown_width.get();
        if chart_gate.with(|g| *g != ChartGate::Draw) || width == 0 {
            return drawn;
        }
        frames.with(|f| {
            let Some(f) = f else { return drawn };
            if f.live && f.seq % SLOTS != stagger % SLOTS && width == drawn {
                return drawn;
            }
            if let Some(canvas) = canvas_ref.get() {
                // Drawn at the width it is shown at, so its text keeps its size.
                if canvas.width() != width {
                    canvas.set_width(width);
                }
                // The plot keeps its height; each state lane adds a row under it.
                let lanes = shown_lanes(&spec, &f.chart, &f.targets.breaker_edges);
                let height = PLOT_PX + LANE_PX * lanes.len() as u32;
                if canvas.height() != height {
                    canvas.set_height(height);
                }
                let perf = window().performance();
                let start = perf.as_ref().map_or(0.0, |p| p.now());
                if let Err(e) = draw(canvas, &spec, f, &lanes, palette) {
                    leptos::logging::error!("chart {}: {e}", spec.id);
                }
                if frame_stats::recording() {
                    let ms = perf.as_ref().map_or(0.0, |p| p.now()) - start;
                    frame_stats::record_chart(spec.id, ms);
                }
            }
            width
        })
    });
    let palette = move || Palette::of(theme.get());
    let dual = spec.dual_axis();
    // The state lanes are named inside the canvas, beside their band.
    let legend = spec
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.place != Place::Lane)
        .map(|(i, l)| {
            let style = move || {
                let c = palette().series[spec.lines[i].colour % 6];
                format!("background: rgb({}, {}, {})", c.0, c.1, c.2)
            };
            view! { <li><span class="swatch" style=style aria-hidden="true"></span>{l.legend(dual)}</li> }
        })
        .collect_view();
    let heading_id = format!("{}-title", spec.id);
    let heading_id2 = heading_id.clone();
    view! {
        <figure class="chart live-chart" aria-labelledby=heading_id2 data-chart=spec.id>
            <h3 id=heading_id>{spec.title}{(!spec.unit.is_empty()).then(|| format!(" [{}]", spec.unit))}</h3>
            <div class="chart-body" class:hidden=move || chart_gate.with(|g| *g != ChartGate::Draw)>
                <canvas
                    node_ref=canvas_ref
                    id=spec.id
                    width="560"
                    height=PLOT_PX.to_string()
                    role="img"
                    aria-label=format!("{} over simulated time; shaded bands are fault periods, vertical lines are actions", spec.title)
                ></canvas>
                <ul class="chart-legend" aria-hidden="true">{legend}</ul>
                <p class="chart-latest">
                    {move || {
                        if chart_gate.with(|g| *g != ChartGate::Draw) {
                            return String::new();
                        }
                        frames.with(|f| f.as_ref().map(|f| format!("Now: {}", latest(&spec, f))).unwrap_or_default())
                    }}
                </p>
            </div>
            {move || match chart_gate.get() {
                ChartGate::Draw => None,
                ChartGate::Empty(words) => Some(view! { <p class="empty-state chart-empty">{words}</p> }),
            }}
        </figure>
    }
}
