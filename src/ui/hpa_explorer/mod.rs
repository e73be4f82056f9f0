//! The HPA explorer: paste an HPA manifest (any autoscaling version, Helm output or
//! `kubectl get -o yaml`) and a load curve with a column per metric (or draw the CPU one), set
//! any `scalesim hpa` option, and see every sync's decision and why, the same rows as
//! `scalesim hpa --json`. The computation is in [`crate::model::hpa_explorer`].

mod curve_drawing;
mod decision_table;
mod explorer_view;
mod option_fields;

pub use curve_drawing::CurveDrawing;
pub use decision_table::DecisionTable;
pub use explorer_view::HpaExplorer;
pub use option_fields::OptionFields;
