//! The cluster autoscaler loop: every scan, show the CA the node groups (one per
//! zone), the registered nodes and the pending pods; carry out its intent.
//!
//! ```text
//!   zones ─▶ NodeGroupView (min/max per zone; a dead zone has max 0)
//!   nodes ─▶ NodeView (requests, ready) + PodGroupView (its app and pause pods to move)
//!   Pending pods (app and pause) ─▶ PendingPodView
//!        ClusterAutoscaler::reconcile ─▶ ScaleUp: provisioning nodes, ready after the delay
//!                                     ├▶ ScaleDown: nodes drained and removed
//!                                     └▶ kept nodes (pods fit nowhere else): NodeKept, once
//! ```
//!
//! The scan is O(nodes + pods): one pass over the pods counts each node's pods.

use super::super::cluster_autoscaler::{
    node_utilization, CaConfig, CaIntent, ClusterAutoscaler, ClusterView, NodeGroupView, NodeView,
    PendingPodView, PodGroupView, Unremovable,
};
use super::super::events::SimEvent;
use super::super::lifecycle::remove_node;
use super::super::topology::{NodeState, PodKind, PodState, NO_NODE};
use super::super::world::World;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The CA's state across scans.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AutoscalerLoop {
    /// Run the CA.
    pub enabled: bool,
    /// Scan interval [s].
    pub scan_interval_s: f64,
    /// Next scan [s].
    pub next_scan_s: f64,
    /// The CA, serialized with which nodes were unneeded since when.
    pub ca: Option<ClusterAutoscaler>,
    /// The CA's last answer, in words.
    pub last_reason: String,
    /// Nodes the CA kept at the last scan although under-utilized (ids, increasing):
    /// a `NodeKept` event is logged when a node joins this list, not at every scan.
    #[serde(default)]
    pub kept: Vec<u64>,
    /// Scratch views.
    #[serde(skip)]
    groups: Vec<NodeGroupView>,
    #[serde(skip)]
    nodes: Vec<NodeView>,
    #[serde(skip)]
    pending: Vec<PendingPodView>,
    #[serde(skip)]
    pods: Vec<PodGroupView>,
    /// Scratch: movable (app, pause) pods per node index.
    #[serde(skip)]
    per_node: Vec<(u32, u32)>,
    /// Scratch: non-dead nodes per zone.
    #[serde(skip)]
    per_zone: Vec<u32>,
}

impl AutoscalerLoop {
    /// The loop for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let s = &scenario.cluster_autoscaler;
        Self {
            enabled: s.enabled,
            scan_interval_s: s.scan_interval_s.max(1.0),
            next_scan_s: 0.0,
            ca: None,
            last_reason: String::new(),
            kept: Vec::new(),
            groups: Vec::new(),
            nodes: Vec::new(),
            pending: Vec::new(),
            pods: Vec::new(),
            per_node: Vec::new(),
            per_zone: Vec::new(),
        }
    }

    /// Why the cluster autoscaler keeps node `id` although it is under-utilized
    /// ("its pod fits on no other node"), if it does.
    pub fn kept_because(&self, id: u64) -> Option<Unremovable> {
        let kept = self.ca.as_ref()?.unremovable();
        kept.binary_search_by_key(&id, |(n, _)| *n)
            .ok()
            .map(|i| kept[i].1)
    }
}

fn config(scenario: &Scenario) -> CaConfig {
    let s = &scenario.cluster_autoscaler;
    CaConfig {
        scan_interval_s: s.scan_interval_s,
        scale_down_utilization_threshold: s.scale_down_utilization_threshold,
        scale_down_unneeded_time_s: s.scale_down_unneeded_s,
        scale_down_delay_after_add_s: s.scale_down_delay_after_add_s,
        provisioning_delay_s: scenario.topology.nodes.provision_delay_s,
        ..CaConfig::default()
    }
}

/// The alive zone with the fewest nodes below its maximum (ties: the first), for
/// `--balance-similar-node-groups`, given the non-dead nodes per zone.
fn balanced_zone(w: &World, per_zone: &[u32]) -> Option<u16> {
    let max = w.scenario.topology.nodes.max_per_zone;
    (0..w.zones.len())
        .filter(|&z| w.zones[z].alive)
        .map(|z| (per_zone[z], z))
        .filter(|&(n, _)| n < max)
        .min()
        .map(|(_, z)| z as u16)
}

/// One scan at `w.now_s`.
pub fn scan(w: &mut World) {
    let now = w.now_s;
    let np = &w.scenario.topology.nodes;
    let mut lp = std::mem::take(&mut w.control.cluster_autoscaler);
    lp.groups.clear();
    lp.nodes.clear();
    lp.pending.clear();
    lp.pods.clear();
    lp.per_zone.clear();
    lp.per_zone.resize(w.zones.len(), 0);
    for n in &w.nodes {
        if n.state != NodeState::Dead {
            lp.per_zone[n.zone as usize] += 1;
        }
    }
    for (z, zone) in w.zones.iter().enumerate() {
        lp.groups.push(NodeGroupView {
            id: z as u32,
            zone: z as u32,
            min_nodes: np.min_per_zone,
            max_nodes: if zone.alive { np.max_per_zone } else { 0 },
            nodes_current: lp.per_zone[z],
            node_cpu_allocatable_m: np.cpu_m,
            node_mem_allocatable_mib: np.memory_mib,
        });
    }
    // Pods to move per node: bound and not terminating (a Draining pod is not recreated).
    lp.per_node.clear();
    lp.per_node.resize(w.nodes.len(), (0, 0));
    for p in &w.pods {
        if p.node == NO_NODE || p.state >= PodState::Draining {
            continue;
        }
        let c = &mut lp.per_node[p.node as usize];
        match p.kind {
            PodKind::App => c.0 += 1,
            PodKind::Pause => c.1 += 1,
        }
    }
    let (app_cpu, app_mem) = w.requests_of(PodKind::App);
    let (pause_cpu, pause_mem) = w.requests_of(PodKind::Pause);
    for (ni, n) in w.nodes.iter().enumerate() {
        if n.state != NodeState::Ready {
            continue;
        }
        let first = lp.pods.len();
        let (apps, pauses) = lp.per_node[ni];
        for (cpu, mem, count) in [(app_cpu, app_mem, apps), (pause_cpu, pause_mem, pauses)] {
            if count > 0 {
                lp.pods.push(PodGroupView {
                    cpu_request_m: cpu,
                    mem_request_mib: mem,
                    count,
                });
            }
        }
        lp.nodes.push(NodeView {
            id: n.id,
            group: u32::from(n.zone),
            cpu_requests_m: n.cpu_requested_m,
            mem_requests_mib: n.mem_requested_mib,
            cpu_allocatable_m: n.cpu_alloc_m,
            mem_allocatable_mib: n.mem_alloc_mib,
            ready: true,
            // No pod in the model forbids a drain (no PDBs, local storage or bare
            // pods); whether its pods fit elsewhere is the CA's simulation.
            removable: true,
            pod_count: n.pods,
            created_s: n.added_s,
            pods: first..lp.pods.len(),
        });
    }
    for (p, t) in w.pods.iter().zip(w.pod_times.iter()) {
        if p.state == PodState::Pending {
            let (cpu, mem) = w.requests_of(p.kind);
            lp.pending.push(PendingPodView {
                cpu_request_m: cpu,
                mem_request_mib: mem,
                zone: None,
                since_s: t.created_s,
            });
        }
    }
    let ca = lp
        .ca
        .get_or_insert_with(|| ClusterAutoscaler::new(config(&w.scenario)));
    let view = ClusterView {
        groups: &lp.groups,
        nodes: &lp.nodes,
        pending: &lp.pending,
        pods: &lp.pods,
    };
    let intent = ca.reconcile(now, &view);
    // Nodes newly kept although under-utilized: say why, once per episode.
    let threshold = ca.config().scale_down_utilization_threshold;
    let mut kept = std::mem::take(&mut lp.kept);
    for &(id, reason) in ca.unremovable() {
        if kept.binary_search(&id).is_ok() {
            continue;
        }
        if let Some(n) = w.nodes.iter().find(|n| n.id == id) {
            let util = node_utilization(
                n.cpu_requested_m,
                n.cpu_alloc_m,
                n.mem_requested_mib,
                n.mem_alloc_mib,
            );
            w.log(SimEvent::NodeKept {
                t_s: now,
                node: id,
                zone: n.zone,
                utilization_pct: util * 100.0,
                threshold_pct: threshold * 100.0,
                reason,
            });
        }
    }
    kept.clear();
    kept.extend(ca.unremovable().iter().map(|(id, _)| *id));
    lp.kept = kept;
    match intent {
        CaIntent::Nothing { reason } => {
            lp.last_reason.clear();
            lp.last_reason.push_str(&reason.to_string());
        }
        CaIntent::ScaleUp {
            group,
            nodes,
            ready_at_s,
        } => {
            if w.scenario.cluster_autoscaler.balance_similar_node_groups {
                for _ in 0..nodes {
                    let zone = balanced_zone(w, &lp.per_zone).unwrap_or(group as u16);
                    w.add_node(zone, ready_at_s, NodeState::Provisioning);
                    lp.per_zone[zone as usize] += 1;
                    w.log(SimEvent::NodesRequested {
                        t_s: now,
                        zone,
                        count: 1,
                        ready_at_s,
                    });
                }
            } else {
                let zone = group as u16;
                for _ in 0..nodes {
                    w.add_node(zone, ready_at_s, NodeState::Provisioning);
                }
                w.log(SimEvent::NodesRequested {
                    t_s: now,
                    zone,
                    count: nodes,
                    ready_at_s,
                });
            }
        }
        CaIntent::ScaleDown { nodes } => {
            for id in nodes {
                if let Some(i) = w.nodes.iter().position(|n| n.id == id) {
                    remove_node(w, i);
                }
            }
        }
    }
    w.control.cluster_autoscaler = lp;
}
