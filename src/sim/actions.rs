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

use super::consistency::{ConflictResolution, ConsistencyMode, DataClass};
use serde::{Deserialize, Serialize};

/// What a network partition cuts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionScope {
    /// Zones of a region.
    #[default]
    Zones,
    /// Regions.
    Regions,
}

impl PartitionScope {
    fn words(self) -> &'static str {
        match self {
            PartitionScope::Zones => "zones",
            PartitionScope::Regions => "regions",
        }
    }
}

fn one_u32() -> u32 {
    1
}

fn half() -> f64 {
    0.5
}

fn one_f64() -> f64 {
    1.0
}

fn sixty() -> f64 {
    60.0
}

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
    /// A network partition (heal).
    Partition,
    /// Packet loss.
    PacketLoss,
    /// The cache is down.
    CacheDown,
    /// A replica lag spike.
    ReplicaLag,
    /// Clock skew.
    ClockSkew,
    /// DNS failure.
    DnsFailure,
    /// Consumers stopped (restart them).
    ConsumersStopped,
    /// The database's disk is full.
    DiskFull,
    /// A slow, failing or down external dependency.
    Dependency,
    /// Everything above.
    All,
}

impl FaultKind {
    /// The fault in words.
    pub fn words(self) -> &'static str {
        match self {
            FaultKind::Latency => "injected latency",
            FaultKind::CpuStress => "CPU stress",
            FaultKind::MemoryLeak => "memory leak",
            FaultKind::BadRelease => "bad release (rolled back)",
            FaultKind::Partition => "network partition (healed)",
            FaultKind::PacketLoss => "packet loss",
            FaultKind::CacheDown => "cache down (back up, cold)",
            FaultKind::ReplicaLag => "replica lag spike",
            FaultKind::ClockSkew => "clock skew",
            FaultKind::DnsFailure => "DNS failure",
            FaultKind::ConsumersStopped => "consumers stopped (restarted)",
            FaultKind::DiskFull => "database disk full (space freed)",
            FaultKind::Dependency => "external dependency fault",
            FaultKind::All => "all faults",
        }
    }
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
    /// A network partition between zones or regions: the minority side keeps
    /// `minority_replicas` of the store's replicas and `minority_clients` of the clients.
    Partition {
        /// What it cuts (default zones).
        #[serde(default)]
        between: PartitionScope,
        /// Replicas cut off on the minority side (default 1).
        #[serde(default = "one_u32")]
        minority_replicas: u32,
        /// Share of the clients on the minority side [fraction] (default 0.5).
        #[serde(default = "half")]
        minority_clients: f64,
        /// Duration [s]; absent = until healed (restored).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Packet loss on the replica links.
    PacketLoss {
        /// Share of packets lost [fraction].
        fraction: f64,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Empty the cache: it refills from the database (a stampede without coalescing).
    CacheFlush,
    /// The cache goes down: every read goes to the database.
    CacheDown {
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Turn request coalescing (single-flight) on the cache on or off.
    SetCoalescing {
        /// On.
        on: bool,
    },
    /// The primary of a database shard dies: writes fail until failover completes.
    FailPrimary {
        /// Shard (default 0).
        #[serde(default)]
        shard: u32,
    },
    /// The replication lag of a shard jumps.
    ReplicaLagSpike {
        /// Extra lag [ms].
        ms: f64,
        /// How long [s] (default 60).
        #[serde(default = "sixty")]
        duration_s: f64,
        /// Shard (default 0).
        #[serde(default)]
        shard: u32,
    },
    /// Clock skew between the write sites (last-writer-wins then loses updates).
    ClockSkew {
        /// Skew [ms].
        ms: f64,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// DNS resolution fails for clients whose cached answer expires.
    DnsFailure {
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// The Kafka consumers stop: the lag grows.
    StopConsumers {
        /// Duration [s]; absent = until restored (restarted).
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// The database's disk is full: writes fail.
    DiskFull {
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// The external dependency (payment provider) slows down.
    DependencySlow {
        /// Extra latency [ms].
        extra_ms: f64,
        /// Multiplier of its latency tail (default 1).
        #[serde(default = "one_f64")]
        tail_factor: f64,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// The external dependency fails a share of calls.
    DependencyErrors {
        /// Share of calls that fail [fraction].
        error_rate: f64,
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// The external dependency is down (connections refused).
    DependencyDown {
        /// Duration [s]; absent = until restored.
        #[serde(default)]
        duration_s: Option<f64>,
    },
    /// Purge the CDN: every edge cache empties and re-warms.
    CdnPurge,
    /// Switch the consistency mode of one data class, or of all when `class` is absent.
    SetConsistency {
        /// Data class (all when absent).
        #[serde(default)]
        class: Option<DataClass>,
        /// New mode.
        mode: ConsistencyMode,
    },
    /// Switch the conflict resolution of one data class, or of all.
    SetResolution {
        /// Data class (all when absent).
        #[serde(default)]
        class: Option<DataClass>,
        /// New resolution.
        resolution: ConflictResolution,
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
            Action::Partition { .. } => "network partition",
            Action::PacketLoss { .. } => "packet loss",
            Action::CacheFlush => "cache flush",
            Action::CacheDown { .. } => "cache down",
            Action::SetCoalescing { .. } => "set coalescing",
            Action::FailPrimary { .. } => "database primary failure",
            Action::ReplicaLagSpike { .. } => "replica lag spike",
            Action::ClockSkew { .. } => "clock skew",
            Action::DnsFailure { .. } => "DNS failure",
            Action::StopConsumers { .. } => "consumers stopped",
            Action::DiskFull { .. } => "disk full",
            Action::DependencySlow { .. } => "slow dependency",
            Action::DependencyErrors { .. } => "failing dependency",
            Action::DependencyDown { .. } => "dependency down",
            Action::CdnPurge => "CDN purge",
            Action::SetConsistency { .. } => "set consistency",
            Action::SetResolution { .. } => "set resolution",
        }
    }

    /// The action in plain words ("kill zone b", "inject 200 ms of latency into the service for 60 s").
    pub fn describe(&self) -> String {
        let during = |d: &Option<f64>| match d {
            Some(s) => format!(" for {s:.0} s"),
            None => String::new(),
        };
        let some_pods = |p: &Option<u32>| match p {
            Some(n) => format!("{n} pod(s)"),
            None => "every pod".to_string(),
        };
        match self {
            Action::KillPods { count, zone } => match zone {
                Some(z) => format!("kill {count} pod(s) in zone {z}"),
                None => format!("kill {count} pod(s)"),
            },
            Action::KillNode { zone } => match zone {
                Some(z) => format!("kill a node in zone {z}"),
                None => "kill a node".to_string(),
            },
            Action::KillZone { zone } => format!("kill zone {zone}"),
            Action::RestoreZone { zone } => format!("restore zone {zone}"),
            Action::KillRegion { region } => format!("kill region {region}"),
            Action::RestoreRegion { region } => format!("restore region {region}"),
            Action::InjectLatency {
                target,
                ms,
                duration_s,
            } => {
                let into = match target {
                    LatencyTarget::Service => "the service",
                    LatencyTarget::CrossZone => "cross-zone hops",
                    LatencyTarget::CrossRegion => "cross-region hops",
                };
                format!("inject {ms:.0} ms of latency into {into}{}", during(duration_s))
            }
            Action::CpuStress {
                fraction,
                pods,
                duration_s,
            } => format!(
                "CPU stress: burn {:.0} % of the CPU of {}{}",
                fraction * 100.0,
                some_pods(pods),
                during(duration_s)
            ),
            Action::MemoryLeak {
                mib_per_s,
                pods,
                duration_s,
            } => format!(
                "memory leak of {mib_per_s} MiB/s in {}{}",
                some_pods(pods),
                during(duration_s)
            ),
            Action::BadRelease {
                error_rate,
                extra_latency_ms,
                duration_s,
            } => format!(
                "bad release: {:.1} % of requests fail, +{extra_latency_ms:.0} ms{}",
                error_rate * 100.0,
                during(duration_s)
            ),
            Action::Restore { fault } => format!("restore: {}", fault.words()),
            Action::Spike {
                multiplier,
                ramp_up_s,
                hold_s,
                ramp_down_s,
            } => format!(
                "traffic spike ×{multiplier} (up {ramp_up_s:.0} s, hold {hold_s:.0} s, down {ramp_down_s:.0} s)"
            ),
            Action::SetMinReplicas { replicas } => format!("set minReplicas to {replicas}"),
            Action::SetMaxReplicas { replicas } => format!("set maxReplicas to {replicas}"),
            Action::SetReplicas { replicas } => format!("scale the Deployment to {replicas}"),
            Action::SetPausePods { count } => format!("run {count} pause pod(s)"),
            Action::Partition {
                between,
                minority_replicas,
                minority_clients,
                duration_s,
            } => format!(
                "network partition between {}: {minority_replicas} replica(s) and {:.0} % of clients cut off{}",
                between.words(),
                minority_clients * 100.0,
                during(duration_s)
            ),
            Action::PacketLoss {
                fraction,
                duration_s,
            } => format!(
                "{:.1} % packet loss on the replica links{}",
                fraction * 100.0,
                during(duration_s)
            ),
            Action::CacheFlush => "flush the cache".to_string(),
            Action::CacheDown { duration_s } => format!("cache down{}", during(duration_s)),
            Action::SetCoalescing { on } => format!(
                "request coalescing on the cache {}",
                if *on { "on" } else { "off" }
            ),
            Action::FailPrimary { shard } => format!("kill the database primary of shard {shard}"),
            Action::ReplicaLagSpike {
                ms,
                duration_s,
                shard,
            } => format!("replica lag +{ms:.0} ms on shard {shard} for {duration_s:.0} s"),
            Action::ClockSkew { ms, duration_s } => {
                format!("clock skew of {ms:.0} ms between write sites{}", during(duration_s))
            }
            Action::DnsFailure { duration_s } => format!("DNS failure{}", during(duration_s)),
            Action::StopConsumers { duration_s } => {
                format!("stop the Kafka consumers{}", during(duration_s))
            }
            Action::DiskFull { duration_s } => {
                format!("database disk full{}", during(duration_s))
            }
            Action::DependencySlow {
                extra_ms,
                duration_s,
                ..
            } => format!(
                "payment provider slow: +{extra_ms:.0} ms{}",
                during(duration_s)
            ),
            Action::DependencyErrors {
                error_rate,
                duration_s,
            } => format!(
                "payment provider fails {:.0} % of calls{}",
                error_rate * 100.0,
                during(duration_s)
            ),
            Action::DependencyDown { duration_s } => {
                format!("payment provider down{}", during(duration_s))
            }
            Action::CdnPurge => "purge the CDN".to_string(),
            Action::SetConsistency { class, mode } => format!(
                "consistency of {} → {}",
                class.map_or("every class", |c| c.as_str()),
                mode_words(*mode)
            ),
            Action::SetResolution { class, resolution } => format!(
                "conflict resolution of {} → {}",
                class.map_or("every class", |c| c.as_str()),
                resolution_words(*resolution)
            ),
        }
    }

    /// The fault an action with a duration ends with.
    pub fn fault_kind(&self) -> Option<FaultKind> {
        match self {
            Action::InjectLatency { .. } => Some(FaultKind::Latency),
            Action::CpuStress { .. } => Some(FaultKind::CpuStress),
            Action::MemoryLeak { .. } => Some(FaultKind::MemoryLeak),
            Action::BadRelease { .. } => Some(FaultKind::BadRelease),
            Action::Partition { .. } => Some(FaultKind::Partition),
            Action::PacketLoss { .. } => Some(FaultKind::PacketLoss),
            Action::CacheDown { .. } => Some(FaultKind::CacheDown),
            Action::ClockSkew { .. } => Some(FaultKind::ClockSkew),
            Action::DnsFailure { .. } => Some(FaultKind::DnsFailure),
            Action::StopConsumers { .. } => Some(FaultKind::ConsumersStopped),
            Action::DiskFull { .. } => Some(FaultKind::DiskFull),
            Action::DependencySlow { .. }
            | Action::DependencyErrors { .. }
            | Action::DependencyDown { .. } => Some(FaultKind::Dependency),
            _ => None,
        }
    }

    /// The action's duration, when it has one [s].
    pub fn duration_s(&self) -> Option<f64> {
        match self {
            Action::InjectLatency { duration_s, .. }
            | Action::CpuStress { duration_s, .. }
            | Action::MemoryLeak { duration_s, .. }
            | Action::BadRelease { duration_s, .. }
            | Action::Partition { duration_s, .. }
            | Action::PacketLoss { duration_s, .. }
            | Action::CacheDown { duration_s }
            | Action::ClockSkew { duration_s, .. }
            | Action::DnsFailure { duration_s }
            | Action::StopConsumers { duration_s }
            | Action::DiskFull { duration_s }
            | Action::DependencySlow { duration_s, .. }
            | Action::DependencyErrors { duration_s, .. }
            | Action::DependencyDown { duration_s } => *duration_s,
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

/// A consistency mode in words.
pub fn mode_words(m: ConsistencyMode) -> &'static str {
    match m {
        ConsistencyMode::Strong => "strong",
        ConsistencyMode::Causal => "causal",
        ConsistencyMode::Eventual => "eventual",
    }
}

/// A conflict resolution in words.
pub fn resolution_words(r: ConflictResolution) -> &'static str {
    match r {
        ConflictResolution::LastWriterWins => "last-writer-wins",
        ConflictResolution::Crdt => "CRDT merge",
        ConflictResolution::ApplicationMerge => "application merge",
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
