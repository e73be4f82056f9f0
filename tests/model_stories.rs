//! Story tests of the pure models of docs/models.md,
//! plus property tests of the SLO tracker and the cluster autoscaler.

use proptest::prelude::*;
use scalesim::sim::cluster_autoscaler::{
    CaConfig, CaIntent, ClusterAutoscaler, ClusterView, NodeGroupView, NodeView, PendingPodView,
};
use scalesim::sim::slo::{error_budget, PolicyTier, SloConfig, SloTracker};

#[test]
fn ninety_nine_point_nine_percent_over_30_days_gives_43_2_minutes_of_budget() {
    let b = error_budget(99.9, 30.0);
    assert!((b.allowed_bad_minutes - 43.2).abs() < 1e-12);
    // The tracker agrees: 43.2 minutes of full outage spend the whole budget.
    let mut t = SloTracker::new(SloConfig::default());
    for s in 1..=3600 {
        let _ = t.record(f64::from(s), 1.0, 100.0, 100.0);
    }
    for s in 3601..=3600 + 2592 - 60 {
        let _ = t.record(f64::from(s), 1.0, 0.0, 100.0);
    }
    assert!(
        t.budget_remaining_fraction() > 0.0,
        "one minute of budget is left"
    );
    for s in 3600 + 2592 - 59..=3600 + 2592 {
        let _ = t.record(f64::from(s), 1.0, 0.0, 100.0);
    }
    assert!(t.budget_remaining_fraction() < 1e-9);
    assert_eq!(t.policy_tier(), PolicyTier::BudgetExhausted);
}

#[test]
fn a_100_percent_outage_fires_the_fast_page_after_51_84_s_and_resolves_after_the_errors_stop() {
    let mut t = SloTracker::new(SloConfig::default());
    for s in 1..=7200 {
        assert!(t.record(f64::from(s), 1.0, 1000.0, 1000.0).is_empty());
    }
    let outage_start = 7200;
    let mut fired_after = None;
    for s in outage_start + 1..=outage_start + 900 {
        let c = t.record(f64::from(s), 1.0, 0.0, 1000.0);
        if c.fired(0) {
            fired_after = Some(f64::from(s - outage_start));
        }
    }
    let fired_after = fired_after.expect("the 14.4x / 1 h page fires");
    // Within the 10 s bucket resolution of the exact 51.84 s.
    assert!(
        (fired_after - 51.84).abs() <= 10.0,
        "fired after {fired_after} s"
    );
    assert!(t.alert_firing(0));
    let stop = outage_start + 900;
    let mut resolved_after = None;
    for s in stop + 1..=stop + 3600 {
        let c = t.record(f64::from(s), 1.0, 1000.0, 1000.0);
        if c.resolved(0) {
            resolved_after = Some(f64::from(s - stop));
        }
    }
    // The 5-minute short window resets the page about 5 minutes after the errors stop.
    let resolved_after = resolved_after.expect("the page resolves");
    assert!(resolved_after <= 310.0, "resolved after {resolved_after} s");
    assert!(!t.alert_firing(0));
}

#[test]
fn memory_of_the_tracker_does_not_grow_over_a_simulated_30_days() {
    let mut t = SloTracker::new(SloConfig::default());
    let before = t.buffer_slots();
    for s in 1..=30 * 86_400u32 {
        let bad = if s % 86_400 < 60 { 50.0 } else { 0.0 };
        let _ = t.record(f64::from(s), 1.0, 100.0 - bad, 100.0);
    }
    assert_eq!(t.buffer_slots(), before, "ring buffers keep their length");
}

/// A tiny cluster: one node group, nodes with their pods' requests.
struct MiniCluster {
    group: NodeGroupView,
    nodes: Vec<NodeView>,
    /// (group, ready at [s]) of nodes being provisioned.
    provisioning: Vec<(u32, f64)>,
    next_id: u64,
}

impl MiniCluster {
    fn view_groups(&self) -> [NodeGroupView; 1] {
        let mut g = self.group.clone();
        g.nodes_current = (self.nodes.len() + self.provisioning.len()) as u32;
        [g]
    }

    fn apply(&mut self, intent: &CaIntent) {
        match intent {
            CaIntent::ScaleUp {
                nodes, ready_at_s, ..
            } => {
                for _ in 0..*nodes {
                    self.provisioning.push((self.group.id, *ready_at_s));
                }
            }
            CaIntent::ScaleDown { nodes } => self.nodes.retain(|n| !nodes.contains(&n.id)),
            CaIntent::Nothing { .. } => {}
        }
    }

    fn register_ready(&mut self, now_s: f64) {
        let (ready, waiting): (Vec<_>, Vec<_>) =
            self.provisioning.iter().partition(|(_, t)| *t <= now_s);
        self.provisioning = waiting;
        for _ in ready {
            self.next_id += 1;
            self.nodes.push(NodeView {
                id: self.next_id,
                group: self.group.id,
                cpu_requests_m: 0,
                mem_requests_mib: 0,
                cpu_allocatable_m: self.group.node_cpu_allocatable_m,
                mem_allocatable_mib: self.group.node_mem_allocatable_mib,
                ready: true,
                removable: true,
                pod_count: 0,
                created_s: now_s,
                pods: 0..0,
            });
        }
    }
}

#[test]
fn a_pending_pod_gets_a_node_after_the_provisioning_delay_and_an_idle_node_is_removed_after_more_than_10_minutes(
) {
    let group = NodeGroupView {
        id: 0,
        zone: 0,
        min_nodes: 1,
        max_nodes: 3,
        nodes_current: 1,
        node_cpu_allocatable_m: 4000,
        node_mem_allocatable_mib: 16_384,
    };
    let busy = NodeView {
        id: 1,
        group: 0,
        cpu_requests_m: 3500,
        mem_requests_mib: 8000,
        cpu_allocatable_m: 4000,
        mem_allocatable_mib: 16_384,
        ready: true,
        removable: false,
        pod_count: 7,
        created_s: 0.0,
        pods: 0..0,
    };
    let mut cluster = MiniCluster {
        group,
        nodes: vec![busy],
        provisioning: vec![],
        next_id: 1,
    };
    let mut ca = ClusterAutoscaler::new(CaConfig::default());
    let pod = PendingPodView {
        cpu_request_m: 1000,
        mem_request_mib: 1024,
        zone: None,
        since_s: 5.0,
    };
    let mut pending = vec![];
    let mut pod_scheduled_at = None;
    let mut node_added_at = None;
    let mut node_removed_at = None;
    let job_ends_s = 400.0;
    let mut t = 0.0;
    while t <= 2000.0 {
        if t == 10.0 {
            pending.push(pod.clone()); // marked unschedulable at t = 5, seen by the scan at 10
        }
        cluster.register_ready(t);
        // The scheduler places the pending pod on the new node once it is ready.
        if !pending.is_empty() {
            if let Some(n) = cluster.nodes.iter_mut().find(|n| n.id == 2) {
                n.cpu_requests_m += 2500;
                n.mem_requests_mib += 1024;
                n.pod_count += 1;
                pending.clear();
                pod_scheduled_at = Some(t);
            }
        }
        if t == job_ends_s {
            let n = cluster.nodes.iter_mut().find(|n| n.id == 2).unwrap();
            n.cpu_requests_m = 0;
            n.mem_requests_mib = 0;
            n.pod_count = 0;
        }
        let groups = cluster.view_groups();
        let view = ClusterView {
            groups: &groups,
            nodes: &cluster.nodes,
            pending: &pending,
            pods: &[],
        };
        let intent = ca.reconcile(t, &view);
        match &intent {
            CaIntent::ScaleUp { ready_at_s, .. } => {
                assert!(node_added_at.is_none(), "one scale-up only");
                node_added_at = Some(t);
                assert_eq!(*ready_at_s, t + 180.0);
            }
            CaIntent::ScaleDown { nodes } => {
                assert_eq!(nodes, &vec![2]);
                node_removed_at = Some(t);
            }
            CaIntent::Nothing { .. } => {}
        }
        cluster.apply(&intent);
        t += 10.0;
    }
    assert_eq!(node_added_at, Some(10.0));
    assert_eq!(
        pod_scheduled_at,
        Some(190.0),
        "scale-up at 10 s + 180 s provisioning"
    );
    // The pod (2500m of 4000m = 62.5 %) keeps node 2 needed until its job ends at 400 s.
    // The idle node must stay unneeded for strictly more than 600 s: not at 1000 s, at 1010 s.
    assert_eq!(node_removed_at, Some(1010.0));
    assert_eq!(cluster.nodes.len(), 1, "back to the min of one node");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_slo_tracker_never_reports_nan_and_keeps_the_budget_between_0_and_1(
        ticks in prop::collection::vec((0.0f64..1e6, 0.0f64..1e6, 0.1f64..30.0), 1..400),
        target in 90.0f64..99.999,
    ) {
        let mut t = SloTracker::new(SloConfig { target_pct: target, ..SloConfig::default() });
        let mut now = 0.0;
        for (good, valid, dt) in ticks {
            now += dt;
            let _ = t.record(now, dt, good, valid);
            for w in [300.0, 3600.0, 21_600.0, 259_200.0, 1234.0] {
                let b = t.burn_rate(w);
                prop_assert!(!b.is_nan() && b >= 0.0);
                if let Some(x) = t.time_to_exhaustion_s(w) {
                    prop_assert!(!x.is_nan() && x >= 0.0);
                }
            }
            let c = t.budget_consumed_fraction();
            prop_assert!((0.0..=1.0).contains(&c));
            prop_assert!((0.0..=1.0).contains(&t.budget_remaining_fraction()));
        }
    }

    #[test]
    fn under_only_bad_input_the_budget_consumed_never_decreases(
        ticks in prop::collection::vec((1.0f64..1e4, 0.5f64..120.0), 1..300),
    ) {
        let mut t = SloTracker::new(SloConfig::default());
        let mut now = 0.0;
        let mut last = 0.0;
        for (valid, dt) in ticks {
            now += dt;
            let _ = t.record(now, dt, 0.0, valid);
            let c = t.budget_consumed_fraction();
            prop_assert!(c >= last, "consumed fell from {} to {}", last, c);
            last = c;
        }
    }

    #[test]
    fn the_cluster_autoscaler_never_goes_below_min_or_above_max_nodes(
        min_nodes in 0u32..3,
        extra in 0u32..5,
        initial in prop::collection::vec((0i64..4000, 0u32..6, any::<bool>()), 0..8),
        arrivals in prop::collection::vec(prop::collection::vec(100i64..5000, 0..4), 1..150),
    ) {
        let max_nodes = min_nodes + extra.max(1);
        let group = NodeGroupView {
            id: 0, zone: 0, min_nodes, max_nodes, nodes_current: 0,
            node_cpu_allocatable_m: 4000, node_mem_allocatable_mib: 16_384,
        };
        let mut nodes: Vec<NodeView> = initial.iter().take(max_nodes as usize).enumerate().map(|(i, &(cpu, pods, removable))| NodeView {
            id: i as u64 + 1, group: 0, cpu_requests_m: cpu, mem_requests_mib: 0,
            cpu_allocatable_m: 4000, mem_allocatable_mib: 16_384, ready: true,
            removable, pod_count: if cpu == 0 { 0 } else { pods.max(1) }, created_s: 0.0, pods: 0..0,
        }).collect();
        while (nodes.len() as u32) < min_nodes {
            let id = nodes.len() as u64 + 1;
            nodes.push(NodeView { id, group: 0, cpu_requests_m: 0, mem_requests_mib: 0, cpu_allocatable_m: 4000,
                mem_allocatable_mib: 16_384, ready: true, removable: true, pod_count: 0, created_s: 0.0, pods: 0..0 });
        }
        let mut cluster = MiniCluster { group, nodes, provisioning: vec![], next_id: 100 };
        let mut ca = ClusterAutoscaler::new(CaConfig::default());
        for (k, pods) in arrivals.iter().enumerate() {
            let now = k as f64 * 10.0 * 7.0; // scans 70 s apart to reach removal times quickly
            cluster.register_ready(now);
            let pending: Vec<PendingPodView> = pods.iter().map(|&cpu| PendingPodView {
                cpu_request_m: cpu, mem_request_mib: 256, zone: None, since_s: now }).collect();
            let groups = cluster.view_groups();
            let view = ClusterView { groups: &groups, nodes: &cluster.nodes, pending: &pending, pods: &[] };
            let intent = ca.reconcile(now, &view);
            cluster.apply(&intent);
            let total = (cluster.nodes.len() + cluster.provisioning.len()) as u32;
            prop_assert!(total <= max_nodes, "{} nodes above max {}", total, max_nodes);
            prop_assert!(total >= min_nodes, "{} nodes below min {}", total, min_nodes);
        }
    }
}
