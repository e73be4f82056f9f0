//! The burn-rate table's cells in words: alert windows ("5 min", "1 h"),
//! burn rates ("14.4×") and one alert rule's row.

use scalesim::sim::snapshot::BurnAlertView;

/// An alert window in words: "5 min", "1 h", "3 d" [s].
pub fn window_words(s: f64) -> String {
    if s >= 86_400.0 && s % 86_400.0 == 0.0 {
        format!("{} d", s / 86_400.0)
    } else if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s >= 60.0 {
        format!("{} min", (s / 60.0).round())
    } else {
        format!("{s:.0} s")
    }
}

/// A burn rate with its unit: "0.00×", "3.20×", "14.4×", "720×" [×].
pub fn burn_words(b: f64) -> String {
    if !b.is_finite() {
        "\u{221e}\u{d7}".into()
    } else if b < 10.0 {
        format!("{b:.2}\u{d7}")
    } else if b < 100.0 {
        format!("{b:.1}\u{d7}")
    } else {
        format!("{b:.0}\u{d7}")
    }
}

/// The cells of one alert row: (alert, long window, short window, threshold, state).
pub fn burn_row(a: &BurnAlertView) -> [String; 5] {
    let over = |b: f64| if b > a.threshold { " \u{2191}" } else { "" };
    [
        if a.page {
            "Page".into()
        } else {
            "Ticket".into()
        },
        format!(
            "{}: {}{}",
            window_words(a.long_window_s),
            burn_words(a.long_burn_rate),
            over(a.long_burn_rate)
        ),
        format!(
            "{}: {}{}",
            window_words(a.short_window_s),
            burn_words(a.short_burn_rate),
            over(a.short_burn_rate)
        ),
        format!("both above {}", burn_words(a.threshold)),
        if a.firing {
            "FIRING".into()
        } else {
            "quiet".into()
        },
    ]
}
