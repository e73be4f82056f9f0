//! Numbers rounded to significant digits, so a figure shows the digits it
//! has and not the noise of binary arithmetic (0.1 + 0.2 is
//! 0.30000000000000004; 6333 − 1e-12 prints 6332.999999999998): the CLI's
//! `queue` figures and the numbers written to series.csv and events.jsonl.

/// Significant digits of a number written to a data file (series.csv,
/// events.jsonl): far more than any model input has, far fewer than the 17
/// that show a float's last-bit noise.
pub const DATA_DIGITS: usize = 10;

/// `v` rounded to `digits` significant digits (at least 1); `-0` is `0`;
/// non-finite values as they are.
pub fn round_sig(v: f64, digits: usize) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v + 0.0;
    }
    let d = digits.clamp(1, 17) - 1;
    // Decimal rounding of the shortest digits, read back: exact, no
    // multiplication by a power of ten that adds its own noise.
    format!("{v:.d$e}").parse::<f64>().unwrap_or(v) + 0.0
}

/// `v` for a data file: [`DATA_DIGITS`] significant digits in Rust's shortest
/// form ("6333", "0.576", "1e-7"); `NaN` and `inf` as Rust writes them.
pub fn data_number(v: f64) -> String {
    format!("{}", round_sig(v, DATA_DIGITS))
}

/// Every floating-point number in `value` rounded to [`DATA_DIGITS`]
/// significant digits (whole numbers written as integers stay as they are).
pub fn round_json_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(r) = n
                .as_f64()
                .and_then(|v| serde_json::Number::from_f64(round_sig(v, DATA_DIGITS)))
            {
                *n = r;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(round_json_numbers),
        Value::Object(fields) => fields.values_mut().for_each(round_json_numbers),
        Value::Number(_) | Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// `v` with at most `digits` significant digits and no trailing zeros, for a
/// person: plain and thousands-grouped from 0.0001 up to a billion
/// ("1,234.5", "0.0025"), e-notation outside ("4.5036e18", "2e-16").
pub fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let r = round_sig(v, digits);
    if r == 0.0 {
        return "0".into();
    }
    let a = r.abs();
    if !(1e-4..1e9).contains(&a) {
        let d = digits.clamp(1, 17) - 1;
        let text = format!("{r:.d$e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = trim_zeros(mantissa);
        return format!("{mantissa}e{exp}");
    }
    // Decimals that keep `digits` significant digits, none past the last.
    let int_digits = a.log10().floor() as i32 + 1;
    let decimals = (digits as i32 - int_digits).max(0) as usize;
    group_decimal(&trim_zeros(&format!("{r:.decimals$}")))
}

/// `v` in a fixed style with `decimals` decimals ("500.0", "98.01"),
/// thousands grouped, below a billion ("999,999,998.00"); from a billion on, 6 significant
/// digits in e-notation ("1e15", "4.5036e18"), where more digits would be
/// more than a double holds or anyone reads.
pub fn fixed_or_sig(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    // Too large or too small for the fixed style (1e-6 ms would read 0.0):
    // significant digits instead.
    let smallest = 0.5 * 10f64.powi(-(decimals as i32));
    if v.abs() >= 1e9 || (v != 0.0 && v.abs() < smallest) {
        return significant(v, 6);
    }
    group_decimal(&format!("{:.decimals$}", v + 0.0))
}

/// "1.500" → "1.5", "2.000" → "2"; text without a point unchanged.
fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

/// Thousands grouped in the whole part of a plain decimal ("-1234.5" → "-1,234.5");
/// zero has no sign ("-0.00" → "0.00").
pub fn group_decimal(text: &str) -> String {
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
    // "-0.0" is zero: no sign.
    let sign = if digits.bytes().all(|b| b == b'0' || b == b'.') {
        ""
    } else {
        sign
    };
    match digits.split_once('.') {
        Some((int, frac)) => format!("{sign}{}.{frac}", super::group_thousands(int)),
        None => format!("{sign}{}", super::group_thousands(digits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_significant_digits_drops_float_noise() {
        assert_eq!(round_sig(6332.999999999998, 10), 6333.0);
        assert_eq!(round_sig(0.5760000000000001, 10), 0.576);
        assert_eq!(round_sig(38.265306122448976, 10), 38.26530612);
        assert_eq!(round_sig(-0.0, 10).to_string(), "0");
        assert!(round_sig(f64::NAN, 10).is_nan());
        assert_eq!(round_sig(1e-300, 10), 1e-300);
        assert_eq!(data_number(0.30000000000000004), "0.3");
        assert_eq!(data_number(3600.0), "3600");
        assert_eq!(data_number(1e21), "1000000000000000000000");
        assert_eq!(data_number(f64::INFINITY), "inf");
    }

    #[test]
    fn json_floats_are_rounded_and_integers_kept() {
        let mut v = serde_json::json!({"a": 0.1 + 0.2, "n": 7, "l": [6332.999999999998, "x"]});
        round_json_numbers(&mut v);
        assert_eq!(v.to_string(), r#"{"a":0.3,"l":[6333.0,"x"],"n":7}"#);
    }

    #[test]
    fn significant_figures_read_plain_or_in_e_notation() {
        assert_eq!(significant(1.0, 6), "1");
        assert_eq!(significant(0.10000000000000009, 6), "0.1");
        assert_eq!(significant(999_999_999.999, 12), "999,999,999.999");
        assert_eq!(significant(4_503_599_627_370_494_976.0, 6), "4.5036e18");
        assert_eq!(significant(2.220446049250313e-16, 6), "2.22045e-16");
        assert_eq!(significant(1234.5678, 6), "1,234.57");
        assert_eq!(significant(-0.0, 6), "0");
        assert_eq!(fixed_or_sig(500.0, 1), "500.0");
        assert_eq!(fixed_or_sig(98.01, 2), "98.01");
        assert_eq!(fixed_or_sig(999_999_998.0, 2), "999,999,998.00");
        assert_eq!(fixed_or_sig(9.99999999999e17, 1), "1e18");
        assert_eq!(fixed_or_sig(-0.0, 1), "0.0");
    }
}
