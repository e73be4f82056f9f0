//! Question definitions that cannot work are refused when the scenario loads,
//! at the field that makes them so, with what would be accepted: a numeric
//! key read in another unit than its probe measures, a check no run could
//! pass, a drill playbook that acts before the fault or restores a fault not
//! in play, a seed listed twice, two choice options a learner cannot tell
//! apart. `--check` names a weak answer's reason only when there is one.

use scalesim::grade::check_scenario;
mod fixtures;
use fixtures::refusals::assert_refused;
use scalesim::scenario::{built_in, load};

/// A small built-in scenario with no questions of its own (a 30-minute flash
/// crowd, pause pods as its knob), with `questions` appended.
fn with_questions(questions: &str) -> String {
    let base = built_in("hpa-vs-ca-gap").expect("hpa-vs-ca-gap is built in");
    assert!(!base.contains("[[questions]]"), "the base has questions");
    format!("{base}\n{questions}")
}

/// `text` with `from` replaced by `to` (once; it must be there).
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "no {from:?} in:\n{text}");
    text.replacen(from, to, 1)
}

fn assert_loads(text: &str) {
    if let Err(e) = load("t.toml", text) {
        panic!("refused: {e}\n{text}");
    }
}

/// A choice question, first, so the numeric question below is questions[1].
const CHOICE: &str = r#"
[[questions]]
id = "why"
kind = "choice"
prompt = "Why do the new pods wait?"
options = [
  { text = "The nodes are full", correct = true },
  { text = "The HPA is slow" },
  { text = "The image is large" },
]
"#;

const NUMERIC: &str = r#"
[[questions]]
id = "burn"
kind = "numeric"
prompt = "How much of the error budget does the flash crowd burn?"
answer_from = { probe = "budget_used_pct", from_s = 300.0, to_s = 900.0 }
unit = "%"
tolerance = 0.1
"#;

#[test]
fn a_numeric_key_in_another_dimension_than_its_probe_is_refused_at_its_unit() {
    let good = with_questions(&format!("{CHOICE}{NUMERIC}"));
    assert_loads(&good);
    // The tester's case: a percentage asked in pods would mark "1.16 %" wrong.
    let text = replaced(&good, "unit = \"%\"", "unit = \"pods\"");
    assert_refused(
        &text,
        "unit = \"pods\"",
        "questions[1].unit",
        &[
            "question \u{201c}burn\u{201d}",
            "\u{201c}pods\u{201d}, a count",
            "\u{201c}budget_used_pct\u{201d} measures a percentage",
            "write % or percent",
        ],
    );
    // A time probe needs a time unit; ms or minutes are both times.
    let lag = replaced(&good, "probe = \"budget_used_pct\"", "probe = \"p99_ms\"");
    let text = replaced(&lag, "unit = \"%\"", "unit = \"req/s\"");
    assert_refused(
        &text,
        "unit = \"req/s\"",
        "questions[1].unit",
        &["a rate", "measures a time", "write ms, s"],
    );
    assert_loads(&replaced(&lag, "unit = \"%\"", "unit = \"s\""));
    // Money, and a count.
    let cost = replaced(&good, "probe = \"budget_used_pct\"", "probe = \"cost_usd\"");
    assert_refused(
        &cost,
        "unit = \"%\"",
        "questions[1].unit",
        &["measures an amount of money", "write $"],
    );
    assert_loads(&replaced(&cost, "unit = \"%\"", "unit = \"$\""));
    let pods = replaced(
        &good,
        "probe = \"budget_used_pct\"",
        "probe = \"pods_ready\", stat = \"max\"",
    );
    assert_refused(
        &pods,
        "unit = \"%\"",
        "questions[1].unit",
        &["measures a count (in pods)"],
    );
    // A count of other things: nodes for pods would mark "13 pods" wrong.
    let text = replaced(&pods, "unit = \"%\"", "unit = \"nodes\"");
    assert_refused(
        &text,
        "unit = \"nodes\"",
        "questions[1].unit",
        &[
            "counts pods, not nodes",
            "write \u{201c}pods\u{201d} or a bare number",
        ],
    );
    // The same things by another name, or a bare count, are fine.
    for unit in ["pods", "instances", "replicas", ""] {
        assert_loads(&replaced(
            &pods,
            "unit = \"%\"",
            &format!("unit = \"{unit}\""),
        ));
    }
}

const CONFIGURE: &str = r#"
[[questions]]
id = "gap"
kind = "configure"
prompt = "Keep the flash crowd's new pods from waiting for nodes."
seeds = [1, 2]
checks = [
  { label = "few failures", probe = "requests_failed", from_s = 300.0, max = 1000.0 },
  { label = "available", probe = "availability_pct", from_s = 300.0, min = 99.0 },
]
reference = { knobs = { "pause_pods.count" = 6 } }
weak = { knobs = { "pause_pods.count" = 0 } }
"#;

#[test]
fn a_check_bound_its_probe_can_never_reach_is_refused_at_the_bound() {
    let good = with_questions(&format!("{CHOICE}{NUMERIC}{CONFIGURE}"));
    assert_loads(&good);
    // A count is never below 0.
    let text = replaced(&good, "max = 1000.0", "max = -5.0");
    assert_refused(
        &text,
        "max = -5.0",
        "questions[2].checks[0].max",
        &[
            "question \u{201c}gap\u{201d}",
            "check \u{201c}few failures\u{201d}: `max` is -5 requests",
            "`requests_failed` measures 0 requests or more",
            "no run could pass",
            "give a max of at least 0 requests",
        ],
    );
    // A percentage is never above 100.
    let text = replaced(&good, "min = 99.0", "min = 150.0");
    assert_refused(
        &text,
        "min = 150.0",
        "questions[2].checks[1].min",
        &[
            "check \u{201c}available\u{201d}: `min` is 150 %",
            "`availability_pct` measures from 0 % to 100 %",
            "give a min of at most 100 %",
        ],
    );
    // The range's own ends are reachable: no failures, full availability.
    let edges = replaced(&good, "max = 1000.0", "max = 0.0");
    assert_loads(&replaced(&edges, "min = 99.0", "min = 100.0"));
    // A series has its range too: pods are never below 0.
    let text = replaced(
        &good,
        "probe = \"availability_pct\", from_s = 300.0, min = 99.0",
        "probe = \"pods_ready\", stat = \"min\", from_s = 300.0, max = -1.0",
    );
    assert_refused(
        &text,
        "max = -1.0",
        "questions[2].checks[1].max",
        &["is -1 pods", "0 pods or more"],
    );
}

const DRILL: &str = r#"
[[questions]]
id = "slow"
kind = "drill"
prompt = "The service slows down. Stop the fault."
fault = { kind = "inject_latency", target = "service", ms = 400.0 }
fault_window_s = [300.0, 600.0]
steady = [{ series = "p99_ms", max = 250.0 }]
hold_s = 60.0
playbook = [{ at_s = 20.0, action = { kind = "restore", fault = "latency" } }]
seeds = [1, 2]
"#;

#[test]
fn a_drill_playbook_acts_after_the_fault_and_restores_a_fault_in_play() {
    let good = with_questions(&format!("{CHOICE}{DRILL}"));
    assert_loads(&good);
    // Before the fault: a negative time after it.
    let text = replaced(&good, "at_s = 20.0", "at_s = -20.0");
    assert_refused(
        &text,
        "at_s = -20.0",
        "questions[1].playbook[0].at_s",
        &[
            "question \u{201c}slow\u{201d}",
            "is -20 s",
            "at or after the fault",
            "give at least 0 s",
        ],
    );
    assert_loads(&replaced(&good, "at_s = 20.0", "at_s = 0.0"));
    // A restore of a fault the drill does not inject does nothing.
    let text = replaced(&good, "fault = \"latency\"", "fault = \"bad_release\"");
    assert_refused(
        &text,
        "fault = \"bad_release\"",
        "questions[1].playbook[0].action.fault",
        &[
            "restores \u{201c}bad_release\u{201d}, a fault not in play",
            "the drill's fault (inject latency) is cleared by restoring \u{201c}latency\u{201d}",
            "none of the scenario's events injects a fault it clears",
            "restore \u{201c}latency\u{201d} (or \u{201c}all\u{201d})",
        ],
    );
    // `all` clears the drill's fault too.
    assert_loads(&replaced(&good, "fault = \"latency\"", "fault = \"all\""));
    // A fault the scenario's own events inject is in play as well.
    let event = r#"
[[events]]
at_s = 200.0
action = { kind = "bad_release", error_rate = 0.01, extra_latency_ms = 20.0 }
"#;
    let with_event = replaced(&text, "\n[[questions]]", &format!("{event}\n[[questions]]"));
    assert_loads(&with_event);
    // A drill whose fault no restore clears.
    let text = replaced(
        &good,
        "fault = { kind = \"inject_latency\", target = \"service\", ms = 400.0 }",
        "fault = { kind = \"kill_pods\", count = 3 }",
    );
    assert_refused(
        &text,
        "fault = \"latency\"",
        "questions[1].playbook[0].action.fault",
        &[
            "the drill's fault (kill pods) is not one a restore clears",
            "mitigate it with another action",
        ],
    );
}

#[test]
fn a_seed_listed_twice_is_refused() {
    let drill = with_questions(&format!("{CHOICE}{DRILL}"));
    let text = replaced(&drill, "seeds = [1, 2]", "seeds = [1, 1]");
    assert_refused(
        &text,
        "seeds = [1, 1]",
        "questions[1].seeds",
        &[
            "question \u{201c}slow\u{201d}",
            "lists seed 1 twice",
            "give each seed once",
        ],
    );
    let configure = with_questions(&format!("{CHOICE}{NUMERIC}{CONFIGURE}"));
    let text = replaced(&configure, "seeds = [1, 2]", "seeds = [3, 1, 3]");
    assert_refused(
        &text,
        "seeds = [3, 1, 3]",
        "questions[2].seeds",
        &["lists seed 3 twice"],
    );
}

#[test]
fn two_choice_options_with_the_same_text_are_refused_at_the_second() {
    let good = with_questions(CHOICE);
    assert_loads(&good);
    let text = replaced(
        &good,
        "{ text = \"The image is large\" }",
        "{ text = \"  the NODES are full \" }",
    );
    assert_refused(
        &text,
        "the NODES are full",
        "questions[0].options[2].text",
        &[
            "question \u{201c}why\u{201d}",
            "option 2 \u{201c}the NODES are full\u{201d} has the same text as option 0",
            "give each option its own text",
        ],
    );
}

#[test]
fn the_check_names_a_weak_answers_reason_only_when_it_has_one() {
    // One short run per answer: the line's words are what is checked.
    let short = replaced(
        CONFIGURE,
        "seeds = [1, 2]",
        "seeds = [1]\nduration_s = 420.0",
    );
    let short = replaced(&short, "from_s = 300.0, max", "from_s = 0.0, max");
    let text = with_questions(&short);
    let s = load("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let lines = check_scenario(&s).unwrap_or_else(|e| panic!("{e}"));
    let weak: Vec<&str> = lines
        .iter()
        .filter(|l| l.what.starts_with("the weak answer"))
        .map(|l| l.what.as_str())
        .collect();
    assert_eq!(weak, ["the weak answer fails"]);
    let text = replaced(
        &text,
        "weak = {",
        "weak_why = \"no spare room on the nodes\"\nweak = {",
    );
    let s = load("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let lines = check_scenario(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        lines
            .iter()
            .any(|l| l.what == "the weak answer fails (no spare room on the nodes)"),
        "{lines:#?}"
    );
}
