//! Number formatting shared by the panels.

/// `x` rounded to a whole number with thousands separators: 12345.6 → "12,346".
pub fn grouped(x: f64) -> String {
    if !x.is_finite() {
        return "\u{2013}".into();
    }
    let n = x.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
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

/// A duration in the largest sensible unit: "45 s", "12 min", "3.5 h", "2.1 days".
pub fn duration_words(s: f64) -> String {
    if !s.is_finite() {
        "forever".into()
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 5400.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 172_800.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86_400.0)
    }
}
