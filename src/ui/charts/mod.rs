//! Charts drawn with plotters on a `<canvas>`, from data the engine computes:
//! the live charts of a run (shared time axis, fault bands, event markers) and
//! the queueing explainer.

mod canvas_width;
mod chart_grid;
mod chart_specs;
mod live_chart;
mod measured_canvas;
mod palette;
mod queueing_chart;
mod queueing_curve;

pub use canvas_width::use_canvas_width;
pub use chart_grid::ChartGrid;
pub use chart_specs::{gate, gate_held, ChartGate, ChartSpec, Line, Need, Reference, CHARTS};
pub use live_chart::LiveChart;
pub use measured_canvas::MeasuredCanvas;
pub use palette::Palette;
pub use queueing_chart::QueueingChart;
pub use queueing_curve::{queueing_curve, CurvePoint, QueueingCurve};
