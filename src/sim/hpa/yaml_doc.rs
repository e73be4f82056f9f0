//! A manifest's text (YAML 1.2, so JSON too) as a `serde_json::Value` tree.
//!
//! ```text
//!   text ──yaml-rust2──▶ Yaml tree ──▶ serde_json::Value ──serde_json (pretty) ──▶ HpaSpec
//! ```
//!
//! The tree is built from yaml-rust2's parser events by an explicit stack (no recursion), so
//! every node has its line: a `.nan`, a complex key or an unreadable value is refused with it.
//! Aliases expand as they are met, counted against [`MAX_YAML_NODES`] (a "billion laughs" file
//! of a few hundred bytes is refused at the alias that crosses it), and nesting stops at
//! [`MAX_YAML_DEPTH`].
//!
//! The typed step goes through serde_json, which the web app already carries for
//! replay links, so the browser and the CLI share one path and the wasm does not
//! hold a second serde back end (measured: 25 KB of gzipped wasm less than
//! serde_yaml_ng, whose libyaml port is most of the difference).

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// Most YAML nodes (scalars, lists, mappings, keys included) one file may hold, each alias
/// counted as the nodes it expands to [nodes]. A `kubectl get hpa -A -o yaml` of a thousand
/// HPAs holds about 100,000; the tree of this many takes some tens of MB.
pub const MAX_YAML_NODES: usize = 200_000;
/// Deepest nesting of lists and mappings [levels]; an HPA object is about 8 deep.
pub const MAX_YAML_DEPTH: usize = 64;

/// Why the text is not YAML. `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlSyntaxError {
    /// What is wrong.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Path of the value refused (`spec.metrics[0].resource.target.averageUtilization`),
    /// empty when the text is not YAML at all.
    pub path: String,
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
    /// Every decimal number (a YAML float) as written, by its path (`spec.maxReplicas` →
    /// `1e1`): the tree holds 10.0, a refusal quotes what the file says.
    pub decimals: Vec<(String, String)>,
}

impl YamlDocument {
    /// The decimal number written at `path`, if the value there is one.
    pub fn decimal_at(&self, path: &str) -> Option<&str> {
        self.decimals
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
    }
}

/// Parses `text` as one YAML document. An empty text is `Value::Null`; several documents are
/// refused (see [`parse_yaml_documents`] for a stream).
pub fn parse_yaml_document(text: &str) -> Result<Value, YamlSyntaxError> {
    let mut docs = parse_yaml_documents(text)?;
    if docs.len() > 1 {
        return Err(YamlSyntaxError {
            message: format!(
                "the text holds {} YAML documents (separated by ---); give one",
                docs.len()
            ),
            line: Some(docs[1].first_line),
            path: String::new(),
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
    let mut budget = MAX_YAML_NODES;
    for (first_line, chunk) in split_documents(text) {
        let mut decimals = Vec::new();
        let values = match load_chunk(&chunk, &mut budget, &mut decimals) {
            Ok(v) => v,
            Err(mut e) => {
                if !e.fatal {
                    e.error = culprit(&chunk, e.error);
                }
                e.error.line = e.error.line.map(|l| l.max(1) + first_line - 1);
                return Err(match (e.fatal, template_placeholder(&chunk)) {
                    (false, Some((line, found))) => {
                        placeholder_error(line + first_line - 1, &found)
                    }
                    (true, _) | (false, None) => e.error,
                });
            }
        };
        for value in values.into_iter().filter(|v| !v.is_null()) {
            docs.push(YamlDocument {
                value,
                text: chunk.clone(),
                first_line,
                decimals: decimals.clone(),
            });
        }
    }
    Ok(docs)
}

/// The line a scanner error is about, where the scanner reports another: it finds a
/// tab or a missing `:` only when it reads the next line, so the line it names is the
/// one after (a missing colon) or before (a tab after a plain scalar) the culprit.
/// A tab in a line's indentation at or before the reported line is refused at its own
/// line; "expected ':'" names the nearest line above that has content but no colon.
fn culprit(chunk: &str, e: YamlSyntaxError) -> YamlSyntaxError {
    let Some(reported) = e.line else { return e };
    let lines: Vec<&str> = chunk.lines().collect();
    let tab = lines.iter().take(reported + 1).position(|l| {
        let indent = &l[..l.len() - l.trim_start_matches([' ', '\t']).len()];
        indent.contains('\t') && !l.trim().is_empty() && !l.trim_start().starts_with('#')
    });
    if let Some(i) = tab {
        return YamlSyntaxError {
            message: "a tab in the indentation: YAML indents with spaces only".into(),
            line: Some(i + 1),
            path: String::new(),
        };
    }
    if e.message.contains("expect ':'") || e.message.contains("expected ':'") {
        let no_colon = (0..reported.min(lines.len())).rev().find(|&i| {
            let t = lines[i].trim();
            let content = t.strip_prefix("- ").unwrap_or(t);
            !content.is_empty() && !t.starts_with('#') && !content.contains(':')
        });
        if let Some(i) = no_colon {
            return YamlSyntaxError {
                message: format!(
                    "`{}` has no `:`; a mapping entry is written `key: value`",
                    lines[i].trim()
                ),
                line: Some(i + 1),
                path: String::new(),
            };
        }
    }
    e
}

/// A refusal while loading one chunk; `fatal` ones (budget, depth) are not explained away as
/// an unrendered template.
struct LoadError {
    error: YamlSyntaxError,
    fatal: bool,
}

impl LoadError {
    fn at(mark: Marker, message: String) -> Self {
        LoadError {
            error: YamlSyntaxError {
                message,
                line: Some(mark.line()),
                path: String::new(),
            },
            fatal: false,
        }
    }

    /// The same refusal, about the value at the top of `stack`.
    fn inside(mut self, stack: &[Frame]) -> Self {
        self.error.path = path_of(stack);
        self
    }
}

/// The path of the value being read: each mapping's current key, each list's
/// next index (`spec.metrics[0].type`).
fn path_of(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Map { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Map { key: None, .. } => {}
            Frame::Seq { items, .. } => path.push_str(&format!("[{}]", items.len())),
        }
    }
    path
}

/// A list or mapping being built: its contents, anchor id (0 = none), nodes so far and line.
enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        nodes: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        anchor: usize,
        nodes: usize,
    },
}

/// Loads the documents of one chunk, spending `budget` nodes (see [`MAX_YAML_NODES`]);
/// every decimal number goes to `decimals` as written, with its path.
fn load_chunk(
    chunk: &str,
    budget: &mut usize,
    decimals: &mut Vec<(String, String)>,
) -> Result<Vec<Value>, LoadError> {
    let mut parser = Parser::new_from_str(chunk);
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    // Anchor id → (the anchored node, its node count).
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    loop {
        let (event, mark) = parser.next_token().map_err(|e| LoadError {
            error: YamlSyntaxError {
                message: e.info().to_string(),
                line: Some(e.marker().line()),
                path: String::new(),
            },
            fatal: false,
        })?;
        // The value this event completes, with its node count and anchor.
        let done: (Value, usize, usize) = match event {
            Event::StreamEnd => return Ok(docs),
            Event::Nothing | Event::StreamStart => continue,
            Event::DocumentStart => {
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => {
                docs.push(root.take().unwrap_or(Value::Null));
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if let Some(Frame::Map { key: None, .. }) = stack.last() {
                    return Err(LoadError::at(
                        mark,
                        "a mapping key must be a plain value, not a list or a mapping".into(),
                    )
                    .inside(&stack));
                }
                if stack.len() >= MAX_YAML_DEPTH {
                    let mut e = LoadError::at(
                        mark,
                        format!(
                            "nested more than {MAX_YAML_DEPTH} levels deep; a manifest is about 8"
                        ),
                    );
                    e.fatal = true;
                    return Err(e);
                }
                spend(budget, 1, mark)?;
                stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq {
                        items: Vec::new(),
                        anchor,
                        nodes: 1,
                    },
                    _ => Frame::Map {
                        map: Map::new(),
                        key: None,
                        anchor,
                        nodes: 1,
                    },
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    anchor,
                    nodes,
                }) => (Value::Array(items), nodes, anchor),
                Some(Frame::Map {
                    map, anchor, nodes, ..
                }) => (Value::Object(map), nodes, anchor),
                None => continue,
            },
            Event::Scalar(text, style, anchor, tag) => {
                spend(budget, 1, mark)?;
                let yaml = scalar(text, style, tag.as_ref());
                if let Some(Frame::Map { key: None, .. }) = stack.last() {
                    let text = key_text(yaml).map_err(|m| LoadError::at(mark, m).inside(&stack))?;
                    if let Some(Frame::Map { key, nodes, .. }) = stack.last_mut() {
                        *key = Some(text);
                        *nodes += 1;
                    }
                    continue;
                }
                if let Yaml::Real(text) = &yaml {
                    decimals.push((path_of(&stack), text.clone()));
                }
                (
                    scalar_json(yaml).map_err(|m| LoadError::at(mark, m).inside(&stack))?,
                    1,
                    anchor,
                )
            }
            Event::Alias(id) => {
                let Some((value, nodes)) = anchors.get(&id) else {
                    return Err(LoadError::at(
                        mark,
                        "an alias (*name) inside the node its anchor (&name) is on".into(),
                    ));
                };
                spend(budget, *nodes, mark)?;
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = stack.last_mut()
                {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".into(),
                        Value::Array(_) | Value::Object(_) => {
                            return Err(LoadError::at(
                                mark,
                                "a mapping key must be a plain value, not a list or a mapping"
                                    .into(),
                            ))
                        }
                    };
                    *key = Some(text);
                    continue;
                }
                (value.clone(), *nodes, 0)
            }
        };
        let (value, nodes, anchor) = done;
        if anchor > 0 {
            anchors.insert(anchor, (value.clone(), nodes));
        }
        if let Some(Frame::Map {
            map, key: Some(k), ..
        }) = stack.last()
        {
            if map.contains_key(k) {
                let mut e =
                    LoadError::at(mark, format!("the key `{k}` appears twice in this mapping"));
                e.error.path = path_of(&stack);
                return Err(e);
            }
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq {
                items, nodes: n, ..
            }) => {
                items.push(value);
                *n += nodes;
            }
            Some(Frame::Map {
                map, key, nodes: n, ..
            }) => {
                let k = key.take().unwrap_or_default();
                map.insert(k, value);
                *n += nodes;
            }
        }
    }
}

/// Takes `n` nodes from `budget`, or refuses the file at `mark`.
fn spend(budget: &mut usize, n: usize, mark: Marker) -> Result<(), LoadError> {
    match budget.checked_sub(n) {
        Some(left) => {
            *budget = left;
            Ok(())
        }
        None => {
            let mut e = LoadError::at(
                mark,
                format!(
                    "more than {MAX_YAML_NODES} YAML nodes with aliases expanded; \
                     a manifest holds a few hundred (aliases nested in aliases multiply)"
                ),
            );
            e.fatal = true;
            Err(e)
        }
    }
}

/// A scalar as YAML 1.2's core schema reads it (yaml-rust2's rules: quoted = string, plain
/// typed by its text or its `!!` tag).
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Yaml {
    if style != TScalarStyle::Plain {
        return Yaml::String(text);
    }
    let Some(tag) = tag else {
        return Yaml::from_str(&text);
    };
    if tag.handle != "tag:yaml.org,2002:" {
        return Yaml::String(text);
    }
    match tag.suffix.as_str() {
        "bool" => match text.as_str() {
            "true" | "True" | "TRUE" => Yaml::Boolean(true),
            "false" | "False" | "FALSE" => Yaml::Boolean(false),
            _ => Yaml::BadValue,
        },
        "int" => text.parse().map_or(Yaml::BadValue, Yaml::Integer),
        "float" => match Yaml::Real(text.clone()).as_f64() {
            Some(_) => Yaml::Real(text),
            None => Yaml::BadValue,
        },
        "null" => match text.as_str() {
            "~" | "null" => Yaml::Null,
            _ => Yaml::BadValue,
        },
        _ => Yaml::String(text),
    }
}

/// The refusal of an unrendered template: the placeholder `found` at 1-based `line`.
pub fn placeholder_error(line: usize, found: &str) -> YamlSyntaxError {
    YamlSyntaxError {
        message: format!(
            "an unrendered Helm template: render the chart first (helm template RELEASE CHART) \
             and give its output; template placeholder {found} found"
        ),
        line: Some(line),
        path: String::new(),
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

/// A scalar's JSON value; a message when it is not finite or not readable (the reader
/// of the tree says what the field takes: a whole number, a quantity).
fn scalar_json(y: Yaml) -> Result<Value, String> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(text) => match y_real(&text) {
            Some(n) => Value::Number(n),
            None => return Err(format!("`{text}` is not a finite number")),
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) | Yaml::BadValue => {
            return Err("a value that does not read as its tag says (e.g. !!int abc)".into())
        }
    })
}

/// A YAML float ("1.5", "1e3", ".inf") as a JSON number; None when not finite.
fn y_real(text: &str) -> Option<Number> {
    Yaml::Real(text.to_string())
        .as_f64()
        .and_then(Number::from_f64)
}

fn key_text(k: Yaml) -> Result<String, String> {
    match k {
        Yaml::String(s) | Yaml::Real(s) => Ok(s),
        Yaml::Integer(i) => Ok(i.to_string()),
        Yaml::Boolean(b) => Ok(b.to_string()),
        Yaml::Null => Ok("null".into()),
        Yaml::Array(_) | Yaml::Hash(_) | Yaml::Alias(_) | Yaml::BadValue => {
            Err("a mapping key must be a plain value, not a list or a mapping".into())
        }
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
    fn a_tab_or_a_missing_colon_is_refused_at_its_own_line() {
        let tab = "spec:\n  scaleTargetRef:\n    name: web\n\tminReplicas: 3\n  maxReplicas: 20\n";
        let e = parse_yaml_document(tab).unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
        assert!(e.message.contains("tab in the indentation"), "{e:?}");
        let colon = "spec:\n  minReplicas: 3\n  maxReplicas 20\n  metrics:\n  - type: Resource\n";
        let e = parse_yaml_document(colon).unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("`maxReplicas 20` has no `:`"), "{e:?}");
        // In a later document of a stream, the line counts from the top of the file.
        let e = parse_yaml_documents(&format!("a: 1\n---\n{colon}")).unwrap_err();
        assert_eq!(e.line, Some(5), "{e:?}");
        // A tab inside a value is not indentation.
        assert!(parse_yaml_document("a: \"x\ty\"\nb: 2\n").is_ok());
    }

    #[test]
    fn non_finite_numbers_complex_keys_and_bad_tags_give_their_lines() {
        let e = parse_yaml_document("a: 1\nb:\n  c: .nan\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("`.nan` is not a finite number"), "{e:?}");
        let e = parse_yaml_document("a: 1\nb: [1, -.inf]\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        let e = parse_yaml_document("a: 1\n? [x, y]\n: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        assert!(e.message.contains("mapping key"), "{e:?}");
        let e = parse_yaml_document("a: 1\n{x: 1}: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        let e = parse_yaml_document("a: 1\nb: !!int abc\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        let e = parse_yaml_document("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("`a` appears twice"), "{e:?}");
    }

    #[test]
    fn aliases_expand_within_a_node_budget_and_nesting_is_bounded() {
        let v = parse_yaml_document("x: &p {a: 1}\ny: *p\nz: [*p, *p]\n").unwrap();
        assert_eq!(v["z"][1]["a"], Value::from(1));
        let mut laughs = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (i, c) in "bcdefgh".chars().enumerate() {
            let p = (b'a' + i as u8) as char;
            let _ = std::fmt::Write::write_fmt(
                &mut laughs,
                format_args!("{c}: &{c} [{}]\n", vec![format!("*{p}"); 10].join(",")),
            );
        }
        let e = parse_yaml_document(&laughs).unwrap_err();
        assert!(e.message.contains("more than 200000 YAML nodes"), "{e:?}");
        assert_eq!(e.line, Some(6), "{e:?}"); // f: 11 + 111 + … + 111111 crosses it
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = parse_yaml_document(&deep).unwrap_err();
        assert_eq!(e.line, Some(1), "{e:?}");
        let e = parse_yaml_document("a: &a [*a]\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e:?}");
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
