//! The SLO panel: error budget, burn rates, alerts, and what they mean in
//! words (the words are in [`crate::model::slo`]).

mod burn_table;
mod slo_panel;

pub use burn_table::BurnTable;
pub use slo_panel::SloPanel;
