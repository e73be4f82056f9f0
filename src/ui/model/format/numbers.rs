//! Number formatting shared by the panels.

/// `x` rounded to a whole number with thousands separators: 12345.6 → "12,346".
pub fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2013}".into();
    }
    let n = x.round() as i64;
    let out = scalesim::figures::group_thousands(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Dollars with cents below 100, whole dollars above: "$4.20", "$1,234".
pub fn money(usd: f64) -> String {
    if usd.abs() < 100.0 {
        format!("${usd:.2}")
    } else {
        format!("${}", grouped(usd))
    }
}

/// A duration in the largest sensible unit ("45 s", "12.5 min", "3.5 h"), the
/// wording the event log uses.
pub use scalesim::figures::duration_words;

/// `x` without trailing zeros after `decimals` decimals: (2.50, 2) → "2.5", (3.0, 1) → "3".
fn trimmed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// An axis tick in at most four characters and a suffix: 0.25, 7.5, 450,
/// 1.5k, 12k, 3M, 2.1G. Short enough that a chart's label area never clips it.
pub fn compact(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2013}".into();
    }
    let a = x.abs();
    let sign = if x < 0.0 { "-" } else { "" };
    let (v, suffix) = if a >= 999.5e6 {
        (a / 1e9, "G")
    } else if a >= 999.5e3 {
        (a / 1e6, "M")
    } else if a >= 999.5 {
        (a / 1e3, "k")
    } else {
        (a, "")
    };
    let digits = if suffix.is_empty() {
        if v >= 10.0 {
            0
        } else if v >= 1.0 {
            1
        } else {
            2
        }
    } else if v >= 10.0 {
        0
    } else {
        1
    };
    let text = trimmed(v, digits);
    if text == "0" {
        return "0".into();
    }
    format!("{sign}{text}{suffix}")
}

/// A live figure with its unit: "33 %", "1,234 req/s", "2.5 pods", "$4.20/h".
/// Whole numbers from 10 up, one decimal below.
pub fn with_unit(x: f64, unit: &str) -> String {
    if !x.is_finite() {
        return format!("\u{2013} {unit}");
    }
    if unit == "$/h" {
        return format!("{}/h", money(x));
    }
    let n = if x.abs() >= 10.0 || x == 0.0 {
        grouped(x)
    } else {
        trimmed(x, 1)
    };
    match unit {
        "" => n,
        "\u{d7}" => format!("{n}\u{d7}"),
        _ => format!("{n} {unit}"),
    }
}

/// A chart line's latest value in words: a breaker's level (0 closed, 0.5 half-open,
/// 1 open) as its state, any other series as [`with_unit`] of `unit`.
pub fn line_figure(series: scalesim::sim::series::Series, v: f64, unit: &str) -> String {
    use scalesim::sim::series::Series as S;
    let breaker = matches!(
        series,
        S::BreakerState
            | S::DbBreakerState
            | S::ExternalBreakerState
            | S::CacheBreakerState
            | S::ConsumerBreakerState
    );
    if !breaker {
        return with_unit(v, unit);
    }
    match v {
        x if x >= 1.0 => "open",
        x if x > 0.0 => "half-open",
        _ => "closed",
    }
    .to_string()
}
