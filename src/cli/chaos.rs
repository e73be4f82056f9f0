//! `scalesim chaos`: runs one chaos experiment and prints its report — the hypothesis,
//! the steady state before and during the method, the abort, the verdict and the error
//! budget it cost (docs/models.md#chaos-experiments).
//!
//! ```text
//!   chaos SCENARIO --experiment NAME | --preset NAME   an experiment of the scenario, or a Simian Army preset
//!   chaos EXPERIMENT.toml                               scenario = "…", at_s, [experiment]
//!     [--at T] [--seed N] [--abort-at T] [--json]
//! ```

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::scenario::Scenario;
use crate::sim::chaos::{ExperimentRun, ExperimentSpec, Measure, Verdict};
use crate::sim::inputs::Action;
use crate::sim::{step, World};

/// An experiment file: the scenario it runs on, when, and the experiment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    /// A built-in name or a path (relative to the experiment file).
    scenario: String,
    /// When the experiment starts [s] (default 60).
    #[serde(default)]
    at_s: Option<f64>,
    /// The seed (default the scenario's).
    #[serde(default)]
    seed: Option<u64>,
    /// The experiment.
    experiment: ExperimentSpec,
}

#[derive(Debug, Default)]
struct ChaosArgs {
    target: String,
    experiment: Option<String>,
    preset: Option<String>,
    at_s: Option<f64>,
    seed: Option<u64>,
    abort_at_s: Option<f64>,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<ChaosArgs, String> {
    let mut a = ChaosArgs::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--experiment" => a.experiment = Some(value("--experiment")?),
            "--preset" => a.preset = Some(value("--preset")?),
            "--at" => a.at_s = Some(time_flag("--at", &value("--at")?)?),
            "--abort-at" => a.abort_at_s = Some(time_flag("--abort-at", &value("--abort-at")?)?),
            "--seed" => {
                let v = value("--seed")?;
                a.seed = Some(v.parse().map_err(|_| {
                    format!("--seed: `{v}` is not a whole number from 0 to 2^64 − 1")
                })?);
            }
            "--json" => a.json = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            target if a.target.is_empty() => a.target = target.to_string(),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    if a.target.is_empty() {
        return Err("missing SCENARIO or EXPERIMENT.toml".into());
    }
    if a.experiment.is_some() && a.preset.is_some() {
        return Err("give --experiment or --preset, not both".into());
    }
    Ok(a)
}

fn time_flag(flag: &str, v: &str) -> Result<f64, String> {
    crate::scenario::parse_duration_s(v).map_err(|e| format!("{flag}: {e}"))
}

/// Whether `text` is an experiment file (a `scenario` key and an `[experiment]` table)
/// rather than a scenario.
fn is_experiment_file(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("experiment") && t.contains_key("scenario"))
}

/// Runs `scalesim chaos …` and returns what it prints.
pub fn run(args: &[String]) -> Result<String, String> {
    let a = parse_args(args)?;
    let path = Path::new(&a.target);
    let file_text = if path.exists() {
        Some(super::input::read_text(
            &a.target,
            "an experiment file or a scenario (TOML, see docs/scenario-format.md)",
        )?)
    } else {
        None
    };
    let (mut scenario, scenario_name, name, at_s, seed) = match &file_text {
        Some(text) if is_experiment_file(text) => {
            if a.experiment.is_some() || a.preset.is_some() {
                return Err(format!(
                    "{}: an experiment file names its experiment; --experiment and --preset are for a scenario",
                    a.target
                ));
            }
            let f: ExperimentFile = toml::from_str(text)
                .map_err(|e| format!("{}: {}", a.target, e.to_string().trim_end()))?;
            let base = path.parent().unwrap_or(Path::new("."));
            let rel = base.join(&f.scenario);
            let scenario_arg = if rel.exists() {
                rel.to_string_lossy().into_owned()
            } else {
                f.scenario.clone()
            };
            let mut s = super::run::read_scenario(&scenario_arg)
                .map_err(|e| format!("{}: scenario: {e}", a.target))?;
            let name = f.experiment.name.clone();
            s.experiments.retain(|e| e.name != name);
            s.experiments.push(f.experiment);
            check_experiment(&s, &a.target)?;
            (s, f.scenario, name, a.at_s.or(f.at_s), a.seed.or(f.seed))
        }
        Some(_) | None => {
            let s = super::run::read_scenario(&a.target)?;
            let name = match (&a.experiment, &a.preset) {
                (Some(n), None) => {
                    if !s.experiments.iter().any(|e| e.name == *n) {
                        let names: Vec<&str> =
                            s.experiments.iter().map(|e| e.name.as_str()).collect();
                        return Err(format!(
                            "{}: no experiment `{n}`; the scenario's: {}",
                            a.target,
                            if names.is_empty() {
                                "none".to_string()
                            } else {
                                names.join(", ")
                            }
                        ));
                    }
                    n.clone()
                }
                (None, Some(p)) => {
                    if crate::sim::chaos::presets::preset(p, &s).is_none() {
                        return Err(format!(
                            "no preset `{p}` for this scenario; the presets: {} (chaos-kong needs two regions)",
                            crate::sim::chaos::presets::PRESETS.join(", ")
                        ));
                    }
                    p.clone()
                }
                (None, None) => match s.experiments.first() {
                    Some(e) => e.name.clone(),
                    None => {
                        return Err(format!(
                            "{}: the scenario has no [[experiments]]; give --preset {}",
                            a.target,
                            crate::sim::chaos::presets::PRESETS.join(" | ")
                        ))
                    }
                },
                (Some(_), Some(_)) => unreachable!("refused by parse_args"),
            };
            (s, a.target.clone(), name, a.at_s, a.seed)
        }
    };
    let at_s = at_s.unwrap_or(60.0);
    let seed = seed.unwrap_or(scenario.run.seed);
    let probe = World::new(&scenario, seed).map_err(|e| e.to_string())?;
    let spec = crate::sim::chaos::run::spec_named(&probe, &name)
        .ok_or_else(|| format!("no experiment `{name}`"))?;
    let end_s = at_s + spec.steady_s + spec.duration_s + 2.0 * scenario.run.tick_s;
    if end_s > scenario.run.duration_s {
        scenario.run.duration_s = end_s;
    }
    let mut w = World::new(&scenario, seed).map_err(|e| e.to_string())?;
    w.push_action(at_s, Action::RunExperiment { name: name.clone() })
        .map_err(|e| e.to_string())?;
    if let Some(t) = a.abort_at_s {
        w.push_action(t, Action::AbortExperiment)
            .map_err(|e| format!("--abort-at: {e}"))?;
    }
    while w.now_s < end_s - 1e-9 && w.experiment.as_ref().is_none_or(|e| e.verdict.is_none()) {
        step(&mut w);
    }
    let run = w.experiment.as_deref().ok_or_else(|| {
        format!(
            "the experiment `{name}` did not start: see the timeline\n{}",
            super::run::timeline(&w, 20)
        )
    })?;
    if a.json {
        return Ok(json_report(&w, run, &scenario_name, seed));
    }
    Ok(report(&w, run, &scenario_name, seed))
}

/// The scenario's rules for the experiment just added (last in `experiments`), with
/// the file's paths: `experiment.method[0].action.count` rather than
/// `experiments[3].method[0]…`.
fn check_experiment(s: &Scenario, file: &str) -> Result<(), String> {
    let i = s.experiments.len() - 1;
    let from = format!("experiments[{i}]");
    let rename = |p: &str| p.replacen(&from, "experiment", 1);
    let e = &s.experiments[i];
    for found in crate::scenario::numbers::numbers_of(e, &from) {
        crate::scenario::ranges::check(&found)
            .map_err(|r| format!("{file}: {}: {}", rename(&r.path), r.message))?;
    }
    crate::scenario::validate(s).map_err(|(f, m)| format!("{file}: {}: {m}", rename(&f)))
}

fn hms(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A probe's value with its unit ("0.12 %", "240 ms").
fn value(v: f64, unit: &str) -> String {
    if v.is_nan() {
        return "no data".into();
    }
    let digits = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$} {unit}")
}

fn report(w: &World, run: &ExperimentRun, scenario: &str, seed: u64) -> String {
    let spec = &run.spec;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "experiment {}: {} (scenario {scenario}, seed {seed})",
        spec.name,
        spec.title()
    );
    let _ = writeln!(o, "hypothesis: {}", spec.hypothesis);
    let _ = writeln!(
        o,
        "blast radius: {}",
        crate::sim::chaos::experiment::radius_words(&spec.blast_radius)
    );
    let rows = |o: &mut String, results: &[crate::sim::chaos::ProbeResult]| {
        for (b, r) in spec.steady_state.iter().zip(results) {
            let unit = Measure::unit_of(&b.probe);
            let state = match (r.ticks, r.held) {
                (0, _) => "not measured",
                (_, true) => "held",
                (_, false) => "BROKEN",
            };
            let _ = writeln!(
                o,
                "  {:<36} worst {:<12} {state}",
                b.words(unit),
                value(r.worst, unit)
            );
        }
    };
    let _ = writeln!(
        o,
        "steady state, {} to {} (before the method):",
        hms(run.started_s),
        hms(run.method_s)
    );
    rows(&mut o, &run.before);
    if run.verdict != Some(Verdict::NotSteady) {
        let _ = writeln!(o, "method, from {}:", hms(run.method_s));
        for s in &spec.method {
            let _ = writeln!(
                o,
                "  {}  {}",
                hms(run.method_s + s.at_s),
                s.action.describe()
            );
        }
        if !spec.abort.is_empty() {
            let _ = writeln!(o, "abort conditions:");
            for c in &spec.abort {
                let unit = Measure::unit_of(&c.bound.probe);
                let _ = writeln!(o, "  {}", c.words(unit));
            }
        }
        let ended = run.abort.map_or(run.end_s, |a| a.t_s);
        let _ = writeln!(
            o,
            "during the method, {} to {}:",
            hms(run.method_s),
            hms(ended)
        );
        rows(&mut o, &run.during);
    }
    if let Some(a) = run.abort {
        let why = match a.condition {
            Some(i) => {
                let c = &spec.abort[i];
                let unit = Measure::unit_of(&c.bound.probe);
                format!("{} (measured {})", c.words(unit), value(a.measured, unit))
            }
            None => "by hand (--abort-at)".into(),
        };
        let _ = writeln!(o, "ABORTED at {}: {why}", hms(a.t_s));
        let undone: Vec<String> = run
            .applied
            .iter()
            .filter_map(crate::sim::chaos::run::rollback_of)
            .map(|u| u.describe())
            .collect();
        if !undone.is_empty() {
            let _ = writeln!(o, "rolled back: {}", undone.join("; "));
        }
    }
    let verdict = run.verdict.map_or("still running", Verdict::words);
    let _ = writeln!(o, "verdict: {verdict}");
    let remaining = run.budget_at_method_pct - run.service_budget_used_pct;
    let tier = w
        .control
        .slo
        .availability
        .as_ref()
        .map(|a| a.config().tiers.tier(remaining / 100.0).label());
    let _ = writeln!(
        o,
        "error budget: {:.2} % of the budget spent by the whole service ({:.2} % by the exposed traffic); {:.1} % left{}",
        run.service_budget_used_pct,
        run.exposed_budget_used_pct,
        remaining,
        tier.map_or(String::new(), |t| format!(", policy tier \"{t}\""))
    );
    o.push('\n');
    o.push_str(&super::run::timeline(w, 60));
    o
}

fn json_report(w: &World, run: &ExperimentRun, scenario: &str, seed: u64) -> String {
    let spec = &run.spec;
    let probes: Vec<serde_json::Value> = spec
        .steady_state
        .iter()
        .zip(run.before.iter().zip(&run.during))
        .map(|(b, (before, during))| {
            let unit = Measure::unit_of(&b.probe);
            let (lo, hi) = b.band();
            serde_json::json!({
                "probe": b.probe,
                "unit": unit,
                "low": lo.is_finite().then_some(lo),
                "high": hi.is_finite().then_some(hi),
                "before": { "worst": before.worst.is_finite().then_some(before.worst), "held": before.held },
                "during": { "worst": during.worst.is_finite().then_some(during.worst), "held": during.held, "ticks": during.ticks },
            })
        })
        .collect();
    let v = serde_json::json!({
        "experiment": spec.name,
        "scenario": scenario,
        "seed": seed,
        "hypothesis": spec.hypothesis,
        "verdict": run.verdict,
        "started_s": run.started_s,
        "method_s": run.method_s,
        "abort": run.abort.map(|a| serde_json::json!({
            "t_s": a.t_s,
            "condition": a.condition,
            "measured": a.measured,
        })),
        "probes": probes,
        "service_budget_used_pct": run.service_budget_used_pct,
        "exposed_budget_used_pct": run.exposed_budget_used_pct,
        "blast_radius_traffic_pct": spec.blast_radius.traffic_pct,
        "events": w.events.iter().filter(|e| matches!(e,
            crate::sim::events::SimEvent::ExperimentStarted { .. }
            | crate::sim::events::SimEvent::ExperimentMethodStarted { .. }
            | crate::sim::events::SimEvent::ExperimentAborted { .. }
            | crate::sim::events::SimEvent::ExperimentEnded { .. }))
            .map(|e| e.describe_with(&[])).collect::<Vec<_>>(),
    });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
