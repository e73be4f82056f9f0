//! What the page's live charts and the CLI's SVG figures share, so a chart
//! reads the same wherever it is drawn (plotters, no web types).

pub mod charts;
mod lanes;
mod prose;
mod significant;
#[cfg(not(target_arch = "wasm32"))]
mod svg;
mod thousands;
mod time_axis;

pub use charts::{Chart, PageLine, PageView, Place, SvgFigure, BREAKER_LANES, UNPLOTTED};
pub use lanes::{fill_opacity, state_runs, StateRun};
pub use prose::{duration_words, num};
pub use significant::{
    data_number, fixed_or_sig, group_decimal, round_json_numbers, round_sig, significant,
    DATA_DIGITS,
};
#[cfg(not(target_arch = "wasm32"))]
pub use svg::{line_chart_svg, state_lanes_svg, value_axis_top, window_chart_svg};
pub use thousands::group_thousands;
pub use time_axis::TimeAxis;
