//! Blue-green releases: a second environment of the new version (green) is started at
//! full size beside the running one (blue) and gets no traffic until every one of its pods
//! is available; then the load balancer switches all traffic to it at once, blue stays up
//! as the standby for an instant switch back, and is retired after a delay
//! (docs/models.md#blue-green-releases; Argo Rollouts' `blueGreen` strategy:
//! `autoPromotionSeconds`, `scaleDownDelaySeconds`, post-promotion analysis).
//!
//! ```text
//!   blue_green { version }   green set = desired replicas, weight 0 (blue takes everything)
//!   green fully available, + promote_after_s ─▶ SWITCH: weight 1 (green takes everything)
//!   every interval after the switch: green's error rate and p99 against blue's last
//!     interval before the switch, by the [canary] triggers ─▶ switch back (weight 0, green → 0)
//!   crash loop or memory (any time) ──────────────────────────▶ switch back / abandon
//!   scale_down_delay_s after the switch, no trigger ─▶ blue retired (its set → 0)
//!   both sets run from the start to the retirement: twice the pods, so nodes and cost
//! ```
//!
//! Both environments are sized to the Deployment's replicas (a change scales both, as
//! Argo Rollouts does), and the HPA measures only the environment taking traffic (Argo
//! Rollouts gives the HPA the active ReplicaSet's selector).

use serde::{Deserialize, Serialize};

use super::canary::{CanaryAnalysis, CanaryCheck, SideWindow};
use super::{scan, ReplicaSet, RolloutState};
use crate::sim::events::SimEvent;
use crate::sim::world::World;

fn thirty() -> f64 {
    30.0
}

fn yes() -> bool {
    true
}

/// `[blue_green]`: how the `blue_green` action releases a version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlueGreenSpec {
    /// Wait after green is fully available before the switch [s] (default 0; Argo
    /// Rollouts' `autoPromotionSeconds`).
    #[serde(default)]
    pub promote_after_s: f64,
    /// How long blue stays up after the switch, ready for a switch back [s] (default 30,
    /// Argo Rollouts' `scaleDownDelaySeconds`).
    #[serde(default = "thirty")]
    pub scale_down_delay_s: f64,
    /// Whether green is judged after the switch by the `[canary]` triggers (its checks,
    /// allowances and interval) against blue's last interval before it (default true).
    #[serde(default = "yes")]
    pub analysis: bool,
}

impl Default for BlueGreenSpec {
    fn default() -> Self {
        Self {
            promote_after_s: 0.0,
            scale_down_delay_s: thirty(),
            analysis: true,
        }
    }
}

/// A blue-green release in progress.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlueGreenRun {
    /// The version released (green).
    pub version: u8,
    /// The version that ran before (blue).
    pub blue: u8,
    /// When the release started [s].
    pub started_s: f64,
    /// Since when every green pod has been available [s] (none yet: `None`).
    pub green_ready_s: Option<f64>,
    /// When the load balancer switched to green [s] (`None` while green is staged).
    pub switched_s: Option<f64>,
    /// Blue's last interval before the switch: the baseline green is judged against.
    pub baseline: SideWindow,
    /// When the analysis interval started [s].
    pub window_started_s: f64,
    /// The interval so far: blue, then green.
    pub window: [SideWindow; 2],
}

impl BlueGreenRun {
    /// Green's share of the traffic [fraction]: 0 while staged, 1 once switched.
    pub fn weight(&self) -> f64 {
        if self.switched_s.is_some() {
            1.0
        } else {
            0.0
        }
    }

    /// The environment that takes no traffic now: green while staged, blue after.
    pub fn idle_version(&self) -> u8 {
        if self.switched_s.is_some() {
            self.blue
        } else {
            self.version
        }
    }
}

/// Starts a blue-green release of version `v`: green's set gets the desired replicas
/// beside blue's, with no traffic.
pub fn start(w: &mut World, v: u8) {
    let now = w.now_s;
    let blue = super::controller::current_version(w);
    let desired = w.spec_replicas.max(0);
    let state = w
        .rollout
        .get_or_insert_with(|| RolloutState::single(desired, now));
    state.sets.retain(|s| s.version == blue);
    if state.sets.is_empty() {
        state.sets.push(ReplicaSet {
            version: blue,
            replicas: desired,
            available: 0,
        });
    }
    state.sets.push(ReplicaSet {
        version: v,
        replicas: desired,
        available: 0,
    });
    state.complete = false;
    state.started_s = now;
    state.blue_green = Some(BlueGreenRun {
        version: v,
        blue,
        started_s: now,
        green_ready_s: None,
        switched_s: None,
        baseline: SideWindow::default(),
        window_started_s: now,
        window: [SideWindow::default(); 2],
    });
    let (version, from) = (w.version_name(v), w.version_name(blue));
    w.log(SimEvent::BlueGreenStarted {
        t_s: now,
        version,
        from,
        replicas: desired,
    });
}

/// Stage 8 while a blue-green release runs: the switch, the analysis after it, the
/// retirement of blue, and both sets' sizes. Returns false when none runs.
pub fn reconcile(w: &mut World) -> bool {
    let Some(run) = w.rollout.as_ref().and_then(|r| r.blue_green) else {
        return false;
    };
    let now = w.now_s;
    let desired = w.spec_replicas.max(0);
    let found = scan(w, run.version);
    let (canary, bg) = (&w.scenario.canary, &w.scenario.blue_green);
    let mut trip: Option<(CanaryCheck, f64, f64)> = None;
    if canary.checks_for(CanaryCheck::CrashLoop) && found.looping {
        trip = Some((CanaryCheck::CrashLoop, 2.0, 2.0));
    } else if canary.checks_for(CanaryCheck::Memory) && found.memory_pct > canary.memory_pct {
        trip = Some((CanaryCheck::Memory, found.memory_pct, canary.memory_pct));
    }
    let mut next = run;
    let mut analysis = None;
    if now - run.window_started_s >= canary.interval_s {
        let [blue, green] = run.window;
        match run.switched_s {
            None => {
                if blue.requests > 0.0 {
                    next.baseline = blue;
                }
            }
            Some(_) => {
                let base = run.baseline;
                let a = CanaryAnalysis {
                    t_s: now,
                    weight_pct: 100.0,
                    stable_error_pct: base.error_pct(),
                    canary_error_pct: green.error_pct(),
                    stable_p99_ms: base.p99_ms(),
                    canary_p99_ms: green.p99_ms(),
                    canary_memory_pct: found.memory_pct,
                    canary_requests: green.requests,
                };
                if bg.analysis
                    && trip.is_none()
                    && green.requests >= canary.min_requests
                    && base.requests > 0.0
                {
                    trip = super::canary::judge(canary, &a);
                }
                analysis = Some(a);
            }
        }
        next.window_started_s = now;
        next.window = [SideWindow::default(); 2];
    }
    if found.available >= desired {
        next.green_ready_s.get_or_insert(now);
    } else if run.switched_s.is_none() {
        next.green_ready_s = None;
    }
    let switch_now = run.switched_s.is_none()
        && trip.is_none()
        && next
            .green_ready_s
            .is_some_and(|r| now - r >= bg.promote_after_s);
    let retire = run
        .switched_s
        .is_some_and(|s| now - s >= bg.scale_down_delay_s)
        && trip.is_none();
    if switch_now {
        // The interval under way is blue's last: the baseline if it is fuller.
        if run.window[0].requests > next.baseline.requests {
            next.baseline = run.window[0];
        }
        next.switched_s = Some(now);
        next.window_started_s = now;
        next.window = [SideWindow::default(); 2];
    }
    if let Some(state) = w.rollout.as_mut() {
        if let Some(a) = analysis {
            state.analyses.push(a);
        }
        state.blue_green = Some(next);
        state.desired = desired;
        for s in state.sets.iter_mut() {
            if s.version == run.blue || s.version == run.version {
                s.replicas = desired;
            }
        }
    }
    if switch_now {
        let version = w.version_name(run.version);
        w.log(SimEvent::BlueGreenSwitched {
            t_s: now,
            version,
            after_s: now - run.started_s,
        });
    }
    if let Some(reason) = trip {
        switch_back(w, Some(reason));
    } else if retire {
        retire_blue(w, &run);
    }
    super::controller::follow_sets(w, &found.live);
    true
}

/// Sends every request back to blue at once and removes green (an analysis trigger, or
/// the learner's `switch_back` when `reason` is `None`). Returns false when no
/// blue-green release runs.
pub fn switch_back(w: &mut World, reason: Option<(CanaryCheck, f64, f64)>) -> bool {
    let now = w.now_s;
    let Some(run) = w.rollout.as_ref().and_then(|r| r.blue_green) else {
        return false;
    };
    if let Some(state) = w.rollout.as_mut() {
        state.blue_green = None;
        state.complete = true;
        for s in state.sets.iter_mut() {
            if s.version == run.version {
                s.replicas = 0;
            }
        }
        // Blue's set moves last: new pods are blue's.
        if let Some(i) = state.sets.iter().position(|s| s.version == run.blue) {
            let s = state.sets.remove(i);
            state.sets.push(s);
        }
    }
    let (version, blue) = (w.version_name(run.version), w.version_name(run.blue));
    w.log(SimEvent::BlueGreenSwitchedBack {
        t_s: now,
        version,
        blue,
        switched: run.switched_s.is_some(),
        check: reason.map(|r| r.0),
        measured: reason.map_or(0.0, |r| r.1),
        limit: reason.map_or(0.0, |r| r.2),
    });
    true
}

/// After the delay: blue's set goes to 0 and green is the only environment.
fn retire_blue(w: &mut World, run: &BlueGreenRun) {
    let now = w.now_s;
    if let Some(state) = w.rollout.as_mut() {
        state.blue_green = None;
        state.complete = true;
        for s in state.sets.iter_mut() {
            if s.version == run.blue {
                s.replicas = 0;
            }
        }
        if let Some(i) = state.sets.iter().position(|s| s.version == run.version) {
            let s = state.sets.remove(i);
            state.sets.push(s);
        }
    }
    let (version, blue) = (w.version_name(run.version), w.version_name(run.blue));
    w.log(SimEvent::BlueGreenRetired {
        t_s: now,
        version,
        blue,
        after_s: now - run.started_s,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn green_takes_nothing_while_staged_and_everything_once_switched() {
        let mut run = BlueGreenRun {
            version: 1,
            blue: 0,
            started_s: 0.0,
            green_ready_s: None,
            switched_s: None,
            baseline: SideWindow::default(),
            window_started_s: 0.0,
            window: [SideWindow::default(); 2],
        };
        assert_eq!((run.weight(), run.idle_version()), (0.0, 1));
        run.switched_s = Some(60.0);
        assert_eq!((run.weight(), run.idle_version()), (1.0, 0));
    }

    #[test]
    fn the_defaults_are_argo_rollouts_own() {
        let s = BlueGreenSpec::default();
        assert_eq!(
            (s.promote_after_s, s.scale_down_delay_s, s.analysis),
            (0.0, 30.0, true)
        );
    }
}
