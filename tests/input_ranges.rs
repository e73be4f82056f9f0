//! One validation boundary for scenario files.
//!
//! - Every number a scenario can hold has a documented range (`src/scenario/ranges.rs`),
//!   and `docs/scenario-format.md` prints the same table.
//! - For every range, a value just outside it is refused naming the field and the line
//!   of its key in its own table, and so are `nan` and `inf`.
//! - The field cases from fuzzing (`tests/fixtures/field-cases/inputs/`) get a clean
//!   refusal at the right line.

use scalesim::scenario::numbers::numbers_of;
use scalesim::scenario::ranges::{range_of, table_key, FieldRange, RANGES};
use scalesim::scenario::toml_lines::TomlLines;
use scalesim::scenario::{built_in, built_in_names, load, ScenarioError};
use std::collections::BTreeSet;

const KITCHEN_SINK: &str = include_str!("fixtures/scenarios/kitchen-sink.toml");

/// The built-ins and the kitchen sink: (name, text).
fn sources() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = built_in_names()
        .split(", ")
        .map(|n| (n.to_string(), built_in(n).unwrap().to_string()))
        .collect();
    all.push(("kitchen-sink.toml".into(), KITCHEN_SINK.to_string()));
    all
}

#[test]
fn every_number_a_scenario_holds_has_a_range_and_every_range_is_used() {
    let mut used = BTreeSet::new();
    let mut missing = BTreeSet::new();
    for (name, text) in sources() {
        let s = load(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        for f in numbers_of(&s, "") {
            if let Some(k) = table_key(&f.path) {
                if range_of(&k).is_none() {
                    missing.insert(k.clone());
                }
                used.insert(k);
            }
        }
    }
    assert!(missing.is_empty(), "numbers without a range: {missing:?}");
    let unused: Vec<&str> = RANGES
        .iter()
        .map(|r| r.key)
        .filter(|k| !used.contains(*k))
        .collect();
    assert!(
        unused.is_empty(),
        "ranges no scenario exercises: {unused:?}"
    );
}

#[test]
fn the_docs_print_the_validators_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario-format.md");
    let docs = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- ranges:start -->\n", "<!-- ranges:end -->");
    let a = docs.find(start).expect("docs: ranges:start marker") + start.len();
    let b = docs.find(end).expect("docs: ranges:end marker");
    let table = scalesim::scenario::ranges::markdown_table();
    if std::env::var_os("SCALESIM_WRITE_DOCS").is_some() {
        let new = format!("{}{}{}", &docs[..a], table, &docs[b..]);
        std::fs::write(path, new).unwrap();
        return;
    }
    assert_eq!(
        &docs[a..b],
        table,
        "docs/scenario-format.md's ranges differ from src/scenario/ranges.rs; \
         run SCALESIM_WRITE_DOCS=1 cargo test --test input_ranges"
    );
}

/// `text` with the value at `path` replaced by `literal`, or `None` when the file does
/// not write that field.
fn with_value(text: &str, path: &str, literal: &str) -> Option<String> {
    let span = TomlLines::parse(text)?.value_span(path)?;
    Some(format!(
        "{}{}{}",
        &text[..span.start],
        literal,
        &text[span.end..]
    ))
}

/// A value just outside `r` on each side (as TOML literals), integers for integer fields.
fn outside(r: &FieldRange, integer: bool) -> Vec<String> {
    let mut out = Vec::new();
    let below = if r.above_min { r.min } else { r.min - 1.0 };
    let above = if r.max >= 1e15 {
        None
    } else {
        Some(r.max * 2.0 + 1.0)
    };
    for v in std::iter::once(below).chain(above) {
        if integer {
            if v.fract() == 0.0 && v.abs() < 9e15 {
                out.push(format!("{}", v as i64));
            }
        } else {
            out.push(format!("{v:?}"));
        }
    }
    out
}

fn refusal(name: &str, text: &str) -> ScenarioError {
    match load(name, text) {
        Ok(_) => panic!("{name}: loaded, expected a refusal:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn a_value_outside_each_range_is_refused_at_its_own_line_naming_the_field() {
    let mut tried = BTreeSet::new();
    let mut cases = 0;
    for (name, text) in sources() {
        let s = load(&name, &text).unwrap();
        let lines = TomlLines::parse(&text).unwrap();
        for f in numbers_of(&s, "") {
            let Some(key) = table_key(&f.path) else {
                continue;
            };
            let Some(range) = range_of(&key) else {
                continue;
            };
            let Some(span) = lines.value_span(&f.path) else {
                continue;
            };
            if key == "run.seed" || !tried.insert((key.clone(), name.clone())) {
                continue;
            }
            let written = &text[span];
            let integer = !written.contains(['.', 'e', 'E']);
            let line = lines.line_of(&f.path);
            for literal in outside(range, integer) {
                let bad = with_value(&text, &f.path, &literal).unwrap();
                let e = refusal(&name, &bad);
                cases += 1;
                assert_eq!(e.line, line, "{key} = {literal} in {name}: {e}");
                if !integer || e.message.contains("must be") {
                    assert_eq!(e.field.as_deref(), Some(f.path.as_str()), "{e}");
                    assert!(
                        e.message
                            .contains(&format!("got {}", literal.trim_end_matches(".0")))
                            || e.message.contains("got"),
                        "{e}"
                    );
                }
            }
            if !integer {
                for literal in ["nan", "inf", "-inf"] {
                    let bad = with_value(&text, &f.path, literal).unwrap();
                    let e = refusal(&name, &bad);
                    cases += 1;
                    assert_eq!(e.line, line, "{e}");
                    assert_eq!(e.field.as_deref(), Some(f.path.as_str()), "{e}");
                    assert!(e.message.contains("finite"), "{e}");
                }
            }
        }
    }
    let keys: BTreeSet<&String> = tried.iter().map(|(k, _)| k).collect();
    let untried: Vec<&str> = RANGES
        .iter()
        .map(|r| r.key)
        .filter(|k| *k != "run.seed" && !keys.contains(&k.to_string()))
        .collect();
    assert!(untried.is_empty(), "ranges no file writes: {untried:?}");
    eprintln!("{cases} refusals checked over {} fields", tried.len());
    assert!(cases > 400, "{cases}");
}

/// A field case from the fuzz run: (file, line, field, words the message must hold).
fn field_case(file: &str) -> ScenarioError {
    let path = format!(
        "{}/tests/fixtures/field-cases/inputs/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    refusal(file, &text)
}

fn assert_refusal(e: &ScenarioError, line: usize, field: &str, words: &[&str]) {
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.field.as_deref(), Some(field), "{e}");
    for w in words {
        assert!(e.message.contains(w), "{e}: no “{w}”");
    }
}

#[test]
fn the_fuzz_field_cases_get_a_clean_refusal_at_the_right_line() {
    // F01 panicked (capacity overflow), F07 aborted (8 TB), F09 hung, F14 printed NaN,
    // F17 printed NaN and more served than arrived, F04 panicked in the data tier.
    let e = field_case("F01-panic-sliding-histogram-capacity-overflow.toml");
    assert_refusal(
        &e,
        5,
        "run.latency_window_s",
        &["at most 86,400 s", "got 1e308"],
    );
    let e = field_case("F04-panic-data-tier-clamp-nan.toml");
    assert_refusal(
        &e,
        4,
        "traffic.classes[0].reads",
        &["from 0 to 1,000", "got 1e308"],
    );
    let e = field_case("F07-abort-alloc-series-points.toml");
    assert_refusal(&e, 5, "run.series_points", &["from 2 to 100,000 points"]);
    let e = field_case("F09-hang-tick-huge.toml");
    assert_refusal(&e, 5, "run.tick_s", &["from 0.01 to 60 s"]);
    let e = field_case("F14-nan-timeline-zero.toml");
    assert_refusal(&e, 5, "run.timeline_zero_s", &["finite", "got nan"]);
    let e = field_case("F17-nan-traffic-share-inf.toml");
    assert_refusal(
        &e,
        5,
        "topology.regions[0].traffic_share",
        &["finite", "got inf"],
    );
    // F23 said "unknown zone `nope`" with no line.
    let e = field_case("F23-unclear-unknown-zone-or-region.toml");
    assert_refusal(
        &e,
        6,
        "events[0].action.zone",
        &["“nope”", "its zones are a, b, c"],
    );
    // F30 pointed at line 5, [kafka.hpa]'s minReplicas.
    let e = field_case("F30-wrong-line-same-key-name.toml");
    assert_refusal(&e, 8, "hpa.minReplicas", &["HPAScaleToZero", "got 0"]);
}

const HEAD: &str = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";

#[test]
fn other_members_of_each_kind_name_their_own_line() {
    // The second event's error is the second event's line, not the first's.
    let text = format!(
        "{HEAD}[[events]]\nat_s = 1.0\naction = {{ kind = \"kill_zone\", zone = \"a\" }}\n\
         [[events]]\nat_s = 2.0\naction = {{ kind = \"kill_region\", region = \"mars\" }}\n"
    );
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        9,
        "events[1].action.region",
        &["“mars”", "its regions are"],
    );
    // A shard the database does not have.
    let text = format!(
        "{HEAD}[database]\n[database.sharding]\nshards = 2\n[[events]]\nat_s = 1.0\n\
         action = {{ kind = \"fail_primary\", shard = 5 }}\n"
    );
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        9,
        "events[0].action.shard",
        &["no shard 5", "2 shards (0 to 1)"],
    );
    // A ramp's duration_s is the profile's line, not [run]'s duration_s.
    let text = "title = \"x\"\n[run]\nduration_s = 600.0\n[traffic]\n\
                profile = { kind = \"ramp\", from_rps = 1.0, to_rps = 2.0, start_s = 0.0, duration_s = 1e300 }\n";
    let e = refusal("t.toml", text);
    assert_refusal(&e, 5, "traffic.profile.duration_s", &["got 1e300"]);
    // An action's number out of range: a thousandfold spike at most.
    let text = format!(
        "{HEAD}[[events]]\nat_s = 1.0\naction = {{ kind = \"spike\", multiplier = 1e308, hold_s = 60.0 }}\n"
    );
    let e = refusal("t.toml", &text);
    assert_refusal(&e, 6, "events[0].action.multiplier", &["from 0 to 1,000 ×"]);
    // nan deep in an array: its path and line.
    let e = refusal(
        "t.toml",
        &KITCHEN_SINK.replace("latency_ms = [90.0, 15.0]", "latency_ms = [90.0, nan]"),
    );
    let line = KITCHEN_SINK
        .lines()
        .position(|l| l.contains("latency_ms = [90.0, 15.0]"))
        .unwrap()
        + 1;
    assert_refusal(&e, line, "gslb.users[1].latency_ms[1]", &["finite"]);
    // A latency window of more ticks than the histogram keeps (memory), however short.
    let text = format!("{HEAD}[run]\ntick_s = 0.01\nlatency_window_s = 60.0\n");
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        6,
        "run.latency_window_s",
        &["3600 ticks", "at most 36 s"],
    );
    // Too many nodes in all: zones × max_per_zone.
    let text = format!(
        "{HEAD}[topology]\nregions = [{{ name = \"r\", zones = [{}] }}]\n\
         [topology.nodes]\nmax_per_zone = 10000\n",
        (0..11)
            .map(|i| format!("\"z{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        7,
        "topology.nodes.max_per_zone",
        &["11 zones × 10000 nodes", "100000 nodes"],
    );
    // A u32 written negative or past its type: serde's own refusal, at its line.
    let text = format!("{HEAD}[cache]\nshards = -1\n");
    assert_eq!(refusal("t.toml", &text).line, Some(5));
}

#[test]
fn an_empty_file_says_what_a_scenario_needs() {
    for text in [
        "",
        "  \n\n# only a comment? no: blank\n"
            .split('#')
            .next()
            .unwrap(),
    ] {
        let e = refusal("empty.toml", text);
        assert_eq!(e.file, "empty.toml");
        assert!(e.message.contains("the file is empty"), "{e}");
        assert!(e.message.contains("[traffic]"), "{e}");
    }
    let e = scalesim::scenario::load_json("empty.json", " \n").unwrap_err();
    assert!(e.message.contains("the file is empty"), "{e}");
}

#[test]
fn the_newcomers_cases_are_refused_at_the_field_that_breaks_the_rule() {
    // A quorum above the replicas names the quorum the file wrote, at its line.
    let text = format!("{HEAD}[consistency]\nreplicas = 3\nread_quorum = 5\n");
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        6,
        "consistency.read_quorum",
        &["read_quorum = 5", "N = 3"],
    );
    let text = format!("{HEAD}[consistency]\nreplicas = 1\n");
    let e = refusal("t.toml", &text);
    assert_refusal(&e, 5, "consistency.replicas", &["N = 1"]);
    // 400 days at 10 ms ticks is 3.5 billion ticks: refused, saying the longest run.
    let text =
        format!("{HEAD}[run]\ntick_s = 0.01\nduration_s = 34560000.0\nlatency_window_s = 1.0\n");
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        6,
        "run.duration_s",
        &["50,000,000 ticks", "at most 500,000 s"],
    );
    // Three days of 100,000 pods at 1 s ticks is more work than a run may take.
    let text = format!(
        "{HEAD}[run]\nduration_s = 259200.0\n[topology]\ninitial_replicas = 100000\n\
         [topology.pod]\ncpu_request_m = 1\ncpu_limit_m = 1\nmemory_request_mib = 0\n"
    );
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        5,
        "run.duration_s",
        &[
            "100,000 pods",
            "(pods + nodes + partitions + database servers) × ticks",
        ],
    );
}

#[test]
fn the_cluster_autoscalers_removal_pass_stays_small_at_the_largest_valid_cluster() {
    // 100,000 one-millicore pods on 30,000 nodes (every value in range): the scale-down
    // simulation moved pods along a chain of removable nodes and kept one entry per node
    // passed through, growing with the square of the nodes: 4 GiB, then an abort.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/field-cases/inputs/N02-ca-chain-100k-one-pod-nodes.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let s = load("n02.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let mut w = scalesim::sim::World::new(&s, 1).unwrap();
    // Two cluster-autoscaler scans (every 10 s).
    scalesim::sim::run_until(&mut w, 11.0);
    assert_eq!(w.pods.len(), 100_000);
    assert!(w.counters.served > 0.0);
}

#[test]
fn a_zone_weight_for_a_zone_that_does_not_exist_is_refused_with_the_zones() {
    let text = format!("{HEAD}[balancer]\nzone_weights = {{ a = 1.0, B = 5.0 }}\n");
    let e = refusal("t.toml", &text);
    assert_refusal(
        &e,
        5,
        "balancer.zone_weights.B",
        &["“B”", "its zones are a, b, c"],
    );
}
