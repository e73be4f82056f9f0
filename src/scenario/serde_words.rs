//! serde's refusals in the words of the file a person wrote: "invalid type:
//! string \"2h\", expected f64" becomes "is the text \"2h\"; expected a number
//! from 1 to 34,560,000 s". The Rust type names (`f64`, `i32`, `usize`) say what
//! a program holds, not what a file may write.

/// `message` (a serde error's text, without its location) reworded: the value
/// found and what is accepted, with the field's `range` ("from 1 to 60 s") when
/// it has one. A missing field says it is required. Other messages are kept.
pub fn plain(message: &str, range: Option<&str>) -> String {
    plain_written(message, range, None)
}

/// The depth of inline tables and arrays inside each other at which the TOML reader
/// stops (`toml_edit`'s recursion limit, `RecursionCheck::LIMIT`): it takes 79. A
/// profile's `{ kind = …, parts = [ … ] }` is two levels, so 40 profiles nest.
pub const TOML_NESTING_LIMIT: usize = 80;

/// What a profile nested past [`TOML_NESTING_LIMIT`] is told besides the limit.
pub fn profile_nesting() -> String {
    format!(
        "a profile's `{{ kind = …, parts = [ … ] }}` is two levels, so at most {} profiles \
         nest; a traffic profile needs at most 3 levels: sum → product → parts",
        (TOML_NESTING_LIMIT - 1).div_ceil(2)
    )
}

/// The largest and smallest whole numbers TOML holds (its integers are signed 64-bit).
const TOML_INT_WORDS: (&str, &str) = ("9,223,372,036,854,775,807", "-9,223,372,036,854,775,808");

/// As [`plain`], with the value as the file writes it (`written`: `1e1`,
/// `18446744073709551615`) when the caller knows it, so that the refusal quotes it.
pub fn plain_written(message: &str, range: Option<&str>, written: Option<&str>) -> String {
    let message = message.trim_end();
    let written = written.map(str::trim).filter(|w| !w.is_empty());
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("{rest} is required and not written");
    }
    // A question is read whole and its message starts with the question
    // ("question x (order): invalid value: …"): the rest is reworded.
    if let Some(at) = ["invalid type: ", "invalid value: ", "invalid length "]
        .iter()
        .filter_map(|m| message.find(m))
        .min()
        .filter(|&at| at > 0)
    {
        return format!(
            "{}{}",
            &message[..at],
            plain_written(&message[at..], range, written)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, want)) = rest.split_once(", expected a tuple of size ") {
            return format!("has {n} value(s); expected a list of {want}, such as [60, 300]");
        }
        if let Some((n, want)) = rest.split_once(", expected ") {
            return format!("has {n} value(s); expected {want}");
        }
    }
    for (start, negative) in [
        ("number too large to fit in target type", false),
        ("number too small to fit in target type", true),
    ] {
        if message.starts_with(start) {
            return integer_overflow(negative, range, written);
        }
    }
    if message.starts_with("recursion limit exceeded") {
        return format!(
            "nests inline tables and arrays {TOML_NESTING_LIMIT} deep, past the TOML reader's \
             limit of {} inside each other",
            TOML_NESTING_LIMIT - 1
        );
    }
    let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.rsplit_once(", expected ") else {
        return message.to_string();
    };
    let whole = matches!(expected, "i8" | "i16" | "i32" | "i64" | "i128" | "isize");
    let count = matches!(expected, "u8" | "u16" | "u32" | "u64" | "u128" | "usize");
    let kind = if whole {
        "a whole number"
    } else if count {
        "a whole number, 0 or more"
    } else if matches!(expected, "f32" | "f64") {
        "a number"
    } else if expected == "a sequence" {
        "a list in brackets, such as [1, 2]"
    } else if expected.starts_with("struct ") || expected == "a map" {
        "a table of fields (a [header] or { key = value })"
    } else if expected == "a string" {
        "text in quotes"
    } else if expected == "a boolean" {
        "true or false"
    } else {
        expected
    };
    // 1000.0 where a whole number belongs: TOML reads it as a decimal.
    if whole || count {
        if let Some(v) = found
            .strip_prefix("floating point ")
            .and_then(|f| f.trim_matches(['`', '"']).parse::<f64>().ok())
            .filter(|v| v.fract() == 0.0)
        {
            let whole_words = super::ranges::value_words(v);
            // 1e1 is written without a point: quote it as written.
            if let Some(w) = written.filter(|w| w.contains(['e', 'E']) || !w.contains('.')) {
                return format!(
                    "is written {w}, a decimal number; write a whole number such as {}{}",
                    whole_words.replace(',', ""),
                    range.map_or(String::new(), |r| format!(", {r}"))
                );
            }
            return format!(
                "is written {v:.1}, with a decimal point; write a whole number ({}){}",
                whole_words.replace(',', ""),
                range.map_or(String::new(), |r| format!(", {r}"))
            );
        }
    }
    let accepted = match range {
        // The range says where counts start.
        Some(r) if whole || count => format!("a whole number {r}"),
        Some(r) if kind == "a number" => format!("{kind} {r}"),
        Some(_) | None => kind.to_string(),
    };
    format!("is {}; expected {accepted}", found_words(found))
}

/// A whole number past what TOML holds (its integers are signed 64-bit): what it is,
/// the limit, and what the field takes (`range`).
fn integer_overflow(negative: bool, range: Option<&str>, written: Option<&str>) -> String {
    let (side, limit) = if negative {
        ("less than TOML's smallest", TOML_INT_WORDS.1)
    } else {
        ("more than TOML's largest", TOML_INT_WORDS.0)
    };
    let is = match written {
        Some(w) => format!("is written {w}, "),
        None => "is ".to_string(),
    };
    let accepted = match range {
        Some(r) => format!("expected a whole number {r}"),
        None => format!(
            "expected a whole number from {} to {}",
            TOML_INT_WORDS.1, TOML_INT_WORDS.0
        ),
    };
    format!("{is}{side} whole number ({limit}: TOML integers are signed 64-bit); {accepted}")
}

/// What serde says it found, as the file wrote it: "string \"2h\"" → `the text "2h"`,
/// "floating point `50.5`" → `50.5`, "integer `-1`" → `-1`.
fn found_words(found: &str) -> String {
    let quoted = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else if let Some(s) = found
        .strip_prefix("floating point ")
        .or_else(|| found.strip_prefix("integer "))
        .or_else(|| found.strip_prefix("boolean "))
    {
        let written = quoted(s).trim_matches('"').to_string();
        // 1e308 and 1e-300, not their 300 digits.
        match written.parse::<f64>() {
            Ok(v) => super::ranges::value_words(v),
            Err(_) => written,
        }
    } else if found == "sequence" {
        "a list".to_string()
    } else if found == "map" {
        "a table".to_string()
    } else {
        found.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{plain, plain_written, profile_nesting};

    #[test]
    fn rust_type_names_become_what_a_file_may_write() {
        assert_eq!(
            plain(
                "invalid type: string \"2h\", expected f64",
                Some("from 1 to 34,560,000 s")
            ),
            "is the text \"2h\"; expected a number from 1 to 34,560,000 s"
        );
        assert_eq!(
            plain(
                "invalid type: floating point `1000000000.0`, expected i32",
                None
            ),
            "is written 1000000000.0, with a decimal point; write a whole number (1000000000)"
        );
        assert_eq!(
            plain("invalid value: integer `-1`, expected usize", None),
            "is -1; expected a whole number, 0 or more"
        );
        assert_eq!(
            plain("invalid type: floating point \"50.5\", expected i32", None),
            "is 50.5; expected a whole number"
        );
        assert_eq!(
            plain("missing field `title`", None),
            "`title` is required and not written"
        );
        assert_eq!(
            plain("invalid type: integer `3`, expected a string", Some("x")),
            "is 3; expected text in quotes"
        );
        assert_eq!(plain("unknown field `x`", None), "unknown field `x`");
        assert_eq!(
            plain("invalid type: floating point `1000.0`, expected u32", Some("from 1 to 1,024,000 millicores")),
            "is written 1000.0, with a decimal point; write a whole number (1000), from 1 to 1,024,000 millicores"
        );
        assert_eq!(
            plain(
                "question q (order): invalid value: integer `-4`, expected usize",
                None
            ),
            "question q (order): is -4; expected a whole number, 0 or more"
        );
        assert_eq!(
            plain("invalid length 1, expected a tuple of size 2", None),
            "has 1 value(s); expected a list of 2, such as [60, 300]"
        );
        assert_eq!(
            plain(
                "invalid value: integer `-3`, expected u32",
                Some("from 0 to 100,000 pods")
            ),
            "is -3; expected a whole number from 0 to 100,000 pods"
        );
        assert_eq!(
            plain(
                "number too large to fit in target type",
                Some("from 0 to 9,223,372,036,854,775,807")
            ),
            "is more than TOML's largest whole number (9,223,372,036,854,775,807: TOML integers \
             are signed 64-bit); expected a whole number from 0 to 9,223,372,036,854,775,807"
        );
        assert_eq!(
            plain_written(
                "number too large to fit in target type",
                Some("from 0 to 1,000 per request"),
                Some("99999999999999999999")
            ),
            "is written 99999999999999999999, more than TOML's largest whole number \
             (9,223,372,036,854,775,807: TOML integers are signed 64-bit); expected a whole \
             number from 0 to 1,000 per request"
        );
        assert_eq!(
            plain_written(
                "invalid type: floating point \"10.0\", expected i32",
                None,
                Some("1e1")
            ),
            "is written 1e1, a decimal number; write a whole number such as 10"
        );
        assert_eq!(
            plain("recursion limit exceeded", None),
            "nests inline tables and arrays 80 deep, past the TOML reader's limit of 79 inside \
             each other"
        );
        assert!(profile_nesting().contains("at most 40 profiles"));
    }
}
