//! The Degraded mode controls, their pure part: the scenario's feature flags and load
//! shedding as switches, read from the world, and the action each switch sends
//! (`set_feature_flag`, `set_shedding`; docs/models.md#feature-flags-and-degraded-mode,
//! docs/models.md#load-shedding).
//!
//! ```text
//!   World (flags, shedder, class priorities) ─▶ DegradedMode ─┬─ shown as switches
//!   a switch flipped ─────────────────────────────────────────┴─▶ Action
//! ```

use scalesim::sim::inputs::Action;
use scalesim::sim::World;

/// One feature flag as a switch.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagSwitch {
    /// The flag's name, as the action names it.
    pub name: String,
    /// The switch's words: the flag, its class, and what off does
    /// ("recommendations: off drops its requests").
    pub words: String,
    /// On (the feature as usual).
    pub on: bool,
}

/// The scenario's degraded-mode switches as they stand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DegradedMode {
    /// Every `[[flags]]`, in the scenario's order.
    pub flags: Vec<FlagSwitch>,
    /// Load shedding on or off; `None` when every class has the same priority (there
    /// is nothing to shed first).
    pub shedding: Option<bool>,
}

impl DegradedMode {
    /// The switches of `w`.
    pub fn of(w: &World) -> DegradedMode {
        let flags = w
            .flags
            .flags
            .iter()
            .map(|f| {
                let off = if f.cpu_factor_off > 0.0 {
                    format!(
                        "off serves it at {:.0} % of its CPU",
                        f.cpu_factor_off * 100.0
                    )
                } else {
                    "off drops its requests".to_string()
                };
                FlagSwitch {
                    name: f.name.clone(),
                    words: format!("{} ({}): {off}", f.name, f.class),
                    on: f.on,
                }
            })
            .collect();
        let classes = &w.scenario.traffic.classes;
        let ranked = classes
            .iter()
            .any(|c| classes.first().is_some_and(|f| f.priority != c.priority));
        DegradedMode {
            flags,
            shedding: ranked.then_some(w.shedder.is_some()),
        }
    }

    /// Whether there is any switch to show.
    pub fn any(&self) -> bool {
        !self.flags.is_empty() || self.shedding.is_some()
    }
}

/// The action that turns flag `name` on or off.
pub fn flag_action(name: &str, on: bool) -> Action {
    Action::SetFeatureFlag {
        name: name.to_string(),
        on,
    }
}
