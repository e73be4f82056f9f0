//! serde's refusals in the words of the file a person wrote: "invalid type:
//! string \"2h\", expected f64" becomes "is the text \"2h\"; expected a number
//! from 1 to 34,560,000 s". The Rust type names (`f64`, `i32`, `usize`) say what
//! a program holds, not what a file may write.

/// `message` (a serde error's text, without its location) reworded: the value
/// found and what is accepted, with the field's `range` ("from 1 to 60 s") when
/// it has one. A missing field says it is required. Other messages are kept.
pub fn plain(message: &str, range: Option<&str>) -> String {
    let message = message.trim_end();
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
        return format!("{}{}", &message[..at], plain(&message[at..], range));
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, want)) = rest.split_once(", expected a tuple of size ") {
            return format!("has {n} value(s); expected a list of {want}, such as [60, 300]");
        }
        if let Some((n, want)) = rest.split_once(", expected ") {
            return format!("has {n} value(s); expected {want}");
        }
    }
    if message.starts_with("number too large to fit in target type") {
        return match range {
            Some(r) => format!("is too large; expected a whole number {r}"),
            None => "is too large for a whole number".to_string(),
        };
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
            .strip_prefix("floating point `")
            .and_then(|f| f.trim_end_matches('`').parse::<f64>().ok())
            .filter(|v| v.fract() == 0.0)
        {
            let whole_words = super::ranges::value_words(v);
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
    use super::plain;

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
                Some("from 0 to 2^64 − 1")
            ),
            "is too large; expected a whole number from 0 to 2^64 − 1"
        );
    }
}
