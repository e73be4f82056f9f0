//! Thousands separators, for every figure a person reads (the CLI's debrief,
//! the page's readouts): "1349665" → "1,349,665".

/// `digits` (the decimal digits of a whole number, no sign) with a comma
/// every three digits from the right.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn commas_every_three_digits_from_the_right() {
        assert_eq!(group_thousands("1349665"), "1,349,665");
        assert_eq!(group_thousands("100"), "100");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands(""), "");
    }
}
