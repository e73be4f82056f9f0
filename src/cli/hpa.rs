//! `scalesim hpa`: the HPA explorer for practitioners. It runs a real autoscaling/v2 manifest
//! against a CPU demand curve with the SPEC §1.11 workload model and prints every sync's
//! decision and what limited it.

use crate::sim::hpa::parse_load_csv;
use std::fmt::Write as _;

use crate::sim::hpa::spec::{MetricSourceType, MetricTargetType};
use crate::sim::hpa::{
    parse_manifest, simulate_cpu, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision,
    HpaSpec,
};

/// Usage of the sub-command.
pub const USAGE: &str = "\
scalesim hpa --hpa HPA.yaml --load LOAD.csv [OPTIONS]

Runs a HorizontalPodAutoscaler (autoscaling/v2 manifest or just its spec, YAML or JSON, with a
CPU metric) against a CPU demand curve and prints one row per sync.

LOAD.csv rows are `t_s,demand_m`: total CPU demand in millicores from t_s until the next row
(0 before the first row; header optional). Each ready pod uses demand_m // ready, capped at
the CPU limit. New pods are ready after the ready delay; replica changes are otherwise instant.

OPTIONS:
    --initial-replicas N   pods at t = 0, long ready          [default: minReplicas]
    --cpu-request-m M      CPU request per pod [millicores]    [default: 1000]
    --cpu-limit-m L        CPU limit per pod [millicores]      [default: none]
    --ready-delay-s S      time from pod creation to Ready [s] [default: 0]
    --until-s T            last sync no later than T [s]       [default: last row + 1800]
    --sync-period-s P      HPA sync period [s]                 [default: 15]
    --json                 print a JSON array instead of a table
";

/// Most syncs one run may ask for.
const MAX_SYNCS: f64 = 1_000_000.0;
/// Most pods one run may model (maxReplicas and --initial-replicas).
const MAX_PODS: i32 = 100_000;

/// Parsed command line.
struct Options {
    hpa_path: String,
    load_path: String,
    initial_replicas: Option<i32>,
    cpu_request_m: i64,
    cpu_limit_m: Option<i64>,
    ready_delay_s: f64,
    until_s: Option<f64>,
    sync_period_s: f64,
    json: bool,
}

fn number<T: std::str::FromStr>(flag: &str, value: &str, what: &str) -> Result<T, String> {
    value
        .parse::<T>()
        .map_err(|_| format!("{flag} expects {what}, got `{value}`"))
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut hpa_path = None;
    let mut load_path = None;
    let mut o = Options {
        hpa_path: String::new(),
        load_path: String::new(),
        initial_replicas: None,
        cpu_request_m: 1000,
        cpu_limit_m: None,
        ready_delay_s: 0.0,
        until_s: None,
        sync_period_s: 15.0,
        json: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if flag == "--json" {
            o.json = true;
            continue;
        }
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_string());
        }
        let known = [
            "--hpa",
            "--load",
            "--initial-replicas",
            "--cpu-request-m",
            "--cpu-limit-m",
            "--ready-delay-s",
            "--until-s",
            "--sync-period-s",
        ];
        if !known.contains(&flag) {
            return Err(format!("unknown option `{arg}`\n\n{USAGE}"));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))?,
        };
        let seconds = |v: &str| -> Result<f64, String> {
            let x: f64 = number(flag, v, "a number of seconds")?;
            if x.is_finite() && x >= 0.0 {
                Ok(x)
            } else {
                Err(format!("{flag} expects a number of seconds ≥ 0, got `{v}`"))
            }
        };
        match flag {
            "--hpa" => hpa_path = Some(value),
            "--load" => load_path = Some(value),
            "--initial-replicas" => {
                let n: i32 = number(flag, &value, "a whole number of pods")?;
                if n < 0 {
                    return Err(format!("{flag} must not be negative, got {n}"));
                }
                o.initial_replicas = Some(n);
            }
            "--cpu-request-m" => {
                let m: i64 = number(flag, &value, "whole millicores")?;
                if m <= 0 {
                    return Err(format!("{flag} must be greater than 0, got {m}"));
                }
                o.cpu_request_m = m;
            }
            "--cpu-limit-m" => {
                let m: i64 = number(flag, &value, "whole millicores")?;
                if m <= 0 {
                    return Err(format!("{flag} must be greater than 0, got {m}"));
                }
                o.cpu_limit_m = Some(m);
            }
            "--ready-delay-s" => o.ready_delay_s = seconds(&value)?,
            "--until-s" => o.until_s = Some(seconds(&value)?),
            "--sync-period-s" => {
                let p = seconds(&value)?;
                if p <= 0.0 {
                    return Err(format!("{flag} must be greater than 0, got `{value}`"));
                }
                o.sync_period_s = p;
            }
            _ => unreachable!("flag list checked above"),
        }
    }
    o.hpa_path = hpa_path.ok_or_else(|| format!("missing --hpa HPA.yaml\n\n{USAGE}"))?;
    o.load_path = load_path.ok_or_else(|| format!("missing --load LOAD.csv\n\n{USAGE}"))?;
    Ok(o)
}

/// The command needs CPU metrics: the workload model only produces CPU usage.
fn check_cpu_only(name: &str, spec: &HpaSpec) -> Result<(), String> {
    for (i, m) in spec.metrics.iter().enumerate() {
        let cpu = m.source_type == MetricSourceType::Resource
            && m.resource.as_ref().is_some_and(|r| r.name == "cpu");
        if !cpu {
            return Err(format!(
                "{name}: spec.metrics[{i}]: `scalesim hpa` simulates CPU demand only; \
                 use a Resource cpu metric (got {:?})",
                m.source_type
            ));
        }
    }
    Ok(())
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))
}

/// Runs `scalesim hpa` with `args` (after the sub-command name) and returns what it prints.
pub fn run(args: &[String]) -> Result<String, String> {
    let o = parse_args(args)?;
    let hpa_text = read(&o.hpa_path)?;
    let spec = parse_manifest(&hpa_text).map_err(|e| format!("{}: {e}", o.hpa_path))?;
    check_cpu_only(&o.hpa_path, &spec)?;
    let steps = parse_load_csv(&o.load_path, &read(&o.load_path)?)?;
    let last_t = steps.last().map_or(0.0, |s| s.0);
    let until_s = o.until_s.unwrap_or(last_t + 1800.0);
    if until_s / o.sync_period_s > MAX_SYNCS {
        return Err(format!(
            "--until-s {until_s} with --sync-period-s {} asks for more than {MAX_SYNCS} syncs",
            o.sync_period_s
        ));
    }
    let initial = o.initial_replicas.unwrap_or(spec.min_replicas);
    if spec.max_replicas > MAX_PODS || initial > MAX_PODS {
        return Err(format!(
            "{}: `scalesim hpa` models at most {MAX_PODS} pods (maxReplicas {}, initial {initial})",
            o.hpa_path, spec.max_replicas
        ));
    }
    let summary = describe_spec(&spec);
    let config = HpaControllerConfig {
        sync_period_s: o.sync_period_s,
        ..HpaControllerConfig::default()
    };
    let mut hpa = HpaController::new(spec, config);
    let workload = CpuWorkload {
        demand_steps: steps,
        initial_replicas: initial,
        cpu_request_m: o.cpu_request_m,
        cpu_limit_m: o.cpu_limit_m,
        ready_delay_s: o.ready_delay_s,
        t_start_s: 0.0,
        until_s,
        sync_period_s: o.sync_period_s,
    };
    let rows = simulate_cpu(&mut hpa, &workload);
    if o.json {
        return Ok(to_json(&rows));
    }
    Ok(to_table(&summary, &rows))
}

fn describe_spec(spec: &HpaSpec) -> String {
    let mut s = format!("HPA {}–{} pods", spec.min_replicas, spec.max_replicas);
    for m in &spec.metrics {
        if let Some(r) = &m.resource {
            match r.target.target_type {
                MetricTargetType::Utilization => {
                    let _ = write!(
                        s,
                        ", {} target {} %",
                        r.name,
                        r.target.average_utilization.unwrap_or(0)
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        ", {} target {} per pod",
                        r.name,
                        r.target
                            .average_value
                            .map(|q| q.to_string())
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    s.push_str(if spec.behavior.is_some() {
        ", behavior set (stabilization windows and rate policies)"
    } else {
        ", no behavior (legacy path: max(2 × current, 4) cap, 300 s window)"
    });
    s
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

fn to_table(summary: &str, rows: &[HpaDecision]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{summary}");
    let _ = writeln!(
        out,
        "{:>8}  {:>6}  {:>5}  {:>6}  {:>8}  {:>5}  limited by",
        "t [s]", "before", "ready", "util %", "proposal", "after"
    );
    for r in rows {
        let util = r
            .utilization_pct
            .map_or_else(|| "-".to_string(), |u| u.to_string());
        let _ = writeln!(
            out,
            "{:>8}  {:>6}  {:>5}  {:>6}  {:>8}  {:>5}  {}",
            r.t_s,
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
    fn the_seed_001_example_scales_3_8_13_20_and_back_down_to_3() {
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
            out.contains("held: the metric is inside the tolerance band"),
            "{out}"
        );
        assert_eq!(out.lines().count(), 2 + 9, "{out}"); // t = 0, 15, …, 120
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
    fn a_memory_metric_is_refused_because_only_cpu_demand_is_simulated() {
        let hpa = temp_file(
            "mem.yaml",
            "maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: memory\n    target:\n      type: Utilization\n      averageUtilization: 80\n",
        );
        let load = example("spike-10x.csv");
        let err = crate::cli::run(&args(&["hpa", "--hpa", &hpa, "--load", &load])).unwrap_err();
        assert!(err.contains("spec.metrics[0]"), "{err}");
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
        assert!(err.contains("at most 100000 pods"), "{err}");
        let err = run_with(&["--until-s", "1e12"]);
        assert!(err.contains("syncs"), "{err}");
        let err = run_with(&["--cpu-request-m", "0"]);
        assert!(
            err.contains("--cpu-request-m must be greater than 0"),
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
