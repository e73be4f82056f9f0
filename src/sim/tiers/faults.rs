//! Faults and switches of the data and async tiers (stage 1, Inputs).
//!
//! ```text
//!   Action::{Partition, CacheFlush, FailPrimary, SetConsistency, …} ─▶ apply() ─▶ component
//!   Action::Restore { fault }                                        ─▶ restore() ─▶ healed
//! ```
//!
//! An action aimed at a tier the scenario does not have changes nothing (the event log
//! still records it). Switches log their own typed event ("Consistency: checkout strong →
//! eventual"); faults are logged as `FaultInjected` by the caller.

use super::super::actions::{Action, FaultKind};
use super::super::consistency::{ConsistencyMode, DataClass, PartitionFault};
use super::super::data::external::DownMode;
use super::super::events::SimEvent;
use super::super::world::World;

/// Applies a data-tier action. Returns false when it logged its own event.
pub fn apply(w: &mut World, action: &Action) -> bool {
    let now = w.now_s;
    let d = &mut w.data;
    match action {
        Action::Partition {
            minority_replicas,
            minority_clients,
            ..
        } => {
            if let Some(s) = d.store.as_mut() {
                s.set_partition(Some(PartitionFault {
                    minority_replicas: *minority_replicas,
                    minority_clients: minority_clients.clamp(0.0, 1.0),
                }));
            }
        }
        Action::PacketLoss { fraction, .. } => {
            if let Some(s) = d.store.as_mut() {
                s.set_packet_loss(fraction.clamp(0.0, 1.0));
            }
        }
        Action::CacheFlush => {
            if let Some(c) = d.cache.as_mut() {
                c.flush();
            }
        }
        Action::CacheDown { .. } => {
            if let Some(c) = d.cache.as_mut() {
                c.set_down(true);
            }
        }
        Action::SetCoalescing { on } => {
            if let Some(c) = d.cache.as_mut() {
                c.set_coalescing(*on);
            }
        }
        Action::FailPrimary { shard } => {
            if let Some(db) = d.database.as_mut() {
                db.fail_primary(*shard as usize, now);
            }
        }
        Action::ReplicaLagSpike {
            ms,
            duration_s,
            shard,
        } => {
            if let Some(db) = d.database.as_mut() {
                db.inject_lag_ms(*shard as usize, *ms, now + duration_s.max(0.0));
            }
        }
        Action::ClockSkew { ms, .. } => {
            if let Some(s) = d.store.as_mut() {
                s.set_clock_skew_ms(ms.max(0.0));
            }
        }
        Action::DnsFailure { .. } => {
            if let Some(g) = d.gslb.as_mut() {
                g.set_dns_failure(true, now);
            }
        }
        Action::StopConsumers { .. } => {
            if let Some(k) = d.kafka.as_mut() {
                k.stop_consumers();
            }
        }
        Action::DiskFull { .. } => {
            if let Some(db) = d.database.as_mut() {
                db.disk_full(true);
            }
        }
        Action::DependencySlow {
            extra_ms,
            tail_factor,
            ..
        } => {
            if let Some(e) = d.external.as_mut() {
                e.set_slow(extra_ms.max(0.0), tail_factor.max(0.0));
            }
        }
        Action::DependencyErrors { error_rate, .. } => {
            if let Some(e) = d.external.as_mut() {
                e.set_error_rate(Some(error_rate.clamp(0.0, 1.0)));
            }
        }
        Action::DependencyDown { .. } => {
            if let Some(e) = d.external.as_mut() {
                e.set_down(Some(DownMode::Refuse));
            }
        }
        Action::CdnPurge => {
            if let Some(c) = d.cdn.as_mut() {
                c.purge();
            }
        }
        Action::SetConsistency { class, mode } => {
            let Some(s) = d.store.as_mut() else {
                return true;
            };
            let from = current_mode(s.config().classes.iter().map(|c| c.mode), *class);
            s.set_mode(*class, *mode);
            w.log(SimEvent::ConsistencySwitched {
                t_s: now,
                class: *class,
                from,
                to: *mode,
            });
            return false;
        }
        Action::AddReplica => {
            if let Some(db) = d.database.as_mut() {
                db.add_replica(now);
            }
        }
        Action::ResizeDatabase { workers } => {
            if let Some(db) = d.database.as_mut() {
                db.resize(now, (*workers).max(1));
            }
        }
        Action::SetHotKeyShare { share } => {
            if let Some(db) = d.database.as_mut() {
                db.set_hot_key_share(share.clamp(0.0, 1.0));
            }
        }
        Action::SetResolution { class, resolution } => {
            if let Some(s) = d.store.as_mut() {
                s.set_resolution(*class, *resolution);
            }
        }
        _ => {}
    }
    true
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
            super::super::actions::mode_words(mode)
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
