//! Where a field is in a scenario file: the line of the key a path names, in its own
//! table (`hpa.minReplicas` is the `[hpa]` table's, not `[kafka.hpa]`'s; the second
//! event's `at_s` is the second `[[events]]`'s), and the numbers TOML allows but a
//! scenario does not (`nan`, `inf`), found before anything is built from them.

use toml_edit::{ImDocument, Item, Table, Value};

/// A parsed file, kept for locating fields.
pub struct TomlLines<'a> {
    text: &'a str,
    doc: ImDocument<&'a str>,
}

/// A node of the document while a path is followed.
#[derive(Clone, Copy)]
enum Node<'d> {
    Item(&'d Item),
    Table(&'d Table),
    Value(&'d Value),
}

impl<'a> TomlLines<'a> {
    /// Parses `text`; `None` when it is not TOML (the caller reports serde's error).
    pub fn parse(text: &'a str) -> Option<Self> {
        ImDocument::parse(text)
            .ok()
            .map(|doc| TomlLines { text, doc })
    }

    /// The 1-based line of the field at `path` (`traffic.classes[1].share`): its key's
    /// line, or an array element's. A path into a table the file does not write (a
    /// default) gives the line of the nearest part of the path that is written;
    /// `None` when not even the first part is.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let (found, _, _) = self.follow(path);
        found.map(|s| line_at(self.text, s.start))
    }

    /// The byte range of the value written at exactly `path` (not a default):
    /// what a tool rewrites to change that one field.
    pub fn value_span(&self, path: &str) -> Option<std::ops::Range<usize>> {
        match self.follow(path) {
            (_, Node::Item(Item::Value(v)) | Node::Value(v), true) => v.span(),
            (_, Node::Item(_) | Node::Table(_) | Node::Value(_), _) => None,
        }
    }

    /// Follows `path`: the span of the last written part, the node reached, and
    /// whether the whole path is written.
    fn follow(&self, path: &str) -> (Option<std::ops::Range<usize>>, Node<'_>, bool) {
        let mut node = Node::Item(self.doc.as_item());
        let mut found: Option<std::ops::Range<usize>> = None;
        for segment in segments(path) {
            let next = match segment {
                Segment::Key(k) => key_value(node, k),
                Segment::Index(i) => element(node, i),
            };
            match next {
                Some((span, n)) => {
                    if span.is_some() {
                        found = span;
                    }
                    node = n;
                }
                None => return (found, node, false),
            }
        }
        (found, node, true)
    }

    /// The path of the narrowest value written around byte `at` (where a serde error
    /// points): `run.duration_s`, `events[1].action.zone`. `None` outside every value.
    pub fn path_at(&self, at: usize) -> Option<String> {
        let mut best: Option<(usize, String)> = None;
        walk(
            Node::Item(self.doc.as_item()),
            &mut String::new(),
            &mut |p, n| {
                if let Some(span) = span_of(n).filter(|s| s.contains(&at) && !p.is_empty()) {
                    let width = span.len();
                    if best.as_ref().is_none_or(|(w, _)| width <= *w) {
                        best = Some((width, p.to_string()));
                    }
                }
            },
        );
        best.map(|(_, p)| p)
    }

    /// The first path under `prefix` (`questions[1]`) whose key is `token` or whose
    /// value is the string or number `token`: where a serde message naming an
    /// unknown field or variant, or a value of the wrong type, of a nested table
    /// points ("unknown variant `median`", "floating point `1.5`"). For an unknown
    /// key, `expected` (the fields serde lists) picks the table it was written in:
    /// the one whose other keys are all expected (`rps` misplaced in a spike, not
    /// the constant's own `rps`).
    pub fn find_under(&self, prefix: &str, token: &str, expected: &[&str]) -> Option<String> {
        let mut by_key: Vec<String> = Vec::new();
        let mut by_value: Option<String> = None;
        walk(
            Node::Item(self.doc.as_item()),
            &mut String::new(),
            &mut |p, n| {
                let under = p
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
                if !under {
                    return;
                }
                let last = p.rsplit('.').next().unwrap_or(p).trim_matches('"');
                let number = token.parse::<f64>().ok();
                let is_value = match n {
                    Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                        Value::String(s) => s.value() == token,
                        Value::Integer(i) => number == Some(*i.value() as f64),
                        Value::Float(f) => number == Some(*f.value()),
                        Value::Boolean(_)
                        | Value::Datetime(_)
                        | Value::Array(_)
                        | Value::InlineTable(_) => false,
                    },
                    Node::Item(Item::None | Item::Table(_) | Item::ArrayOfTables(_))
                    | Node::Table(_) => false,
                };
                if last == token {
                    by_key.push(p.to_string());
                } else if is_value && by_value.is_none() {
                    by_value = Some(p.to_string());
                }
            },
        );
        // How well the table around `p` fits: none of its other keys unexpected
        // (else no fit), then the more expected keys beside it, the better.
        let fit = |p: &String| {
            let parent = p.rsplit_once('.').map_or("", |(head, _)| head);
            let keys = self.keys_at(parent);
            let others = keys.iter().filter(|k| *k != token && *k != "kind");
            let mut expected_beside = 0;
            for k in others {
                if !expected.contains(&k.as_str()) {
                    return None;
                }
                expected_beside += 1;
            }
            Some(expected_beside)
        };
        let key = if expected.is_empty() {
            by_key.first().cloned()
        } else {
            let mut best: Option<(usize, &String)> = None;
            for p in &by_key {
                if let Some(score) = fit(p) {
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, p));
                    }
                }
            }
            best.map(|(_, p)| p).or(by_key.first()).cloned()
        };
        key.or(by_value)
    }

    /// `path` with each `?` (a map key serde could not name, as in
    /// `consistency.classes.?.mode`) replaced by a key written there: the first
    /// whose table holds `token` (a key, or a value, see [`Self::find_under`]),
    /// or lacks the `missing` field, or else the first written. Unchanged when
    /// nothing written matches.
    pub fn name_map_keys(
        &self,
        path: &str,
        token: Option<&str>,
        missing: Option<&str>,
        expected: &[&str],
    ) -> String {
        let end = path.rfind('?').map_or(0, |i| i + 1);
        let (head, tail) = path.split_at(end);
        let want: Vec<&str> = head.split('.').collect();
        let mut written: Vec<String> = Vec::new();
        walk(
            Node::Item(self.doc.as_item()),
            &mut String::new(),
            &mut |p, _| {
                let got: Vec<&str> = p.split('.').collect();
                let fits = got.len() == want.len()
                    && got.iter().zip(&want).all(|(g, w)| *w == "?" || g == w);
                if fits {
                    written.push(p.to_string());
                }
            },
        );
        let holds = |entry: &String| match (token, missing) {
            (Some(t), _) => self.find_under(entry, t, expected).is_some(),
            (None, Some(name)) => !self
                .keys_at(&format!("{entry}{tail}"))
                .iter()
                .any(|k| k == name),
            (None, None) => false,
        };
        match written.iter().find(|e| holds(e)).or(written.first()) {
            Some(entry) => format!("{entry}{tail}"),
            None => path.to_string(),
        }
    }

    /// The keys written in the table at `path` (empty for anything else).
    fn keys_at(&self, path: &str) -> Vec<String> {
        let node = if path.is_empty() {
            Node::Item(self.doc.as_item())
        } else {
            match self.follow(path) {
                (_, node, true) => node,
                (_, _, false) => return Vec::new(),
            }
        };
        match node {
            Node::Item(Item::Table(t)) | Node::Table(t) => {
                t.iter().map(|(k, _)| k.to_string()).collect()
            }
            Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
                t.iter().map(|(k, _)| k.to_string()).collect()
            }
            Node::Item(Item::None | Item::ArrayOfTables(_) | Item::Value(_)) | Node::Value(_) => {
                Vec::new()
            }
        }
    }

    /// The first number the file writes as `nan`, `inf` or `-inf`: its path and line.
    pub fn first_non_finite(&self) -> Option<(String, usize, f64)> {
        let mut out = None;
        walk_non_finite(Node::Item(self.doc.as_item()), &mut String::new(), &mut out);
        out.map(|(path, span, v)| (path, line_at(self.text, span), v))
    }
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where byte `at` of a TOML text is, read from the text alone (for a file that does not
/// parse, as with an integer too large for TOML): the path of the key or value written
/// nearest before it, with every index (`run.seed` inside `run = { seed = … }`, the
/// second `[[traffic.classes]]`'s `traffic.classes[1].reads`, an array's
/// `parts[2]`), and the path of the statement it is in (the `key = …` of its table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextPlace {
    /// The innermost key or value that starts at or before the byte.
    pub path: String,
    /// The statement's own key, with its table (`traffic.profile` for any place
    /// inside `profile = { … }` under `[traffic]`).
    pub statement: String,
}

/// What the scanner of [`place_at`] reads next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Key,
    Value,
    After,
}

/// An inline table or an array being read, with its path (an array's next element's index).
enum Open {
    Table(String),
    Array(String, usize),
}

/// The place of byte `at` in `text` (see [`TextPlace`]); `None` before the first key.
/// Strings, comments, dotted and quoted keys, inline tables, arrays, `[table]` and
/// `[[array.of.tables]]` headers are followed; the index of an array of tables is the
/// number of its headers above.
pub fn place_at(text: &str, at: usize) -> Option<TextPlace> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut header = String::new();
    let mut tables_seen: Vec<(String, usize)> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut expect = Expect::Key;
    let mut key = String::new();
    let mut statement = String::new();
    let mut found: Option<TextPlace> = None;
    let join = |base: &str, k: &str| {
        if base.is_empty() {
            k.to_string()
        } else {
            format!("{base}.{k}")
        }
    };
    while i < b.len() && i <= at {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' => {
                if open.is_empty() {
                    expect = Expect::Key;
                }
                i += 1;
            }
            b'#' => i = line_end(b, i),
            b'[' if open.is_empty() && expect == Expect::Key => {
                let start = i;
                let double = b.get(i + 1) == Some(&b'[');
                i += if double { 2 } else { 1 };
                let (parts, end) = read_key(b, i);
                i = end;
                let plain = parts.join(".");
                if double {
                    match tables_seen.iter_mut().find(|(p, _)| *p == plain) {
                        Some((_, n)) => *n += 1,
                        None => tables_seen.push((plain.clone(), 1)),
                    }
                }
                // Each part that names an array of tables takes its latest element.
                let mut so_far = String::new();
                header.clear();
                for part in &parts {
                    so_far = join(&so_far, part);
                    header = join(&header, &quoted(part));
                    if let Some((_, n)) = tables_seen.iter().find(|(p, _)| *p == so_far) {
                        header.push_str(&format!("[{}]", n - 1));
                    }
                }
                i = line_end(b, i);
                // A fault in the header itself (a table written twice) is the table's.
                if (start..i).contains(&at) {
                    found = Some(TextPlace {
                        path: header.clone(),
                        statement: header.clone(),
                    });
                }
            }
            _ if expect == Expect::Key && matches!(open.last(), None | Some(Open::Table(_))) => {
                if c == b'}' {
                    open.pop();
                    expect = Expect::After;
                    i += 1;
                    continue;
                }
                let base = match open.last() {
                    Some(Open::Table(p)) => p.clone(),
                    _ => header.clone(),
                };
                let (parts, end) = read_key(b, i);
                if parts.is_empty() {
                    return found;
                }
                key = parts.iter().fold(base, |p, k| join(&p, &quoted(k)));
                if open.is_empty() {
                    statement = key.clone();
                }
                found = Some(TextPlace {
                    path: key.clone(),
                    statement: statement.clone(),
                });
                i = end;
                while i < b.len() && matches!(b[i], b' ' | b'\t') {
                    i += 1;
                }
                if b.get(i) == Some(&b'=') {
                    i += 1;
                }
                expect = Expect::Value;
            }
            _ if expect == Expect::Value || matches!(open.last(), Some(Open::Array(..))) => {
                if let Some(Open::Array(p, n)) = open.last_mut() {
                    match (expect, c) {
                        (_, b']') => {
                            open.pop();
                            expect = Expect::After;
                            i += 1;
                            continue;
                        }
                        (Expect::After, b',') => {
                            *n += 1;
                            expect = Expect::Value;
                            i += 1;
                            continue;
                        }
                        (Expect::After, _) => {
                            i += 1;
                            continue;
                        }
                        (Expect::Value | Expect::Key, _) => key = format!("{p}[{n}]"),
                    }
                }
                found = Some(TextPlace {
                    path: key.clone(),
                    statement: statement.clone(),
                });
                match c {
                    b'{' => {
                        open.push(Open::Table(key.clone()));
                        expect = Expect::Key;
                        i += 1;
                    }
                    b'[' => {
                        open.push(Open::Array(key.clone(), 0));
                        expect = Expect::Value;
                        i += 1;
                    }
                    _ => {
                        i = scalar_end(b, i);
                        expect = Expect::After;
                    }
                }
            }
            _ => {
                // After a value: a separator or the end of an inline table.
                match (open.last(), c) {
                    (Some(Open::Table(_)), b',') => expect = Expect::Key,
                    (Some(Open::Table(_)), b'}') => {
                        open.pop();
                        expect = Expect::After;
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }
    found
}

/// A key part as a path writes it: quoted when it holds `.`, `[` or `"`.
fn quoted(k: &str) -> String {
    if k.contains(['.', '[', '"']) {
        format!("\"{k}\"")
    } else {
        k.to_string()
    }
}

/// The offset of the end of the line holding byte `i` (its `\n`, or the text's end).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |n| i + n)
}

/// Reads a (dotted, maybe quoted) key from `i`: its parts and the offset after it.
fn read_key(b: &[u8], mut i: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        match b.get(i) {
            Some(b'"' | b'\'') => {
                let end = string_end(b, i);
                let inner = &b[i + 1..end.saturating_sub(1).max(i + 1)];
                parts.push(String::from_utf8_lossy(inner).into_owned());
                i = end;
            }
            Some(c) if c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-')
                {
                    i += 1;
                }
                parts.push(String::from_utf8_lossy(&b[start..i]).into_owned());
            }
            _ => return (parts, i),
        }
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
        } else {
            return (parts, i);
        }
    }
}

/// The offset after the string starting at `i` (basic or literal, one line or three quotes).
fn string_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = b.get(i..i + 3) == Some(&[q, q, q][..]);
    let mut j = i + if triple { 3 } else { 1 };
    while j < b.len() {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if !triple && b[j] == b'\n' {
            return j;
        }
        if b[j] == q && (!triple || b.get(j..j + 3) == Some(&[q, q, q][..])) {
            // A closing triple quote may carry up to two more quotes of the content.
            let mut end = j + if triple { 3 } else { 1 };
            while triple && b.get(end) == Some(&q) && end < j + 5 {
                end += 1;
            }
            return end;
        }
        j += 1;
    }
    b.len()
}

/// The offset after the scalar value starting at `i`: a string, or the text up to a
/// separator, a bracket, a comment or the line's end.
fn scalar_end(b: &[u8], i: usize) -> usize {
    if matches!(b[i], b'"' | b'\'') {
        return string_end(b, i);
    }
    let mut j = i;
    while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b'#' | b'\n' | b'\r') {
        j += 1;
    }
    j.max(i + 1)
}

enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

/// `a.b[2].c` → Key(a), Key(b), Index(2), Key(c); a quoted part is one key, dots
/// and all (`knobs."hpa.maxReplicas"` → Key(knobs), Key(hpa.maxReplicas)).
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            out.push(Segment::Key(&quoted[..end]));
            rest = quoted.get(end + 1..).unwrap_or("");
        } else if let Some(index) = rest.strip_prefix('[') {
            let end = index.find(']').unwrap_or(index.len());
            if let Ok(i) = index[..end].parse() {
                out.push(Segment::Index(i));
            }
            rest = index.get(end + 1..).unwrap_or("");
        } else if let Some(next) = rest.strip_prefix('.') {
            rest = next;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Segment::Key(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

type Step<'d> = (Option<std::ops::Range<usize>>, Node<'d>);

fn key_value<'d>(node: Node<'d>, key: &str) -> Option<Step<'d>> {
    let (k, item) = match node {
        Node::Item(Item::Table(t)) | Node::Table(t) => t.get_key_value(key)?,
        Node::Item(Item::Value(Value::InlineTable(t))) | Node::Value(Value::InlineTable(t)) => {
            t.get_key_value(key)?
        }
        Node::Item(Item::None | Item::ArrayOfTables(_) | Item::Value(_)) | Node::Value(_) => {
            return None
        }
    };
    Some((k.span().or_else(|| item.span()), Node::Item(item)))
}

fn element<'d>(node: Node<'d>, i: usize) -> Option<Step<'d>> {
    match node {
        Node::Item(Item::ArrayOfTables(a)) => {
            let t = a.get(i)?;
            Some((t.span(), Node::Table(t)))
        }
        Node::Item(Item::Value(Value::Array(a))) | Node::Value(Value::Array(a)) => {
            let v = a.get(i)?;
            Some((v.span(), Node::Value(v)))
        }
        Node::Item(Item::None | Item::Table(_) | Item::Value(_))
        | Node::Table(_)
        | Node::Value(_) => None,
    }
}

/// Visits every node under `node` with its path (parents before children).
fn walk<'d>(node: Node<'d>, path: &mut String, visit: &mut impl FnMut(&str, Node<'d>)) {
    visit(path, node);
    let len = path.len();
    let push_key = |path: &mut String, k: &str| {
        if !path.is_empty() {
            path.push('.');
        }
        if k.contains(['.', '[', '"']) {
            path.push_str(&format!("\"{k}\""));
        } else {
            path.push_str(k);
        }
    };
    match node {
        Node::Item(Item::Table(t)) | Node::Table(t) => {
            for (k, item) in t.iter() {
                push_key(path, k);
                walk(Node::Item(item), path, visit);
                path.truncate(len);
            }
        }
        Node::Item(Item::ArrayOfTables(a)) => {
            for (i, t) in a.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                walk(Node::Table(t), path, visit);
                path.truncate(len);
            }
        }
        Node::Item(Item::Value(v)) | Node::Value(v) => match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push_str(&format!("[{i}]"));
                    walk(Node::Value(x), path, visit);
                    path.truncate(len);
                }
            }
            Value::InlineTable(t) => {
                for (k, x) in t.iter() {
                    push_key(path, k);
                    walk(Node::Value(x), path, visit);
                    path.truncate(len);
                }
            }
            Value::Float(_)
            | Value::String(_)
            | Value::Integer(_)
            | Value::Boolean(_)
            | Value::Datetime(_) => {}
        },
        Node::Item(Item::None) => {}
    }
}

/// The span a node was read from, if the parser kept one.
fn span_of(node: Node<'_>) -> Option<std::ops::Range<usize>> {
    match node {
        Node::Item(Item::Value(v)) | Node::Value(v) => v.span(),
        Node::Item(Item::Table(t)) | Node::Table(t) => t.span(),
        Node::Item(Item::ArrayOfTables(a)) => a.span(),
        Node::Item(Item::None) => None,
    }
}

fn walk_non_finite(node: Node<'_>, path: &mut String, out: &mut Option<(String, usize, f64)>) {
    walk(node, path, &mut |p, n| {
        if let (None, Node::Item(Item::Value(Value::Float(f))) | Node::Value(Value::Float(f))) =
            (&out, n)
        {
            let x = *f.value();
            if !x.is_finite() {
                *out = Some((p.to_string(), f.span().map_or(0, |s| s.start), x));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title = \"x\"\n\
[kafka.hpa]\n\
minReplicas = 1\n\
[hpa]\n\
minReplicas = 0\n\
[[events]]\n\
at_s = 1.0\n\
[[events]]\n\
at_s = 2.0\n\
action = { kind = \"spike\", multiplier = inf }\n\
[traffic]\n\
profile = { kind = \"product\", parts = [\n\
  { kind = \"constant\", rps = 1.0 },\n\
  { kind = \"spike\", multiplier = 2.0 },\n\
] }\n";

    #[test]
    fn a_path_finds_the_key_in_its_own_table() {
        let t = TomlLines::parse(TEXT).unwrap();
        assert_eq!(t.line_of("hpa.minReplicas"), Some(5));
        assert_eq!(t.line_of("kafka.hpa.minReplicas"), Some(3));
        assert_eq!(t.line_of("events[1].at_s"), Some(9));
        assert_eq!(t.line_of("events[1].action.multiplier"), Some(10));
        assert_eq!(t.line_of("traffic.profile.parts[1].multiplier"), Some(14));
        // A default inside a written table: the nearest written part.
        assert_eq!(t.line_of("hpa.maxReplicas"), Some(4));
        assert_eq!(t.line_of("cache.keys"), None);
        let span = t.value_span("events[1].action.multiplier").unwrap();
        assert_eq!(&TEXT[span], "inf");
        assert_eq!(t.value_span("hpa.maxReplicas"), None);
    }

    #[test]
    fn nan_and_inf_are_found_with_their_path_and_line() {
        let t = TomlLines::parse(TEXT).unwrap();
        let (path, line, v) = t.first_non_finite().unwrap();
        assert_eq!(path, "events[1].action.multiplier");
        assert_eq!(line, 10);
        assert!(v.is_infinite());
    }

    #[test]
    fn a_place_in_a_file_that_does_not_parse_has_its_full_path() {
        let place = |text: &str, needle: &str| {
            let at = text.find(needle).unwrap();
            let p = place_at(text, at).unwrap();
            (p.path, p.statement)
        };
        let text = "title = \"x\"\n[run]\nseed = 99999999999999999999\n";
        assert_eq!(place(text, "999"), ("run.seed".into(), "run.seed".into()));
        let text = "run = { tick_s = 1.0, seed = 18446744073709551615 }\n";
        assert_eq!(place(text, "1844"), ("run.seed".into(), "run".into()));
        let text = "[[traffic.classes]]\nname = \"a\"\n[[traffic.classes]]\n# reads = 1\nname = \"b, ]}\"\nreads = 99999999999999999999\n";
        assert_eq!(place(text, "999").0, "traffic.classes[1].reads");
        let text = "[[events]]\nat_s = 1\n[[events]]\nat_s = 2\n[events.action]\nkind = \"x\"\npod = 99999999999999999999\n";
        assert_eq!(place(text, "999").0, "events[1].action.pod");
        let text = "[traffic]\nprofile = { kind = \"sum\", parts = [\n  { kind = \"constant\", rps = 1 },\n  { kind = \"x\", \"a.b\" = [1, 2, 99999999999999999999] },\n] }\n";
        assert_eq!(
            place(text, "999"),
            (
                "traffic.profile.parts[1].\"a.b\"[2]".into(),
                "traffic.profile".into()
            )
        );
    }

    #[test]
    fn a_quoted_key_is_one_part_dots_and_all() {
        let text = "[plan]\nknobs = { \"hpa.maxReplicas\" = 200 }\nactions = [\n  { at_s = 1 },\n  { at_s = 2 },\n]\n";
        let t = TomlLines::parse(text).unwrap();
        assert_eq!(t.line_of("\"plan\".knobs.\"hpa.maxReplicas\""), Some(2));
        assert_eq!(t.line_of("plan.actions[1].at_s"), Some(5));
        assert_eq!(
            &text[t.value_span("plan.knobs.\"hpa.maxReplicas\"").unwrap()],
            "200"
        );
    }
}
