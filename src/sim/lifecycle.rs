//! Pods and nodes over time: the Deployment, the scheduler (with pause-pod
//! preemption), kubelet timers, load-balancer health checks, and faults.
//!
//! ```text
//!   spec.replicas ─▶ Deployment ─▶ Pending ─scheduler─▶ Starting ─timer─▶ Warming ─▶ Ready
//!                                   │  no room? preempt a pause pod        │
//!                                   └─ stays Pending (CA adds nodes)        └─ scale-down: Draining ─▶ gone
//!   fault ─▶ Dead ─(health checks fail `unhealthy_threshold` times)─▶ out of rotation ─▶ gone
//! ```
//!
//! Faults reach pods and nodes through [`super::inputs`] (`kill_pod`,
//! `kill_node`, `kill_zone`, `restore_zone`); how a fault ends is
//! `inputs::injections`.

use super::events::{KillCause, NodeRemoval, SimEvent};
use super::failure::FailureReason;
use super::topology::{NodeState, PodKind, PodState, NO_NODE};
use super::world::World;
use std::cmp::Reverse;

/// Kills pod `i`: its queue and sessions are lost; the LB keeps sending to it until detected.
pub fn kill_pod(w: &mut World, i: usize, cause: KillCause) {
    let now = w.now_s;
    live_counts_changed(w);
    w.unbind(i);
    let p = &mut w.pods[i];
    let zone = p.zone;
    let lost_requests = p.queue;
    let lost_sessions = p.sessions;
    p.queue = 0.0;
    p.sessions = 0.0;
    p.state = PodState::Dead;
    p.hc_failures = 0;
    p.timer_s = now;
    let id = p.id;
    let was_in_lb = p.in_lb;
    w.pod_times[i].last_ready_transition_s = Some(now);
    w.counters.failures[FailureReason::LostWithPod] += lost_requests;
    w.counters.queued -= lost_requests;
    if let Some(z) = w.zones.get_mut(zone as usize) {
        z.failures[FailureReason::LostWithPod] += lost_requests;
    }
    w.counters.sessions_lost += lost_sessions;
    if !was_in_lb {
        w.pods_to_remove = true;
    }
    w.log(SimEvent::PodKilled {
        t_s: now,
        pod: id,
        cause,
        lost_requests,
        lost_sessions,
    });
}

/// Kills node `n` and every pod on it.
pub fn kill_node(w: &mut World, n: usize) {
    if w.nodes[n].state == NodeState::Dead {
        return;
    }
    for i in 0..w.pods.len() {
        if w.pods[i].node == n as u32 {
            match w.pods[i].kind {
                PodKind::App => kill_pod(w, i, KillCause::NodeLost),
                PodKind::Pause => {
                    w.unbind(i);
                    w.pods[i].state = PodState::Pending;
                }
            }
        }
    }
    let node = &mut w.nodes[n];
    node.state = NodeState::Dead;
    let (id, zone) = (node.id, node.zone);
    w.log(SimEvent::NodeRemoved {
        t_s: w.now_s,
        node: id,
        zone,
        reason: NodeRemoval::Fault,
    });
    w.schedule_dirty = true;
}

/// Removes a node the cluster autoscaler scaled down: its pods are evicted gracefully.
pub fn remove_node(w: &mut World, n: usize) {
    // An empty node (the bulk case) has no pods to look for.
    let pods = if w.nodes[n].pods > 0 { w.pods.len() } else { 0 };
    for i in 0..pods {
        if w.pods[i].node == n as u32 {
            w.unbind(i);
            let p = &mut w.pods[i];
            match p.kind {
                // Evicted pods are recreated elsewhere by their controller: here, back to Pending.
                PodKind::Pause => p.state = PodState::Pending,
                PodKind::App => {
                    if p.state.is_ready() || p.state == PodState::Starting {
                        start_drain(w, i);
                    }
                }
            }
        }
    }
    let node = &mut w.nodes[n];
    node.state = NodeState::Dead;
    let (id, zone) = (node.id, node.zone);
    w.log(SimEvent::NodeRemoved {
        t_s: w.now_s,
        node: id,
        zone,
        reason: NodeRemoval::ScaleDown,
    });
    w.schedule_dirty = true;
}

/// Starts the graceful termination of pod `i`.
fn start_drain(w: &mut World, i: usize) {
    live_counts_changed(w);
    let grace = w.scenario.topology.pod.termination_grace_s;
    let now = w.now_s;
    let p = &mut w.pods[i];
    p.state = PodState::Draining;
    p.in_lb = false;
    p.sessions = 0.0;
    p.timer_s = now + grace;
    w.next_pod_timer_s = w.next_pod_timer_s.min(now + grace);
}

/// Deletes pod `i` for a scale-down: unready pods go at once, ready ones drain.
fn delete_pod(w: &mut World, i: usize) {
    live_counts_changed(w);
    match w.pods[i].state {
        PodState::Pending | PodState::Starting => {
            w.unbind(i);
            let p = &mut w.pods[i];
            p.state = PodState::Dead;
            p.in_lb = false;
            w.pods_to_remove = true;
        }
        PodState::Warming | PodState::Ready => start_drain(w, i),
        PodState::Draining | PodState::Dead => {}
    }
    w.schedule_dirty = true;
}

/// (live app pods, pause pods not dead): the cached counts, or one pass that sets them.
/// Debug builds check the cache against a fresh count.
fn live_counts(w: &mut World) -> (i32, u32) {
    let count = |w: &World| {
        let (mut live, mut pauses) = (0i32, 0u32);
        for p in &w.pods {
            match p.kind {
                PodKind::App => live += i32::from(p.is_live_app()),
                PodKind::Pause => pauses += u32::from(p.state != PodState::Dead),
            }
        }
        (live, pauses)
    };
    match w.scratch.live_counts {
        Some(c) => {
            debug_assert_eq!(c, count(w), "cached live pod counts went stale");
            c
        }
        None => {
            let c = count(w);
            w.scratch.live_counts = Some(c);
            c
        }
    }
}

/// Forget the cached live pod counts (a pod stopped being live or a pause pod died).
fn live_counts_changed(w: &mut World) {
    w.scratch.live_counts = None;
}

/// The Deployment/ReplicaSet: create or delete app pods to match `spec_replicas`.
/// Deletes unscheduled pods first, then unready ones, then the newest.
pub fn reconcile_deployment(w: &mut World) {
    if w.rollout.is_some() {
        super::rollout::controller::reconcile(w);
        return;
    }
    let (live, _) = live_counts(w);
    let want = w.spec_replicas.max(0);
    if live < want {
        for _ in live..want {
            w.create_pod(PodKind::App);
        }
        w.schedule_dirty = true;
    } else if live > want {
        delete_worst(w, (live - want) as usize, None);
    }
}

/// Deletes `k` live app pods (of `version` only, when given), the ReplicaSet's way:
/// lowest state rank first (Pending < Starting < Warming < Ready), then newest.
/// Deleting one makes it not live, so the k victims are the k best of the live pods:
/// one pass and a partial sort, not k passes.
pub fn delete_worst(w: &mut World, k: usize, version: Option<u8>) {
    let mut victims: Vec<usize> = (0..w.pods.len())
        .filter(|&i| w.pods[i].is_live_app() && version.is_none_or(|v| w.pods[i].version == v))
        .collect();
    let pods = &w.pods;
    let key = |i: usize| (pods[i].state, Reverse(pods[i].id), i);
    crate::sim::ordering::sort_indices(&mut victims, &|a, b| key(a).cmp(&key(b)));
    victims.truncate(k);
    for i in victims {
        delete_pod(w, i);
    }
}

/// Keeps the wanted number of pause pods.
pub fn reconcile_pause_pods(w: &mut World) {
    let (_, have) = live_counts(w);
    if have < w.pause_pods_wanted {
        for _ in have..w.pause_pods_wanted {
            w.create_pod(PodKind::Pause);
        }
        w.schedule_dirty = true;
    } else if have > w.pause_pods_wanted {
        for _ in w.pause_pods_wanted..have {
            if let Some(i) = w
                .pods
                .iter()
                .rposition(|p| p.kind == PodKind::Pause && p.state != PodState::Dead)
            {
                w.unbind(i);
                w.pods[i].state = PodState::Dead;
                w.pods_to_remove = true;
                live_counts_changed(w);
            }
        }
        w.schedule_dirty = true;
    }
}

/// Places pending pods: app pods first, spread over zones, preempting pause pods when
/// nothing else fits; then pause pods into whatever room is left.
///
/// Each pod goes to the node with the lowest (app pods in its zone, CPU requested,
/// index) among the ready nodes of alive zones where its requests fit. All pods of a
/// kind request the same, so a node that cannot take one cannot take the next:
/// each zone keeps its fitting nodes in a min-heap on (CPU requested, index), and
/// the first pod that fits nowhere (after trying preemption) ends the kind's pass.
/// Cost: O(pods + nodes + placed · log nodes) per call, not O(pending · nodes).
pub fn schedule_pending(w: &mut World) {
    w.schedule_dirty = false;
    let zones = w.zones.len();
    let regions = w.regions.len();
    let classes = w.scenario.traffic.classes.len();
    w.scratch.ensure(zones, regions, classes);
    w.scratch.zone_app_pods.iter_mut().for_each(|c| *c = 0);
    let mut pending = std::mem::take(&mut w.scratch.pending_pods);
    pending.clear();
    for (i, p) in w.pods.iter().enumerate() {
        if p.is_live_app() && p.node != NO_NODE {
            w.scratch.zone_app_pods[p.zone as usize] += 1;
        }
        if p.state == PodState::Pending {
            pending.push(i as u32);
        }
    }
    let mut heaps = std::mem::take(&mut w.scratch.zone_heaps);
    heaps.resize_with(zones, Default::default);
    for kind in [PodKind::App, PodKind::Pause] {
        if !pending.iter().any(|&i| w.pods[i as usize].kind == kind) {
            continue;
        }
        let (cpu, mem) = w.requests_of(kind);
        for h in heaps.iter_mut() {
            h.clear();
        }
        for (ni, n) in w.nodes.iter().enumerate() {
            if w.zones[n.zone as usize].alive && n.fits(cpu, mem) {
                heaps[n.zone as usize].push(Reverse((n.cpu_requested_m, ni as u32)));
            }
        }
        let mut k = 0;
        while k < pending.len() {
            let i = pending[k] as usize;
            k += 1;
            if w.pods[i].kind != kind || w.pods[i].state != PodState::Pending {
                continue;
            }
            // The zone whose best node has the lowest (zone app pods, CPU requested, index).
            let zone = (0..zones)
                .filter_map(|z| {
                    heaps[z]
                        .peek()
                        .map(|Reverse((c, ni))| (w.scratch.zone_app_pods[z], *c, *ni, z))
                })
                .min()
                .map(|b| b.3);
            let target = match zone {
                Some(z) => heaps[z].pop().map(|Reverse((_, ni))| ni as usize),
                None if kind == PodKind::App => match preempt_pause_pod(w, cpu, mem) {
                    Some((ni, victim)) => {
                        // The evicted pause pod is tried in the pause pass, in pod order.
                        let at = pending.partition_point(|&j| (j as usize) < victim);
                        pending.insert(at, victim as u32);
                        if at < k {
                            k += 1;
                        }
                        Some(ni)
                    }
                    None => None,
                },
                None => None,
            };
            let Some(ni) = target else {
                // Nothing changed since this pod failed: the next ones of its kind fail too.
                break;
            };
            bind(w, i, ni, cpu, mem);
            let n = &w.nodes[ni];
            if w.zones[n.zone as usize].alive && n.fits(cpu, mem) {
                heaps[n.zone as usize].push(Reverse((n.cpu_requested_m, ni as u32)));
            }
        }
    }
    let pending_apps = pending
        .iter()
        .filter(|&&i| {
            let p = &w.pods[i as usize];
            p.kind == PodKind::App && p.state == PodState::Pending
        })
        .count() as u32;
    w.scratch.pending_pods = pending;
    w.scratch.zone_heaps = heaps;
    if pending_apps > w.pending_reported {
        w.log(SimEvent::PodsPending {
            t_s: w.now_s,
            count: pending_apps,
        });
    }
    w.pending_reported = pending_apps;
}

/// Evicts a pause pod whose room lets a pod of (`cpu`, `mem`) fit; returns its node
/// and the evicted pod's index.
fn preempt_pause_pod(w: &mut World, cpu: i64, mem: i64) -> Option<(usize, usize)> {
    let (pcpu, pmem) = w.requests_of(PodKind::Pause);
    let victim = w.pods.iter().position(|p| {
        p.kind == PodKind::Pause && p.node != NO_NODE && {
            let n = &w.nodes[p.node as usize];
            n.state == NodeState::Ready
                && w.zones[n.zone as usize].alive
                && n.cpu_requested_m - pcpu + cpu <= n.cpu_alloc_m
                && n.mem_requested_mib - pmem + mem <= n.mem_alloc_mib
        }
    })?;
    let node = w.pods[victim].node as usize;
    w.unbind(victim);
    w.pods[victim].state = PodState::Pending;
    let id = w.pods[victim].id;
    w.log(SimEvent::PausePodPreempted {
        t_s: w.now_s,
        pod: id,
    });
    Some((node, victim))
}

fn bind(w: &mut World, i: usize, ni: usize, cpu: i64, mem: i64) {
    let now = w.now_s;
    let startup = w.scenario.topology.pod.startup_s();
    let n = &mut w.nodes[ni];
    n.cpu_requested_m += cpu;
    n.mem_requested_mib += mem;
    n.pods += 1;
    let zone = n.zone;
    let p = &mut w.pods[i];
    p.node = ni as u32;
    p.zone = zone;
    match p.kind {
        PodKind::App => {
            p.state = PodState::Starting;
            p.timer_s = now + startup;
            let t = &mut w.pod_times[i];
            t.start_time_s = Some(now);
            t.last_ready_transition_s = Some(now);
            w.scratch.zone_app_pods[zone as usize] += 1;
            w.next_pod_timer_s = w.next_pod_timer_s.min(now + startup);
        }
        PodKind::Pause => {
            p.state = PodState::Ready;
            w.pod_times[i].start_time_s = Some(now);
        }
    }
}

/// Kubelet timers: readiness, end of warm-up, end of draining, restart after an OOM kill.
/// Also nodes finishing provisioning.
pub fn advance_timers(w: &mut World) {
    let now = w.now_s;
    let spec_warmup = w.scenario.topology.pod.warmup_s;
    let mut new_node = false;
    for n in 0..w.nodes.len() {
        let node = &mut w.nodes[n];
        if node.state == NodeState::Provisioning && node.ready_at_s <= now {
            node.state = NodeState::Ready;
            let (id, zone) = (node.id, node.zone);
            new_node = true;
            w.log(SimEvent::NodeAdded {
                t_s: now,
                node: id,
                zone,
            });
        }
    }
    if new_node {
        w.schedule_dirty = true;
    }
    // Before the earliest pod timer there is nothing to do (the common tick).
    if now < w.next_pod_timer_s {
        return;
    }
    // f64::MAX, not infinity, when none: the world serializes to JSON.
    let mut next = f64::MAX;
    for i in 0..w.pods.len() {
        let p = &mut w.pods[i];
        if p.kind != PodKind::App {
            continue;
        }
        let timed = matches!(
            p.state,
            PodState::Starting | PodState::Warming | PodState::Draining
        );
        if p.timer_s > now {
            if timed {
                next = next.min(p.timer_s);
            }
            continue;
        }
        // A pod whose version crash-loops crashes as it would become ready.
        if p.state == PodState::Starting
            && w.versions
                .get(usize::from(p.version))
                .is_some_and(|v| v.crash_loop)
        {
            next = next.min(crash_loop_restart(w, i));
            continue;
        }
        match p.state {
            PodState::Starting => {
                p.state = PodState::Warming;
                p.timer_s = now + spec_warmup;
                let t = &mut w.pod_times[i];
                t.last_ready_transition_s = Some(now);
                next = next.min(p.timer_s);
                let (id, zone, after) = (p.id, p.zone, now - t.created_s);
                w.log(SimEvent::PodReady {
                    t_s: now,
                    pod: id,
                    zone,
                    after_s: after,
                });
            }
            PodState::Warming => p.state = PodState::Ready,
            PodState::Draining => {
                let left = p.queue;
                p.queue = 0.0;
                p.state = PodState::Dead;
                w.counters.failures[FailureReason::LostWithPod] += left;
                w.counters.queued -= left;
                w.unbind(i);
                w.pods_to_remove = true;
                w.schedule_dirty = true;
            }
            PodState::Pending | PodState::Ready | PodState::Dead => {}
        }
    }
    w.next_pod_timer_s = next;
}

/// A pod whose version crash-loops crashed as it became ready: it restarts after
/// Kubernetes' CrashLoopBackOff (10 s, doubling with each restart to 5 min) and its
/// start time. Returns when it next tries [s].
fn crash_loop_restart(w: &mut World, i: usize) -> f64 {
    let now = w.now_s;
    let spec = &w.scenario.topology.pod;
    let start = spec.restart_s + spec.app_start_s + spec.readiness_delay_s;
    let p = &mut w.pods[i];
    let back_off = (10.0 * 2f64.powi(p.restarts.min(16) as i32)).min(300.0);
    p.restarts += 1;
    p.timer_s = now + back_off + start;
    let (id, at) = (p.id, p.timer_s);
    w.log(SimEvent::PodKilled {
        t_s: now,
        pod: id,
        cause: KillCause::CrashLoop,
        lost_requests: 0.0,
        lost_sessions: 0.0,
    });
    at
}

/// An OOM kill: the container restarts in place (the pod stays on its node).
pub fn oom_kill(w: &mut World, i: usize) {
    let now = w.now_s;
    // A draining pod killed for memory restarts, live again.
    live_counts_changed(w);
    let spec = &w.scenario.topology.pod;
    let restart = spec.restart_s + spec.app_start_s + spec.readiness_delay_s;
    let base_mem = spec.memory_used_mib;
    let p = &mut w.pods[i];
    let zone = p.zone;
    let lost_requests = p.queue;
    let lost_sessions = p.sessions;
    p.queue = 0.0;
    p.sessions = 0.0;
    p.memory_mib = base_mem;
    p.restarts += 1;
    p.state = PodState::Starting;
    p.timer_s = now + restart;
    let id = p.id;
    w.pod_times[i].last_ready_transition_s = Some(now);
    w.next_pod_timer_s = w.next_pod_timer_s.min(now + restart);
    w.counters.failures[FailureReason::LostWithPod] += lost_requests;
    w.counters.queued -= lost_requests;
    if let Some(z) = w.zones.get_mut(zone as usize) {
        z.failures[FailureReason::LostWithPod] += lost_requests;
    }
    w.counters.sessions_lost += lost_sessions;
    w.log(SimEvent::PodKilled {
        t_s: now,
        pod: id,
        cause: KillCause::OutOfMemory,
        lost_requests,
        lost_sessions,
    });
}

/// One round of load-balancer health checks.
pub fn health_checks(w: &mut World) {
    let now = w.now_s;
    let threshold = w.scenario.balancer.unhealthy_threshold.max(1);
    for i in 0..w.pods.len() {
        let p = &mut w.pods[i];
        if p.kind != PodKind::App {
            continue;
        }
        let healthy = p.state.is_ready();
        if p.in_lb {
            if healthy {
                p.hc_failures = 0;
            } else {
                p.hc_failures = p.hc_failures.saturating_add(1);
                if p.hc_failures >= threshold {
                    p.in_lb = false;
                    if p.state == PodState::Dead {
                        let (id, after) = (p.id, now - p.timer_s);
                        w.pods_to_remove = true;
                        w.log(SimEvent::PodOutOfRotation {
                            t_s: now,
                            pod: id,
                            after_s: after,
                        });
                    }
                }
            }
        } else if healthy {
            p.in_lb = true;
            p.in_lb_since_s = now;
            p.hc_failures = 0;
        }
    }
}

/// Drops dead pods the LB no longer routes to, and dead empty nodes.
pub fn remove_gone(w: &mut World) {
    if w.pods_to_remove {
        w.pods_to_remove = false;
        // Both vectors in step: a dead pod out of rotation goes with its times.
        let mut kept = 0;
        for i in 0..w.pods.len() {
            let p = &w.pods[i];
            if p.state != PodState::Dead || p.in_lb {
                w.pods.swap(kept, i);
                w.pod_times.swap(kept, i);
                kept += 1;
            }
        }
        w.pods.truncate(kept);
        w.pod_times.truncate(kept);
    }
    // Dead empty nodes go; the pods' node indices shift down past each one (one pass).
    if w.nodes
        .iter()
        .any(|n| n.state == NodeState::Dead && n.pods == 0)
    {
        let mut new_index: Vec<u32> = Vec::with_capacity(w.nodes.len());
        let mut kept = 0u32;
        for n in &w.nodes {
            new_index.push(kept);
            if !(n.state == NodeState::Dead && n.pods == 0) {
                kept += 1;
            }
        }
        w.nodes
            .retain(|n| !(n.state == NodeState::Dead && n.pods == 0));
        for p in w.pods.iter_mut() {
            if p.node != NO_NODE {
                p.node = new_index[p.node as usize];
            }
        }
    }
}

/// Kills zone `z`: its nodes and their pods die; nothing new lands there until restored.
pub fn kill_zone(w: &mut World, z: u16) {
    w.zones[z as usize].alive = false;
    for n in 0..w.nodes.len() {
        if w.nodes[n].zone == z && w.nodes[n].state != NodeState::Dead {
            kill_node(w, n);
        }
    }
}

/// Brings zone `z` back, empty, with its initial nodes provisioning (the
/// cluster autoscaler refills it); nothing when it or its region is down.
pub fn restore_zone(w: &mut World, z: u16) {
    let r = w.zones[z as usize].region as usize;
    if !w.regions[r].alive || w.zones[z as usize].alive {
        return;
    }
    w.zones[z as usize].alive = true;
    let np = &w.scenario.topology.nodes;
    let (count, delay) = (
        np.initial_per_zone.max(np.min_per_zone),
        np.provision_delay_s,
    );
    let ready = w.now_s + delay;
    for _ in 0..count {
        w.add_node(z, ready, NodeState::Provisioning);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::load;

    /// One region of zones a and b, one 4-core node each, 4 pods of 1 core.
    fn world() -> World {
        let s = load(
            "t.toml",
            r#"
title = "t"
[topology]
initial_replicas = 4
regions = [{ name = "r1", zones = ["a", "b"] }]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 1
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 1000
[traffic]
noise = false
profile = { kind = "constant", rps = 100.0 }
[cluster_autoscaler]
enabled = false
"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        World::new(&s, 1).unwrap()
    }

    fn app_pods(w: &World, state: PodState) -> usize {
        w.pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.state == state)
            .count()
    }

    #[test]
    fn a_killed_node_takes_its_pods_and_the_deployment_replaces_them() {
        let mut w = world();
        let on_first = w.pods.iter().filter(|p| p.node == 0).count();
        assert!(on_first > 0);
        kill_node(&mut w, 0);
        assert_eq!(w.nodes[0].state, NodeState::Dead);
        assert_eq!(app_pods(&w, PodState::Dead), on_first);
        // Killing a dead node again changes nothing.
        kill_node(&mut w, 0);
        assert_eq!(app_pods(&w, PodState::Dead), on_first);
        reconcile_deployment(&mut w);
        assert_eq!(app_pods(&w, PodState::Pending), on_first);
    }

    #[test]
    fn a_killed_zone_comes_back_empty_with_its_nodes_provisioning() {
        let mut w = world();
        kill_zone(&mut w, 1);
        assert!(!w.zones[1].alive);
        assert!(w
            .nodes
            .iter()
            .filter(|n| n.zone == 1)
            .all(|n| n.state == NodeState::Dead));
        let before = w.nodes.len();
        restore_zone(&mut w, 1);
        assert!(w.zones[1].alive);
        assert_eq!(w.nodes.len(), before + 1);
        assert_eq!(w.nodes[before].state, NodeState::Provisioning);
        // A zone that is up is not restored twice.
        restore_zone(&mut w, 1);
        assert_eq!(w.nodes.len(), before + 1);
    }

    #[test]
    fn a_dead_pod_loses_its_queue_and_leaves_rotation_after_failed_checks() {
        let mut w = world();
        let i = w.pods.iter().position(|p| p.in_lb).unwrap();
        w.pods[i].queue = 3.0;
        w.counters.queued += 3.0;
        kill_pod(&mut w, i, KillCause::Fault);
        assert_eq!(w.counters.failures[FailureReason::LostWithPod], 3.0);
        assert!(w.pods[i].in_lb, "the LB keeps it until its checks fail");
        let threshold = w.scenario.balancer.unhealthy_threshold.max(1);
        for _ in 1..threshold {
            health_checks(&mut w);
        }
        assert!(
            w.pods[i].in_lb,
            "still in rotation one check before the threshold"
        );
        health_checks(&mut w);
        assert!(!w.pods[i].in_lb);
    }
}
