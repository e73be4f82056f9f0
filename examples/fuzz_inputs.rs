//! Fuzz target of the input boundary: mutates the built-in scenarios, the HPA manifests, the
//! load curves and the command-line flags the way the field cases of
//! `tests/fixtures/field-cases/inputs/` do, runs each case through the release `scalesim` binary
//! in a temporary folder under a wall-time budget and an address-space limit, and classifies
//! what happened.
//!
//! ```text
//! cargo build --release --bin scalesim
//! cargo run --release --example fuzz_inputs -- [--cases N] [--seed S] [--keep DIR]
//!     [--scalesim PATH] [--jobs J] [--budget-s T] [--mem-mib M] [--no-minimize]
//! ```
//!
//! A case is one base input (a scenario, a manifest with its load curve, or a command line)
//! with 1–3 mutations; case `i` of seed `S` is generated from its own ChaCha stream, so the
//! same seed gives the same cases whatever `--jobs` is. Outcomes: a clean run (exit 0 and
//! every number printed or written finite), a clean refusal (non-zero exit and a message that
//! says where: `FILE:LINE`, a flag, a CSV row, or the file for a whole-file problem), and the
//! bad ones: panic, crash (killed by a signal, e.g. SIGABRT on a failed allocation), hang
//! (over the budget), non-finite output, refusal without a location. Every bad case is kept
//! under `--keep` (default `target/fuzz-findings/`), grouped by outcome, with one minimised
//! example per group; the exit code is 1 when any case was bad.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Cases run when `--cases` is not given: about a minute on two shared cores.
const DEFAULT_CASES: usize = 3000;
/// Seed used when `--seed` is not given.
const DEFAULT_SEED: u64 = 12;
/// Most bytes of stdout or stderr kept per case (the rest is read and dropped).
const CAPTURE_LIMIT: usize = 8 << 20;
/// The scenario run length passed to `scalesim run`: short, so that a case takes milliseconds.
const RUN_DURATION: &str = "10m";

// ───────────────────────────── random choices ─────────────────────────────

/// The generator's random source: a ChaCha8 stream per case.
struct Gen(ChaCha8Rng);

impl Gen {
    /// The generator of case `index` for `seed`.
    fn for_case(seed: u64, index: u64) -> Gen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index);
        Gen(rng)
    }

    /// A whole number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// One value, with probability proportional to its weight.
    fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|x| x.1).sum();
        let mut r = self.below(total as usize) as u32;
        for &(x, w) in xs {
            if r < w {
                return x;
            }
            r -= w;
        }
        xs[xs.len() - 1].0
    }
}

// ───────────────────────────── inputs and cases ─────────────────────────────

/// What a case mutates first (the counts are reported per kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A built-in scenario file, run with `scalesim run`.
    Scenario,
    /// An HPA manifest, run with `scalesim hpa`.
    HpaManifest,
    /// A load curve, run with `scalesim hpa`.
    LoadCurve,
    /// The flags of `scalesim run`.
    RunFlags,
    /// The flags of `scalesim hpa`.
    HpaFlags,
    /// The arguments of `scalesim queue`.
    Queue,
}

impl Kind {
    /// Every kind, in report order.
    const ALL: [Kind; 6] = [
        Kind::Scenario,
        Kind::HpaManifest,
        Kind::LoadCurve,
        Kind::RunFlags,
        Kind::HpaFlags,
        Kind::Queue,
    ];

    /// Short name used in reports and folder names.
    fn name(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::HpaManifest => "hpa-manifest",
            Kind::LoadCurve => "load-curve",
            Kind::RunFlags => "run-flags",
            Kind::HpaFlags => "hpa-flags",
            Kind::Queue => "queue-args",
        }
    }
}

/// The real inputs that cases start from.
struct Corpus {
    /// Built-in scenarios: (name, text).
    scenarios: Vec<(String, Vec<u8>)>,
    /// HPA manifests with the load curve they go with: (manifest name, manifest, curve name, curve).
    manifests: Vec<(String, Vec<u8>, String, Vec<u8>)>,
}

impl Corpus {
    /// Reads `scenarios/*.toml` and `examples/hpa/*` under `root`, in name order.
    fn load(root: &Path) -> Result<Corpus, String> {
        let read = |p: PathBuf| std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()));
        let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
            .map_err(|e| format!("{}/scenarios: {e}", root.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        let mut scenarios = Vec::new();
        for p in names {
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            scenarios.push((stem, read(p)?));
        }
        let hpa = root.join("examples/hpa");
        let pairs = [
            ("seed001-hpa.yaml", "spike-10x.csv"),
            ("seed001-hpa-all-metrics.yaml", "seed001-all-metrics.csv"),
            ("legacy-hpa.yaml", "night-drop.csv"),
            ("seed001-hpa.yaml", "night-drop.csv"),
        ];
        let mut manifests = Vec::new();
        for (m, c) in pairs {
            manifests.push((
                m.to_string(),
                read(hpa.join(m))?,
                c.to_string(),
                read(hpa.join(c))?,
            ));
        }
        Ok(Corpus {
            scenarios,
            manifests,
        })
    }
}

/// One generated case: files to write into its folder and the `scalesim` arguments.
#[derive(Clone, Debug)]
struct Case {
    /// Index in the run (its ChaCha stream).
    index: usize,
    /// What it mutates first.
    kind: Kind,
    /// Files written into the case folder: (name, bytes).
    files: Vec<(String, Vec<u8>)>,
    /// Arguments after the program name.
    args: Vec<String>,
    /// What was done to the base input, in order.
    mutations: Vec<String>,
    /// The file that minimisation shrinks, if any.
    primary: Option<String>,
}

impl Case {
    /// The bytes of file `name`.
    fn file_mut(&mut self, name: &str) -> &mut Vec<u8> {
        &mut self
            .files
            .iter_mut()
            .find(|f| f.0 == name)
            .expect("case file")
            .1
    }

    /// The command as a shell line run from the case folder.
    fn command_line(&self) -> String {
        let mut s = String::from("scalesim");
        for a in &self.args {
            s.push(' ');
            s.push_str(&shell_quote(a));
        }
        s
    }
}

/// `a` quoted for a POSIX shell when it needs it.
fn shell_quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:+,".contains(c));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', r"'\''"))
    }
}

/// Most runs spent shrinking one example.
const MINIMIZE_RUNS: usize = 200;

/// Scenario file name inside a case folder.
const SCENARIO_FILE: &str = "case.toml";
/// Manifest file name inside a case folder.
const MANIFEST_FILE: &str = "hpa.yaml";
/// Load-curve file name inside a case folder.
const LOAD_FILE: &str = "load.csv";

/// Generates case `index` of `seed`.
fn generate(corpus: &Corpus, seed: u64, index: usize) -> Case {
    let mut g = Gen::for_case(seed, index as u64);
    let kind = g.weighted(&[
        (Kind::Scenario, 45),
        (Kind::HpaManifest, 20),
        (Kind::LoadCurve, 15),
        (Kind::RunFlags, 8),
        (Kind::HpaFlags, 8),
        (Kind::Queue, 4),
    ]);
    let n = 1 + g.below(3);
    let mut case = base_case(corpus, &mut g, kind, index);
    for i in 0..n {
        // After the first mutation, now and then one of another input of the same command.
        let target = if i > 0 && g.chance(0.15) {
            match kind {
                Kind::Scenario | Kind::RunFlags => Kind::RunFlags,
                Kind::HpaManifest | Kind::LoadCurve | Kind::HpaFlags => {
                    *g.pick(&[Kind::HpaManifest, Kind::LoadCurve, Kind::HpaFlags])
                }
                Kind::Queue => Kind::Queue,
            }
        } else {
            kind
        };
        let m = match target {
            Kind::Scenario => mutate_file(&mut g, case.file_mut(SCENARIO_FILE), Format::Toml),
            Kind::HpaManifest => mutate_file(&mut g, case.file_mut(MANIFEST_FILE), Format::Yaml),
            Kind::LoadCurve => mutate_file(&mut g, case.file_mut(LOAD_FILE), Format::Csv),
            Kind::RunFlags => mutate_run_flags(&mut g, &mut case.args),
            Kind::HpaFlags => mutate_hpa_flags(&mut g, &mut case.args),
            Kind::Queue => mutate_queue(&mut g, &mut case.args),
        };
        case.mutations.push(format!("{}: {m}", target.name()));
    }
    case
}

/// The unmutated case of `kind`: a random base input and its usual command line.
fn base_case(corpus: &Corpus, g: &mut Gen, kind: Kind, index: usize) -> Case {
    let run_args = |scenario: &str| -> Vec<String> {
        ["run", scenario, "--duration", RUN_DURATION, "--out", "out"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let hpa_args = || -> Vec<String> {
        ["hpa", "--hpa", MANIFEST_FILE, "--load", LOAD_FILE]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let mut case = Case {
        index,
        kind,
        files: Vec::new(),
        args: Vec::new(),
        mutations: Vec::new(),
        primary: None,
    };
    match kind {
        Kind::Scenario | Kind::RunFlags => {
            let (name, text) = g.pick(&corpus.scenarios);
            case.files.push((SCENARIO_FILE.into(), text.clone()));
            case.args = run_args(SCENARIO_FILE);
            case.mutations.push(format!("base: scenarios/{name}.toml"));
            if kind == Kind::Scenario {
                case.primary = Some(SCENARIO_FILE.into());
            }
        }
        Kind::HpaManifest | Kind::LoadCurve | Kind::HpaFlags => {
            let (m, mt, c, ct) = g.pick(&corpus.manifests);
            case.files.push((MANIFEST_FILE.into(), mt.clone()));
            case.files.push((LOAD_FILE.into(), ct.clone()));
            case.args = hpa_args();
            if g.chance(0.2) {
                case.args.push("--json".into());
            }
            case.mutations
                .push(format!("base: examples/hpa/{m} with examples/hpa/{c}"));
            case.primary = match kind {
                Kind::HpaManifest => Some(MANIFEST_FILE.into()),
                Kind::LoadCurve => Some(LOAD_FILE.into()),
                Kind::HpaFlags | Kind::Scenario | Kind::RunFlags | Kind::Queue => None,
            };
        }
        Kind::Queue => {
            case.args = vec!["queue".into(), "8".into(), "10".into()];
            case.mutations.push("base: queue 8 10".into());
        }
    }
    case
}

// ───────────────────────────── file mutations ─────────────────────────────

/// The syntax of a mutated file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// A scenario.
    Toml,
    /// An HPA manifest.
    Yaml,
    /// A load curve.
    Csv,
}

/// The type of a scalar value found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValKind {
    /// A number (including `nan`, `inf`).
    Number,
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
}

/// A scalar value in a file: its key and byte ranges.
#[derive(Clone, Debug)]
struct Span {
    /// The key as written, prefixed by its table (TOML) or column (CSV) when known.
    key: String,
    /// Start of the key (for deleting `key = value`).
    key_start: usize,
    /// Value range.
    start: usize,
    /// End of the value (exclusive).
    end: usize,
    /// Value type.
    kind: ValKind,
}

/// What a file mutation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileMutation {
    /// Remove one line (a CSV row).
    DeleteLine,
    /// Remove one `key = value` (YAML: its line).
    DeleteKey,
    /// Replace a value with one of another type.
    Retype,
    /// Replace a number with an extreme or non-finite one.
    Extreme,
    /// Point a reference at a name that does not exist.
    UnknownName,
    /// Add a `[run]` key with an extreme value.
    InsertRunKey,
    /// Repeat a key, a table or a row.
    Duplicate,
    /// Insert bytes that are not UTF-8.
    BrokenUtf8,
    /// Cut the file short.
    Truncate,
    /// Replace the file with nothing (or only a comment).
    Empty,
    /// Nested YAML anchors and aliases.
    AliasBomb,
    /// A YAML complex mapping key (`? …`).
    ComplexKey,
    /// Hundreds of thousands of CSV rows.
    HugeRows,
    /// A CSV cell that is not a number.
    BadCell,
    /// CSV rows out of time order.
    ShuffleRows,
    /// CSV without its header, or with an extra column.
    BadShape,
}

/// Applies one random mutation suited to `format` to `text`; returns what it did.
fn mutate_file(g: &mut Gen, text: &mut Vec<u8>, format: Format) -> String {
    use FileMutation as M;
    let choices: &[(FileMutation, u32)] = match format {
        Format::Toml => &[
            (M::DeleteLine, 8),
            (M::DeleteKey, 10),
            (M::Retype, 12),
            (M::Extreme, 28),
            (M::UnknownName, 12),
            (M::InsertRunKey, 10),
            (M::Duplicate, 6),
            (M::BrokenUtf8, 5),
            (M::Truncate, 6),
            (M::Empty, 2),
        ],
        Format::Yaml => &[
            (M::DeleteLine, 10),
            (M::DeleteKey, 8),
            (M::Retype, 14),
            (M::Extreme, 26),
            (M::UnknownName, 10),
            (M::Duplicate, 6),
            (M::BrokenUtf8, 5),
            (M::Truncate, 6),
            (M::Empty, 2),
            (M::AliasBomb, 6),
            (M::ComplexKey, 5),
        ],
        Format::Csv => &[
            (M::DeleteLine, 8),
            (M::Extreme, 22),
            (M::BadCell, 16),
            (M::Duplicate, 8),
            (M::ShuffleRows, 8),
            (M::BadShape, 10),
            (M::BrokenUtf8, 5),
            (M::Truncate, 6),
            (M::Empty, 3),
            (M::HugeRows, 3),
        ],
    };
    let m = g.weighted(choices);
    match m {
        M::DeleteLine => delete_line(g, text),
        M::DeleteKey => match format {
            Format::Toml => delete_toml_key(g, text),
            Format::Yaml | Format::Csv => delete_line(g, text),
        },
        M::Retype => retype(g, text, format),
        M::Extreme | M::BadCell => extreme(g, text, format, m == M::BadCell),
        M::UnknownName => unknown_name(g, text, format),
        M::InsertRunKey => insert_run_key(g, text),
        M::Duplicate => duplicate(g, text, format),
        M::BrokenUtf8 => broken_utf8(g, text),
        M::Truncate => {
            let at = g.below(text.len().max(1));
            text.truncate(at);
            format!("truncated at byte {at}")
        }
        M::Empty => {
            let e = *g.pick(&["", "\n", "# nothing here\n", "   \n\n"]);
            *text = e.as_bytes().to_vec();
            format!("replaced by {e:?}")
        }
        M::AliasBomb => alias_bomb(g, text),
        M::ComplexKey => {
            let k = *g.pick(&[
                "? [a, b]\n: 1\n",
                "? { x: 1 }\n: y\n",
                ".nan: 1\n",
                "? |\n  k\n: v\n",
            ]);
            text.extend_from_slice(b"\n");
            text.extend_from_slice(k.as_bytes());
            format!("complex key {k:?} appended")
        }
        M::HugeRows => huge_rows(g, text),
        M::ShuffleRows => shuffle_rows(g, text),
        M::BadShape => bad_shape(g, text),
    }
}

/// Line ranges `(start, end_including_newline)` of `text`.
fn lines(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < text.len() {
        out.push((s, text.len()));
    }
    out
}

/// Whether the line is blank or a comment.
fn is_blank_or_comment(line: &[u8]) -> bool {
    let t = String::from_utf8_lossy(line);
    let t = t.trim();
    t.is_empty() || t.starts_with('#')
}

/// 1-based line number of byte `at`.
fn line_of(text: &[u8], at: usize) -> usize {
    1 + text[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn delete_line(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let ls: Vec<(usize, usize)> = lines(text)
        .into_iter()
        .filter(|&(s, e)| !is_blank_or_comment(&text[s..e]))
        .collect();
    if ls.is_empty() {
        return "no line to delete".into();
    }
    let (s, e) = *g.pick(&ls);
    let line = String::from_utf8_lossy(&text[s..e]).trim_end().to_string();
    let n = line_of(text, s);
    text.drain(s..e);
    format!("deleted line {n} `{}`", clip(&line, 60))
}

/// At most `n` characters of `s`.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Scalar values of a TOML text, with their `table.key`.
fn toml_spans(text: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut i = 0;
    let mut line_start = true;
    while i < text.len() {
        let b = text[i];
        if line_start {
            // A table header at the start of a line.
            let mut j = i;
            while j < text.len() && (text[j] == b' ' || text[j] == b'\t') {
                j += 1;
            }
            if j < text.len() && text[j] == b'[' {
                let end = text[j..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(text.len(), |p| j + p);
                let h = String::from_utf8_lossy(&text[j..end]);
                let inner = h.split('#').next().unwrap_or("");
                let looks_like_header =
                    inner.trim_end().ends_with(']') && !inner.contains('=') && !inner.contains('"');
                if looks_like_header {
                    table = inner.trim().trim_matches(['[', ']']).trim().to_string();
                    i = end;
                    continue;
                }
            }
        }
        line_start = false;
        match b {
            b'\n' => line_start = true,
            b'#' => {
                while i < text.len() && text[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(text, i);
                continue;
            }
            b'=' => {
                let mut k_end = i;
                while k_end > 0 && text[k_end - 1] == b' ' {
                    k_end -= 1;
                }
                let mut k_start = k_end;
                while k_start > 0
                    && (text[k_start - 1].is_ascii_alphanumeric()
                        || b"_-.".contains(&text[k_start - 1]))
                {
                    k_start -= 1;
                }
                let key = String::from_utf8_lossy(&text[k_start..k_end]).to_string();
                let mut v = i + 1;
                while v < text.len() && text[v] == b' ' {
                    v += 1;
                }
                if v < text.len() && !key.is_empty() {
                    let c = text[v];
                    let full = if table.is_empty() {
                        key.clone()
                    } else {
                        format!("{table}.{key}")
                    };
                    if c == b'"' || c == b'\'' {
                        let end = skip_string(text, v);
                        out.push(Span {
                            key: full,
                            key_start: k_start,
                            start: v,
                            end,
                            kind: ValKind::Str,
                        });
                        i = end;
                        continue;
                    } else if c != b'[' && c != b'{' && c != b'\n' {
                        let mut end = v;
                        while end < text.len() && !b",}]\n# \r".contains(&text[end]) {
                            end += 1;
                        }
                        let word = &text[v..end];
                        let kind = if word == b"true" || word == b"false" {
                            ValKind::Bool
                        } else {
                            ValKind::Number
                        };
                        out.push(Span {
                            key: full,
                            key_start: k_start,
                            start: v,
                            end,
                            kind,
                        });
                        i = end;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The index just past the string that starts at `i` (`"…"`, `'…'` or `"""…"""`).
fn skip_string(text: &[u8], i: usize) -> usize {
    let q = text[i];
    if text[i..].starts_with(&[q, q, q]) {
        let mut j = i + 3;
        while j + 2 < text.len() {
            if text[j..].starts_with(&[q, q, q]) {
                return j + 3;
            }
            j += 1;
        }
        return text.len();
    }
    let mut j = i + 1;
    while j < text.len() && text[j] != q && text[j] != b'\n' {
        if q == b'"' && text[j] == b'\\' {
            j += 1;
        }
        j += 1;
    }
    (j + 1).min(text.len())
}

/// Scalar values of a YAML text (`key: value` and `- value` lines).
fn yaml_spans(text: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    for (s, e) in lines(text) {
        let line = &text[s..e];
        if is_blank_or_comment(line) {
            continue;
        }
        let body_end = line
            .windows(2)
            .position(|w| w == b" #")
            .unwrap_or(line.len());
        let body = &line[..body_end];
        let trimmed_end = body
            .iter()
            .rposition(|&b| !b" \r\n".contains(&b))
            .map_or(0, |p| p + 1);
        let (key, key_start, vstart) = if let Some(p) = body.windows(2).position(|w| w == b": ") {
            let ks = body
                .iter()
                .position(|&b| b != b' ' && b != b'-')
                .unwrap_or(0);
            let ks = if body[ks..].starts_with(b"- ") {
                ks + 2
            } else {
                ks
            };
            (
                String::from_utf8_lossy(&body[ks.min(p)..p]).to_string(),
                s + ks.min(p),
                p + 2,
            )
        } else if let Some(p) = body.iter().position(|&b| b != b' ') {
            if body[p..].starts_with(b"- ") {
                ("-".to_string(), s + p, p + 2)
            } else {
                continue;
            }
        } else {
            continue;
        };
        let mut v = vstart;
        while v < trimmed_end && body[v] == b' ' {
            v += 1;
        }
        if v >= trimmed_end || b"&*[{|>".contains(&body[v]) {
            continue;
        }
        let word = String::from_utf8_lossy(&body[v..trimmed_end]).to_string();
        let kind = if word == "true" || word == "false" {
            ValKind::Bool
        } else if word.parse::<f64>().is_ok() || word.starts_with(".n") || word.contains(".inf") {
            ValKind::Number
        } else {
            ValKind::Str
        };
        out.push(Span {
            key,
            key_start,
            start: s + v,
            end: s + trimmed_end,
            kind,
        });
    }
    out
}

/// Cells of a CSV text, keyed `column@row`.
fn csv_spans(text: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut header: Vec<String> = Vec::new();
    for (row, (s, e)) in lines(text).into_iter().enumerate() {
        let line = &text[s..e];
        let end = line
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map_or(0, |p| p + 1);
        let mut c0 = 0;
        let mut col = 0;
        for i in 0..=end {
            if i == end || line[i] == b',' {
                let cell = String::from_utf8_lossy(&line[c0..i]).to_string();
                if row == 0 {
                    header.push(cell.clone());
                }
                let name = header
                    .get(col)
                    .cloned()
                    .unwrap_or_else(|| format!("#{col}"));
                out.push(Span {
                    key: format!("{name}@row{}", row + 1),
                    key_start: s + c0,
                    start: s + c0,
                    end: s + i,
                    kind: if cell.parse::<f64>().is_ok() {
                        ValKind::Number
                    } else {
                        ValKind::Str
                    },
                });
                c0 = i + 1;
                col += 1;
            }
        }
    }
    out
}

/// Scalar values of `text` in `format`.
fn spans(text: &[u8], format: Format) -> Vec<Span> {
    match format {
        Format::Toml => toml_spans(text),
        Format::Yaml => yaml_spans(text),
        Format::Csv => csv_spans(text),
    }
}

/// Replaces `span`'s value with `value`; returns a description.
fn replace_value(text: &mut Vec<u8>, span: &Span, value: &str, what: &str) -> String {
    let old = String::from_utf8_lossy(&text[span.start..span.end]).to_string();
    let n = line_of(text, span.start);
    text.splice(span.start..span.end, value.bytes());
    format!(
        "{what} line {n} {} = {} (was {})",
        span.key,
        value,
        clip(&old, 30)
    )
}

fn delete_toml_key(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let sp = toml_spans(text);
    if sp.is_empty() {
        return delete_line(g, text);
    }
    let s = g.pick(&sp).clone();
    let mut end = s.end;
    while end < text.len() && text[end] == b' ' {
        end += 1;
    }
    if end < text.len() && text[end] == b',' {
        end += 1;
    }
    let n = line_of(text, s.key_start);
    text.drain(s.key_start..end);
    format!("deleted key line {n} {}", s.key)
}

fn retype(g: &mut Gen, text: &mut Vec<u8>, format: Format) -> String {
    let sp = spans(text, format);
    if sp.is_empty() {
        return "no value to retype".into();
    }
    let s = g.pick(&sp).clone();
    let options: &[&str] = match (format, s.kind) {
        (Format::Toml, ValKind::Number) => &["\"x\"", "true", "[1, 2]", "{ a = 1 }", "\"1.5\""],
        (Format::Toml, ValKind::Str) => &["1", "false", "[\"a\"]", "1e308", "\"\"", "{}"],
        (Format::Toml, ValKind::Bool) => &["\"true\"", "1", "[]"],
        (Format::Yaml, ValKind::Number) => {
            &["x", "true", "[1, 2]", "{a: 1}", "\"10\"", "null", "~"]
        }
        (Format::Yaml, ValKind::Str) => &["1", "false", "[]", "{}", "null", "''"],
        (Format::Yaml, ValKind::Bool) => &["\"true\"", "1", "[]"],
        (Format::Csv, ValKind::Number | ValKind::Str | ValKind::Bool) => &["x", "true", "[1]"],
    };
    let v = *g.pick(options);
    replace_value(text, &s, v, "retyped")
}

/// Extreme numbers a TOML scenario may hold.
const TOML_EXTREMES: &[&str] = &[
    "0",
    "-1",
    "0.0",
    "-0.0",
    "1e-300",
    "-1e-300",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "9223372036854775807",
    "4294967296",
    "1e15",
    "1e12",
    "nan",
    "inf",
    "-inf",
    "+inf",
    "-nan",
];
/// Extreme numbers a YAML manifest may hold.
const YAML_EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1e-300",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "9223372036854775807",
    "2147483648",
    "1e15",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "+.inf",
    "0.5",
];
/// Extreme or broken cells of a load curve.
const CSV_EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1e-300",
    "1e308",
    "-1e308",
    "18446744073709551615",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "1e15",
];
/// Cells of a load curve that are not numbers.
const CSV_BAD_CELLS: &[&str] = &[
    "", "abc", " 1", "0x10", "1;2", "\"5\"", "１", "1e", "--1", "true",
];

fn extreme(g: &mut Gen, text: &mut Vec<u8>, format: Format, bad_cell: bool) -> String {
    let sp = spans(text, format);
    let numbers: Vec<&Span> = sp.iter().filter(|s| s.kind == ValKind::Number).collect();
    // Most scenario numbers are in the grading tables: favour those the engine reads.
    let engine: Vec<&Span> = numbers
        .iter()
        .copied()
        .filter(|s| !s.key.starts_with("questions") && !s.key.starts_with("knobs"))
        .collect();
    let s = if !engine.is_empty() && g.chance(0.7) {
        (*g.pick(&engine)).clone()
    } else if !numbers.is_empty() && g.chance(0.9) {
        (*g.pick(&numbers)).clone()
    } else if !sp.is_empty() {
        g.pick(&sp).clone()
    } else {
        return "no value for an extreme".into();
    };
    let v = match format {
        Format::Toml => *g.pick(TOML_EXTREMES),
        Format::Yaml => *g.pick(YAML_EXTREMES),
        Format::Csv if bad_cell => *g.pick(CSV_BAD_CELLS),
        Format::Csv => *g.pick(CSV_EXTREMES),
    };
    replace_value(text, &s, v, if bad_cell { "bad cell" } else { "extreme" })
}

/// Keys whose value names something defined elsewhere.
const REFERENCE_KEYS: &[&str] = &[
    "zone",
    "region",
    "class",
    "fault",
    "target",
    "between",
    "mode",
    "shard",
    "name",
    "kind",
    "type",
    "selectPolicy",
];

/// `[[events]]` naming things that do not exist.
const UNKNOWN_EVENTS: &[&str] = &[
    "{ kind = \"kill_zone\", zone = \"nope\" }",
    "{ kind = \"restore_zone\", zone = \"nope\" }",
    "{ kind = \"kill_region\", region = \"nope\" }",
    "{ kind = \"restore_region\", region = \"nope\" }",
    "{ kind = \"kill_pods\", count = 1, zone = \"nope\" }",
    "{ kind = \"kill_node\", zone = \"nope\" }",
    "{ kind = \"set_consistency\", class = \"nope\", mode = \"strong\" }",
    "{ kind = \"fail_primary\", shard = 7 }",
    "{ kind = \"replica_lag_spike\", ms = 100.0, shard = 9 }",
    "{ kind = \"restore\", fault = \"nope\" }",
    "{ kind = \"inject_latency\", target = \"nope\", ms = 1.0 }",
    "{ kind = \"nope\" }",
];

fn unknown_name(g: &mut Gen, text: &mut Vec<u8>, format: Format) -> String {
    let sp = spans(text, format);
    let refs: Vec<&Span> = sp
        .iter()
        .filter(|s| {
            let last = s.key.rsplit('.').next().unwrap_or("");
            REFERENCE_KEYS.contains(&last)
        })
        .collect();
    if format == Format::Toml && (refs.is_empty() || g.chance(0.5)) {
        let ev = *g.pick(UNKNOWN_EVENTS);
        let at = *g.pick(&["0.0", "1.0", "60.0"]);
        let block = format!("\n[[events]]\nat_s = {at}\naction = {ev}\n");
        let n = line_of(text, text.len()) + 1;
        text.extend_from_slice(block.as_bytes());
        return format!("appended at line {n} [[events]] action = {ev}");
    }
    if refs.is_empty() {
        return "no reference to rename".into();
    }
    let s = (*g.pick(&refs)).clone();
    let v = match (format, s.key.ends_with("shard")) {
        (Format::Toml, true) => "7",
        (Format::Toml, false) => "\"nope\"",
        (Format::Yaml | Format::Csv, _) => "nope",
    };
    replace_value(text, &s, v, "unknown name")
}

/// `[run]` keys that size allocations or loops.
const RUN_KEYS: &[&str] = &[
    "tick_s",
    "duration_s",
    "latency_window_s",
    "series_points",
    "max_events",
    "timeline_zero_s",
    "seed",
];

fn insert_run_key(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let key = *g.pick(RUN_KEYS);
    let v = *g.pick(TOML_EXTREMES);
    let line = format!("{key} = {v}\n");
    let header = lines(text)
        .into_iter()
        .find(|&(s, e)| String::from_utf8_lossy(&text[s..e]).trim() == "[run]");
    match header {
        Some((_, e)) => {
            // Replace the key if [run] has it (a duplicate is another mutation).
            let body_end = lines(text)
                .into_iter()
                .find(|&(s, _)| s >= e && text[s..].starts_with(b"["))
                .map_or(text.len(), |l| l.0);
            let existing = lines(text).into_iter().find(|&(s, l_end)| {
                s >= e && l_end <= body_end && text[s..].starts_with(format!("{key} ").as_bytes())
            });
            let n = line_of(text, e);
            match existing {
                Some((s, l_end)) => {
                    text.splice(s..l_end, line.bytes());
                }
                None => {
                    text.splice(e..e, line.bytes());
                }
            }
            format!("[run] line {} {key} = {v}", n + 1)
        }
        None => {
            let block = format!("\n[run]\n{line}");
            text.extend_from_slice(block.as_bytes());
            format!("appended [run] {key} = {v}")
        }
    }
}

fn duplicate(g: &mut Gen, text: &mut Vec<u8>, format: Format) -> String {
    let ls: Vec<(usize, usize)> = lines(text)
        .into_iter()
        .filter(|&(s, e)| !is_blank_or_comment(&text[s..e]))
        .collect();
    if ls.is_empty() {
        return "no line to duplicate".into();
    }
    if format == Format::Toml && g.chance(0.4) {
        let headers: Vec<(usize, usize)> = ls
            .iter()
            .copied()
            .filter(|&(s, _)| text[s..].starts_with(b"[") && !text[s..].starts_with(b"[["))
            .collect();
        if !headers.is_empty() {
            let (s, e) = *g.pick(&headers);
            let h = String::from_utf8_lossy(&text[s..e]).trim().to_string();
            let block = format!("\n{h}\n");
            text.extend_from_slice(block.as_bytes());
            return format!("table {h} repeated at the end");
        }
    }
    let (s, e) = *g.pick(&ls);
    let mut line = text[s..e].to_vec();
    if !line.ends_with(b"\n") {
        line.push(b'\n');
    }
    let n = line_of(text, s);
    let shown = String::from_utf8_lossy(&line).trim_end().to_string();
    text.splice(e..e, line);
    format!("line {n} `{}` repeated", clip(&shown, 50))
}

fn broken_utf8(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let bytes: &[&[u8]] = &[
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\x80",
    ];
    let b = *g.pick(bytes);
    let at = if text.is_empty() {
        0
    } else {
        g.below(text.len() + 1)
    };
    // Do not split a valid character: move to the next character boundary.
    let mut at = at;
    while at < text.len() && (text[at] & 0xC0) == 0x80 {
        at += 1;
    }
    let n = line_of(text, at);
    text.splice(at..at, b.iter().copied());
    format!("bytes {b:02x?} inserted at line {n}")
}

fn alias_bomb(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let depth = 3 + g.below(7);
    let fan = 5 + g.below(6);
    let mut bomb = String::new();
    for d in 0..depth {
        let item = if d == 0 {
            "x".to_string()
        } else {
            format!("*a{}", d - 1)
        };
        let items = vec![item; fan].join(",");
        let _ = writeln!(bomb, "a{d}: &a{d} [{items}]");
    }
    let top = format!("*a{}", depth - 1);
    // Prepend after the leading comments, where a top-level key is welcome.
    let ls = lines(text);
    let first = ls
        .iter()
        .find(|&&(s, e)| !is_blank_or_comment(&text[s..e]))
        .map_or(text.len(), |l| l.0);
    text.splice(first..first, bomb.bytes());
    let mut how = format!(
        "alias bomb depth {depth} fan {fan} ({} nodes)",
        (fan as f64).powi(depth as i32)
    );
    if g.chance(0.5) {
        let sp = yaml_spans(text);
        let later: Vec<&Span> = sp.iter().filter(|s| !s.key.starts_with('a')).collect();
        if !later.is_empty() {
            let s = (*g.pick(&later)).clone();
            let _ = write!(how, ", {} = {top}", s.key);
            text.splice(s.start..s.end, top.bytes());
        }
    }
    how
}

fn huge_rows(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let n = *g.pick(&[50_000usize, 120_000, 250_000]);
    let cols = String::from_utf8_lossy(text)
        .lines()
        .next()
        .map_or(2, |h| h.split(',').count().max(2));
    let mut s = String::with_capacity(n * 16);
    if !text.ends_with(b"\n") && !text.is_empty() {
        s.push('\n');
    }
    let base = 1_000_000u64;
    for i in 0..n as u64 {
        let _ = write!(s, "{}", base + i * 10);
        for c in 1..cols as u64 {
            let _ = write!(s, ",{}", (i * 7919 + c * 31) % 50_000);
        }
        s.push('\n');
    }
    text.extend_from_slice(s.as_bytes());
    format!("{n} rows appended")
}

fn shuffle_rows(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let ls = lines(text);
    if ls.len() < 3 {
        return "too few rows to shuffle".into();
    }
    let mut rows: Vec<Vec<u8>> = ls[1..]
        .iter()
        .map(|&(s, e)| {
            let mut r = text[s..e].to_vec();
            if !r.ends_with(b"\n") {
                r.push(b'\n');
            }
            r
        })
        .collect();
    let how = if g.chance(0.5) {
        rows.reverse();
        "rows reversed"
    } else {
        let r = rows[g.below(rows.len())].clone();
        rows.insert(g.below(rows.len()), r);
        "a row repeated out of order"
    };
    let mut out = text[..ls[0].1].to_vec();
    for r in rows {
        out.extend(r);
    }
    *text = out;
    how.into()
}

fn bad_shape(g: &mut Gen, text: &mut Vec<u8>) -> String {
    let ls = lines(text);
    if ls.is_empty() {
        return "empty".into();
    }
    match g.below(4) {
        0 => {
            text.drain(ls[0].0..ls[0].1);
            "header removed".into()
        }
        1 => {
            let (s, e) = *g.pick(&ls);
            let mut at = e;
            while at > s && (text[at - 1] == b'\n' || text[at - 1] == b'\r') {
                at -= 1;
            }
            text.splice(at..at, b",1".iter().copied());
            format!("extra column at line {}", line_of(text, s))
        }
        2 => {
            let (s, e) = *g.pick(&ls);
            let cut = text[s..e].iter().position(|&b| b == b',').map(|p| s + p);
            match cut {
                Some(c) => {
                    let mut end = e;
                    while end > c && (text[end - 1] == b'\n' || text[end - 1] == b'\r') {
                        end -= 1;
                    }
                    text.drain(c..end);
                    format!("columns cut at line {}", line_of(text, s))
                }
                None => "no column to cut".into(),
            }
        }
        _ => {
            let h = *g.pick(&[
                "t_s,nope\n",
                "t_s,t_s\n",
                "time,cpu_m\n",
                "t_s,cpu_m,cpu_m\n",
            ]);
            text.splice(ls[0].0..ls[0].1, h.bytes());
            format!("header replaced by {h:?}")
        }
    }
}

// ───────────────────────────── flag mutations ─────────────────────────────

/// Values tried for `--duration`.
const DURATIONS: &[&str] = &[
    "1e308h",
    "1e308",
    "1e15",
    "1e400",
    "0",
    "-1",
    "-10m",
    "nan",
    "inf",
    "NaNh",
    "1e-300",
    "",
    "10x",
    "5m5m",
    "18446744073709551615",
    "h",
    "1e-15s",
];
/// Values tried for `--seed`.
const SEEDS: &[&str] = &[
    "-1",
    "18446744073709551616",
    "18446744073709551615",
    "1e3",
    "nan",
    "",
    "0",
    "0x10",
];
/// Values tried for the options of `scalesim hpa`.
const OPTION_VALUES: &[&str] = &[
    "0",
    "-1",
    "1e-15",
    "1e-300",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "18446744073709551615",
    "2147483648",
    "abc",
    "",
    "1.5",
    "1e12",
    "99999999",
];
/// The options of `scalesim hpa`.
const HPA_FLAGS: &[&str] = &[
    "--initial-replicas",
    "--cpu-request-m",
    "--cpu-limit-m",
    "--memory-request-mib",
    "--ready-delay-s",
    "--until-s",
    "--sync-period-s",
    "--kube-version",
];

/// Sets `flag` to `value` in `args` (replacing it when present).
fn set_flag(args: &mut Vec<String>, flag: &str, value: &str) {
    match args.iter().position(|a| a == flag) {
        Some(i) if i + 1 < args.len() => args[i + 1] = value.to_string(),
        Some(_) | None => {
            args.push(flag.to_string());
            args.push(value.to_string());
        }
    }
}

fn mutate_run_flags(g: &mut Gen, args: &mut Vec<String>) -> String {
    match g.below(7) {
        0..=2 => {
            let v = *g.pick(DURATIONS);
            set_flag(args, "--duration", v);
            format!("--duration {v:?}")
        }
        3 => {
            let v = *g.pick(SEEDS);
            set_flag(args, "--seed", v);
            format!("--seed {v:?}")
        }
        4 => {
            let f = *g.pick(&["--seed", "--duration", "--out"]);
            args.retain(|a| a != f);
            args.push(f.to_string());
            format!("{f} without a value")
        }
        5 => {
            let f = *g.pick(&["--nope", "-d", "--duration=10m", "extra.toml"]);
            args.push(f.to_string());
            format!("unknown argument {f}")
        }
        _ => {
            let name = *g.pick(&["nope", "reference.toml.bak", "scenarios/../nope.toml"]);
            if args.len() > 1 {
                args[1] = name.to_string();
            }
            format!("scenario name {name:?}")
        }
    }
}

fn mutate_hpa_flags(g: &mut Gen, args: &mut Vec<String>) -> String {
    match g.below(6) {
        0..=3 => {
            let f = *g.pick(HPA_FLAGS);
            let v = if f == "--kube-version" {
                *g.pick(&[
                    "1.99",
                    "0.1",
                    "1.",
                    "nan",
                    "1e308",
                    "",
                    "1.34.5",
                    "99999999999.1",
                ])
            } else {
                *g.pick(OPTION_VALUES)
            };
            if g.chance(0.3) {
                args.push(format!("{f}={v}"));
                format!("{f}={v}")
            } else {
                set_flag(args, f, v);
                format!("{f} {v:?}")
            }
        }
        4 => {
            let f = *g.pick(&["--nope", "--name", "--json=1", "-x"]);
            args.push(f.to_string());
            if f == "--name" {
                args.push("nope".into());
            }
            format!("argument {f}")
        }
        _ => {
            let f = *g.pick(&["--hpa", "--load"]);
            let v = *g.pick(&["missing.yaml", "", ".", "/dev/null"]);
            set_flag(args, f, v);
            format!("{f} {v:?}")
        }
    }
}

fn mutate_queue(g: &mut Gen, args: &mut Vec<String>) -> String {
    let vals = &[
        "0", "1", "8", "10", "1e308", "1e-300", "nan", "inf", "-1", "abc", "", "0.0",
    ];
    let which = 1 + g.below(2);
    let v = *g.pick(vals);
    if g.chance(0.1) {
        args.truncate(which);
        return format!("argument {which} dropped");
    }
    if which < args.len() {
        args[which] = v.to_string();
    }
    format!("argument {which} = {v:?}")
}

// ───────────────────────────── running and classifying ─────────────────────────────

/// How the process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal killed it.
    Signal(i32),
    /// It ran past the wall-time budget and was killed.
    Timeout,
}

/// What a case ran into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Outcome {
    /// Exit 0, every number finite.
    CleanRun,
    /// Non-zero exit with a located message.
    CleanRefusal,
    /// A Rust panic (exit 101).
    Panic,
    /// Killed by a signal (abort on a failed allocation, segfault, …).
    Crash,
    /// Over the wall-time budget.
    Hang,
    /// NaN or inf in stdout or a written file.
    NonFinite,
    /// A run that exits 0 although its input holds a NaN or an infinity (they must be refused).
    AcceptedNonFinite,
    /// A refusal that does not say where.
    UnlocatedRefusal,
}

impl Outcome {
    /// Every outcome, in report order.
    const ALL: [Outcome; 8] = [
        Outcome::CleanRun,
        Outcome::CleanRefusal,
        Outcome::Panic,
        Outcome::Crash,
        Outcome::Hang,
        Outcome::NonFinite,
        Outcome::AcceptedNonFinite,
        Outcome::UnlocatedRefusal,
    ];

    /// Whether this outcome fails the target.
    fn is_bad(self) -> bool {
        match self {
            Outcome::CleanRun | Outcome::CleanRefusal => false,
            Outcome::Panic
            | Outcome::Crash
            | Outcome::Hang
            | Outcome::NonFinite
            | Outcome::AcceptedNonFinite
            | Outcome::UnlocatedRefusal => true,
        }
    }

    /// Name used in reports and folder names.
    fn name(self) -> &'static str {
        match self {
            Outcome::CleanRun => "clean-run",
            Outcome::CleanRefusal => "clean-refusal",
            Outcome::Panic => "panic",
            Outcome::Crash => "crash",
            Outcome::Hang => "hang",
            Outcome::NonFinite => "non-finite",
            Outcome::AcceptedNonFinite => "accepted-non-finite",
            Outcome::UnlocatedRefusal => "unlocated-refusal",
        }
    }
}

/// What one run of `scalesim` left behind.
#[derive(Clone, Debug)]
struct RunResult {
    /// How it ended.
    exit: Exit,
    /// What it printed (at most [`CAPTURE_LIMIT`] bytes).
    stdout: Vec<u8>,
    /// What it printed on stderr (at most [`CAPTURE_LIMIT`] bytes).
    stderr: Vec<u8>,
    /// Files it wrote under `out/`: (name, bytes).
    out_files: Vec<(String, Vec<u8>)>,
    /// Wall time.
    elapsed: Duration,
}

/// Outcome and a grouping signature for a run.
///
/// `accepted` names a non-finite number left in the input (see [`non_finite_input`]): a run
/// that exits 0 with one accepted it instead of refusing it.
fn classify(
    r: &RunResult,
    input_files: &[&str],
    args: &[String],
    accepted: Option<&str>,
) -> (Outcome, String) {
    let stderr = String::from_utf8_lossy(&r.stderr);
    let panicked = stderr.contains("panicked at");
    match r.exit {
        Exit::Timeout => (Outcome::Hang, "over the wall-time budget".into()),
        Exit::Code(101) => (Outcome::Panic, panic_signature(&stderr)),
        Exit::Code(_) if panicked => (Outcome::Panic, panic_signature(&stderr)),
        Exit::Signal(s) => {
            let first = stderr.lines().next().unwrap_or("").trim();
            (Outcome::Crash, format!("signal {s}: {}", normalize(first)))
        }
        Exit::Code(0) => {
            if let Some(w) = non_finite_in("stdout", &r.stdout) {
                return (Outcome::NonFinite, w);
            }
            for (name, bytes) in &r.out_files {
                if let Some(w) = non_finite_in(name, bytes) {
                    return (Outcome::NonFinite, w);
                }
            }
            match accepted {
                Some(w) => (Outcome::AcceptedNonFinite, format!("accepted {w}")),
                None => (Outcome::CleanRun, String::new()),
            }
        }
        Exit::Code(_) => {
            let msg = stderr.trim();
            if names_location(msg, input_files, args) {
                (Outcome::CleanRefusal, String::new())
            } else {
                let first = msg.lines().next().unwrap_or("(nothing printed)");
                (Outcome::UnlocatedRefusal, normalize(first))
            }
        }
    }
}

/// The panic message and its source file, without numbers.
fn panic_signature(stderr: &str) -> String {
    let mut it = stderr.lines();
    while let Some(l) = it.next() {
        if let Some(p) = l.find("panicked at ") {
            let loc = l[p + 12..].trim_end_matches(':');
            // Library locations carry the compiler's hash: keep the file only.
            let file = loc.split(':').next().unwrap_or(loc);
            let file = file.rsplit("/library/").next().unwrap_or(file);
            let msg = it.next().unwrap_or("");
            return format!("{file}: {}", normalize(msg));
        }
    }
    normalize(stderr.lines().next().unwrap_or(""))
}

/// `s` with numbers as `#` and back-quoted parts as `…`, at most 100 characters.
fn normalize(s: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut last_hash = false;
    for c in s.chars() {
        if c == '`' || c == '“' || c == '”' {
            quoted = !quoted;
            if quoted {
                out.push_str("`…`");
            }
            last_hash = false;
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            if !last_hash {
                out.push('#');
            }
            last_hash = true;
        } else {
            out.push(c);
            last_hash = false;
        }
    }
    // Non-finite spellings (`.nan`, `+.inf`, `NaN`) and the lists after `;` vary by case.
    let out = out.split(';').next().unwrap_or("");
    let words: Vec<&str> = out
        .split(' ')
        .map(|w| {
            if is_non_finite_token(
                w.trim_start_matches(['.', '+', '-'])
                    .trim_start_matches('.'),
            ) {
                "…"
            } else {
                w
            }
        })
        .collect();
    clip(&words.join(" "), 100)
}

/// Where a NaN or inf appears in `bytes` (a file or stdout), if anywhere.
fn non_finite_in(name: &str, bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let header: Vec<&str> = if name.ends_with(".csv") {
        text.lines().next().unwrap_or("").split(',').collect()
    } else {
        Vec::new()
    };
    for (n, line) in text.lines().enumerate() {
        if name.ends_with(".csv") {
            for (c, cell) in line.split(',').enumerate() {
                if is_non_finite_token(cell.trim()) {
                    let col = header.get(c).copied().unwrap_or("?");
                    return Some(format!("{name} column {col}"));
                }
            }
            continue;
        }
        let hit = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(is_non_finite_token);
        if hit {
            let label: String = line
                .trim()
                .chars()
                .take_while(|c| !c.is_ascii_digit() && *c != '—' && *c != ':')
                .collect();
            return Some(format!(
                "{name} line {}: {}",
                n + 1,
                normalize(label.trim())
            ));
        }
    }
    None
}

/// A NaN or infinity still in the case's input, if any: `case.toml run.tick_s = nan`,
/// `load.csv cpu_m@row3 = inf`, `--duration inf`.
fn non_finite_input(case: &Case) -> Option<String> {
    for (name, bytes) in &case.files {
        let format = match name.as_str() {
            SCENARIO_FILE => Format::Toml,
            MANIFEST_FILE => Format::Yaml,
            LOAD_FILE => Format::Csv,
            _ => continue,
        };
        for sp in spans(bytes, format) {
            let v = String::from_utf8_lossy(&bytes[sp.start..sp.end]).to_string();
            let bare = v
                .trim()
                .trim_start_matches(['+', '-'])
                .trim_start_matches('.');
            if sp.kind == ValKind::Number && is_non_finite_token(bare) {
                return Some(format!("{name} {} = {v}", sp.key));
            }
        }
    }
    let args = &case.args;
    (1..args.len()).find_map(|i| {
        let v = args[i].rsplit('=').next().unwrap_or("");
        let flag = if args[i].starts_with("--") {
            &args[i]
        } else {
            &args[i - 1]
        };
        let bare = v.trim_start_matches(['+', '-']);
        let number_part = bare.trim_end_matches(['s', 'm', 'h', 'd']);
        let non_finite = is_non_finite_token(bare) || is_non_finite_token(number_part);
        (non_finite && (flag.starts_with("--") || args[0] == "queue"))
            .then(|| format!("{flag} {v}"))
    })
}

/// How hangs are grouped: the command line and the kinds of file mutations, without numbers.
fn hang_key(case: &Case) -> String {
    let mut classes: Vec<String> = case
        .mutations
        .iter()
        .skip(1)
        .filter(|m| !m.contains("-flags:") && !m.starts_with("queue"))
        .map(|m| {
            let n = normalize(m);
            let cut = [" line ", " (", " ="]
                .iter()
                .filter_map(|c| n.find(c))
                .min()
                .unwrap_or(n.len());
            n[..cut].to_string()
        })
        .collect();
    classes.sort();
    classes.dedup();
    // An alias bomb or a huge curve is the hang whatever else the case did.
    for heavy in ["alias bomb", "rows appended"] {
        if classes.iter().any(|c| c.contains(heavy)) {
            classes.retain(|c| c.contains(heavy));
        }
    }
    let cmd = normalize(&case.command_line());
    if classes.is_empty() {
        cmd
    } else {
        format!("{cmd} | {}", classes.join(" + "))
    }
}

/// Whether a word is how Rust, JSON or CSV writers spell a non-finite number.
fn is_non_finite_token(w: &str) -> bool {
    let w = w.trim_start_matches(['-', '+']);
    ["nan", "inf", "infinity"]
        .iter()
        .any(|t| w.eq_ignore_ascii_case(t))
}

/// Whether a refusal says where: `FILE:LINE`, a `--flag`, a CSV row or line, an argument
/// name such as `<lambda_rps>`, a quoted argument in a message about arguments, or a
/// whole-file problem naming the file (one of `input_files` or of the arguments `args`).
fn names_location(msg: &str, input_files: &[&str], args: &[String]) -> bool {
    let bytes = msg.as_bytes();
    for ext in [".toml:", ".yaml:", ".yml:", ".csv:", ".json:"] {
        for (p, _) in msg.match_indices(ext) {
            if bytes.get(p + ext.len()).is_some_and(|b| b.is_ascii_digit()) {
                return true;
            }
        }
    }
    for (p, _) in msg.match_indices("--") {
        if bytes.get(p + 2).is_some_and(|b| b.is_ascii_lowercase()) {
            return true;
        }
    }
    let lower = msg.to_ascii_lowercase();
    for word in ["row ", "line "] {
        for (p, _) in lower.match_indices(word) {
            if bytes
                .get(p + word.len())
                .is_some_and(|b| b.is_ascii_digit())
            {
                return true;
            }
        }
    }
    if let Some(p) = msg.find('<') {
        if msg[p..].find('>').is_some_and(|q| {
            q > 1
                && msg[p + 1..p + q]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
        }) {
            return true;
        }
    }
    // A command-line argument quoted in a message about arguments or options.
    let about_args = lower.contains("argument") || lower.contains("option");
    if about_args
        && msg
            .split('`')
            .skip(1)
            .step_by(2)
            .any(|q| !q.is_empty() && args.iter().any(|a| a == q))
    {
        return true;
    }
    let names_file = input_files
        .iter()
        .chain(
            args.iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with('-'))
                .collect::<Vec<_>>()
                .iter(),
        )
        .any(|f| !f.is_empty() && msg.contains(f));
    let whole_file = [
        "empty",
        "no rows",
        "no data",
        "no such file",
        "not found",
        "is a directory",
    ]
    .iter()
    .any(|w| lower.contains(w));
    names_file && whole_file
}

/// Runs `scalesim` with `args` in `dir`, under `budget` and an address-space limit.
fn run_scalesim(
    bin: &Path,
    dir: &Path,
    args: &[String],
    budget: Duration,
    mem_kib: u64,
) -> RunResult {
    let start = Instant::now();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {mem_kib}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return RunResult {
                exit: Exit::Code(-1),
                stdout: Vec::new(),
                stderr: format!("fuzz_inputs: cannot start sh: {e}").into_bytes(),
                out_files: Vec::new(),
                elapsed: start.elapsed(),
            }
        }
    };
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut buf = [0u8; 65536];
            loop {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let room = CAPTURE_LIMIT.saturating_sub(kept.len());
                        kept.extend_from_slice(&buf[..n.min(room)]);
                    }
                }
            }
            kept
        })
    };
    let out_t = drain(Box::new(child.stdout.take().expect("stdout")));
    let err_t = drain(Box::new(child.stderr.take().expect("stderr")));
    let exit = loop {
        match child.try_wait() {
            Ok(Some(st)) => {
                break match (st.code(), st.signal()) {
                    (Some(c), _) => Exit::Code(c),
                    (None, Some(s)) => Exit::Signal(s),
                    (None, None) => Exit::Code(-1),
                }
            }
            Ok(None) if start.elapsed() > budget => {
                let _ = child.kill();
                let _ = child.wait();
                break Exit::Timeout;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break Exit::Code(-1),
        }
    };
    let elapsed = start.elapsed();
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    let mut out_files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir.join("out")) {
        let mut names: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names {
            if let Ok(b) = std::fs::read(&p) {
                let n = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                out_files.push((n, b));
            }
        }
    }
    RunResult {
        exit,
        stdout,
        stderr,
        out_files,
        elapsed,
    }
}

/// Settings of a fuzz run.
#[derive(Clone, Debug)]
struct Settings {
    /// Cases to run.
    cases: usize,
    /// Generator seed.
    seed: u64,
    /// Where bad cases are saved.
    keep: PathBuf,
    /// The `scalesim` binary.
    scalesim: PathBuf,
    /// Cases run at once.
    jobs: usize,
    /// Wall-time budget per case.
    budget: Duration,
    /// Address-space limit per case [KiB].
    mem_kib: u64,
    /// Whether to shrink one example per group.
    minimize: bool,
}

/// Writes `case` into a fresh folder under `work`, runs it and classifies it.
fn execute(s: &Settings, work: &Path, case: &Case) -> (Outcome, String, RunResult) {
    let dir = work.join(format!("case-{}", case.index));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("case folder");
    for (name, bytes) in &case.files {
        std::fs::write(dir.join(name), bytes).expect("case file");
    }
    let r = run_scalesim(&s.scalesim, &dir, &case.args, s.budget, s.mem_kib);
    let names: Vec<&str> = case.files.iter().map(|f| f.0.as_str()).collect();
    let accepted = non_finite_input(case);
    let (o, sig) = classify(&r, &names, &case.args, accepted.as_deref());
    let _ = std::fs::remove_dir_all(&dir);
    (o, sig, r)
}

/// Shrinks the primary file of `case` line by line while the outcome and signature hold.
fn minimize(s: &Settings, work: &Path, case: &Case, outcome: Outcome, sig: &str) -> Case {
    let Some(primary) = case.primary.clone() else {
        return case.clone();
    };
    let mut best = case.clone();
    let mut runs = 0;
    let mut chunk = lines(best.file_mut(&primary)).len().div_ceil(2).max(1);
    while runs < MINIMIZE_RUNS {
        let mut i = 0;
        let mut removed_any = false;
        loop {
            let ls = lines(best.file_mut(&primary));
            if i >= ls.len() || runs >= MINIMIZE_RUNS {
                break;
            }
            let end = (i + chunk).min(ls.len());
            let mut trial = best.clone();
            trial.file_mut(&primary).drain(ls[i].0..ls[end - 1].1);
            runs += 1;
            let (o2, sig2, _) = execute(s, work, &trial);
            if o2 == outcome && sig2 == sig {
                best = trial;
                removed_any = true;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 && !removed_any {
            break;
        }
        chunk = (chunk / 2).max(1);
    }
    best
}

/// Saves a case, its command and what it printed into `dir`.
fn save(dir: &Path, case: &Case, r: Option<&RunResult>, note: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in &case.files {
        std::fs::write(dir.join(name), bytes)?;
    }
    let mut cmd = String::from("# run from this folder\n");
    cmd.push_str(&case.command_line());
    cmd.push('\n');
    std::fs::write(dir.join("cmd.txt"), cmd)?;
    let mut m = format!("case {} ({}): {note}\n", case.index, case.kind.name());
    for x in &case.mutations {
        let _ = writeln!(m, "  {x}");
    }
    std::fs::write(dir.join("mutations.txt"), m)?;
    if let Some(r) = r {
        let head = |b: &[u8]| -> Vec<u8> { b[..b.len().min(64 << 10)].to_vec() };
        std::fs::write(dir.join("stdout.txt"), head(&r.stdout))?;
        let mut e = head(&r.stderr);
        let tail = format!("\n[exit: {:?}, {:.2} s]\n", r.exit, r.elapsed.as_secs_f64());
        e.extend_from_slice(tail.as_bytes());
        std::fs::write(dir.join("stderr.txt"), e)?;
    }
    Ok(())
}

/// One finished case.
struct Finished {
    /// The case.
    case: Case,
    /// Its outcome.
    outcome: Outcome,
    /// Grouping signature (empty for clean outcomes).
    sig: String,
    /// What it printed.
    result: RunResult,
}

fn parse_settings(args: &[String]) -> Result<Settings, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut s = Settings {
        cases: DEFAULT_CASES,
        seed: DEFAULT_SEED,
        keep: target.join("fuzz-findings"),
        scalesim: target.join("release/scalesim"),
        jobs: 2,
        budget: Duration::from_secs(5),
        mem_kib: 2 << 20,
        minimize: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let num = |name: &str, v: String| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{name} expects a whole number, got `{v}`"))
        };
        match a.as_str() {
            "--cases" => s.cases = num("--cases", value("--cases")?)? as usize,
            "--seed" => s.seed = num("--seed", value("--seed")?)?,
            "--keep" => s.keep = PathBuf::from(value("--keep")?),
            "--scalesim" => s.scalesim = PathBuf::from(value("--scalesim")?),
            "--jobs" => s.jobs = (num("--jobs", value("--jobs")?)? as usize).max(1),
            "--budget-s" => {
                s.budget = Duration::from_secs(num("--budget-s", value("--budget-s")?)?.max(1))
            }
            "--mem-mib" => s.mem_kib = num("--mem-mib", value("--mem-mib")?)? * 1024,
            "--no-minimize" => s.minimize = false,
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(s)
}

/// Usage text.
const USAGE: &str = "\
fuzz_inputs [--cases N] [--seed S] [--keep DIR] [--scalesim PATH] [--jobs J]
            [--budget-s T] [--mem-mib M] [--no-minimize]
Mutates the built-in scenarios, HPA manifests, load curves and flags, runs each case through
the release scalesim binary and fails on a panic, crash, hang, NaN/inf output or a refusal
that does not say where. Defaults: 3000 cases, seed 12, target/fuzz-findings/,
target/release/scalesim, 2 jobs, 5 s and 2048 MiB per case.";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let s = match parse_settings(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    std::process::exit(fuzz(&s));
}

/// Runs the whole target; returns the exit code.
fn fuzz(s: &Settings) -> i32 {
    if !s.scalesim.is_file() {
        eprintln!(
            "fuzz_inputs: no binary at {} (cargo build --release --bin scalesim, or --scalesim PATH)",
            s.scalesim.display()
        );
        return 2;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = match Corpus::load(&root) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fuzz_inputs: {e}");
            return 2;
        }
    };
    let work = std::env::temp_dir().join(format!("scalesim-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&work);
    let t0 = Instant::now();

    // The unmutated inputs must run clean: otherwise the classifier, not the product, is off.
    let mut baseline_bad = Vec::new();
    for (i, (name, text)) in corpus.scenarios.iter().enumerate() {
        let mut g = Gen::for_case(0, 0);
        let mut c = base_case(&corpus, &mut g, Kind::Scenario, usize::MAX - i);
        c.files = vec![(SCENARIO_FILE.into(), text.clone())];
        let (o, sig, _) = execute(s, &work, &c);
        if o != Outcome::CleanRun {
            baseline_bad.push(format!("scenarios/{name}.toml: {} {sig}", o.name()));
        }
    }
    for (i, (m, mt, c, ct)) in corpus.manifests.iter().enumerate() {
        let mut g = Gen::for_case(0, 0);
        let mut case = base_case(&corpus, &mut g, Kind::HpaManifest, usize::MAX - 100 - i);
        case.files = vec![
            (MANIFEST_FILE.into(), mt.clone()),
            (LOAD_FILE.into(), ct.clone()),
        ];
        let (o, sig, _) = execute(s, &work, &case);
        if o != Outcome::CleanRun {
            baseline_bad.push(format!("{m} with {c}: {} {sig}", o.name()));
        }
    }
    if !baseline_bad.is_empty() {
        eprintln!("fuzz_inputs: unmutated inputs do not run clean:");
        for b in &baseline_bad {
            eprintln!("  {b}");
        }
        let _ = std::fs::remove_dir_all(&work);
        return 2;
    }

    println!(
        "fuzz_inputs: {} cases, seed {}, {} jobs, {:.0} s and {} MiB per case, binary {}",
        s.cases,
        s.seed,
        s.jobs,
        s.budget.as_secs_f64(),
        s.mem_kib / 1024,
        s.scalesim.display()
    );
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Finished>>> = Mutex::new((0..s.cases).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..s.jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= s.cases {
                    break;
                }
                let case = generate(&corpus, s.seed, i);
                let (outcome, sig, result) = execute(s, &work, &case);
                results.lock().expect("results")[i] = Some(Finished {
                    case,
                    outcome,
                    sig,
                    result,
                });
                let d = done.fetch_add(1, Ordering::SeqCst) + 1;
                if d.is_multiple_of(200) || d == s.cases {
                    let bad = results
                        .lock()
                        .expect("results")
                        .iter()
                        .flatten()
                        .filter(|f| f.outcome.is_bad())
                        .count();
                    println!(
                        "  {d}/{} cases, {bad} bad, {:.0} s",
                        s.cases,
                        t0.elapsed().as_secs_f64()
                    );
                }
            });
        }
    });
    let finished: Vec<Finished> = results
        .into_inner()
        .expect("results")
        .into_iter()
        .flatten()
        .collect();
    let code = report(s, &work, &finished, t0);
    let _ = std::fs::remove_dir_all(&work);
    code
}

/// Prints the counts and the grouped findings, saves the bad cases; returns the exit code.
fn report(s: &Settings, work: &Path, finished: &[Finished], t0: Instant) -> i32 {
    let mut by_outcome: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<(Kind, Outcome), usize> = BTreeMap::new();
    for f in finished {
        *by_outcome.entry(f.outcome).or_default() += 1;
        *by_kind.entry((f.case.kind, f.outcome)).or_default() += 1;
    }
    println!(
        "\n{} cases in {:.0} s (seed {})",
        finished.len(),
        t0.elapsed().as_secs_f64(),
        s.seed
    );
    println!("  {:<20} {:>6}", "outcome", "cases");
    for o in Outcome::ALL {
        println!(
            "  {:<20} {:>6}",
            o.name(),
            by_outcome.get(&o).copied().unwrap_or(0)
        );
    }
    print!("\n  {:<14}", "kind");
    for o in Outcome::ALL {
        print!(" {:>8}", short(o));
    }
    println!();
    for k in Kind::ALL {
        print!("  {:<14}", k.name());
        for o in Outcome::ALL {
            print!(" {:>8}", by_kind.get(&(k, o)).copied().unwrap_or(0));
        }
        println!();
    }

    let bad: Vec<&Finished> = finished.iter().filter(|f| f.outcome.is_bad()).collect();
    if bad.is_empty() {
        println!("\nno bad outcome");
        return 0;
    }
    // Start from an empty findings folder (only the folders this target writes).
    for o in Outcome::ALL {
        let _ = std::fs::remove_dir_all(s.keep.join(o.name()));
    }
    let mut groups: BTreeMap<(Outcome, String), Vec<&Finished>> = BTreeMap::new();
    for f in &bad {
        let key = match f.outcome {
            // Hangs have no message: group them by input kind.
            Outcome::Hang => hang_key(&f.case),
            // The same allocation failure comes from different inputs: keep them apart.
            Outcome::Crash => format!("{} [{}]", f.sig, f.case.kind.name()),
            Outcome::CleanRun
            | Outcome::CleanRefusal
            | Outcome::Panic
            | Outcome::NonFinite
            | Outcome::AcceptedNonFinite
            | Outcome::UnlocatedRefusal => f.sig.clone(),
        };
        groups.entry((f.outcome, key)).or_default().push(f);
    }
    println!(
        "\n{} bad cases in {} groups, saved under {}/",
        bad.len(),
        groups.len(),
        s.keep.display()
    );
    for f in &bad {
        let dir = s.keep.join(f.outcome.name()).join(format!(
            "{:05}-{}",
            f.case.index,
            f.case.kind.name()
        ));
        if let Err(e) = save(&dir, &f.case, Some(&f.result), &f.sig) {
            eprintln!("fuzz_inputs: cannot save {}: {e}", dir.display());
        }
    }
    let mut current = None;
    for (g, ((outcome, key), members)) in groups.iter().enumerate() {
        if current != Some(*outcome) {
            println!(
                "\n== {} ({} cases)",
                outcome.name(),
                by_outcome.get(outcome).copied().unwrap_or(0)
            );
            current = Some(*outcome);
        }
        let smallest = members
            .iter()
            .min_by_key(|f| {
                (
                    f.case.files.iter().map(|x| x.1.len()).sum::<usize>(),
                    f.case.index,
                )
            })
            .expect("a member");
        let example = if s.minimize && *outcome != Outcome::Hang {
            minimize(s, work, &smallest.case, *outcome, &smallest.sig)
        } else {
            smallest.case.clone()
        };
        let rerun = execute(s, work, &example).2;
        let dir = s.keep.join(outcome.name()).join(format!("example-{g:02}"));
        let _ = save(&dir, &example, Some(&rerun), key);
        let kinds: BTreeMap<&str, usize> = members.iter().fold(BTreeMap::new(), |mut m, f| {
            *m.entry(f.case.kind.name()).or_default() += 1;
            m
        });
        println!(
            "\n  [{g:02}] {key}\n       {} cases {kinds:?}",
            members.len()
        );
        println!("       example: {}/", dir.display());
        println!("       $ {}", example.command_line());
        for m in example.mutations.iter().skip(1) {
            println!("       · {m}");
        }
        if let Some(p) = &example.primary {
            let text = example.files.iter().find(|f| &f.0 == p).map(|f| &f.1);
            if let Some(t) = text.filter(|t| t.len() <= 600) {
                for l in String::from_utf8_lossy(t).lines().take(12) {
                    println!("       | {l}");
                }
            }
        }
        let printed = if rerun.stderr.is_empty() {
            &rerun.stdout
        } else {
            &rerun.stderr
        };
        for l in String::from_utf8_lossy(printed).lines().take(3) {
            println!("       > {}", clip(l, 150));
        }
    }
    println!(
        "\nFAILED: {} bad cases (see {}/)",
        bad.len(),
        s.keep.display()
    );
    1
}

/// A short column title for an outcome.
fn short(o: Outcome) -> &'static str {
    match o {
        Outcome::CleanRun => "run",
        Outcome::CleanRefusal => "refusal",
        Outcome::Panic => "panic",
        Outcome::Crash => "crash",
        Outcome::Hang => "hang",
        Outcome::NonFinite => "nan/inf",
        Outcome::AcceptedNonFinite => "acc-nan",
        Outcome::UnlocatedRefusal => "no-loc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(exit: Exit, stdout: &str, stderr: &str) -> RunResult {
        RunResult {
            exit,
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            out_files: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn nan_in_series_csv_is_non_finite_output() {
        let mut r = result(Exit::Code(0), "served 10 req/s\n", "");
        r.out_files.push((
            "series.csv".into(),
            b"t_s,queued_requests\n0,1\n1,NaN\n".to_vec(),
        ));
        let (o, sig) = classify(&r, &["case.toml"], &[], None);
        assert_eq!(o, Outcome::NonFinite);
        assert_eq!(sig, "series.csv column queued_requests");
    }

    #[test]
    fn inf_in_stdout_is_non_finite_but_words_are_not() {
        let r = result(Exit::Code(0), "  utilization  inf %\n", "");
        assert_eq!(classify(&r, &[], &[], None).0, Outcome::NonFinite);
        let r = result(Exit::Code(0), "info: infinite scroll, Nancy\n", "");
        assert_eq!(classify(&r, &[], &[], None).0, Outcome::CleanRun);
    }

    #[test]
    fn file_line_refusal_is_located() {
        let r = result(
            Exit::Code(2),
            "",
            "scalesim: file.toml:8: field `run.tick_s`: must be finite\n",
        );
        assert_eq!(
            classify(&r, &["file.toml"], &[], None).0,
            Outcome::CleanRefusal
        );
        let r = result(Exit::Code(2), "", "scalesim: --duration must be finite\n");
        assert_eq!(classify(&r, &[], &[], None).0, Outcome::CleanRefusal);
        let r = result(
            Exit::Code(2),
            "",
            "scalesim: load.csv: row 3: `abc` is not a number\n",
        );
        assert_eq!(
            classify(&r, &["load.csv"], &[], None).0,
            Outcome::CleanRefusal
        );
        let r = result(
            Exit::Code(2),
            "",
            "scalesim: load.csv: empty file, expected t_s,cpu_m\n",
        );
        assert_eq!(
            classify(&r, &["load.csv"], &[], None).0,
            Outcome::CleanRefusal
        );
    }

    #[test]
    fn clean_run_with_nan_in_the_input_accepted_it() {
        let case = Case {
            index: 0,
            kind: Kind::Scenario,
            files: vec![(
                SCENARIO_FILE.into(),
                b"[run]\ntimeline_zero_s = nan\n".to_vec(),
            )],
            args: vec!["run".into(), SCENARIO_FILE.into()],
            mutations: Vec::new(),
            primary: None,
        };
        let w = non_finite_input(&case);
        assert_eq!(w.as_deref(), Some("case.toml run.timeline_zero_s = nan"));
        let r = result(Exit::Code(0), "fine\n", "");
        let (o, sig) = classify(&r, &[], &[], w.as_deref());
        assert_eq!(o, Outcome::AcceptedNonFinite);
        assert_eq!(sig, "accepted case.toml run.timeline_zero_s = nan");
        let args: Vec<String> = ["run", "x", "--duration", "infh"]
            .map(String::from)
            .to_vec();
        let flags = Case {
            args,
            files: Vec::new(),
            ..case
        };
        assert_eq!(non_finite_input(&flags).as_deref(), Some("--duration infh"));
    }

    #[test]
    fn refusal_without_line_is_unlocated() {
        let r = result(
            Exit::Code(2),
            "",
            "scalesim: min.toml: unknown zone `nope`\n",
        );
        let (o, sig) = classify(&r, &["min.toml"], &[], None);
        assert_eq!(o, Outcome::UnlocatedRefusal);
        assert_eq!(sig, "scalesim: min.toml: unknown zone `…`");
    }

    #[test]
    fn signal_is_a_crash_and_101_a_panic_and_timeout_a_hang() {
        let r = result(
            Exit::Signal(6),
            "",
            "memory allocation of 8000000000000 bytes failed\n",
        );
        let (o, sig) = classify(&r, &[], &[], None);
        assert_eq!(o, Outcome::Crash);
        assert_eq!(sig, "signal 6: memory allocation of # bytes failed");
        let r = result(
            Exit::Code(101),
            "",
            "\nthread 'main' (7354) panicked at /rustc/abc/library/alloc/src/raw_vec/mod.rs:28:5:\ncapacity overflow\n",
        );
        let (o, sig) = classify(&r, &[], &[], None);
        assert_eq!(o, Outcome::Panic);
        assert_eq!(sig, "alloc/src/raw_vec/mod.rs: capacity overflow");
        assert_eq!(
            classify(&result(Exit::Timeout, "", ""), &[], &[], None).0,
            Outcome::Hang
        );
    }

    #[test]
    fn generator_is_deterministic_and_mutates() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let corpus = Corpus::load(&root).unwrap();
        for i in 0..50 {
            let a = generate(&corpus, 7, i);
            let b = generate(&corpus, 7, i);
            assert_eq!(a.args, b.args);
            assert_eq!(a.files, b.files);
            assert_eq!(a.mutations, b.mutations);
            assert!((2..=4).contains(&a.mutations.len()), "{:?}", a.mutations);
        }
        let differ =
            (0..50).any(|i| generate(&corpus, 7, i).files != generate(&corpus, 8, i).files);
        assert!(differ);
    }

    #[test]
    fn toml_spans_find_keys_in_tables_and_inline_tables() {
        let t = b"title = \"x = y\"\n[run]\ntick_s = 1.0 # c\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
        let sp = toml_spans(t);
        let keys: Vec<&str> = sp.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["title", "run.tick_s", "traffic.kind", "traffic.rps"]);
        let rps = &sp[3];
        assert_eq!(&t[rps.start..rps.end], b"10.0");
        assert_eq!(rps.kind, ValKind::Number);
    }

    #[test]
    fn mutations_produce_the_field_case_shapes() {
        let mut g = Gen::for_case(1, 1);
        let mut t = b"[run]\ntick_s = 1.0\n".to_vec();
        let how = extreme(&mut g, &mut t, Format::Toml, false);
        let text = String::from_utf8(t).unwrap();
        let v = text.lines().nth(1).unwrap().trim_start_matches("tick_s = ");
        assert!(TOML_EXTREMES.contains(&v), "{text} {how}");
        let mut y = b"minReplicas: 1\nmaxReplicas: 5\n".to_vec();
        let how = alias_bomb(&mut g, &mut y);
        assert!(
            String::from_utf8_lossy(&y).contains("a1: &a1 [*a0"),
            "{how}"
        );
        let mut c = b"t_s,cpu_m\n0,1\n".to_vec();
        huge_rows(&mut g, &mut c);
        assert!(lines(&c).len() > 50_000);
    }
}
