//! "At this rate the 30-day budget is gone in 2.1 days": the error budget's
//! future in words.
//!
//! A burn rate of 1 spends the whole budget in exactly one SLO window, so at
//! burn rate b the remaining fraction r lasts r × window / b.

use crate::model::format::duration_words;

/// The budget's forecast in words. `remaining_pct` [%], `burn_rate` [×], `window_days` [days].
pub fn budget_forecast(remaining_pct: f64, burn_rate: f64, window_days: f64) -> String {
    let window = format!("{window_days:.0}-day");
    if remaining_pct <= 0.0 {
        return format!("The {window} error budget is spent: the error-budget policy applies.");
    }
    if burn_rate <= 1e-6 {
        return format!("No errors right now: the {window} budget is not burning.");
    }
    let left_s = remaining_pct / 100.0 * window_days * 86_400.0 / burn_rate;
    if burn_rate < 1.0 {
        format!(
            "Burning slower than the budget allows ({burn_rate:.2}\u{d7}): at this rate the {window} budget would last {}.",
            duration_words(left_s)
        )
    } else {
        format!(
            "At this rate the {window} budget is gone in {}.",
            duration_words(left_s)
        )
    }
}
