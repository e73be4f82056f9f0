//! The HPA explorer's computation: a manifest, a load curve and the
//! `scalesim hpa` options to every sync's decision, and the load curve's CSV.

mod explorer_run;
mod load_curve;

pub use explorer_run::{explore, options_from_fields, ExplorerInput, ExplorerRun};
pub use load_curve::{parse_load_csv, set_cpu_step, set_step, to_csv};
