//! How a fault ends. Faults of one kind follow one rule, as a rollout does (a
//! second bad release replaces the first; a rollback returns to the last good
//! version):
//!
//! ```text
//!   inject     the latest injection on a target (the release, a latency target, a pod,
//!              a data-tier fault, one of the dependency's faults) replaces what was there
//!   timed end  clears only the targets the injection still holds; one replaced or
//!              rolled back ends nothing, and the log says why
//!   restore    rolls the kind back: every target of it is cleared; with none in force,
//!              nothing happens and the log says so ("no bad release is in force")
//! ```

use super::action::{Action, ActionSource, FaultKind};
use super::anatomy::{FaultTarget, PodFault};
use super::apply::ignore;
use crate::sim::events::SimEvent;
use crate::sim::topology::PodState;
use crate::sim::world::World;

/// Injection `id` takes the pods `taken` with `fault`; holds on pods that are
/// gone are dropped first.
pub(super) fn hold_pods(w: &mut World, id: u64, taken: &[u64], fault: PodFault) {
    let pods = &w.pods;
    let inj = &mut w.inputs.injections;
    inj.holds
        .retain(|(t, _)| t.pod().is_none_or(|pod| pods.iter().any(|p| p.id == pod)));
    for &pod in taken {
        inj.hold(fault.on(pod), id);
    }
}

/// Whether a fault of `kind` (any, for `All`) is in force: a target held (a
/// pod's only while the pod lives), or a replica lag spike not over yet.
pub(super) fn in_force(w: &World, kind: FaultKind) -> bool {
    let all = kind == FaultKind::All;
    let held = w.inputs.injections.holds.iter().any(|(t, _)| {
        (all || t.kind() == kind)
            && t.pod().is_none_or(|pod| {
                w.pods
                    .iter()
                    .any(|p| p.id == pod && p.state != PodState::Dead)
            })
    });
    let lag = (all || kind == FaultKind::ReplicaLag)
        && w.data.database.as_ref().is_some_and(|db| {
            db.shards
                .iter()
                .any(|s| s.lag_spike_ms > 0.0 && s.lag_spike_until_s > w.now_s)
        });
    held || lag
}

/// A timed injection `id` of `fault` ends: it clears the targets it still
/// holds; one replaced or rolled back since clears nothing, and says why.
pub(super) fn end_injection(
    w: &mut World,
    action: Action,
    by: ActionSource,
    fault: FaultKind,
    id: u64,
) {
    let mut ended = false;
    let mut k = 0;
    while k < w.inputs.injections.holds.len() {
        let (target, holder) = w.inputs.injections.holds[k];
        if holder == id {
            w.inputs.injections.holds.remove(k);
            clear_target(w, target);
            ended = true;
        } else {
            k += 1;
        }
    }
    if ended {
        w.log(SimEvent::FaultCleared {
            t_s: w.now_s,
            fault,
        });
        return;
    }
    let what = fault.noun();
    let reason = if in_force(w, fault) {
        format!("the {what} it ends was replaced by a later one, which stays in force")
    } else {
        format!("the {what} it ends is no longer in force")
    };
    ignore(w, action, by, reason);
}

/// A restore asked for: every target of `fault` is cleared (a rollback to the
/// last good state); with none in force nothing happens, and the log says so.
/// Each target is cleared by [`clear_target`], the one exhaustive list of what
/// ending a fault restores; a replica lag spike (its own clock) ends early.
pub(super) fn roll_back(w: &mut World, action: Action, by: ActionSource, fault: FaultKind) {
    if !in_force(w, fault) {
        let reason = format!("no {} is in force", fault.noun());
        return ignore(w, action, by, reason);
    }
    let all = fault == FaultKind::All;
    let mut k = 0;
    while k < w.inputs.injections.holds.len() {
        let (target, _) = w.inputs.injections.holds[k];
        if all || target.kind() == fault {
            w.inputs.injections.holds.remove(k);
            clear_target(w, target);
        } else {
            k += 1;
        }
    }
    if all || fault == FaultKind::ReplicaLag {
        crate::sim::tiers::faults::end_lag_spikes(w);
    }
    w.log(SimEvent::FaultCleared {
        t_s: w.now_s,
        fault,
    });
}

/// Clears one fault target (its hold already dropped). The external
/// dependency heals whole once none of its faults is held any more.
fn clear_target(w: &mut World, target: FaultTarget) {
    let now = w.now_s;
    let dependency_held = w
        .inputs
        .injections
        .holds
        .iter()
        .any(|(t, _)| t.kind() == FaultKind::Dependency);
    let d = &mut w.data;
    match target {
        FaultTarget::ServiceLatency => w.faults.service_latency_ms = 0.0,
        FaultTarget::CrossZoneLatency => w.faults.cross_zone_latency_ms = 0.0,
        FaultTarget::CrossRegionLatency => w.faults.cross_region_latency_ms = 0.0,
        FaultTarget::Release => {
            w.faults.error_rate = 0.0;
            w.faults.release_latency_ms = 0.0;
        }
        FaultTarget::CpuStress(pod) => {
            if let Some(p) = w.pods.iter_mut().find(|p| p.id == pod) {
                p.cpu_stress = 0.0;
            }
        }
        FaultTarget::MemoryLeak(pod) => {
            if let Some(p) = w.pods.iter_mut().find(|p| p.id == pod) {
                p.leak_mib_per_s = 0.0;
            }
        }
        FaultTarget::Partition => {
            if let Some(s) = d.store.as_mut() {
                s.set_partition(None);
            }
        }
        FaultTarget::PacketLoss => {
            if let Some(s) = d.store.as_mut() {
                s.set_packet_loss(0.0);
            }
        }
        FaultTarget::ClockSkew => {
            if let Some(s) = d.store.as_mut() {
                s.set_clock_skew_ms(0.0);
            }
        }
        FaultTarget::CacheDown => {
            if let Some(c) = d.cache.as_mut().filter(|c| c.down) {
                c.set_down(false);
            }
        }
        FaultTarget::DnsFailure => {
            if let Some(g) = d.gslb.as_mut() {
                g.set_dns_failure(false, now);
            }
        }
        FaultTarget::ConsumersStopped => {
            if let Some(k) = d.kafka.as_mut().filter(|k| k.consumers_stopped()) {
                k.restart_consumers(now);
            }
        }
        FaultTarget::DiskFull => {
            if let Some(db) = d.database.as_mut() {
                db.disk_full(false);
            }
        }
        FaultTarget::DependencySlow => clear_dependency(d, dependency_held, |e| {
            e.set_slow(0.0, 1.0);
        }),
        FaultTarget::DependencyErrors => {
            clear_dependency(d, dependency_held, |e| e.set_error_rate(None));
        }
        FaultTarget::DependencyDown => clear_dependency(d, dependency_held, |e| e.set_down(None)),
    }
}

/// Clears one fault of the external dependency with `clear`, or heals it
/// whole when no other fault of it is held (`others_held` false).
fn clear_dependency(
    d: &mut crate::sim::tiers::DataTier,
    others_held: bool,
    clear: fn(&mut crate::sim::data::external::ExternalDependency),
) {
    if let Some(e) = d.external.as_mut() {
        if others_held {
            clear(e);
        } else {
            e.heal();
        }
    }
}
