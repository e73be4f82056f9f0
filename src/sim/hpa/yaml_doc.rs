//! A manifest's text (YAML 1.2, so JSON too) as a `serde_json::Value` tree.
//!
//! ```text
//!   text ──yaml-rust2──▶ Yaml tree ──▶ serde_json::Value ──serde_json (pretty) ──▶ HpaSpec
//! ```
//!
//! The typed step goes through serde_json, which the web app already carries for
//! replay links, so the browser and the CLI share one path and the wasm does not
//! hold a second serde back end (measured: 25 KB of gzipped wasm less than
//! serde_yaml_ng, whose libyaml port is most of the difference).

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// Why the text is not YAML. `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlSyntaxError {
    /// What is wrong.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

/// One non-empty document of a YAML stream (`---`-separated, as `kubectl apply -f` and
/// `helm template` write them).
#[derive(Clone, Debug, PartialEq)]
pub struct YamlDocument {
    /// The document's tree.
    pub value: Value,
    /// The document's own lines, the `---` marker blanked, so that a line in it plus
    /// `first_line − 1` is a line of the whole text.
    pub text: String,
    /// 1-based line of the whole text where `text` starts.
    pub first_line: usize,
}

/// Parses `text` as one YAML document. An empty text is `Value::Null`; several documents are
/// refused (see [`parse_yaml_documents`] for a stream).
// Inline: compiled in the calling crate, so the web build optimizes this
// cold code for size there (web/Cargo.toml); the engine keeps "s".
#[inline]
pub fn parse_yaml_document(text: &str) -> Result<Value, YamlSyntaxError> {
    let mut docs = parse_yaml_documents(text)?;
    if docs.len() > 1 {
        return Err(YamlSyntaxError {
            message: format!(
                "the text holds {} YAML documents (separated by ---); give one",
                docs.len()
            ),
            line: Some(docs[1].first_line),
        });
    }
    Ok(docs.pop().map_or(Value::Null, |d| d.value))
}

/// Parses a YAML stream: the documents between `---` lines (and `...` ends), skipping empty
/// ones as kubectl does. A UTF-8 byte-order mark and CRLF line ends are accepted. A document
/// that does not parse and holds a template placeholder (`{{ … }}`) is refused as an
/// unrendered template, with the placeholder's line.
pub fn parse_yaml_documents(text: &str) -> Result<Vec<YamlDocument>, YamlSyntaxError> {
    let mut docs = Vec::new();
    for (first_line, chunk) in split_documents(text) {
        let parsed = YamlLoader::load_from_str(&chunk)
            .map_err(|e| YamlSyntaxError {
                message: e.info().to_string(),
                line: Some(e.marker().line().max(1) + first_line - 1),
            })
            .and_then(|d| d.into_iter().map(to_json).collect::<Result<Vec<_>, _>>());
        let values = match parsed {
            Ok(v) => v,
            Err(e) => {
                return Err(match template_placeholder(&chunk) {
                    Some((line, found)) => placeholder_error(line + first_line - 1, &found),
                    None => e,
                })
            }
        };
        for value in values.into_iter().filter(|v| !v.is_null()) {
            docs.push(YamlDocument {
                value,
                text: chunk.clone(),
                first_line,
            });
        }
    }
    Ok(docs)
}

/// The refusal of an unrendered template: the placeholder `found` at 1-based `line`.
pub fn placeholder_error(line: usize, found: &str) -> YamlSyntaxError {
    YamlSyntaxError {
        message: format!(
            "an unrendered Helm template: render the chart first (helm template RELEASE CHART) \
             and give its output; template placeholder {found} found"
        ),
        line: Some(line),
    }
}

/// The first template placeholder (`{{ … }}`) outside comments: (1-based line, the placeholder).
pub fn template_placeholder(text: &str) -> Option<(usize, String)> {
    text.lines().enumerate().find_map(|(i, l)| {
        if l.trim_start().starts_with('#') {
            return None;
        }
        let open = l.find("{{")?;
        let close = l[open..].find("}}")? + open + 2;
        Some((i + 1, l[open..close].to_string()))
    })
}

/// The documents of a stream: (1-based first line, text). A line starting with `---` (alone
/// or followed by a space) starts a document, `...` ends one; the marker itself is blanked so
/// that lines and columns stay where they were. Byte-order marks are dropped.
fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut current = String::new();
    let mut first_line = 1;
    let marker = |l: &str, m: &str| {
        l.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
    };
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_start_matches('\u{feff}');
        let starts = marker(line, "---");
        let ends = marker(line, "...");
        if starts || ends {
            out.push((first_line, std::mem::take(&mut current)));
            first_line = i + 1;
            current.push_str("   ");
            current.push_str(&line[3..]);
            continue;
        }
        // A directive (%YAML, %TAG) before a document's marker is not content.
        if line.starts_with('%') && current.trim().is_empty() {
            current.push('\n');
            continue;
        }
        current.push_str(line);
    }
    out.push((first_line, current));
    out
}

fn to_json(y: Yaml) -> Result<Value, YamlSyntaxError> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(text) => match y_real(&text) {
            Some(n) => Value::Number(n),
            None => {
                return Err(YamlSyntaxError {
                    message: format!("{text} is not a finite number"),
                    line: None,
                })
            }
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Array(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Hash(pairs) => {
            let mut map = Map::new();
            for (k, v) in pairs {
                map.insert(key_text(k)?, to_json(v)?);
            }
            Value::Object(map)
        }
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err(YamlSyntaxError {
                message: "YAML aliases and unreadable values are not supported in a manifest"
                    .into(),
                line: None,
            })
        }
    })
}

/// A YAML float ("1.5", "1e3", ".inf") as a JSON number; None when not finite.
fn y_real(text: &str) -> Option<Number> {
    Yaml::Real(text.to_string())
        .as_f64()
        .and_then(Number::from_f64)
}

fn key_text(k: Yaml) -> Result<String, YamlSyntaxError> {
    match k {
        Yaml::String(s) | Yaml::Real(s) => Ok(s),
        Yaml::Integer(i) => Ok(i.to_string()),
        Yaml::Boolean(b) => Ok(b.to_string()),
        Yaml::Null => Ok("null".into()),
        _ => Err(YamlSyntaxError {
            message: "a mapping key must be a plain value, not a list or a mapping".into(),
            line: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_give_the_same_tree() {
        let y = parse_yaml_document("a: 1\nb: [x, 2.5]\nc: {d: true, e: null}\n").unwrap();
        let j = parse_yaml_document(r#"{"a": 1, "b": ["x", 2.5], "c": {"d": true, "e": null}}"#)
            .unwrap();
        assert_eq!(y, j);
        assert_eq!(y["b"][1], Value::from(2.5));
    }

    #[test]
    fn quoted_numbers_stay_strings_and_empty_text_is_null() {
        let v = parse_yaml_document("q: \"500m\"\nn: '7'\n").unwrap();
        assert_eq!(v["q"], Value::from("500m"));
        assert_eq!(v["n"], Value::from("7"));
        assert_eq!(parse_yaml_document("").unwrap(), Value::Null);
        assert_eq!(
            parse_yaml_document("# only a comment\n").unwrap(),
            Value::Null
        );
    }

    #[test]
    fn a_syntax_error_gives_its_line_and_two_documents_are_refused() {
        let e = parse_yaml_document("a: 1\nb: [1,\nc: ]]\n").unwrap_err();
        assert!(e.line.is_some_and(|l| l >= 2), "{e:?}");
        let e = parse_yaml_document("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("2 YAML documents"), "{e:?}");
        assert!(parse_yaml_document("x: .inf\n").is_err());
    }

    #[test]
    fn a_stream_gives_its_non_empty_documents_with_their_first_lines() {
        let text =
            "\u{feff}---\n# c\n---\nkind: A\r\n---\n\n---   \n%YAML 1.2\n--- {kind: B}\n...\n";
        let docs = parse_yaml_documents(text).unwrap();
        let kinds: Vec<(&str, usize)> = docs
            .iter()
            .map(|d| (d.value["kind"].as_str().unwrap(), d.first_line))
            .collect();
        assert_eq!(kinds, vec![("A", 3), ("B", 9)]);
        assert_eq!(docs[0].text.lines().nth(1), Some("kind: A"));
        let e = parse_yaml_documents("a: 1\n---\nb: [1,\nc: ]]\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
    }

    #[test]
    fn an_unrendered_template_is_refused_with_the_placeholder_s_line() {
        let e =
            parse_yaml_documents("a: 1\n# {{ not this }}\n---\nname: {{ .name }}\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
        assert!(
            e.message.contains("{{ .name }}") && e.message.contains("helm template"),
            "{e:?}"
        );
        // A quoted placeholder parses; the caller checks the documents it uses.
        assert_eq!(
            template_placeholder("x: 1\ny: \"{{ .v }}\"\n"),
            Some((2, "{{ .v }}".into()))
        );
    }
}
