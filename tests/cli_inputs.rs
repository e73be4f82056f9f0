//! The CLI's side of input checking: every flag refused outside its documented range with the flag's
//! name and the range, every file read through one reader (UTF-8 line and byte offset, empty
//! and missing files named), and no hang, NaN or inf (field case F10 and its kind).

use std::path::PathBuf;

use std::time::Duration;

mod fixtures;
use fixtures::cli::{scalesim, scalesim_with_env};

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p: PathBuf = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn example(name: &str) -> String {
    format!("{}/examples/hpa/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn assert_finite(out: &str) {
    for bad in ["NaN", "nan", "inf"] {
        assert!(!out.contains(bad), "{bad} in:\n{out}");
    }
}

const SECONDS_20: Duration = Duration::from_secs(20);

#[test]
fn f10_a_huge_duration_flag_is_refused_at_once_with_its_range() {
    let (code, out, err) = scalesim(&["run", "reference", "--duration", "1e308h"], SECONDS_20);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "scalesim: --duration expects 1 s to 400 days (e.g. 86400, 90m, 1h30m, 24h or 400d), got `1e308h`\n"
    );
}

#[test]
fn other_durations_outside_1_s_to_400_days_are_refused_and_the_edges_run() {
    for bad in [
        "1e308", "401d", "0", "-5m", "nan", "inf", "1e-300s", "0.5s", "", "10x", "1h1h", "400d1s",
    ] {
        let (code, _, err) = scalesim(&["run", "reference", "--duration", bad], SECONDS_20);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains("--duration expects 1 s to 400 days"),
            "{bad}: {err}"
        );
    }
    // The shortest run: one second, with an SLO window that fits in it (the
    // file's rules hold for --duration too).
    let short = temp("one-second.toml", one_second_scenario().as_bytes());
    let (code, out, err) = scalesim(&["run", &short, "--duration", "1s"], SECONDS_20);
    assert_eq!(code, 0, "{err}");
    assert_finite(&out);
    // Units in a row, as Go and kubectl write them.
    let (code, out, err) = scalesim(&["run", "first-spike", "--duration", "1m30s"], SECONDS_20);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0h01m30s simulated"), "{out}");
}

/// A scenario whose windows fit in a one-second run.
fn one_second_scenario() -> String {
    "title = \"one second\"\n[run]\nduration_s = 1.0\nlatency_window_s = 1.0\n[traffic]\nprofile = { kind = \"constant\", rps = 100.0 }\n".into()
}

#[test]
fn seeds_outside_u64_are_refused_with_the_range() {
    for bad in ["-1", "1.5", "18446744073709551616", "nan", "1e3"] {
        let (code, _, err) = scalesim(&["run", "reference", "--seed", bad], SECONDS_20);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains("--seed expects a whole number from 0 to 18446744073709551615"),
            "{bad}: {err}"
        );
    }
    let (code, out, err) = scalesim(
        &[
            "run",
            "reference",
            "--seed",
            "18446744073709551615",
            "--duration",
            "1m",
        ],
        SECONDS_20,
    );
    assert_eq!(code, 0, "{err}");
    assert_finite(&out);
}

#[test]
fn queue_never_prints_nan_a_zero_service_rate_is_refused_and_rho_1_is_unstable() {
    let (code, out, err) = scalesim(&["queue", "0", "0"], SECONDS_20);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "scalesim: <mu_rps> expects 0.001 to 1e9 requests per second, got `0`\n"
    );
    let (code, out, _) = scalesim(&["queue", "5", "5"], SECONDS_20);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("unstable: ρ = λ/μ = 1, no steady state"),
        "{out}"
    );
    assert!(out.contains("wanders without bound"), "{out}");
    let (code, out, _) = scalesim(&["queue", "1e9", "0.001"], SECONDS_20);
    assert_eq!(code, 0);
    assert_finite(&out);
    for (l, m, name) in [
        ("nan", "1", "<lambda_rps>"),
        ("1", "inf", "<mu_rps>"),
        ("-1", "1", "<lambda_rps>"),
        ("1", "1e-300", "<mu_rps>"),
    ] {
        let (code, _, err) = scalesim(&["queue", l, m], SECONDS_20);
        assert_eq!(code, 2);
        assert!(err.contains(&format!("{name} expects")), "{err}");
    }
}

#[test]
fn every_hpa_flag_is_refused_outside_its_range_with_the_flag_and_the_range() {
    let hpa = example("seed001-hpa.yaml");
    let load = example("spike-10x.csv");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--sync-period-s", "1e-15", "--until-s", "1e-15"],
            "--sync-period-s expects seconds in 1–3600, got `1e-15`",
        ),
        (
            &["--sync-period-s", "inf"],
            "--sync-period-s expects seconds in 1–3600",
        ),
        (
            &["--until-s", "nan"],
            "--until-s expects seconds in 0–34560000 (400 days)",
        ),
        (
            &["--until-s", "-1"],
            "--until-s expects seconds in 0–34560000",
        ),
        (
            &["--ready-delay-s", "1e9"],
            "--ready-delay-s expects seconds in 0–86400",
        ),
        (
            &["--initial-replicas", "-1"],
            "--initial-replicas expects a whole number of pods in 0–100000",
        ),
        (
            &["--initial-replicas", "3.5"],
            "--initial-replicas expects a whole number of pods in 0–100000",
        ),
        (
            &["--cpu-request-m", "nan"],
            "--cpu-request-m expects whole millicores in 1–1024000",
        ),
        (
            &["--cpu-request-m", "1024001"],
            "--cpu-request-m expects whole millicores in 1–1024000",
        ),
        (
            &["--cpu-limit-m", "0"],
            "--cpu-limit-m expects whole millicores in 1–1024000",
        ),
        (
            &["--memory-request-mib", "inf"],
            "--memory-request-mib expects MiB in 1–16777216",
        ),
        (
            &["--memory-request-mib", "1e-9"],
            "--memory-request-mib expects MiB in 1–16777216",
        ),
        (
            &["--memory-request-mib", "16777217"],
            "--memory-request-mib expects MiB in 1–16777216",
        ),
        (
            &["--cpu-limit-m", "1024001"],
            "--cpu-limit-m expects whole millicores in 1–1024000",
        ),
        (
            &["--kube-version", "1.100"],
            "--kube-version expects a release such as 1.34 (1.1–1.99)",
        ),
        (
            &["--cpu-request-m", "1000", "--cpu-limit-m", "500"],
            "--cpu-limit-m 500 is below --cpu-request-m 1000",
        ),
        (
            &["--until-s", "34560000"],
            "asks for 2,304,001 syncs; at most 1,000,000",
        ),
    ];
    for (extra, want) in cases {
        let mut args = vec!["hpa", "--hpa", &hpa, "--load", &load];
        args.extend_from_slice(extra);
        let (code, out, err) = scalesim(&args, SECONDS_20);
        assert_eq!((code, out.as_str()), (2, ""), "{extra:?}");
        assert!(err.contains(want), "{extra:?}: {err}");
    }
    // The ranges are in the usage text.
    // Asked for, the usage is an answer: stdout, exit 0.
    let (code, usage, _) = scalesim(&["hpa", "--help"], SECONDS_20);
    assert_eq!(code, 0);
    for range in [
        "1–3600",
        "0–34560000 (400 days)",
        "0–100000",
        "1–1024000",
        "1–16777216",
        "1.1–1.99",
        "0–86400",
    ] {
        assert!(usage.contains(range), "{range} not in:\n{usage}");
    }
}

#[test]
fn invalid_utf8_in_every_file_the_cli_reads_gives_the_line_and_byte_offset() {
    let bad = b"a = 1\nb = \"\xc3\x28\"\n";
    let want = |p: &str| {
        format!("scalesim: {p}:2: invalid UTF-8 at byte offset 11 (byte 6 of the line); save the file as UTF-8\n")
    };
    let toml = temp("bad-utf8.toml", bad);
    let (code, _, err) = scalesim(&["run", &toml], SECONDS_20);
    assert_eq!((code, err), (2, want(&toml)));
    let answers = temp("bad-utf8-answers.toml", bad);
    let (code, _, err) = scalesim(&["grade", "flash-sale", "--answers", &answers], SECONDS_20);
    assert_eq!((code, err), (2, want(&answers)));
    let yaml = temp("bad-utf8.yaml", bad);
    let load = example("spike-10x.csv");
    let (code, _, err) = scalesim(&["hpa", "--hpa", &yaml, "--load", &load], SECONDS_20);
    assert_eq!((code, err), (2, want(&yaml)));
    let csv = temp("bad-utf8.csv", b"t_s,cpu_m\n0,\xff\n");
    let hpa = example("seed001-hpa.yaml");
    let (code, _, err) = scalesim(&["hpa", "--hpa", &hpa, "--load", &csv], SECONDS_20);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{csv}:2: invalid UTF-8 at byte offset 12")),
        "{err}"
    );
}

#[test]
fn empty_and_missing_files_name_the_file_and_what_was_expected() {
    let empty = temp("empty.toml", b"  \n\n");
    let (code, _, err) = scalesim(&["run", &empty], SECONDS_20);
    assert_eq!(code, 2);
    assert_eq!(err, format!("scalesim: {empty}: the file is empty; expected a scenario file (TOML, see docs/scenario-format.md)\n"));
    let (_, _, err) = scalesim(&["grade", "flash-sale", "--answers", &empty], SECONDS_20);
    assert!(
        err.contains("the file is empty; expected an answers file"),
        "{err}"
    );
    let hpa = example("seed001-hpa.yaml");
    let (_, _, err) = scalesim(
        &["hpa", "--hpa", &hpa, "--load", "/no/such.csv"],
        SECONDS_20,
    );
    assert_eq!(
        err,
        "scalesim: /no/such.csv: no such file; expected a load curve (CSV: t_s,cpu_m,…)\n"
    );
    let (_, _, err) = scalesim(
        &["hpa", "--hpa", &empty, "--load", "/no/such.csv"],
        SECONDS_20,
    );
    assert!(
        err.contains("the file is empty; expected an HPA manifest (YAML or JSON)"),
        "{err}"
    );
    let (_, _, err) = scalesim(&["run", "no-such-scenario"], SECONDS_20);
    assert!(
        err.contains("no such file or built-in scenario; built-ins: "),
        "{err}"
    );
}

#[test]
fn nan_and_inf_in_an_answers_file_are_refused_with_their_line() {
    let answers = temp(
        "nan-answers.toml",
        b"[predict]\nvalue = \"inf ms\"\n# x = nan\n[plan]\nknobs = { replicas = -inf }\n",
    );
    let (code, _, err) = scalesim(&["grade", "flash-sale", "--answers", &answers], SECONDS_20);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!(
            "scalesim: {answers}:5: [plan] knobs.replicas: must be a finite number, got -inf"
        )),
        "{err}"
    );
}

/// The answers the newcomer's try refused without a line: each refused now at the
/// line of its field, saying what would be accepted.
#[test]
fn every_answer_refusal_names_the_question_the_field_and_its_line() {
    const WHY: &str = "text = \"Autoscaling is reactive and takes minutes, so pre-scale at 11:30 before noon and scale back down after the sale.\"\n";
    let cases: [(&str, String, &str); 13] = [
        ("knob-range", "[plan]\nknobs = { \"hpa.maxReplicas\" = 200 }\n".into(),
         ":2: [plan] knobs.\"hpa.maxReplicas\": knob “hpa.maxReplicas” is 200, outside 4–60 pods"),
        ("knob-unknown", "[plan]\n\nknobs = { \"hpa.maxReplica\" = 50 }\n".into(),
         ":3: [plan] knobs.\"hpa.maxReplica\": knob “hpa.maxReplica” is not one this question lets you set (hpa.maxReplicas, pause_pods.count)"),
        ("act-zone", "[plan]\nactions = [\n  { at_s = 60, action = { kind = \"set_replicas\", replicas = 9 } },\n  { at_s = 1800, action = { kind = \"kill_zone\", zone = \"zz\" } },\n]\n".into(),
         ":4: [plan] actions[1].action.zone: there is no zone “zz” in this scenario; its zones are a, b, c"),
        ("act-late", "[plan]\nactions = [{ at_s = 1e9, action = { kind = \"set_min_replicas\", replicas = 50 } }]\n".into(),
         ":2: [plan] actions[0].at_s: an action at 1,000,000,000 s never takes effect: outside the run (0 to 5,400 s); give a time from 0 to 5,399 s (the last tick starts there)"),
        // At the run's end: no tick is left to apply it.
        ("act-at-end", "[plan]\nactions = [{ at_s = 5400, action = { kind = \"set_min_replicas\", replicas = 50 } }]\n".into(),
         ":2: [plan] actions[0].at_s: an action at 5,400 s never takes effect: it would apply at the next tick, when the run (5,400 s) has ended; give a time from 0 to 5,399 s (the last tick starts there)"),
        // The same range as the scenario's own events, at the amount's own field.
        ("act-too-many", "[plan]\nactions = [{ at_s = 60, action = { kind = \"set_replicas\", replicas = 100001 } }]\n".into(),
         ":2: [plan] actions[0].action.replicas: must be from 0 to 100,000 pods (memory and time stay bounded), got 100,001"),
        ("act-not-offered", "[plan]\nactions = [{ at_s = 1800, action = { kind = \"spike\", multiplier = 10, ramp_up_s = 0, hold_s = 60, ramp_down_s = 0 } }]\n".into(),
         ":2: [plan] actions[0].action: “10× traffic spike for 60 s (0 s ramp up, 0 s down)” is not one of the actions this question offers: it offers the scaling actions (set_min_replicas, set_max_replicas, set_replicas, set_pause_pods)"),
        ("pick-oob", "[predict]\npicks = [99]\n".into(),
         ":2: [predict] picks: there is no option 99: its 3 options are numbered 0 to 2"),
        ("pick-twice", "[predict]\npicks = [1, 1]\n".into(),
         ":2: [predict] picks: option 1 is picked twice"),
        ("text-empty", format!("[why]\n{}\n", "text = \"\""),
         ":2: [why] text: too short to grade (0 words; write at least 20)"),
        ("wrong-kind", "[why]\nvalue = \"12 pods\"\n".into(),
         ":2: [why] value: question why is an explain question and does not read `value`; answer it with text = \"…\" (your explanation)"),
        ("both", format!("[why]\n{WHY}value = \"12 pods\"\n"),
         ":3: [why] value: question why is an explain question and does not read `value`; answer it with text = \"…\" (your explanation)"),
        ("missing", "[predict]\n".into(),
         ":1: [predict]: question predict (choice) has no `picks`; answer it with picks = [1] (option numbers from 0)"),
    ];
    for (name, text, want) in cases {
        let answers = temp(&format!("{name}.toml"), text.as_bytes());
        let (code, out, err) =
            scalesim(&["grade", "flash-sale", "--answers", &answers], SECONDS_20);
        assert_eq!((code, out.as_str()), (2, ""), "{name}: {err}");
        assert_eq!(err, format!("scalesim: {answers}{want}\n"), "{name}");
    }
    // A right answer still grades.
    let ok = temp("why-ok.toml", format!("[why]\n{WHY}").as_bytes());
    let (code, out, err) = scalesim(&["grade", "flash-sale", "--answers", &ok], SECONDS_20);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[why] explain"), "{out}");
}

#[test]
fn a_numeric_answer_may_be_a_bare_number_in_the_questions_unit() {
    // asia-dashboards' `edge` is 205 ms ± 5 ms.
    for (value, verdict) in [
        ("205", "right: 205 ms is within"),
        ("\"205\"", "right: 205 ms is within"),
        ("204.5", "right: 204.5 ms is within"),
        ("\"0.205 s\"", "right: 205 ms is within"),
        ("13", "wrong: 13 ms is 192 ms off"),
    ] {
        let answers = temp("bare.toml", format!("[edge]\nvalue = {value}\n").as_bytes());
        let (code, out, err) = scalesim(
            &["grade", "asia-dashboards", "--answers", &answers],
            SECONDS_20,
        );
        assert_eq!(code, 0, "{value}: {err}");
        assert!(out.contains(verdict), "{value}: {out}");
    }
    let answers = temp("list.toml", b"[edge]\nvalue = [205]\n");
    let (code, _, err) = scalesim(
        &["grade", "asia-dashboards", "--answers", &answers],
        SECONDS_20,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains(":2: [edge] value: is a list; expected a value with its unit in quotes"),
        "{err}"
    );
}

#[test]
fn svg_charts_finish_for_any_finite_or_non_finite_series() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-charts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let d = dir.clone();
    std::thread::spawn(move || {
        let cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
            (vec![0.0, 1.0, 2.0], vec![f64::MAX, 1e308, -f64::MAX]),
            (vec![0.0, 1e-300, 5e-324], vec![5e-324, 1e-300, 0.0]),
            (vec![0.0, 1e308, f64::MAX], vec![1.0, 2.0, 3.0]),
            (
                vec![0.0, f64::NAN, f64::INFINITY],
                vec![f64::NAN, f64::INFINITY, 1.0],
            ),
            (vec![], vec![]),
            (vec![-1e308, 0.0], vec![1e-3, 1e-3]),
        ];
        for (i, (t, v)) in cases.iter().enumerate() {
            let p = d.join(format!("chart{i}.svg"));
            scalesim::figures::line_chart_svg(&p, "x", t, &[("v", v)]).unwrap();
        }
        tx.send(()).unwrap();
    });
    rx.recv_timeout(SECONDS_20)
        .expect("chart writing did not finish");
    for i in 0..6 {
        let svg = std::fs::read_to_string(dir.join(format!("chart{i}.svg"))).unwrap();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "chart{i}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A long run says how far it is on standard error (here from the start, as a run
/// past two seconds would); the summary on standard output is the same as without.
#[test]
fn a_long_run_shows_its_progress_on_standard_error_and_nothing_else_changes() {
    let args = ["run", "reference", "--duration", "10m"];
    let (code, out, err) =
        scalesim_with_env(&args, &[("SCALESIM_PROGRESS_AFTER_S", "0")], SECONDS_20);
    assert_eq!(code, 0, "{err}");
    assert!(err.starts_with("scalesim: simulated "), "{err}");
    assert!(err.contains(" of 10 min ("), "{err}");
    let (_, quiet_out, quiet_err) = scalesim(&args, SECONDS_20);
    assert_eq!(quiet_err, "");
    assert_eq!(out, quiet_out);
}

#[test]
fn grade_check_shows_which_answer_it_is_running_and_how_far() {
    let args = ["grade", "flash-sale", "--check"];
    let (code, out, err) =
        scalesim_with_env(&args, &[("SCALESIM_PROGRESS_AFTER_S", "0")], SECONDS_20 * 6);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("scalesim: question plan, reference answer: "),
        "{err}"
    );
    assert!(err.contains("% of its runs in "), "{err}");
    // Quiet: progress only after a day (a busy machine may take over the usual 2 s).
    let (_, quiet_out, quiet_err) = scalesim_with_env(
        &args,
        &[("SCALESIM_PROGRESS_AFTER_S", "86400")],
        SECONDS_20 * 6,
    );
    assert_eq!(quiet_err, "");
    assert_eq!(out, quiet_out);
}

#[test]
fn duration_decides_which_events_fire_and_a_short_run_narrows_the_latency_window() {
    let text = "title = \"x\"\n[run]\nduration_s = 600.0\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[[events]]\nat_s = 700.0\naction = { kind = \"kill_pods\", count = 1 }\n";
    let file = temp("event-past-the-files-run.toml", text.as_bytes());
    // The file alone never reaches its event: refused, with the file's run.
    let (code, _, err) = scalesim(&["run", &file], Duration::from_secs(30));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("outside the run (0 to 600 s)"), "{err}");
    // A 20-minute run reaches it.
    let (code, out, err) = scalesim(
        &["run", &file, "--duration", "20m"],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("T+11:40 Scenario: kill a pod"), "{out}");
    // A 1 s run of a built-in: percentiles over the whole second, said so.
    let (code, out, err) = scalesim(
        &["run", "first-spike", "--duration", "1"],
        Duration::from_secs(30),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("note: percentiles are over the whole run (0h00m01s), not the file's 0h01m00s latency window"),
        "{out}"
    );
}
