//! Drills: a fault strikes at a seeded moment while the run plays, and the
//! learner mitigates it with the normal controls.
//!
//! ```text
//!   fault at t_f = from + u(seed) × (to − from)
//!   runs on the same seed:  nobody acts │ the reference playbook │ the learner
//!   steady state     = every rule of the drill holds, and the service serves its traffic:
//!                      served ≥ floor × arrived each tick, floor = min(SLO target, 99 %)
//!   time to mitigate = first t ≥ t_f from which the steady state holds for hold_s, minus t_f
//!   budget burned    = error budget spent from t_f to the run's end [% of the budget]
//!   share = ½ (T_none − T) / (T_none − T_ref) + ½ (B_none − B) / (B_none − B_ref), each in [0, 1]
//! ```
//!
//! An action counts as mitigation only if the run without it mitigates later
//! or burns more budget; when none counts, the fault cleared on its own and
//! the drill scores nothing.
//!
//! Serving is part of every steady state: a run that serves nothing has no
//! errors served and no slow responses, so rules such as `errors_rps ≤ 5` or
//! `p99_ms ≤ 250` hold in an outage. Killing the service is not recovery.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::judge::figure;
use super::probe::Totals;
use super::Grade;
use crate::scenario::Scenario;
use crate::sim::inputs::{Action, ScheduledAction};
use crate::sim::series::Series;
use crate::sim::step::step;
use crate::sim::world::World;

/// One condition of the steady state, on a series each tick.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SteadyRule {
    /// Series name ([`Series::column`]).
    pub series: String,
    /// Holds while the series is at most this.
    #[serde(default)]
    pub max: Option<f64>,
    /// Holds while the series is at least this.
    #[serde(default)]
    pub min: Option<f64>,
}

/// A timed, live incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillQuestion {
    /// Stable id within the scenario.
    pub id: String,
    /// The briefing.
    pub prompt: String,
    /// The fault injected.
    pub fault: Action,
    /// The fault strikes between these times [s from the run's start].
    pub fault_window_s: (f64, f64),
    /// The steady state: every rule holds, and the service serves its
    /// traffic ([`served_floor`]), which no rule needs to say.
    pub steady: Vec<SteadyRule>,
    /// How long the steady state must hold to count as mitigated [s].
    pub hold_s: f64,
    /// The reference playbook: actions at times after the fault [s].
    pub playbook: Vec<ScheduledAction>,
    /// Seeds the drill is graded on (the page plays the first).
    #[serde(default = "one_seed")]
    pub seeds: Vec<u64>,
    /// Speed the page plays it at [simulated s per real s] (default 10: a
    /// minute of the run in six seconds, time to see and act).
    #[serde(default = "ten")]
    pub speed: f64,
    /// Run length [s] (default the scenario's).
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// The worked solution, shown after grading.
    #[serde(default)]
    pub solution: String,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
    /// Points it is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

fn one_seed() -> Vec<u64> {
    vec![1]
}

fn ten() -> f64 {
    10.0
}

impl DrillQuestion {
    /// When the fault strikes on `seed` [s from the run's start]: its own
    /// stream, so the world's draws do not move it.
    pub fn fault_at_s(&self, seed: u64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xD811_1000);
        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let (a, b) = self.fault_window_s;
        a + u * (b - a)
    }
}

/// The most a drill's steady state asks served of what arrives in a tick,
/// whatever the SLO: a looser rule of the drill's own (errors under 0.5 %)
/// must still be able to hold.
pub const SERVED_FLOOR_MAX: f64 = 0.99;

/// The share of a tick's arrivals the service must serve for the steady state
/// to hold: the availability SLO's target, at most [`SERVED_FLOOR_MAX`]
/// (99 %); without an SLO, 99 %.
pub fn served_floor(scenario: &Scenario) -> f64 {
    if scenario.slo.enabled {
        scenario.slo.availability_target.min(SERVED_FLOOR_MAX)
    } else {
        SERVED_FLOOR_MAX
    }
}

/// When a stretch of ticks has held for `hold_s`: the tick it began at.
#[derive(Default)]
struct Stretch {
    since: Option<f64>,
    done: Option<f64>,
}

impl Stretch {
    /// One more tick at `now_s` that holds or not.
    fn tick(&mut self, holds: bool, now_s: f64, hold_s: f64) {
        if self.done.is_some() {
            return;
        }
        if holds {
            let since = *self.since.get_or_insert(now_s);
            if now_s - since >= hold_s {
                self.done = Some(since);
            }
        } else {
            self.since = None;
        }
    }
}

/// What one run of a drill measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DrillRun {
    /// Seconds from the fault until the steady state held for `hold_s`; the
    /// rest of the run when it never did.
    pub mitigate_s: f64,
    /// Whether the steady state was reached at all.
    pub mitigated: bool,
    /// Error budget spent from the fault to the end [% of the budget].
    pub budget_burned_pct: f64,
    /// Requests served of those that arrived from the fault to the end [%].
    pub served_pct: f64,
    /// The drill's rules alone held for `hold_s`, but never while the service
    /// served its traffic: serving is why the steady state never held.
    pub held_only_unserved: bool,
}

/// A drill's grade with the runs it compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DrillGrade {
    /// Points and feedback.
    pub grade: Grade,
    /// The fault's moment on the seed judged [s].
    pub fault_at_s: f64,
    /// Nobody acting.
    pub nobody: DrillRun,
    /// The reference playbook.
    pub reference: DrillRun,
    /// The learner.
    pub learner: DrillRun,
    /// For each learner action (by index): whether it counted as mitigation.
    pub counted: Vec<bool>,
}

/// Runs the drill on `seed` with `actions` (times after the fault [s];
/// negative: before it, as a learner who acted early).
pub fn run_drill(
    scenario: &Scenario,
    q: &DrillQuestion,
    seed: u64,
    actions: &[ScheduledAction],
) -> Result<DrillRun, String> {
    let mut s = scenario.clone();
    if let Some(d) = q.duration_s {
        s.run.duration_s = d;
    }
    let end_s = s.run.duration_s;
    let t_f = q.fault_at_s(seed);
    let mut w = World::new(&s, seed).map_err(|e| e.to_string())?;
    // The fault is the scenario's doing, not the learner's.
    w.schedule(&ScheduledAction {
        at_s: t_f,
        action: q.fault.clone(),
    })
    .map_err(|e| format!("drill {}: {e}", q.id))?;
    for a in actions {
        w.push_action((t_f + a.at_s).max(0.0), a.action.clone())
            .map_err(|e| format!("drill {}: {e}", q.id))?;
    }
    let cols: Vec<(usize, &SteadyRule)> = q
        .steady
        .iter()
        .map(|r| {
            Series::from_column(&r.series)
                .map(|s| (s.index(), r))
                .ok_or_else(|| format!("drill {}: there is no series `{}`", q.id, r.series))
        })
        .collect::<Result<_, _>>()?;
    let floor = served_floor(&s);
    let mut at_fault: Option<(Totals, f64, f64)> = None;
    // The steady state, and the drill's rules alone (to tell why it never held).
    let mut steady = Stretch::default();
    let mut rules_alone = Stretch::default();
    while w.now_s < end_s - 1e-9 {
        step(&mut w);
        if w.now_s < t_f {
            continue;
        }
        if at_fault.is_none() {
            at_fault = Some((Totals::of(&w), w.counters.served, w.counters.arrived));
        }
        if steady.done.is_some() {
            continue;
        }
        let row = &w.series.latest;
        let rules = cols
            .iter()
            .all(|(c, r)| r.max.is_none_or(|m| row[*c] <= m) && r.min.is_none_or(|m| row[*c] >= m));
        let arrived = row[Series::ArrivalsRps.index()];
        let serves = arrived <= 0.0 || row[Series::ServedRps.index()] >= floor * arrived;
        // Steady only counts once the fault has had a tick to bite.
        let bitten = w.now_s > t_f + w.tick_s;
        steady.tick(rules && serves && bitten, w.now_s, q.hold_s);
        rules_alone.tick(rules && bitten, w.now_s, q.hold_s);
    }
    let (start, served0, arrived0) =
        at_fault.unwrap_or_else(|| (Totals::of(&w), w.counters.served, w.counters.arrived));
    let burned = start.budget_remaining_pct() - Totals::of(&w).budget_remaining_pct();
    let arrived = w.counters.arrived - arrived0;
    let served_pct = if arrived > 0.0 {
        ((w.counters.served - served0) / arrived * 100.0).clamp(0.0, 100.0)
    } else {
        100.0
    };
    Ok(DrillRun {
        mitigate_s: steady.done.map_or(end_s - t_f, |t| (t - t_f).max(0.0)),
        mitigated: steady.done.is_some(),
        budget_burned_pct: burned.max(0.0),
        served_pct,
        held_only_unserved: steady.done.is_none() && rules_alone.done.is_some(),
    })
}

/// Why the learner's run never steadied when only serving stopped it:
/// its rules held, in an outage.
fn unserved_feedback(q: &DrillQuestion, floor: f64, learner: &DrillRun) -> String {
    let rules: Vec<String> = q
        .steady
        .iter()
        .map(|r| {
            let mut parts = Vec::new();
            if let Some(m) = r.min {
                parts.push(format!("at least {}", figure(m)));
            }
            if let Some(m) = r.max {
                parts.push(format!("at most {}", figure(m)));
            }
            format!("{} {}", r.series, parts.join(" and "))
                .trim_end()
                .to_string()
        })
        .collect();
    format!(
        "your run never counted as steady: its rules held ({}), but the service served only {} % of the requests that arrived after the fault, and the steady state also needs at least {} % of every tick's requests served: an outage is not a mitigation",
        rules.join(", "),
        figure(learner.served_pct),
        figure(floor * 100.0)
    )
}

/// Share of the way from `none` (nobody acting) to `reference` that `got` went.
fn improvement(none: f64, reference: f64, got: f64) -> f64 {
    if none - reference > 1e-9 {
        ((none - got) / (none - reference)).clamp(0.0, 1.0)
    } else if got <= reference + 1e-9 {
        1.0
    } else {
        0.0
    }
}

/// Grades a drill: the learner's `actions` (times after the fault [s]) on
/// every seed of `q`; the worst seed's share is the grade.
pub fn grade_drill(
    scenario: &Scenario,
    q: &DrillQuestion,
    actions: &[ScheduledAction],
) -> Result<DrillGrade, String> {
    let mut worst: Option<(f64, DrillGrade)> = None;
    for &seed in &q.seeds {
        let nobody = run_drill(scenario, q, seed, &[])?;
        let reference = run_drill(scenario, q, seed, &q.playbook)?;
        let learner = run_drill(scenario, q, seed, actions)?;
        let mut counted = Vec::with_capacity(actions.len());
        for i in 0..actions.len() {
            let mut without = actions.to_vec();
            without.remove(i);
            let r = run_drill(scenario, q, seed, &without)?;
            counted.push(
                r.mitigate_s > learner.mitigate_s + 1e-6
                    || r.budget_burned_pct > learner.budget_burned_pct + 1e-6,
            );
        }
        let time = improvement(nobody.mitigate_s, reference.mitigate_s, learner.mitigate_s);
        let budget = improvement(
            nobody.budget_burned_pct,
            reference.budget_burned_pct,
            learner.budget_burned_pct,
        );
        // Whether the actions, together, changed the outcome: one by one they may
        // not (the same restore twice: either alone does it).
        let changed = learner.mitigate_s + 1e-6 < nobody.mitigate_s
            || learner.budget_burned_pct + 1e-6 < nobody.budget_burned_pct;
        let any = changed || counted.iter().any(|c| *c);
        let share = if any { 0.5 * time + 0.5 * budget } else { 0.0 };
        let on_seed = if q.seeds.len() > 1 {
            format!(
                "judged on seed {seed}, the weakest of your {} seeds: the fault struck at {} s",
                q.seeds.len(),
                figure(q.fault_at_s(seed))
            )
        } else {
            format!(
                "on seed {seed}, the fault struck at {} s",
                figure(q.fault_at_s(seed))
            )
        };
        // A run that never steadies is timed to the run's end, and says so.
        let took = |r: &DrillRun| {
            let never = if r.mitigated { "" } else { " (never steady)" };
            format!("{} s{never}", figure(r.mitigate_s))
        };
        let mut feedback = vec![
            on_seed,
            format!(
                "time to mitigate: you {}, the playbook {}, nobody acting {}",
                took(&learner),
                took(&reference),
                took(&nobody)
            ),
            format!(
                "error budget burned: you {} %, the playbook {} %, nobody acting {} %",
                figure(learner.budget_burned_pct),
                figure(reference.budget_burned_pct),
                figure(nobody.budget_burned_pct)
            ),
        ];
        // How the learner's run ends, without one action or all of them.
        let same = if learner.mitigated {
            "recovers just as fast"
        } else {
            "stays unsteady just as long"
        };
        if any && !counted.iter().any(|c| *c) {
            feedback.push(format!(
                "your actions overlap: without any one of them the run {same}, but together they changed the outcome"
            ));
        }
        if !learner.mitigated && learner.held_only_unserved {
            feedback.push(unserved_feedback(q, served_floor(scenario), &learner));
        }
        if !any {
            feedback.push(if actions.is_empty() {
                "you took no action, so nothing you did mitigated the fault".into()
            } else {
                format!(
                    "none of your actions changed the outcome: the run {same} without them, so none counts as mitigation"
                )
            });
        }
        let g = DrillGrade {
            grade: Grade::of_share(share, q.points, feedback),
            fault_at_s: q.fault_at_s(seed),
            nobody,
            reference,
            learner,
            counted,
        };
        if worst.as_ref().is_none_or(|(s, _)| share < *s) {
            worst = Some((share, g));
        }
    }
    worst
        .map(|(_, g)| g)
        .ok_or_else(|| format!("drill {}: no seeds to run", q.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn improvement_is_the_share_of_the_way_to_the_reference() {
        assert_eq!(improvement(100.0, 20.0, 60.0), 0.5);
        assert_eq!(improvement(100.0, 20.0, 10.0), 1.0);
        assert_eq!(improvement(100.0, 20.0, 150.0), 0.0);
        assert_eq!(improvement(20.0, 20.0, 20.0), 1.0);
        assert_eq!(improvement(20.0, 20.0, 30.0), 0.0);
    }
}
