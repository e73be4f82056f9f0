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
    } else {
        expected
    };
    let accepted = match range {
        Some(r) if whole || count || kind == "a number" => format!("{kind} {r}"),
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
        quoted(s).trim_matches('"').to_string()
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
            "is 1000000000.0; expected a whole number"
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
            "is 3; expected a string"
        );
        assert_eq!(plain("unknown field `x`", None), "unknown field `x`");
    }
}
