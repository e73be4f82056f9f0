//! The Chaos experiments panel, its pure part: the experiments a scenario can run (its
//! `[[experiments]]`, then the Simian Army presets that fit it), and the one under way
//! or last run, as rows of bounds against what they measured
//! (docs/models.md#chaos-experiments).
//!
//! ```text
//!   World (scenario.experiments, presets, experiment) ─▶ Experiments ─┬─ picker, Run, Abort
//!                                                                    └─ hypothesis, bounds, verdict
//! ```

use scalesim::sim::chaos::{presets, Measure, Phase, ProbeResult, Verdict};
use scalesim::sim::inputs::Action;
use scalesim::sim::World;

/// One steady-state bound as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundRow {
    /// The bound in words ("error_rate_pct ≤ 0.1 %").
    pub bound: String,
    /// The worst value so far in this phase, with its unit ("2.31 %"); "–" before any.
    pub worst: String,
    /// Whether it has held so far.
    pub held: bool,
    /// For a meter: (worst, the band's low and high ends) in the measure's unit.
    pub meter: (f64, f64, f64),
}

/// The experiment under way or last run.
#[derive(Clone, Debug, PartialEq)]
pub struct ExperimentView {
    /// Its name and title.
    pub name: String,
    /// Its title.
    pub title: String,
    /// What should stay true.
    pub hypothesis: String,
    /// Where it stands, in words ("checking the steady state", "method running").
    pub phase: String,
    /// Whether it is still running (the Abort button is on).
    pub running: bool,
    /// The bounds, over the phase under way (before the method while checking).
    pub rows: Vec<BoundRow>,
    /// The verdict once done, in words; `verdict_class` names it for the style.
    pub verdict: String,
    /// "held", "deviated", "aborted", "not_steady", or "" while running.
    pub verdict_class: &'static str,
    /// Why it was aborted, if it was.
    pub abort: String,
    /// The error budget it cost the whole service so far, in words.
    pub budget: String,
}

/// The panel's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Experiments {
    /// (name, title) of each experiment the scenario can run.
    pub available: Vec<(String, String)>,
    /// The one under way or last run.
    pub current: Option<ExperimentView>,
}

impl Experiments {
    /// The panel's state for `w`. Reads only what the panel shows; the presets are
    /// named, not built, each frame.
    pub fn of(w: &World) -> Experiments {
        let mut available: Vec<(String, String)> = w
            .scenario
            .experiments
            .iter()
            .map(|e| (e.name.clone(), e.title().to_string()))
            .collect();
        available.extend(presets::available(&w.scenario).map(|p| (p.to_string(), preset_title(p))));
        Experiments {
            available,
            current: w.experiment.as_deref().map(view_of),
        }
    }
}

fn preset_title(name: &str) -> String {
    match name {
        "chaos-monkey" => "Chaos Monkey: kill a random pod",
        "chaos-gorilla" => "Chaos Gorilla: lose a zone",
        "chaos-kong" => "Chaos Kong: lose a region",
        "latency-monkey" => "Latency Monkey: 300 ms more, 5 % of traffic",
        other => other,
    }
    .to_string()
}

/// A measured value with its unit, two decimals below 1 (an error rate of 0.04 % is not
/// 0 %), as the live figures show it above.
fn figure(v: f64, unit: &str) -> String {
    if v.is_finite() && v.abs() < 1.0 && v != 0.0 {
        format!("{v:.2} {unit}")
    } else {
        crate::model::format::with_unit(v, unit)
    }
}

fn view_of(run: &scalesim::sim::chaos::ExperimentRun) -> ExperimentView {
    let spec = &run.spec;
    let results: &[ProbeResult] = match run.phase {
        Phase::Steady => &run.before,
        Phase::Method => &run.during,
        Phase::Done if run.verdict == Some(Verdict::NotSteady) => &run.before,
        Phase::Done => &run.during,
    };
    let rows = spec
        .steady_state
        .iter()
        .zip(results)
        .map(|(b, r)| {
            let unit = Measure::parse(&b.probe).map_or("", Measure::unit);
            let (lo, hi) = b.band();
            BoundRow {
                bound: b.words(unit),
                worst: if r.ticks == 0 {
                    "–".into()
                } else {
                    figure(r.worst, unit)
                },
                held: r.held,
                meter: (r.worst, lo, hi),
            }
        })
        .collect();
    let phase = match run.phase {
        Phase::Steady => "checking the steady state before the method",
        Phase::Method => "the method runs; the abort conditions watch it",
        Phase::Done => "done",
    }
    .to_string();
    let abort = run.abort.map_or(String::new(), |a| match a.condition {
        Some(i) => {
            let c = &spec.abort[i];
            let unit = Measure::parse(&c.bound.probe).map_or("", Measure::unit);
            format!("aborted: {}; faults rolled back", c.words(unit))
        }
        None => "aborted by hand; faults rolled back".into(),
    });
    let budget = format!(
        "cost {:.2} % of the error budget ({})",
        run.service_budget_used_pct,
        scalesim::sim::chaos::experiment::radius_words(&spec.blast_radius)
    );
    ExperimentView {
        name: spec.name.clone(),
        title: spec.title().to_string(),
        hypothesis: spec.hypothesis.clone(),
        phase,
        running: run.phase != Phase::Done,
        rows,
        verdict: run.verdict.map_or(String::new(), |v| v.words().to_string()),
        verdict_class: match run.verdict {
            None => "",
            Some(Verdict::Held) => "held",
            Some(Verdict::Deviated) => "deviated",
            Some(Verdict::Aborted) => "aborted",
            Some(Verdict::NotSteady) => "not_steady",
        },
        abort,
        budget,
    }
}

/// The action of the Run button for experiment `name`.
pub fn run_experiment_action(name: &str) -> Action {
    Action::RunExperiment {
        name: name.to_string(),
    }
}
