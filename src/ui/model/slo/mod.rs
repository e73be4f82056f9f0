//! The SLO panel's words: the error budget's forecast and the burn-rate table.

mod budget_forecast;
mod burn_words;

pub use budget_forecast::budget_forecast;
pub use burn_words::{burn_row, burn_words, window_words};
