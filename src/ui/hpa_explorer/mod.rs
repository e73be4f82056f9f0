//! The HPA explorer: paste an autoscaling/v2 manifest and a CPU load curve (or
//! draw one), set any `scalesim hpa` option, and see every sync's decision and
//! why, the same rows as `scalesim hpa --json`.

mod curve_drawing;
mod decision_table;
mod explorer_run;
mod explorer_view;
mod load_curve;
mod option_fields;

pub use curve_drawing::CurveDrawing;
pub use decision_table::DecisionTable;
pub use explorer_run::{explore, options_from_fields, ExplorerInput, ExplorerRun};
pub use explorer_view::HpaExplorer;
pub use load_curve::{parse_load_csv, set_step, to_csv};
pub use option_fields::OptionFields;
