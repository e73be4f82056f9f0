//! Charts drawn with plotters on a `<canvas>`, from data the engine computes.

mod palette;
mod queueing_chart;
mod queueing_curve;

pub use palette::Palette;
pub use queueing_chart::QueueingChart;
pub use queueing_curve::{queueing_curve, CurvePoint, QueueingCurve};
