//! `scalesim hpa`'s files: YAML aliases expand within a node budget (F27), load
//! curves parse and replay in linear time under a row cap (F28), and every refusal of a
//! manifest or a CSV names the file and the line.

use std::time::{Duration, Instant};

use scalesim::sim::hpa::{parse_load, read_manifest};

mod fixtures;
use fixtures::cli::scalesim;

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "scalesim-hpa-inputs-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn example(name: &str) -> String {
    format!("{}/examples/hpa/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// F27's 294-byte file: eight levels of ten aliases (10^8 nodes expanded).
const F27_MIN_YAML: &str = "a: &a [x,x,x,x,x,x,x,x,x,x]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
";

#[test]
fn f27_nested_aliases_are_refused_past_the_node_budget_with_the_line() {
    assert_eq!(F27_MIN_YAML.len(), 294);
    let hpa = temp("min.yaml", F27_MIN_YAML.as_bytes());
    let load = example("spike-10x.csv");
    let (code, out, err) = scalesim(
        &["hpa", "--hpa", &hpa, "--load", &load],
        Duration::from_secs(20),
    );
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        format!("scalesim: {hpa}: more than 200000 YAML nodes with aliases expanded; a manifest holds a few hundred (aliases nested in aliases multiply) at line 6\n")
    );
}

#[test]
fn other_alias_shapes_are_refused_in_bounded_time_and_small_aliases_still_work() {
    // Mappings instead of lists, block style, and keys built from aliases.
    let mut maps = String::from("a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x}\n");
    let mut block = String::from("a: &a\n  - x\n  - x\n  - x\n  - x\n");
    for (i, c) in "bcdefghijklmnop".chars().enumerate() {
        let p = (b'a' + i as u8) as char;
        let items: Vec<String> = (0..8).map(|k| format!("k{k}: *{p}")).collect();
        maps.push_str(&format!("{c}: &{c} {{{}}}\n", items.join(", ")));
        block.push_str(&format!("{c}: &{c}\n"));
        for _ in 0..4 {
            block.push_str(&format!("  - *{p}\n"));
        }
    }
    let start = Instant::now();
    for text in [&maps, &block] {
        let e = read_manifest(text, None).unwrap_err();
        assert!(e.to_string().contains("more than 200000 YAML nodes"), "{e}");
        assert!(e.line.is_some(), "{e}");
    }
    assert!(start.elapsed() < Duration::from_secs(5));
    // An alias to the node that holds it, and nesting past 64 levels.
    let e = read_manifest("maxReplicas: 3\nx: &x [1, *x]\n", None).unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    let deep = format!(
        "maxReplicas: 3\nx: {}{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let e = read_manifest(&deep, None).unwrap_err();
    assert!(
        e.to_string().contains("nested more than 64 levels") && e.line == Some(2),
        "{e}"
    );
    // A manifest that reuses a target through an alias reads as before.
    let ok = "maxReplicas: 5\nmetrics:\n- type: Resource\n  resource:\n    name: cpu\n    target: &t {type: Utilization, averageUtilization: 60}\n- type: Resource\n  resource:\n    name: memory\n    target: *t\n";
    let m = read_manifest(ok, None).unwrap();
    assert_eq!(m.spec.metrics.len(), 2);
}

#[test]
fn yaml_nan_inf_complex_keys_give_their_lines() {
    for (text, line, path) in [
        ("minReplicas: 1\nmaxReplicas: .nan\n", 2, "maxReplicas"),
        (
            "minReplicas: 1\nmaxReplicas: 5\nbehavior:\n  scaleUp:\n    tolerance: -.inf\n",
            5,
            "behavior.scaleUp.tolerance",
        ),
        ("maxReplicas: 5\n? [a, b]\n: 1\n", 2, ""),
        (
            "maxReplicas: 5\nmetrics:\n- {type: Resource}: 3\n",
            3,
            "metrics[0]",
        ),
        (
            "maxReplicas: 5\nmetrics:\n- type: Resource\n  resource: {name: cpu, name: memory}\n",
            4,
            "metrics[0].resource.name",
        ),
    ] {
        let e = read_manifest(text, None).unwrap_err();
        assert_eq!(e.line, Some(line), "{text}: {e}");
        assert_eq!(e.path, path, "{text}: {e}");
    }
    let hpa = temp("nan.yaml", b"minReplicas: 1\nmaxReplicas: .NaN\n");
    let (code, _, err) = scalesim(
        &["hpa", "--hpa", &hpa, "--load", &example("spike-10x.csv")],
        Duration::from_secs(20),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "scalesim: {hpa}: maxReplicas: `.NaN` is not a finite number; write a whole number such as 10 at line 2\n"
        )
    );
}

fn rows_csv(n: usize) -> String {
    let mut s = String::with_capacity(n * 16);
    s.push_str("t_s,demand_m\n");
    for i in 0..n {
        s.push_str(&format!("{},{}\n", i * 10, (i * 7919) % 50000));
    }
    s
}

#[test]
fn f28_a_million_row_load_curve_replays_in_linear_time() {
    let load = temp("rows.csv", rows_csv(1_000_000).as_bytes());
    let hpa = temp("min.yaml", b"minReplicas: 1\nmaxReplicas: 20\n");
    // The field case's command; its limit was 20 s in a release build (this is a debug build).
    let (code, out, err) = scalesim(
        &["hpa", "--hpa", &hpa, "--load", &load],
        Duration::from_secs(60),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().count(),
        3 + 666_787,
        "one row per sync to the last row + 1800 s"
    );
    assert!(!out.contains("NaN") && !out.contains("inf"));
    // One row more than the cap is refused at its line.
    let mut text = rows_csv(1_000_000);
    text.push_str("10000000,1\n");
    let e = parse_load("rows.csv", &text).unwrap_err();
    assert_eq!(e, "rows.csv:1000002: more than 1000000 rows; a load curve holds at most 1000000 (e.g. one every 10 s for 115 days)");
}

#[test]
fn bad_csv_cells_and_whole_file_problems_name_the_line_and_column() {
    let check = |text: &str, want: &str| {
        assert_eq!(parse_load("l.csv", text).unwrap_err(), want, "{text}");
    };
    check(
        "t_s,cpu_m\n0,nan\n",
        "l.csv:2: cpu_m \"nan\" must be a number from 0 to 1e12 millicores",
    );
    check(
        "t_s,cpu_m\n0,1\n5,inf\n",
        "l.csv:3: cpu_m \"inf\" must be a number from 0 to 1e12 millicores",
    );
    check(
        "t_s,cpu_m,memory_mib\n0,1,-4\n",
        "l.csv:2: memory_mib \"-4\" must be a number from 0 to 1e9 MiB",
    );
    check(
        "t_s,cpu_m,rps\n0,1,1e999\n",
        "l.csv:2: rps \"1e999\" must be a number from 0 to 1e12 (the metric's unit, per pod)",
    );
    check(
        "t_s,cpu_m\nnan,1\n",
        "l.csv:2: t_s \"nan\" must be a number of seconds from 0 to 34560000 (400 days)",
    );
    check(
        "t_s,cpu_m\n1e9,1\n",
        "l.csv:2: t_s \"1e9\" must be a number of seconds from 0 to 34560000 (400 days)",
    );
    check(
        "t_s,cpu_m\n",
        "l.csv: no rows; expected lines `t_s,cpu_m` (or a header naming one column per metric)",
    );
    check(
        "# only a comment\n",
        "l.csv: no rows; expected lines `t_s,cpu_m` (or a header naming one column per metric)",
    );
    let wide = format!(
        "t_s,{}\n",
        (0..65)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    check(
        &wide,
        "l.csv:1: 65 load columns; at most 64 (one per metric)",
    );
}

#[test]
fn the_replay_gives_finite_rows_for_zero_load_zero_pods_and_edge_options() {
    let zero = temp(
        "zero.csv",
        b"t_s,cpu_m,memory_mib,http_requests_per_second\n0,0,0,0\n",
    );
    let hpa = example("seed001-hpa-all-metrics.yaml");
    for extra in [
        &["--initial-replicas", "0"][..],
        &["--cpu-request-m", "1", "--memory-request-mib", "1"],
        &["--sync-period-s", "3600", "--until-s", "34560000"],
        &[
            "--ready-delay-s",
            "86400",
            "--sync-period-s",
            "1",
            "--until-s",
            "600",
        ],
    ] {
        let mut args = vec!["hpa", "--hpa", &hpa, "--load", &zero, "--json"];
        args.extend_from_slice(extra);
        let (code, out, err) = scalesim(&args, Duration::from_secs(30));
        assert_eq!(code, 0, "{extra:?}: {err}");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        assert!(!rows.is_empty());
        assert!(!out.contains("NaN") && !out.contains("inf"), "{extra:?}");
    }
    let big = temp("big.csv", b"t_s,cpu_m,memory_mib,http_requests_per_second\n0,1000000000000,1000000000,1000000000000\n");
    let (code, out, err) = scalesim(
        &[
            "hpa",
            "--hpa",
            &hpa,
            "--load",
            &big,
            "--json",
            "--until-s",
            "300",
        ],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("NaN") && !out.contains("inf"));
}

#[test]
fn a_whole_number_field_written_as_a_decimal_or_infinity_is_told_to_write_a_whole_number() {
    // Regression: YAML's 1e1 is a float; .inf is no integer; paths as written.
    let load = example("spike-10x.csv");
    let full = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 1\n  maxReplicas: X\n";
    let bare = "minReplicas: 1\nmaxReplicas: X\n";
    for (name, text, path, line) in [
        ("full.yaml", full, "spec.maxReplicas", 5),
        ("bare.yaml", bare, "maxReplicas", 2),
    ] {
        for (value, words) in [
            (
                "1e1",
                "is written 1e1, a decimal number; write a whole number such as 10",
            ),
            (
                ".inf",
                "`.inf` is not a finite number; write a whole number such as 10",
            ),
        ] {
            let hpa = temp(name, text.replace('X', value).as_bytes());
            let (code, _, err) = scalesim(
                &["hpa", "--hpa", &hpa, "--load", &load],
                Duration::from_secs(20),
            );
            assert_eq!(code, 2, "{err}");
            assert_eq!(
                err,
                format!("scalesim: {hpa}: {path}: {words} at line {line}\n")
            );
        }
    }
    // A quantity field keeps the quantity hint.
    let hpa = temp(
        "q.yaml",
        b"maxReplicas: 5\nmetrics:\n- type: Pods\n  pods:\n    metric: {name: rps}\n    target: {type: AverageValue, averageValue: .inf}\n",
    );
    let (_, _, err) = scalesim(
        &["hpa", "--hpa", &hpa, "--load", &load],
        Duration::from_secs(20),
    );
    assert!(
        err.contains("metrics[0].pods.target.averageValue: `.inf` is not a finite number; write a number such as 1.5 or a quantity such as \"500m\""),
        "{err}"
    );
}
