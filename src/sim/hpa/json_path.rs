//! Which field a line of pretty-printed JSON belongs to.
//!
//! ```text
//!   {                          line 1
//!     "spec": {                line 2   spec
//!       "metrics": [           line 3   spec.metrics
//!         {                    line 4   spec.metrics[0]
//!           "type": "Pod"      line 5   spec.metrics[0].type   ◀ serde_json: error at line 5
//! ```
//!
//! A manifest is typed with `serde_json::from_str` on its pretty-printed tree:
//! the web app already carries that deserializer for the scenarios' `[hpa]`
//! table, so the page holds one copy of the HPA types' deserialization code
//! (serde_path_to_error would add a second one: 22 KB of gzipped wasm, measured).
//! serde_json reports the error's line; this module turns the line into the
//! field path the learner reads (`spec.metrics[0].type`).

/// One open object or array on the way down to a line.
enum Frame {
    /// An object, with the key last seen in it.
    Object(Option<String>),
    /// An array, with the index of the element last seen in it.
    Array(Option<usize>),
}

/// The field path (`a.b[2].c`) of line `line` (1-based) of `pretty`, text written
/// by `serde_json::to_string_pretty`. On a line that closes an object or an
/// array (where serde_json reports a missing field) it is the path of that
/// object or array. Empty at the top level.
pub fn path_at_line(pretty: &str, line: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    for (i, raw) in pretty.lines().enumerate() {
        let at_error = i + 1 == line;
        let l = raw.trim().trim_end_matches(',');
        if l.starts_with('}') || l.starts_with(']') {
            if at_error {
                return render(&stack, true);
            }
            stack.pop();
            continue;
        }
        let value = match key_of(l) {
            Some((key, rest)) => {
                if let Some(Frame::Object(k)) = stack.last_mut() {
                    *k = Some(key);
                }
                rest
            }
            None => {
                if let Some(Frame::Array(ix)) = stack.last_mut() {
                    *ix = Some(ix.map_or(0, |n| n + 1));
                }
                l
            }
        };
        if at_error {
            return render(&stack, false);
        }
        match value {
            "{" => stack.push(Frame::Object(None)),
            "[" => stack.push(Frame::Array(None)),
            _ => {}
        }
    }
    render(&stack, false)
}

/// `"key": rest` → (key, rest); None when the line does not start with a key.
fn key_of(l: &str) -> Option<(String, &str)> {
    let body = l.strip_prefix('"')?;
    let mut escaped = false;
    let end = body.char_indices().find_map(|(i, c)| match (escaped, c) {
        (true, _) => {
            escaped = false;
            None
        }
        (false, '\\') => {
            escaped = true;
            None
        }
        (false, '"') => Some(i),
        _ => None,
    })?;
    let rest = body[end + 1..].strip_prefix(": ")?;
    let key: String = serde_json::from_str(&l[..end + 2]).ok()?;
    Some((key, rest))
}

fn render(stack: &[Frame], closing: bool) -> String {
    let mut path = String::new();
    let last = stack.len().saturating_sub(1);
    for (i, frame) in stack.iter().enumerate() {
        // On a closing line, the innermost frame's last member is not the place.
        if closing && i == last {
            break;
        }
        match frame {
            Frame::Object(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Array(Some(n)) => path.push_str(&format!("[{n}]")),
            Frame::Object(None) | Frame::Array(None) => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(json: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        serde_json::to_string_pretty(&v).unwrap()
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn a_key_line_gives_the_path_through_objects_and_arrays() {
        let p = pretty(
            r#"{"spec": {"metrics": [{"type": "Resource"}, {"type": "Pod", "x": [1, [2, 3]]}]}}"#,
        );
        assert_eq!(
            path_at_line(&p, line_of(&p, "\"Pod\"")),
            "spec.metrics[1].type"
        );
        assert_eq!(
            path_at_line(&p, line_of(&p, "\"Resource\"")),
            "spec.metrics[0].type"
        );
        assert_eq!(
            path_at_line(&p, line_of(&p, "3")),
            "spec.metrics[1].x[1][1]"
        );
        assert_eq!(path_at_line(&p, 1), "");
    }

    #[test]
    fn a_closing_line_gives_the_path_of_the_object_it_closes() {
        let p = pretty(r#"{"spec": {"behavior": {"scaleUp": {"a": 1}}, "z": 2}}"#);
        // The line "}" after "a": 1 closes scaleUp.
        let a = line_of(&p, "\"a\": 1");
        assert_eq!(path_at_line(&p, a + 1), "spec.behavior.scaleUp");
        assert_eq!(path_at_line(&p, line_of(&p, "\"z\"")), "spec.z");
    }

    #[test]
    fn keys_with_quotes_and_colons_and_empty_containers_are_read_right() {
        let p = pretty(r#"{"a\": b": {"c": [], "d": {}, "e": "f: g"}}"#);
        assert_eq!(path_at_line(&p, line_of(&p, "\"e\"")), "a\": b.e");
        assert_eq!(path_at_line(&p, line_of(&p, "\"d\"")), "a\": b.d");
    }
}
