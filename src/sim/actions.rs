//! Inputs: the scenario's scheduled events and the learner's actions (DESIGN stage 1).
//!
//! ```text
//!   scenario [[events]] ─┐
//!                        ├─▶ queue sorted by (t_s, seq) ─▶ applied at the start of a tick
//!   learner actions ─────┘
//! ```
//!
//! An action names zones and regions by name; the queue resolves names once, when
//! the action is queued, so the stepper never touches a string.

use serde::{Deserialize, Serialize};

/// What a latency injection slows down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LatencyTarget {
    /// Every request served by the application.
    Service,
    /// Requests that cross a zone.
    CrossZone,
    /// Requests that cross a region.
    CrossRegion,
}

/// A kind of fault, for `restore` and the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Injected latency (all targets).
    Latency,
    /// CPU stress.
    CpuStress,
    /// Memory leak.
    MemoryLeak,
    /// A bad release.
    BadRelease,
    /// Everything above.
    All,
}

/// Something that happens to the world: a fault, a restore, a knob turned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Kill `count` app pods (seeded choice), optionally only in `zone`.
    KillPods {
        /// How many.
        count: u32,
        /// Zone name (any zone when absent).
        #[serde(default)]
        zone: Option<String>,
    },
    /// Kill one ready node (seeded choice), optionally in `zone`.
    KillNode {
        /// Zone name (any zone when absent).
        #[serde(default)]
        zone: Option<String>,
    },
    /// Kill a whole zone: its nodes and pods die, nothing new lands there until restored.
    KillZone {
        /// Zone name.
        zone: String,
    },
    /// Bring a killed zone back (empty: the cluster autoscaler refills it).
    RestoreZone {
        /// Zone name.
        zone: String,
    },
    /// Kill a whole region.
    KillRegion {
        /// Region name.
        region: String,
    },
    /// Bring a killed region back.
    RestoreRegion {
        /// Region name.
        region: String,
    },
    /// Add latency to a target [ms], for `duration_s` or until restored.
    InjectLatency {
        /// What is slowed down.
        target: LatencyTarget,
        /// Extra latency [ms].
        ms: f64,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Burn `fraction` of the CPU of `pods` pods (all when absent).
    CpuStress {
        /// Fraction of each pod's CPU limit burned (0..1).
        fraction: f64,
        /// How many pods (all live pods when absent).
        #[serde(default)]
        pods: Option<u32>,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Leak memory in `pods` pods (all when absent): slow growth, then an OOM kill and a restart.
    MemoryLeak {
        /// Growth [MiB/s].
        mib_per_s: f64,
        /// How many pods (all live pods when absent).
        #[serde(default)]
        pods: Option<u32>,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// A bad release: a share of requests fail and the rest are slower.
    BadRelease {
        /// Share of served requests that fail (0..1).
        error_rate: f64,
        /// Extra latency [ms].
        #[serde(default)]
        extra_latency_ms: f64,
        /// Duration [s]; absent = until rolled back (restored).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Clear a kind of fault.
    Restore {
        /// Which.
        fault: FaultKind,
    },
    /// A traffic spike on top of the profile (multiplier with linear ramps).
    Spike {
        /// Peak multiplier.
        multiplier: f64,
        /// [s]
        #[serde(default)]
        ramp_up_s: f64,
        /// [s]
        hold_s: f64,
        /// [s]
        #[serde(default)]
        ramp_down_s: f64,
    },
    /// Set the HPA's minReplicas (scheduled pre-scaling).
    SetMinReplicas {
        /// Replicas.
        replicas: i32,
    },
    /// Set the HPA's maxReplicas.
    SetMaxReplicas {
        /// Replicas.
        replicas: i32,
    },
    /// Scale the Deployment by hand (the HPA takes over at its next sync).
    SetReplicas {
        /// Replicas.
        replicas: i32,
    },
    /// Set the number of pause pods (over-provisioning).
    SetPausePods {
        /// Pause pods.
        count: u32,
    },
}

impl Action {
    /// A short name of the action, for the event log.
    pub fn name(&self) -> &'static str {
        match self {
            Action::KillPods { .. } => "kill pods",
            Action::KillNode { .. } => "kill node",
            Action::KillZone { .. } => "kill zone",
            Action::RestoreZone { .. } => "restore zone",
            Action::KillRegion { .. } => "kill region",
            Action::RestoreRegion { .. } => "restore region",
            Action::InjectLatency { .. } => "inject latency",
            Action::CpuStress { .. } => "CPU stress",
            Action::MemoryLeak { .. } => "memory leak",
            Action::BadRelease { .. } => "bad release",
            Action::Restore { .. } => "restore",
            Action::Spike { .. } => "traffic spike",
            Action::SetMinReplicas { .. } => "set minReplicas",
            Action::SetMaxReplicas { .. } => "set maxReplicas",
            Action::SetReplicas { .. } => "set replicas",
            Action::SetPausePods { .. } => "set pause pods",
        }
    }

    /// The fault an action with a duration ends with.
    pub fn fault_kind(&self) -> Option<FaultKind> {
        match self {
            Action::InjectLatency { .. } => Some(FaultKind::Latency),
            Action::CpuStress { .. } => Some(FaultKind::CpuStress),
            Action::MemoryLeak { .. } => Some(FaultKind::MemoryLeak),
            Action::BadRelease { .. } => Some(FaultKind::BadRelease),
            _ => None,
        }
    }

    /// The action's duration, when it has one [s].
    pub fn duration_s(&self) -> Option<f64> {
        match self {
            Action::InjectLatency { duration_s, .. }
            | Action::CpuStress { duration_s, .. }
            | Action::MemoryLeak { duration_s, .. }
            | Action::BadRelease { duration_s, .. } => *duration_s,
            _ => None,
        }
    }
}

/// A scheduled action: the scenario's `[[events]]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduledAction {
    /// When [s from start].
    pub at_s: f64,
    /// What.
    pub action: Action,
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
    /// Zone index the action names, if any.
    pub zone: Option<u16>,
    /// Region index the action names, if any.
    pub region: Option<u16>,
}

/// The queue of inputs, kept sorted by (at_s, seq).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputQueue {
    /// Inputs not yet applied, sorted.
    pub pending: Vec<Input>,
    /// Next sequence number.
    pub next_seq: u64,
}

impl InputQueue {
    /// Queues an input (already resolved), keeping the order.
    pub fn push(&mut self, mut input: Input) {
        input.seq = self.next_seq;
        self.next_seq += 1;
        let pos = self
            .pending
            .partition_point(|i| (i.at_s, i.seq) <= (input.at_s, input.seq));
        self.pending.insert(pos, input);
    }

    /// True when the first input is due at `now_s`.
    #[inline]
    pub fn has_due(&self, now_s: f64) -> bool {
        self.pending.first().is_some_and(|i| i.at_s <= now_s)
    }

    /// Takes the first input if due.
    pub fn pop_due(&mut self, now_s: f64) -> Option<Input> {
        if self.has_due(now_s) {
            Some(self.pending.remove(0))
        } else {
            None
        }
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
            zone: None,
            region: None,
        }
    }

    #[test]
    fn inputs_come_out_in_time_then_insertion_order() {
        let mut q = InputQueue::default();
        q.push(input(10.0, 1));
        q.push(input(5.0, 2));
        q.push(input(10.0, 3));
        let order: Vec<i32> = std::iter::from_fn(|| q.pop_due(100.0))
            .map(|i| match i.action {
                Action::SetReplicas { replicas } => replicas,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(order, vec![2, 1, 3]);
    }

    #[test]
    fn actions_read_from_toml_with_a_kind_tag() {
        let a: ScheduledAction =
            toml::from_str("at_s = 60.0\naction = { kind = \"kill_zone\", zone = \"b\" }").unwrap();
        assert_eq!(
            a.action,
            Action::KillZone {
                zone: "b".to_string()
            }
        );
    }
}
