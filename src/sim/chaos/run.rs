//! A chaos experiment running in the World: the steady state checked first, then the
//! method's faults, the abort conditions watched every tick, the rollback, and the
//! verdict with what each probe measured (docs/models.md#chaos-experiments).
//!
//! ```text
//!   run_experiment ─▶ STEADY (steady_s): every steady-state bound must hold ─┬─ else: not steady, no method
//!                                                                            ▼
//!   METHOD (duration_s): its steps queued (source "Experiment"); each tick ─▶ probes' worst values
//!        abort condition broken (for for_s, or still at within_s), or abort_experiment
//!          ─▶ pending steps cancelled, faults in force rolled back ─▶ ABORTED
//!   end ─▶ faults still in force rolled back ─▶ HELD (every bound held) or DEVIATED
//!   budget: the whole service pays traffic_pct of the budget the exposed traffic spent
//! ```
//!
//! Runs after the tick's accounting (stage 9), reading the tick's series row and the
//! counters; no allocation per tick (the error-rate ring is sized at the start).

use serde::{Deserialize, Serialize};

use super::experiment::{ExperimentSpec, Measure};
use crate::sim::events::SimEvent;
use crate::sim::inputs::{Action, ActionSource, FaultKind};
use crate::sim::world::World;

/// Where an experiment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Checking the steady state before the method.
    Steady,
    /// The method runs.
    Method,
    /// Over: see the verdict.
    Done,
}
crate::named_enum!(Phase {
    Steady = "steady",
    Method = "method",
    Done = "done",
});

/// How an experiment ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every steady-state bound held through the method: the hypothesis stands.
    Held,
    /// A bound broke but no abort condition fired: the hypothesis is refuted.
    Deviated,
    /// An abort condition fired (or the learner aborted): the method was stopped and
    /// rolled back.
    Aborted,
    /// The steady state did not hold before the method: nothing was injected.
    NotSteady,
}
crate::named_enum!(Verdict {
    Held = "held",
    Deviated = "deviated",
    Aborted = "aborted",
    NotSteady = "not_steady",
});

impl Verdict {
    /// The verdict in a few words.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Held => "hypothesis held",
            Verdict::Deviated => "hypothesis refuted: the steady state deviated",
            Verdict::Aborted => "aborted and rolled back",
            Verdict::NotSteady => "not run: the steady state did not hold before the method",
        }
    }
}

/// What one bound saw in a phase.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    /// The value farthest outside (or nearest the edge of) its band [the measure's unit].
    pub worst: f64,
    /// The last value [the measure's unit].
    pub last: f64,
    /// Whether every value was within the band.
    pub held: bool,
    /// Ticks observed.
    pub ticks: u64,
}

impl ProbeResult {
    fn new() -> Self {
        Self {
            worst: f64::NAN,
            last: f64::NAN,
            held: true,
            ticks: 0,
        }
    }

    /// Takes in one value against the band `[lo, hi]`.
    fn observe(&mut self, v: f64, (lo, hi): (f64, f64)) {
        let badness = |x: f64| (lo - x).max(x - hi);
        if self.ticks == 0 || badness(v) > badness(self.worst) {
            self.worst = v;
        }
        self.last = v;
        self.held &= v >= lo && v <= hi;
        self.ticks += 1;
    }
}

/// Why an experiment was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Abort {
    /// When [s].
    pub t_s: f64,
    /// The condition (an index into the spec's `abort`); `None`: by hand.
    pub condition: Option<usize>,
    /// What its measure read then [its unit] (0 by hand).
    pub measured: f64,
}

/// An experiment under way or done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentRun {
    /// What runs.
    pub spec: ExperimentSpec,
    /// When it started (the steady-state check) [s].
    pub started_s: f64,
    /// When the method starts, or started [s].
    pub method_s: f64,
    /// When the method's watch ends [s].
    pub end_s: f64,
    /// Where it stands.
    pub phase: Phase,
    /// Each steady-state bound over the check before the method.
    pub before: Vec<ProbeResult>,
    /// Each steady-state bound during the method.
    pub during: Vec<ProbeResult>,
    /// How long each abort condition has been broken without a break [s].
    pub broken_for_s: Vec<f64>,
    /// The abort, if any.
    pub abort: Option<Abort>,
    /// The verdict, once done.
    pub verdict: Option<Verdict>,
    /// The method's steps that were applied (filled when it ends: what was rolled back).
    pub applied: Vec<Action>,
    /// Error budget remaining when the method started [% of the budget].
    pub budget_at_method_pct: f64,
    /// Error budget the exposed traffic spent since the method started [% of the budget].
    pub exposed_budget_used_pct: f64,
    /// What the whole service spent: the blast radius's share of it [% of the budget].
    pub service_budget_used_pct: f64,
    /// Requests failed and settled at each tick over the error-rate window (a ring).
    ring: Vec<(f64, f64)>,
    ring_at: usize,
    /// What each steady-state bound, then each abort condition, measures (read once:
    /// no names are compared per tick; rebuilt after a snapshot is read back).
    #[serde(skip)]
    measures: Vec<Measure>,
    /// The series measures' last values over the window, tick-major (one row of
    /// `measures.len()` per slot of the ring), and their sums.
    series_ring: Vec<f64>,
    series_sums: Vec<f64>,
    /// Ticks observed (the ring is full once this reaches its length).
    ticks: u64,
}

impl ExperimentRun {
    /// Whether it is still under way (checking the steady state or running its method).
    pub fn is_running(&self) -> bool {
        self.phase != Phase::Done
    }

    /// The error rate over the window [%] (0 with nothing settled).
    fn error_rate_pct(&self, failed: f64, settled: f64) -> f64 {
        let (f0, s0) = self.ring[self.ring_at];
        let ds = settled - s0;
        if ds > 0.0 {
            100.0 * (failed - f0) / ds
        } else {
            0.0
        }
    }
}

/// The experiment `name` of `w`: the scenario's, or a Simian Army preset.
pub fn spec_named(w: &World, name: &str) -> Option<ExperimentSpec> {
    w.scenario
        .experiments
        .iter()
        .find(|e| e.name == name)
        .cloned()
        .or_else(|| super::presets::preset(name, &w.scenario))
}

/// Starts experiment `spec` now: the steady state is checked for `steady_s` first.
pub fn start(w: &mut World, spec: ExperimentSpec) {
    let now = w.now_s;
    let n = ((spec.window_s / w.tick_s).ceil() as usize).max(1);
    let c = &w.counters;
    let (failed, settled) = (c.failed(), c.served + c.failed());
    let run = ExperimentRun {
        started_s: now,
        method_s: now + spec.steady_s,
        end_s: now + spec.steady_s + spec.duration_s,
        phase: Phase::Steady,
        before: vec![ProbeResult::new(); spec.steady_state.len()],
        during: vec![ProbeResult::new(); spec.steady_state.len()],
        broken_for_s: vec![0.0; spec.abort.len()],
        abort: None,
        verdict: None,
        applied: Vec::new(),
        budget_at_method_pct: budget_remaining_pct(w),
        exposed_budget_used_pct: 0.0,
        service_budget_used_pct: 0.0,
        ring: vec![(failed, settled); n],
        ring_at: 0,
        measures: measures_of(&spec),
        series_ring: vec![0.0; n * (spec.steady_state.len() + spec.abort.len())],
        series_sums: vec![0.0; spec.steady_state.len() + spec.abort.len()],
        ticks: 0,
        spec,
    };
    let (name, hypothesis, steady_s) = (
        run.spec.name.clone(),
        run.spec.hypothesis.clone(),
        run.spec.steady_s,
    );
    w.experiment = Some(Box::new(run));
    w.log(SimEvent::ExperimentStarted {
        t_s: now,
        name,
        hypothesis,
        steady_s,
    });
}

/// What each steady-state bound, then each abort condition, of `spec` measures (an
/// unknown name, refused when the scenario was read, measures the error rate).
fn measures_of(spec: &ExperimentSpec) -> Vec<Measure> {
    spec.steady_state
        .iter()
        .chain(spec.abort.iter().map(|a| &a.bound))
        .map(|b| Measure::of(&b.probe).unwrap_or(Measure::ErrorRatePct))
        .collect()
}

fn budget_remaining_pct(w: &World) -> f64 {
    w.control
        .slo
        .availability
        .as_ref()
        .map_or(100.0, |a| 100.0 * a.budget_remaining_fraction())
}

/// Stage 9's end while an experiment runs: the measures, the phases, the aborts.
pub fn observe(w: &mut World) {
    let Some(mut run) = w.experiment.take() else {
        return;
    };
    if run.phase == Phase::Done {
        w.experiment = Some(run);
        return;
    }
    let now = w.now_s;
    let c = &w.counters;
    let (failed, settled) = (c.failed(), c.served + c.failed());
    let error_pct = run.error_rate_pct(failed, settled);
    let at = run.ring_at;
    run.ring[at] = (failed, settled);
    run.ring_at = (at + 1) % run.ring.len();
    let k = run.spec.steady_state.len() + run.spec.abort.len();
    if run.measures.len() != k {
        run.measures = measures_of(&run.spec);
    }
    // Each series measure's mean over the window, as a rate over it would read.
    let row = &w.series.latest;
    run.ticks += 1;
    let filled = run.ticks.min(run.ring.len() as u64) as f64;
    for j in 0..k {
        if let Measure::Series(s) = run.measures[j] {
            let slot = &mut run.series_ring[at * k + j];
            run.series_sums[j] += row[s.index()] - *slot;
            *slot = row[s.index()];
        }
    }
    let (measures, sums) = (&run.measures, &run.series_sums);
    let read = |j: usize| match measures[j] {
        Measure::ErrorRatePct => error_pct,
        Measure::Series(_) => sums[j] / filled,
    };
    let phase = run.phase;
    let results = match phase {
        Phase::Steady => &mut run.before,
        Phase::Method | Phase::Done => &mut run.during,
    };
    for (j, (r, b)) in results.iter_mut().zip(&run.spec.steady_state).enumerate() {
        r.observe(read(j), b.band());
    }
    let remaining = budget_remaining_pct(w);
    match phase {
        Phase::Steady if now >= run.method_s - 1e-9 => {
            if run.before.iter().all(|r| r.held) {
                run.phase = Phase::Method;
                run.budget_at_method_pct = remaining;
                for step in &run.spec.method {
                    // Checked with the scenario when the experiment was read.
                    let _ = w.push_input(
                        now + step.at_s,
                        step.action.clone(),
                        ActionSource::Experiment,
                    );
                }
                let name = run.spec.name.clone();
                w.experiment = Some(run);
                w.log(SimEvent::ExperimentMethodStarted { t_s: now, name });
            } else {
                run.phase = Phase::Done;
                run.verdict = Some(Verdict::NotSteady);
                let name = run.spec.name.clone();
                w.experiment = Some(run);
                w.log(SimEvent::ExperimentEnded {
                    t_s: now,
                    name,
                    verdict: Verdict::NotSteady,
                    service_budget_used_pct: 0.0,
                });
            }
            return;
        }
        Phase::Steady | Phase::Done => {
            w.experiment = Some(run);
            return;
        }
        Phase::Method => {}
    }
    run.exposed_budget_used_pct = (run.budget_at_method_pct - remaining).max(0.0);
    run.service_budget_used_pct =
        run.exposed_budget_used_pct * run.spec.blast_radius.traffic_pct.clamp(0.0, 100.0) / 100.0;
    // Abort conditions.
    let since = now - run.method_s;
    let mut tripped = None;
    let first_abort = run.spec.steady_state.len();
    for (i, a) in run.spec.abort.iter().enumerate() {
        let v = read(first_abort + i);
        let broken = !a.bound.holds(v);
        match a.within_s {
            Some(w_s) => {
                if broken && since >= w_s - 1e-9 && since < w_s + w.tick_s - 1e-9 {
                    tripped.get_or_insert((i, v));
                }
            }
            None => {
                run.broken_for_s[i] = if broken {
                    run.broken_for_s[i] + w.tick_s
                } else {
                    0.0
                };
                if broken && run.broken_for_s[i] >= a.for_s - 1e-9 {
                    tripped.get_or_insert((i, v));
                }
            }
        }
    }
    if let Some((i, v)) = tripped {
        run.abort = Some(Abort {
            t_s: now,
            condition: Some(i),
            measured: v,
        });
        w.experiment = Some(run);
        finish(w, Verdict::Aborted);
        return;
    }
    let over = now >= run.end_s - 1e-9;
    let held = run.during.iter().all(|r| r.held);
    w.experiment = Some(run);
    if over {
        finish(
            w,
            if held {
                Verdict::Held
            } else {
                Verdict::Deviated
            },
        );
    }
}

/// The learner's abort: the method stops and is rolled back now. Returns false when no
/// experiment's method or steady-state check is under way.
pub fn abort_by_hand(w: &mut World) -> bool {
    let now = w.now_s;
    let Some(run) = w.experiment.as_mut().filter(|r| r.is_running()) else {
        return false;
    };
    run.abort = Some(Abort {
        t_s: now,
        condition: None,
        measured: 0.0,
    });
    finish(w, Verdict::Aborted);
    true
}

/// Ends the experiment: its pending steps are cancelled, the faults it injected that
/// are still in force are rolled back, and the verdict is logged.
fn finish(w: &mut World, verdict: Verdict) {
    let Some(mut run) = w.experiment.take() else {
        return;
    };
    let now = w.now_s;
    w.inputs.cancel_from(ActionSource::Experiment);
    // The steps applied: those due by this tick's start (stage 1 applied them).
    let applied_by = now - w.tick_s + 1e-9;
    run.applied = run
        .spec
        .method
        .iter()
        .filter(|s| run.method_s + s.at_s <= applied_by)
        .map(|s| s.action.clone())
        .collect();
    let mut seen: Vec<Action> = Vec::new();
    for a in run.applied.iter().rev() {
        let Some(undo) = rollback_of(a) else { continue };
        if seen.contains(&undo) {
            continue;
        }
        seen.push(undo.clone());
        if crate::sim::inputs::effect::redundant(w, &undo).is_none() {
            let _ = w.push_input(now, undo, ActionSource::Experiment);
        }
    }
    run.phase = Phase::Done;
    run.verdict = Some(verdict);
    let name = run.spec.name.clone();
    let used = run.service_budget_used_pct;
    let abort = run.abort;
    let why = abort.map(|a| match a.condition {
        Some(i) => {
            let c = &run.spec.abort[i];
            let unit = Measure::unit_of(&c.bound.probe);
            format!("{} (measured {:.2} {unit})", c.words(unit), a.measured)
        }
        None => "aborted by hand".to_string(),
    });
    w.experiment = Some(run);
    if let Some(why) = why {
        w.log(SimEvent::ExperimentAborted {
            t_s: now,
            name: name.clone(),
            why,
        });
    }
    w.log(SimEvent::ExperimentEnded {
        t_s: now,
        name,
        verdict,
        service_budget_used_pct: used,
    });
}

/// The action that undoes a method step, if one does: a restore for each fault, the
/// zone or region back, the killed primary restarted. Pods and nodes killed are
/// replaced by Kubernetes and the cluster autoscaler, so nothing undoes them; nor a
/// knob, which is not a fault.
pub fn rollback_of(a: &Action) -> Option<Action> {
    let restore = |fault| Some(Action::Restore { fault });
    match a {
        Action::KillZone { zone } => Some(Action::RestoreZone { zone: zone.clone() }),
        Action::KillRegion { region } => Some(Action::RestoreRegion {
            region: region.clone(),
        }),
        Action::FailPrimary { shard } => Some(Action::RestorePrimary { shard: *shard }),
        Action::InjectLatency { .. } => restore(FaultKind::Latency),
        Action::CpuStress { .. } => restore(FaultKind::CpuStress),
        Action::MemoryLeak { .. } => restore(FaultKind::MemoryLeak),
        Action::BadRelease { .. } => restore(FaultKind::BadRelease),
        Action::Partition { .. } => restore(FaultKind::Partition),
        Action::PacketLoss { .. } => restore(FaultKind::PacketLoss),
        Action::CacheDown { .. } => restore(FaultKind::CacheDown),
        Action::ReplicaLagSpike { .. } => restore(FaultKind::ReplicaLag),
        Action::ClockSkew { .. } => restore(FaultKind::ClockSkew),
        Action::DnsFailure { .. } => restore(FaultKind::DnsFailure),
        Action::StopConsumers { .. } => restore(FaultKind::ConsumersStopped),
        Action::DiskFull { .. } => restore(FaultKind::DiskFull),
        Action::DependencySlow { .. }
        | Action::DependencyErrors { .. }
        | Action::DependencyDown { .. } => restore(FaultKind::Dependency),
        Action::KillPods { .. }
        | Action::KillNode { .. }
        | Action::KillPodId { .. }
        | Action::KillNodeId { .. }
        | Action::RestoreZone { .. }
        | Action::RestoreRegion { .. }
        | Action::RestorePrimary { .. }
        | Action::Restore { .. }
        | Action::Spike { .. }
        | Action::SetMinReplicas { .. }
        | Action::SetMaxReplicas { .. }
        | Action::SetReplicas { .. }
        | Action::SetPausePods { .. }
        | Action::CacheFlush
        | Action::SetCoalescing { .. }
        | Action::CdnPurge
        | Action::AddReplica
        | Action::ResizeDatabase { .. }
        | Action::SetHotKeyShare { .. }
        | Action::SetConsistency { .. }
        | Action::SetResolution { .. }
        | Action::SetClientRetries { .. }
        | Action::SetClientBreaker { .. }
        | Action::SetFeatureFlag { .. }
        | Action::SetShedding { .. }
        | Action::Rollout { .. }
        | Action::Canary { .. }
        | Action::BlueGreen { .. }
        | Action::SwitchBack
        | Action::RunExperiment { .. }
        | Action::AbortExperiment => None,
    }
}
