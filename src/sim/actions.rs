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
///
/// Written and read tagged by `kind` (`{ kind = "kill_pods", count = 3 }`)
/// through [`super::tagged`]: the derive gives the externally tagged code
/// (`remote = "Self"`): 27 KB of wasm where serde's `tag = "kind"` took 103 KB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
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
    /// Kill the app pod with id `pod` (the one a learner picked in the diagram);
    /// a no-op, logged with the reason, when it is gone or already dead.
    KillPodId {
        /// Pod id.
        pod: u64,
    },
    /// Kill the node with id `node` and its pods; a no-op, logged with the reason,
    /// when it is gone or not ready.
    KillNodeId {
        /// Node id.
        node: u64,
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
    /// Add a read replica to every shard (ready after `replica_provision_s`: minutes, seed 002).
    AddReplica,
    /// Move the database to a bigger (or smaller) instance class (after `resize_s`).
    ResizeDatabase {
        /// Parallel query slots per instance afterwards [workers].
        workers: u32,
    },
    /// A celebrity posts: the share of all queries on the single hottest key.
    SetHotKeyShare {
        /// Share [fraction].
        share: f64,
    },
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

// `Action::serialize` / `Action::deserialize` below are the derive's inherent
// (remote = "Self") functions, not these trait methods.
impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::tagged::serialize(self, serializer, "kind", Action::serialize)
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::tagged::deserialize(deserializer, "kind", Action::deserialize)
    }
}

impl Action {
    /// A short name of the action, for the event log.
    pub fn name(&self) -> &'static str {
        match self {
            Action::KillPods { .. } => "kill pods",
            Action::KillNode { .. } => "kill node",
            Action::KillPodId { .. } => "kill pod",
            Action::KillNodeId { .. } => "kill node",
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
            Action::AddReplica => "add a read replica",
            Action::ResizeDatabase { .. } => "resize the database",
            Action::SetHotKeyShare { .. } => "set hot key share",
            Action::SetConsistency { .. } => "set consistency",
            Action::SetResolution { .. } => "set resolution",
        }
    }

    /// The action in plain words, the one wording the CLI's event log and the UI's
    /// timeline share: "kill zone b", "10× traffic spike for 10 min (30 s ramp up, 60 s
    /// down)", "inject 200 ms of latency into every request for 5 min".
    // Inline: compiled in the calling crate, so the web build optimizes this
    // cold code for size there (web/Cargo.toml); the engine keeps "s".
    #[inline]
    pub fn describe(&self) -> String {
        let during = |d: &Option<f64>| match d {
            Some(s) => format!(" for {}", duration_words(*s)),
            None => " until restored".to_string(),
        };
        let some_pods = |p: &Option<u32>| match p {
            Some(1) => "1 pod".to_string(),
            Some(n) => format!("{n} pods"),
            None => "every pod".to_string(),
        };
        let class_words = |c: &Option<DataClass>| match c {
            Some(c) => format!("{} data", c.as_str()),
            None => "every data class".to_string(),
        };
        match self {
            Action::KillPods { count, zone } => {
                let what = if *count == 1 {
                    "a pod".to_string()
                } else {
                    format!("{count} pods")
                };
                match zone {
                    Some(z) => format!("kill {what} in zone {z} (the engine picks which)"),
                    None => format!("kill {what} (the engine picks which)"),
                }
            }
            Action::KillNode { zone } => match zone {
                Some(z) => format!("kill a node in zone {z} (the engine picks which)"),
                None => "kill a node (the engine picks which)".to_string(),
            },
            Action::KillPodId { pod } => format!("kill pod {pod}"),
            Action::KillNodeId { node } => format!("kill node {node} and its pods"),
            Action::KillZone { zone } => format!("kill zone {zone}: its nodes and pods die"),
            Action::RestoreZone { zone } => {
                format!("restore zone {zone}: new nodes can land there again")
            }
            Action::KillRegion { region } => format!("kill region {region}"),
            Action::RestoreRegion { region } => format!("restore region {region}"),
            Action::InjectLatency {
                target,
                ms,
                duration_s,
            } => {
                let into = match target {
                    LatencyTarget::Service => "every request",
                    LatencyTarget::CrossZone => "cross-zone hops",
                    LatencyTarget::CrossRegion => "cross-region hops",
                };
                format!("inject {} ms of latency into {into}{}", num(*ms), during(duration_s))
            }
            Action::CpuStress {
                fraction,
                pods,
                duration_s,
            } => format!(
                "CPU stress: burn {} % of the CPU of {}{}",
                num(fraction * 100.0),
                some_pods(pods),
                during(duration_s)
            ),
            Action::MemoryLeak {
                mib_per_s,
                pods,
                duration_s,
            } => format!(
                "memory leak{}: {} grow {} MiB/s, each OOM-killed and restarted when it reaches its limit",
                during(duration_s),
                some_pods(pods),
                num(*mib_per_s),
            ),
            Action::BadRelease {
                error_rate,
                extra_latency_ms,
                duration_s,
            } => format!(
                "bad release: {} % of requests fail, the rest +{} ms{}",
                num(error_rate * 100.0),
                num(*extra_latency_ms),
                during(duration_s)
            ),
            Action::Restore { fault } => format!("restore: clear {}", fault.words()),
            Action::Spike {
                multiplier,
                ramp_up_s,
                hold_s,
                ramp_down_s,
            } => format!(
                "{}\u{d7} traffic spike for {} ({} ramp up, {} down)",
                num(*multiplier),
                duration_words(*hold_s),
                duration_words(*ramp_up_s),
                duration_words(*ramp_down_s)
            ),
            Action::SetMinReplicas { replicas } => format!("set the HPA's minReplicas to {replicas}"),
            Action::SetMaxReplicas { replicas } => format!("set the HPA's maxReplicas to {replicas}"),
            Action::SetReplicas { replicas } => {
                format!("scale the Deployment by hand to {replicas} pods")
            }
            Action::SetPausePods { count } => format!("run {count} pause pods (spare room)"),
            Action::Partition {
                between,
                minority_replicas,
                minority_clients,
                duration_s,
            } => format!(
                "network partition between {}: {minority_replicas} replica(s) and {} % of clients cut off{}",
                between.words(),
                num(minority_clients * 100.0),
                during(duration_s)
            ),
            Action::PacketLoss {
                fraction,
                duration_s,
            } => format!(
                "{} % packet loss on the replica links{}",
                num(fraction * 100.0),
                during(duration_s)
            ),
            Action::CacheFlush => "flush the cache: every cached key is gone".to_string(),
            Action::CacheDown { duration_s } => format!("cache down{}", during(duration_s)),
            Action::SetCoalescing { on } => format!(
                "request coalescing on the cache {}",
                if *on { "on" } else { "off" }
            ),
            Action::FailPrimary { shard } => {
                format!("kill the database primary of shard {shard}: a replica is promoted")
            }
            Action::ReplicaLagSpike {
                ms,
                duration_s,
                shard,
            } => format!(
                "replica lag +{} ms on shard {shard} for {}",
                num(*ms),
                duration_words(*duration_s)
            ),
            Action::ClockSkew { ms, duration_s } => format!(
                "clock skew of {} ms between write sites{}",
                num(*ms),
                during(duration_s)
            ),
            Action::DnsFailure { duration_s } => format!("DNS failure{}", during(duration_s)),
            Action::StopConsumers { duration_s } => {
                format!("stop the Kafka consumers{}", during(duration_s))
            }
            Action::DiskFull { duration_s } => {
                format!("database disk full: writes fail{}", during(duration_s))
            }
            Action::DependencySlow {
                extra_ms,
                tail_factor,
                duration_s,
            } => {
                let tail = if (*tail_factor - 1.0).abs() > 1e-9 {
                    format!(", tail \u{d7}{}", num(*tail_factor))
                } else {
                    String::new()
                };
                format!(
                    "payment provider slow: +{} ms{tail}{}",
                    num(*extra_ms),
                    during(duration_s)
                )
            }
            Action::DependencyErrors {
                error_rate,
                duration_s,
            } => format!(
                "payment provider fails {} % of calls{}",
                num(error_rate * 100.0),
                during(duration_s)
            ),
            Action::DependencyDown { duration_s } => {
                format!("payment provider down{}", during(duration_s))
            }
            Action::CdnPurge => "purge the CDN: every edge cache re-warms".to_string(),
            Action::AddReplica => {
                "add a read replica to every shard (ready in minutes)".to_string()
            }
            Action::ResizeDatabase { workers } => {
                format!("resize the database to {workers} workers per instance")
            }
            Action::SetHotKeyShare { share } => {
                format!("{} % of all queries hit one hot key", num(share * 100.0))
            }
            Action::SetConsistency { class, mode } => format!(
                "consistency of {} \u{2192} {}",
                class_words(class),
                mode_words(*mode)
            ),
            Action::SetResolution { class, resolution } => format!(
                "conflict resolution of {} \u{2192} {}",
                class_words(class),
                resolution_words(*resolution)
            ),
        }
    }

    /// One example of every variant (some twice, with and without their optional
    /// fields), for tests that must cover them all.
    pub fn examples() -> Vec<Action> {
        use LatencyTarget as L;
        vec![
            Action::KillPods {
                count: 1,
                zone: None,
            },
            Action::KillPods {
                count: 3,
                zone: Some("b".into()),
            },
            Action::KillNode { zone: None },
            Action::KillNode {
                zone: Some("a".into()),
            },
            Action::KillPodId { pod: 17 },
            Action::KillNodeId { node: 4 },
            Action::KillZone { zone: "b".into() },
            Action::RestoreZone { zone: "b".into() },
            Action::KillRegion {
                region: "eu".into(),
            },
            Action::RestoreRegion {
                region: "eu".into(),
            },
            Action::InjectLatency {
                target: L::Service,
                ms: 200.0,
                duration_s: Some(300.0),
            },
            Action::InjectLatency {
                target: L::CrossZone,
                ms: 0.1 + 0.2,
                duration_s: None,
            },
            Action::InjectLatency {
                target: L::CrossRegion,
                ms: 80.0,
                duration_s: None,
            },
            Action::CpuStress {
                fraction: 0.3,
                pods: Some(4),
                duration_s: None,
            },
            Action::CpuStress {
                fraction: 0.9,
                pods: None,
                duration_s: Some(60.0),
            },
            Action::MemoryLeak {
                mib_per_s: 5.0,
                pods: None,
                duration_s: Some(600.0),
            },
            Action::MemoryLeak {
                mib_per_s: 2.5,
                pods: Some(1),
                duration_s: None,
            },
            Action::BadRelease {
                error_rate: 0.2,
                extra_latency_ms: 100.0,
                duration_s: Some(600.0),
            },
            Action::BadRelease {
                error_rate: 0.05,
                extra_latency_ms: 0.0,
                duration_s: None,
            },
            Action::Restore {
                fault: FaultKind::All,
            },
            Action::Restore {
                fault: FaultKind::MemoryLeak,
            },
            Action::Spike {
                multiplier: 10.0,
                ramp_up_s: 30.0,
                hold_s: 300.0,
                ramp_down_s: 60.0,
            },
            Action::SetMinReplicas { replicas: 5 },
            Action::SetMaxReplicas { replicas: 50 },
            Action::SetReplicas { replicas: 8 },
            Action::SetPausePods { count: 2 },
            Action::Partition {
                between: PartitionScope::Regions,
                minority_replicas: 1,
                minority_clients: 0.5,
                duration_s: Some(300.0),
            },
            Action::PacketLoss {
                fraction: 0.02,
                duration_s: None,
            },
            Action::CacheFlush,
            Action::CacheDown {
                duration_s: Some(120.0),
            },
            Action::SetCoalescing { on: true },
            Action::SetCoalescing { on: false },
            Action::FailPrimary { shard: 0 },
            Action::ReplicaLagSpike {
                ms: 5000.0,
                duration_s: 60.0,
                shard: 1,
            },
            Action::ClockSkew {
                ms: 250.0,
                duration_s: None,
            },
            Action::DnsFailure {
                duration_s: Some(600.0),
            },
            Action::StopConsumers {
                duration_s: Some(300.0),
            },
            Action::StopConsumers { duration_s: None },
            Action::DiskFull { duration_s: None },
            Action::DependencySlow {
                extra_ms: 800.0,
                tail_factor: 3.0,
                duration_s: Some(300.0),
            },
            Action::DependencyErrors {
                error_rate: 0.3,
                duration_s: None,
            },
            Action::DependencyDown {
                duration_s: Some(60.0),
            },
            Action::CdnPurge,
            Action::AddReplica,
            Action::ResizeDatabase { workers: 16 },
            Action::SetHotKeyShare { share: 0.25 },
            Action::SetConsistency {
                class: None,
                mode: ConsistencyMode::Eventual,
            },
            Action::SetConsistency {
                class: Some(DataClass::Cart),
                mode: ConsistencyMode::Strong,
            },
            Action::SetResolution {
                class: Some(DataClass::Inventory),
                resolution: ConflictResolution::Crdt,
            },
            Action::SetResolution {
                class: None,
                resolution: ConflictResolution::LastWriterWins,
            },
        ]
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
    /// Who queued it.
    #[serde(default)]
    pub by: ActionSource,
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
        self.pending.first().is_some_and(|i| i.at_s <= now_s + 1e-9)
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

/// A number for prose: at most two decimals, no trailing zeros ("10", "2.5", "0.3").
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "\u{221e}".to_string();
    }
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A duration for prose [s]: "45 s", "10 min", "1.5 h", "3 days".
pub fn duration_words(s: f64) -> String {
    if !s.is_finite() {
        "ever".to_string()
    } else if s < 90.0 {
        format!("{} s", num(s.max(0.0).round()))
    } else if s < 5400.0 {
        format!("{} min", num((s / 60.0 * 10.0).round() / 10.0))
    } else if s < 172_800.0 {
        format!("{} h", num((s / 3600.0 * 10.0).round() / 10.0))
    } else {
        format!("{} days", num((s / 86_400.0 * 10.0).round() / 10.0))
    }
}

/// Who queued an action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    /// The scenario's `[[events]]`.
    #[default]
    Scenario,
    /// A learner (the playground's buttons, a replayed link, the API).
    Learner,
}

impl ActionSource {
    /// "Scenario" or "Learner", the prefix of the action's line in the log.
    pub fn label(self) -> &'static str {
        match self {
            ActionSource::Scenario => "Scenario",
            ActionSource::Learner => "Learner",
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
            by: ActionSource::Learner,
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

    /// The variant's position in the enum; the exhaustive match makes a new
    /// variant fail to compile here until it is counted (and then listed in `examples`).
    fn variant(a: &Action) -> usize {
        match a {
            Action::KillPods { .. } => 0,
            Action::KillNode { .. } => 1,
            Action::KillPodId { .. } => 2,
            Action::KillNodeId { .. } => 3,
            Action::KillZone { .. } => 4,
            Action::RestoreZone { .. } => 5,
            Action::KillRegion { .. } => 6,
            Action::RestoreRegion { .. } => 7,
            Action::InjectLatency { .. } => 8,
            Action::CpuStress { .. } => 9,
            Action::MemoryLeak { .. } => 10,
            Action::BadRelease { .. } => 11,
            Action::Restore { .. } => 12,
            Action::Spike { .. } => 13,
            Action::SetMinReplicas { .. } => 14,
            Action::SetMaxReplicas { .. } => 15,
            Action::SetReplicas { .. } => 16,
            Action::SetPausePods { .. } => 17,
            Action::Partition { .. } => 18,
            Action::PacketLoss { .. } => 19,
            Action::CacheFlush => 20,
            Action::CacheDown { .. } => 21,
            Action::SetCoalescing { .. } => 22,
            Action::FailPrimary { .. } => 23,
            Action::ReplicaLagSpike { .. } => 24,
            Action::ClockSkew { .. } => 25,
            Action::DnsFailure { .. } => 26,
            Action::StopConsumers { .. } => 27,
            Action::DiskFull { .. } => 28,
            Action::DependencySlow { .. } => 29,
            Action::DependencyErrors { .. } => 30,
            Action::DependencyDown { .. } => 31,
            Action::CdnPurge => 32,
            Action::AddReplica => 33,
            Action::ResizeDatabase { .. } => 34,
            Action::SetHotKeyShare { .. } => 35,
            Action::SetConsistency { .. } => 36,
            Action::SetResolution { .. } => 37,
        }
    }

    #[test]
    fn the_examples_cover_every_action_variant() {
        let mut seen: Vec<usize> = Action::examples().iter().map(variant).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, (0..=37).collect::<Vec<_>>());
    }

    #[test]
    fn every_action_is_described_in_plain_words_not_debug_text() {
        for a in Action::examples() {
            let d = a.describe();
            let debug = format!("{a:?}");
            let variant_name = debug.split([' ', '{', '(']).next().unwrap_or("");
            assert!(!d.is_empty(), "{debug}");
            assert!(!d.contains('{') && !d.contains('}'), "{d}");
            assert!(!d.contains("Some(") && !d.contains("None"), "{d}");
            assert!(!d.contains("0000000"), "unrounded number in {d}");
            assert!(
                variant_name.len() < 6 || !d.contains(variant_name),
                "{d} repeats the Rust name {variant_name}"
            );
        }
    }

    #[test]
    fn a_spike_and_a_zone_kill_read_like_a_person_wrote_them() {
        let spike = Action::Spike {
            multiplier: 10.0,
            ramp_up_s: 30.0,
            hold_s: 300.0,
            ramp_down_s: 60.0,
        };
        assert_eq!(
            spike.describe(),
            "10\u{d7} traffic spike for 5 min (30 s ramp up, 60 s down)"
        );
        assert_eq!(
            Action::KillZone { zone: "b".into() }.describe(),
            "kill zone b: its nodes and pods die"
        );
        assert_eq!(Action::KillPodId { pod: 17 }.describe(), "kill pod 17");
    }

    #[test]
    fn targeted_kills_read_from_toml() {
        let a: ScheduledAction =
            toml::from_str("at_s = 5.0\naction = { kind = \"kill_pod_id\", pod = 12 }").unwrap();
        assert_eq!(a.action, Action::KillPodId { pod: 12 });
        let a: ScheduledAction =
            toml::from_str("at_s = 5.0\naction = { kind = \"kill_node_id\", node = 3 }").unwrap();
        assert_eq!(a.action, Action::KillNodeId { node: 3 });
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
