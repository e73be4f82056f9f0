//! Kubernetes Cluster Autoscaler (docs/models.md#cluster-autoscaler): scale-up on unschedulable pods,
//! scale-down of under-utilized nodes that stayed unneeded for long enough.
//!
//! ```text
//!   Pending pods ──(every scan, 10 s)──▶ fit on a group's template node? ──▶ ScaleUp(group, n)
//!                                                                           nodes ready after
//!                                                                           the provisioning delay
//!   Nodes: util = max(cpu req/alloc, mem req/alloc) < 0.5
//!          └─▶ removal simulation: every pod placed on another node? ──no──▶ kept (NoPlaceToMovePods)
//!                 │ yes (the pods stay placed there for the next candidates)
//!                 └─▶ unneeded since T ──(now > T + 10 min, no cooldown)──▶ ScaleDown([nodes])
//! ```
//!
//! The CA never reads CPU *usage*: only requests and schedulability.
//!
//! **Removal simulation** (upstream `simulator/cluster.go`, `RemovalSimulator.FindNodesToRemove`
//! and `SimulateNodeRemoval`, called from `core/scaledown/planner/planner.go`
//! `categorizeNodes`): each under-utilized candidate in turn (empty nodes first, then
//! those already unneeded, then the others, as upstream's candidate sorting does) is
//! removable only if each of its pods fits, by CPU **and** memory requests, one pod on
//! one node, on a ready node that is not itself being removed. Placements of a
//! removable candidate persist for the candidates after it (upstream commits the
//! forked snapshot: `persistSuccessfulSimulations`), and the removable candidate stops
//! being a destination (`delete(podDestinations, …)`). Pods are placed first-fit in
//! node order (upstream's `HintingSimulator` walks the nodes in order). A free-capacity
//! *sum* is not enough: three 4-core nodes with 1.5-core pods at 75 %, 75 % and 37.5 %
//! have 2 cores free elsewhere but no 1.5-core hole (kubernetes/autoscaler#4125).
//! Pods to move exclude terminating ones (they are not recreated). Pause pods
//! (over-provisioning) count like any pod: the FAQ gives them priority −10, which is
//! not below the default `--expendable-pods-priority-cutoff` of −10, so they are not
//! expendable: they trigger scale-ups and must find room elsewhere before their node
//! goes ("How does Cluster Autoscaler work with Pod Priority and Preemption?").
//! The simulation is linear in nodes and pods: identical pods are placed as a group,
//! and a first-fit cursor per pod shape skips nodes already known to be too full.
//!
//! Timing, exactly as the upstream code reads:
//! - a node is removable when `unneeded_since + scale_down_unneeded_time < now`
//!   (strictly more than 10 min: `!unneededSince.Add(unneededTime).Before(now)` skips it);
//!   with scans at 0, 10, 20 … a node unneeded from t = 0 is first removed at t = 610 s;
//! - scale-down is in cooldown while `last_event + delay > now` (Go `After`), for the
//!   last scale-up (10 min), last scale-down (one scan) and last failure (3 min);
//! - unneeded time keeps accruing during a cooldown (it is updated before the check).
//!
//! Scale-up: pending pods younger than `new_pod_scale_up_delay_s` are ignored;
//! the others first fill the free room of nodes already being provisioned
//! (`nodes_current` − registered nodes of the group, each an empty template) and
//! of registered nodes that are not Ready yet; the rest are first-fit packed onto template nodes of every group
//! whose zone matches the pod, capped at `max_nodes`. The **expander is
//! `least-waste`**: the option leaving the smallest mean fraction of unused CPU
//! and memory on its new nodes wins; ties go to the option helping more pods,
//! then to the lower group id. (The FAQ's default `random` is not used because
//! the simulator must be deterministic.)
//!
//! Scale-down: empty nodes go in bulk (up to `max_empty_bulk_delete`), otherwise
//! one non-empty node at a time (the least utilized, then the longest unneeded,
//! then the lowest id). A group never drops below `min_nodes`. Unready registered
//! nodes use `scale_down_unready_time_s` (20 min) instead of the unneeded time.
//!
//! Contract with the caller: call [`ClusterAutoscaler::reconcile`] once per scan
//! with the scan time; carry out the intent (nodes returned by `ScaleDown` must
//! leave the view or show `removable = false` while they drain). Calling again at
//! the same `now_s` with the same view returns the same intent.

use super::events::counted;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Cluster Autoscaler flags. `Default` gives the upstream defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaConfig {
    /// `--scan-interval` [s].
    pub scan_interval_s: f64,
    /// `--scale-down-utilization-threshold` (fraction of allocatable).
    pub scale_down_utilization_threshold: f64,
    /// `--scale-down-unneeded-time` [s].
    pub scale_down_unneeded_time_s: f64,
    /// `--scale-down-unready-time` [s]: unneeded time for unready nodes.
    pub scale_down_unready_time_s: f64,
    /// `--scale-down-delay-after-add` [s].
    pub scale_down_delay_after_add_s: f64,
    /// `--scale-down-delay-after-delete` [s] (defaults to the scan interval).
    pub scale_down_delay_after_delete_s: f64,
    /// `--scale-down-delay-after-failure` [s].
    pub scale_down_delay_after_failure_s: f64,
    /// Node provisioning latency [s]: a provider property, not a CA flag (GCE: 180–240 s).
    pub provisioning_delay_s: f64,
    /// `--max-empty-bulk-delete` [nodes].
    pub max_empty_bulk_delete: u32,
    /// `--new-pod-scale-up-delay` [s]: pending pods younger than this are ignored.
    pub new_pod_scale_up_delay_s: f64,
}

impl Default for CaConfig {
    fn default() -> Self {
        Self {
            scan_interval_s: 10.0,
            scale_down_utilization_threshold: 0.5,
            scale_down_unneeded_time_s: 600.0,
            scale_down_unready_time_s: 1200.0,
            scale_down_delay_after_add_s: 600.0,
            scale_down_delay_after_delete_s: 10.0,
            scale_down_delay_after_failure_s: 180.0,
            provisioning_delay_s: 180.0,
            max_empty_bulk_delete: 10,
            new_pod_scale_up_delay_s: 0.0,
        }
    }
}

/// A node group (one per zone, typically) as the CA sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeGroupView {
    pub id: u32,
    pub zone: u32,
    pub min_nodes: u32,
    pub max_nodes: u32,
    /// Registered + still provisioning [nodes].
    pub nodes_current: u32,
    /// Allocatable CPU of a new (template) node [millicores].
    pub node_cpu_allocatable_m: i64,
    /// Allocatable memory of a new (template) node [MiB].
    pub node_mem_allocatable_mib: i64,
}

/// A registered node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeView {
    pub id: u64,
    pub group: u32,
    /// Sum of the CPU requests of its pods [millicores].
    pub cpu_requests_m: i64,
    /// Sum of the memory requests of its pods [MiB].
    pub mem_requests_mib: i64,
    pub cpu_allocatable_m: i64,
    pub mem_allocatable_mib: i64,
    pub ready: bool,
    /// No pod on it forbids a drain (PodDisruptionBudget, local storage, bare pod, or a
    /// node being drained). Whether its pods find room elsewhere is simulated by the CA.
    pub removable: bool,
    /// Pods on the node [pods]; 0 means empty (bulk deletion).
    pub pod_count: u32,
    /// Registration time [s].
    pub created_s: f64,
    /// The pods to move if the node goes: indices into [`ClusterView::pods`] (groups of
    /// identical pods). Empty when nothing needs a new home.
    pub pods: std::ops::Range<usize>,
}

/// Pods of one shape running on a registered node, to be placed elsewhere if it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodGroupView {
    /// CPU request of each pod [millicores].
    pub cpu_request_m: i64,
    /// Memory request of each pod [MiB].
    pub mem_request_mib: i64,
    /// How many such pods [pods].
    pub count: u32,
}

/// A pod whose PodScheduled condition is False/Unschedulable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingPodView {
    pub cpu_request_m: i64,
    pub mem_request_mib: i64,
    /// Zone the pod is restricted to, if any.
    pub zone: Option<u32>,
    /// Unschedulable since [s].
    pub since_s: f64,
}

/// What the CA reads on each scan.
#[derive(Clone, Copy, Debug)]
pub struct ClusterView<'a> {
    /// Node groups.
    pub groups: &'a [NodeGroupView],
    /// Registered nodes.
    pub nodes: &'a [NodeView],
    /// Unschedulable pods.
    pub pending: &'a [PendingPodView],
    /// Pods running on the nodes, grouped by shape; each node's are `pods[node.pods]`.
    pub pods: &'a [PodGroupView],
}

/// Why the CA keeps an under-utilized node (upstream `UnremovableReason`,
/// `simulator/cluster.go`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unremovable {
    /// `NoPlaceToMovePods`: the removal simulation found no room on the other nodes
    /// for `unplaced` of its `pods` pods.
    NoPlaceToMovePods {
        /// Pods on the node that need a new home [pods].
        pods: u32,
        /// Of those, pods that fit on no other node [pods].
        unplaced: u32,
    },
    /// Its own pods fit elsewhere, but the simulation placed on it the `pods` pods of
    /// nodes found removable earlier in the same pass, and those fit nowhere else
    /// (upstream reports this as `NoPlaceToMovePods` too).
    NoPlaceForMovedPods {
        /// Pods moved onto it in the simulation [pods].
        pods: u32,
    },
}

impl fmt::Display for Unremovable {
    /// Short and concrete: "its pod fits on no other node", "2 of its 3 pods fit on no other node".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unremovable::NoPlaceToMovePods { pods, unplaced } => match (*pods, *unplaced) {
                (1, _) => write!(f, "its pod fits on no other node"),
                (p, u) if u >= p => write!(f, "its {p} pods fit on no other node"),
                (p, 1) => write!(f, "1 of its {p} pods fits on no other node"),
                (p, u) => write!(f, "{u} of its {p} pods fit on no other node"),
            },
            Unremovable::NoPlaceForMovedPods { .. } => {
                write!(f, "it is where the pods of other removable nodes would go")
            }
        }
    }
}

/// Which delay holds scale-down back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cooldown {
    AfterAdd,
    AfterDelete,
    AfterFailure,
}

/// Why a scan did nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CaReason {
    /// No pending pods and no under-utilized node.
    AllNodesNeeded,
    /// Pending pods are younger than `new_pod_scale_up_delay_s`.
    PendingPodsTooYoung { pods: u32 },
    /// Pending pods will fit on nodes that are already being provisioned.
    WaitingForProvisioning { pods: u32 },
    /// Pending pods do not fit a template node of any (zone-compatible) group.
    PendingPodsDoNotFitAnyNodeGroup { pods: u32 },
    /// Every group that could help is at `max_nodes`.
    AtMaxNodes { pods: u32 },
    /// Scale-down is in cooldown until `until_s`.
    ScaleDownCooldown { cause: Cooldown, until_s: f64 },
    /// Some nodes are unneeded but not yet for long enough.
    UnneededNotLongEnough {
        nodes: u32,
        first_removable_after_s: f64,
    },
    /// Unneeded nodes exist but their groups are at `min_nodes`.
    AtMinNodes { nodes: u32 },
    /// Under-utilized nodes exist, but the removal simulation finds no room elsewhere
    /// for their pods (upstream `NoPlaceToMovePods`).
    NoPlaceToMovePods { nodes: u32 },
}

/// "is" for one, "are" for more.
fn be(n: u32) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

impl fmt::Display for CaReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaReason::AllNodesNeeded => write!(f, "no pending pods and every node is needed"),
            CaReason::PendingPodsTooYoung { pods } => {
                let (n, are) = (counted(*pods, "pending pod", "pending pods"), be(*pods));
                write!(f, "{n} {are} younger than the new-pod scale-up delay")
            }
            CaReason::WaitingForProvisioning { pods } => {
                let n = counted(*pods, "pending pod", "pending pods");
                write!(f, "{n} will fit on nodes already being provisioned")
            }
            CaReason::PendingPodsDoNotFitAnyNodeGroup { pods } => {
                let n = counted(*pods, "pending pod", "pending pods");
                let fit = if *pods == 1 {
                    "does not fit"
                } else {
                    "do not fit"
                };
                write!(f, "{n} {fit} any node group")
            }
            CaReason::AtMaxNodes { pods } => {
                let n = counted(*pods, "pending pod", "pending pods");
                let need = if *pods == 1 {
                    "needs a node"
                } else {
                    "need nodes"
                };
                write!(f, "{n} {need} but the node groups are at max nodes")
            }
            CaReason::ScaleDownCooldown { cause, until_s } => {
                let what = match cause {
                    Cooldown::AfterAdd => "scale-up",
                    Cooldown::AfterDelete => "scale-down",
                    Cooldown::AfterFailure => "failed scale-down",
                };
                write!(
                    f,
                    "scale-down in cooldown after {what} until {}",
                    super::events::clock(*until_s)
                )
            }
            CaReason::UnneededNotLongEnough {
                nodes,
                first_removable_after_s,
            } => write!(
                f,
                "{} unneeded, the first removable after {}",
                counted(*nodes, "node", "nodes"),
                super::events::clock(*first_removable_after_s)
            ),
            CaReason::AtMinNodes { nodes } => {
                let n = counted(*nodes, "node", "nodes");
                write!(f, "{n} unneeded but the node groups are at min nodes")
            }
            CaReason::NoPlaceToMovePods { nodes } => {
                let (n, are) = (counted(*nodes, "node", "nodes"), be(*nodes));
                let its = if *nodes == 1 { "its" } else { "their" };
                write!(
                    f,
                    "{n} {are} under-used but kept: no room elsewhere for {its} pods"
                )
            }
        }
    }
}

/// What the CA asks the world to do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub enum CaIntent {
    Nothing {
        reason: CaReason,
    },
    /// Add `nodes` to `group`; they become Ready at `ready_at_s`.
    ScaleUp {
        group: u32,
        nodes: u32,
        ready_at_s: f64,
    },
    /// Drain and delete these nodes.
    ScaleDown {
        nodes: Vec<u64>,
    },
}

/// CA utilization of a node: max(cpu requests/allocatable, mem requests/allocatable).
pub fn node_utilization(
    cpu_requests_m: i64,
    cpu_allocatable_m: i64,
    mem_requests_mib: i64,
    mem_allocatable_mib: i64,
) -> f64 {
    let ratio = |req: i64, alloc: i64| {
        if alloc <= 0 {
            1.0
        } else {
            req as f64 / alloc as f64
        }
    };
    ratio(cpu_requests_m, cpu_allocatable_m).max(ratio(mem_requests_mib, mem_allocatable_mib))
}

/// Scale-down candidate by utilization alone: `utilization < threshold` (strict).
pub fn is_scale_down_candidate_by_utilization(utilization: f64, threshold: f64) -> bool {
    utilization < threshold
}

/// Worst-case scale-up timing for a pod marked unschedulable at `pod_unschedulable_s`:
/// the CA notices it by the next scan (`+ scan_interval_s`), and the pod can schedule
/// on the new node a provisioning delay later. Returns (request by [s], schedulable at [s]).
pub fn scale_up_timing_s(
    pod_unschedulable_s: f64,
    scan_interval_s: f64,
    provisioning_delay_s: f64,
) -> (f64, f64) {
    let request_by = pod_unschedulable_s + scan_interval_s;
    (request_by, request_by + provisioning_delay_s)
}

/// First scan time [s] at which a node unneeded since `unneeded_since_s` can be
/// removed, with scans at `first_scan_s + k·scan_interval_s`: the first scan
/// strictly after `unneeded_since_s + unneeded_time_s` (no cooldown assumed).
/// Unneeded from t = 0 with 10 s scans and 10 min: 610 s, not 600 s.
pub fn first_removal_scan_s(
    unneeded_since_s: f64,
    unneeded_time_s: f64,
    first_scan_s: f64,
    scan_interval_s: f64,
) -> f64 {
    let deadline = unneeded_since_s + unneeded_time_s;
    let mut k = ((deadline - first_scan_s) / scan_interval_s)
        .floor()
        .max(0.0);
    while first_scan_s + k * scan_interval_s <= deadline {
        k += 1.0;
    }
    first_scan_s + k * scan_interval_s
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Timers {
    last_scale_up_s: Option<f64>,
    last_scale_down_s: Option<f64>,
    last_failure_s: Option<f64>,
}

/// The Cluster Autoscaler's memory between scans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterAutoscaler {
    config: CaConfig,
    /// Node id → time it became unneeded [s].
    unneeded_since: BTreeMap<u64, f64>,
    timers: Timers,
    /// Time of the last scan [s] and the state as it was before it, so a
    /// repeated reconcile at the same time gives the same intent.
    last_scan: Option<(f64, Timers, BTreeMap<u64, f64>)>,
    /// Under-utilized nodes the last scale-down simulation kept, with why, by node id.
    #[serde(default)]
    unremovable: Vec<(u64, Unremovable)>,
}

/// Free room on a (real or template) node in a placement simulation: allocatable
/// minus requests [millicores, MiB]. The one fit rule of scale-up and scale-down:
/// a pod fits when its CPU **and** memory requests both fit (the scheduler's
/// `NodeResourcesFit` filter on requests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Room {
    /// Free CPU [millicores].
    pub cpu_m: i64,
    /// Free memory [MiB].
    pub mem_mib: i64,
}

impl Room {
    /// True when a pod requesting `cpu_m` and `mem_mib` fits.
    pub fn fits(&self, cpu_m: i64, mem_mib: i64) -> bool {
        cpu_m <= self.cpu_m && mem_mib <= self.mem_mib
    }

    /// How many pods requesting (`cpu_m`, `mem_mib`) fit, at most `most` [pods].
    pub fn how_many(&self, cpu_m: i64, mem_mib: i64, most: u32) -> u32 {
        let by = |free: i64, req: i64| -> u64 {
            if free < 0 {
                0
            } else if req <= 0 {
                u64::MAX
            } else {
                (free / req) as u64
            }
        };
        by(self.cpu_m, cpu_m)
            .min(by(self.mem_mib, mem_mib))
            .min(u64::from(most)) as u32
    }

    /// Takes `n` pods' requests.
    fn take(&mut self, cpu_m: i64, mem_mib: i64, n: u32) {
        self.cpu_m -= cpu_m * i64::from(n);
        self.mem_mib -= mem_mib * i64::from(n);
    }

    /// Gives `n` pods' requests back.
    fn give(&mut self, cpu_m: i64, mem_mib: i64, n: u32) {
        self.cpu_m += cpu_m * i64::from(n);
        self.mem_mib += mem_mib * i64::from(n);
    }

    /// Takes one pod when it fits.
    fn try_fit(&mut self, pod: &PendingPodView) -> bool {
        let fits = self.fits(pod.cpu_request_m, pod.mem_request_mib);
        if fits {
            self.take(pod.cpu_request_m, pod.mem_request_mib, 1);
        }
        fits
    }
}

/// First-fit over a list of rooms whose free room only shrinks during a pass:
/// remembers, per pod shape, the first room that may still fit it, so placing
/// pods costs O(rooms + pods) per shape, not O(rooms × pods).
#[derive(Clone, Copy, Debug, Default)]
struct FirstFit {
    /// (cpu request, memory request, first room that may fit) per shape seen.
    cursors: [(i64, i64, usize); 4],
    len: usize,
}

impl FirstFit {
    /// Where a search for (`cpu_m`, `mem_mib`) may start: no room before it fits a
    /// pod at least as large as one already searched for.
    fn start(&self, cpu_m: i64, mem_mib: i64) -> usize {
        self.cursors[..self.len]
            .iter()
            .filter(|(c, m, _)| *c <= cpu_m && *m <= mem_mib)
            .map(|(_, _, at)| *at)
            .max()
            .unwrap_or(0)
    }

    /// Records that no room before `at` fits (`cpu_m`, `mem_mib`).
    fn remember(&mut self, cpu_m: i64, mem_mib: i64, at: usize) {
        let slot = self.cursors[..self.len]
            .iter()
            .position(|(c, m, _)| *c == cpu_m && *m == mem_mib);
        match slot {
            Some(i) => self.cursors[i].2 = self.cursors[i].2.max(at),
            None if self.len < self.cursors.len() => {
                self.cursors[self.len] = (cpu_m, mem_mib, at);
                self.len += 1;
            }
            None => {}
        }
    }

    /// Places `count` pods of (`cpu_m`, `mem_mib`) first-fit on `rooms` where `open`
    /// allows, calling `placed(room, pods)` for each room used; returns the pods
    /// that fit nowhere [pods].
    fn place(
        &mut self,
        rooms: &mut [Room],
        open: impl Fn(usize) -> bool,
        cpu_m: i64,
        mem_mib: i64,
        count: u32,
        mut placed: impl FnMut(usize, u32),
    ) -> u32 {
        let mut left = count;
        let mut i = self.start(cpu_m, mem_mib);
        while left > 0 && i < rooms.len() {
            if open(i) {
                let k = rooms[i].how_many(cpu_m, mem_mib, left);
                if k > 0 {
                    rooms[i].take(cpu_m, mem_mib, k);
                    placed(i, k);
                    left -= k;
                    if left == 0 {
                        break;
                    }
                }
            }
            i += 1;
        }
        self.remember(cpu_m, mem_mib, i);
        left
    }
}

fn zone_ok(pod: &PendingPodView, group: &NodeGroupView) -> bool {
    pod.zone.is_none_or(|z| z == group.zone)
}

fn template_room(group: &NodeGroupView) -> Room {
    Room {
        cpu_m: group.node_cpu_allocatable_m,
        mem_mib: group.node_mem_allocatable_mib,
    }
}

/// Result of one removal simulation pass over the candidates.
struct RemovalPass {
    /// Removable candidates (node index in the view).
    removable: Vec<usize>,
    /// Candidates kept, with why.
    kept: Vec<(u64, Unremovable)>,
}

/// One node group's answer to the pending pods, scored by the expander.
struct ScaleUpOption {
    /// Node group id.
    group: u32,
    /// New nodes [nodes], capped by the group's max.
    nodes: u32,
    /// Pending pods these nodes would hold [pods].
    pods: u32,
    /// Mean unused fraction of CPU and memory on the new nodes (least-waste score).
    waste: f64,
}

impl ClusterAutoscaler {
    pub fn new(config: CaConfig) -> Self {
        Self {
            config,
            unneeded_since: BTreeMap::new(),
            timers: Timers::default(),
            last_scan: None,
            unremovable: Vec::new(),
        }
    }

    pub fn config(&self) -> &CaConfig {
        &self.config
    }

    /// When each currently unneeded node became unneeded [s], by node id.
    pub fn unneeded_since(&self) -> &BTreeMap<u64, f64> {
        &self.unneeded_since
    }

    /// Under-utilized nodes that the last scale-down simulation kept, with why, in
    /// increasing node id (upstream's `UnremovableNodes`).
    pub fn unremovable(&self) -> &[(u64, Unremovable)] {
        &self.unremovable
    }

    /// Tell the CA a scale-down failed at `now_s` (starts the failure cooldown).
    pub fn record_scale_down_failure(&mut self, now_s: f64) {
        self.timers.last_failure_s = Some(now_s);
    }

    /// One scan: scale up for pending pods, else update unneeded nodes and maybe scale down.
    #[must_use = "the intent must be carried out by the world"]
    pub fn reconcile(&mut self, now_s: f64, view: &ClusterView) -> CaIntent {
        match &self.last_scan {
            Some((t, timers, unneeded)) if *t == now_s => {
                self.timers = *timers;
                self.unneeded_since = unneeded.clone();
            }
            _ => self.last_scan = Some((now_s, self.timers, self.unneeded_since.clone())),
        }
        let mut up_reason = None;
        if !view.pending.is_empty() {
            match self.plan_scale_up(now_s, view) {
                Ok((group, nodes)) => {
                    self.timers.last_scale_up_s = Some(now_s);
                    return CaIntent::ScaleUp {
                        group,
                        nodes,
                        ready_at_s: now_s + self.config.provisioning_delay_s,
                    };
                }
                Err(reason) => up_reason = Some(reason),
            }
        }
        let down = self.plan_scale_down(now_s, view);
        match down {
            Ok(nodes) => {
                self.timers.last_scale_down_s = Some(now_s);
                for id in &nodes {
                    self.unneeded_since.remove(id);
                }
                CaIntent::ScaleDown { nodes }
            }
            Err(reason) => CaIntent::Nothing {
                reason: up_reason.unwrap_or(reason),
            },
        }
    }

    fn plan_scale_up(&self, now_s: f64, view: &ClusterView) -> Result<(u32, u32), CaReason> {
        // Free room on nodes that are requested but not registered yet (empty
        // templates), and on registered nodes that are not Ready yet.
        let mut registered = vec![0u32; view.groups.len()];
        let mut unready: Vec<(usize, Room)> = Vec::new();
        for n in view.nodes {
            if let Some(gi) = view.groups.iter().position(|g| g.id == n.group) {
                registered[gi] += 1;
                if !n.ready {
                    let room = Room {
                        cpu_m: n.cpu_allocatable_m - n.cpu_requests_m,
                        mem_mib: n.mem_allocatable_mib - n.mem_requests_mib,
                    };
                    unready.push((gi, room));
                }
            }
        }
        // Per group: its provisioning nodes, then its unready ones.
        let mut upcoming: Vec<(usize, Room)> = Vec::new();
        for (gi, g) in view.groups.iter().enumerate() {
            for _ in registered[gi]..g.nodes_current {
                upcoming.push((gi, template_room(g)));
            }
            upcoming.extend(unready.iter().filter(|(ug, _)| *ug == gi));
        }
        let delay = self.config.new_pod_scale_up_delay_s;
        let mut remaining: Vec<&PendingPodView> = Vec::new();
        let mut considered = 0u32;
        // Once a pod of a shape and zone fits nowhere, no later one of that shape does.
        let mut no_room: Vec<(i64, i64, Option<u32>)> = Vec::new();
        let mut rooms: Vec<Room> = upcoming.iter().map(|(_, r)| *r).collect();
        let mut first_fit = FirstFit::default();
        for pod in view.pending.iter().filter(|p| now_s - p.since_s >= delay) {
            considered += 1;
            let shape = (pod.cpu_request_m, pod.mem_request_mib, pod.zone);
            let placed = !no_room.contains(&shape)
                && if pod.zone.is_none() {
                    let (cpu, mem) = (pod.cpu_request_m, pod.mem_request_mib);
                    first_fit.place(&mut rooms, |_| true, cpu, mem, 1, |_, _| {}) == 0
                } else {
                    rooms
                        .iter_mut()
                        .zip(&upcoming)
                        .any(|(room, (gi, _))| zone_ok(pod, &view.groups[*gi]) && room.try_fit(pod))
                };
            if !placed {
                if !no_room.contains(&shape) {
                    no_room.push(shape);
                }
                remaining.push(pod);
            }
        }
        if considered == 0 {
            return Err(CaReason::PendingPodsTooYoung {
                pods: view.pending.len() as u32,
            });
        }
        if remaining.is_empty() {
            return Err(CaReason::WaitingForProvisioning { pods: considered });
        }
        let mut best: Option<ScaleUpOption> = None;
        let mut any_fits = false;
        for g in view.groups {
            // The same fit rule as scale-down: a pod that fits no template node of
            // this group (CPU and memory) is no reason to grow it.
            let template = template_room(g);
            let fitting = remaining
                .iter()
                .copied()
                .filter(|p| zone_ok(p, g) && template.fits(p.cpu_request_m, p.mem_request_mib));
            let room = g.max_nodes.saturating_sub(g.nodes_current) as usize;
            let mut rooms: Vec<Room> = Vec::new();
            let mut first_fit = FirstFit::default();
            let mut pods = 0u32;
            let mut fits_template = false;
            for p in fitting {
                fits_template = true;
                if room == 0 {
                    break;
                }
                let (cpu, mem) = (p.cpu_request_m, p.mem_request_mib);
                let left = first_fit.place(&mut rooms, |_| true, cpu, mem, 1, |_, _| {});
                if left == 0 {
                    pods += 1;
                } else if rooms.len() < room {
                    let mut r = template;
                    r.take(cpu, mem, 1);
                    rooms.push(r);
                    pods += 1;
                }
            }
            if !fits_template {
                continue;
            }
            any_fits = true;
            if room == 0 {
                continue;
            }
            let n = rooms.len() as f64;
            let cpu_total = n * g.node_cpu_allocatable_m as f64;
            let mem_total = n * g.node_mem_allocatable_mib as f64;
            let cpu_free: i64 = rooms.iter().map(|b| b.cpu_m).sum();
            let mem_free: i64 = rooms.iter().map(|b| b.mem_mib).sum();
            let frac = |free: i64, total: f64| {
                if total > 0.0 {
                    free as f64 / total
                } else {
                    0.0
                }
            };
            let waste = 0.5 * (frac(cpu_free, cpu_total) + frac(mem_free, mem_total));
            let option = ScaleUpOption {
                group: g.id,
                nodes: rooms.len() as u32,
                pods,
                waste,
            };
            let better = match &best {
                None => true,
                Some(b) => {
                    option.waste < b.waste
                        || (option.waste == b.waste
                            && (option.pods > b.pods
                                || (option.pods == b.pods && option.group < b.group)))
                }
            };
            if better {
                best = Some(option);
            }
        }
        let pods = remaining.len() as u32;
        match best {
            Some(b) => Ok((b.group, b.nodes)),
            None if any_fits => Err(CaReason::AtMaxNodes { pods }),
            None => Err(CaReason::PendingPodsDoNotFitAnyNodeGroup { pods }),
        }
    }

    fn cooldown(&self, now_s: f64) -> Option<(Cooldown, f64)> {
        let c = &self.config;
        let checks = [
            (
                self.timers.last_scale_up_s,
                c.scale_down_delay_after_add_s,
                Cooldown::AfterAdd,
            ),
            (
                self.timers.last_scale_down_s,
                c.scale_down_delay_after_delete_s,
                Cooldown::AfterDelete,
            ),
            (
                self.timers.last_failure_s,
                c.scale_down_delay_after_failure_s,
                Cooldown::AfterFailure,
            ),
        ];
        let mut worst: Option<(Cooldown, f64)> = None;
        for (last, delay, cause) in checks {
            if let Some(t) = last {
                let until = t + delay;
                if until > now_s && worst.is_none_or(|(_, w)| until > w) {
                    worst = Some((cause, until));
                }
            }
        }
        worst
    }

    /// The removal simulation (see the module doc) over the nodes whose utilization
    /// is below `threshold` and that nothing forbids draining.
    fn simulate_removals(&self, view: &ClusterView, threshold: f64) -> RemovalPass {
        let nodes = view.nodes;
        let mut candidates: Vec<usize> = (0..nodes.len())
            .filter(|&i| {
                let n = &nodes[i];
                let util = node_utilization(
                    n.cpu_requests_m,
                    n.cpu_allocatable_m,
                    n.mem_requests_mib,
                    n.mem_allocatable_mib,
                );
                n.removable && is_scale_down_candidate_by_utilization(util, threshold)
            })
            .collect();
        // Empty nodes first, then the nodes unneeded at the last scan, then the rest.
        let key = |i: usize| {
            let n = &nodes[i];
            (n.pod_count > 0, !self.unneeded_since.contains_key(&n.id), i)
        };
        crate::sim::ordering::sort_indices(&mut candidates, &|a, b| key(a).cmp(&key(b)));
        let mut rooms: Vec<Room> = nodes
            .iter()
            .map(|n| Room {
                cpu_m: n.cpu_allocatable_m - n.cpu_requests_m,
                mem_mib: n.mem_allocatable_mib - n.mem_requests_mib,
            })
            .collect();
        // Destinations: ready nodes not found removable earlier in the pass.
        let mut open: Vec<bool> = nodes.iter().map(|n| n.ready).collect();
        // Pods moved onto each node by the removable candidates so far: a chain per
        // node of (cpu request, memory request, pods, next entry).
        const END: usize = usize::MAX;
        let mut moved: Vec<(i64, i64, u32, usize)> = Vec::new();
        let mut head: Vec<usize> = vec![END; nodes.len()];
        let mut first_fit = FirstFit::default();
        let mut trial: Vec<(usize, i64, i64, u32)> = Vec::new();
        let mut shapes: Vec<PodGroupView> = Vec::new();
        let mut pass = RemovalPass {
            removable: Vec::new(),
            kept: Vec::new(),
        };
        for &ci in &candidates {
            let node = &nodes[ci];
            // Its own pods first, then those moved onto it earlier in this pass.
            shapes.clear();
            shapes.extend(view.pods.get(node.pods.clone()).unwrap_or(&[]));
            let own = shapes.len();
            let mut link = head[ci];
            while link != END {
                let (cpu_request_m, mem_request_mib, count, next) = moved[link];
                // Moved pods of one shape are one group: they are placed the same way
                // together or one group after the other, and a chain of removals (A's
                // pods onto B, then B's onto C …) keeps one entry per shape instead of
                // one per node it passed through (that grew with the square of the
                // nodes: 4 GiB at 100,000 one-pod nodes).
                match shapes[own..].iter_mut().find(|g| {
                    g.cpu_request_m == cpu_request_m && g.mem_request_mib == mem_request_mib
                }) {
                    Some(g) => g.count += count,
                    None => shapes.push(PodGroupView {
                        cpu_request_m,
                        mem_request_mib,
                        count,
                    }),
                }
                link = next;
            }
            let saved = first_fit;
            trial.clear();
            let (mut own_pods, mut own_unplaced) = (0u32, 0u32);
            let (mut moved_pods, mut moved_unplaced) = (0u32, 0u32);
            for (k, g) in shapes.iter().enumerate() {
                let (cpu, mem) = (g.cpu_request_m, g.mem_request_mib);
                let left = first_fit.place(
                    &mut rooms,
                    |i| open[i] && i != ci,
                    cpu,
                    mem,
                    g.count,
                    |i, n| trial.push((i, cpu, mem, n)),
                );
                if k < own {
                    own_pods += g.count;
                    own_unplaced += left;
                } else {
                    moved_pods += g.count;
                    moved_unplaced += left;
                }
            }
            if own_unplaced == 0 && moved_unplaced == 0 {
                open[ci] = false;
                for &(i, cpu, mem, k) in &trial {
                    moved.push((cpu, mem, k, head[i]));
                    head[i] = moved.len() - 1;
                }
                pass.removable.push(ci);
            } else {
                for &(i, cpu, mem, k) in &trial {
                    rooms[i].give(cpu, mem, k);
                }
                first_fit = saved;
                let why = if own_unplaced > 0 {
                    Unremovable::NoPlaceToMovePods {
                        pods: own_pods,
                        unplaced: own_unplaced,
                    }
                } else {
                    Unremovable::NoPlaceForMovedPods { pods: moved_pods }
                };
                pass.kept.push((node.id, why));
            }
        }
        let mut idx: Vec<usize> = (0..pass.kept.len()).collect();
        let kept = &pass.kept;
        crate::sim::ordering::sort_indices(&mut idx, &|a, b| kept[a].0.cmp(&kept[b].0));
        crate::sim::ordering::permute(&mut pass.kept, &idx);
        pass
    }

    fn plan_scale_down(&mut self, now_s: f64, view: &ClusterView) -> Result<Vec<u64>, CaReason> {
        let c = self.config.clone();
        // 1. Update unneeded nodes (also during a cooldown): under-utilized nodes
        //    whose pods the removal simulation places elsewhere.
        let pass = self.simulate_removals(view, c.scale_down_utilization_threshold);
        let mut still: BTreeMap<u64, f64> = BTreeMap::new();
        for &ni in &pass.removable {
            let id = view.nodes[ni].id;
            let since = self.unneeded_since.get(&id).copied().unwrap_or(now_s);
            still.insert(id, since);
        }
        self.unneeded_since = still;
        self.unremovable = pass.kept;
        if self.unneeded_since.is_empty() {
            return Err(match self.unremovable.len() {
                0 => CaReason::AllNodesNeeded,
                n => CaReason::NoPlaceToMovePods { nodes: n as u32 },
            });
        }
        // 2. Cooldown.
        if let Some((cause, until_s)) = self.cooldown(now_s) {
            return Err(CaReason::ScaleDownCooldown { cause, until_s });
        }
        // 3. Nodes unneeded for strictly longer than the unneeded (or unready) time.
        let mut eligible: Vec<(&NodeView, f64, f64)> = Vec::new(); // node, util, since
        let mut first_removable = f64::INFINITY;
        for n in view.nodes {
            let Some(&since) = self.unneeded_since.get(&n.id) else {
                continue;
            };
            let wait = if n.ready {
                c.scale_down_unneeded_time_s
            } else {
                c.scale_down_unready_time_s
            };
            if since + wait < now_s {
                let util = node_utilization(
                    n.cpu_requests_m,
                    n.cpu_allocatable_m,
                    n.mem_requests_mib,
                    n.mem_allocatable_mib,
                );
                eligible.push((n, util, since));
            } else {
                first_removable = first_removable.min(since + wait);
            }
        }
        if eligible.is_empty() {
            return Err(CaReason::UnneededNotLongEnough {
                nodes: self.unneeded_since.len() as u32,
                first_removable_after_s: first_removable,
            });
        }
        // 4. Respect min nodes per group.
        let mut size: BTreeMap<u32, (u32, u32)> = view
            .groups
            .iter()
            .map(|g| (g.id, (g.nodes_current, g.min_nodes)))
            .collect();
        let mut take = |n: &NodeView| -> bool {
            match size.get_mut(&n.group) {
                Some((cur, min)) if *cur > *min => {
                    *cur -= 1;
                    true
                }
                _ => false,
            }
        };
        let mut empty: Vec<u64> = Vec::new();
        for (n, _, _) in eligible.iter().filter(|(n, _, _)| n.pod_count == 0) {
            if empty.len() as u32 >= c.max_empty_bulk_delete {
                break;
            }
            if take(n) {
                empty.push(n.id);
            }
        }
        if !empty.is_empty() {
            return Ok(empty);
        }
        let mut busy: Vec<usize> = (0..eligible.len())
            .filter(|&i| eligible[i].0.pod_count > 0)
            .collect();
        crate::sim::ordering::sort_indices(&mut busy, &|a, b| {
            let (a, b) = (&eligible[a], &eligible[b]);
            a.1.total_cmp(&b.1)
                .then(a.2.total_cmp(&b.2))
                .then(a.0.id.cmp(&b.0.id))
        });
        for (n, _, _) in busy.into_iter().map(|i| &eligible[i]) {
            if take(n) {
                return Ok(vec![n.id]);
            }
        }
        Err(CaReason::AtMinNodes {
            nodes: eligible.len() as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(nodes_current: u32) -> NodeGroupView {
        NodeGroupView {
            id: 0,
            zone: 0,
            min_nodes: 1,
            max_nodes: 5,
            nodes_current,
            node_cpu_allocatable_m: 4000,
            node_mem_allocatable_mib: 16384,
        }
    }

    fn node(id: u64, cpu_m: i64, pods: u32) -> NodeView {
        NodeView {
            id,
            group: 0,
            cpu_requests_m: cpu_m,
            mem_requests_mib: 0,
            cpu_allocatable_m: 4000,
            mem_allocatable_mib: 16384,
            ready: true,
            removable: true,
            pod_count: pods,
            created_s: 0.0,
            pods: 0..0,
        }
    }

    #[test]
    fn an_idle_node_is_first_removed_at_610_s_not_600() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let groups = [group(2)];
        let nodes = [node(1, 3000, 3), node(2, 0, 0)];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &[],
            pods: &[],
        };
        let mut t = 0.0;
        while t <= 600.0 {
            let intent = ca.reconcile(t, &view);
            assert!(
                matches!(intent, CaIntent::Nothing { .. }),
                "t={t}: {intent:?}"
            );
            t += 10.0;
        }
        assert_eq!(
            ca.reconcile(610.0, &view),
            CaIntent::ScaleDown { nodes: vec![2] }
        );
        assert_eq!(first_removal_scan_s(0.0, 600.0, 0.0, 10.0), 610.0);
        assert_eq!(first_removal_scan_s(3.0, 600.0, 0.0, 10.0), 610.0);
        assert_eq!(first_removal_scan_s(0.0, 600.0, 5.0, 10.0), 605.0);
    }

    #[test]
    fn reconciling_twice_at_the_same_time_gives_the_same_intent() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let groups = [group(2)];
        let nodes = [node(1, 3000, 3), node(2, 0, 0)];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &[],
            pods: &[],
        };
        let _ = ca.reconcile(0.0, &view);
        let a = ca.reconcile(610.0, &view);
        let b = ca.reconcile(610.0, &view);
        assert_eq!(a, b);
        assert!(matches!(a, CaIntent::ScaleDown { .. }));
    }

    #[test]
    fn a_scale_up_holds_scale_down_for_ten_minutes_but_unneeded_time_accrues() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let groups = [group(2)];
        let pending = [PendingPodView {
            cpu_request_m: 1000,
            mem_request_mib: 100,
            zone: None,
            since_s: 0.0,
        }];
        let nodes = [node(1, 3500, 3), node(2, 3500, 1)];
        let up = ca.reconcile(
            0.0,
            &ClusterView {
                groups: &groups,
                nodes: &nodes,
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            up,
            CaIntent::ScaleUp {
                group: 0,
                nodes: 1,
                ready_at_s: 180.0
            }
        );
        // From t = 10 node 2 is idle; the cooldown after add lasts until t = 600.
        let groups = [group(3)];
        let nodes = [node(1, 3500, 3), node(2, 0, 0), node(3, 1000, 1)];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &[],
            pods: &[],
        };
        let mut t = 10.0;
        while t < 600.0 {
            let r = ca.reconcile(t, &view);
            assert!(
                matches!(
                    r,
                    CaIntent::Nothing {
                        reason: CaReason::ScaleDownCooldown {
                            cause: Cooldown::AfterAdd,
                            ..
                        }
                    }
                ),
                "t={t}: {r:?}"
            );
            t += 10.0;
        }
        assert!(matches!(
            ca.reconcile(600.0, &view),
            CaIntent::Nothing { .. }
        ));
        assert_eq!(
            ca.reconcile(620.0, &view),
            CaIntent::ScaleDown { nodes: vec![2] }
        );
    }

    #[test]
    fn a_pod_larger_than_any_template_is_explained() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let groups = [group(1)];
        let nodes = [node(1, 3500, 3)];
        let pending = [PendingPodView {
            cpu_request_m: 8000,
            mem_request_mib: 100,
            zone: None,
            since_s: 0.0,
        }];
        let r = ca.reconcile(
            0.0,
            &ClusterView {
                groups: &groups,
                nodes: &nodes,
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::Nothing {
                reason: CaReason::PendingPodsDoNotFitAnyNodeGroup { pods: 1 }
            }
        );
        assert_eq!(r_text(&r), "1 pending pod does not fit any node group");
    }

    fn r_text(i: &CaIntent) -> String {
        match i {
            CaIntent::Nothing { reason } => reason.to_string(),
            _ => String::new(),
        }
    }

    #[test]
    fn pending_pods_bin_pack_onto_new_nodes_and_wait_for_them() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let groups = [group(1)];
        let nodes = [node(1, 4000, 4)];
        let pending: Vec<PendingPodView> = (0..5)
            .map(|_| PendingPodView {
                cpu_request_m: 1500,
                mem_request_mib: 100,
                zone: None,
                since_s: 0.0,
            })
            .collect();
        let r = ca.reconcile(
            0.0,
            &ClusterView {
                groups: &groups,
                nodes: &nodes,
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::ScaleUp {
                group: 0,
                nodes: 3,
                ready_at_s: 180.0
            }
        );
        let groups = [group(4)];
        let r = ca.reconcile(
            10.0,
            &ClusterView {
                groups: &groups,
                nodes: &nodes,
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::Nothing {
                reason: CaReason::WaitingForProvisioning { pods: 5 }
            }
        );
        let groups = [group(5)];
        let more: Vec<PendingPodView> = (0..9)
            .map(|_| PendingPodView {
                cpu_request_m: 1500,
                mem_request_mib: 100,
                zone: None,
                since_s: 0.0,
            })
            .collect();
        let r = ca.reconcile(
            20.0,
            &ClusterView {
                groups: &groups,
                nodes: &nodes,
                pending: &more,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::Nothing {
                reason: CaReason::AtMaxNodes { pods: 1 }
            }
        );
    }

    #[test]
    fn least_waste_picks_the_group_whose_nodes_fit_best() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let mut big = group(0);
        big.id = 1;
        big.node_cpu_allocatable_m = 16000;
        big.node_mem_allocatable_mib = 65536;
        let groups = [group(0), big];
        let pending = [PendingPodView {
            cpu_request_m: 3000,
            mem_request_mib: 12000,
            zone: None,
            since_s: 0.0,
        }];
        let r = ca.reconcile(
            0.0,
            &ClusterView {
                groups: &groups,
                nodes: &[],
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::ScaleUp {
                group: 0,
                nodes: 1,
                ready_at_s: 180.0
            }
        );
    }

    #[test]
    fn empty_nodes_go_in_bulk_and_busy_ones_one_at_a_time_never_below_min() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let mut g = group(5);
        g.min_nodes = 2;
        let groups = [g];
        let nodes = [
            node(1, 0, 0),
            node(2, 0, 0),
            node(3, 0, 0),
            node(4, 500, 1),
            node(5, 3000, 2),
        ];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &[],
            pods: &[],
        };
        let _ = ca.reconcile(0.0, &view);
        assert_eq!(
            ca.reconcile(610.0, &view),
            CaIntent::ScaleDown {
                nodes: vec![1, 2, 3]
            }
        );
        // Node 1..3 gone; group size 2 = min: node 4 stays.
        let mut g = group(2);
        g.min_nodes = 2;
        let groups = [g];
        let nodes = [node(4, 500, 1), node(5, 3000, 2)];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &[],
            pods: &[],
        };
        assert!(matches!(
            ca.reconcile(620.0, &view),
            CaIntent::Nothing {
                reason: CaReason::AtMinNodes { nodes: 1 }
            }
        ));
    }

    #[test]
    fn young_pods_and_pods_fitting_a_node_that_is_not_ready_yet_do_not_scale_up() {
        let config = CaConfig {
            new_pod_scale_up_delay_s: 30.0,
            ..CaConfig::default()
        };
        let mut ca = ClusterAutoscaler::new(config);
        let groups = [group(2)];
        let mut booting = node(2, 0, 0);
        booting.ready = false;
        let nodes = [node(1, 4000, 4), booting];
        let pending = [PendingPodView {
            cpu_request_m: 1000,
            mem_request_mib: 100,
            zone: None,
            since_s: 0.0,
        }];
        let view = ClusterView {
            groups: &groups,
            nodes: &nodes,
            pending: &pending,
            pods: &[],
        };
        assert_eq!(
            ca.reconcile(10.0, &view),
            CaIntent::Nothing {
                reason: CaReason::PendingPodsTooYoung { pods: 1 }
            }
        );
        assert_eq!(
            ca.reconcile(30.0, &view),
            CaIntent::Nothing {
                reason: CaReason::WaitingForProvisioning { pods: 1 }
            }
        );
    }

    #[test]
    fn a_pod_restricted_to_a_zone_only_scales_that_zone() {
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        let mut z1 = group(0);
        z1.id = 7;
        z1.zone = 1;
        let groups = [group(0), z1];
        let pending = [PendingPodView {
            cpu_request_m: 1000,
            mem_request_mib: 100,
            zone: Some(1),
            since_s: 0.0,
        }];
        let r = ca.reconcile(
            0.0,
            &ClusterView {
                groups: &groups,
                nodes: &[],
                pending: &pending,
                pods: &[],
            },
        );
        assert_eq!(
            r,
            CaIntent::ScaleUp {
                group: 7,
                nodes: 1,
                ready_at_s: 180.0
            }
        );
    }

    /// Nodes with their pods, as the removal simulation sees them.
    #[derive(Default)]
    struct Placed {
        nodes: Vec<NodeView>,
        pods: Vec<PodGroupView>,
    }

    impl Placed {
        /// Adds node `id` with allocatable (`cpu_m`, `mem_mib`) running `groups` of
        /// (cpu request, memory request, pods).
        fn node(mut self, id: u64, cpu_m: i64, mem_mib: i64, groups: &[(i64, i64, u32)]) -> Self {
            let first = self.pods.len();
            let (mut cpu, mut mem, mut n) = (0, 0, 0);
            for &(c, m, k) in groups {
                self.pods.push(PodGroupView {
                    cpu_request_m: c,
                    mem_request_mib: m,
                    count: k,
                });
                cpu += c * i64::from(k);
                mem += m * i64::from(k);
                n += k;
            }
            self.nodes.push(NodeView {
                id,
                group: 0,
                cpu_requests_m: cpu,
                mem_requests_mib: mem,
                cpu_allocatable_m: cpu_m,
                mem_allocatable_mib: mem_mib,
                ready: true,
                removable: true,
                pod_count: n,
                created_s: 0.0,
                pods: first..self.pods.len(),
            });
            self
        }

        /// Scans every 10 s from 0 to `until_s`; returns the first scale-down.
        fn first_scale_down(
            &self,
            ca: &mut ClusterAutoscaler,
            until_s: f64,
        ) -> Option<(f64, Vec<u64>)> {
            let groups = [group(self.nodes.len() as u32)];
            let view = ClusterView {
                groups: &groups,
                nodes: &self.nodes,
                pending: &[],
                pods: &self.pods,
            };
            let mut t = 0.0;
            while t <= until_s {
                if let CaIntent::ScaleDown { nodes } = ca.reconcile(t, &view) {
                    return Some((t, nodes));
                }
                t += 10.0;
            }
            None
        }
    }

    #[test]
    fn a_lone_pod_with_no_hole_big_enough_keeps_its_node_though_the_free_cpu_adds_up() {
        // The field case (kubernetes/autoscaler#4125): 1.5-core pods on 4-core nodes at
        // 75 %, 75 % and 37.5 %. The other two have 2 cores free between them, but
        // only 1 core each: the lone pod fits on neither.
        let c = Placed::default()
            .node(1, 4000, 16384, &[(1500, 512, 2)])
            .node(2, 4000, 16384, &[(1500, 512, 2)])
            .node(3, 4000, 16384, &[(1500, 512, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(c.first_scale_down(&mut ca, 3600.0), None);
        let kept = Unremovable::NoPlaceToMovePods {
            pods: 1,
            unplaced: 1,
        };
        assert_eq!(ca.unremovable(), &[(3, kept)]);
        assert_eq!(kept.to_string(), "its pod fits on no other node");
        assert!(ca.unneeded_since().is_empty());
        let groups = [group(3)];
        let view = ClusterView {
            groups: &groups,
            nodes: &c.nodes,
            pending: &[],
            pods: &c.pods,
        };
        assert_eq!(
            r_text(&ca.reconcile(3610.0, &view)),
            "1 node is under-used but kept: no room elsewhere for its pods"
        );
    }

    #[test]
    fn memory_requests_block_a_move_that_cpu_would_allow() {
        // 8 GiB nodes, pods of 0.5 core and 3,000 MiB: the lone pod's node is at 37 %
        // (memory), the others have 3 cores free but only 2,192 MiB.
        let tight = Placed::default()
            .node(1, 4000, 8192, &[(500, 3000, 2)])
            .node(2, 4000, 8192, &[(500, 3000, 2)])
            .node(3, 4000, 8192, &[(500, 3000, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(tight.first_scale_down(&mut ca, 3600.0), None);
        assert_eq!(
            ca.unremovable(),
            &[(
                3,
                Unremovable::NoPlaceToMovePods {
                    pods: 1,
                    unplaced: 1
                }
            )]
        );
        // With 2,000 MiB pods and 2,192 MiB free on each other node, the node goes.
        let roomy = Placed::default()
            .node(1, 4000, 8192, &[(500, 2000, 3)])
            .node(2, 4000, 8192, &[(500, 2000, 3)])
            .node(3, 4000, 8192, &[(500, 2000, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(
            roomy.first_scale_down(&mut ca, 3600.0),
            Some((610.0, vec![3]))
        );
        assert!(ca.unremovable().is_empty());
    }

    #[test]
    fn two_pods_that_each_fit_somewhere_do_not_both_fit_in_one_hole() {
        // Node 1 (8 cores, 37.5 %) has two 1.5-core pods. Node 2 has 2 cores free, node
        // 3 one: 3 cores in all, enough by the sum, but one pod to one node: the first
        // takes node 2's hole and the second fits nowhere.
        let c = Placed::default()
            .node(1, 8000, 16384, &[(1500, 512, 2)])
            .node(2, 4000, 16384, &[(2000, 512, 1)])
            .node(3, 4000, 16384, &[(3000, 512, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(c.first_scale_down(&mut ca, 3600.0), None);
        let why = Unremovable::NoPlaceToMovePods {
            pods: 2,
            unplaced: 1,
        };
        assert_eq!(ca.unremovable(), &[(1, why)]);
        assert_eq!(why.to_string(), "1 of its 2 pods fits on no other node");
    }

    #[test]
    fn pods_placed_earlier_in_the_same_pass_take_their_room() {
        // One 3.9-core hole on node 1. Node 2's 0.9-core pod goes there first (node 3
        // cannot take it back: node 2 is too small for node 3's pod anyway), so node
        // 3's 3.9-core pod no longer fits: only node 2 is unneeded.
        let c = Placed::default()
            .node(1, 8000, 16384, &[(4100, 512, 1)])
            .node(2, 2000, 16384, &[(900, 512, 1)])
            .node(3, 8000, 16384, &[(3900, 512, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(c.first_scale_down(&mut ca, 3600.0), Some((610.0, vec![2])));
        assert_eq!(
            ca.unremovable(),
            &[(
                3,
                Unremovable::NoPlaceToMovePods {
                    pods: 1,
                    unplaced: 1
                }
            )]
        );
    }

    #[test]
    fn a_node_found_removable_is_no_destination_for_the_next_candidates() {
        // Nodes 1 and 2 each have one 1.5-core pod; node 3 is full. Node 1's pod goes
        // to node 2 and node 1 goes; node 2's pod could only go to node 1, which is no
        // destination any more.
        let c = Placed::default()
            .node(1, 4000, 16384, &[(1500, 512, 1)])
            .node(2, 4000, 16384, &[(1500, 512, 1)])
            .node(3, 4000, 16384, &[(4000, 512, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(c.first_scale_down(&mut ca, 3600.0), Some((610.0, vec![1])));
        let why = Unremovable::NoPlaceToMovePods {
            pods: 1,
            unplaced: 1,
        };
        assert_eq!(ca.unremovable(), &[(2, why)]);
    }

    #[test]
    fn a_node_that_would_take_the_pods_of_removable_nodes_says_so() {
        // Three nodes at 25 % and one with a 1-core hole. Node 1's pod goes to node 2,
        // node 2's two to node 3; node 3's own pod fits the hole on node 4, but the
        // two moved onto it fit nowhere: node 3 stays, for them.
        let c = Placed::default()
            .node(1, 4000, 16384, &[(1000, 512, 1)])
            .node(2, 4000, 16384, &[(1000, 512, 1)])
            .node(3, 4000, 16384, &[(1000, 512, 1)])
            .node(4, 4000, 16384, &[(3000, 512, 1)]);
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        assert_eq!(c.first_scale_down(&mut ca, 3600.0), Some((610.0, vec![1])));
        let why = Unremovable::NoPlaceForMovedPods { pods: 2 };
        assert_eq!(ca.unremovable(), &[(3, why)]);
        assert_eq!(
            why.to_string(),
            "it is where the pods of other removable nodes would go"
        );
        // Node 1 has just been removed; node 2 stays unneeded, next in line.
        assert_eq!(
            ca.unneeded_since().keys().copied().collect::<Vec<_>>(),
            vec![2]
        );
    }

    #[test]
    fn a_pod_too_big_for_a_template_by_memory_alone_triggers_no_scale_up() {
        let groups = [group(1)];
        let nodes = [node(1, 4000, 4)];
        let pod = |mem_request_mib| PendingPodView {
            cpu_request_m: 100,
            mem_request_mib,
            zone: None,
            since_s: 0.0,
        };
        let scan = |pending: &[PendingPodView]| {
            ClusterAutoscaler::new(CaConfig::default()).reconcile(
                0.0,
                &ClusterView {
                    groups: &groups,
                    nodes: &nodes,
                    pending,
                    pods: &[],
                },
            )
        };
        // 0.1 core fits a 4-core template; 20,000 MiB does not fit its 16,384 MiB.
        assert_eq!(
            scan(&[pod(20_000)]),
            CaIntent::Nothing {
                reason: CaReason::PendingPodsDoNotFitAnyNodeGroup { pods: 1 }
            }
        );
        assert_eq!(
            scan(&[pod(16_000)]),
            CaIntent::ScaleUp {
                group: 0,
                nodes: 1,
                ready_at_s: 180.0
            }
        );
    }

    #[test]
    fn the_first_fit_cursor_gives_the_plain_first_fit_answer() {
        // Rooms of 1..=9 cores; pods of 3, then 1, then 3 cores again: every pod goes to
        // the first room with space, as a plain scan from the start would put it.
        let mut rooms: Vec<Room> = (1..=9)
            .map(|c| Room {
                cpu_m: c * 1000,
                mem_mib: 1000,
            })
            .collect();
        let mut plain = rooms.clone();
        let mut ff = FirstFit::default();
        for cpu in [3000, 3000, 1000, 3000, 2000, 1000, 3000, 5000, 9000] {
            let mut at = None;
            let left = ff.place(&mut rooms, |_| true, cpu, 10, 1, |i, _| at = Some(i));
            let want = plain.iter().position(|r| r.fits(cpu, 10));
            if let Some(i) = want {
                plain[i].take(cpu, 10, 1);
            }
            assert_eq!(at, want, "pod of {cpu} m");
            assert_eq!(left, u32::from(want.is_none()));
        }
        assert_eq!(rooms, plain);
    }
}
