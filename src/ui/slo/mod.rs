//! The SLO panel: error budget, burn rates, alerts, and what they mean in words.

mod budget_forecast;
mod slo_panel;

pub use budget_forecast::budget_forecast;
pub use slo_panel::SloPanel;
