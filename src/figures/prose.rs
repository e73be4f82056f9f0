//! Numbers and durations in prose, the one wording the event log, the CLI's
//! progress line and the page's panels share.

/// A number for prose: at most two decimals, no trailing zeros ("10", "2.5", "0.3").
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "\u{221e}".to_string();
    }
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A duration for prose [s]: "45 s", "10 min", "1.5 h", "3 days".
pub fn duration_words(s: f64) -> String {
    if !s.is_finite() {
        "ever".to_string()
    } else if s < 90.0 {
        format!("{} s", num(s.max(0.0).round()))
    } else if s < 5400.0 {
        format!("{} min", num((s / 60.0 * 10.0).round() / 10.0))
    } else if s < 172_800.0 {
        format!("{} h", num((s / 3600.0 * 10.0).round() / 10.0))
    } else {
        format!("{} days", num((s / 86_400.0 * 10.0).round() / 10.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_at_most_two_decimals_and_no_trailing_zeros() {
        assert_eq!(num(10.0), "10");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(0.333), "0.33");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::INFINITY), "\u{221e}");
    }

    #[test]
    fn durations_take_the_largest_sensible_unit() {
        assert_eq!(duration_words(45.0), "45 s");
        assert_eq!(duration_words(750.0), "12.5 min");
        assert_eq!(duration_words(3.0 * 3600.0), "3 h");
        assert_eq!(duration_words(2.1 * 86_400.0), "2.1 days");
        assert_eq!(duration_words(f64::INFINITY), "ever");
    }
}
