//! Error-budget and burn-rate arithmetic (SRE Workbook ch. 2 and ch. 5;
//! docs/models.md#slo-and-burn-rates).
//!
//! ```text
//!   SLO 99.9 % ──▶ budget 0.1 % of the period ──▶ burn = error ratio / budget
//!                                                  time to exhaust = period / burn
//! ```
//!
//! The SLO percentage is resolved to parts per billion of error budget
//! (`round((100 − slo_pct)·10^7)`), so 99.9 % is exactly 1 000 000 ppb and the
//! decimal representation error of `100 − 99.9` never leaks into event counts.

/// Seconds per day.
pub const DAY_S: f64 = 86_400.0;

/// Error budget of an SLO over a period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorBudget {
    /// 1 − SLO as a fraction of events (or time).
    pub fraction: f64,
    /// Bad minutes allowed over the period [min].
    pub allowed_bad_minutes: f64,
}

/// Error budget in parts per billion of events: round((100 − slo_pct)·10^7).
pub fn error_budget_ppb(slo_pct: f64) -> u64 {
    ((100.0 - slo_pct) * 1e7).round().max(0.0) as u64
}

/// Error budget fraction 1 − SLO, from [`error_budget_ppb`].
pub fn error_budget_fraction(slo_pct: f64) -> f64 {
    error_budget_ppb(slo_pct) as f64 / 1e9
}

/// Error budget of `slo_pct` over `period_days`: 99.9 % over 30 days is 43.2 minutes.
pub fn error_budget(slo_pct: f64, period_days: f64) -> ErrorBudget {
    let fraction = error_budget_fraction(slo_pct);
    ErrorBudget {
        fraction,
        allowed_bad_minutes: fraction * period_days * 1440.0,
    }
}

/// Failed requests allowed among `requests` valid ones: ⌊requests·(1 − SLO)⌋,
/// computed exactly in integers (99.9 % of 1 000 000 → 1 000).
pub fn allowed_failed_requests(slo_pct: f64, requests: u64) -> u64 {
    (u128::from(requests) * u128::from(error_budget_ppb(slo_pct)) / 1_000_000_000) as u64
}

/// Burn rate = observed error ratio / (1 − SLO). 1.0 spends exactly the budget in one period.
pub fn burn_rate(error_ratio: f64, slo_pct: f64) -> f64 {
    error_ratio / error_budget_fraction(slo_pct)
}

/// Time to spend a whole budget at a constant burn rate [s]: period / burn.
/// Infinite when `burn` ≤ 0.
pub fn time_to_exhaust_s(period_s: f64, burn: f64) -> f64 {
    if burn <= 0.0 {
        f64::INFINITY
    } else {
        period_s / burn
    }
}

/// Burn rate at which a fraction `budget_fraction` of the budget is spent within
/// `window_s`: f × period / window (2 % in 1 h of 30 d → 14.4).
pub fn burn_threshold(budget_fraction: f64, period_s: f64, window_s: f64) -> f64 {
    budget_fraction * period_s / window_s
}

/// Error-ratio threshold matching a burn-rate threshold: burn × (1 − SLO).
pub fn error_ratio_threshold(burn: f64, slo_pct: f64) -> f64 {
    burn * error_budget_fraction(slo_pct)
}

/// Time for a long window of `window_s` to fire after a step to `error_ratio`:
/// ((1 − SLO)/error ratio) × window × burn threshold [s]. A 100 % outage fires
/// the 14.4×/1 h alert after 51.84 s. Infinite when the error ratio is below
/// the threshold's error ratio (the alert never fires).
pub fn detection_time_s(slo_pct: f64, error_ratio: f64, window_s: f64, burn: f64) -> f64 {
    let budget = error_budget_fraction(slo_pct);
    if error_ratio <= 0.0 || error_ratio < burn * budget {
        return f64::INFINITY;
    }
    budget / error_ratio * window_s * burn
}

/// Fraction of the period's budget spent when a long window of `window_s` fires
/// at burn threshold `burn`: burn × window / period (14.4 × 1 h / 30 d = 2 %).
pub fn budget_consumed_at_detection(burn: f64, window_s: f64, period_s: f64) -> f64 {
    burn * window_s / period_s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ninety_nine_point_nine_percent_over_30_days_gives_43_2_minutes_of_budget() {
        let b = error_budget(99.9, 30.0);
        assert_eq!(b.fraction, 0.001);
        assert!((b.allowed_bad_minutes - 43.2).abs() < 1e-12);
    }

    #[test]
    fn table_5_8_burn_rates_come_from_the_budget_fraction_and_windows() {
        let month = 30.0 * DAY_S;
        assert!((burn_threshold(0.02, month, 3600.0) - 14.4).abs() < 1e-12);
        assert!((burn_threshold(0.05, month, 6.0 * 3600.0) - 6.0).abs() < 1e-12);
        assert!((burn_threshold(0.10, month, 3.0 * DAY_S) - 1.0).abs() < 1e-12);
        assert!((error_ratio_threshold(14.4, 99.9) - 0.0144).abs() < 1e-15);
    }

    #[test]
    fn a_full_outage_fires_the_fast_page_after_51_84_seconds_having_spent_2_percent() {
        assert!((detection_time_s(99.9, 1.0, 3600.0, 14.4) - 51.84).abs() < 1e-9);
        assert!((detection_time_s(99.9, 1.0, 300.0, 14.4) - 4.32).abs() < 1e-9);
        assert!((budget_consumed_at_detection(14.4, 3600.0, 30.0 * DAY_S) - 0.02).abs() < 1e-15);
        assert!(detection_time_s(99.9, 0.01, 3600.0, 14.4).is_infinite());
    }

    #[test]
    fn a_burn_rate_of_one_spends_the_budget_in_exactly_one_period() {
        assert!((burn_rate(0.001, 99.9) - 1.0).abs() < 1e-12);
        assert_eq!(time_to_exhaust_s(30.0 * DAY_S, 1.0), 30.0 * DAY_S);
        assert!((time_to_exhaust_s(30.0 * DAY_S, 14.4) - 50.0 * 3600.0).abs() < 1e-6);
    }
}
