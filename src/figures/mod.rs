//! What the page's live charts and the CLI's SVG figures share, so a chart
//! reads the same wherever it is drawn (plotters, no web types).

mod thousands;
mod time_axis;

pub use thousands::group_thousands;
pub use time_axis::TimeAxis;
