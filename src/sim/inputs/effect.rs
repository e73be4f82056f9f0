//! Will an action change anything? One rule, whatever its kind or source:
//!
//! ```text
//!   why_ignored(world, action, target)  the world lacks what it aims at (a tier, a pod,
//!                                       a node) or is already so: the engine logs it as
//!                                       ignored, with this reason ("zone b is already down")
//!   redundant(world, action)            the same, before the action is queued (names unresolved)
//!   no_visible_effect(world, action)    redundant, or applied but nothing on screen will
//!                                       move ("replicas are at maxReplicas 20")
//! ```
//!
//! The page says the last in words tied to what to change; the engine uses the
//! first in stage 1 (Inputs) for every source of actions alike.

use super::action::Action;
use super::clients;
use super::queue::{resolve, Target};
use crate::scenario::Scenario;
use crate::sim::tiers::faults::consistency_unchanged;
use crate::sim::topology::{NodeState, PodKind, PodState};
use crate::sim::world::World;

/// Why `action`, aimed at `target`, changes nothing: the tier it acts on is
/// not in the scenario, the pod or node it names is gone, or the world is
/// already as it asks. `None` when it changes something.
pub fn why_ignored(w: &World, action: &Action, target: Target) -> Option<String> {
    missing_tier(action, &w.scenario)
        .or_else(|| missing_target(w, target))
        .or_else(|| already_so(w, action, target))
}

/// [`why_ignored`] for an action not queued yet; `None` also when it names a
/// zone or region the world lacks (the queue refuses those with the names
/// there are).
pub fn redundant(w: &World, action: &Action) -> Option<String> {
    let target = resolve(action.anatomy().aim, &w.zones, &w.regions).ok()?;
    why_ignored(w, action, target)
}

/// Why `action` changes nothing in scenario `s` because the tier it acts on is
/// absent ("… acts on the cache, and this scenario has none (no [cache] table)");
/// `None` when the tier is there or every scenario has it.
pub fn missing_tier(action: &Action, s: &Scenario) -> Option<String> {
    let tier = action.anatomy().tier?;
    (!tier.in_scenario(s)).then(|| {
        format!(
            "\u{201c}{}\u{201d} acts on the {}, and this scenario has none (no {} table), so it would change nothing",
            action.name(),
            tier.words(),
            tier.table()
        )
    })
}

/// Why the pod or node `target` names cannot be acted on now.
fn missing_target(w: &World, target: Target) -> Option<String> {
    match target {
        Target::Pod(pod) => match w.pods.iter().find(|p| p.id == pod) {
            None => Some(format!("pod {pod} no longer exists")),
            Some(p) if p.kind == PodKind::Pause => {
                Some(format!("pod {pod} is a pause pod (a placeholder)"))
            }
            Some(p) if p.state == PodState::Dead => Some(format!("pod {pod} is already dead")),
            Some(_) => None,
        },
        Target::Node(node) => match w.nodes.iter().find(|n| n.id == node).map(|n| n.state) {
            None => Some(format!("node {node} no longer exists")),
            Some(NodeState::Dead) => Some(format!("node {node} is already dead")),
            Some(NodeState::Provisioning) => {
                Some(format!("node {node} is still being provisioned"))
            }
            Some(NodeState::Ready) => None,
        },
        Target::Anywhere | Target::Zone(_) | Target::Region(_) | Target::Shard(_) => None,
    }
}

/// Why `action` asks for what already is ("zone b is already down").
fn already_so(w: &World, action: &Action, target: Target) -> Option<String> {
    let zone = || match target {
        Target::Zone(z) => w.zones.get(z.0 as usize),
        Target::Anywhere
        | Target::Region(_)
        | Target::Shard(_)
        | Target::Pod(_)
        | Target::Node(_) => None,
    };
    let region = || match target {
        Target::Region(r) => w.regions.get(r.0 as usize),
        Target::Anywhere
        | Target::Zone(_)
        | Target::Shard(_)
        | Target::Pod(_)
        | Target::Node(_) => None,
    };
    match action {
        Action::KillZone { zone: name } => zone()
            .filter(|z| !z.alive)
            .map(|_| format!("zone {name} is already down")),
        Action::RestoreZone { zone: name } => {
            let z = zone()?;
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
        Action::KillRegion { region: name } => region()
            .filter(|r| !r.alive)
            .map(|_| format!("region {name} is already down")),
        Action::RestoreRegion { region: name } => region()
            .filter(|r| r.alive)
            .map(|_| format!("region {name} is already up")),
        Action::SetConsistency { class, mode } => consistency_unchanged(w, *class, *mode),
        Action::SetClientRetries {
            edge,
            max_attempts,
            backoff,
            jitter,
            budget,
        } => {
            let policy = clients::policy_for(w, *edge, *max_attempts, *backoff, *jitter, *budget);
            clients::retries_unchanged(w, *edge, &policy)
        }
        Action::SetClientBreaker { edge, on } => clients::breaker_unchanged(w, *edge, *on),
        Action::SetFeatureFlag { name, on } => match w.flags.get(name) {
            None => Some(format!(
                "the scenario has no feature flag \u{201c}{name}\u{201d}"
            )),
            Some(f) if f.on == *on => Some(format!(
                "feature flag {name} is already {}",
                if *on { "on" } else { "off" }
            )),
            Some(_) => None,
        },
        Action::SetShedding { on } => super::shedding::shedding_unchanged(w, *on),
        Action::Rollout { version } => match w.versions.iter().position(|x| x.name == *version) {
            None => Some(format!(
                "the scenario has no version \u{201c}{version}\u{201d}"
            )),
            Some(v)
                if v as u8 == crate::sim::rollout::controller::current_version(w)
                    && w.rollout.as_ref().is_none_or(|r| r.complete) =>
            {
                Some(format!("the pods already run {version}"))
            }
            Some(_) => None,
        },
        Action::Canary { version } | Action::BlueGreen { version } => release_busy(w, version),
        Action::RestorePrimary { shard } => match w.data.database.as_ref() {
            None => Some("the scenario has no database".to_string()),
            Some(db) if !db.primary_failed(*shard as usize) => {
                Some(format!("the primary of shard {shard} is up"))
            }
            Some(_) => None,
        },
        Action::RunExperiment { name } => {
            if w.experiment.as_ref().is_some_and(|e| e.is_running()) {
                Some("an experiment is already running: abort it or let it end".to_string())
            } else if crate::sim::chaos::run::spec_named(w, name).is_none() {
                let mut names: Vec<&str> = w
                    .scenario
                    .experiments
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect();
                names.extend(crate::sim::chaos::presets::PRESETS);
                Some(format!(
                    "there is no experiment \u{201c}{name}\u{201d}; the experiments are {}",
                    names.join(", ")
                ))
            } else {
                None
            }
        }
        Action::AbortExperiment => match w.experiment.as_ref() {
            Some(e) if e.is_running() => None,
            Some(_) | None => Some("no experiment is running".to_string()),
        },
        Action::SwitchBack => match w.rollout.as_ref().and_then(|r| r.blue_green) {
            None => Some("no blue-green release is running".to_string()),
            Some(_) => None,
        },
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
    let Action::Spike { multiplier, .. } = action else {
        return None;
    };
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

/// Why a canary or blue-green release of `version` cannot start now: no such version,
/// another release under way, or the pods already run it.
fn release_busy(w: &World, version: &str) -> Option<String> {
    let Some(v) = w.versions.iter().position(|x| x.name == version) else {
        return Some(format!(
            "the scenario has no version \u{201c}{version}\u{201d}"
        ));
    };
    let state = w.rollout.as_ref();
    if let Some(c) = state.and_then(|r| r.canary.as_ref()) {
        return Some(format!(
            "a canary of {} is already running: it ends when it is promoted or rolled back",
            w.version_name(c.version)
        ));
    }
    if let Some(b) = state.and_then(|r| r.blue_green.as_ref()) {
        return Some(format!(
            "a blue-green release of {} is running: it ends when blue is retired or traffic switches back",
            w.version_name(b.version)
        ));
    }
    let current = crate::sim::rollout::controller::current_version(w);
    if state.is_some_and(|r| !r.complete) {
        return Some(format!(
            "a rolling update to {} is under way: a new release starts once every pod runs one version",
            w.version_name(current)
        ));
    }
    (v as u8 == current).then(|| format!("the pods already run {version}"))
}
