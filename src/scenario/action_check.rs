//! One check for every action, wherever it comes from (a scenario's `[[events]]`, a
//! learner's button, a shared link, a question's setup): each number within its range
//! ([`super::ranges`], keys `events[].action.*`), and each name it refers to (a zone, a
//! region, a database shard, a cache or database the scenario has) resolved, with the
//! valid names in the refusal.

use super::ranges;
use super::Scenario;
use crate::sim::inputs::effect::missing_tier;
use crate::sim::inputs::{Action, Aim};

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
    // As `hpa.minReplicas`: the HPA never scales to zero (HPAScaleToZero is
    // not modelled), so a minimum of 0 would leave the service without pods.
    if let Action::SetMinReplicas { replicas } | Action::SetMaxReplicas { replicas } = action {
        if *replicas < 1 {
            return Err((
                field("replicas"),
                format!(
                    "is {replicas}; the HPA's bounds are at least 1 pod (scale to zero, the HPAScaleToZero feature gate, is not modelled)"
                ),
            ));
        }
    }
    if let Action::SetReplicas { replicas } = action {
        if *replicas < 0 {
            return Err((field("replicas"), format!("must be ≥ 0, got {replicas}")));
        }
    }
    if let Action::Rollout { version }
    | Action::Canary { version }
    | Action::BlueGreen { version } = action
    {
        let names = crate::sim::rollout::version_table(&s.deployment, &s.versions);
        if !names.iter().any(|v| v.name == *version) {
            let names: Vec<&str> = names.iter().map(|v| v.name.as_str()).collect();
            return Err((
                field("version"),
                format!(
                    "there is no version \u{201c}{version}\u{201d}; the versions are {} ([deployment] version and [[versions]])",
                    names.join(", ")
                ),
            ));
        }
    }
    if let Action::SetFeatureFlag { name, .. } = action {
        if !s.flags.iter().any(|f| f.name == *name) {
            let names: Vec<&str> = s.flags.iter().map(|f| f.name.as_str()).collect();
            return Err((
                field("name"),
                if names.is_empty() {
                    format!("there is no feature flag \u{201c}{name}\u{201d}: this scenario has no [[flags]]")
                } else {
                    format!(
                        "there is no feature flag \u{201c}{name}\u{201d} in this scenario; its flags are {}",
                        names.join(", ")
                    )
                },
            ));
        }
    }
    // A new retry policy keeps the scenario's sleeps: its ring must fit at its ticks.
    if let Action::SetClientRetries {
        edge: crate::sim::protection::CallEdge::Client,
        max_attempts,
        backoff,
        jitter,
        budget,
    } = action
    {
        let policy = crate::sim::inputs::clients::policy_after(
            s.retry.client.as_ref(),
            *max_attempts,
            *backoff,
            *jitter,
            *budget,
        );
        let classes = s.traffic.classes.len();
        if let Some(why) = crate::sim::inputs::clients::ring_too_big(&policy, s.run.tick_s, classes)
        {
            return Err((field("max_attempts"), why));
        }
    }
    match action.anatomy().aim {
        Aim::Zone(z) => zone(z),
        Aim::Region(r) => region(r),
        Aim::Shard(n) => shard(n),
        Aim::Anywhere | Aim::Pod(_) | Aim::Node(_) => Ok(()),
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
/// one anyway, logs it as ignored: [`missing_tier`], one rule for both). Errors: (`{prefix}.kind`,
/// message).
pub fn check_tier(action: &Action, s: &Scenario, prefix: &str) -> Result<(), (String, String)> {
    match missing_tier(action, s) {
        Some(why) => Err((format!("{prefix}.kind"), why)),
        None => Ok(()),
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
                target: crate::sim::inputs::LatencyTarget::Service,
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
