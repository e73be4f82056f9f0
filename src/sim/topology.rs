//! Topology: regions contain zones, zones contain nodes, nodes contain pods.
//!
//! ```text
//!   region us-east ─┬─ zone a ─┬─ node 1 ─┬─ pod (Ready)
//!                   │          │          └─ pod (Warming)
//!                   │          └─ node 2 ─── pause pod (placeholder)
//!                   ├─ zone b ── …
//!                   └─ zone c ── …
//! ```
//!
//! Pod life: `Pending` (no node has room) → `Starting` (image pull + app start,
//! then the first readiness probe) → `Warming` (ready, but slower for the first
//! `warmup_s`) → `Ready` → `Draining` (graceful termination: out of the load
//! balancer, finishes its queue) → gone. A killed pod is `Dead`: it fails every
//! request the load balancer still sends it until the health checks notice.

use super::failure::FailureCounts;
use serde::{Deserialize, Serialize};

/// "No node": the pod is not scheduled.
pub const NO_NODE: u32 = u32::MAX;

/// A region and its zones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    /// Region name ("us-east-1").
    pub name: String,
    /// Share of the users' traffic that the GSLB sends here (normalised over regions).
    #[serde(default = "one")]
    pub traffic_share: f64,
    /// Zone names in this region.
    pub zones: Vec<String>,
}

/// How nodes are bought.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PriceClass {
    /// On-demand: the list price.
    #[default]
    OnDemand,
    /// Spot: cheaper, can be taken away.
    Spot,
    /// Reserved: cheaper, committed.
    Reserved,
}
crate::named_enum!(PriceClass {
    OnDemand = "on_demand",
    Spot = "spot",
    Reserved = "reserved",
});

/// The node pool: one node group per zone, all alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodePoolConfig {
    /// Allocatable CPU per node [millicores].
    pub cpu_m: i64,
    /// Allocatable memory per node [MiB].
    pub memory_mib: i64,
    /// Nodes per zone at t = 0.
    pub initial_per_zone: u32,
    /// Fewest nodes per zone the cluster autoscaler keeps.
    pub min_per_zone: u32,
    /// Most nodes per zone the cluster autoscaler may add.
    pub max_per_zone: u32,
    /// Time from the scale-up request until the node is ready [s] (GCE FAQ: 180–240 s).
    pub provision_delay_s: f64,
    /// How the nodes are bought.
    pub price_class: PriceClass,
}

impl Default for NodePoolConfig {
    fn default() -> Self {
        Self {
            cpu_m: 4000,
            memory_mib: 16_384,
            initial_per_zone: 1,
            min_per_zone: 1,
            max_per_zone: 20,
            provision_delay_s: 180.0,
            price_class: PriceClass::OnDemand,
        }
    }
}

/// The application pod's spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PodSpec {
    /// CPU request [millicores]: what the scheduler reserves and the HPA's 100 %.
    pub cpu_request_m: i64,
    /// CPU limit [millicores]: the most CPU the pod can burn.
    pub cpu_limit_m: i64,
    /// Memory request [MiB].
    pub memory_request_mib: i64,
    /// Memory limit [MiB]: above it the pod is OOM-killed.
    pub memory_limit_mib: i64,
    /// Image pull time [s].
    pub image_pull_s: f64,
    /// Application start time [s].
    pub app_start_s: f64,
    /// Time from app start to the first passing readiness probe [s].
    pub readiness_delay_s: f64,
    /// Warm-up: a fresh pod is slower for this long [s] (caches, JIT).
    pub warmup_s: f64,
    /// Speed of a fresh pod as a fraction of a warm one (0.5 = half speed), rising linearly.
    pub warmup_speed: f64,
    /// Graceful termination: time to drain in-flight requests before the kill [s].
    pub termination_grace_s: f64,
    /// Most requests a pod queues; more are refused [requests].
    pub queue_limit: f64,
    /// Request timeout [ms]: a request that would take longer fails.
    pub timeout_ms: f64,
    /// Base memory in use [MiB].
    pub memory_used_mib: f64,
    /// Time the container takes to restart after an OOM kill [s].
    pub restart_s: f64,
    /// Memory each request waiting in the pod's queue holds (its buffers and
    /// context) [KiB]; 0 leaves the queue out of the pod's memory. A backlog of
    /// `queue · memory_per_queued_kib / 1024` MiB on top of `memory_used_mib` past
    /// `memory_limit_mib` OOM-kills the pod (docs/models.md#overload).
    pub memory_per_queued_kib: f64,
}

impl Default for PodSpec {
    fn default() -> Self {
        Self {
            cpu_request_m: 500,
            cpu_limit_m: 1000,
            memory_request_mib: 512,
            memory_limit_mib: 1024,
            image_pull_s: 10.0,
            app_start_s: 15.0,
            readiness_delay_s: 5.0,
            warmup_s: 60.0,
            warmup_speed: 0.5,
            termination_grace_s: 30.0,
            queue_limit: 2000.0,
            timeout_ms: 10_000.0,
            memory_used_mib: 300.0,
            restart_s: 10.0,
            memory_per_queued_kib: 0.0,
        }
    }
}

impl PodSpec {
    /// Memory a pod holds with `queue` requests waiting, on top of `memory_mib` (its
    /// base and any leak) [MiB].
    #[inline]
    pub fn memory_in_use_mib(&self, memory_mib: f64, queue: f64) -> f64 {
        memory_mib + queue * self.memory_per_queued_kib / 1024.0
    }

    /// Time from scheduling to the first passing readiness probe [s].
    pub fn startup_s(&self) -> f64 {
        self.image_pull_s + self.app_start_s + self.readiness_delay_s
    }
}

/// Network hop latencies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// Extra latency of a cross-zone hop [ms] (about 1–2 ms).
    pub cross_zone_ms: f64,
    /// Extra latency of a cross-region hop [ms] (about 60–80 ms).
    pub cross_region_ms: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            cross_zone_ms: 1.5,
            cross_region_ms: 70.0,
        }
    }
}

/// The topology of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TopologyConfig {
    /// Regions and their zones.
    pub regions: Vec<RegionConfig>,
    /// The node pool.
    pub nodes: NodePoolConfig,
    /// The application's pods.
    pub pod: PodSpec,
    /// Replicas at t = 0.
    pub initial_replicas: u32,
    /// Network hops.
    pub network: NetworkConfig,
}

impl Default for TopologyConfig {
    fn default() -> Self {
        Self {
            regions: vec![RegionConfig {
                name: "region-1".into(),
                traffic_share: 1.0,
                zones: vec!["a".into(), "b".into(), "c".into()],
            }],
            nodes: NodePoolConfig::default(),
            pod: PodSpec::default(),
            initial_replicas: 3,
            network: NetworkConfig::default(),
        }
    }
}

fn one() -> f64 {
    1.0
}

/// A region at run time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Name.
    pub name: String,
    /// Normalised share of the users' traffic.
    pub traffic_share: f64,
    /// False while the region is killed.
    pub alive: bool,
}

/// A zone at run time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// Name.
    pub name: String,
    /// Index of its region.
    pub region: u16,
    /// Share of its region's users that connect through this zone.
    pub client_share: f64,
    /// False while the zone (or its region) is killed.
    pub alive: bool,
    /// Requests of this zone that failed in the last tick, by reason [requests].
    /// Requests that fail before reaching a pod (no capacity, region unreachable) are
    /// shared among zones by their clients, data-tier failures by what their pods served.
    #[serde(default)]
    pub failures: FailureCounts,
}

/// A node's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeState {
    /// Requested from the cloud, not yet ready.
    Provisioning,
    /// Ready: pods can run on it.
    Ready,
    /// Killed by a fault.
    Dead,
}

/// A node at run time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique id.
    pub id: u64,
    /// Zone index.
    pub zone: u16,
    /// State.
    pub state: NodeState,
    /// When a provisioning node becomes ready [s].
    pub ready_at_s: f64,
    /// When the node was requested [s].
    pub added_s: f64,
    /// Allocatable CPU [millicores].
    pub cpu_alloc_m: i64,
    /// Allocatable memory [MiB].
    pub mem_alloc_mib: i64,
    /// CPU requested by the pods placed on it [millicores].
    pub cpu_requested_m: i64,
    /// Memory requested by the pods placed on it [MiB].
    pub mem_requested_mib: i64,
    /// Pods placed on it (app and pause).
    pub pods: u32,
    /// How it is bought.
    pub price_class: PriceClass,
}

impl Node {
    /// True when `cpu_m` and `mem_mib` more fit on this ready node.
    pub fn fits(&self, cpu_m: i64, mem_mib: i64) -> bool {
        self.state == NodeState::Ready
            && self.cpu_requested_m + cpu_m <= self.cpu_alloc_m
            && self.mem_requested_mib + mem_mib <= self.mem_alloc_mib
    }
}

/// What a pod is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodKind {
    /// The application.
    App,
    /// A low-priority placeholder that only reserves room (over-provisioning, docs/models.md#cluster-autoscaler).
    Pause,
}

/// A pod's life (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PodState {
    /// No node has room.
    Pending,
    /// Pulling its image and starting.
    Starting,
    /// Ready but slower than a warm pod.
    Warming,
    /// Ready and warm.
    Ready,
    /// Terminating gracefully: no new requests, finishing its queue.
    Draining,
    /// Killed; gone once the load balancer stops sending to it.
    Dead,
}

impl PodState {
    /// True when the pod passes its readiness probe.
    pub fn is_ready(self) -> bool {
        matches!(self, PodState::Warming | PodState::Ready)
    }
}

/// A pod at run time: 128 bytes, two cache lines (`repr(C, align(64))`, checked at
/// compile time). The first line holds what the passes other than service read (routing,
/// kubelet timers, accounting, health checks), the second what only service adds. Its lifecycle times, read only at HPA syncs and autoscaler scans, live
/// beside it in [`PodTimes`], so a pass over many pods streams two lines per pod and the
/// cost per pod stays flat when the pods outgrow the CPU cache.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[repr(C, align(64))]
pub struct Pod {
    /// App or pause pod.
    pub kind: PodKind,
    /// State.
    pub state: PodState,
    /// The load balancer routes to it (its health-check view, which lags reality).
    pub in_lb: bool,
    /// Consecutive failed health checks.
    pub hc_failures: u8,
    /// Zone index (of its node; for a pending pod, the zone it was last in or 0).
    pub zone: u16,
    /// Its version: an index into the world's versions, 0 the starting one
    /// (docs/models.md#rolling-update). Fits the byte of padding before `node`.
    #[serde(default)]
    pub version: u8,
    /// Node index, or [`NO_NODE`].
    pub node: u32,
    /// Container restarts.
    pub restarts: u32,
    /// Requests routed to it this tick (scratch, rewritten every tick).
    #[serde(skip)]
    pub routed: f64,
    /// When the current state's timer ends [s]: ready (Starting), warm (Warming),
    /// gone (Draining), restarted (Dead after an OOM kill).
    pub timer_s: f64,
    /// Requests waiting [requests].
    pub queue: f64,
    /// Sticky sessions pinned to it.
    pub sessions: f64,
    /// Since when the load balancer routes to it [s] (slow start).
    pub in_lb_since_s: f64,
    /// Of those, the fraction that crossed a zone (scratch).
    #[serde(skip)]
    pub cross_zone: f64,
    /// Of those, the fraction that crossed a region (scratch).
    #[serde(skip)]
    pub cross_region: f64,
    /// Requests routed to it since the last HPA sync [requests].
    pub requests_since_sync: f64,
    /// Fraction of its CPU burned by a stress fault (0..1).
    pub cpu_stress: f64,
    /// CPU used in the last tick [millicores].
    pub cpu_usage_m: f64,
    /// CPU time used since the last HPA sync [ms].
    pub cpu_used_ms_since_sync: f64,
    /// Memory in use [MiB].
    pub memory_mib: f64,
    /// Memory leak rate [MiB/s] (fault).
    pub leak_mib_per_s: f64,
    /// Unique id.
    pub id: u64,
}

/// A pod's lifecycle times, kept beside it (`World::pod_times`, same index as `World::pods`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PodTimes {
    /// Creation time [s].
    pub created_s: f64,
    /// When the pod started on a node [s] (k8s `status.startTime`).
    pub start_time_s: Option<f64>,
    /// Last readiness change [s].
    pub last_ready_transition_s: Option<f64>,
}

impl PodTimes {
    /// A pod created at `now_s`, not started.
    pub fn new(now_s: f64) -> Self {
        PodTimes {
            created_s: now_s,
            start_time_s: None,
            last_ready_transition_s: None,
        }
    }
}

const _: () = assert!(std::mem::size_of::<Pod>() == 128, "Pod is two cache lines");

impl Pod {
    /// A new pending pod.
    pub fn new(id: u64, kind: PodKind, memory_mib: f64) -> Self {
        Self {
            id,
            kind,
            state: PodState::Pending,
            node: NO_NODE,
            zone: 0,
            version: 0,
            timer_s: 0.0,
            in_lb: false,
            in_lb_since_s: 0.0,
            hc_failures: 0,
            queue: 0.0,
            sessions: 0.0,
            memory_mib,
            leak_mib_per_s: 0.0,
            cpu_stress: 0.0,
            restarts: 0,
            cpu_usage_m: 0.0,
            cpu_used_ms_since_sync: 0.0,
            requests_since_sync: 0.0,
            routed: 0.0,
            cross_zone: 0.0,
            cross_region: 0.0,
        }
    }

    /// An app pod the Deployment counts: not terminating and not dead.
    pub fn is_live_app(&self) -> bool {
        self.kind == PodKind::App && self.state < PodState::Draining
    }
}
