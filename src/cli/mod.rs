//! The native `scalesim` command: argument parsing and sub-commands.

pub mod grade;
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
                                  black-friday); D is 86400, 90m or 24h
    queue <lambda_rps> <mu_rps>   M/M/1 figures for an arrival and a service rate
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
    match args.first().map(String::as_str) {
        None | Some("help") | Some("--help") | Some("-h") => Ok(USAGE.to_string()),
        Some("queue") => queue(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("hpa") => hpa::run(&args[1..]),
        Some("grade") => grade::run(&args[1..]),
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn parse_rate(name: &str, value: Option<&String>) -> Result<f64, String> {
    let v = value.ok_or_else(|| format!("missing <{name}>\n\n{USAGE}"))?;
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| {
            format!("<{name}> must be a non-negative number of requests per second, got `{v}`")
        })
}

fn queue(args: &[String]) -> Result<String, String> {
    let lambda = parse_rate("lambda_rps", args.first())?;
    let mu = parse_rate("mu_rps", args.get(1))?;
    let mut out = String::new();
    match crate::sim::queueing::mm1(lambda, mu) {
        Some(q) => {
            let _ = writeln!(out, "utilization      {:>10.1} %", q.rho * 100.0);
            let _ = writeln!(out, "mean wait        {:>10.1} ms", q.mean_wait_s * 1e3);
            let _ = writeln!(out, "mean response    {:>10.1} ms", q.mean_response_s * 1e3);
            let _ = writeln!(out, "mean queue       {:>10.2} requests", q.mean_queue_len);
        }
        None => {
            let _ = writeln!(
                out,
                "utilization {:.1} %: no steady state, the queue grows by {:.1} requests/s",
                lambda / mu * 100.0,
                lambda - mu
            );
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
    fn bad_rate_names_the_argument() {
        let err = run(&args(&["queue", "x", "10"])).unwrap_err();
        assert!(err.contains("<lambda_rps>"), "{err}");
    }

    #[test]
    fn unknown_command_is_an_error() {
        assert!(run(&args(&["frobnicate"])).is_err());
    }
}
