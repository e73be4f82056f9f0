//! The Release controls, their pure part: the versions a scenario can release, what the
//! pods run, and the canary, blue-green release or rolling update under way, read from
//! the world; and the action each button sends (`canary`, `blue_green`, `switch_back`,
//! `rollout`; docs/models.md#canary-releases, #blue-green-releases, #rolling-update).
//!
//! ```text
//!   World (versions, rollout, canary, blue-green) ─▶ Release ─┬─ shown: "Pods run v1.0" + status
//!   a version picked, Canary / Blue-green / Switch back / Roll out ─┴─▶ Action
//! ```

use scalesim::sim::inputs::Action;
use scalesim::sim::World;

/// The scenario's releases as they stand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Release {
    /// Every version's name, the starting one first (empty: no `[[versions]]`, no
    /// controls).
    pub versions: Vec<String>,
    /// The version new pods get (the stable one while a canary runs).
    pub running: String,
    /// What is under way, in words ("canary of v1.1: stage 1 of 4, 1 % of the traffic"),
    /// or the last outcome ("v1.1 rolled back at stage 1"); empty before any release.
    pub status: String,
    /// A canary or a blue-green release runs: another cannot start.
    pub canary_running: bool,
    /// A blue-green release runs: the Switch back button is on.
    pub blue_green_running: bool,
    /// The version being released (a canary's, or a rolling update's until it is
    /// complete) and its name: the diagram outlines its pods.
    pub releasing: Option<(u8, String)>,
}

impl Release {
    /// The releases of `w`.
    pub fn of(w: &World) -> Release {
        if w.scenario.versions.is_empty() {
            return Release::default();
        }
        let versions = w.versions.iter().map(|v| v.name.clone()).collect();
        let stable = scalesim::sim::rollout::controller::current_version(w);
        let canary = w.rollout.as_ref().and_then(|r| r.canary.as_ref());
        let blue_green = w.rollout.as_ref().and_then(|r| r.blue_green);
        let base = canary
            .map(|c| c.stable)
            .or(blue_green.map(|b| b.blue))
            .unwrap_or(stable);
        let running = w.version_name(base);
        let status = match (canary, &w.rollout) {
            (None, Some(_)) if blue_green.is_some() => blue_green
                .map(|b| blue_green_words(w, &b))
                .unwrap_or_default(),
            (Some(c), _) => {
                let spec = &w.scenario.canary;
                format!(
                    "canary of {}: stage {} of {}, {} % of the traffic",
                    w.version_name(c.version),
                    c.stage + 1,
                    spec.stages.len(),
                    round1(100.0 * c.weight(spec))
                )
            }
            (None, Some(r)) if !r.complete => {
                format!("rolling update to {running}")
            }
            (None, Some(r)) => last_outcome(w, r.started_s),
            (None, None) => String::new(),
        };
        let releasing = match (canary, &w.rollout) {
            (None, Some(_)) if blue_green.is_some() => blue_green.map(|b| b.version),
            (Some(c), _) => Some(c.version),
            (None, Some(r)) if !r.complete => Some(stable),
            (None, Some(_)) | (None, None) => None,
        }
        .map(|v| (v, w.version_name(v)));
        Release {
            versions,
            running,
            status,
            canary_running: canary.is_some() || blue_green.is_some(),
            blue_green_running: blue_green.is_some(),
            releasing,
        }
    }

    /// Whether the scenario has versions to release.
    pub fn any(&self) -> bool {
        self.versions.len() > 1
    }

    /// The versions other than the one running, in the scenario's order: what a button
    /// can release.
    pub fn others(&self) -> Vec<String> {
        self.versions
            .iter()
            .filter(|v| **v != self.running)
            .cloned()
            .collect()
    }
}

/// The action of the Canary button for `version`.
pub fn canary_action(version: &str) -> Action {
    Action::Canary {
        version: version.to_string(),
    }
}

/// The action of the Blue-green button for `version`.
pub fn blue_green_action(version: &str) -> Action {
    Action::BlueGreen {
        version: version.to_string(),
    }
}

/// A blue-green release in a few words: staged (pods ready of all), or switched with
/// blue on standby.
fn blue_green_words(w: &World, b: &scalesim::sim::rollout::blue_green::BlueGreenRun) -> String {
    let (green, blue) = (w.version_name(b.version), w.version_name(b.blue));
    match b.switched_s {
        None => format!("blue-green: {green} starting beside {blue}, no traffic yet"),
        Some(_) => format!("blue-green: {green} takes all the traffic; {blue} on standby"),
    }
}

/// The action of the Roll out button for `version`.
pub fn rollout_action(version: &str) -> Action {
    Action::Rollout {
        version: version.to_string(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The last canary's outcome, or the last rollout's, in a few words; empty when none.
/// Only the events since the last release started (`since_s`) are read: the page asks
/// every frame.
fn last_outcome(w: &World, since_s: f64) -> String {
    use scalesim::sim::events::SimEvent;
    w.events
        .iter()
        .rev()
        .take_while(|e| e.t_s() >= since_s)
        .find_map(|e| {
            if let SimEvent::CanaryRolledBack {
                version,
                stage,
                check,
                ..
            } = e
            {
                Some(format!(
                    "canary of {version} rolled back at stage {stage}: {}",
                    check.words()
                ))
            } else if let SimEvent::CanaryPromoted { version, .. } = e {
                Some(format!("canary of {version} promoted"))
            } else if let SimEvent::BlueGreenSwitchedBack { version, check, .. } = e {
                Some(match check {
                    Some(c) => format!("blue-green: switched back from {version}: {}", c.words()),
                    None => format!("blue-green: switched back from {version} by hand"),
                })
            } else if let SimEvent::BlueGreenRetired { version, blue, .. } = e {
                Some(format!("blue-green: {version} runs; {blue} retired"))
            } else if let SimEvent::RolloutComplete { version, .. } = e {
                Some(format!("rolled out {version}"))
            } else {
                None
            }
        })
        .unwrap_or_default()
}
