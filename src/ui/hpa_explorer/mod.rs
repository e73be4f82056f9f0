//! The HPA explorer: paste an autoscaling/v2 manifest and a CPU load curve (or
//! draw one) and see every sync's decision and why, the same as `scalesim hpa`.

mod curve_drawing;
mod explorer_run;
mod explorer_view;
mod load_curve;

pub use curve_drawing::CurveDrawing;
pub use explorer_run::{explore, ExplorerInput, ExplorerRun};
pub use explorer_view::HpaExplorer;
pub use load_curve::{parse_load_csv, set_step, to_csv};
