//! The `Action` enum: what a scenario's `[[events]]`, a learner's button, a
//! shared link or a question's setup can do to the world. Serde only: how an
//! action lives and ends is [`super::anatomy`], how it is worded
//! [`super::wording`], its URL code [`super::code`], and what it does
//! [`super::apply`].

use crate::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass};
use crate::sim::protection::{BackoffKind, CallEdge};
use crate::sim::resilience::backoff::Jitter;
use serde::{Deserialize, Serialize};

/// What a network partition cuts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PartitionScope {
    /// Zones of a region.
    #[default]
    Zones,
    /// Regions.
    Regions,
}
crate::named_enum!(PartitionScope {
    Zones = "zones",
    Regions = "regions",
});

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LatencyTarget {
    /// Every request served by the application.
    Service,
    /// Requests that cross a zone.
    CrossZone,
    /// Requests that cross a region.
    CrossRegion,
}
crate::named_enum!(LatencyTarget {
    Service = "service",
    CrossZone = "cross_zone",
    CrossRegion = "cross_region",
});

/// A kind of fault, for `restore` and the event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
crate::named_enum!(FaultKind {
    Latency = "latency",
    CpuStress = "cpu_stress",
    MemoryLeak = "memory_leak",
    BadRelease = "bad_release",
    Partition = "partition",
    PacketLoss = "packet_loss",
    CacheDown = "cache_down",
    ReplicaLag = "replica_lag",
    ClockSkew = "clock_skew",
    DnsFailure = "dns_failure",
    ConsumersStopped = "consumers_stopped",
    DiskFull = "disk_full",
    Dependency = "dependency",
    All = "all",
});

impl FaultKind {
    /// Every kind, in declaration order (`restore` links read their codes from it).
    pub const ALL: [FaultKind; 14] = [
        FaultKind::Latency,
        FaultKind::CpuStress,
        FaultKind::MemoryLeak,
        FaultKind::BadRelease,
        FaultKind::Partition,
        FaultKind::PacketLoss,
        FaultKind::CacheDown,
        FaultKind::ReplicaLag,
        FaultKind::ClockSkew,
        FaultKind::DnsFailure,
        FaultKind::ConsumersStopped,
        FaultKind::DiskFull,
        FaultKind::Dependency,
        FaultKind::All,
    ];

    /// Its place in [`FaultKind::ALL`]: an exhaustive match, so a new kind does not
    /// compile until it has a place (and `tests/inputs_catalogue.rs` checks that
    /// `ALL[k.index()] == k` for every kind, and that a `restore` of each survives
    /// its link code).
    pub const fn index(self) -> usize {
        match self {
            FaultKind::Latency => 0,
            FaultKind::CpuStress => 1,
            FaultKind::MemoryLeak => 2,
            FaultKind::BadRelease => 3,
            FaultKind::Partition => 4,
            FaultKind::PacketLoss => 5,
            FaultKind::CacheDown => 6,
            FaultKind::ReplicaLag => 7,
            FaultKind::ClockSkew => 8,
            FaultKind::DnsFailure => 9,
            FaultKind::ConsumersStopped => 10,
            FaultKind::DiskFull => 11,
            FaultKind::Dependency => 12,
            FaultKind::All => 13,
        }
    }
}

/// Something that happens to the world: a fault, a restore, a knob turned.
///
/// Written and read tagged by `kind` (`{ kind = "kill_pods", count = 3 }`)
/// through [`crate::sim::tagged`]: the derive gives the externally tagged code
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
    /// Add a read replica to every shard, ready after `replica_provision_s` (minutes: a database
    /// cannot scale out fast; docs/models.md#database).
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
    /// Give a call edge's client a new retry policy (`[retry.<edge>]`,
    /// docs/models.md#client-retries): these four fields; the rest (sleeps, timeouts, what
    /// is retried) stay the scenario's, or the defaults when it has none. On the clients'
    /// edge the retries already scheduled keep their due time; on a dependency edge
    /// (docs/models.md#retries-and-breakers-on-dependency-edges) the next calls retry so.
    SetClientRetries {
        /// Which edge's client retries: `client` (the default: the users' apps),
        /// `database`, `external` or `consumer`.
        #[serde(default, skip_serializing_if = "CallEdge::is_client")]
        edge: CallEdge,
        /// Attempts in all, the first included (1 never retries; 1 to 10).
        max_attempts: u32,
        /// How the sleep between attempts grows.
        backoff: BackoffKind,
        /// Jitter on the sleep.
        jitter: Jitter,
        /// A retry budget with Finagle's defaults (20 % of the first tries, 10 retries/s,
        /// over 10 s), or none.
        budget: bool,
    },
    /// Turn a call edge's circuit breaker (`[breaker.<edge>]`) on, with the scenario's
    /// policy or the defaults, closed; or off: an open breaker lets traffic through at once.
    SetClientBreaker {
        /// Which edge: `client` (the default), `database` or `external` (the consumers
        /// have no breaker).
        #[serde(default, skip_serializing_if = "CallEdge::is_client")]
        edge: CallEdge,
        /// On.
        on: bool,
    },
    /// Turn a feature flag (`[[flags]]`) on or off: off drops its class's requests or
    /// makes them cheaper (graceful degradation, docs/models.md#feature-flags-and-degraded-mode).
    SetFeatureFlag {
        /// The flag's name.
        name: String,
        /// On (the feature as usual) or off (degraded).
        on: bool,
    },
    /// Turn load shedding by priority (`[shedding]`) on, with the scenario's policy or
    /// the defaults (shed at 90 % CPU), or off.
    SetShedding {
        /// On.
        on: bool,
    },
    /// Roll the Deployment to a version (`[[versions]]`, or the starting one: a rollback)
    /// with its rolling-update strategy (`[deployment]`; docs/models.md#rolling-update).
    Rollout {
        /// The version's name.
        version: String,
    },
    /// Release a version as a canary: it takes a growing share of the traffic in the
    /// stages of `[canary]`, is compared with the stable version, and is rolled back on a
    /// trigger or promoted when every stage holds (docs/models.md#canary-releases).
    Canary {
        /// The version's name.
        version: String,
    },
    /// Release a version blue-green: a full second environment of it starts beside the
    /// running one and takes all the traffic once every pod is ready; the old one stays
    /// up as a standby until `[blue_green] scale_down_delay_s` has passed
    /// (docs/models.md#blue-green-releases).
    BlueGreen {
        /// The version's name.
        version: String,
    },
    /// Send every request back to the blue environment at once and remove green: the
    /// instant rollback of a blue-green release (ignored when none runs).
    SwitchBack,
    /// Restart a failed database primary at once, as an operator restarting the killed
    /// process would: the failover under way ends with the old primary back (no
    /// promotion, no writes lost to it). Ignored when the shard's primary is up.
    RestorePrimary {
        /// Shard (default 0).
        #[serde(default)]
        shard: u32,
    },
    /// Run a chaos experiment: the scenario's `[[experiments]]` of that name, or a Simian
    /// Army preset (`chaos-monkey`, `chaos-gorilla`, `chaos-kong`, `latency-monkey`):
    /// steady state first, then the method, watched by its abort conditions
    /// (docs/models.md#chaos-experiments).
    RunExperiment {
        /// The experiment's name.
        name: String,
    },
    /// Abort the experiment under way: its method stops and its faults are rolled back
    /// (the manual abort button).
    AbortExperiment,
}

// `Action::serialize` / `Action::deserialize` below are the derive's inherent
// (remote = "Self") functions, not these trait methods.
impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::sim::tagged::serialize(self, serializer, "kind", Action::serialize)
    }
}

/// An action is read from a table with its `kind` (`{ kind = "kill_pods", count = 3 }`,
/// as scenario and answers files write it) or from its link code (`"kp_3"`,
/// [`super::code`]), as the built-ins' JSON for the pages writes it
/// ([`crate::scenario::toml_to_json`]). The pages read codes only: the table reader
/// (30 KB of wasm) stays out of their wasm.
impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ActionReader)
    }
}

/// Reads an action from either of its written forms.
struct ActionReader;

impl<'de> serde::de::Visitor<'de> for ActionReader {
    type Value = Action;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an action: a table with its `kind`, or its link code such as \"kp_3\"")
    }

    fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Action, E> {
        super::code::decode_action("action", code).map_err(E::custom)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Action, A::Error> {
        crate::sim::tagged::visit_map(map, "kind", "Action", Action::deserialize)
    }
}

impl Action {
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
            Action::SetClientRetries {
                edge: CallEdge::Client,
                max_attempts: 4,
                backoff: BackoffKind::Exponential,
                jitter: Jitter::Full,
                budget: true,
            },
            Action::SetClientRetries {
                edge: CallEdge::External,
                max_attempts: 1,
                backoff: BackoffKind::None,
                jitter: Jitter::None,
                budget: false,
            },
            Action::SetClientBreaker {
                edge: CallEdge::Client,
                on: true,
            },
            Action::SetClientBreaker {
                edge: CallEdge::Database,
                on: false,
            },
            Action::SetFeatureFlag {
                name: "recommendations".into(),
                on: false,
            },
            Action::SetShedding { on: true },
            Action::Rollout {
                version: "v2".into(),
            },
            Action::Canary {
                version: "v2".into(),
            },
            Action::BlueGreen {
                version: "v2".into(),
            },
            Action::SwitchBack,
            Action::RestorePrimary { shard: 0 },
            Action::RunExperiment {
                name: "chaos-gorilla".into(),
            },
            Action::AbortExperiment,
        ]
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

/// Who queued an action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    /// The scenario's `[[events]]`.
    #[default]
    Scenario,
    /// A learner (the playground's buttons, a replayed link, the API).
    Learner,
    /// A chaos experiment's method or its rollback (docs/models.md#chaos-experiments).
    Experiment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_the_same_from_its_table_and_from_its_link_code() {
        for a in Action::examples() {
            let table = serde_json::to_value(&a).unwrap();
            let code = serde_json::Value::String(super::super::code::encode(&a));
            assert_eq!(Action::deserialize_from(&table), a, "{table}");
            assert_eq!(Action::deserialize_from(&code), a, "{code}");
        }
        let bad = serde_json::Value::String("zz_1".into());
        assert!(<Action as Deserialize>::deserialize(&bad).is_err());
    }

    impl Action {
        fn deserialize_from(v: &serde_json::Value) -> Action {
            <Action as Deserialize>::deserialize(v).unwrap()
        }
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
