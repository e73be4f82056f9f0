//! The native `scalesim` command: argument parsing and sub-commands.

pub mod grade;
pub mod input;
pub mod progress;
pub mod run;

use std::fmt::Write as _;

mod hpa;

/// Usage text printed by `scalesim help` and on a bad command line.
pub const USAGE: &str = "\
scalesim: a deterministic scaling simulator

USAGE:
    scalesim <COMMAND> [OPTIONS]

COMMANDS:
    run SCENARIO.toml [--seed N] [--duration D] [--out DIR]
                                  run a scenario (a file or a built-in name such as
                                  black-friday); D is 86400, 90m, 24h or 2d, from 1 s
                                  to 400 days; N is a whole number 0 to 2^64 − 1
    queue <lambda_rps> <mu_rps>   M/M/1 figures for an arrival and a service rate:
                                  lambda 0 to 1e9 req/s, mu 0.001 to 1e9 req/s
    hpa --hpa HPA.yaml --load LOAD.csv [--name NAME] [--initial-replicas N]
        [--cpu-request-m M] [--cpu-limit-m L] [--memory-request-mib R] [--ready-delay-s S]
        [--until-s T] [--sync-period-s 15] [--kube-version 1.34] [--json]
                                  what a Kubernetes HPA would do with a load curve (one
                                  column per metric), and why; `scalesim hpa --help`
    grade SCENARIO --answers ANSWERS.toml [--json]
                                  grade an answers file (a table per question id)
                                  and print the debrief: points, and for judged
                                  questions every check's measure on every seed
    grade SCENARIO --check [--json]
                                  run the scenario's reference and weak answers and
                                  its explain samples; fails when one does not hold
    help                          print this text
";

/// The lines of [`USAGE`] about `command` (`run`, `grade`, `queue`), with the
/// heading: what `scalesim COMMAND --help` prints.
fn command_usage(command: &str) -> String {
    let mut out = String::from("USAGE:\n");
    let mut inside = false;
    for line in USAGE.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 4 {
            inside = trimmed.starts_with(&format!("{command} "));
        } else if indent == 0 {
            inside = false;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Runs the command line `args` (without the program name) and returns the exit code.
pub fn main(args: &[String]) -> i32 {
    match run(args) {
        Ok(out) => {
            print!("{out}");
            0
        }
        Err(msg) => {
            eprintln!("scalesim: {msg}");
            2
        }
    }
}

/// Runs a command and returns what it prints, or an error message.
pub fn run(args: &[String]) -> Result<String, String> {
    // `scalesim run --help`: asked for, so printed as an answer (exit 0).
    let help = args[1.min(args.len())..]
        .iter()
        .any(|a| a == "--help" || a == "-h");
    match args.first().map(String::as_str) {
        None | Some("help") | Some("--help") | Some("-h") => Ok(USAGE.to_string()),
        Some("hpa") if help => Ok(hpa::usage()),
        Some(command @ ("queue" | "run" | "grade")) if help => Ok(command_usage(command)),
        Some("queue") => queue(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("hpa") => hpa::run(&args[1..]),
        Some("grade") => grade::run(&args[1..]),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

/// Most requests per second `scalesim queue` takes [req/s]: a billion, beyond any one service.
pub const MAX_RATE_RPS: f64 = 1e9;
/// Least service rate `scalesim queue` takes [req/s]: one request per 1000 s.
pub const MIN_SERVICE_RPS: f64 = 1e-3;

fn parse_rate(name: &str, value: Option<&String>, min: f64) -> Result<f64, String> {
    let v = value.ok_or_else(|| format!("missing <{name}>\n\n{USAGE}"))?;
    let range = if min > 0.0 {
        format!("{min} to {MAX_RATE_RPS:e}")
    } else {
        format!("0 to {MAX_RATE_RPS:e}")
    };
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && (min..=MAX_RATE_RPS).contains(x))
        // `-0` is 0 requests per second, printed without its sign.
        .map(|x| x + 0.0)
        .ok_or_else(|| format!("<{name}> expects {range} requests per second, got `{v}`"))
}

/// A utilization ρ < 1 as a percentage with one decimal, or with as many as
/// it takes not to read 100.0 (ρ = 0.999999999 is 99.9999999 %, stable).
fn below_full_percent(rho: f64) -> String {
    let pct = rho * 100.0;
    (1..=12)
        .map(|d| format!("{pct:.d$}"))
        .find(|t| !t.starts_with("100"))
        .unwrap_or_else(|| format!("{pct}"))
}

fn queue(args: &[String]) -> Result<String, String> {
    let lambda = parse_rate("lambda_rps", args.first(), 0.0)?;
    let mu = parse_rate("mu_rps", args.get(1), MIN_SERVICE_RPS)?;
    if let Some(extra) = args.get(2) {
        return Err(format!(
            "unexpected argument `{extra}`; give <lambda_rps> <mu_rps>"
        ));
    }
    let mut out = String::new();
    match crate::sim::queueing::mm1(lambda, mu) {
        Some(q) => {
            let _ = writeln!(out, "utilization      {:>10} %", below_full_percent(q.rho));
            let _ = writeln!(out, "mean wait        {:>10.1} ms", q.mean_wait_s * 1e3);
            let _ = writeln!(out, "mean response    {:>10.1} ms", q.mean_response_s * 1e3);
            let _ = writeln!(out, "mean queue       {:>10.2} requests", q.mean_queue_len);
        }
        None => {
            // λ ≤ 1e9 and μ ≥ 1e-3, so ρ ≤ 1e12: finite.
            if lambda > mu {
                let _ = writeln!(
                    out,
                    "unstable: ρ = λ/μ = {:.3} ≥ 1, no steady state; the queue grows by {} requests/s",
                    lambda / mu,
                    crate::grade::judge::figure(lambda - mu)
                );
            } else {
                // ρ = 1 exactly: no drift, but no steady state either.
                let _ = writeln!(
                    out,
                    "unstable: ρ = λ/μ = 1, no steady state; arrivals match service on average, so the queue wanders without bound (it grows like the square root of time)"
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn queue_command_prints_figures_with_units() {
        let out = run(&args(&["queue", "8", "10"])).unwrap();
        assert!(out.contains("80.0 %"), "{out}");
        assert!(out.contains("500.0 ms"), "{out}");
    }

    #[test]
    fn a_queue_near_full_keeps_its_digits() {
        // ρ = 0.999999999: Lq = λ²/(μ(μ − λ)) = 999,999,998 exactly enough,
        // not 1 − ρ's noise (1,000,000,026.28 before).
        let out = run(&args(&["queue", "999999999", "1000000000"])).unwrap();
        assert!(out.contains("99.9999999 %"), "{out}");
        assert!(out.contains("999999998.00 requests"), "{out}");
        let out = run(&args(&["queue", "99", "100"])).unwrap();
        assert!(
            out.contains("99.0 %") && out.contains("98.01 requests"),
            "{out}"
        );
    }

    #[test]
    fn bad_rate_names_the_argument() {
        let err = run(&args(&["queue", "x", "10"])).unwrap_err();
        assert!(err.contains("<lambda_rps>"), "{err}");
    }

    #[test]
    fn queue_refuses_a_zero_service_rate_and_names_unstable_queues() {
        let err = run(&args(&["queue", "0", "0"])).unwrap_err();
        assert_eq!(
            err,
            "<mu_rps> expects 0.001 to 1e9 requests per second, got `0`"
        );
        let out = run(&args(&["queue", "10", "10"])).unwrap();
        assert!(
            out.starts_with("unstable: ρ = λ/μ = 1, no steady state"),
            "{out}"
        );
        let out = run(&args(&["queue", "0", "10"])).unwrap();
        assert!(out.contains("0.0 %") && !out.contains("NaN"), "{out}");
        let out = run(&args(&["queue", "-0", "100"])).unwrap();
        assert!(!out.contains("-0"), "zero has no sign: {out}");
        for bad in ["nan", "inf", "-1", "1e10"] {
            let err = run(&args(&["queue", bad, "10"])).unwrap_err();
            assert!(err.contains("<lambda_rps> expects 0 to 1e9"), "{err}");
        }
    }

    #[test]
    fn help_after_a_command_prints_its_usage() {
        for (command, first) in [
            ("run", "    run SCENARIO.toml"),
            ("grade", "    grade SCENARIO --answers"),
            ("queue", "    queue <lambda_rps>"),
        ] {
            let out = run(&args(&[command, "--help"])).unwrap();
            assert!(out.starts_with("USAGE:\n"), "{out}");
            assert!(out.contains(first), "{command}: {out}");
        }
        assert!(run(&args(&["grade", "--help"]))
            .unwrap()
            .contains("--check"));
        assert!(run(&args(&["hpa", "-h"])).unwrap().contains("LOAD.csv"));
    }

    #[test]
    fn unknown_command_is_an_error() {
        assert!(run(&args(&["frobnicate"])).is_err());
    }
}
