//! The native `scalesim` command: argument parsing and sub-commands.

pub mod chaos;
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
                                  black-friday); D is 86400, 90m, 1h30m or 2d, from 1 s
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
    chaos SCENARIO [--experiment NAME | --preset NAME] [--at T] [--seed N] [--abort-at T] [--json]
    chaos EXPERIMENT.toml [--at T] [--seed N] [--abort-at T] [--json]
                                  run a chaos experiment (the scenario's [[experiments]],
                                  a Simian Army preset: chaos-monkey, chaos-gorilla,
                                  chaos-kong, latency-monkey; or a file with
                                  scenario = \"…\" and an [experiment] table) and print
                                  its steady state, abort, verdict and budget cost
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
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => 0,
                // A reader that stopped early (`| head`) has what it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("scalesim: cannot write the output: {e}");
                    1
                }
            }
        }
        Err(msg) => {
            eprintln!("scalesim: {msg}");
            2
        }
    }
}

/// Runs a command and returns what it prints, or an error message.
pub fn run(args: &[String]) -> Result<String, String> {
    // `--duration=90m` as getopt reads it: the option, then its value.
    let split: Vec<String> = args
        .iter()
        .flat_map(|a| match a.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") && flag.len() > 2 => {
                vec![flag.to_string(), value.to_string()]
            }
            Some(_) | None => vec![a.clone()],
        })
        .collect();
    let args = split.as_slice();
    // `scalesim run --help`: asked for, so printed as an answer (exit 0).
    let help = args[1.min(args.len())..]
        .iter()
        .any(|a| a == "--help" || a == "-h");
    match args.first().map(String::as_str) {
        None | Some("help") | Some("--help") | Some("-h") => Ok(USAGE.to_string()),
        Some("hpa") if help => Ok(hpa::usage()),
        Some(command @ ("queue" | "run" | "grade" | "chaos")) if help => Ok(command_usage(command)),
        Some("queue") => queue(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("hpa") => hpa::run(&args[1..]),
        Some("grade") => grade::run(&args[1..]),
        Some("chaos") => chaos::run(&args[1..]),
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

/// A decimal number as typed ("0.999999999999", "1e9", "+.5"): its
/// significant digits as a whole number and the power of ten they are scaled
/// by, exactly; `None` past 36 digits or for anything but plain decimals.
fn decimal(text: &str) -> Option<(i128, i32)> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (body, exp) = match t.split_once(['e', 'E']) {
        Some((b, e)) => (b, e.parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty()
        || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 36 {
        return None;
    }
    let m: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let scale = exp.checked_sub(i32::try_from(frac.len()).ok()?)?;
    Some((if negative { -m } else { m }, scale))
}

/// `mu − lambda` of the numbers as typed, exact before its one rounding to a
/// double: 1.0000000000000002 − 1 is 2e-16, not the 2.220446049250313e-16 of
/// their binary forms, and 1 − 0.999999999999 is 1e-12, not 1.000088900582341e-12
/// (which put a wrong fifth digit in every figure that divides by it). `None`
/// when a number is not a plain decimal of at most 36 digits.
fn exact_gap(lambda: &str, mu: &str) -> Option<f64> {
    let (a, ea) = decimal(lambda)?;
    let (b, eb) = decimal(mu)?;
    let e = ea.min(eb);
    let up = |m: i128, by: i32| -> Option<i128> {
        m.checked_mul(10i128.checked_pow(u32::try_from(by).ok()?)?)
    };
    let diff = up(b, eb - e)?.checked_sub(up(a, ea - e)?)?;
    format!("{diff}e{e}").parse::<f64>().ok()
}

/// A utilization below full as a percentage ("80.0", "99.9999999"), from the
/// share it falls short of full, `short_pct` > 0 [%]: one decimal, or as many
/// as it takes not to read 100, each digit exact (no float noise from 100 − x).
fn below_full_percent(short_pct: f64) -> String {
    // The fewest decimals d at which the shortfall shows: round(short·10^d) ≥ 1.
    for d in 1..=36u32 {
        let short = (short_pct * 10f64.powi(d as i32)).round();
        if short >= 1.0 {
            let Some(whole) = 10i128.checked_pow(d + 2) else {
                break;
            };
            let width = d as usize + 1;
            let digits = format!("{:0>width$}", whole - short as i128);
            let (int, frac) = digits.split_at(digits.len() - d as usize);
            return format!("{int}.{frac}");
        }
    }
    format!("100 \u{2212} {}", crate::figures::significant(short_pct, 3))
}

/// A row of the queue's times: `s` [s] in the unit that suits `longest_s` (the
/// response, so both rows share it): ms with one decimal below a billion ms
/// (11.6 days), then days, and years (365.25 days) from a year on, so a queue
/// near full reads "3.16881 years", not "1e11 ms".
fn time_row(name: &'static str, s: f64, longest_s: f64) -> (&'static str, String, &'static str) {
    const DAY_S: f64 = 86_400.0;
    const YEAR_S: f64 = 365.25 * DAY_S;
    if longest_s * 1e3 < 1e9 {
        (name, crate::figures::fixed_or_sig(s * 1e3, 1), "ms")
    } else if longest_s < YEAR_S {
        (name, crate::figures::significant(s / DAY_S, 6), "days")
    } else {
        (name, crate::figures::significant(s / YEAR_S, 6), "years")
    }
}

/// A count with its noun: "1 request", "2 requests", "0.5 requests".
fn counted(text: &str, one: &str, many: &str) -> String {
    format!("{text} {}", if text == "1" { one } else { many })
}

fn queue(args: &[String]) -> Result<String, String> {
    let lambda = parse_rate("lambda_rps", args.first(), 0.0)?;
    let mu = parse_rate("mu_rps", args.get(1), MIN_SERVICE_RPS)?;
    if let Some(extra) = args.get(2) {
        return Err(format!(
            "unexpected argument `{extra}`; give <lambda_rps> <mu_rps>"
        ));
    }
    // μ − λ as typed: every figure divides by it, and near ρ = 1 the binary
    // forms of λ and μ would lose its digits.
    let gap = exact_gap(&args[0], &args[1]).unwrap_or(mu - lambda);
    let fig = crate::figures::fixed_or_sig;
    let mut out = String::new();
    if gap > 0.0 {
        // M/M/1 with μ − λ as typed.
        let q = crate::sim::queueing::mm1_with_gap(lambda, mu, gap);
        let rows = [
            (
                "utilization",
                // Near 0 the shortfall is all of it: ρ itself, to its digits.
                if q.rho > 0.0 && q.rho * 100.0 < 0.05 {
                    crate::figures::significant(q.rho * 100.0, 3)
                } else {
                    below_full_percent(100.0 * gap / mu)
                },
                "%",
            ),
            time_row("mean wait", q.mean_wait_s, q.mean_response_s),
            time_row("mean response", q.mean_response_s, q.mean_response_s),
            ("mean queue", fig(q.mean_queue_len, 2), "requests"),
        ];
        for (name, value, unit) in rows {
            let _ = writeln!(out, "{name:<16} {value:>14} {unit}");
        }
    } else if gap < 0.0 {
        // λ ≤ 1e9 and μ ≥ 1e-3, so ρ ≤ 1e12: finite. Just above 1 it reads
        // "1 + 2e-16", not a "1" that would look stable-but-critical.
        let sig = crate::figures::significant;
        let rho = match sig(lambda / mu, 6) {
            one if one == "1" => format!("1 + {}", sig(-gap / mu, 3)),
            rho => rho,
        };
        let _ = writeln!(
            out,
            "unstable: ρ = λ/μ = {rho} > 1, no steady state; the queue grows by {} per second",
            counted(
                &crate::figures::significant(-gap, 12),
                "request",
                "requests"
            )
        );
    } else {
        // ρ = 1 exactly: no drift, but no steady state either.
        let _ = writeln!(
            out,
            "unstable: ρ = λ/μ = 1, no steady state; arrivals match service on average, so the queue wanders without bound (it grows like the square root of time)"
        );
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
    fn an_option_and_its_value_may_be_joined_by_an_equals_sign() {
        let joined = run(&args(&["run", "first-spike", "--duration=90s", "--seed=3"])).unwrap();
        let apart = run(&args(&[
            "run",
            "first-spike",
            "--duration",
            "90s",
            "--seed",
            "3",
        ]))
        .unwrap();
        assert_eq!(joined, apart);
        assert!(joined.contains("seed 3"), "{joined}");
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
        assert!(out.contains("999,999,998.00 requests"), "{out}");
        let out = run(&args(&["queue", "99", "100"])).unwrap();
        assert!(
            out.contains("99.0 %") && out.contains("98.01 requests"),
            "{out}"
        );
    }

    #[test]
    fn a_queue_wait_past_a_billion_ms_reads_in_days_or_years() {
        // W = 1 / (μ − λ) = 1e8 s: 3.17 years, not "1e11 ms".
        let out = run(&args(&["queue", "99.99999999", "100"])).unwrap();
        assert!(
            out.contains("mean wait               3.16881 years"),
            "{out}"
        );
        // 1e6 s: 11.57 days.
        let out = run(&args(&["queue", "0.999999", "1"])).unwrap();
        assert!(
            out.contains("mean wait               11.5741 days")
                && out.contains("mean response           11.5741 days"),
            "{out}"
        );
        // Just under a billion ms stays in ms.
        let out = run(&args(&["queue", "0.999998", "1"])).unwrap();
        assert!(out.contains("mean wait         499,999,000.0 ms"), "{out}");
    }

    #[test]
    fn queue_figures_show_no_float_noise() {
        // λ and μ as typed: μ − λ = 2e-16, not the 2.22e-16 of their binary forms.
        let out = run(&args(&["queue", "1", "1.0000000000000002"])).unwrap();
        assert_eq!(
            out,
            "utilization      99.99999999999998 %\n\
             mean wait           158,440,000 years\n\
             mean response       158,440,000 years\n\
             mean queue                 5e15 requests\n"
        );
        // μ − λ = 1e-12: W = 999,999,999,999 s, not 1,000,022,122,208.5 s.
        let out = run(&args(&["queue", "0.999999999999", "1"])).unwrap();
        assert_eq!(
            out,
            "utilization       99.9999999999 %\n\
             mean wait              31,688.1 years\n\
             mean response          31,688.1 years\n\
             mean queue                 1e12 requests\n"
        );
        let out = run(&args(&["queue", "0.1", "0.3"])).unwrap();
        assert!(
            out.contains("33.3 %") && out.contains("5,000.0 ms"),
            "{out}"
        );
        let out = run(&args(&["queue", "0", "0.001"])).unwrap();
        assert!(
            out.starts_with("utilization                 0.0 %"),
            "{out}"
        );
        for (l, m) in [("1", "1.00000000000000001"), ("1e-30", "1e-3")] {
            let out = run(&args(&["queue", l, m])).unwrap();
            assert!(!out.contains("100.0") && !out.contains("unstable"), "{out}");
        }
    }

    #[test]
    fn an_unstable_queue_grows_by_a_count_with_its_noun() {
        for (l, m, grows) in [
            ("2", "1", "grows by 1 request per second"),
            ("3", "1", "grows by 2 requests per second"),
            ("1.1", "1", "grows by 0.1 requests per second"),
            (
                "1e9",
                "0.001",
                "grows by 999,999,999.999 requests per second",
            ),
        ] {
            let out = run(&args(&["queue", l, m])).unwrap();
            assert!(out.contains(grows), "{out}");
        }
        let out = run(&args(&["queue", "1e9", "0.001"])).unwrap();
        assert!(out.contains("ρ = λ/μ = 1e12 > 1"), "{out}");
        let out = run(&args(&["queue", "3", "2"])).unwrap();
        assert!(out.contains("ρ = λ/μ = 1.5 > 1"), "{out}");
        let out = run(&args(&["queue", "1.0000000000000002", "1"])).unwrap();
        assert!(out.contains("ρ = λ/μ = 1 + 2e-16 > 1"), "{out}");
        assert!(out.contains("grows by 2e-16 requests per second"), "{out}");
    }

    #[test]
    fn a_nearly_idle_queue_shows_its_small_figures() {
        // ρ = 1e-4: not "0.0 %"; a response of 1e-6 ms is not "0.0 ms".
        let out = run(&args(&["queue", "0.0000001", "0.001"])).unwrap();
        assert!(out.contains(" 0.01 %"), "{out}");
        let out = run(&args(&["queue", "100", "1e9"])).unwrap();
        assert!(out.contains("1e-6 ms"), "{out}");
        assert!(!out.contains(" 0.0 ms"), "{out}");
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
