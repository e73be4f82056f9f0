//! Configure-and-run questions: the learner turns the scenario's knobs (and
//! may schedule actions), the engine runs the scenario on every listed seed,
//! and each check reads a probe over a window and judges the **worst** seed.
//!
//! ```text
//!   Setup { knobs, actions } ──▶ World::new(scenario with knobs, seed) × seeds
//!        each tick ──▶ Window::observe ──▶ measured per seed ──▶ worst vs bound ──▶ CheckRow
//! ```
//!
//! A check passes at its bound, earns half its points within its partial band
//! beyond the bound, and nothing further out. A gate check that does not pass
//! caps the question at half its points.

use std::collections::BTreeMap;

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

use super::probe::{Probe, Stat};
use crate::sim::inputs::ScheduledAction;

/// One threshold on one probe over one window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What the learner reads ("no errors while the sale starts").
    pub label: String,
    /// A total or a series name (see [`super::probe`]).
    pub probe: String,
    /// For a series: what to take of it (default the peak).
    #[serde(default)]
    pub stat: Option<Stat>,
    /// Window start [s from the run's start] (default 0).
    #[serde(default)]
    pub from_s: f64,
    /// Window end [s from the run's start] (default the run's end).
    #[serde(default)]
    pub to_s: Option<f64>,
    /// Passes when the worst seed measures at most this [probe unit].
    #[serde(default)]
    pub max: Option<f64>,
    /// Passes when the worst seed measures at least this [probe unit].
    #[serde(default)]
    pub min: Option<f64>,
    /// Half points within this much beyond the bound [probe unit].
    #[serde(default)]
    pub partial: Option<f64>,
    /// Points it is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
    /// Failing it caps the question at 50 %.
    #[serde(default)]
    pub gate: bool,
}

impl Check {
    /// The probe it reads. Errors: an unknown name, a stat on a total.
    pub fn probe(&self) -> Result<Probe, String> {
        Probe::parse(&self.probe, self.stat)
    }

    /// The bound as the learner reads it ("≤ 0 requests", "≥ 99.9 %").
    pub fn bound_text(&self, unit: &str) -> String {
        // The author's own figures (99.9 reads back as 99.9; 2000 as 2,000), with the unit.
        let with_unit =
            |v: f64| super::judge::with_unit(&crate::scenario::ranges::value_words(v + 0.0), unit);
        let band = self
            .partial
            .map(|p| format!(" (half points within {})", with_unit(p)))
            .unwrap_or_default();
        match (self.max, self.min) {
            (Some(m), _) => format!("\u{2264} {}{band}", with_unit(m)),
            (None, Some(m)) => format!("\u{2265} {}{band}", with_unit(m)),
            (None, None) => "no bound".into(),
        }
    }

    /// How `v` fares against the bound.
    pub fn verdict(&self, v: f64) -> Verdict {
        let beyond = match (self.max, self.min) {
            (Some(m), _) => v - m,
            (None, Some(m)) => m - v,
            (None, None) => return Verdict::Pass,
        };
        if !beyond.is_finite() {
            Verdict::Fail
        } else if beyond <= 1e-9 {
            Verdict::Pass
        } else if self.partial.is_some_and(|p| beyond <= p + 1e-9) {
            Verdict::Partial
        } else {
            Verdict::Fail
        }
    }

    /// Of several seeds' measures, the one judged: the highest against a
    /// maximum, the lowest against a minimum. A seed with no measure is worst.
    pub fn worst(&self, measured: &[Option<f64>]) -> Option<f64> {
        let mut worst: Option<f64> = None;
        for m in measured {
            let v = (*m)?;
            worst = Some(match worst {
                None => v,
                Some(w) if self.max.is_some() => w.max(v),
                Some(w) => w.min(v),
            });
        }
        worst
    }
}

/// A check's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within the bound: full points.
    Pass,
    /// Within the partial band: half points.
    Partial,
    /// Beyond both: no points.
    Fail,
}

impl Verdict {
    /// Share of the check's points.
    pub fn share(self) -> f64 {
        match self {
            Verdict::Pass => 1.0,
            Verdict::Partial => 0.5,
            Verdict::Fail => 0.0,
        }
    }
}

/// What the learner set: knob values by field, and scheduled actions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// Knob values by field (`"hpa.minReplicas" = 12`).
    #[serde(default)]
    pub knobs: BTreeMap<String, f64>,
    /// Actions at simulated times (`{ at_s = 1800, action = { kind = … } }`).
    #[serde(default)]
    pub actions: Vec<ScheduledAction>,
}

/// Three seeds, the default for a judged question.
fn three_seeds() -> Vec<u64> {
    vec![1, 2, 3]
}

/// A question the simulator judges: set the knobs, run, meet the checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigureQuestion {
    /// Stable id within the scenario.
    pub id: String,
    /// The question.
    pub prompt: String,
    /// Knob fields the learner may set (default: the scenario's `[[knobs]]`).
    #[serde(default)]
    pub knobs: Vec<String>,
    /// Whether the learner may schedule actions (pre-scale at 11:30, …).
    #[serde(default)]
    pub allow_actions: bool,
    /// Seeds every answer runs on; checks judge the worst.
    #[serde(default = "three_seeds")]
    pub seeds: Vec<u64>,
    /// Run length [s] (default the scenario's).
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// The checks.
    pub checks: Vec<Check>,
    /// An answer that scores 100 % on every seed (`scalesim grade --check`).
    pub reference: Setup,
    /// The answer the lesson warns against; it must fail.
    pub weak: Setup,
    /// Actions the page offers besides the scaling ones and those of
    /// `reference` and `weak` (decoys, other moves), each as written here.
    #[serde(default)]
    pub offer: Vec<crate::sim::inputs::Action>,
    /// Why the weak answer fails, in one sentence.
    #[serde(default)]
    pub weak_why: String,
    /// The worked solution, shown after grading.
    #[serde(default)]
    pub solution: String,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
}

/// The scaling actions a learner may schedule with any amount the scenario's
/// own events may use (`events[].action.replicas`, `count`: 0 to 100,000 pods,
/// checked by [`crate::scenario::check_action`]): minReplicas,
/// maxReplicas, the Deployment's replicas, pause pods.
pub fn is_scaling(a: &crate::sim::inputs::Action) -> bool {
    use crate::sim::inputs::Action;
    matches!(
        a,
        Action::SetMinReplicas { .. }
            | Action::SetMaxReplicas { .. }
            | Action::SetReplicas { .. }
            | Action::SetPausePods { .. }
    )
}

/// The unit a knob's value is in ("pods", "%", "s"); empty for a choice knob,
/// whose values are named instead. The knob table's labels say it in words;
/// this is what a refusal writes after the number.
pub fn knob_unit(field: &str) -> &'static str {
    match field {
        "hpa.minReplicas"
        | "hpa.maxReplicas"
        | "hpa.behavior.scaleUp.podsPer15s"
        | "pause_pods.count"
        | "prescale.min_replicas" => "pods",
        "hpa.cpuAverageUtilization" => "% of the CPU request",
        "hpa.behavior.scaleDown.stabilizationWindowSeconds" => "s",
        "balancer.sticky.percent" => "% of requests",
        "database.pool.pool_size_per_pod" => "connections",
        "balancer.slow_start_s" => "s",
        "shedding.cpu_threshold_pct" => "% of the fleet's CPU",
        "rate_limit.limit_rps" | "rate_limit.classes[0].limit_rps" => "req/s",
        "breaker.client.failure_rate_threshold_pct"
        | "breaker.database.failure_rate_threshold_pct"
        | "breaker.external.failure_rate_threshold_pct"
        | "breaker.cache.failure_rate_threshold_pct"
        | "breaker.consumer.failure_rate_threshold_pct" => "% of the calls",
        "breaker.client.wait_in_open_s"
        | "breaker.database.wait_in_open_s"
        | "breaker.external.wait_in_open_s"
        | "breaker.cache.wait_in_open_s"
        | "breaker.consumer.wait_in_open_s" => "s",
        "retry.external.max_attempts" => "attempts",
        "retry.external.base_ms" => "ms",
        "canary.error_rate_over_baseline_pct" => "percentage points",
        "canary.p99_over_baseline_ms" => "ms",
        "canary.interval_s" => "s",
        "experiments[0].abort[0].max" => "% of requests",
        "experiments[0].abort[0].for_s" => "s",
        "experiments[0].blast_radius.traffic_pct" => "% of the traffic",
        "consistency.leader_window_ms" => "ms",
        _ => "",
    }
}

/// Whether knob `field` of `scenario` may take `v`: its range (narrowed by the
/// scenario's own `[[knobs]]`) and whole numbers, refused with the knob's unit
/// ("knob “hpa.maxReplicas” is 200, outside 4–60 pods") or, for a choice, its
/// named values. Other problems (an unknown knob, one that does not apply)
/// are [`apply_knobs`](crate::scenario::knobs::apply_knobs)'s to name.
pub fn check_knob(scenario: &Scenario, field: &str, v: f64) -> Result<(), String> {
    use crate::scenario::knobs::{knob_by_field, knob_range};
    use crate::scenario::ranges::{number_words, value_words};
    let Some(k) = knob_by_field(field) else {
        return Ok(());
    };
    let (min, max) = knob_range(scenario, k);
    let unit = knob_unit(field);
    let span = if k.choices.is_empty() {
        format!("{}\u{2013}{} {unit}", number_words(min), number_words(max))
    } else {
        let named: Vec<String> = k
            .choices
            .iter()
            .enumerate()
            .filter(|(i, _)| (min..=max).contains(&(*i as f64)))
            .map(|(i, name)| format!("{i} {name}"))
            .collect();
        format!(
            "{}\u{2013}{} ({})",
            number_words(min),
            number_words(max),
            named.join(", ")
        )
    };
    let span = span.trim_end();
    if !(v.is_finite() && (min..=max).contains(&v)) {
        return Err(format!(
            "knob \u{201c}{field}\u{201d} is {}, outside {span}",
            value_words(v)
        ));
    }
    if k.step.fract() == 0.0 && v.fract() != 0.0 {
        return Err(format!(
            "knob \u{201c}{field}\u{201d} is {}; it takes whole numbers, {span}",
            value_words(v)
        ));
    }
    Ok(())
}

impl ConfigureQuestion {
    /// Points the question is worth: the sum of its checks'.
    pub fn points(&self) -> f64 {
        self.checks.iter().map(|c| c.points).sum()
    }

    /// The other actions a learner may schedule (as they are, at a time of
    /// their choosing): those of `reference`, `weak` and `offer` that are not
    /// scaling actions, each once, in that order.
    pub fn menu(&self) -> Vec<crate::sim::inputs::Action> {
        let mut out: Vec<crate::sim::inputs::Action> = Vec::new();
        let all = self
            .reference
            .actions
            .iter()
            .chain(&self.weak.actions)
            .map(|a| &a.action)
            .chain(&self.offer);
        for a in all {
            if !is_scaling(a) && !out.contains(a) {
                out.push(a.clone());
            }
        }
        out
    }

    /// The knobs a learner may set here: the question's list, or else every
    /// knob `scenario` declares.
    pub fn settable_knobs<'a>(&'a self, scenario: &'a Scenario) -> Vec<&'a str> {
        if self.knobs.is_empty() {
            scenario.knobs.iter().map(|k| k.field.as_str()).collect()
        } else {
            self.knobs.iter().map(String::as_str).collect()
        }
    }

    /// Whether an action at `at_s` falls inside a run of `end_s` [s]; the error
    /// says the run's span.
    pub fn in_run(at_s: f64, end_s: f64, tick_s: f64) -> Result<(), String> {
        crate::scenario::fires_in_run("an action", at_s, end_s, tick_s)
    }

    /// Whether `a`, at `at_s` in a run of `end_s` with ticks of `tick_s` [s], is an action the page lets
    /// the learner schedule here; the error says why not.
    pub fn allows(
        &self,
        at_s: f64,
        a: &crate::sim::inputs::Action,
        end_s: f64,
        tick_s: f64,
    ) -> Result<(), String> {
        Self::in_run(at_s, end_s, tick_s)?;
        match is_scaling(a) {
            true => Ok(()),
            false if self.menu().contains(a) => Ok(()),
            false => {
                let menu = self.menu();
                let others = if menu.is_empty() {
                    String::new()
                } else {
                    let words: Vec<String> = menu.iter().map(|m| m.describe()).collect();
                    format!("; and these: {}", words.join("; "))
                };
                Err(format!(
                    "\u{201c}{}\u{201d} is not one of the actions this question offers: \
                     it offers the scaling actions (set_min_replicas, set_max_replicas, \
                     set_replicas, set_pause_pods){others}",
                    a.describe()
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(max: Option<f64>, min: Option<f64>, partial: Option<f64>) -> Check {
        Check {
            label: "x".into(),
            probe: "p99_ms".into(),
            stat: None,
            from_s: 0.0,
            to_s: None,
            max,
            min,
            partial,
            points: 1.0,
            gate: false,
        }
    }

    #[test]
    fn a_bound_passes_at_the_bound_and_halves_inside_the_band() {
        let c = check(Some(500.0), None, Some(100.0));
        assert_eq!(c.verdict(500.0), Verdict::Pass);
        assert_eq!(c.verdict(600.0), Verdict::Partial);
        assert_eq!(c.verdict(600.1), Verdict::Fail);
        assert_eq!(c.verdict(f64::NAN), Verdict::Fail);
        let c = check(None, Some(99.9), None);
        assert_eq!(c.verdict(99.95), Verdict::Pass);
        assert_eq!(c.verdict(99.8), Verdict::Fail);
    }

    #[test]
    fn a_knob_refusal_names_the_knobs_unit_or_its_choices() {
        use crate::scenario::knobs::KNOBS;
        let s = crate::scenario::load_built_in("flash-sale")
            .unwrap()
            .unwrap();
        let e = check_knob(&s, "hpa.maxReplicas", 200.0).unwrap_err();
        assert_eq!(
            e,
            "knob \u{201c}hpa.maxReplicas\u{201d} is 200, outside 4\u{2013}60 pods"
        );
        let e = check_knob(&s, "hpa.minReplicas", 12.5).unwrap_err();
        assert!(
            e.ends_with("is 12.5; it takes whole numbers, 1\u{2013}100 pods"),
            "{e}"
        );
        let e = check_knob(&s, "hpa.cpuAverageUtilization", 5.0).unwrap_err();
        assert!(
            e.ends_with("outside 10\u{2013}100 % of the CPU request"),
            "{e}"
        );
        let e = check_knob(&s, "balancer.algorithm", 7.0).unwrap_err();
        assert!(
            e.ends_with("is 7, outside 0\u{2013}3 (0 round robin, 1 least outstanding requests, 2 weighted, 3 power of two choices)"),
            "{e}"
        );
        assert_eq!(check_knob(&s, "hpa.maxReplicas", 40.0), Ok(()));
        // Every knob has a unit or named values.
        for k in KNOBS {
            assert!(
                !knob_unit(k.field).is_empty() || !k.choices.is_empty(),
                "{}",
                k.field
            );
        }
    }

    #[test]
    fn a_bound_reads_with_its_unit_and_no_stray_space() {
        let c = check(Some(500.0), None, Some(100.0));
        assert_eq!(
            c.bound_text("ms"),
            "\u{2264} 500 ms (half points within 100 ms)"
        );
        let c = check(None, Some(99.9), None);
        assert_eq!(c.bound_text("%"), "\u{2265} 99.9 %");
        let c = check(Some(5.0), None, Some(2.5));
        assert_eq!(c.bound_text("$"), "\u{2264} $5 (half points within $2.5)");
        assert_eq!(c.bound_text(""), "\u{2264} 5 (half points within 2.5)");
        let c = check(Some(0.0), None, Some(2000.0));
        assert_eq!(
            c.bound_text("requests"),
            "\u{2264} 0 requests (half points within 2,000 requests)"
        );
    }

    #[test]
    fn the_worst_seed_is_judged() {
        let c = check(Some(500.0), None, None);
        assert_eq!(c.worst(&[Some(1.0), Some(9.0), Some(3.0)]), Some(9.0));
        let c = check(None, Some(99.0), None);
        assert_eq!(c.worst(&[Some(99.5), Some(98.0)]), Some(98.0));
        assert_eq!(c.worst(&[Some(99.5), None]), None);
    }
}
