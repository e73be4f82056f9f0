//! What the simulator loop publishes and how it paces itself, without the
//! loop: frames (a snapshot and what the panels derive from it), thinned
//! series, chart annotations, timeline lines, and the pacer.

mod annotations;
mod chart_data;
mod frame;
mod log_line;
mod pacer;

pub use annotations::{annotations_of, Annotations, Band, Marker};
pub use chart_data::{class_lines, decimate, ChartData, ClassLine, ClassLines};
pub use frame::{Frame, Targets};
pub use log_line::{LogKind, LogLine};
pub use pacer::{KeepUp, Pacer};
