//! The simulator loop: a `requestAnimationFrame` loop with a fixed-step
//! accumulator that owns the [`World`](scalesim::sim::World) outside the reactive
//! graph and publishes [`Frame`]s (snapshots) at most ~30 times a second.

mod annotations;
mod chart_data;
mod engine_speed;
mod frame;
pub mod frame_stats;
mod log_line;
mod pacer;
mod play_controls;
mod scenario_picker;
mod use_sim_loop;

pub use annotations::{annotations_of, Annotations, Band, Marker};
pub use chart_data::{decimate, ChartData};
pub use engine_speed::{reference_day_speed, EngineSpeed};
pub use frame::{Frame, Targets};
pub use log_line::{LogKind, LogLine};
pub use pacer::{KeepUp, Pacer};
pub use play_controls::PlayControls;
pub use scenario_picker::ScenarioPicker;
pub use use_sim_loop::{use_sim_loop, use_sim_loop_with_options, SimLoop, SimLoopOptions, SPEEDS};
