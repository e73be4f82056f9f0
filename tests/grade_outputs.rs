//! What a user reads: every `queue` figure without float noise, every
//! measure of a graded check with its unit, series.csv and events.jsonl
//! without float noise, and every answers-file refusal saying what would be
//! accepted.

use std::path::PathBuf;

use scalesim::cli;

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("scalesim-grade-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn temp(name: &str, text: &str) -> String {
    let p = dir(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// A number printed with float noise: a run of eight 0s or 9s after the
/// point, then another digit (6332.999999999998, 0.5760000000000001).
fn noisy(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
        .find(|n| {
            n.split_once('.').is_some_and(|(_, frac)| {
                let frac = frac.split('e').next().unwrap_or("");
                ["00000000", "99999999"]
                    .iter()
                    .any(|run| frac.find(run).is_some_and(|i| frac.len() > i + run.len()))
            })
        })
}

#[test]
fn e13_queue_figures_carry_no_float_noise_and_counts_agree_with_their_nouns() {
    let out = cli::run(&args(&["queue", "1", "1.0000000000000002"])).unwrap();
    assert!(out.contains("99.99999999999998 %"), "{out}");
    assert!(
        out.contains(" 158,440,000 years\n") && out.contains(" 5e15 requests"),
        "{out}"
    );
    let out = cli::run(&args(&["queue", "0.999999999999", "1"])).unwrap();
    assert!(
        out.contains("99.9999999999 %") && out.contains(" 31,688.1 years"),
        "{out}"
    );
    assert!(!out.contains("1,000,022"), "{out}");
    let out = cli::run(&args(&["queue", "8", "10"])).unwrap();
    assert!(
        out.contains(" 80.0 %") && out.contains(" 500.0 ms"),
        "{out}"
    );
    let out = cli::run(&args(&["queue", "999999999", "1000000000"])).unwrap();
    assert!(
        out.contains(" 99.9999999 %") && out.contains(" 999,999,998.00 requests"),
        "{out}"
    );
    for (l, m) in [("0.1", "0.3"), ("0.7", "0.9"), ("0.3", "0.30000000001")] {
        let out = cli::run(&args(&["queue", l, m])).unwrap();
        // The utilization shows as many 9s as it takes not to read 100 %.
        for line in out.lines().filter(|l| !l.starts_with("utilization")) {
            assert_eq!(noisy(line), None, "{l} {m}: {out}");
        }
    }
    let out = cli::run(&args(&["queue", "2", "1"])).unwrap();
    assert!(
        out.ends_with("the queue grows by 1 request per second\n"),
        "{out}"
    );
    let out = cli::run(&args(&["queue", "3", "1"])).unwrap();
    assert!(
        out.ends_with("the queue grows by 2 requests per second\n"),
        "{out}"
    );
}

#[test]
fn e14_a_configure_checks_measure_and_bound_carry_the_probes_unit() {
    // black-friday's plan: "pods an hour after the sale" reads replicas_desired.
    let answers = temp(
        "plan.toml",
        "[plan]\nknobs = { \"hpa.maxReplicas\" = 12 }\n",
    );
    let out = cli::run(&args(&["grade", "black-friday", "--answers", &answers])).unwrap();
    let line = out
        .lines()
        .find(|l| l.contains("pods an hour after the sale"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(": 3 pods (worst) vs \u{2264} 6 pods; "),
        "{line}"
    );
    assert!(line.contains("seed 1: 3 pods"), "{line}");
    for l in out.lines().filter(|l| l.contains("(worst) vs")) {
        assert!(!l.contains(" ;") && !l.contains("  ("), "{l}");
    }
    // The --check lines have the same measures.
    let out = cli::run(&args(&["grade", "black-friday", "--check"])).unwrap();
    assert!(
        out.contains("pods an hour after the sale \u{2264} 6 pods ok [seed 1: 3 pods"),
        "{out}"
    );
    assert!(!out.contains(" ] "), "{out}");
}

#[test]
fn e16_series_csv_and_events_jsonl_carry_no_float_noise() {
    let out_dir = dir("capacity-model");
    cli::run(&args(&[
        "run",
        "capacity-model",
        "--out",
        out_dir.to_str().unwrap(),
    ]))
    .unwrap();
    let csv = std::fs::read_to_string(out_dir.join("series.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for (row, line) in lines.enumerate() {
        for (col, cell) in line.split(',').enumerate() {
            let v: f64 = cell
                .parse()
                .unwrap_or_else(|_| panic!("row {row} {}: {cell}", header[col]));
            // At most 10 significant digits, written in the shortest form.
            assert_eq!(
                format!("{}", format!("{v:.9e}").parse::<f64>().unwrap()),
                cell,
                "row {row} {}",
                header[col]
            );
            assert_eq!(noisy(cell), None, "row {row} {}: {cell}", header[col]);
        }
    }
    let events = std::fs::read_to_string(out_dir.join("events.jsonl")).unwrap();
    for line in events.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let mut numbers = Vec::new();
        collect_numbers(&v, &mut numbers);
        for n in numbers {
            assert_eq!(
                format!("{n:.9e}").parse::<f64>().unwrap(),
                n,
                "more than 10 significant digits in {line}"
            );
        }
    }
    // The grade's JSON, too.
    let answers = temp(
        "plan-json.toml",
        "[plan]\nknobs = { \"hpa.maxReplicas\" = 12 }\n",
    );
    let json = cli::run(&args(&[
        "grade",
        "black-friday",
        "--answers",
        &answers,
        "--json",
    ]))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut numbers = Vec::new();
    collect_numbers(&v, &mut numbers);
    assert!(!numbers.is_empty());
    for n in numbers {
        assert_eq!(format!("{n:.9e}").parse::<f64>().unwrap(), n, "{n}");
    }
}

fn collect_numbers(v: &serde_json::Value, out: &mut Vec<f64>) {
    match v {
        serde_json::Value::Number(n) => out.extend(n.as_f64()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_numbers(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_numbers(x, out)),
        _ => {}
    }
}

#[test]
fn d12_answers_file_refusals_say_what_would_be_accepted() {
    let refusal = |name: &str, text: &str| {
        let file = temp(name, text);
        let err = cli::run(&args(&["grade", "black-friday", "--answers", &file])).unwrap_err();
        err.strip_prefix(&file)
            .unwrap_or_else(|| panic!("{err}"))
            .to_string()
    };
    // A unit the question does not know: the units it takes.
    let e = refusal("kpods.toml", "[second-step]\nvalue = \"0.013 kpods\"\n");
    assert!(
        e.starts_with(":2: [second-step] value: unknown unit \u{201c}kpods\u{201d}; the answer is a count: write a bare number, or the number and what it counts (13 pods,"),
        "{e}"
    );
    // A knob out of range: its unit.
    let e = refusal(
        "knob.toml",
        "[plan]\nknobs = { \"hpa.maxReplicas\" = 61 }\n",
    );
    assert_eq!(
        e,
        ":2: [plan] knobs.\"hpa.maxReplicas\": knob \u{201c}hpa.maxReplicas\u{201d} is 61, outside 3\u{2013}60 pods"
    );
    // [[id]]: a list of tables where one table belongs.
    let e = refusal("double.toml", "[[second-step]]\nvalue = \"13 pods\"\n");
    assert_eq!(
        e,
        ":1: [[second-step]] (double brackets) makes a list of tables; a question's answer is one table: write [second-step] with single brackets on a line of its own, then its fields below it"
    );
    // nan as the answer: the hint is about the answer, in its unit.
    let e = refusal("nan.toml", "[second-step]\nvalue = nan\n");
    assert_eq!(
        e,
        ":2: [second-step] value: must be a finite number, got nan; give the answer as a finite number with its unit, such as value = \"12 pods\""
    );
    let e = refusal(
        "nan-knob.toml",
        "[plan]\nknobs = { \"hpa.maxReplicas\" = inf }\n",
    );
    assert!(
        e.ends_with(
            "must be a finite number, got inf; give the knob a finite number, 3\u{2013}60 pods"
        ),
        "{e}"
    );
    let e = refusal(
        "nan-at.toml",
        "[plan]\nactions = [{ at_s = nan, action = { kind = \"set_replicas\", replicas = 3 } }]\n",
    );
    assert!(
        e.ends_with("give the action's time as a finite number of seconds"),
        "{e}"
    );
    // An empty table: an example in the question's own unit.
    let e = refusal("empty.toml", "[second-step]\n");
    assert_eq!(
        e,
        ":1: [second-step]: question second-step (numeric) has no `value`; answer it with value = \"12 pods\" (a number with its unit)"
    );
}

#[test]
fn an_answers_table_written_twice_is_named_at_its_second_header() {
    let answers = temp(
        "dup-answers.toml",
        "[per-user]\nvalue = \"0.015\"\n[per-user]\nvalue = \"1\"\n",
    );
    let err = cli::run(&args(&["grade", "reference", "--answers", &answers])).unwrap_err();
    assert!(err.contains("dup-answers.toml:3: [per-user]: "), "{err}");
    assert!(!err.contains("value:"), "{err}");
    assert!(err.contains("duplicate key `per-user`"), "{err}");
}

#[test]
fn an_explain_debrief_names_each_concept_and_the_model_answer_once() {
    let answers = temp(
        "explain-answers.toml",
        "[explain]\ntext = \"We roll out with a canary to 5 percent of pods first, watch the error budget burn rate against the alert threshold, and roll back automatically when the errors rise above it.\"\n",
    );
    let out = cli::run(&args(&["grade", "canary-rollout", "--answers", &answers])).unwrap();
    let explain = &out[out.find("[explain]").unwrap()..];
    assert_eq!(
        explain.matches("\u{201c}canary\u{201d}").count(),
        1,
        "{explain}"
    );
    assert_eq!(
        explain.matches("Release it as a canary").count(),
        1,
        "{explain}"
    );
}
