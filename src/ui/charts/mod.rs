//! Charts drawn with plotters on a `<canvas>`, from data the engine computes:
//! the live charts of a run (shared time axis, fault bands, event markers) and
//! the queueing explainer. What each chart plots is in [`crate::model::charts`].

mod canvas_width;
mod chart_grid;
mod live_chart;
mod measured_canvas;
mod palette;
mod queueing_chart;

pub use canvas_width::use_canvas_width;
pub use chart_grid::ChartGrid;
pub use live_chart::LiveChart;
pub use measured_canvas::MeasuredCanvas;
pub use palette::Palette;
pub use queueing_chart::QueueingChart;
