//! The cluster autoscaler loop: every scan, show the CA the node groups (one per
//! zone), the registered nodes and the pending pods; carry out its intent.
//!
//! ```text
//!   zones ─▶ NodeGroupView (min/max per zone; a dead zone has max 0)
//!   nodes ─▶ NodeView (requests, ready, removable = its pods fit elsewhere)
//!   Pending pods (app and pause) ─▶ PendingPodView
//!        ClusterAutoscaler::reconcile ─▶ ScaleUp: provisioning nodes, ready after the delay
//!                                     └▶ ScaleDown: nodes drained and removed
//! ```

use super::super::cluster_autoscaler::{
    CaConfig, CaIntent, ClusterAutoscaler, ClusterView, NodeGroupView, NodeView, PendingPodView,
};
use super::super::events::SimEvent;
use super::super::lifecycle::remove_node;
use super::super::topology::{NodeState, PodState};
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
    /// Scratch views.
    #[serde(skip)]
    groups: Vec<NodeGroupView>,
    #[serde(skip)]
    nodes: Vec<NodeView>,
    #[serde(skip)]
    pending: Vec<PendingPodView>,
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
            groups: Vec::new(),
            nodes: Vec::new(),
            pending: Vec::new(),
        }
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
/// `--balance-similar-node-groups`.
fn balanced_zone(w: &World) -> Option<u16> {
    let max = w.scenario.topology.nodes.max_per_zone;
    (0..w.zones.len())
        .filter(|&z| w.zones[z].alive)
        .map(|z| {
            let n = w
                .nodes
                .iter()
                .filter(|n| n.zone as usize == z && n.state != NodeState::Dead)
                .count() as u32;
            (n, z)
        })
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
    for (z, zone) in w.zones.iter().enumerate() {
        let current = w
            .nodes
            .iter()
            .filter(|n| n.zone as usize == z && n.state != NodeState::Dead)
            .count() as u32;
        lp.groups.push(NodeGroupView {
            id: z as u32,
            zone: z as u32,
            min_nodes: np.min_per_zone,
            max_nodes: if zone.alive { np.max_per_zone } else { 0 },
            nodes_current: current,
            node_cpu_allocatable_m: np.cpu_m,
            node_mem_allocatable_mib: np.memory_mib,
        });
    }
    let free_cpu: i64 = w
        .nodes
        .iter()
        .filter(|n| n.state == NodeState::Ready)
        .map(|n| n.cpu_alloc_m - n.cpu_requested_m)
        .sum();
    for n in &w.nodes {
        if n.state != NodeState::Ready {
            continue;
        }
        let free_elsewhere = free_cpu - (n.cpu_alloc_m - n.cpu_requested_m);
        lp.nodes.push(NodeView {
            id: n.id,
            group: u32::from(n.zone),
            cpu_requests_m: n.cpu_requested_m,
            mem_requests_mib: n.mem_requested_mib,
            cpu_allocatable_m: n.cpu_alloc_m,
            mem_allocatable_mib: n.mem_alloc_mib,
            ready: true,
            removable: free_elsewhere >= n.cpu_requested_m,
            pod_count: n.pods,
            created_s: n.added_s,
        });
    }
    for p in &w.pods {
        if p.state == PodState::Pending {
            let (cpu, mem) = w.requests_of(p.kind);
            lp.pending.push(PendingPodView {
                cpu_request_m: cpu,
                mem_request_mib: mem,
                zone: None,
                since_s: p.created_s,
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
    };
    let intent = ca.reconcile(now, &view);
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
                    let zone = balanced_zone(w).unwrap_or(group as u16);
                    w.add_node(zone, ready_at_s, NodeState::Provisioning);
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
