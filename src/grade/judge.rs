//! The simulator as judge: runs a configure question's answer on each of its
//! seeds, in chunks of ticks (the page spreads them over frames), and turns
//! what the probes measured into points.
//!
//! ```text
//!   Judge::new(scenario, question, setup) ──advance(ticks)*──▶ progress 0..1
//!        ──finish()──▶ ConfigureGrade { grade, rows: [CheckRow { measured per seed, worst, verdict }] }
//! ```

use serde::Serialize;

pub use super::configure::{check_knob, knob_unit};
use super::configure::{Check, ConfigureQuestion, Setup, Verdict};
use super::probe::{Totals, Window};
use super::Grade;
use crate::scenario::knobs::apply_knobs;
use crate::scenario::Scenario;
use crate::sim::series::SeriesSet;
use crate::sim::step::step;
use crate::sim::world::World;

/// One check's outcome across the seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckRow {
    /// The check's label.
    pub label: String,
    /// What was measured ("peak p99_ms", "requests failed").
    pub measure: String,
    /// Its unit.
    pub unit: String,
    /// The bound as the learner reads it ("≤ 0 requests").
    pub bound: String,
    /// Window [s from the run's start].
    pub window_s: (f64, f64),
    /// (seed, measured) for every seed; None when no tick fell in the window.
    pub measured: Vec<(u64, Option<f64>)>,
    /// The seed judged's measure.
    pub worst: Option<f64>,
    /// How the worst seed fared.
    pub verdict: Verdict,
    /// Points earned.
    pub points: f64,
    /// Points it is worth.
    pub max: f64,
    /// A gate: failing it caps the question at 50 %.
    pub gate: bool,
}

/// A configure question's grade, with every measure behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConfigureGrade {
    /// Points and feedback.
    pub grade: Grade,
    /// One row per check.
    pub rows: Vec<CheckRow>,
    /// The series of the first seed's run, for the debrief's charts.
    #[serde(skip)]
    pub series: Option<SeriesSet>,
}

/// The scenario as `setup` configures it for question `q` (knobs checked
/// against what `q` allows), with the question's run length.
pub fn configured(
    scenario: &Scenario,
    q: &ConfigureQuestion,
    setup: &Setup,
) -> Result<Scenario, String> {
    let allowed = q.settable_knobs(scenario);
    if let Some(k) = setup.knobs.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!(
            "question {}: knob \u{201c}{k}\u{201d} is not one this question lets you set ({})",
            q.id,
            allowed.join(", ")
        ));
    }
    if !q.allow_actions && !setup.actions.is_empty() {
        return Err(format!(
            "question {}: this question is answered with knobs only, not scheduled actions",
            q.id
        ));
    }
    for (k, v) in &setup.knobs {
        super::configure::check_knob(scenario, k, *v)
            .map_err(|e| format!("question {}: {e}", q.id))?;
    }
    let mut s = scenario.clone();
    apply_knobs(&mut s, setup.knobs.iter().map(|(k, v)| (k.as_str(), *v)))
        .map_err(|e| format!("question {}: {e}", q.id))?;
    if let Some(d) = q.duration_s {
        s.run.duration_s = d;
    }
    for a in &setup.actions {
        q.allows(a.at_s, &a.action, s.run.duration_s, s.run.tick_s)
            .map_err(|e| format!("question {}: {e}", q.id))?;
    }
    crate::scenario::validate(&s).map_err(|(f, m)| format!("question {}: {f}: {m}", q.id))?;
    Ok(s)
}

/// One seed's run in progress.
struct SeedRun {
    seed: u64,
    world: World,
    windows: Vec<Window>,
    /// The world's totals after its last tick.
    totals: Totals,
}

/// A configure question's answer being run, seed after seed.
pub struct Judge {
    scenario: Scenario,
    question: ConfigureQuestion,
    setup: Setup,
    end_s: f64,
    /// Seeds not started yet (reversed: pop the next).
    todo: Vec<u64>,
    current: Option<SeedRun>,
    done: Vec<(u64, Vec<Option<f64>>)>,
    series: Option<SeriesSet>,
    ticks_done: u64,
    ticks_total: u64,
}

impl Judge {
    /// Prepares the runs. Errors: a knob or action the question does not
    /// allow, a knob value out of range, a bad probe, a name the world lacks.
    pub fn new(scenario: &Scenario, q: &ConfigureQuestion, setup: &Setup) -> Result<Judge, String> {
        let s = configured(scenario, q, setup)?;
        for c in &q.checks {
            c.probe().map_err(|e| {
                format!("question {}, check \u{201c}{}\u{201d}: {e}", q.id, c.label)
            })?;
        }
        if q.seeds.is_empty() {
            return Err(format!("question {}: no seeds to run", q.id));
        }
        let end_s = s.run.duration_s;
        let per_seed = (end_s / s.run.tick_s).ceil() as u64;
        let mut todo = q.seeds.clone();
        todo.reverse();
        Ok(Judge {
            ticks_total: per_seed * q.seeds.len() as u64,
            scenario: s,
            question: q.clone(),
            setup: setup.clone(),
            end_s,
            todo,
            current: None,
            done: Vec::new(),
            series: None,
            ticks_done: 0,
        })
    }

    fn start(&mut self, seed: u64) -> Result<SeedRun, String> {
        let mut world = World::new(&self.scenario, seed).map_err(|e| e.to_string())?;
        for a in &self.setup.actions {
            world
                .push_action(a.at_s, a.action.clone())
                .map_err(|e| format!("question {}: {e}", self.question.id))?;
        }
        let windows = self
            .question
            .checks
            .iter()
            .map(|c| {
                let probe = c.probe().expect("checked in Judge::new");
                Window::new(probe, c.from_s, c.to_s.unwrap_or(self.end_s))
            })
            .collect();
        Ok(SeedRun {
            seed,
            totals: Totals::of(&world),
            world,
            windows,
        })
    }

    /// Runs at most `max_ticks` more ticks; returns the share done, in [0, 1].
    pub fn advance(&mut self, max_ticks: u64) -> Result<f64, String> {
        let mut left = max_ticks;
        while left > 0 {
            if self.current.is_none() {
                let Some(seed) = self.todo.pop() else { break };
                self.current = Some(self.start(seed)?);
            }
            let run = self.current.as_mut().expect("started above");
            while left > 0 && run.world.now_s < self.end_s - 1e-9 {
                // The totals after one tick are the totals before the next.
                let before = run.totals;
                step(&mut run.world);
                run.totals = Totals::of(&run.world);
                let row = &run.world.series.latest;
                for w in run.windows.iter_mut() {
                    w.observe(run.world.now_s, row, &before, &run.totals);
                }
                left -= 1;
                self.ticks_done += 1;
            }
            if run.world.now_s >= self.end_s - 1e-9 {
                let run = self.current.take().expect("running");
                if self.series.is_none() {
                    self.series = Some(run.world.series.clone());
                }
                self.done
                    .push((run.seed, run.windows.iter().map(Window::value).collect()));
            }
        }
        Ok(self.progress())
    }

    /// Share of the ticks run so far, in [0, 1].
    pub fn progress(&self) -> f64 {
        if self.ticks_total == 0 {
            1.0
        } else {
            (self.ticks_done as f64 / self.ticks_total as f64).min(1.0)
        }
    }

    /// True when every seed has run.
    pub fn is_done(&self) -> bool {
        self.todo.is_empty() && self.current.is_none()
    }

    /// Runs whatever is left and grades.
    pub fn finish(mut self) -> Result<ConfigureGrade, String> {
        while !self.is_done() {
            self.advance(u64::MAX)?;
        }
        let q = &self.question;
        let mut rows = Vec::with_capacity(q.checks.len());
        for (i, c) in q.checks.iter().enumerate() {
            let measured: Vec<(u64, Option<f64>)> =
                self.done.iter().map(|(seed, v)| (*seed, v[i])).collect();
            rows.push(row(c, &measured, self.end_s));
        }
        let max = q.points();
        let mut points: f64 = rows.iter().map(|r| r.points).sum();
        let mut feedback = Vec::new();
        let gate_failed = rows.iter().find(|r| r.gate && r.verdict != Verdict::Pass);
        if let Some(g) = gate_failed {
            points = points.min(max / 2.0);
            feedback.push(format!(
                "\u{201c}{}\u{201d} is a gate: missing it caps this question at half marks",
                g.label
            ));
        }
        for r in &rows {
            feedback.push(row_feedback(r));
        }
        Ok(ConfigureGrade {
            grade: Grade::of_share(if max > 0.0 { points / max } else { 0.0 }, max, feedback),
            rows,
            series: self.series,
        })
    }
}

fn row(c: &Check, measured: &[(u64, Option<f64>)], end_s: f64) -> CheckRow {
    let probe = c.probe().expect("checked in Judge::new");
    let values: Vec<Option<f64>> = measured.iter().map(|(_, v)| *v).collect();
    let worst = c.worst(&values);
    let verdict = worst.map_or(Verdict::Fail, |w| c.verdict(w));
    CheckRow {
        label: c.label.clone(),
        measure: probe.describe(),
        unit: probe.unit().to_string(),
        bound: c.bound_text(probe.unit()),
        window_s: (c.from_s, c.to_s.unwrap_or(end_s)),
        measured: measured.to_vec(),
        worst,
        verdict,
        points: verdict.share() * c.points,
        max: c.points,
        gate: c.gate,
    }
}

/// A figure with few digits and thousands grouped ("0", "12.5", "99.93",
/// "1,349,665"); below 0.1, two significant digits ("0.015", "0.0005"), so a
/// small amount never reads as "0.00".
pub fn figure(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v != 0.0 && v.abs() < 0.1 {
        return crate::figures::significant(v, 2);
    }
    let text = if v.abs() >= 100.0 || v == v.round() {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    crate::figures::group_decimal(&text)
}

/// Decimals written in a plain figure ("1.25" has 2, "1,200" none).
fn decimals(text: &str) -> usize {
    text.split_once('.').map_or(0, |(_, f)| f.len())
}

/// [`figure`] of `v`, with the decimals that `step` (a tolerance) needs as
/// well: `figure_to(1.234, 0.005)` is "1.234", not "1.23"; a `step` of 0
/// asks for every digit `v` has (10 significant). Trailing zeros beyond
/// [`figure`]'s are dropped.
pub fn figure_to(v: f64, step: f64) -> String {
    let base = figure(v);
    if !v.is_finite() || !step.is_finite() || base.contains('e') {
        return base;
    }
    let finer = if step > 0.0 {
        // The decimal place of the step's leading digit.
        let places = (-step.abs().log10().floor()).max(0.0) as usize;
        let text = format!("{v:.places$}");
        crate::figures::group_decimal(if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        })
    } else {
        crate::figures::significant(v, 10)
    };
    if !finer.contains('e') && decimals(&finer) > decimals(&base) {
        finer
    } else {
        base
    }
}

/// A figure as the learner reads it with its unit: "3 pods", "99.9 %",
/// "$12.50", "$0.58/h"; a bare figure when there is no unit (no stray space).
pub fn with_unit(figure: &str, unit: &str) -> String {
    let (sign, digits) = figure.strip_prefix('-').map_or(("", figure), |d| ("-", d));
    match unit {
        "" => figure.to_string(),
        "$" => format!("{sign}${digits}"),
        "$/h" => format!("{sign}${digits}/h"),
        u => format!("{figure} {u}"),
    }
}

/// A check's measure on each seed, with its unit: "seed 1: 3 pods, seed 2: -".
pub fn seeds_text(r: &CheckRow) -> String {
    r.measured
        .iter()
        .map(|(s, v)| {
            let v = v.map_or("-".into(), |v| with_unit(&figure(v), &r.unit));
            format!("seed {s}: {v}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_feedback(r: &CheckRow) -> String {
    let word = match r.verdict {
        Verdict::Pass => "met",
        Verdict::Partial => "nearly met (half points)",
        Verdict::Fail => "missed",
    };
    match r.worst {
        Some(w) => format!(
            "{}: {word}: worst seed measured {} against {}",
            r.label,
            with_unit(&figure(w), &r.unit),
            r.bound
        ),
        None => format!("{}: {word}: nothing ran inside its window", r.label),
    }
}

/// The key of a numeric question whose answer comes from the engine: what
/// `from`'s probe measures in one run of `scenario`.
pub fn answer_key(scenario: &Scenario, id: &str, from: &super::AnswerFrom) -> Result<f64, String> {
    let q = ConfigureQuestion {
        id: id.to_string(),
        prompt: String::new(),
        knobs: from.setup.knobs.keys().cloned().collect(),
        allow_actions: true,
        seeds: vec![from.seed.unwrap_or(scenario.run.seed)],
        duration_s: None,
        checks: vec![Check {
            label: "key".into(),
            probe: from.probe.clone(),
            stat: from.stat,
            from_s: from.from_s,
            to_s: from.to_s,
            max: Some(f64::INFINITY),
            min: None,
            partial: None,
            points: 1.0,
            gate: false,
        }],
        reference: Setup::default(),
        weak: Setup::default(),
        // The author's own actions are allowed as they are.
        offer: from
            .setup
            .actions
            .iter()
            .map(|a| a.action.clone())
            .collect(),
        weak_why: String::new(),
        solution: String::new(),
        source: String::new(),
    };
    let g = Judge::new(scenario, &q, &from.setup)?.finish()?;
    g.rows[0]
        .worst
        .ok_or_else(|| format!("question {id}: the key's window saw no tick"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_and_its_bound_carry_the_probes_unit() {
        let s = crate::scenario::load_built_in("black-friday")
            .unwrap()
            .unwrap();
        let q = s
            .questions()
            .unwrap()
            .into_iter()
            .find_map(|q| match q {
                super::super::Question::Configure(c) => Some(c),
                super::super::Question::Choice(_)
                | super::super::Question::Numeric(_)
                | super::super::Question::Order(_)
                | super::super::Question::Explain(_)
                | super::super::Question::Drill(_) => None,
            })
            .unwrap();
        let g = Judge::new(&s, &q, &q.reference).unwrap().finish().unwrap();
        let pods = g
            .rows
            .iter()
            .find(|r| r.label == "pods an hour after the sale")
            .unwrap();
        assert_eq!(pods.unit, "pods");
        assert_eq!(pods.bound, "\u{2264} 6 pods");
        assert_eq!(
            row_feedback(pods),
            "pods an hour after the sale: met: worst seed measured 3 pods against \u{2264} 6 pods"
        );
        assert_eq!(
            seeds_text(pods),
            "seed 1: 3 pods, seed 2: 3 pods, seed 3: 3 pods"
        );
        for r in &g.rows {
            let f = row_feedback(r);
            assert!(!f.contains("  ") && !f.ends_with(' '), "{f}");
            assert!(!r.unit.is_empty() && !r.bound.ends_with(' '), "{}", r.bound);
        }
    }

    #[test]
    fn money_reads_with_its_sign_first() {
        assert_eq!(with_unit("12.50", "$"), "$12.50");
        assert_eq!(with_unit("-3", "$"), "-$3");
        assert_eq!(with_unit("0.58", "$/h"), "$0.58/h");
        assert_eq!(with_unit("3", "pods"), "3 pods");
        assert_eq!(with_unit("3", ""), "3");
    }

    #[test]
    fn figures_group_thousands_and_keep_few_digits() {
        assert_eq!(figure(1_349_665.0), "1,349,665");
        assert_eq!(figure(-1234.4), "-1,234");
        assert_eq!(figure(99.934), "99.9");
        assert_eq!(figure(0.123), "0.12");
        assert_eq!(figure(12.0), "12");
        assert_eq!(figure(f64::INFINITY), "inf");
        assert_eq!(figure(-0.0), "0");
        assert_eq!(figure(-0.001), "-0.001");
        assert_eq!(figure(0.015), "0.015");
        assert_eq!(figure(0.0005), "0.0005");
        assert_eq!(figure(0.05), "0.05");
    }

    #[test]
    fn a_figure_to_a_step_shows_the_steps_digits() {
        assert_eq!(figure_to(0.015, 0.0005), "0.015");
        assert_eq!(figure_to(0.004000000000000001, 0.0005), "0.004");
        assert_eq!(figure_to(1.234, 0.005), "1.234");
        assert_eq!(figure_to(1.5, 0.5), "1.50");
        assert_eq!(figure_to(250.0, 10.0), "250");
        assert_eq!(figure_to(1234.5, 0.1), "1,234.5");
        assert_eq!(figure_to(2.345, 0.0), "2.345");
        assert_eq!(figure_to(13.0, 0.0), "13");
    }
}
