//! Canary releases: a second ReplicaSet of the new version takes a share of the traffic
//! at the load balancer, stage by stage, while an analysis compares it with the stable
//! version running beside it, and rolls it back on the first trigger
//! (docs/models.md#canary-releases; Argo Rollouts' canary steps with a traffic router,
//! Flagger's `stepWeights`, Kayenta's canary-versus-baseline comparison).
//!
//! ```text
//!   canary { version }   stages: 1 % ─hold─▶ 5 % ─hold─▶ 25 % ─hold─▶ 50 % ─hold─▶ promote
//!   sets: stable = desired replicas, canary = ⌈weight × desired⌉ (≥ 1)
//!   route: in each region the canary's pods get weight w of its requests, the stable's 1 − w
//!   every interval_s:  canary error % > stable error % + error_rate_over_baseline_pct ─┐
//!                      canary p99    > stable p99    + p99_over_baseline_ms           ├▶ roll back
//!   every tick:        a canary pod's memory > memory_pct of its limit                │  (canary
//!                      a canary pod restarted twice (CrashLoopBackOff)               ─┘   set → 0)
//!   last stage held ─▶ promote: a rolling update to the canary's version ([`super::controller`])
//! ```

use serde::{Deserialize, Serialize};

use super::{ReplicaSet, RolloutState};
use crate::sim::events::SimEvent;
use crate::sim::topology::PodKind;
use crate::sim::world::World;

/// One canary stage: a share of the traffic, held for a time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanaryStage {
    /// Share of the requests the canary takes [%] (more than 0, less than 100).
    pub weight_pct: f64,
    /// How long the stage runs before the next [s].
    pub hold_s: f64,
}

/// What the analysis compares; each one, when on, rolls the canary back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanaryCheck {
    /// The canary's error rate against the stable version's, over the last interval.
    ErrorRate,
    /// The canary's p99 against the stable version's, over the last interval.
    P99,
    /// A canary pod's memory against its limit, every tick.
    Memory,
    /// A canary pod restarted twice, every tick.
    CrashLoop,
}
crate::named_enum!(CanaryCheck {
    ErrorRate = "error_rate",
    P99 = "p99",
    Memory = "memory",
    CrashLoop = "crash_loop",
});

impl CanaryCheck {
    /// Every check, as the seed lists the rollback triggers.
    pub const ALL: [CanaryCheck; 4] = [
        CanaryCheck::ErrorRate,
        CanaryCheck::P99,
        CanaryCheck::Memory,
        CanaryCheck::CrashLoop,
    ];

    /// What it measures, for the timeline ("error rate").
    pub fn words(self) -> &'static str {
        match self {
            CanaryCheck::ErrorRate => "error rate",
            CanaryCheck::P99 => "p99 latency",
            CanaryCheck::Memory => "memory",
            CanaryCheck::CrashLoop => "crash loop",
        }
    }
}

fn seed_stages() -> Vec<CanaryStage> {
    [
        (1.0, 3_600.0),
        (5.0, 7_200.0),
        (25.0, 14_400.0),
        (50.0, 28_800.0),
    ]
    .into_iter()
    .map(|(weight_pct, hold_s)| CanaryStage { weight_pct, hold_s })
    .collect()
}

fn all_checks() -> Vec<CanaryCheck> {
    CanaryCheck::ALL.to_vec()
}

fn half() -> f64 {
    0.5
}

fn hundred() -> f64 {
    100.0
}

fn ninety() -> f64 {
    90.0
}

fn sixty() -> f64 {
    60.0
}

/// `[canary]`: how the `canary` action releases a version. The defaults are the seed's:
/// stages of 1, 5, 25 and 50 % held 1, 2, 4 and 8 hours, and every trigger on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanarySpec {
    /// The stages, in order; after the last one holds, the canary is promoted to every pod.
    #[serde(default = "seed_stages")]
    pub stages: Vec<CanaryStage>,
    /// The rollback triggers that are on (default all four).
    #[serde(default = "all_checks")]
    pub checks: Vec<CanaryCheck>,
    /// Rolls back when the canary's error rate passes the stable version's by more than
    /// this [percentage points] (default 0.5).
    #[serde(default = "half")]
    pub error_rate_over_baseline_pct: f64,
    /// Rolls back when the canary's p99 passes the stable version's by more than this
    /// [ms] (default 100).
    #[serde(default = "hundred")]
    pub p99_over_baseline_ms: f64,
    /// Rolls back when a canary pod uses more than this share of its memory limit [%]
    /// (default 90).
    #[serde(default = "ninety")]
    pub memory_pct: f64,
    /// The analysis interval: error rates and p99 are compared over the last one [s]
    /// (default 60).
    #[serde(default = "sixty")]
    pub interval_s: f64,
    /// Requests the canary must have served in an interval before its error rate and p99
    /// are judged [requests] (default 100): at 1 % a quiet service gives too few.
    #[serde(default = "hundred")]
    pub min_requests: f64,
    /// Sticky canary: a user sent to the canary stays on it (and a user on the stable
    /// version stays there), so the users who ever see the canary are its share, not
    /// nearly all of them (default false).
    #[serde(default)]
    pub sticky: bool,
    /// Requests a user makes in a visit [requests] (default 10): without stickiness a
    /// user meets the canary with chance 1 − (1 − w)^n.
    #[serde(default = "ten")]
    pub requests_per_user: f64,
}

fn ten() -> f64 {
    10.0
}

impl Default for CanarySpec {
    fn default() -> Self {
        Self {
            stages: seed_stages(),
            checks: all_checks(),
            error_rate_over_baseline_pct: half(),
            p99_over_baseline_ms: hundred(),
            memory_pct: ninety(),
            interval_s: sixty(),
            min_requests: hundred(),
            sticky: false,
            requests_per_user: ten(),
        }
    }
}

impl CanarySpec {
    /// The rules the range table cannot state: (field path, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.stages.is_empty() {
            return Err((
                "canary.stages".into(),
                "is empty: give at least one stage, such as { weight_pct = 5, hold_s = 600 }"
                    .into(),
            ));
        }
        for (i, pair) in self.stages.windows(2).enumerate() {
            if pair[1].weight_pct <= pair[0].weight_pct {
                return Err((
                    format!("canary.stages[{}].weight_pct", i + 1),
                    format!(
                        "is {} %, not more than the stage before ({} %): stages widen the canary's share",
                        pair[1].weight_pct, pair[0].weight_pct
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Whether `check` is on.
    pub fn checks_for(&self, check: CanaryCheck) -> bool {
        self.checks.contains(&check)
    }

    /// The share of users who have met the canary at traffic share `w` [fraction]:
    /// `w` when sticky, else 1 − (1 − w)^n for n requests per user.
    pub fn users_exposed(&self, w: f64) -> f64 {
        if self.sticky {
            w
        } else {
            1.0 - (1.0 - w).powf(self.requests_per_user.max(1.0))
        }
    }
}

/// One side of the comparison over an interval: what its pods served and failed, and
/// their p99 weighted by requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SideWindow {
    /// Requests sent to its pods [requests].
    pub requests: f64,
    /// Of those, failed (errors, timeouts, refusals) [requests].
    pub failed: f64,
    /// Σ requests × the pod's p99 [requests·ms].
    pub p99_weighted: f64,
    /// Σ requests that carried a p99 [requests].
    pub p99_requests: f64,
}

impl SideWindow {
    /// Error rate [%] (0 without requests).
    pub fn error_pct(&self) -> f64 {
        if self.requests > 0.0 {
            100.0 * self.failed / self.requests
        } else {
            0.0
        }
    }

    /// p99 [ms] (0 without served requests).
    pub fn p99_ms(&self) -> f64 {
        if self.p99_requests > 0.0 {
            self.p99_weighted / self.p99_requests
        } else {
            0.0
        }
    }
}

/// One analysis: the two sides over an interval, as the timeline and the charts show it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CanaryAnalysis {
    /// End of the interval [s].
    pub t_s: f64,
    /// The canary's share of the traffic [%].
    pub weight_pct: f64,
    /// The stable version's error rate [%].
    pub stable_error_pct: f64,
    /// The canary's error rate [%].
    pub canary_error_pct: f64,
    /// The stable version's p99 [ms].
    pub stable_p99_ms: f64,
    /// The canary's p99 [ms].
    pub canary_p99_ms: f64,
    /// The canary pods' highest memory against their limit [%].
    pub canary_memory_pct: f64,
    /// Requests the canary served in the interval [requests].
    pub canary_requests: f64,
}

/// A canary in progress.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CanaryRun {
    /// The version released.
    pub version: u8,
    /// The stable version it is compared with.
    pub stable: u8,
    /// The stage it is in (0-based).
    pub stage: usize,
    /// When the stage started [s].
    pub stage_started_s: f64,
    /// When the canary started [s].
    pub started_s: f64,
    /// When the analysis interval started [s].
    pub window_started_s: f64,
    /// The interval so far: the stable side, then the canary.
    pub window: [SideWindow; 2],
    /// The canary pods' highest memory this interval [% of limit].
    pub memory_pct: f64,
}

impl CanaryRun {
    /// Its share of the traffic now [fraction].
    pub fn weight(&self, spec: &CanarySpec) -> f64 {
        spec.stages
            .get(self.stage)
            .map_or(1.0, |s| s.weight_pct / 100.0)
            .clamp(0.0, 1.0)
    }
}

/// Starts a canary of version `v` against the version the pods run now: the canary set
/// gets ⌈w × desired⌉ pods at the first stage's weight.
pub fn start(w: &mut World, v: u8) {
    let now = w.now_s;
    let stable = super::controller::current_version(w);
    let desired = w.spec_replicas.max(0);
    let state = w
        .rollout
        .get_or_insert_with(|| RolloutState::single(desired, now));
    // Every set but the stable one goes (an unfinished rollout is settled on stable).
    state.sets.retain(|s| s.version == stable);
    if state.sets.is_empty() {
        state.sets.push(ReplicaSet {
            version: stable,
            replicas: desired,
            available: 0,
        });
    }
    state.sets[0].replicas = desired;
    state.sets.push(ReplicaSet {
        version: v,
        replicas: 0,
        available: 0,
    });
    state.complete = false;
    state.started_s = now;
    state.canary = Some(CanaryRun {
        version: v,
        stable,
        stage: 0,
        stage_started_s: now,
        started_s: now,
        window_started_s: now,
        window: [SideWindow::default(); 2],
        memory_pct: 0.0,
    });
    let spec = &w.scenario.canary;
    let weight_pct = spec.stages.first().map_or(100.0, |s| s.weight_pct);
    let stages = spec.stages.len() as u32;
    let (version, from) = (w.version_name(v), w.version_name(stable));
    w.log(SimEvent::CanaryStarted {
        t_s: now,
        version,
        from,
        weight_pct,
        stages,
    });
}

/// The canary pods' replicas at share `weight` of `desired`: ⌈w × desired⌉, at least 1.
pub fn canary_replicas(weight: f64, desired: i32) -> i32 {
    ((weight * f64::from(desired.max(1))).ceil() as i32).max(1)
}

/// Stage 8 while a canary runs: the sets' sizes, the analysis and the stages. Returns
/// false when no canary runs (the rolling update's sync then runs instead).
pub fn reconcile(w: &mut World) -> bool {
    let Some(run) = w.rollout.as_ref().and_then(|r| r.canary) else {
        return false;
    };
    let now = w.now_s;
    let spec = &w.scenario.canary;
    let desired = w.spec_replicas.max(0);
    // The instant triggers: memory and a crash loop, over the canary's live pods.
    let found = super::scan(w, run.version);
    let (live_pods, memory_pct, looping) = (found.live, found.memory_pct, found.looping);
    let mut trip: Option<(CanaryCheck, f64, f64)> = None;
    if spec.checks_for(CanaryCheck::CrashLoop) && looping {
        trip = Some((CanaryCheck::CrashLoop, 2.0, 2.0));
    }
    if trip.is_none() && spec.checks_for(CanaryCheck::Memory) && memory_pct > spec.memory_pct {
        trip = Some((CanaryCheck::Memory, memory_pct, spec.memory_pct));
    }
    let weight = run.weight(spec);
    let mut analysis = None;
    if trip.is_none() && now - run.window_started_s >= spec.interval_s {
        let [stable, canary] = run.window;
        let a = CanaryAnalysis {
            t_s: now,
            weight_pct: 100.0 * weight,
            stable_error_pct: stable.error_pct(),
            canary_error_pct: canary.error_pct(),
            stable_p99_ms: stable.p99_ms(),
            canary_p99_ms: canary.p99_ms(),
            canary_memory_pct: run.memory_pct.max(memory_pct),
            canary_requests: canary.requests,
        };
        if canary.requests >= spec.min_requests && stable.requests > 0.0 {
            trip = judge(spec, &a);
        }
        analysis = Some(a);
    }
    let stage_done =
        now - run.stage_started_s >= spec.stages.get(run.stage).map_or(0.0, |s| s.hold_s);
    let last_stage = run.stage + 1 >= spec.stages.len();
    let stage = run.stage;
    let stages_len = spec.stages.len();
    let next_weight_pct = spec.stages.get(run.stage + 1).map(|s| s.weight_pct);
    let Some(state) = w.rollout.as_mut() else {
        return false;
    };
    if let Some(a) = analysis {
        state.analyses.push(a);
    }
    let Some(live) = state.canary.as_mut() else {
        return false;
    };
    live.memory_pct = live.memory_pct.max(memory_pct);
    if analysis.is_some() {
        live.window_started_s = now;
        live.window = [SideWindow::default(); 2];
        live.memory_pct = 0.0;
    }
    if let Some((check, measured, limit)) = trip {
        roll_back(w, &run, stage, 100.0 * weight, check, measured, limit);
    } else if stage_done && last_stage {
        promote(w, &run);
        return true;
    } else if stage_done {
        live.stage += 1;
        live.stage_started_s = now;
        let version = w.version_name(run.version);
        w.log(SimEvent::CanaryStage {
            t_s: now,
            version,
            stage: stage as u32 + 2,
            stages: stages_len as u32,
            weight_pct: next_weight_pct.unwrap_or(100.0),
        });
    }
    // The sets' sizes: the stable set carries the desired replicas, the canary its share.
    // Its share now: none once rolled back.
    let weight = w
        .rollout
        .as_ref()
        .and_then(|r| r.canary.as_ref())
        .map(|c| c.weight(&w.scenario.canary));
    if let Some(state) = w.rollout.as_mut() {
        for s in state.sets.iter_mut() {
            s.replicas = match weight {
                _ if s.version == run.stable => desired,
                Some(share) if s.version == run.version => canary_replicas(share, desired),
                Some(_) | None => 0,
            };
        }
        state.desired = desired;
    }
    super::controller::follow_sets(w, &live_pods);
    true
}

/// The interval's verdict: the first trigger that is on and passed, as (check,
/// measured, limit), comparing the new version's error rate [%] and p99 [ms] with the
/// baseline's plus the allowances of `[canary]`.
pub fn judge(spec: &CanarySpec, a: &CanaryAnalysis) -> Option<(CanaryCheck, f64, f64)> {
    let err_limit = a.stable_error_pct + spec.error_rate_over_baseline_pct;
    let p99_limit = a.stable_p99_ms + spec.p99_over_baseline_ms;
    if spec.checks_for(CanaryCheck::ErrorRate) && a.canary_error_pct > err_limit {
        Some((CanaryCheck::ErrorRate, a.canary_error_pct, err_limit))
    } else if spec.checks_for(CanaryCheck::P99) && a.canary_p99_ms > p99_limit {
        Some((CanaryCheck::P99, a.canary_p99_ms, p99_limit))
    } else {
        None
    }
}

/// Rolls the canary back: its set goes to 0 and the stable set is the one rolled to.
fn roll_back(
    w: &mut World,
    run: &CanaryRun,
    stage: usize,
    weight_pct: f64,
    check: CanaryCheck,
    measured: f64,
    limit: f64,
) {
    let now = w.now_s;
    if let Some(state) = w.rollout.as_mut() {
        state.canary = None;
        state.complete = true;
        // The stable set moves last: new pods are of the stable version.
        if let Some(i) = state.sets.iter().position(|s| s.version == run.stable) {
            let s = state.sets.remove(i);
            state.sets.push(s);
        }
    }
    let version = w.version_name(run.version);
    w.log(SimEvent::CanaryRolledBack {
        t_s: now,
        version,
        stage: stage as u32 + 1,
        weight_pct,
        check,
        measured,
        limit,
    });
}

/// Promotes the canary: the stages are over and a rolling update takes every pod to it.
fn promote(w: &mut World, run: &CanaryRun) {
    let now = w.now_s;
    if let Some(state) = w.rollout.as_mut() {
        state.canary = None;
        // The canary's set becomes the one rolled to, with the pods it has.
        if let Some(i) = state.sets.iter().position(|s| s.version == run.version) {
            let s = state.sets.remove(i);
            state.sets.push(s);
        }
    }
    let version = w.version_name(run.version);
    w.log(SimEvent::CanaryPromoted {
        t_s: now,
        version,
        after_s: now - run.started_s,
    });
    super::controller::start(w, run.version);
}

/// Stage 4 while a canary or a blue-green release runs: in each region, rescales the
/// pods' routing weights (stashed in `routed`) so the new version's pods take share
/// `weight` of its requests and the stable (blue) version's the rest. A region without
/// both keeps its weights.
pub fn split_weights(w: &mut World) {
    let Some((sv, cv, weight)) = w
        .rollout
        .as_ref()
        .and_then(|r| r.traffic_split(&w.scenario.canary))
    else {
        return;
    };
    let sc = &mut w.scratch;
    sc.region_canary_w.iter_mut().for_each(|x| *x = 0.0);
    sc.region_stable_w.iter_mut().for_each(|x| *x = 0.0);
    let region_of = |p: &crate::sim::topology::Pod| usize::from(w.zones[p.zone as usize].region);
    for p in w.pods.iter() {
        if p.kind != PodKind::App || !p.in_lb {
            continue;
        }
        let r = region_of(p);
        if p.version == cv {
            sc.region_canary_w[r] += p.routed;
        } else if p.version == sv {
            sc.region_stable_w[r] += p.routed;
        }
    }
    for p in w.pods.iter_mut() {
        if p.kind != PodKind::App || !p.in_lb {
            continue;
        }
        let r = usize::from(w.zones[p.zone as usize].region);
        let (c, s) = (sc.region_canary_w[r], sc.region_stable_w[r]);
        if c <= 0.0 || s <= 0.0 {
            continue;
        }
        if p.version == cv {
            p.routed *= weight * (c + s) / c;
        } else if p.version == sv {
            p.routed *= (1.0 - weight) * (c + s) / s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_stages_are_the_default_and_widen() {
        let s = CanarySpec::default();
        let w: Vec<f64> = s.stages.iter().map(|x| x.weight_pct).collect();
        assert_eq!(w, [1.0, 5.0, 25.0, 50.0]);
        assert!(s.validate().is_ok());
        let mut bad = s.clone();
        bad.stages[2].weight_pct = 5.0;
        assert_eq!(bad.validate().unwrap_err().0, "canary.stages[2].weight_pct");
    }

    #[test]
    fn canary_pods_are_the_share_of_desired_rounded_up() {
        assert_eq!(canary_replicas(0.01, 20), 1);
        assert_eq!(canary_replicas(0.05, 20), 1);
        assert_eq!(canary_replicas(0.25, 20), 5);
        assert_eq!(canary_replicas(0.5, 7), 4);
        assert_eq!(canary_replicas(0.5, 0), 1);
    }

    #[test]
    fn a_sticky_canary_exposes_its_share_of_users_and_a_loose_one_more() {
        let mut s = CanarySpec::default();
        assert!((s.users_exposed(0.05) - (1.0 - 0.95f64.powi(10))).abs() < 1e-12);
        s.sticky = true;
        assert_eq!(s.users_exposed(0.05), 0.05);
    }
}
