//! `scalesim run SCENARIO.toml [--seed N] [--duration D] [--out DIR]`: runs a scenario
//! headless, prints a summary and the timeline, writes series.csv, events.jsonl and SVG charts
//! (with a rate limit or load shedding, class_refusals.csv: the refusals per class; after a
//! canary, canary.csv: its analyses).
//!
//! ```text
//!   scenario.toml ─load─▶ World ─step × N─▶ summary table + timeline (stdout)
//!                                        └─▶ DIR/series.csv, DIR/events.jsonl, DIR/*.svg
//! ```

use crate::figures::Chart;
use crate::scenario::{built_in, load_lasting, parse_duration_s, Scenario};
use crate::sim::events::SimEvent;
use crate::sim::failure::FailureReason;
use crate::sim::series::Series;
use crate::sim::World;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Parsed command line of `run`.
#[derive(Debug, PartialEq)]
struct RunArgs {
    scenario: String,
    seed: Option<u64>,
    duration_s: Option<f64>,
    out: Option<PathBuf>,
}

/// Longest run `--duration` accepts [s]: 400 days, a year of traffic with its seasons plus a
/// margin (the scenario format's limit too).
pub const MAX_DURATION_S: f64 = 400.0 * 86_400.0;
/// Shortest run `--duration` accepts [s]: one second, one series point.
pub const MIN_DURATION_S: f64 = 1.0;

/// `--duration` as typed: `86400`, `90m`, `1h30m`, `24h` or `2d`, from 1 s to 400 days.
fn parse_duration_flag(v: &str) -> Result<f64, String> {
    let refuse = || {
        format!(
            "--duration expects 1 s to 400 days (e.g. 86400, 90m, 1h30m, 24h or 400d), got `{v}`"
        )
    };
    let d = parse_duration_s(v).map_err(|_| refuse())?;
    if !(MIN_DURATION_S..=MAX_DURATION_S).contains(&d) {
        return Err(refuse());
    }
    Ok(d)
}

fn parse_args(args: &[String]) -> Result<RunArgs, String> {
    let mut it = args.iter();
    let mut r = RunArgs {
        scenario: String::new(),
        seed: None,
        duration_s: None,
        out: None,
    };
    let mut seen: Vec<String> = Vec::new();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        // A flag given twice: which one was meant is a guess, so neither is taken.
        if matches!(a.as_str(), "--seed" | "--duration" | "--out") && seen.contains(a) {
            return Err(format!("{a} is given twice; give it once"));
        }
        seen.push(a.clone());
        match a.as_str() {
            "--seed" => {
                let v = value("--seed")?;
                r.seed = Some(v.trim().parse().map_err(|_| {
                    format!(
                        "--seed expects a whole number from 0 to {}, got `{v}`",
                        u64::MAX
                    )
                })?);
            }
            "--duration" => r.duration_s = Some(parse_duration_flag(&value("--duration")?)?),
            "--out" => {
                let v = value("--out")?;
                if v.trim().is_empty() {
                    return Err("--out expects a directory, got an empty name".into());
                }
                r.out = Some(PathBuf::from(v));
            }
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if r.scenario.is_empty() => r.scenario = s.to_string(),
            s => {
                return Err(format!(
                    "unexpected {} after the scenario `{}` (usage: scalesim run SCENARIO [--seed N] [--duration D] [--out DIR])",
                    if s.is_empty() {
                        "empty argument".to_string()
                    } else {
                        format!("argument `{s}`")
                    },
                    r.scenario
                ))
            }
        }
    }
    if r.scenario.is_empty() {
        return Err(
            "missing SCENARIO.toml (a file, or a built-in name such as black-friday)".into(),
        );
    }
    Ok(r)
}

/// Reads a scenario from a file (through [`super::input::read_text`]) or the built-in library.
pub fn read_scenario(name: &str) -> Result<Scenario, String> {
    read_scenario_lasting(name, None)
}

/// [`read_scenario`] for a run of at least `at_least_s` [s] (`--duration`):
/// events a longer run reaches are accepted ([`crate::scenario::load_lasting`]).
fn read_scenario_lasting(name: &str, at_least_s: Option<f64>) -> Result<Scenario, String> {
    let path = Path::new(name);
    if path.exists() {
        let text =
            super::input::read_text(name, "a scenario file (TOML, see docs/scenario-format.md)")?;
        load_lasting(name, &text, at_least_s).map_err(|e| e.to_string())
    } else if let Some(text) = built_in(name) {
        load_lasting(
            &format!("scenarios/{}.toml", name.trim_end_matches(".toml")),
            text,
            at_least_s,
        )
        .map_err(|e| e.to_string())
    } else {
        Err(format!(
            "{name}: no such file or built-in scenario; built-ins: {}",
            crate::scenario::built_in_names()
        ))
    }
}

/// Runs `scalesim run …` and returns what it prints.
pub fn run(args: &[String]) -> Result<String, String> {
    let a = parse_args(args)?;
    let mut scenario = read_scenario_lasting(&a.scenario, a.duration_s)?;
    let seed = a.seed.unwrap_or(scenario.run.seed);
    let duration = a.duration_s.unwrap_or(scenario.run.duration_s);
    // A run shorter than the latency window measures its percentiles over
    // the whole run (a window may not be longer than its run).
    let window_s = scenario.run.latency_window_s;
    let narrowed = a.duration_s.filter(|d| *d < window_s);
    if let Some(d) = narrowed {
        scenario.run.latency_window_s = d;
    }
    if let Some(d) = a.duration_s {
        // The file's rules for a run of this length: one tick at least, the
        // SLO windows within it, the run limits (events it cuts off are named
        // below, not refused).
        let mut shortened = scenario.clone();
        shortened.run.duration_s = d;
        // A story's T+0 past a shortened run's end is noted below, like its events.
        if shortened.run.timeline_zero_s >= d {
            shortened.run.timeline_zero_s = 0.0;
        }
        crate::scenario::validate(&shortened)
            .map_err(|(f, m)| format!("--duration {}: {f}: {m}", hms(d)))?;
    }
    let mut w = World::new(&scenario, seed).map_err(|e| format!("{}: {e}", a.scenario))?;
    super::progress::run_with_progress(&mut w, duration);
    let mut out = summary(&w, seed, duration);
    let missed = missed_events(&scenario, duration);
    if !missed.is_empty() {
        let _ = writeln!(
            out,
            "note: this run stops at {}; {} of the scenario's events {} later and did not fire: {}",
            hms(duration),
            missed.len(),
            if missed.len() == 1 { "comes" } else { "come" },
            missed.join(", ")
        );
    }
    if let Some(d) = narrowed {
        let _ = writeln!(
            out,
            "note: percentiles are over the whole run ({}), not the file's {} latency window",
            hms(d),
            hms(window_s)
        );
    }
    if scenario.run.timeline_zero_s >= duration {
        let _ = writeln!(
            out,
            "note: this run stops at {}, before the story's T+0 at {}: its times read before T+0",
            hms(duration),
            hms(scenario.run.timeline_zero_s)
        );
    }
    out.push_str(&timeline(&w, 80));
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        write_outputs(&w, dir)?;
        let classes = if w.class_refusals.is_some() {
            format!(", {}/class_refusals.csv", dir.display())
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\nwrote {0}/series.csv{classes}, {0}/events.jsonl and {0}/*.svg",
            dir.display()
        );
    }
    Ok(out)
}

/// The scenario's events that a run of `duration_s` [s] ends before (`events[3]
/// at 1h00m00s`): `--duration` may cut a run short of them.
fn missed_events(scenario: &Scenario, duration_s: f64) -> Vec<String> {
    let last = crate::scenario::last_tick_start_s(duration_s, scenario.run.tick_s);
    scenario
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.at_s > last + 1e-9)
        .map(|(i, e)| format!("events[{i}] at {}", hms(e.at_s)))
        .collect()
}

/// "1h02m03s", or "0h00m02.7s" for a time that is not whole seconds (a
/// clock never reads ahead: 0.7 s is not 0h00m01s).
fn hms(s: f64) -> String {
    let whole = (s + 1e-9).floor().max(0.0);
    let frac = crate::figures::round_sig(s - whole, 3).max(0.0);
    let w = whole as u64;
    let secs = if frac >= 1e-3 {
        let f = format!("{frac:.3}");
        format!(
            "{:02}{}",
            w % 60,
            f.trim_start_matches('0').trim_end_matches('0')
        )
    } else {
        format!("{:02}", w % 60)
    };
    format!("{}h{:02}m{secs}s", w / 3600, (w / 60) % 60)
}

/// The summary table.
pub fn summary(w: &World, seed: u64, duration_s: f64) -> String {
    let c = &w.counters;
    // 429s are not valid events of the SLI unless the scenario counts them
    // (`[slo] count_rate_limited`), as the error budget does.
    let not_counted = if w.scenario.slo.count_rate_limited {
        0.0
    } else {
        c.failures[FailureReason::RateLimited]
    };
    let settled = c.served + c.failed() - not_counted;
    let availability = if settled > 0.0 {
        c.served / settled
    } else {
        1.0
    };
    let target = w.scenario.slo.availability_target;
    let (met, budget_used) = match w.control.slo.availability.as_ref() {
        Some(a) => (availability >= target, a.budget_spent_ratio() * 100.0),
        None => (availability >= target, 0.0),
    };
    let latency_ok = if c.served > 0.0 {
        c.latency_good / c.served
    } else {
        1.0
    };
    let ready = w.ready_app_pods();
    let nodes = w.nodes_in(crate::sim::topology::NodeState::Ready);
    let mut o = String::new();
    let _ = writeln!(o, "{}", w.scenario.title);
    // A run is whole ticks: the time it simulated, and what was asked when
    // that is not a whole number of ticks.
    let simulated = w.now_s;
    let asked = if (simulated - duration_s).abs() > 1e-6 {
        format!(
            " ({} asked: a run is whole ticks, the last one ends at {})",
            hms(duration_s),
            hms(simulated)
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        o,
        "seed {seed}, {} simulated at {} s ticks{asked}\n",
        hms(simulated),
        crate::scenario::ranges::value_words(w.tick_s)
    );
    let row = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "  {k:<22} {v}");
    };
    row(
        &mut o,
        "SLO (availability)",
        if settled > 0.0 {
            format!(
                "{} — {:.3} % served OK vs target {:.3} %{}",
                if met { "MET" } else { "NOT MET" },
                availability * 100.0,
                target * 100.0,
                if not_counted > 0.0 {
                    format!(
                        " ({} rate-limited requests left out of the SLI)",
                        count(not_counted)
                    )
                } else {
                    String::new()
                }
            )
        } else {
            format!(
                "not measured — no request finished (served or failed), so there is nothing to judge against {:.3} %",
                target * 100.0
            )
        },
    );
    row(
        &mut o,
        "SLO (latency)",
        if c.served > 0.0 {
            format!(
                "{:.3} % under {} ms vs target {:.3} %",
                latency_ok * 100.0,
                w.scenario.slo.latency_threshold_ms,
                w.scenario.slo.latency_target * 100.0
            )
        } else {
            "not measured — no request was served".to_string()
        },
    );
    row(
        &mut o,
        "error budget used",
        format!(
            "{budget_used:.1} % of the {}-day budget",
            w.scenario.slo.window_days
        ),
    );
    // A percentile of no request is not 0 ms: it is not measured.
    let window_s = w.scenario.run.latency_window_s;
    row(
        &mut o,
        "latency p99",
        if w.peaks.p99_ms <= 0.0 {
            "not measured — no request was served or timed out".to_string()
        } else if w.latency.window().total <= 0.0 {
            format!(
                "peak {:.1} ms; final not measured — no request was served or timed out in the last {} s",
                w.peaks.p99_ms,
                crate::scenario::ranges::value_words(window_s)
            )
        } else {
            format!(
                "peak {:.1} ms, final {:.1} ms (p50 {:.1} ms)",
                w.peaks.p99_ms, w.last.p99_ms, w.last.p50_ms
            )
        },
    );
    row(
        &mut o,
        "pods",
        format!(
            "peak {} ready, final {} ready ({} desired); most pending at once {}",
            w.peaks.pods_ready, ready, w.spec_replicas, w.peaks.pods_pending
        ),
    );
    row(
        &mut o,
        "nodes",
        format!("peak {}, final {}", w.peaks.nodes_ready, nodes),
    );
    row(
        &mut o,
        "requests",
        format!(
            "{} arrived, {} served, {} still queued",
            count(c.arrived),
            count(c.served),
            count(c.queued)
        ),
    );
    let (limited, shed) = (
        c.failures[FailureReason::RateLimited],
        c.failures[FailureReason::Shed],
    );
    row(
        &mut o,
        "errors",
        format!(
            "{} ({} refused{}, {} dropped, {} timed out, {} errored, {} lost, {} in the data tier)",
            count(c.failed()),
            count(c.failures.sum_of(&FailureReason::REFUSED_UNPLANNED)),
            // 429s and shed requests are refused on purpose: named apart.
            [(limited, "rate limited (429)"), (shed, "shed")]
                .iter()
                .filter(|(n, _)| *n > 0.0)
                .map(|(n, what)| format!(", {} {what}", count(*n)))
                .collect::<String>(),
            count(c.failures[FailureReason::Dropped]),
            count(c.failures[FailureReason::TimedOut]),
            count(c.failures[FailureReason::Errored]),
            count(c.failures[FailureReason::LostWithPod]),
            count(c.failures.data_tier())
        ),
    );
    if let Some(r) = &w.client_retries {
        let p = &r.policy;
        let attempts = c.arrived + c.retried;
        row(
            &mut o,
            "retries",
            format!(
                "{} retried attempts: {} attempts per request (up to {}, backoff {}, jitter {}); {} requests gave up, {} retries still waiting",
                count(c.retried),
                if c.arrived > 0.0 {
                    format!("{:.2}", attempts / c.arrived)
                } else {
                    "no".into()
                },
                p.max_attempts,
                p.backoff.words(),
                p.jitter.words(),
                count(c.gave_up),
                count(r.pending)
            ),
        );
    }
    if let Some(b) = &w.client_breaker {
        let opened = w
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    SimEvent::BreakerChanged {
                        to: crate::sim::resilience::circuit_breaker::CbState::Open,
                        edge: crate::sim::protection::CallEdge::Client,
                        ..
                    }
                )
            })
            .count();
        row(
            &mut o,
            "circuit breaker",
            format!(
                "opened {opened} times; {} calls failed at once while open; now {}",
                count(c.failures[FailureReason::CircuitOpen]),
                b.state.as_str()
            ),
        );
    }
    protection_rows(w, &mut o);
    if c.sessions_lost > 0.0 {
        row(&mut o, "sessions lost", count(c.sessions_lost));
    }
    data_tier_rows(w, &mut o);
    row(
        &mut o,
        "cost",
        format!(
            "${:.2} total; now ${:.2}/h = ${:.0}/month; {}",
            w.cost.total_usd,
            w.cost.per_hour_usd,
            w.cost.per_month_usd(),
            if c.served > 0.0 {
                format!(
                    "${:.4} per million requests",
                    w.cost.per_million_requests_usd(c.served)
                )
            } else {
                "no request served, so no cost per request".to_string()
            }
        ),
    );
    if let Some(r) = w.control.vpa.recommend() {
        row(
            &mut o,
            "VPA recommendation",
            format!(
                "CPU request {:.0}m (p95 {:.0}m + 15 %, at least 25m), memory {:.0} MiB (request now {}m, {} MiB)",
                r.cpu_request_m,
                r.cpu_p95_m,
                r.memory_request_mib,
                w.scenario.topology.pod.cpu_request_m,
                w.scenario.topology.pod.memory_request_mib
            ),
        );
    }
    o
}

/// A count for the summary: whole, thousands grouped ("4,966,526"), in
/// significant digits from a billion ([`crate::figures::fixed_or_sig`]).
fn count(v: f64) -> String {
    crate::figures::fixed_or_sig(v, 0)
}

/// The protection rows of the summary: the dependency edges' retries and breakers,
/// rate limits and shedding (only those the scenario has).
fn protection_rows(w: &World, o: &mut String) {
    use crate::sim::protection::{CallEdge, EdgeProtection};
    use crate::sim::resilience::circuit_breaker::CbState;
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "  {k:<22} {v}");
    };
    let opened = |edge: CallEdge| {
        w.events
            .iter()
            .filter(|e| {
                matches!(e, SimEvent::BreakerChanged { to: CbState::Open, edge: e, .. } if *e == edge)
            })
            .count()
    };
    let edges: [(&str, CallEdge, &Option<EdgeProtection>); 4] = [
        ("database", CallEdge::Database, &w.data.db_edge),
        ("external", CallEdge::External, &w.data.external_edge),
        ("consumer writes", CallEdge::Consumer, &w.data.consumer_edge),
        ("cache", CallEdge::Cache, &w.data.cache_edge),
    ];
    for (name, edge, e) in edges {
        let Some(e) = e else { continue };
        let t = &e.totals;
        if let Some(p) = &e.retry {
            row(
                &format!("retries: {name}"),
                format!(
                    "{} retries for {} calls, up to {} attempts on each of {} hop{} (backoff {}, jitter {}); at worst {:.1} calls reached the {} per call; {} calls failed after retrying",
                    count(t.retries),
                    count(t.first),
                    p.max_attempts,
                    e.hops(),
                    if e.hops() == 1 { "" } else { "s" },
                    p.backoff.words(),
                    p.jitter.words(),
                    t.peak_amplification,
                    match edge {
                        CallEdge::External => "dependency",
                        CallEdge::Cache => "cache",
                        CallEdge::Database | CallEdge::Consumer | CallEdge::Client => "database",
                    },
                    count(t.failed),
                ),
            );
        }
        if let (Some(b), CallEdge::Consumer) = (&e.breaker, edge) {
            row(
                &format!("breaker: {name}"),
                format!(
                    "opened {} times, pausing the consumer group (its writes waited in Kafka); now {}",
                    opened(edge),
                    b.state.as_str()
                ),
            );
        } else if let Some(b) = &e.breaker {
            row(
                &format!("breaker: {name}"),
                format!(
                    "opened {} times; {} calls failed at once while open{}; now {}",
                    opened(edge),
                    count(t.rejected - t.fallback),
                    if e.has_fallback() {
                        format!(", {} served by the fallback", count(t.fallback))
                    } else {
                        String::new()
                    },
                    b.state.as_str()
                ),
            );
        }
    }
    if w.data.counters.dead_lettered_writes > 0.0 {
        row(
            "dead-lettered writes",
            format!(
                "{} consumed writes failed {} and went to the dead-letter topic (apart from the poison messages in the Kafka row)",
                count(w.data.counters.dead_lettered_writes),
                if w.data.consumer_edge.as_ref().is_some_and(|e| e.retry.is_some()) {
                    "every attempt"
                } else {
                    "at the database"
                }
            ),
        );
    }
    if !w.flags.flags.is_empty() {
        row(
            "feature flags",
            format!(
                "{}; {} requests not sent while their feature was off",
                w.flags
                    .flags
                    .iter()
                    .map(|f| format!("{} {}", f.name, if f.on { "on" } else { "off" }))
                    .collect::<Vec<_>>()
                    .join(", "),
                count(w.flags.dropped)
            ),
        );
    }
    let c = &w.counters;
    if let Some(r) = &w.rate_limiter {
        let p = &r.policy;
        row(
            "rate limited (429)",
            format!(
                "{} requests refused {}{}{}{}",
                count(c.failures[crate::sim::failure::FailureReason::RateLimited]),
                p.at.words(),
                p.limit_rps
                    .map_or(String::new(), |l| format!(", {} req/s overall", count(l))),
                if p.classes.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", per class: {}",
                        p.classes
                            .iter()
                            .map(|k| format!("{} {} req/s", k.name, count(k.limit_rps)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                // What each class was refused, the overall bucket's share included.
                {
                    let classes = &w.scenario.traffic.classes;
                    let refused: Vec<String> = classes
                        .iter()
                        .zip(&r.refused_total)
                        .map(|(k, n)| format!("{} {}", k.name, count(*n)))
                        .collect();
                    format!("; refused per class: {}", refused.join(", "))
                }
            ),
        );
    }
    if let Some(s) = &w.shedder {
        let classes = &w.scenario.traffic.classes;
        row(
            "shed by priority",
            format!(
                "{} requests shed over {} % CPU: {}",
                count(c.failures[crate::sim::failure::FailureReason::Shed]),
                s.policy.cpu_threshold_pct,
                classes
                    .iter()
                    .zip(&s.shed_total)
                    .map(|(k, n)| format!("{} (priority {}) {}", k.name, k.priority, count(*n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if let Some(r) = &w.rollout {
        row("rollout", rollout_words(w, r));
        if let Some(c) = canary_words(w, r) {
            row("canary", c);
        }
        if let Some(b) = blue_green_words(w, r) {
            row("blue-green", b);
        }
    }
}

/// How the last canary went: "v2-bad rolled back at stage 1 of 4 (1 %) at 0:06:00: error
/// rate 5 % > 0.5 %", "v2 promoted after 0:08:00", or "v2 at stage 2 of 4 (5 %)";
/// None when no canary ran.
fn canary_words(w: &World, r: &crate::sim::rollout::RolloutState) -> Option<String> {
    if let Some(c) = &r.canary {
        let spec = &w.scenario.canary;
        return Some(format!(
            "{} at stage {} of {} ({} % of the traffic) since {}",
            w.version_name(c.version),
            c.stage + 1,
            spec.stages.len(),
            100.0 * c.weight(spec),
            hms(c.stage_started_s)
        ));
    }
    w.events.iter().rev().find_map(|e| {
        if let SimEvent::CanaryRolledBack { .. } = e {
            Some(e.describe_with(&[]))
        } else if let SimEvent::CanaryPromoted {
            version, after_s, ..
        } = e
        {
            Some(format!("{version} promoted after {}", hms(*after_s)))
        } else {
            None
        }
    })
}

/// How the last blue-green release went: "v2 staged since 0:05:00 (12 pods beside v1)",
/// "v2 switched in at 0:08:30; v1 on standby", or the last switch back or retirement as
/// the timeline says it; None when none ran.
fn blue_green_words(w: &World, r: &crate::sim::rollout::RolloutState) -> Option<String> {
    if let Some(b) = &r.blue_green {
        let (green, blue) = (w.version_name(b.version), w.version_name(b.blue));
        return Some(match b.switched_s {
            None => format!("{green} staged since {} beside {blue}", hms(b.started_s)),
            Some(t) => format!("{green} switched in at {}; {blue} on standby", hms(t)),
        });
    }
    w.events.iter().rev().find_map(|e| {
        matches!(
            e,
            SimEvent::BlueGreenSwitchedBack { .. } | SimEvent::BlueGreenRetired { .. }
        )
        .then(|| e.describe_with(&[]))
    })
}

/// Where the last rollout stands: "v1 → v2 complete after 1m03s (3 rollouts)", or
/// "to v3: 10 of 20 pods asked for, 0 available; 15 old pods remain".
fn rollout_words(w: &World, r: &crate::sim::rollout::RolloutState) -> String {
    let name = |v: u8| {
        w.versions
            .get(usize::from(v))
            .map_or("?".to_string(), |x| x.name.clone())
    };
    let started = w
        .events
        .iter()
        .filter(|e| matches!(e, SimEvent::RolloutStarted { .. }))
        .count();
    let Some((new, old)) = r.sets.split_last() else {
        return String::new();
    };
    let old_pods: i32 = old.iter().map(|s| s.replicas).sum();
    let state = if r.complete {
        let took = w.events.iter().rev().find_map(|e| {
            if let SimEvent::RolloutComplete { after_s, .. } = e {
                Some(*after_s)
            } else {
                None
            }
        });
        format!(
            "to {} complete{}",
            name(new.version),
            took.map_or(String::new(), |t| format!(" after {}", hms(t)))
        )
    } else {
        format!(
            "to {} under way since {}: {} of {} pods asked for, {} available; {} old pods remain",
            name(new.version),
            hms(r.started_s),
            new.replicas,
            w.spec_replicas,
            new.available,
            old_pods
        )
    };
    format!(
        "{state} ({started} rollout{})",
        if started == 1 { "" } else { "s" }
    )
}

/// The data and async tiers' rows of the summary (only the tiers the scenario has).
fn data_tier_rows(w: &World, o: &mut String) {
    let d = &w.data;
    let dc = &d.counters;
    let mut row = |k: &str, v: String| {
        let _ = writeln!(o, "  {k:<22} {v}");
    };
    if dc.failed() > 0.0 {
        row(
            "data-tier errors",
            format!(
                "{} (database {}, no quorum {}, publish refused {}, dependency {}, GSLB/DNS {})",
                count(dc.failed()),
                count(dc.failures[FailureReason::Database]),
                count(dc.failures[FailureReason::NoQuorum]),
                count(dc.failures[FailureReason::PublishRefused]),
                count(dc.failures[FailureReason::Dependency]),
                count(dc.failures[FailureReason::RegionUnreachable])
            ),
        );
    }
    let peak = |c: Series| w.series.peak(c);
    let mean = |c: Series| {
        let s = w.series.get(c);
        if s.is_empty() {
            0.0
        } else {
            s.iter().sum::<f64>() / s.len() as f64
        }
    };
    if let Some(cdn) = d.cdn.as_ref() {
        row(
            "CDN",
            format!(
                "hit ratio mean {:.1} %, final {:.1} %; origin offload {:.1} %; {:.0} requests served at the edge",
                mean(Series::CdnHitRatio) * 100.0,
                cdn.last.hit_ratio * 100.0,
                cdn.last.offload_pct,
                dc.edge_served
            ),
        );
    }
    if let Some(c) = d.cache.as_ref() {
        row(
            "cache",
            format!(
                "hit ratio mean {:.1} %, final {:.1} %; {:.0} ops/s; {}",
                mean(Series::CacheHitRatio) * 100.0,
                c.last.hit_ratio * 100.0,
                c.last.ops_per_s,
                if c.down { "DOWN" } else { "up" }
            ),
        );
    }
    if let Some(db) = d.database.as_ref() {
        let snap = db.snapshot();
        row(
            "database",
            format!(
                "connections in use peak {:.0} (at the end {} wanted, {} granted of {} per shard); replica lag peak {:.0} ms; {} failover{}",
                peak(Series::DbConnectionsInUse),
                snap.connections_wanted,
                snap.connections_granted,
                snap.max_connections,
                peak(Series::DbReplicationLagMs),
                dc.failovers,
                if dc.failovers == 1 { "" } else { "s" }
            ),
        );
    }
    if let Some(k) = d.kafka.as_ref() {
        let t = k.totals();
        row(
            "Kafka",
            format!(
                "lag peak {} messages, oldest unconsumed message at most {} s old, final lag {}; consumers peak {:.0}; {} published, {} consumed, {} refused, {} expired, {} poison messages dead-lettered",
                count(peak(Series::KafkaLagMessages)),
                count(peak(Series::KafkaLagS)),
                count(k.lag_messages() as f64),
                peak(Series::KafkaConsumers),
                count(t.published as f64),
                count(t.consumed as f64),
                count(t.rejected as f64),
                count(t.expired as f64),
                count(t.dead_lettered as f64)
            ),
        );
    }
    if d.store.is_some() {
        row(
            "consistency",
            format!(
                "stale reads {:.0} (peak {:.2} %; of them own writes {:.0}, peak {:.2} %), conflicts {:.0}, lost writes {:.0}",
                dc.stale_reads,
                peak(Series::StaleReadPct),
                dc.own_stale_reads,
                peak(Series::OwnStaleReadPct),
                dc.conflicts,
                dc.lost_writes
            ),
        );
    } else if dc.lost_writes > 0.0 {
        row("lost writes", format!("{:.0}", dc.lost_writes));
    }
    if let Some(e) = d.external.as_ref() {
        row(
            "external dependency",
            format!(
                "latency {:.0} ms now; {:.0} requests failed by it",
                e.last.mean_latency_ms,
                dc.failures[FailureReason::Dependency]
            ),
        );
    }
    if d.gslb.is_some() && dc.sovereignty_violations > 0.0 {
        row(
            "data sovereignty",
            format!(
                "{:.0} EU requests served outside the EU",
                dc.sovereignty_violations
            ),
        );
    }
}

fn worth_printing(e: &SimEvent) -> bool {
    !matches!(
        e,
        SimEvent::PodReady { .. } | SimEvent::PausePodPreempted { .. }
    )
}

/// The timeline: the main events in words (at most `max` lines).
pub fn timeline(w: &World, max: usize) -> String {
    // One clock everywhere: T+ counts from the start of the run, as on the page.
    let zero = w.scenario.run.timeline_zero_s;
    let mut o = if zero > 0.0 {
        format!(
            "\ntimeline (T+ from the start of the run; the story's T+0 is {}):\n",
            crate::sim::events::clock(zero)
        )
    } else {
        "\ntimeline (T+ from the start of the run):\n".to_string()
    };
    let zones: Vec<String> = w.zones.iter().map(|z| z.name.clone()).collect();
    let shown: Vec<&SimEvent> = w.events.iter().filter(|e| worth_printing(e)).collect();
    for e in shown.iter().take(max) {
        let _ = writeln!(o, "  {}", e.describe_with(&zones));
    }
    if shown.is_empty() {
        let _ = writeln!(
            o,
            "  nothing happened: no scaling, fault or alert in this run"
        );
    }
    if shown.len() > max {
        let _ = writeln!(
            o,
            "  … {} more in events.jsonl (run with --out DIR)",
            shown.len() - max
        );
    }
    let ready = w
        .events
        .iter()
        .filter(|e| matches!(e, SimEvent::PodReady { .. }))
        .count();
    if ready > 0 {
        let _ = writeln!(
            o,
            "  ({} became ready; see events.jsonl)",
            if ready == 1 {
                "1 pod".to_string()
            } else {
                format!("{ready} pods")
            }
        );
    }
    o
}

/// `class_refusals.csv` and `refusals-by-class.svg`: what the rate limit (429) and load
/// shedding (503) refused per class over time [req/s]; the SVG draws the classes' lines
/// that refused something.
fn write_class_refusals(
    w: &World,
    c: &crate::sim::class_series::ClassRefusalSeries,
    dir: &Path,
) -> Result<(), String> {
    let names = w.scenario.traffic.class_names();
    let quoted = |s: String| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut csv = String::from("t_s");
    for n in &names {
        csv.push(',');
        csv.push_str(&quoted(format!("{n}_rate_limited_rps")));
        csv.push(',');
        csv.push_str(&quoted(format!("{n}_shed_rps")));
    }
    csv.push('\n');
    for i in 0..c.times().len() {
        let row: Vec<String> = c
            .columns()
            .iter()
            .map(|col| crate::figures::data_number(col[i]))
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let p = dir.join("class_refusals.csv");
    std::fs::write(&p, csv).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    let labels: Vec<(String, String)> = names
        .iter()
        .map(|n| (format!("{n} 429"), format!("{n} shed")))
        .collect();
    let mut lines: Vec<(&str, &[f64])> = Vec::new();
    for (i, (limited_label, shed_label)) in labels.iter().enumerate() {
        let (limited, shed) = c.class(i);
        for (label, values) in [(limited_label, limited), (shed_label, shed)] {
            if values.iter().any(|v| *v > 0.0) {
                lines.push((label.as_str(), values));
            }
        }
    }
    let p = dir.join("refusals-by-class.svg");
    crate::figures::line_chart_svg(
        &p,
        "Refused per class: rate limited (429) and shed by priority [req/s]",
        c.times(),
        &lines,
    )
    .map_err(|e| format!("cannot draw {}: {e}", p.display()))
}

/// `canary.csv`: every release analysis (one per interval while a canary ran, and after a
/// blue-green switch), the new version against the stable one (docs/models.md#canary-releases);
/// and `release-errors.svg` and `release-p99.svg`, the two versions per interval with the
/// rollback trigger (the stable version's value plus `[canary]`'s allowance) as a line.
fn write_canary_analyses(
    analyses: &[crate::sim::rollout::canary::CanaryAnalysis],
    spec: &crate::sim::rollout::canary::CanarySpec,
    dir: &Path,
) -> Result<(), String> {
    let n = crate::figures::data_number;
    let mut csv = String::from(
        "t_s,weight_pct,stable_error_pct,canary_error_pct,stable_p99_ms,canary_p99_ms,canary_memory_pct,canary_requests\n",
    );
    for a in analyses {
        let row = [
            a.t_s,
            a.weight_pct,
            a.stable_error_pct,
            a.canary_error_pct,
            a.stable_p99_ms,
            a.canary_p99_ms,
            a.canary_memory_pct,
            a.canary_requests,
        ]
        .map(n);
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let p = dir.join("canary.csv");
    std::fs::write(&p, csv).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    let t: Vec<f64> = analyses.iter().map(|a| a.t_s).collect();
    // From the start of the first interval: the release's minutes, not the whole run.
    let from = analyses
        .first()
        .map_or(0.0, |a| (a.t_s - spec.interval_s).max(0.0));
    let col = |f: &dyn Fn(&crate::sim::rollout::canary::CanaryAnalysis) -> f64| -> Vec<f64> {
        analyses.iter().map(f).collect()
    };
    let (stable_err, new_err) = (col(&|a| a.stable_error_pct), col(&|a| a.canary_error_pct));
    let err_trigger = col(&|a| a.stable_error_pct + spec.error_rate_over_baseline_pct);
    crate::figures::window_chart_svg(
        &dir.join("release-errors.svg"),
        "Release analysis: error rate per version [%]",
        from,
        &t,
        &[
            ("stable version", &stable_err),
            ("new version", &new_err),
            ("rollback trigger (stable + allowance)", &err_trigger),
        ],
    )?;
    let (stable_p99, new_p99) = (col(&|a| a.stable_p99_ms), col(&|a| a.canary_p99_ms));
    let p99_trigger = col(&|a| a.stable_p99_ms + spec.p99_over_baseline_ms);
    crate::figures::window_chart_svg(
        &dir.join("release-p99.svg"),
        "Release analysis: p99 per version [ms]",
        from,
        &t,
        &[
            ("stable version", &stable_p99),
            ("new version", &new_p99),
            ("rollback trigger (stable + allowance)", &p99_trigger),
        ],
    )
}

fn write_outputs(w: &World, dir: &Path) -> Result<(), String> {
    let err = |p: &Path, e: std::io::Error| format!("cannot write {}: {e}", p.display());
    let header: Vec<&str> = Series::ALL.map(Series::column).to_vec();
    let mut csv = header.join(",");
    csv.push('\n');
    for i in 0..w.series.len() {
        // 10 significant digits: 6333, not 6332.999999999998 (float noise).
        let row: Vec<String> = Series::ALL
            .iter()
            .map(|c| crate::figures::data_number(w.series.get(*c)[i]))
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let p = dir.join("series.csv");
    std::fs::write(&p, csv).map_err(|e| err(&p, e))?;
    let zones: Vec<String> = w.zones.iter().map(|z| z.name.clone()).collect();
    let mut jsonl = String::new();
    for e in &w.events {
        let mut v = serde_json::to_value(e).map_err(|e| e.to_string())?;
        crate::figures::round_json_numbers(&mut v);
        if let Some(m) = v.as_object_mut() {
            m.insert(
                "text".into(),
                serde_json::Value::String(e.describe_with(&zones)),
            );
            // Enums the engine carries as data are read in words here, at the edge.
            if let SimEvent::Scaled { limited_by, .. } = e {
                let words = limited_by.words().unwrap_or_default();
                m.insert("limited_by".into(), serde_json::Value::String(words));
            }
            if let SimEvent::PolicyTierChanged { tier, .. } = e {
                let words = crate::sim::events::policy_tier_words(*tier);
                m.insert("tier".into(), serde_json::Value::String(words));
            }
        }
        jsonl.push_str(&v.to_string());
        jsonl.push('\n');
    }
    let p = dir.join("events.jsonl");
    std::fs::write(&p, jsonl).map_err(|e| err(&p, e))?;
    if let Some(c) = &w.class_refusals {
        write_class_refusals(w, c, dir)?;
    }
    if let Some(r) = w.rollout.as_ref().filter(|r| !r.analyses.is_empty()) {
        write_canary_analyses(&r.analyses, &w.scenario.canary, dir)?;
    }
    let t: &[f64] = w.series.get(Series::Time);
    for chart in Chart::ALL {
        let tier_present = match chart {
            Chart::HitRatio => w.data.cdn.is_some() || w.data.cache.is_some(),
            Chart::Database => w.data.database.is_some(),
            Chart::Queue => w.data.kafka.is_some(),
            Chart::Consistency => w.data.store.is_some() || w.data.counters.lost_writes > 0.0,
            Chart::Retries => w.client_retries.is_some() || w.client_breaker.is_some(),
            Chart::Protection => {
                w.rate_limiter.is_some() || w.shedder.is_some() || w.data.has_edge_protection()
            }
            // Written from the class record above.
            Chart::Refusals => false,
            Chart::Traffic
            | Chart::Replicas
            | Chart::Latency
            | Chart::Cpu
            | Chart::Budget
            | Chart::Burn
            | Chart::Cost => true,
        };
        if !tier_present {
            continue;
        }
        for fig in chart.svg() {
            // A state lane shows when its edge has a breaker or the state ever changed;
            // the Protection chart's lines, when they were ever not 0 (it gathers the
            // lines of mechanisms a scenario may not have).
            let shown = |c: Series| {
                let ever = w.series.peak(c) > 0.0;
                if fig.lanes {
                    ever || crate::figures::BREAKER_LANES
                        .iter()
                        .any(|(s, e)| *s == c && crate::sim::inputs::clients::has_breaker(w, *e))
                } else {
                    ever || chart != Chart::Protection
                }
            };
            let series: Vec<(&str, &[f64])> = fig
                .lines
                .iter()
                .filter(|(c, _)| shown(*c))
                .map(|(c, n)| (*n, w.series.get(*c)))
                .collect();
            if series.is_empty() {
                continue;
            }
            let p = dir.join(fig.file);
            let drawn = if fig.lanes {
                crate::figures::state_lanes_svg(&p, fig.title, t, &series)
            } else {
                crate::figures::line_chart_svg(&p, fig.title, t, &series)
            };
            drawn.map_err(|e| format!("cannot draw {}: {e}", p.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn durations_and_seeds_parse_from_the_command_line() {
        let e = parse_args(&args(&["x.toml", "--seed", "1", "--seed", "2"])).unwrap_err();
        assert_eq!(e, "--seed is given twice; give it once");
        let r = parse_args(&args(&["x.toml", "--seed", "7", "--duration", "90m"])).unwrap();
        assert_eq!(r.seed, Some(7));
        assert_eq!(r.duration_s, Some(5400.0));
        assert!(parse_args(&args(&["--seed", "7"])).is_err());
        assert!(parse_args(&args(&["x.toml", "--seed", "many"])).is_err());
    }

    #[test]
    fn a_built_in_scenario_runs_and_prints_a_summary() {
        let out = run(&args(&["black-friday", "--duration", "10m"])).unwrap();
        assert!(out.contains("SLO (availability)"), "{out}");
        assert!(out.contains("HPA: 3 → 8 pods"), "{out}");
    }

    #[test]
    fn a_missing_scenario_is_an_error() {
        assert!(run(&args(&["no-such-scenario.toml"])).is_err());
    }
}
