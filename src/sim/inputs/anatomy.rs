//! What the engine must know of every action, in one exhaustive match
//! ([`Action::anatomy`]): how long it lives, which fault targets it holds, the
//! tier it acts on and what it aims at. A new variant does not compile until
//! it says all four; the queue, the apply dispatcher, the scenario checks and
//! the chart bands read them from here, never from a list of their own.
//!
//! ```text
//!   Action ─anatomy()─▶ lifetime  Instant │ Fault { kind, duration_s, holds } │ SelfTimed { kind, duration_s }
//!                       tier      None (every world has it) │ Some(Tier)
//!                       aim       Anywhere │ Zone(name) │ Region(name) │ Shard(n) │ Pod(id) │ Node(id)
//! ```

use super::action::{Action, FaultKind, LatencyTarget};
use crate::scenario::Scenario;
use crate::sim::protection::CallEdge;
use serde::{Deserialize, Serialize};

/// How long an action lives.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lifetime {
    /// Done when applied: a kill, a knob, a purge, a restore.
    Instant,
    /// A fault of `kind` in force until restored or, when `duration_s` is set,
    /// until the restore the queue schedules at its end.
    Fault {
        /// The kind a `restore` names to clear it.
        kind: FaultKind,
        /// How long it lasts [s]; `None` = until restored.
        duration_s: Option<f64>,
        /// What it sets, and so holds until it ends.
        holds: Holds,
    },
    /// A fault the component ends itself after `duration_s` (the replica lag
    /// spike: the database keeps its own clock); a restore of `kind` ends it early.
    SelfTimed {
        /// The kind a `restore` names to clear it.
        kind: FaultKind,
        /// How long it lasts [s].
        duration_s: f64,
    },
}

impl Lifetime {
    /// The fault kind, for a fault of either sort.
    pub fn fault_kind(self) -> Option<FaultKind> {
        match self {
            Lifetime::Instant => None,
            Lifetime::Fault { kind, .. } | Lifetime::SelfTimed { kind, .. } => Some(kind),
        }
    }

    /// When the fault ends on its own [s after it starts]; `None` for an
    /// instant action or a fault held until restored.
    pub fn ends_after_s(self) -> Option<f64> {
        match self {
            Lifetime::Instant => None,
            Lifetime::Fault { duration_s, .. } => duration_s,
            Lifetime::SelfTimed { duration_s, .. } => Some(duration_s),
        }
    }
}

/// What one fault injection sets, and so holds until it ends, is replaced or
/// is rolled back: the latest injection on a target replaces what was there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTarget {
    /// Injected latency on every request.
    ServiceLatency,
    /// Injected latency on cross-zone hops.
    CrossZoneLatency,
    /// Injected latency on cross-region hops.
    CrossRegionLatency,
    /// The release in force (a bad one).
    Release,
    /// CPU stress on the pod with this id.
    CpuStress(u64),
    /// A memory leak in the pod with this id.
    MemoryLeak(u64),
    /// A network partition of the replicated store.
    Partition,
    /// Packet loss on the store's replica links.
    PacketLoss,
    /// The cache is down.
    CacheDown,
    /// Clock skew between write sites.
    ClockSkew,
    /// DNS resolution fails.
    DnsFailure,
    /// The Kafka consumers are stopped.
    ConsumersStopped,
    /// The database's disk is full.
    DiskFull,
    /// The external dependency is slow.
    DependencySlow,
    /// The external dependency fails a share of its calls.
    DependencyErrors,
    /// The external dependency is down.
    DependencyDown,
}

impl FaultTarget {
    /// The kind a `restore` names to clear it.
    pub fn kind(self) -> FaultKind {
        match self {
            FaultTarget::ServiceLatency
            | FaultTarget::CrossZoneLatency
            | FaultTarget::CrossRegionLatency => FaultKind::Latency,
            FaultTarget::Release => FaultKind::BadRelease,
            FaultTarget::CpuStress(_) => FaultKind::CpuStress,
            FaultTarget::MemoryLeak(_) => FaultKind::MemoryLeak,
            FaultTarget::Partition => FaultKind::Partition,
            FaultTarget::PacketLoss => FaultKind::PacketLoss,
            FaultTarget::CacheDown => FaultKind::CacheDown,
            FaultTarget::ClockSkew => FaultKind::ClockSkew,
            FaultTarget::DnsFailure => FaultKind::DnsFailure,
            FaultTarget::ConsumersStopped => FaultKind::ConsumersStopped,
            FaultTarget::DiskFull => FaultKind::DiskFull,
            FaultTarget::DependencySlow
            | FaultTarget::DependencyErrors
            | FaultTarget::DependencyDown => FaultKind::Dependency,
        }
    }

    /// The pod a target is on, if it is a pod's.
    pub fn pod(self) -> Option<u64> {
        match self {
            FaultTarget::CpuStress(pod) | FaultTarget::MemoryLeak(pod) => Some(pod),
            FaultTarget::ServiceLatency
            | FaultTarget::CrossZoneLatency
            | FaultTarget::CrossRegionLatency
            | FaultTarget::Release
            | FaultTarget::Partition
            | FaultTarget::PacketLoss
            | FaultTarget::CacheDown
            | FaultTarget::ClockSkew
            | FaultTarget::DnsFailure
            | FaultTarget::ConsumersStopped
            | FaultTarget::DiskFull
            | FaultTarget::DependencySlow
            | FaultTarget::DependencyErrors
            | FaultTarget::DependencyDown => None,
        }
    }
}

/// What a fault injection holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// One target the whole world shares.
    Shared(FaultTarget),
    /// One target on each pod it took.
    EachPod(PodFault),
}

/// A fault set pod by pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodFault {
    /// CPU stress.
    CpuStress,
    /// A memory leak.
    MemoryLeak,
}

impl PodFault {
    /// The target this fault holds on pod `pod`.
    pub fn on(self, pod: u64) -> FaultTarget {
        match self {
            PodFault::CpuStress => FaultTarget::CpuStress(pod),
            PodFault::MemoryLeak => FaultTarget::MemoryLeak(pod),
        }
    }
}

/// A tier an action acts on that a scenario may not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The replicated store (`[consistency]`).
    Store,
    /// The cache (`[cache]`).
    Cache,
    /// The database (`[database]`).
    Database,
    /// The global load balancer (`[gslb]`).
    Gslb,
    /// The HorizontalPodAutoscaler (`[hpa]`).
    Hpa,
    /// The Kafka consumer group (`[kafka]`).
    Kafka,
    /// The external dependency (`[external]`).
    External,
    /// The CDN (`[cdn]`).
    Cdn,
}

impl Tier {
    /// The tier in words ("replicated store").
    pub fn words(self) -> &'static str {
        match self {
            Tier::Store => "replicated store",
            Tier::Cache => "cache",
            Tier::Database => "database",
            Tier::Gslb => "global load balancer",
            Tier::Hpa => "HorizontalPodAutoscaler",
            Tier::Kafka => "Kafka consumer group",
            Tier::External => "external dependency",
            Tier::Cdn => "CDN",
        }
    }

    /// The scenario table that adds it ("[cache]").
    pub fn table(self) -> &'static str {
        match self {
            Tier::Store => "[consistency]",
            Tier::Cache => "[cache]",
            Tier::Database => "[database]",
            Tier::Gslb => "[gslb]",
            Tier::Hpa => "[hpa]",
            Tier::Kafka => "[kafka]",
            Tier::External => "[external]",
            Tier::Cdn => "[cdn]",
        }
    }

    /// Whether scenario `s` has it.
    pub fn in_scenario(self, s: &Scenario) -> bool {
        match self {
            Tier::Store => s.consistency.is_some(),
            Tier::Cache => s.cache.is_some(),
            Tier::Database => s.database.is_some(),
            Tier::Gslb => s.gslb.is_some(),
            Tier::Hpa => s.hpa.is_some(),
            Tier::Kafka => s.kafka.is_some(),
            Tier::External => s.external.is_some(),
            Tier::Cdn => s.cdn.is_some(),
        }
    }
}

/// What an action aims at, as written (names unresolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aim<'a> {
    /// The service, its fleet or a tier as a whole.
    Anywhere,
    /// The zone with this name.
    Zone(&'a str),
    /// The region with this name.
    Region(&'a str),
    /// The database shard with this index.
    Shard(u32),
    /// The pod with this id.
    Pod(u64),
    /// The node with this id.
    Node(u64),
}

/// Everything the engine must know of one action.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anatomy<'a> {
    /// How long it lives.
    pub lifetime: Lifetime,
    /// The tier it acts on; `None` for the service, its pods, nodes, zones and
    /// traffic, which every scenario has.
    pub tier: Option<Tier>,
    /// What it aims at.
    pub aim: Aim<'a>,
}

impl Action {
    /// The action's [`Anatomy`]: one exhaustive arm per variant.
    pub fn anatomy(&self) -> Anatomy<'_> {
        use Aim::Anywhere;
        fn instant(tier: Option<Tier>, aim: Aim<'_>) -> (Lifetime, Option<Tier>, Aim<'_>) {
            (Lifetime::Instant, tier, aim)
        }
        let shared =
            |kind: FaultKind, duration_s: &Option<f64>, target: FaultTarget| Lifetime::Fault {
                kind,
                duration_s: *duration_s,
                holds: Holds::Shared(target),
            };
        let (lifetime, tier, aim) = match self {
            Action::KillPods { zone, .. } | Action::KillNode { zone } => {
                instant(None, zone.as_deref().map_or(Anywhere, Aim::Zone))
            }
            Action::KillPodId { pod } => instant(None, Aim::Pod(*pod)),
            Action::KillNodeId { node } => instant(None, Aim::Node(*node)),
            Action::KillZone { zone } | Action::RestoreZone { zone } => {
                instant(None, Aim::Zone(zone))
            }
            Action::KillRegion { region } | Action::RestoreRegion { region } => {
                instant(None, Aim::Region(region))
            }
            Action::InjectLatency {
                target, duration_s, ..
            } => {
                let held = match target {
                    LatencyTarget::Service => FaultTarget::ServiceLatency,
                    LatencyTarget::CrossZone => FaultTarget::CrossZoneLatency,
                    LatencyTarget::CrossRegion => FaultTarget::CrossRegionLatency,
                };
                (shared(FaultKind::Latency, duration_s, held), None, Anywhere)
            }
            Action::CpuStress { duration_s, .. } => (
                Lifetime::Fault {
                    kind: FaultKind::CpuStress,
                    duration_s: *duration_s,
                    holds: Holds::EachPod(PodFault::CpuStress),
                },
                None,
                Anywhere,
            ),
            Action::MemoryLeak { duration_s, .. } => (
                Lifetime::Fault {
                    kind: FaultKind::MemoryLeak,
                    duration_s: *duration_s,
                    holds: Holds::EachPod(PodFault::MemoryLeak),
                },
                None,
                Anywhere,
            ),
            Action::BadRelease { duration_s, .. } => (
                shared(FaultKind::BadRelease, duration_s, FaultTarget::Release),
                None,
                Anywhere,
            ),
            Action::Restore { .. }
            | Action::Spike { .. }
            | Action::SetReplicas { .. }
            | Action::SetPausePods { .. }
            | Action::SetFeatureFlag { .. }
            | Action::SetShedding { .. }
            | Action::Rollout { .. }
            | Action::Canary { .. }
            | Action::BlueGreen { .. }
            | Action::SwitchBack
            | Action::RunExperiment { .. }
            | Action::AbortExperiment => instant(None, Anywhere),
            Action::RestorePrimary { shard } => instant(Some(Tier::Database), Aim::Shard(*shard)),
            Action::SetClientRetries { edge, .. } | Action::SetClientBreaker { edge, .. } => {
                let tier = match edge {
                    CallEdge::Client => None,
                    CallEdge::Database => Some(Tier::Database),
                    CallEdge::External => Some(Tier::External),
                    CallEdge::Consumer => Some(Tier::Kafka),
                    CallEdge::Cache => Some(Tier::Cache),
                };
                instant(tier, Anywhere)
            }
            Action::SetMinReplicas { .. } | Action::SetMaxReplicas { .. } => {
                instant(Some(Tier::Hpa), Anywhere)
            }
            Action::Partition { duration_s, .. } => (
                shared(FaultKind::Partition, duration_s, FaultTarget::Partition),
                Some(Tier::Store),
                Anywhere,
            ),
            Action::PacketLoss { duration_s, .. } => (
                shared(FaultKind::PacketLoss, duration_s, FaultTarget::PacketLoss),
                Some(Tier::Store),
                Anywhere,
            ),
            Action::ClockSkew { duration_s, .. } => (
                shared(FaultKind::ClockSkew, duration_s, FaultTarget::ClockSkew),
                Some(Tier::Store),
                Anywhere,
            ),
            Action::SetConsistency { .. } | Action::SetResolution { .. } => {
                instant(Some(Tier::Store), Anywhere)
            }
            Action::CacheFlush | Action::SetCoalescing { .. } => {
                instant(Some(Tier::Cache), Anywhere)
            }
            Action::CacheDown { duration_s } => (
                shared(FaultKind::CacheDown, duration_s, FaultTarget::CacheDown),
                Some(Tier::Cache),
                Anywhere,
            ),
            Action::FailPrimary { shard } => instant(Some(Tier::Database), Aim::Shard(*shard)),
            Action::ReplicaLagSpike {
                duration_s, shard, ..
            } => (
                Lifetime::SelfTimed {
                    kind: FaultKind::ReplicaLag,
                    duration_s: *duration_s,
                },
                Some(Tier::Database),
                Aim::Shard(*shard),
            ),
            Action::DiskFull { duration_s } => (
                shared(FaultKind::DiskFull, duration_s, FaultTarget::DiskFull),
                Some(Tier::Database),
                Anywhere,
            ),
            Action::AddReplica | Action::ResizeDatabase { .. } | Action::SetHotKeyShare { .. } => {
                instant(Some(Tier::Database), Anywhere)
            }
            Action::DnsFailure { duration_s } => (
                shared(FaultKind::DnsFailure, duration_s, FaultTarget::DnsFailure),
                Some(Tier::Gslb),
                Anywhere,
            ),
            Action::StopConsumers { duration_s } => (
                shared(
                    FaultKind::ConsumersStopped,
                    duration_s,
                    FaultTarget::ConsumersStopped,
                ),
                Some(Tier::Kafka),
                Anywhere,
            ),
            Action::DependencySlow { duration_s, .. } => (
                shared(
                    FaultKind::Dependency,
                    duration_s,
                    FaultTarget::DependencySlow,
                ),
                Some(Tier::External),
                Anywhere,
            ),
            Action::DependencyErrors { duration_s, .. } => (
                shared(
                    FaultKind::Dependency,
                    duration_s,
                    FaultTarget::DependencyErrors,
                ),
                Some(Tier::External),
                Anywhere,
            ),
            Action::DependencyDown { duration_s } => (
                shared(
                    FaultKind::Dependency,
                    duration_s,
                    FaultTarget::DependencyDown,
                ),
                Some(Tier::External),
                Anywhere,
            ),
            Action::CdnPurge => instant(Some(Tier::Cdn), Anywhere),
        };
        Anatomy {
            lifetime,
            tier,
            aim,
        }
    }

    /// How long the action lives ([`Anatomy::lifetime`]).
    pub fn lifetime(&self) -> Lifetime {
        self.anatomy().lifetime
    }
}
