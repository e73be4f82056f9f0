//! The `scalesim run` command end to end.

use scalesim::cli;

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_malformed_scenario_names_file_line_and_field_and_fails() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "title = \"bad\"\n[traffic]\nprofile = { kind = \"constant\", rps = 100.0 }\n\n[topology.pod]\ncpu_request_m = \"a lot\"\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let err = cli::run(&args(&["run", p])).unwrap_err();
    assert!(err.contains(&format!("{p}:6")), "{err}");
    assert!(err.contains("cpu_request_m"), "{err}");
    assert_ne!(cli::main(&args(&["run", p])), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_writes_series_events_and_charts() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-out-{}", std::process::id()));
    let out = cli::run(&args(&[
        "run",
        "black-friday",
        "--duration",
        "5m",
        "--seed",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]))
    .unwrap();
    assert!(out.contains("error budget used"), "{out}");
    for f in [
        "series.csv",
        "events.jsonl",
        "traffic.svg",
        "replicas.svg",
        "latency.svg",
    ] {
        let meta = std::fs::metadata(dir.join(f)).unwrap();
        assert!(meta.len() > 100, "{f} is empty");
    }
    let csv = std::fs::read_to_string(dir.join("series.csv")).unwrap();
    assert!(csv.starts_with("t_s,demand_rps"));
    assert_eq!(
        csv.lines().count(),
        301,
        "one row per second for 5 minutes plus a header"
    );
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert!(first["text"].as_str().unwrap().starts_with("T+"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_longer_run_than_the_scenario_continues_its_base_traffic() {
    let out = cli::run(&args(&["run", "capacity-model", "--duration", "2h"])).unwrap();
    assert!(out.contains("2h00m00s simulated"), "{out}");
}

#[test]
fn a_run_with_the_data_tier_summarises_and_charts_it() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-data-{}", std::process::id()));
    let out = cli::run(&args(&[
        "run",
        "reference",
        "--duration",
        "10m",
        "--out",
        dir.to_str().unwrap(),
    ]))
    .unwrap();
    for row in ["CDN", "cache", "database", "Kafka"] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(row)),
            "{row}: {out}"
        );
    }
    for f in [
        "hit_ratio.svg",
        "database.svg",
        "kafka_lag.svg",
        "kafka_consumers.svg",
    ] {
        let meta = std::fs::metadata(dir.join(f)).unwrap();
        assert!(meta.len() > 100, "{f} is empty");
    }
    let csv = std::fs::read_to_string(dir.join("series.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    for c in [
        "cache_hit_ratio",
        "db_connections_in_use",
        "db_replication_lag_ms",
        "kafka_lag_messages",
        "stale_read_pct",
        "conflicts",
        "lost_writes",
    ] {
        assert!(header.split(',').any(|h| h == c), "{c}: {header}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let out = cli::run(&args(&["run", "consistency-tradeoff", "--duration", "20m"])).unwrap();
    assert!(out.contains("conflicts"), "{out}");
    assert!(
        out.contains("Consistency: every class mixed → eventual"),
        "{out}"
    );
}

#[test]
fn a_duration_flag_meets_the_rules_a_duration_in_the_file_meets() {
    // Shorter than one tick (first-spike has 1 s ticks; 0.5 s is also below the
    // flag's 1 s floor): refused either way.
    let err = cli::run(&args(&["run", "first-spike", "--duration", "0.5s"])).unwrap_err();
    assert!(err.contains("--duration expects 1 s to 400 days"), "{err}");
    // Shorter than the latency window (60 s): the window is the whole run, said
    // so (a built-in has no file to edit).
    let out = cli::run(&args(&["run", "first-spike", "--duration", "30"])).unwrap();
    assert!(
        out.contains(
            "note: percentiles are over the whole run (0h00m30s), not the file's 0h01m00s latency window"
        ),
        "{out}"
    );
    // A run cut before the story's T+0 (zone-outage's is 600 s) runs, with a note.
    let out = cli::run(&args(&["run", "zone-outage", "--duration", "10m"])).unwrap();
    assert!(
        out.contains("note: this run stops at 0h10m00s, before the story's T+0 at 0h10m00s"),
        "{out}"
    );
    // A file with 60 s ticks run for 1 s: one tick is the least.
    let text = scalesim::scenario::built_in("first-spike")
        .unwrap()
        .replacen("tick_s = 1.0", "tick_s = 60.0", 1);
    let dir = std::env::temp_dir().join(format!("scalesim-cli-tick-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tick60.toml");
    std::fs::write(&path, text).unwrap();
    let err = cli::run(&args(&["run", path.to_str().unwrap(), "--duration", "1"])).unwrap_err();
    assert!(
        err.contains("shorter than one tick (tick_s = 60 s)"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_percentile_of_no_request_is_not_measured_rather_than_0_ms() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-none-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = scalesim::scenario::built_in("first-spike").unwrap();
    // No traffic at all.
    let idle = dir.join("idle.toml");
    let start = base.find("profile = {").unwrap();
    let end = start + base[start..].find('\n').unwrap();
    let text = format!(
        "{}profile = {{ kind = \"constant\", rps = 0.0 }}{}",
        &base[..start],
        &base[end..]
    );
    std::fs::write(&idle, text).unwrap();
    let out = cli::run(&args(&["run", idle.to_str().unwrap(), "--duration", "120"])).unwrap();
    assert!(
        out.contains("latency p99            not measured — no request was served or timed out"),
        "{out}"
    );
    assert!(!out.contains("0.0 ms"), "{out}");
    // Every pod dies of a leak at 60 s: the last window has no response.
    let leak = dir.join("leak.toml");
    std::fs::write(
        &leak,
        format!("{base}\n[[events]]\nat_s = 60.0\naction = {{ kind = \"memory_leak\", mib_per_s = 1000000.0 }}\n"),
    )
    .unwrap();
    let out = cli::run(&args(&["run", leak.to_str().unwrap(), "--duration", "600"])).unwrap();
    assert!(
        out.contains("; final not measured — no request was served or timed out in the last 60 s"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_says_the_time_it_simulated_in_whole_ticks() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-ticks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.toml");
    std::fs::write(
        &path,
        "title = \"r\"\n[run]\ntick_s = 0.3\nduration_s = 1.0\nlatency_window_s = 0.9\n[traffic]\nnoise = false\nprofile = { kind = \"constant\", rps = 100.0 }\n",
    )
    .unwrap();
    let out = cli::run(&args(&["run", path.to_str().unwrap()])).unwrap();
    assert!(
        out.contains("seed 1, 0h00m01.2s simulated at 0.3 s ticks (0h00m01s asked: a run is whole ticks, the last one ends at 0h00m01.2s)"),
        "{out}"
    );
    // 100 req/s for the 1.2 s simulated.
    assert!(out.contains("120 arrived"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    // `scalesim hpa … | head -2`: the pipe closes while the table is written.
    use std::process::{Command, Stdio};
    let root = env!("CARGO_MANIFEST_DIR");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scalesim"))
        .args([
            "hpa",
            "--hpa",
            &format!("{root}/examples/hpa/seed001-hpa.yaml"),
            "--load",
            &format!("{root}/examples/hpa/spike-10x.csv"),
            "--sync-period-s",
            "1.5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once: every write the table makes meets a closed pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_run_with_protection_draws_breaker_lanes_and_refusals_per_class() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-prot-{}", std::process::id()));
    let text = scalesim::scenario::built_in("flash-sale").unwrap();
    let scenario = dir.join("shed.toml");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        &scenario,
        format!("{text}\n[shedding]\ncpu_threshold_pct = 85.0\n[rate_limit]\nclasses = [{{ name = \"recommendations\", limit_rps = 1500.0 }}]\n"),
    )
    .unwrap();
    let out_dir = dir.join("out");
    cli::run(&args(&[
        "run",
        scenario.to_str().unwrap(),
        "--duration",
        "65m",
        "--out",
        out_dir.to_str().unwrap(),
    ]))
    .unwrap();
    let csv = std::fs::read_to_string(out_dir.join("class_refusals.csv")).unwrap();
    assert!(csv.starts_with(
        "t_s,checkout_rate_limited_rps,checkout_shed_rps,product_pages_rate_limited_rps,product_pages_shed_rps,recommendations_rate_limited_rps,recommendations_shed_rps\n"
    ));
    let svg = std::fs::read_to_string(out_dir.join("refusals-by-class.svg")).unwrap();
    // The classes that were refused, and not checkout.
    for label in [
        "product_pages shed",
        "recommendations 429",
        "recommendations shed",
    ] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(!svg.contains("checkout"));
    // The dependency edges' breakers as lanes: retry-amplification's dependency breaker
    // opens, the lanes of edges without a breaker are left out.
    let ra = dir.join("ra");
    cli::run(&args(&[
        "run",
        "retry-amplification",
        "--out",
        ra.to_str().unwrap(),
    ]))
    .unwrap();
    let lanes = std::fs::read_to_string(ra.join("dependency-breakers.svg")).unwrap();
    let names: Vec<&str> = lanes.lines().map(str::trim).collect();
    assert!(names.contains(&"dependency"), "the lane's name");
    assert!(!names.contains(&"database") && !names.contains(&"cache"));
    assert!(lanes.contains("<rect"), "an open run is filled");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_with_a_rollout_says_where_it_stands() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-roll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = scalesim::scenario::built_in("black-friday").unwrap();
    let write = |name: &str, crash: bool| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!("{text}\n[[versions]]\nname = \"v2\"\ncrash_loop = {crash}\n\n[[events]]\nat_s = 60.0\naction = {{ kind = \"rollout\", version = \"v2\" }}\n"),
        )
        .unwrap();
        p
    };
    let good = write("good.toml", false);
    let out = cli::run(&args(&["run", good.to_str().unwrap(), "--duration", "10m"])).unwrap();
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("rollout"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("to v2 complete after"), "{row}");
    assert!(
        out.contains("Deployment: rolling update v1 \u{2192} v2"),
        "{out}"
    );
    let bad = write("bad.toml", true);
    let out = cli::run(&args(&["run", bad.to_str().unwrap(), "--duration", "10m"])).unwrap();
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("rollout"))
        .unwrap();
    assert!(row.contains("to v2 under way since"), "{row}");
    assert!(row.contains("0 available"), "{row}");
    // A rollout to a version the scenario lacks is refused at its line.
    let p = dir.join("unknown.toml");
    std::fs::write(&p, format!("{text}\n[[events]]\nat_s = 60.0\naction = {{ kind = \"rollout\", version = \"v9\" }}\n")).unwrap();
    let e = cli::run(&args(&["run", p.to_str().unwrap()])).unwrap_err();
    assert!(
        e.contains("there is no version \u{201c}v9\u{201d}; the versions are v1"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_with_a_canary_says_how_it_ended_and_writes_its_analyses() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-canary-{}", std::process::id()));
    let out = cli::run(&args(&[
        "run",
        "canary-rollout",
        "--duration",
        "30m",
        "--out",
        dir.to_str().unwrap(),
    ]))
    .unwrap();
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("canary"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("canary ROLLED BACK at stage 1 (1 % of the traffic)"),
        "{row}"
    );
    let csv = std::fs::read_to_string(dir.join("canary.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("t_s,weight_pct,stable_error_pct,canary_error_pct,stable_p99_ms,canary_p99_ms,canary_memory_pct,canary_requests")
    );
    // The last analysis is the one that rolled it back: 5 % against 0 %.
    let last: Vec<f64> = lines
        .last()
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(last[1], 1.0);
    assert!(last[3] > last[2] + 0.5, "{last:?}");
    // The same analyses per version, with the trigger as a line, over the release's
    // minutes (the axis starts at 25:00, not at 0:00).
    for (file, title) in [
        (
            "release-errors.svg",
            "Release analysis: error rate per version [%]",
        ),
        ("release-p99.svg", "Release analysis: p99 per version [ms]"),
    ] {
        let svg = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(svg.contains(title), "{file}");
        assert!(
            svg.contains("rollback trigger (stable + allowance)"),
            "{file}"
        );
        assert!(
            svg.contains("\n25:00\n") && !svg.contains("\n0:00\n"),
            "{file}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
