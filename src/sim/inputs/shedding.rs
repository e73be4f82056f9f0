//! Load shedding as a learner turns it on or off (docs/models.md#load-shedding):
//! `set_shedding { on }` makes a shedder with the scenario's `[shedding]` policy or the
//! defaults (shed at 90 % CPU), or removes it.

use crate::sim::protection::Shedder;
use crate::sim::world::World;

/// Turns load shedding on (the scenario's policy or the defaults) or off.
pub fn set_shedding(w: &mut World, on: bool) {
    w.shedder = on.then(|| {
        let policy = w.scenario.shedding.clone().unwrap_or_default();
        let priorities: Vec<u8> = w
            .scenario
            .traffic
            .classes
            .iter()
            .map(|c| c.priority)
            .collect();
        Shedder::new(policy, &priorities)
    });
}

/// Why `set_shedding { on }` would change nothing: it is already so, or every class
/// has the same priority (nothing to shed first).
pub fn shedding_unchanged(w: &World, on: bool) -> Option<String> {
    match (on, w.shedder.is_some()) {
        (true, true) => Some("load shedding is already on".into()),
        (false, false) => Some("load shedding is already off".into()),
        (true, false) => {
            let classes = &w.scenario.traffic.classes;
            let first = classes.first().map(|c| c.priority);
            classes
                .iter()
                .all(|c| Some(c.priority) == first)
                .then(|| {
                    "every request class has the same priority: shedding would refuse them all alike; give the classes priorities (traffic.classes[].priority)".into()
                })
        }
        (false, true) => None,
    }
}
