//! One check for every action, wherever it comes from (a scenario's `[[events]]`, a
//! learner's button, a shared link, a question's setup): each number within its range
//! ([`super::ranges`], keys `events[].action.*`), and each name it refers to (a zone, a
//! region, a database shard, a cache or database the scenario has) resolved, with the
//! valid names in the refusal.

use super::ranges;
use super::Scenario;
use crate::sim::actions::Action;

/// Checks `action` against scenario `s`. `prefix` is where the action is
/// (`events[2].action`, or `action` for a learner's); errors are (field path, message).
pub fn check_action(action: &Action, s: &Scenario, prefix: &str) -> Result<(), (String, String)> {
    // The range keys are `events[].action.*` wherever the action comes from.
    for found in super::numbers::numbers_of(action, "events[0].action") {
        ranges::check(&found).map_err(|e| {
            let field = e.path.replacen("events[0].action", prefix, 1);
            (field, e.message)
        })?;
    }
    let field = |name: &str| format!("{prefix}.{name}");
    let zone = |z: &str| -> Result<(), (String, String)> {
        let zones: Vec<&str> = s
            .topology
            .regions
            .iter()
            .flat_map(|r| r.zones.iter().map(String::as_str))
            .collect();
        if zones.contains(&z) {
            Ok(())
        } else {
            Err((
                field("zone"),
                format!(
                    "there is no zone \u{201c}{z}\u{201d} in this scenario; its zones are {}",
                    zones.join(", ")
                ),
            ))
        }
    };
    let region = |r: &str| -> Result<(), (String, String)> {
        let regions: Vec<&str> = s.topology.regions.iter().map(|r| r.name.as_str()).collect();
        if regions.contains(&r) {
            Ok(())
        } else {
            Err((
                field("region"),
                format!(
                    "there is no region \u{201c}{r}\u{201d} in this scenario; its regions are {}",
                    regions.join(", ")
                ),
            ))
        }
    };
    let shard = |n: u32| -> Result<(), (String, String)> {
        let shards = s.database.as_ref().map(|d| d.sharding.shards).unwrap_or(1);
        if n < shards {
            Ok(())
        } else {
            Err((
                field("shard"),
                format!(
                    "there is no shard {n}: the database has {shards} shard{} (0 to {})",
                    if shards == 1 { "" } else { "s" },
                    shards.saturating_sub(1)
                ),
            ))
        }
    };
    match action {
        Action::KillPods { zone: Some(z), .. } | Action::KillNode { zone: Some(z) } => zone(z),
        Action::KillZone { zone: z } | Action::RestoreZone { zone: z } => zone(z),
        Action::KillRegion { region: r } | Action::RestoreRegion { region: r } => region(r),
        Action::FailPrimary { shard: n } | Action::ReplicaLagSpike { shard: n, .. } => shard(*n),
        // As `hpa.minReplicas`: the HPA never scales to zero (HPAScaleToZero is
        // not modelled), so a minimum of 0 would leave the service without pods.
        Action::SetMinReplicas { replicas } | Action::SetMaxReplicas { replicas }
            if *replicas < 1 =>
        {
            Err((
                field("replicas"),
                format!(
                    "is {replicas}; the HPA's bounds are at least 1 pod (scale to zero, the HPAScaleToZero feature gate, is not modelled)"
                ),
            ))
        }
        Action::SetMinReplicas { replicas }
        | Action::SetMaxReplicas { replicas }
        | Action::SetReplicas { replicas } => {
            if *replicas < 0 {
                Err((field("replicas"), format!("must be ≥ 0, got {replicas}")))
            } else {
                Ok(())
            }
        }
        Action::KillPods { zone: None, .. }
        | Action::KillNode { zone: None }
        | Action::KillPodId { .. }
        | Action::KillNodeId { .. }
        | Action::InjectLatency { .. }
        | Action::CpuStress { .. }
        | Action::MemoryLeak { .. }
        | Action::BadRelease { .. }
        | Action::Restore { .. }
        | Action::Spike { .. }
        | Action::SetPausePods { .. }
        | Action::Partition { .. }
        | Action::PacketLoss { .. }
        | Action::CacheFlush
        | Action::CacheDown { .. }
        | Action::SetCoalescing { .. }
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
        | Action::SetConsistency { .. }
        | Action::SetResolution { .. } => Ok(()),
    }
}

/// The whole check for an action from outside (a file, a link, an answer):
/// [`check_action`], then [`check_tier`].
pub fn check_input_action(
    action: &Action,
    s: &Scenario,
    prefix: &str,
) -> Result<(), (String, String)> {
    check_action(action, s, prefix).and_then(|()| check_tier(action, s, prefix))
}

/// Checks that the tier `action` acts on is in scenario `s`: an input from a file,
/// a link or an answer that would change nothing is refused (the engine, given
/// one anyway, logs it as ignored: [`missing_tier`]). Errors: (`{prefix}.kind`,
/// message).
pub fn check_tier(action: &Action, s: &Scenario, prefix: &str) -> Result<(), (String, String)> {
    match missing_tier(action, s) {
        Some(why) => Err((format!("{prefix}.kind"), why)),
        None => Ok(()),
    }
}

/// Why `action` changes nothing in scenario `s` because the tier it acts on is
/// absent ("… acts on the cache, and this scenario has none (no [cache] table)");
/// `None` when the tier is there or every scenario has it.
pub fn missing_tier(action: &Action, s: &Scenario) -> Option<String> {
    let (tier, table, present) = tier_needed(action, s)?;
    (!present).then(|| {
        format!(
            "\u{201c}{}\u{201d} acts on the {tier}, and this scenario has none (no {table} table), so it would change nothing",
            action.name()
        )
    })
}

/// The tier `action` acts on, as (what it is, the scenario table that adds it,
/// whether `s` has it); `None` for actions on the service, its pods, nodes,
/// zones and traffic, which every scenario has.
fn tier_needed(action: &Action, s: &Scenario) -> Option<(&'static str, &'static str, bool)> {
    let store = ("replicated store", "[consistency]", s.consistency.is_some());
    let cache = ("cache", "[cache]", s.cache.is_some());
    let database = ("database", "[database]", s.database.is_some());
    match action {
        Action::Partition { .. }
        | Action::PacketLoss { .. }
        | Action::ClockSkew { .. }
        | Action::SetConsistency { .. }
        | Action::SetResolution { .. } => Some(store),
        Action::CacheFlush | Action::CacheDown { .. } | Action::SetCoalescing { .. } => Some(cache),
        Action::FailPrimary { .. }
        | Action::ReplicaLagSpike { .. }
        | Action::DiskFull { .. }
        | Action::AddReplica
        | Action::ResizeDatabase { .. }
        | Action::SetHotKeyShare { .. } => Some(database),
        Action::DnsFailure { .. } => Some(("global load balancer", "[gslb]", s.gslb.is_some())),
        Action::SetMinReplicas { .. } | Action::SetMaxReplicas { .. } => {
            Some(("HorizontalPodAutoscaler", "[hpa]", s.hpa.is_some()))
        }
        Action::StopConsumers { .. } => {
            Some(("Kafka consumer group", "[kafka]", s.kafka.is_some()))
        }
        Action::DependencySlow { .. }
        | Action::DependencyErrors { .. }
        | Action::DependencyDown { .. } => {
            Some(("external dependency", "[external]", s.external.is_some()))
        }
        Action::CdnPurge => Some(("CDN", "[cdn]", s.cdn.is_some())),
        Action::KillPods { .. }
        | Action::KillNode { .. }
        | Action::KillPodId { .. }
        | Action::KillNodeId { .. }
        | Action::KillZone { .. }
        | Action::RestoreZone { .. }
        | Action::KillRegion { .. }
        | Action::RestoreRegion { .. }
        | Action::InjectLatency { .. }
        | Action::CpuStress { .. }
        | Action::MemoryLeak { .. }
        | Action::BadRelease { .. }
        | Action::Restore { .. }
        | Action::Spike { .. }
        | Action::SetReplicas { .. }
        | Action::SetPausePods { .. } => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::load;

    fn scenario() -> Scenario {
        load(
            "t.toml",
            "title = \"t\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n",
        )
        .unwrap()
    }

    #[test]
    fn names_and_numbers_are_checked_for_a_learners_action() {
        let s = scenario();
        let e = check_action(
            &Action::KillZone {
                zone: "nope".into(),
            },
            &s,
            "action",
        )
        .unwrap_err();
        assert_eq!(e.0, "action.zone");
        assert!(e.1.contains("its zones are a, b, c"), "{}", e.1);
        let e = check_action(
            &Action::Spike {
                multiplier: 1e308,
                ramp_up_s: 0.0,
                hold_s: 60.0,
                ramp_down_s: 0.0,
            },
            &s,
            "action",
        )
        .unwrap_err();
        assert_eq!(e.0, "action.multiplier");
        let e = check_action(
            &Action::InjectLatency {
                target: crate::sim::actions::LatencyTarget::Service,
                ms: 10.0,
                duration_s: Some(f64::NAN),
            },
            &s,
            "events[3].action",
        )
        .unwrap_err();
        assert_eq!(e.0, "events[3].action.duration_s");
        let e = check_action(&Action::FailPrimary { shard: 2 }, &s, "action").unwrap_err();
        assert!(e.1.contains("1 shard (0 to 0)"), "{}", e.1);
    }
}
