//! What the page's live charts and the CLI's SVG figures share, so a chart
//! reads the same wherever it is drawn (plotters, no web types).

pub mod charts;
mod prose;
mod significant;
#[cfg(not(target_arch = "wasm32"))]
mod svg;
mod thousands;
mod time_axis;

pub use charts::{Chart, PageLine, PageView, SvgFigure, UNPLOTTED};
pub use prose::{duration_words, num};
pub use significant::{
    data_number, fixed_or_sig, group_decimal, round_json_numbers, round_sig, significant,
    DATA_DIGITS,
};
#[cfg(not(target_arch = "wasm32"))]
pub use svg::{line_chart_svg, value_axis_top};
pub use thousands::group_thousands;
pub use time_axis::TimeAxis;
