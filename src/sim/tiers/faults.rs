//! Faults and switches of the data and async tiers that touch more than one
//! component call (stage 1, Inputs; the dispatcher is `sim::inputs::apply`).
//!
//! ```text
//!   Action::SetConsistency     ─▶ switch_consistency() ─▶ ConsistencySwitched (its own event)
//!   restore replica_lag        ─▶ end_lag_spikes()
//!   a region dies or returns   ─▶ region_health() ─▶ the GSLB
//! ```

use super::super::consistency::{ConsistencyMode, DataClass};
use super::super::events::SimEvent;
use super::super::world::World;

/// Switches the consistency mode of `class` (every class when `None`) to
/// `mode` and logs the switch with the mode it leaves.
pub fn switch_consistency(w: &mut World, class: Option<DataClass>, mode: ConsistencyMode) {
    let now = w.now_s;
    let Some(s) = w.data.store.as_mut() else {
        return;
    };
    let from = current_mode(s.config().classes.iter().map(|c| c.mode), class);
    s.set_mode(class, mode);
    w.log(SimEvent::ConsistencySwitched {
        t_s: now,
        class,
        from,
        to: mode,
    });
}

/// Why switching `class` (every class when `None`) to `mode` would change
/// nothing: it already runs `mode` ("every class is already eventual"). None
/// when the switch changes something, or the world has no consistency store
/// (the caller logs that case as any other action on a missing tier).
pub fn consistency_unchanged(
    w: &World,
    class: Option<DataClass>,
    mode: ConsistencyMode,
) -> Option<String> {
    let s = w.data.store.as_ref()?;
    let now = current_mode(s.config().classes.iter().map(|c| c.mode), class)?;
    (now == mode).then(|| {
        let who = class.map_or("every class".to_string(), |c| c.as_str().to_string());
        format!(
            "{who} is already {}",
            super::super::inputs::mode_words(mode)
        )
    })
}

/// The mode of `class`, or the mode every class shares (`None` when they differ).
fn current_mode(
    modes: impl Iterator<Item = ConsistencyMode> + Clone,
    class: Option<DataClass>,
) -> Option<ConsistencyMode> {
    match class {
        Some(c) => modes.clone().nth(c.index()),
        None => {
            let mut it = modes;
            let first = it.next()?;
            it.all(|m| m == first).then_some(first)
        }
    }
}

/// Ends every shard's replica lag spike now (a restore of `replica_lag`).
pub fn end_lag_spikes(w: &mut World) {
    let now = w.now_s;
    if let Some(db) = w.data.database.as_mut() {
        for s in 0..db.shards.len() {
            db.inject_lag_ms(s, 0.0, now);
        }
    }
}

/// Tells the GSLB that world region `region` died or came back.
pub fn region_health(w: &mut World, region: u16, alive: bool) {
    let now = w.now_s;
    let d = &mut w.data;
    if let Some(g) = d.gslb.as_mut() {
        for (i, r) in d.gslb_region.iter().enumerate() {
            if *r == region {
                g.set_region_health(i, alive, now);
            }
        }
    }
}
