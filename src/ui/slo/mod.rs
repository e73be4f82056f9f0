//! The SLO panel: error budget, burn rates, alerts, and what they mean in words.

mod budget_forecast;
mod burn_table;
mod slo_panel;

pub use budget_forecast::budget_forecast;
pub use burn_table::{burn_row, burn_words, window_words, BurnTable};
pub use slo_panel::SloPanel;
