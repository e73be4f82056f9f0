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

/// Why the text is not one YAML document. `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlSyntaxError {
    /// What is wrong.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

/// Parses `text` as one YAML document. An empty text is `Value::Null`.
// Inline: compiled in the calling crate, so the web build optimizes this
// cold code for size there (web/Cargo.toml); the engine keeps "s".
#[inline]
pub fn parse_yaml_document(text: &str) -> Result<Value, YamlSyntaxError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| YamlSyntaxError {
        message: e.info().to_string(),
        line: Some(e.marker().line().max(1)),
    })?;
    if docs.len() > 1 {
        return Err(YamlSyntaxError {
            message: format!(
                "the text holds {} YAML documents (separated by ---); paste one",
                docs.len()
            ),
            line: None,
        });
    }
    docs.into_iter().next().map_or(Ok(Value::Null), to_json)
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
}
