//! `scalesim hpa`: the HPA explorer for practitioners. It runs a real HorizontalPodAutoscaler
//! file (autoscaling/v2, v2beta2, v2beta1 or v1; a Helm output or `kubectl get -o yaml` too)
//! against a load curve with one column per metric, with the workload model of docs/models.md#hpa-workload-model, and
//! prints every sync's decision and what limited it.

use std::fmt::Write as _;

use super::input::read_text;
use crate::sim::events::clock;
use crate::sim::hpa::run_options::options_usage;
use crate::sim::hpa::{describe_spec, parse_load, read_manifest, HpaDecision};
use crate::sim::hpa::{HpaRunOptions, OptionKey};

/// Usage of the sub-command; the OPTIONS come from [`OptionKey`], as the explorer's fields do.
pub fn usage() -> String {
    format!(
        "\
scalesim hpa --hpa HPA.yaml --load LOAD.csv [--name NAME] [OPTIONS]

Runs a HorizontalPodAutoscaler against a load curve and prints one row per sync.

HPA.yaml: an HPA object or just its spec, YAML or JSON; autoscaling/v2, v2beta2, v2beta1 or v1
(converted to v2 as the API server does). A multi-document file (helm template output) or a
kind: List (kubectl get hpa -o yaml) is fine: the HorizontalPodAutoscaler in it is taken;
when there are several, --name NAME picks one by metadata.name. status is ignored.

LOAD.csv: a header `t_s,COLUMN,…` and one column per metric of the HPA:
    cpu_m               CPU demand, total over the pods [millicores] (Resource cpu)
    memory_mib          memory in use, total over the pods [MiB] (Resource memory)
    METRIC              a Pods metric's total over the pods, or an Object or External
                        metric's value, in the metric's units; the column is the metric's
                        name (metric.name), e.g. packets-per-second
Each value holds from t_s until the next row (0 before the first; an empty cell keeps the
previous value). Totals are shared evenly by the ready pods (CPU capped at the limit); new
pods are ready after the ready delay and get no load before. Without a header, rows are
`t_s,cpu_m`.

Per-HPA tolerance (behavior.*.tolerance) is honoured from Kubernetes 1.35 (--kube-version).

OPTIONS:
    --name NAME            the HPA to take when the file holds several
{}    --json                 print a JSON array instead of a table
",
        options_usage()
    )
}

/// Parsed command line.
struct Options {
    hpa_path: String,
    load_path: String,
    name: Option<String>,
    run: HpaRunOptions,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut hpa_path = None;
    let mut load_path = None;
    let mut name = None;
    let mut run = HpaRunOptions::default();
    let mut json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if flag == "--json" {
            json = true;
            continue;
        }
        if flag == "--help" || flag == "-h" {
            return Err(usage());
        }
        let key = OptionKey::from_flag(flag);
        let own = ["--hpa", "--load", "--name"];
        if key.is_none() && !own.contains(&flag) {
            return Err(format!("unknown option `{arg}`\n\n{}", usage()));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{}", usage()))?,
        };
        if key.is_none() && value.trim().is_empty() {
            return Err(format!(
                "{flag} expects a file path or a name, got an empty one"
            ));
        }
        match key {
            Some(k) => k.set(&mut run, &value)?,
            None if flag == "--hpa" => hpa_path = Some(value),
            None if flag == "--name" => name = Some(value),
            None => load_path = Some(value),
        }
    }
    Ok(Options {
        hpa_path: hpa_path.ok_or_else(|| format!("missing --hpa HPA.yaml\n\n{}", usage()))?,
        load_path: load_path.ok_or_else(|| format!("missing --load LOAD.csv\n\n{}", usage()))?,
        name,
        run,
        json,
    })
}

/// Runs `scalesim hpa` with `args` (after the sub-command name) and returns what it prints.
/// The table starts with the manifest in one line and what was assumed (Kubernetes version,
/// tolerance, conversions), each on a `# ` line; `--json` prints the rows only.
pub fn run(args: &[String]) -> Result<String, String> {
    let o = parse_args(args)?;
    let hpa_text = read_text(&o.hpa_path, "an HPA manifest (YAML or JSON)")?;
    let manifest =
        read_manifest(&hpa_text, o.name.as_deref()).map_err(|e| format!("{}: {e}", o.hpa_path))?;
    let load_text = read_text(&o.load_path, "a load curve (CSV: t_s,cpu_m,…)")?;
    let load = parse_load(&o.load_path, &load_text)?;
    let summary = describe_spec(&manifest.spec);
    // The utilization column is the first Utilization metric's (the controller's
    // `utilization_pct`), named so it is not read as the metric a reason is about.
    let util_name = manifest
        .spec
        .metrics
        .iter()
        .find_map(|m| {
            m.resource
                .as_ref()
                .filter(|r| r.target.average_utilization.is_some())
                .map(|r| r.name.clone())
        })
        .unwrap_or_else(|| "util".into());
    let replay = o
        .run
        .replay(manifest.spec, &load, &o.load_path)
        .map_err(|e| match e.starts_with("spec.") {
            true => format!("{}: {e}", o.hpa_path),
            false => e,
        })?;
    if o.json {
        return Ok(to_json(&replay.rows));
    }
    let mut head = summary;
    for note in manifest.notes.iter().chain(&replay.notes) {
        let _ = write!(head, "\n# {note}");
    }
    Ok(to_table(&head, &replay.rows, &util_name))
}

/// One `--json` row, keys in reading order.
#[derive(serde::Serialize)]
struct JsonRow {
    t_s: f64,
    replicas_before: i32,
    ready: i32,
    utilization_pct: Option<i64>,
    proposal: i32,
    replicas_after: i32,
    limited_by: String,
}

fn to_json(rows: &[HpaDecision]) -> String {
    let list: Vec<JsonRow> = rows
        .iter()
        .map(|r| JsonRow {
            t_s: r.t_s,
            replicas_before: r.replicas_before,
            ready: r.ready_pods,
            utilization_pct: r.utilization_pct,
            proposal: r.proposal,
            replicas_after: r.replicas_after,
            limited_by: r.limited_by.describe(),
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// The decisions as a table; `util_name` names the utilization column's
/// resource ("cpu %", "memory %").
fn to_table(summary: &str, rows: &[HpaDecision], util_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{summary}");
    let _ = writeln!(
        out,
        "{:>8}  {:>6}  {:>5}  {:>8}  {:>8}  {:>5}  limited by",
        "time",
        "before",
        "ready",
        format!("{util_name} %"),
        "proposal",
        "after"
    );
    for r in rows {
        let util = r
            .utilization_pct
            .map_or_else(|| "-".to_string(), |u| u.to_string());
        let _ = writeln!(
            out,
            "{:>8}  {:>6}  {:>5}  {:>8}  {:>8}  {:>5}  {}",
            clock(r.t_s),
            r.replicas_before,
            r.ready_pods,
            util,
            r.proposal,
            r.replicas_after,
            r.limited_by.describe()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hpa::parse_load_csv;

    fn example(name: &str) -> String {
        format!("{}/examples/hpa/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn temp_file(name: &str, text: &str) -> String {
        let path =
            std::env::temp_dir().join(format!("scalesim-hpa-test-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn the_cli_defaults_are_the_shared_options_defaults() {
        // Regression: the explorer once defaulted the ready delay to 30 s where the CLI said 0.
        let o = parse_args(&args(&["--hpa", "h.yaml", "--load", "l.csv"])).unwrap();
        assert_eq!(o.run, HpaRunOptions::default());
        assert!(!o.json);
        let text = usage();
        for k in OptionKey::ALL {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(k.flag()))
                .unwrap_or_else(|| panic!("{} is not in the usage", k.flag()));
            assert!(
                line.ends_with(&format!("[default: {}]", k.default_words())),
                "{line}"
            );
        }
        assert!(text.contains("[default: 0]") && text.contains("[default: minReplicas]"));
        // Every flag sets its own field, and the field reads back as typed.
        let mut all = vec!["--hpa", "h.yaml", "--load", "l.csv"];
        let values = ["7", "250", "900", "45", "600", "30", "512", "1.35"];
        assert_eq!(values.len(), OptionKey::COUNT);
        for (k, v) in OptionKey::ALL.iter().zip(values) {
            all.extend([k.flag(), v]);
        }
        let o = parse_args(&args(&all)).unwrap();
        for (k, v) in OptionKey::ALL.iter().zip(values) {
            assert_eq!(k.text_of(&o.run).as_deref(), Some(v), "{}", k.flag());
        }
    }

    #[test]
    fn the_example_hpa_scales_3_8_13_20_and_back_down_to_3() {
        let hpa = example("seed001-hpa.yaml");
        let load = example("spike-10x.csv");
        let out =
            crate::cli::run(&args(&["hpa", "--hpa", &hpa, "--load", &load, "--json"])).unwrap();
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        let mut changes = vec![rows[0]["replicas_before"].as_i64().unwrap()];
        for r in &rows {
            let after = r["replicas_after"].as_i64().unwrap();
            if after != *changes.last().unwrap() {
                changes.push(after);
            }
        }
        assert_eq!(changes, vec![3, 8, 13, 20, 15, 11, 8, 6, 4, 3]);
        let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
        let mut want = vec![
            "limited_by",
            "proposal",
            "ready",
            "replicas_after",
            "replicas_before",
            "t_s",
            "utilization_pct",
        ];
        want.sort();
        assert_eq!(keys, want);
        // t = 75: the +5 of t = 60 is still inside the 30 s period.
        let t75 = rows.iter().find(|r| r["t_s"] == 75.0).unwrap();
        assert_eq!(t75["replicas_after"], 8);
        assert!(t75["limited_by"]
            .as_str()
            .unwrap()
            .contains("per-30 s scale-up policy"));
    }

    #[test]
    fn the_table_names_the_limiting_reason_of_every_sync() {
        let hpa = example("seed001-hpa.yaml");
        let load = example("spike-10x.csv");
        let out = crate::cli::run(&args(&[
            "hpa",
            "--hpa",
            &hpa,
            "--load",
            &load,
            "--until-s",
            "120",
        ]))
        .unwrap();
        assert!(out.starts_with("HPA 3–20 pods, cpu target 70 %"), "{out}");
        assert!(
            out.contains("limited by the 5-pods-per-30 s scale-up policy"),
            "{out}"
        );
        assert!(
            out.contains(
                "held: utilization 70 % is inside the tolerance band of the 70 % target (63–77 %)"
            ),
            "{out}"
        );
        assert!(
            out.lines().nth(1).unwrap().starts_with(
                "# Kubernetes 1.34 assumed (--kube-version): tolerance the cluster-wide 10 %"
            ),
            "{out}"
        );
        assert_eq!(out.lines().count(), 3 + 9, "{out}"); // t = 0, 15, …, 120
    }

    #[test]
    fn a_bad_demand_names_the_file_and_line() {
        let hpa = example("seed001-hpa.yaml");
        let load = temp_file("bad.csv", "t_s,demand_m\n0,2100\n\n60,abc\n");
        let err = crate::cli::run(&args(&["hpa", "--hpa", &hpa, "--load", &load])).unwrap_err();
        assert!(
            err.ends_with(":4: demand_m \"abc\" is not a number"),
            "{err}"
        );
        assert!(err.starts_with(&load), "{err}");
    }

    #[test]
    fn a_bad_manifest_names_the_file_the_field_and_the_line() {
        let text = std::fs::read_to_string(example("seed001-hpa.yaml"))
            .unwrap()
            .replace(
                "- type: Pods\n        value: 5",
                "- type: Pod\n        value: 5",
            );
        let hpa = temp_file("bad.yaml", &text);
        let load = example("spike-10x.csv");
        let err = crate::cli::run(&args(&["hpa", "--hpa", &hpa, "--load", &load])).unwrap_err();
        assert!(
            err.contains("spec.behavior.scaleUp.policies[1].type: unknown variant \"Pod\", expected \"Pods\" or \"Percent\" at line 33"),
            "{err}"
        );
    }

    #[test]
    fn a_memory_metric_without_a_memory_column_names_the_metric_and_the_columns_found() {
        let hpa = temp_file(
            "mem.yaml",
            "maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: memory\n    target:\n      type: Utilization\n      averageUtilization: 80\n",
        );
        let load = example("spike-10x.csv");
        let err = crate::cli::run(&args(&["hpa", "--hpa", &hpa, "--load", &load])).unwrap_err();
        assert_eq!(
            err,
            format!("{load}:1: no column `memory_mib` for metric \"memory\" (spec.metrics[0], Resource); columns found: t_s, demand_m")
        );
    }

    #[test]
    fn options_are_checked() {
        let hpa = example("seed001-hpa.yaml");
        let load = example("spike-10x.csv");
        let err = crate::cli::run(&args(&["hpa", "--hpa", &hpa])).unwrap_err();
        assert!(err.contains("missing --load"), "{err}");
        let err = crate::cli::run(&args(&[
            "hpa",
            "--hpa",
            &hpa,
            "--load",
            &load,
            "--sync-period-s",
            "0",
        ]))
        .unwrap_err();
        assert!(err.contains("--sync-period-s"), "{err}");
        let run_with = |extra: &[&str]| {
            let mut a = vec!["hpa", "--hpa", &hpa, "--load", &load];
            a.extend_from_slice(extra);
            crate::cli::run(&args(&a)).unwrap_err()
        };
        let err = run_with(&["--frob"]);
        assert!(err.contains("unknown option `--frob`"), "{err}");
        let err = run_with(&["--initial-replicas", "100001"]);
        assert_eq!(
            err,
            "--initial-replicas expects a whole number of pods in 0–100000, got `100001`"
        );
        let err = run_with(&["--until-s", "1e12"]);
        assert!(
            err.contains("--until-s expects seconds in 0–34560000"),
            "{err}"
        );
        let err = run_with(&["--until-s", "34560000"]);
        assert!(err.contains("2,304,001 syncs; at most 1,000,000"), "{err}");
        let err = run_with(&["--cpu-request-m", "0"]);
        assert!(
            err.contains("--cpu-request-m expects whole millicores in 1–1024000"),
            "{err}"
        );
        let ok = crate::cli::run(&args(&[
            "hpa",
            "--hpa",
            &hpa,
            "--load",
            &load,
            "--initial-replicas=5",
            "--cpu-limit-m",
            "1000",
            "--ready-delay-s",
            "30",
            "--until-s",
            "30",
            "--json",
        ]))
        .unwrap();
        let rows: Vec<serde_json::Value> = serde_json::from_str(&ok).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["replicas_before"], 5);
    }

    #[test]
    fn the_flags_share_the_scenario_ranges() {
        use crate::scenario::ranges::{range_of, MAX_POD_CPU_M, MAX_POD_MEMORY_MIB};
        let max = |key: &str| range_of(key).unwrap().max;
        let mut o = HpaRunOptions::default();
        // The largest scenario values are accepted, one more is refused, for each flag.
        for (k, key) in [
            (OptionKey::CpuRequestM, "topology.pod.cpu_request_m"),
            (OptionKey::CpuLimitM, "topology.pod.cpu_limit_m"),
            (
                OptionKey::MemoryRequestMib,
                "topology.pod.memory_request_mib",
            ),
            (OptionKey::ReadyDelayS, "topology.pod.readiness_delay_s"),
            (OptionKey::InitialReplicas, "topology.initial_replicas"),
        ] {
            let top = max(key);
            assert!(k.set(&mut o, &top.to_string()).is_ok(), "{}", k.flag());
            let e = k.set(&mut o, &(top + 1.0).to_string()).unwrap_err();
            assert!(e.contains(&format!("–{top}")), "{e}");
        }
        assert_eq!(max("topology.pod.cpu_request_m"), MAX_POD_CPU_M);
        assert_eq!(max("topology.pod.memory_request_mib"), MAX_POD_MEMORY_MIB);
    }

    #[test]
    fn the_load_csv_header_is_optional_and_rows_must_move_forward() {
        assert_eq!(
            parse_load_csv("l.csv", "0,100\n10,200\n").unwrap(),
            vec![(0.0, 100), (10.0, 200)]
        );
        let err = parse_load_csv("l.csv", "t_s,demand_m\n10,1\n5,2\n").unwrap_err();
        assert!(err.starts_with("l.csv:3: t_s 5"), "{err}");
        let err = parse_load_csv("l.csv", "0,1.5\n").unwrap_err();
        assert!(err.contains("whole number"), "{err}");
        assert!(parse_load_csv("l.csv", "# nothing\n").is_err());
    }
}
