//! The input queue: actions waiting for their time, with the names they aim
//! at resolved once, when queued, into typed targets, and the fault
//! injections in force with what each holds.
//!
//! ```text
//!   push(at_s, action) ─resolve names─▶ Input { at_s, seq, action, target } ─▶ sorted by (at_s, seq)
//!   pop_due(now) ─▶ apply ─▶ a timed fault queues the restore that ends it (Injections::timed)
//! ```

use super::action::{Action, ActionSource};
use super::anatomy::{Aim, FaultTarget};
use crate::sim::topology::{Region, Zone};
use serde::{Deserialize, Serialize};

/// A zone's index in `World::zones`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneIx(pub u16);

/// A region's index in `World::regions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionIx(pub u16);

/// What a queued action aims at, resolved: zones and regions by index. Pods
/// and nodes come and go, so they stay ids and are looked up when applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// The service, its fleet or a tier as a whole.
    Anywhere,
    /// A zone.
    Zone(ZoneIx),
    /// A region.
    Region(RegionIx),
    /// A database shard (checked against the scenario's shard count when queued).
    Shard(u32),
    /// The pod with this id.
    Pod(u64),
    /// The node with this id.
    Node(u64),
}

impl Target {
    /// The zone, when the action aims at one.
    pub fn zone(self) -> Option<u16> {
        match self {
            Target::Zone(z) => Some(z.0),
            Target::Anywhere
            | Target::Region(_)
            | Target::Shard(_)
            | Target::Pod(_)
            | Target::Node(_) => None,
        }
    }
}

/// Resolves what an action aims at against the world's zones and regions.
/// Errors: the name is not there, with the names that are.
pub fn resolve(aim: Aim<'_>, zones: &[Zone], regions: &[Region]) -> Result<Target, String> {
    let unknown = |what: &str, name: &str, names: Vec<&str>| {
        format!(
            "there is no {what} \u{201c}{name}\u{201d} in this scenario; its {what}s are {}",
            names.join(", ")
        )
    };
    Ok(match aim {
        Aim::Anywhere => Target::Anywhere,
        Aim::Zone(name) => match zones.iter().position(|z| z.name == name) {
            Some(i) => Target::Zone(ZoneIx(i as u16)),
            None => {
                return Err(unknown(
                    "zone",
                    name,
                    zones.iter().map(|z| z.name.as_str()).collect(),
                ))
            }
        },
        Aim::Region(name) => match regions.iter().position(|r| r.name == name) {
            Some(i) => Target::Region(RegionIx(i as u16)),
            None => {
                return Err(unknown(
                    "region",
                    name,
                    regions.iter().map(|r| r.name.as_str()).collect(),
                ))
            }
        },
        Aim::Shard(n) => Target::Shard(n),
        Aim::Pod(id) => Target::Pod(id),
        Aim::Node(id) => Target::Node(id),
    })
}

/// A queued input with resolved names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// When [s].
    pub at_s: f64,
    /// Insertion order: breaks ties between inputs at the same time.
    pub seq: u64,
    /// The action as given.
    pub action: Action,
    /// Who queued it.
    #[serde(default)]
    pub by: ActionSource,
    /// What it aims at, resolved.
    pub target: Target,
}

/// The fault injections in force: which injection holds each fault target,
/// and the timed ones whose end is queued. A timed fault's end clears only
/// what its injection still holds, so it never clears a later injection of
/// the same kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Injections {
    /// Each fault target in force and the id of the injection that holds it.
    pub holds: Vec<(FaultTarget, u64)>,
    /// Timed injections not ended yet: (`seq` of the queued restore that ends
    /// it, injection id).
    pub timed: Vec<(u64, u64)>,
    /// The next injection id.
    pub next_id: u64,
}

impl Injections {
    /// Injection `id` takes `target`: it replaces whatever held it.
    pub fn hold(&mut self, target: FaultTarget, id: u64) {
        match self.holds.iter_mut().find(|(t, _)| *t == target) {
            Some(h) => h.1 = id,
            None => self.holds.push((target, id)),
        }
    }

    /// The injection a queued restore with sequence number `seq` ends, if it
    /// ends one (taken off the timed list).
    pub fn take_timed(&mut self, seq: u64) -> Option<u64> {
        let i = self.timed.iter().position(|(s, _)| *s == seq)?;
        Some(self.timed.remove(i).1)
    }
}

/// The queue of inputs, kept sorted by (at_s, seq), and the injections in force.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputQueue {
    /// Inputs not yet applied, sorted.
    pub pending: Vec<Input>,
    /// Next sequence number.
    pub next_seq: u64,
    /// The fault injections in force.
    #[serde(default)]
    pub injections: Injections,
}

impl InputQueue {
    /// Queues an input (already resolved), keeping the order; returns its sequence number.
    pub fn push(&mut self, mut input: Input) -> u64 {
        input.seq = self.next_seq;
        self.next_seq += 1;
        let seq = input.seq;
        let pos = self
            .pending
            .partition_point(|i| (i.at_s, i.seq) <= (input.at_s, input.seq));
        self.pending.insert(pos, input);
        seq
    }

    /// True when the first input is due at `now_s`.
    #[inline]
    pub fn has_due(&self, now_s: f64) -> bool {
        self.pending.first().is_some_and(|i| i.at_s <= now_s + 1e-9)
    }

    /// Drops every pending input queued by `source` (an aborted experiment's steps).
    pub fn cancel_from(&mut self, source: super::ActionSource) {
        self.pending.retain(|i| i.by != source);
    }

    /// Takes the first input if due.
    pub fn pop_due(&mut self, now_s: f64) -> Option<Input> {
        if self.has_due(now_s) {
            Some(self.pending.remove(0))
        } else {
            None
        }
    }

    /// Starts a fault injection at `now_s`: a new injection id, and for a
    /// timed one (`duration_s`) the restore of `ends` that ends it, queued by
    /// `by` and remembered by its sequence number.
    pub fn begin_injection(
        &mut self,
        now_s: f64,
        duration_s: Option<f64>,
        ends: super::action::FaultKind,
        by: ActionSource,
    ) -> u64 {
        let id = self.injections.next_id;
        self.injections.next_id += 1;
        if let Some(d) = duration_s {
            let seq = self.push(Input {
                at_s: now_s + d,
                seq: 0,
                action: Action::Restore { fault: ends },
                by,
                target: Target::Anywhere,
            });
            self.injections.timed.push((seq, id));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(at_s: f64, replicas: i32) -> Input {
        Input {
            at_s,
            seq: 0,
            action: Action::SetReplicas { replicas },
            by: ActionSource::Learner,
            target: Target::Anywhere,
        }
    }

    fn replicas(i: Input) -> i32 {
        if let Action::SetReplicas { replicas } = i.action {
            replicas
        } else {
            panic!("not a SetReplicas: {:?}", i.action)
        }
    }

    #[test]
    fn inputs_come_out_in_time_then_insertion_order() {
        let mut q = InputQueue::default();
        q.push(input(10.0, 1));
        q.push(input(5.0, 2));
        q.push(input(10.0, 3));
        let order: Vec<i32> = std::iter::from_fn(|| q.pop_due(100.0))
            .map(replicas)
            .collect();
        assert_eq!(order, vec![2, 1, 3]);
    }

    #[test]
    fn a_timed_injection_queues_its_end_and_remembers_it() {
        let mut q = InputQueue::default();
        let id = q.begin_injection(
            30.0,
            Some(60.0),
            super::super::action::FaultKind::CacheDown,
            ActionSource::Learner,
        );
        let end = q.pop_due(90.0).expect("the end is queued at 90 s");
        assert_eq!(end.at_s, 90.0);
        assert_eq!(q.injections.take_timed(end.seq), Some(id));
        assert_eq!(q.injections.take_timed(end.seq), None);
        let untimed = q.begin_injection(
            30.0,
            None,
            super::super::action::FaultKind::CacheDown,
            ActionSource::Learner,
        );
        assert_eq!(untimed, id + 1);
        assert!(q.pending.is_empty());
    }

    #[test]
    fn names_resolve_once_or_say_which_names_there_are() {
        let zone = |name: &str| Zone {
            name: name.into(),
            region: 0,
            client_share: 0.5,
            alive: true,
            failures: Default::default(),
        };
        let zones = vec![zone("a"), zone("b")];
        let regions = vec![Region {
            name: "r".into(),
            traffic_share: 1.0,
            alive: true,
        }];
        assert_eq!(
            resolve(Aim::Zone("b"), &zones, &regions),
            Ok(Target::Zone(ZoneIx(1)))
        );
        assert_eq!(
            resolve(Aim::Region("r"), &zones, &regions),
            Ok(Target::Region(RegionIx(0)))
        );
        let e = resolve(Aim::Zone("c"), &zones, &regions).unwrap_err();
        assert!(e.contains("its zones are a, b"), "{e}");
    }
}
