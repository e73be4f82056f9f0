//! Stage 1 (Inputs): applies one due input to the world. One exhaustive
//! dispatcher; every source of actions (a scenario's events, a learner, a
//! link, a question's setup) goes through the same rules:
//!
//! ```text
//!   input ─▶ ignored? (effect::why_ignored: a missing tier, pod or node; already so) ─▶ ActionIgnored
//!         └▶ a fault? begin the injection (a timed one queues its end) ─▶ the arm ─▶ holds ─▶ FaultInjected
//! ```
//!
//! Faults of one kind follow one rule, as a rollout does (a second bad release
//! replaces the first; a rollback returns to the last good version); see
//! [`super::injections`].

use super::action::{Action, ActionSource, LatencyTarget};
use super::anatomy::{Holds, Lifetime};
use super::queue::{Input, Target};
use crate::sim::consistency::PartitionFault;
use crate::sim::data::external::DownMode;
use crate::sim::events::{KillCause, ScaleLimit, Scaler, SimEvent};
use crate::sim::lifecycle::{kill_node, kill_pod, kill_zone, restore_zone};
use crate::sim::poisson::uniform01;
use crate::sim::topology::{NodeState, Pod, PodKind, PodState, NO_NODE};
use crate::sim::traffic::Profile;
use crate::sim::world::World;

/// What an arm did, for the log line that follows it.
enum Logged {
    /// Log the action as injected or done (`FaultInjected`).
    Done,
    /// The arm logged its own event (a consistency switch, a restore).
    Own,
}

/// Logs that `action` did nothing, and why.
pub(super) fn ignore(w: &mut World, action: Action, by: ActionSource, reason: String) {
    w.log(SimEvent::ActionIgnored {
        t_s: w.now_s,
        action,
        by,
        reason,
    });
}

/// Applies one input (stage 1).
pub fn apply_input(w: &mut World, input: Input) {
    let now = w.now_s;
    let Input {
        seq,
        action,
        by,
        target,
        ..
    } = input;
    // One rule for every kind and every source: an action aimed at what the
    // world lacks, or asking for what already is, changes nothing and says why.
    if let Some(reason) = super::effect::why_ignored(w, &action, target) {
        return ignore(w, action, by, reason);
    }
    // A fault injection gets an id to hold its targets by; a timed one queues
    // the restore that ends it.
    let lifetime = action.lifetime();
    let injection = match lifetime {
        Lifetime::Fault {
            kind, duration_s, ..
        } => Some(w.inputs.begin_injection(now, duration_s, kind, by)),
        Lifetime::Instant | Lifetime::SelfTimed { .. } => None,
    };
    let taken = match dispatch(w, &action, seq, by, target) {
        Some((Logged::Done, taken)) => taken,
        Some((Logged::Own, _)) => return,
        None => return,
    };
    if let (
        Some(id),
        Lifetime::Fault {
            holds: Holds::Shared(t),
            ..
        },
    ) = (injection, lifetime)
    {
        w.inputs.injections.hold(t, id);
    }
    if let (
        Some(id),
        Lifetime::Fault {
            holds: Holds::EachPod(fault),
            ..
        },
    ) = (injection, lifetime)
    {
        super::injections::hold_pods(w, id, &taken, fault);
    }
    w.log(SimEvent::FaultInjected {
        t_s: now,
        action,
        by,
    });
}

/// The arm of every action. Returns how it was logged and the pods it took
/// (for a fault set pod by pod); `None` when it ends the input itself.
fn dispatch(
    w: &mut World,
    action: &Action,
    seq: u64,
    by: ActionSource,
    target: Target,
) -> Option<(Logged, Vec<u64>)> {
    let now = w.now_s;
    let done = Some((Logged::Done, Vec::new()));
    let d = &mut w.data;
    match action {
        Action::KillPods { count, .. } => kill_some_pods(w, *count, target.zone()),
        Action::KillNode { .. } => kill_some_node(w, target.zone()),
        Action::KillPodId { pod } => {
            // `why_ignored` found it alive.
            if let Some(i) = w.pods.iter().position(|p| p.id == *pod) {
                kill_pod(w, i, KillCause::Fault);
            }
        }
        Action::KillNodeId { node } => {
            if let Some(n) = w.nodes.iter().position(|n| n.id == *node) {
                kill_node(w, n);
            }
        }
        Action::KillZone { .. } => {
            if let Some(z) = target.zone() {
                kill_zone(w, z);
            }
        }
        Action::RestoreZone { .. } => {
            if let Some(z) = target.zone() {
                restore_zone(w, z);
            }
        }
        Action::KillRegion { .. } | Action::RestoreRegion { .. } => {
            if let Target::Region(r) = target {
                let alive = matches!(action, Action::RestoreRegion { .. });
                set_region(w, r.0, alive);
            }
        }
        Action::InjectLatency { target, ms, .. } => match target {
            LatencyTarget::Service => w.faults.service_latency_ms = ms.max(0.0),
            LatencyTarget::CrossZone => w.faults.cross_zone_latency_ms = ms.max(0.0),
            LatencyTarget::CrossRegion => w.faults.cross_region_latency_ms = ms.max(0.0),
        },
        Action::CpuStress { fraction, pods, .. } => {
            let f = fraction.clamp(0.0, 1.0);
            return Some((Logged::Done, for_some_pods(w, *pods, |p| p.cpu_stress = f)));
        }
        Action::MemoryLeak {
            mib_per_s, pods, ..
        } => {
            let r = mib_per_s.max(0.0);
            return Some((
                Logged::Done,
                for_some_pods(w, *pods, |p| p.leak_mib_per_s = r),
            ));
        }
        Action::BadRelease {
            error_rate,
            extra_latency_ms,
            ..
        } => {
            w.faults.error_rate = error_rate.clamp(0.0, 1.0);
            w.faults.release_latency_ms = extra_latency_ms.max(0.0);
        }
        Action::Restore { fault } => {
            // The end of a timed injection, or a rollback asked for.
            let action = action.clone();
            match w.inputs.injections.take_timed(seq) {
                Some(id) => super::injections::end_injection(w, action, by, *fault, id),
                None => super::injections::roll_back(w, action, by, *fault),
            }
            return None;
        }
        Action::Spike {
            multiplier,
            ramp_up_s,
            hold_s,
            ramp_down_s,
        } => {
            // Spikes that are over are dropped; a flat profile never is.
            w.faults
                .spikes
                .retain(|s| s.spike_end_s().is_none_or(|end| end > now));
            w.faults.spikes.push(Profile::Spike {
                multiplier: *multiplier,
                start_s: now,
                ramp_up_s: *ramp_up_s,
                hold_s: *hold_s,
                ramp_down_s: *ramp_down_s,
            });
        }
        Action::SetMinReplicas { replicas } => {
            w.min_replicas = (*replicas).max(0).min(w.max_replicas);
            let held = (*replicas > w.max_replicas).then_some(w.max_replicas);
            bounds_changed(w, "minReplicas", *replicas, held, "above maxReplicas");
        }
        Action::SetMaxReplicas { replicas } => {
            w.max_replicas = (*replicas).max(w.min_replicas);
            let held = (*replicas < w.min_replicas).then_some(w.min_replicas);
            bounds_changed(w, "maxReplicas", *replicas, held, "below minReplicas");
        }
        Action::SetReplicas { replicas } => {
            let from = w.spec_replicas;
            w.spec_replicas = (*replicas).max(0);
            w.log(SimEvent::Scaled {
                t_s: now,
                from,
                to: w.spec_replicas,
                by: Scaler::Manual,
                utilization_pct: None,
                target_pct: None,
                limited_by: ScaleLimit::None,
            });
        }
        Action::SetPausePods { count } => w.pause_pods_wanted = *count,
        Action::Partition {
            minority_replicas,
            minority_clients,
            ..
        } => {
            if let Some(s) = d.store.as_mut() {
                s.set_partition(Some(PartitionFault {
                    minority_replicas: *minority_replicas,
                    minority_clients: minority_clients.clamp(0.0, 1.0),
                }));
            }
        }
        Action::PacketLoss { fraction, .. } => {
            if let Some(s) = d.store.as_mut() {
                s.set_packet_loss(fraction.clamp(0.0, 1.0));
            }
        }
        Action::ClockSkew { ms, .. } => {
            if let Some(s) = d.store.as_mut() {
                s.set_clock_skew_ms(ms.max(0.0));
            }
        }
        Action::SetConsistency { class, mode } => {
            crate::sim::tiers::faults::switch_consistency(w, *class, *mode);
            return Some((Logged::Own, Vec::new()));
        }
        Action::SetResolution { class, resolution } => {
            if let Some(s) = d.store.as_mut() {
                s.set_resolution(*class, *resolution);
            }
        }
        Action::CacheFlush => {
            if let Some(c) = d.cache.as_mut() {
                c.flush();
            }
        }
        Action::CacheDown { .. } => {
            if let Some(c) = d.cache.as_mut() {
                c.set_down(true);
            }
        }
        Action::SetCoalescing { on } => {
            if let Some(c) = d.cache.as_mut() {
                c.set_coalescing(*on);
            }
        }
        Action::FailPrimary { shard } => {
            if let Some(db) = d.database.as_mut() {
                db.fail_primary(*shard as usize, now);
            }
        }
        Action::ReplicaLagSpike {
            ms,
            duration_s,
            shard,
        } => {
            if let Some(db) = d.database.as_mut() {
                db.inject_lag_ms(*shard as usize, *ms, now + duration_s.max(0.0));
            }
        }
        Action::DiskFull { .. } => {
            if let Some(db) = d.database.as_mut() {
                db.disk_full(true);
            }
        }
        Action::AddReplica => {
            if let Some(db) = d.database.as_mut() {
                db.add_replica(now);
            }
        }
        Action::ResizeDatabase { workers } => {
            if let Some(db) = d.database.as_mut() {
                db.resize(now, (*workers).max(1));
            }
        }
        Action::SetHotKeyShare { share } => {
            if let Some(db) = d.database.as_mut() {
                db.set_hot_key_share(share.clamp(0.0, 1.0));
            }
        }
        Action::DnsFailure { .. } => {
            if let Some(g) = d.gslb.as_mut() {
                g.set_dns_failure(true, now);
            }
        }
        Action::StopConsumers { .. } => {
            if let Some(k) = d.kafka.as_mut() {
                k.stop_consumers();
            }
        }
        Action::DependencySlow {
            extra_ms,
            tail_factor,
            ..
        } => {
            if let Some(e) = d.external.as_mut() {
                e.set_slow(extra_ms.max(0.0), tail_factor.max(0.0));
            }
        }
        Action::DependencyErrors { error_rate, .. } => {
            if let Some(e) = d.external.as_mut() {
                e.set_error_rate(Some(error_rate.clamp(0.0, 1.0)));
            }
        }
        Action::DependencyDown { .. } => {
            if let Some(e) = d.external.as_mut() {
                e.set_down(Some(DownMode::Refuse));
            }
        }
        Action::CdnPurge => {
            if let Some(c) = d.cdn.as_mut() {
                c.purge();
            }
        }
        Action::SetClientRetries {
            edge,
            max_attempts,
            backoff,
            jitter,
            budget,
        } => {
            let policy =
                super::clients::policy_for(w, *edge, *max_attempts, *backoff, *jitter, *budget);
            super::clients::set_retries(w, *edge, policy);
        }
        Action::SetClientBreaker { edge, on } => super::clients::set_breaker(w, *edge, *on),
        Action::SetFeatureFlag { name, on } => {
            w.flags.set(name, *on);
        }
        Action::SetShedding { on } => super::shedding::set_shedding(w, *on),
        Action::Rollout { version } => {
            if let Some(v) = w.versions.iter().position(|x| x.name == *version) {
                crate::sim::rollout::controller::start(w, v as u8);
            }
        }
        Action::Canary { version } => {
            if let Some(v) = w.versions.iter().position(|x| x.name == *version) {
                crate::sim::rollout::canary::start(w, v as u8);
            }
        }
        Action::BlueGreen { version } => {
            if let Some(v) = w.versions.iter().position(|x| x.name == *version) {
                crate::sim::rollout::blue_green::start(w, v as u8);
            }
        }
        Action::SwitchBack => {
            crate::sim::rollout::blue_green::switch_back(w, None);
        }
        Action::RestorePrimary { shard } => {
            let now = w.now_s;
            if let Some(db) = w.data.database.as_mut() {
                db.restart_primary(*shard as usize, now);
            }
        }
        Action::RunExperiment { name } => {
            if let Some(spec) = crate::sim::chaos::run::spec_named(w, name) {
                crate::sim::chaos::run::start(w, spec);
            }
        }
        Action::AbortExperiment => {
            crate::sim::chaos::run::abort_by_hand(w);
        }
    }
    done
}

/// Logs the HPA's bounds after a change of `which` to `asked`; `held` is the
/// value it was held at when `asked` crossed the other bound (`crossing` says how).
fn bounds_changed(w: &mut World, which: &str, asked: i32, held: Option<i32>, crossing: &str) {
    let (min_replicas, max_replicas) = (w.effective_min_replicas(), w.max_replicas);
    let reason = match held {
        // Scenario files are refused at load; a learner's live change lands here.
        Some(v) => format!("{which} {asked} asked, {crossing}: held at {v}"),
        None => format!("scheduled change of {which}"),
    };
    w.log(SimEvent::BoundsChanged {
        t_s: w.now_s,
        min_replicas,
        max_replicas,
        reason,
    });
}

/// Kills or restores region `r`: the GSLB hears of it, and each of its zones follows.
fn set_region(w: &mut World, r: u16, alive: bool) {
    crate::sim::tiers::faults::region_health(w, r, alive);
    w.regions[r as usize].alive = alive;
    for z in 0..w.zones.len() {
        if w.zones[z].region == r {
            if alive {
                restore_zone(w, z as u16);
            } else {
                kill_zone(w, z as u16);
            }
        }
    }
}

/// A seeded pick of one of `n` items.
fn pick(w: &mut World, n: usize) -> usize {
    ((uniform01(&mut w.rng) * n as f64) as usize).min(n.saturating_sub(1))
}

/// Kills `count` live app pods picked with the RNG, only in `zone` when set.
fn kill_some_pods(w: &mut World, count: u32, zone: Option<u16>) {
    let ok = |p: &Pod| {
        p.kind == PodKind::App
            && p.state != PodState::Dead
            && p.state != PodState::Draining
            && zone.is_none_or(|z| p.zone == z && p.node != NO_NODE)
    };
    for _ in 0..count {
        let n = w.pods.iter().filter(|p| ok(p)).count();
        if n == 0 {
            break;
        }
        let k = pick(w, n);
        let nth = w
            .pods
            .iter()
            .enumerate()
            .filter(|(_, p)| ok(p))
            .nth(k)
            .map(|(i, _)| i);
        if let Some(i) = nth {
            kill_pod(w, i, KillCause::Fault);
        }
    }
}

/// Kills one ready node picked with the RNG, only in `zone` when set.
fn kill_some_node(w: &mut World, zone: Option<u16>) {
    let ok = |n: &&crate::sim::topology::Node| {
        n.state == NodeState::Ready && zone.is_none_or(|z| n.zone == z)
    };
    let count = w.nodes.iter().filter(ok).count();
    if count > 0 {
        let k = pick(w, count);
        let nth = w
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| ok(n))
            .nth(k)
            .map(|(i, _)| i);
        if let Some(ni) = nth {
            kill_node(w, ni);
        }
    }
}

/// Applies `f` to `count` live app pods picked with the RNG (all when `None`);
/// returns the ids of the pods it took.
fn for_some_pods(w: &mut World, count: Option<u32>, f: impl Fn(&mut Pod)) -> Vec<u64> {
    let ok = |p: &Pod| p.is_live_app();
    let mut taken = Vec::new();
    match count {
        None => {
            for p in w.pods.iter_mut().filter(|p| ok(p)) {
                f(p);
                taken.push(p.id);
            }
        }
        Some(c) => {
            let n = w.pods.iter().filter(|p| ok(p)).count();
            let c = (c as usize).min(n);
            // A seeded choice of c of n: walk and take each with probability needed/left.
            let mut needed = c;
            let mut left = n;
            for i in 0..w.pods.len() {
                if needed == 0 {
                    break;
                }
                if !ok(&w.pods[i]) {
                    continue;
                }
                if uniform01(&mut w.rng) * (left as f64) < needed as f64 {
                    f(&mut w.pods[i]);
                    taken.push(w.pods[i].id);
                    needed -= 1;
                }
                left -= 1;
            }
        }
    }
    taken
}
