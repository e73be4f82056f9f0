//! What the charts draw, without drawing it: the chart catalogue (lines,
//! units, reference lines, what a world must hold) and the queueing
//! explainer's curve from the engine's M/M/1 model.

mod chart_specs;
mod lanes;
mod queueing_curve;

pub use chart_specs::{gate, gate_held, ChartGate, ChartSpec, Line, Need, Reference, CHARTS};
pub use lanes::{shown_lanes, LANE_PX};
pub use queueing_curve::{queueing_curve, CurvePoint, QueueingCurve};
