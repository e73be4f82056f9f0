//! The Deployment controller in the World: a rollout starts a ReplicaSet for a version,
//! each tick one [`rolling::sync`](super::rolling::sync) moves the sets' replicas, and
//! each set's pods follow its spec (docs/models.md#rolling-update).
//!
//! ```text
//!   rollout { version } ─▶ start: the version's set moves last (a rollback reuses it)
//!   stage 8, every tick ─▶ available per version (ready ≥ min_ready_s)
//!                       ─▶ sync: new set up within maxSurge, old down within maxUnavailable
//!                       ─▶ per set: create pods of its version / delete its worst pods
//! ```

use super::{resolve_fenceposts, ReplicaSet, RolloutState, SyncStep, MAX_VERSIONS};
use crate::sim::events::SimEvent;
use crate::sim::topology::PodKind;
use crate::sim::world::World;

/// Starts a rollout to version `v` (an index into `w.versions`): the set of that version
/// (new, or an older one a rollback returns to) becomes the one rolled to, with its
/// replicas as they are; the others are scaled down as its pods become available.
pub fn start(w: &mut World, v: u8) {
    let now = w.now_s;
    let from = current_version(w);
    let desired = w.spec_replicas.max(0);
    let state = w
        .rollout
        .get_or_insert_with(|| RolloutState::single(desired, now));
    // A canary or a blue-green release under way ends: its set is one of the sets the
    // update scales down.
    state.canary = None;
    state.blue_green = None;
    let set = match state.sets.iter().position(|s| s.version == v) {
        Some(i) => state.sets.remove(i),
        None => ReplicaSet {
            version: v,
            replicas: 0,
            available: 0,
        },
    };
    state.sets.push(set);
    state.started_s = now;
    state.complete = false;
    let d = &w.scenario.deployment;
    let (surge, unavailable) = resolve_fenceposts(d.max_surge, d.max_unavailable, desired);
    let (version, from) = (w.version_name(v), w.version_name(from));
    w.log(SimEvent::RolloutStarted {
        t_s: now,
        version,
        from,
        max_surge: surge,
        max_unavailable: unavailable,
    });
}

/// The version new pods get: the set rolled to, or the starting version before any
/// rollout.
pub fn current_version(w: &World) -> u8 {
    w.rollout
        .as_ref()
        .and_then(|r| r.sets.last())
        .map_or(0, |s| s.version)
}

/// Stage 8 during and after a rollout: one sync of the rolling update, then each set's
/// pods follow its spec. No allocation: the counts per version sit on the stack.
pub fn reconcile(w: &mut World) {
    if super::canary::reconcile(w) || super::blue_green::reconcile(w) {
        return;
    }
    let Some(state) = w.rollout.as_mut() else {
        return;
    };
    let now = w.now_s;
    let min_ready = w.scenario.deployment.min_ready_s;
    let (mut live, mut available) = ([0i32; MAX_VERSIONS], [0i32; MAX_VERSIONS]);
    for (p, t) in w.pods.iter().zip(&w.pod_times) {
        if p.kind != PodKind::App || !p.is_live_app() {
            continue;
        }
        let v = usize::from(p.version).min(MAX_VERSIONS - 1);
        live[v] += 1;
        let ready_for = t.last_ready_transition_s.map_or(0.0, |s| now - s);
        if p.state.is_ready() && ready_for >= min_ready {
            available[v] += 1;
        }
    }
    for s in state.sets.iter_mut() {
        s.available = available[usize::from(s.version).min(MAX_VERSIONS - 1)];
    }
    let desired = w.spec_replicas.max(0);
    let d = &w.scenario.deployment;
    let (surge, unavailable) = resolve_fenceposts(d.max_surge, d.max_unavailable, desired);
    let last_desired = std::mem::replace(&mut state.desired, desired);
    let Some((new, old)) = state.sets.split_last_mut() else {
        return;
    };
    // The HPA moved the Deployment mid-rollout: every set takes its share.
    let scaling_event =
        last_desired != desired && !state.complete && old.iter().any(|s| s.replicas > 0);
    let step = if scaling_event && super::scale_proportionally(desired, surge, new, old) != 0 {
        SyncStep::ScaledUp(new.replicas)
    } else {
        super::rolling::sync(desired, surge, unavailable, new, old)
    };
    let done = step == SyncStep::Waiting
        && old.iter().all(|s| s.replicas == 0)
        && new.replicas == desired
        && new.available >= desired;
    let mut finished = None;
    if done && !state.complete {
        state.complete = true;
        finished = Some((new.version, now - state.started_s));
    }
    follow_sets(w, &live);
    if let Some((v, after_s)) = finished {
        let version = w.version_name(v);
        w.log(SimEvent::RolloutComplete {
            t_s: now,
            version,
            after_s,
        });
    }
}

/// Each ReplicaSet's pods follow its spec: pods of its version are created up to its
/// replicas, or its worst ones deleted down to them. `live` counts the live app pods
/// per version, as the caller found them this tick.
pub fn follow_sets(w: &mut World, live: &[i32; MAX_VERSIONS]) {
    let sets = w.rollout.as_ref().map_or(0, |r| r.sets.len());
    for i in 0..sets {
        let Some(s) = w.rollout.as_ref().and_then(|r| r.sets.get(i).copied()) else {
            break;
        };
        let have = live[usize::from(s.version).min(MAX_VERSIONS - 1)];
        if have < s.replicas {
            for _ in have..s.replicas {
                w.create_pod_of(PodKind::App, s.version);
            }
            w.schedule_dirty = true;
        } else if have > s.replicas {
            crate::sim::lifecycle::delete_worst(w, (have - s.replicas) as usize, Some(s.version));
        }
    }
}
