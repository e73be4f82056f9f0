//! Faults and switches of the data and async tiers that touch more than one
//! component call (stage 1, Inputs; the dispatcher is `sim::inputs::apply`).
//!
//! ```text
//!   Action::SetConsistency     ─▶ switch_consistency() ─▶ ConsistencySwitched (its own event)
//!   Action::Restore { fault }  ─▶ restore() ─▶ healed
//!   a region dies or returns   ─▶ region_health() ─▶ the GSLB
//! ```

use super::super::consistency::{ConsistencyMode, DataClass};
use super::super::events::SimEvent;
use super::super::inputs::FaultKind;
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

/// Heals a data-tier fault (`FaultKind::All` heals them all).
pub fn restore(w: &mut World, fault: FaultKind) {
    let now = w.now_s;
    let all = fault == FaultKind::All;
    let d = &mut w.data;
    if let Some(s) = d.store.as_mut() {
        if all || fault == FaultKind::Partition {
            s.set_partition(None);
        }
        if all || fault == FaultKind::PacketLoss {
            s.set_packet_loss(0.0);
        }
        if all || fault == FaultKind::ClockSkew {
            s.set_clock_skew_ms(0.0);
        }
    }
    if let Some(c) = d.cache.as_mut() {
        if (all || fault == FaultKind::CacheDown) && c.down {
            c.set_down(false);
        }
    }
    if let Some(db) = d.database.as_mut() {
        if all || fault == FaultKind::ReplicaLag {
            for s in 0..db.shards.len() {
                db.inject_lag_ms(s, 0.0, now);
            }
        }
        if all || fault == FaultKind::DiskFull {
            db.disk_full(false);
        }
    }
    if let Some(g) = d.gslb.as_mut() {
        if all || fault == FaultKind::DnsFailure {
            g.set_dns_failure(false, now);
        }
    }
    if let Some(k) = d.kafka.as_mut() {
        if (all || fault == FaultKind::ConsumersStopped) && k.consumers_stopped() {
            k.restart_consumers(now);
        }
    }
    if let Some(e) = d.external.as_mut() {
        if all || fault == FaultKind::Dependency {
            e.heal();
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
