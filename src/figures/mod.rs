//! What the page's live charts and the CLI's SVG figures share, so a chart
//! reads the same wherever it is drawn (plotters, no web types).

mod time_axis;

pub use time_axis::TimeAxis;
