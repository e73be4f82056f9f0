//! The Chaos experiments panel, its pure part: the experiments a scenario can run (its
//! `[[experiments]]`, then the Simian Army presets that fit it), and the one under way
//! or last run, as rows of bounds against what they measured
//! (docs/models.md#chaos-experiments).
//!
//! ```text
//!   World (scenario.experiments, presets, experiment) ─▶ Experiments ─┬─ picker, Run, Abort
//!                                                                    └─ status HTML: hypothesis,
//!                                                                       bounds with meters, verdict
//! ```

use scalesim::sim::chaos::{presets, Measure, Phase, ProbeResult, Verdict};
use scalesim::sim::inputs::Action;
use scalesim::sim::World;

/// The panel's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Experiments {
    /// (name, title) of each experiment the scenario can run.
    pub available: Vec<(String, String)>,
    /// An experiment is under way: Run is off, Abort on.
    pub running: bool,
    /// The one under way or last run, as HTML (every scenario text escaped): its
    /// hypothesis, phase, a table of its bounds, each with a meter of its worst value
    /// against the band, the abort, the verdict and the budget it cost; empty before any.
    pub status_html: String,
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
        available.extend(
            presets::available(&w.scenario).map(|p| (p.to_string(), presets::title(p).to_string())),
        );
        let run = w.experiment.as_deref();
        Experiments {
            available,
            running: run.is_some_and(|r| r.is_running()),
            status_html: run.map(status_html).unwrap_or_default(),
        }
    }
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

/// The status of `run` as HTML for the panel ([`Experiments::status_html`]).
fn status_html(run: &scalesim::sim::chaos::ExperimentRun) -> String {
    use std::fmt::Write as _;
    let spec = &run.spec;
    let results: &[ProbeResult] = match run.phase {
        Phase::Steady => &run.before,
        Phase::Method => &run.during,
        Phase::Done if run.verdict == Some(Verdict::NotSteady) => &run.before,
        Phase::Done => &run.during,
    };
    let phase = match run.phase {
        Phase::Steady => "checking the steady state before the method",
        Phase::Method => "the method runs; the abort conditions watch it",
        Phase::Done => "done",
    };
    let mut h = String::with_capacity(1024);
    let _ = write!(
        h,
        "<p class=\"hypothesis\"><b>{}</b>: {}</p><p class=\"note phase\">{phase}</p>\
         <table class=\"bounds\"><thead><tr><th>Steady state</th><th>Worst</th><th></th></tr></thead><tbody>",
        escape(spec.title()),
        escape(&spec.hypothesis),
    );
    for (b, r) in spec.steady_state.iter().zip(results) {
        let unit = Measure::unit_of(&b.probe);
        let (lo, hi) = b.band();
        let v = r.worst;
        let (min, max) = meter_span(v, lo, hi);
        let low = if lo.is_finite() { lo } else { min };
        let high = if hi.is_finite() { hi } else { max };
        let value = if v.is_finite() {
            v.clamp(min, max)
        } else {
            min
        };
        let worst = if r.ticks == 0 {
            "–".to_string()
        } else {
            figure(v, unit)
        };
        let _ = write!(
            h,
            "<tr{}><td>{}</td><td>{}</td><td><meter min=\"{min}\" max=\"{max}\" low=\"{low}\" high=\"{high}\" optimum=\"{}\" value=\"{value}\"></meter></td></tr>",
            if r.held { "" } else { " class=\"broken\"" },
            escape(&b.words(unit)),
            escape(&worst),
            0.5 * (low + high)
        );
    }
    h.push_str("</tbody></table>");
    if let Some(a) = run.abort {
        let why = match a.condition {
            Some(i) => {
                let c = &spec.abort[i];
                format!(
                    "aborted: {}; faults rolled back",
                    c.words(Measure::unit_of(&c.bound.probe))
                )
            }
            None => "aborted by hand; faults rolled back".into(),
        };
        let _ = write!(h, "<p class=\"experiment-abort\">{}</p>", escape(&why));
    }
    if let Some(v) = run.verdict {
        let class = match v {
            Verdict::Held => "held",
            Verdict::Deviated => "deviated",
            Verdict::Aborted => "aborted",
            Verdict::NotSteady => "not_steady",
        };
        let _ = write!(
            h,
            "<p class=\"verdict verdict-{class}\">Verdict: {}</p>",
            v.words()
        );
    }
    let _ = write!(
        h,
        "<p class=\"note\">cost {:.2} % of the error budget ({})</p>",
        run.service_budget_used_pct,
        escape(&scalesim::sim::chaos::experiment::radius_words(
            &spec.blast_radius
        ))
    );
    h
}

/// `text` safe inside an HTML element: &, <, > and quotes escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The meter's scale for a value `v` against the band `[lo, hi]`: from 0 (or the band's
/// low end) to twice the highest end, so the band sits in the middle and a value far
/// outside it pins the end.
fn meter_span(v: f64, lo: f64, hi: f64) -> (f64, f64) {
    let top = [hi, lo, v]
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, f64::max);
    let min = if lo.is_finite() && lo < 0.0 { lo } else { 0.0 };
    (min, (2.0 * top).max(min + 1.0))
}

/// The action of the Run button for experiment `name`.
pub fn run_experiment_action(name: &str) -> Action {
    Action::RunExperiment {
        name: name.to_string(),
    }
}
