//! Will a learner's action show? Two rules, one place:
//!
//! ```text
//!   redundant(world, action)         the world is already so: the engine ignores it
//!                                    and logs why ("zone b is already down")
//!   no_visible_effect(world, action) redundant, or applied but nothing on screen
//!                                    will move ("replicas are at maxReplicas 20")
//! ```
//!
//! The page says the second in words tied to what to change; the engine uses
//! the first in stage 1 (Inputs) for every source of actions alike.

use super::actions::{mode_words, Action};
use super::tiers::faults::consistency_unchanged;
use super::world::World;

/// Why `action` would change nothing because the world is already in the
/// state it asks for, or lacks the tier it acts on; None when it would change something (or names a zone
/// or region the world lacks, which the queue refuses before this).
pub fn redundant(w: &World, action: &Action) -> Option<String> {
    if let Some(why) = crate::scenario::missing_tier(action, &w.scenario) {
        return Some(why);
    }
    let zone = |name: &str| w.zones.iter().find(|z| z.name == name);
    let region = |name: &str| w.regions.iter().find(|r| r.name == name);
    match action {
        Action::KillZone { zone: name } => zone(name)
            .filter(|z| !z.alive)
            .map(|_| format!("zone {name} is already down")),
        Action::RestoreZone { zone: name } => {
            let z = zone(name)?;
            let r = &w.regions[z.region as usize];
            if z.alive {
                Some(format!("zone {name} is already up"))
            } else if !r.alive {
                Some(format!(
                    "its region {} is down: restore the region first",
                    r.name
                ))
            } else {
                None
            }
        }
        Action::KillRegion { region: name } => region(name)
            .filter(|r| !r.alive)
            .map(|_| format!("region {name} is already down")),
        Action::RestoreRegion { region: name } => region(name)
            .filter(|r| r.alive)
            .map(|_| format!("region {name} is already up")),
        Action::SetConsistency { class, mode } => consistency_unchanged(w, *class, *mode),
        Action::KillPods { .. }
        | Action::KillNode { .. }
        | Action::KillPodId { .. }
        | Action::KillNodeId { .. }
        | Action::InjectLatency { .. }
        | Action::CpuStress { .. }
        | Action::MemoryLeak { .. }
        | Action::BadRelease { .. }
        | Action::Restore { .. }
        | Action::Spike { .. }
        | Action::SetMinReplicas { .. }
        | Action::SetMaxReplicas { .. }
        | Action::SetReplicas { .. }
        | Action::SetPausePods { .. }
        | Action::Partition { .. }
        | Action::PacketLoss { .. }
        | Action::CacheFlush
        | Action::CacheDown { .. }
        | Action::SetCoalescing { .. }
        | Action::FailPrimary { .. }
        | Action::ReplicaLagSpike { .. }
        | Action::ClockSkew { .. }
        | Action::DnsFailure { .. }
        | Action::StopConsumers { .. }
        | Action::DiskFull { .. }
        | Action::DependencySlow { .. }
        | Action::DependencyErrors { .. }
        | Action::DependencyDown { .. }
        | Action::CdnPurge
        | Action::AddReplica
        | Action::ResizeDatabase { .. }
        | Action::SetHotKeyShare { .. }
        | Action::SetResolution { .. } => None,
    }
}

/// Why the learner will see nothing move after `action`, in words that say
/// what to change; None when the action visibly changes the run.
pub fn no_visible_effect(w: &World, action: &Action) -> Option<String> {
    if let Some(why) = redundant(w, action) {
        return Some(format!("Nothing to do: {why}."));
    }
    match action {
        Action::Spike { multiplier, .. } => {
            if w.scenario.hpa.is_none() {
                return Some(format!(
                    "This scenario has no HPA, so the {multiplier}\u{d7} spike adds no pods: \
                     watch the latency and error charts instead."
                ));
            }
            (w.spec_replicas >= w.max_replicas).then(|| {
                format!(
                    "Replicas are already at maxReplicas {}, so the HPA cannot add pods for this \
                     spike: it shows only as latency and errors. Raise \u{201c}HPA max replicas\u{201d} \
                     in Scenario knobs to watch the HPA scale.",
                    w.max_replicas
                )
            })
        }
        Action::SetConsistency { mode, .. } if w.data.store.is_none() => Some(format!(
            "This scenario has no replicated store, so switching to {} changes nothing.",
            mode_words(*mode)
        )),
        _ => None,
    }
}
