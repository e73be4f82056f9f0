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
//! Faults of one kind follow one rule, as a rollout does (a second bad release
//! replaces the first; a rollback returns to the last good version):
//!
//! ```text
//!   inject     the latest injection on a target (the release, a latency target, a pod,
//!              a data-tier fault, one of the dependency's faults) replaces what was there
//!   timed end  clears only the targets the injection still holds; one replaced or
//!              rolled back ends nothing, and the log says why
//!   restore    rolls the kind back: every target of it is cleared; with none in force,
//!              nothing happens and the log says so ("no bad release is in force")
//! ```

use super::actions::{Action, ActionSource, FaultKind, Input, LatencyTarget};
use super::events::{KillCause, NodeRemoval, Scaler, SimEvent};
use super::poisson::uniform01;
use super::topology::{NodeState, PodKind, PodState, NO_NODE};
use super::traffic::Profile;
use super::world::{FaultTarget, World};
use std::cmp::Reverse;

/// Pod index lookups without allocation: the `k`-th pod (0-based) matching `pred`.
fn nth_pod(w: &World, k: usize, pred: impl Fn(&super::topology::Pod) -> bool) -> Option<usize> {
    w.pods
        .iter()
        .enumerate()
        .filter(|(_, p)| pred(p))
        .nth(k)
        .map(|(i, _)| i)
}

/// A seeded pick of one of `n` items.
fn pick(w: &mut World, n: usize) -> usize {
    ((uniform01(&mut w.rng) * n as f64) as usize).min(n.saturating_sub(1))
}

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
    w.counters.lost += lost_requests;
    w.counters.queued -= lost_requests;
    if let Some(z) = w.zones.get_mut(zone as usize) {
        z.failures.lost_with_pod += lost_requests;
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
    let (live, _) = live_counts(w);
    let want = w.spec_replicas.max(0);
    if live < want {
        for _ in live..want {
            w.create_pod(PodKind::App);
        }
        w.schedule_dirty = true;
    } else if live > want {
        // The victims, best first: lowest state rank (Pending < Starting < Warming <
        // Ready), then newest. Deleting one makes it not live, so the k victims are the
        // k best of the live pods: one pass and a partial sort, not k passes.
        let k = (live - want) as usize;
        let mut victims: Vec<(PodState, Reverse<u64>, usize)> = w
            .pods
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_live_app())
            .map(|(i, p)| (p.state, Reverse(p.id), i))
            .collect();
        if k < victims.len() {
            victims.select_nth_unstable(k);
            victims.truncate(k);
        }
        victims.sort_unstable();
        for (_, _, i) in victims {
            delete_pod(w, i);
        }
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
                w.counters.lost += left;
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
    w.counters.lost += lost_requests;
    w.counters.queued -= lost_requests;
    if let Some(z) = w.zones.get_mut(zone as usize) {
        z.failures.lost_with_pod += lost_requests;
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

/// Logs that `action` did nothing, and why (a pod or node that is gone).
fn ignore(w: &mut World, action: Action, by: ActionSource, reason: String) {
    w.log(SimEvent::ActionIgnored {
        t_s: w.now_s,
        action,
        by,
        reason,
    });
}

/// Applies one input (stage 1).
pub fn apply_input(w: &mut World, input: Input) {
    let now = w.now_s;
    let seq = input.seq;
    let action = input.action;
    let by = input.by;
    // One rule for every source: an action that asks for what already is changes nothing.
    if let Some(reason) = super::action_effect::redundant(w, &action) {
        return ignore(w, action, by, reason);
    }
    // A fault injection gets an id to hold its targets by; a timed one queues
    // the restore that ends it, remembered by that restore's sequence number.
    let injection = action.fault_kind().map(|kind| {
        let id = w.faults.next_injection;
        w.faults.next_injection += 1;
        if let Some(d) = action.duration_s() {
            w.faults.timed.push((w.inputs.next_seq, id));
            w.inputs.push(Input {
                at_s: now + d,
                seq: 0,
                action: Action::Restore { fault: kind },
                by,
                zone: None,
                region: None,
            });
        }
        id
    });
    match &action {
        Action::KillPods { count, .. } => {
            for _ in 0..*count {
                let zone = input.zone;
                let ok = |p: &super::topology::Pod| {
                    p.kind == PodKind::App
                        && p.state != PodState::Dead
                        && p.state != PodState::Draining
                        && zone.is_none_or(|z| p.zone == z && p.node != NO_NODE)
                };
                let n = w.pods.iter().filter(|p| ok(p)).count();
                if n == 0 {
                    break;
                }
                let k = pick(w, n);
                if let Some(i) = nth_pod(w, k, ok) {
                    kill_pod(w, i, KillCause::Fault);
                }
            }
        }
        Action::KillNode { .. } => {
            let zone = input.zone;
            let ok = |n: &&super::topology::Node| {
                n.state == NodeState::Ready && zone.is_none_or(|z| n.zone == z)
            };
            let count = w.nodes.iter().filter(ok).count();
            if count > 0 {
                let k = pick(w, count);
                if let Some(ni) = w
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| ok(n))
                    .nth(k)
                    .map(|(i, _)| i)
                {
                    kill_node(w, ni);
                }
            }
        }
        Action::KillPodId { pod } => {
            let found = w.pods.iter().position(|p| p.id == *pod);
            let why_not = match found.map(|i| &w.pods[i]) {
                None => Some(format!("pod {pod} no longer exists")),
                Some(p) if p.kind == PodKind::Pause => {
                    Some(format!("pod {pod} is a pause pod (a placeholder)"))
                }
                Some(p) if p.state == PodState::Dead => Some(format!("pod {pod} is already dead")),
                Some(_) => None,
            };
            match (found, why_not) {
                (Some(i), None) => kill_pod(w, i, KillCause::Fault),
                (_, reason) => return ignore(w, action, by, reason.unwrap_or_default()),
            }
        }
        Action::KillNodeId { node } => {
            let found = w.nodes.iter().position(|n| n.id == *node);
            let why_not = match found.map(|n| w.nodes[n].state) {
                None => Some(format!("node {node} no longer exists")),
                Some(NodeState::Dead) => Some(format!("node {node} is already dead")),
                Some(NodeState::Provisioning) => {
                    Some(format!("node {node} is still being provisioned"))
                }
                Some(NodeState::Ready) => None,
            };
            match (found, why_not) {
                (Some(n), None) => kill_node(w, n),
                (_, reason) => return ignore(w, action, by, reason.unwrap_or_default()),
            }
        }
        Action::KillZone { .. } => {
            if let Some(z) = input.zone {
                kill_zone(w, z);
            }
        }
        Action::RestoreZone { .. } => {
            if let Some(z) = input.zone {
                restore_zone(w, z);
            }
        }
        Action::KillRegion { .. } => {
            if let Some(r) = input.region {
                super::tiers::faults::region_health(w, r, false);
                w.regions[r as usize].alive = false;
                for z in 0..w.zones.len() {
                    if w.zones[z].region == r {
                        kill_zone(w, z as u16);
                    }
                }
            }
        }
        Action::RestoreRegion { .. } => {
            if let Some(r) = input.region {
                super::tiers::faults::region_health(w, r, true);
                w.regions[r as usize].alive = true;
                for z in 0..w.zones.len() {
                    if w.zones[z].region == r {
                        restore_zone(w, z as u16);
                    }
                }
            }
        }
        Action::InjectLatency { target, ms, .. } => match target {
            LatencyTarget::Service => w.faults.service_latency_ms = ms.max(0.0),
            LatencyTarget::CrossZone => w.faults.cross_zone_latency_ms = ms.max(0.0),
            LatencyTarget::CrossRegion => w.faults.cross_region_latency_ms = ms.max(0.0),
        },
        Action::CpuStress { fraction, pods, .. } => {
            let f = fraction.clamp(0.0, 1.0);
            let taken = for_some_pods(w, *pods, |p| p.cpu_stress = f);
            hold_pods(w, injection, &taken, FaultTarget::CpuStress);
        }
        Action::MemoryLeak {
            mib_per_s, pods, ..
        } => {
            let r = mib_per_s.max(0.0);
            let taken = for_some_pods(w, *pods, |p| p.leak_mib_per_s = r);
            hold_pods(w, injection, &taken, FaultTarget::MemoryLeak);
        }
        Action::BadRelease {
            error_rate,
            extra_latency_ms,
            ..
        } => {
            w.faults.error_rate = error_rate.clamp(0.0, 1.0);
            w.faults.release_latency_ms = extra_latency_ms.max(0.0);
        }
        Action::Restore { fault } => {
            let fault = *fault;
            // The end of a timed injection, or a rollback asked for.
            return match w.faults.timed.iter().position(|(s, _)| *s == seq) {
                Some(i) => {
                    let (_, id) = w.faults.timed.remove(i);
                    end_injection(w, action, by, fault, id)
                }
                None => roll_back(w, action, by, fault),
            };
        }
        Action::Spike {
            multiplier,
            ramp_up_s,
            hold_s,
            ramp_down_s,
        } => {
            w.faults.spikes.retain(|s| match s {
                Profile::Spike {
                    start_s,
                    ramp_up_s,
                    hold_s,
                    ramp_down_s,
                    ..
                } => start_s + ramp_up_s + hold_s + ramp_down_s > now,
                _ => true,
            });
            w.faults.spikes.push(Profile::Spike {
                multiplier: *multiplier,
                start_s: now,
                ramp_up_s: *ramp_up_s,
                hold_s: *hold_s,
                ramp_down_s: *ramp_down_s,
            });
        }
        Action::SetMinReplicas { replicas } => {
            w.min_replicas = (*replicas).max(0).min(w.max_replicas);
            let reason = if *replicas > w.max_replicas {
                // Scenario files are refused at load; a learner's live change lands here.
                format!(
                    "minReplicas {replicas} asked, above maxReplicas: held at {}",
                    w.max_replicas
                )
            } else {
                "scheduled change of minReplicas".to_string()
            };
            bounds_changed(w, &reason);
        }
        Action::SetMaxReplicas { replicas } => {
            w.max_replicas = (*replicas).max(w.min_replicas);
            let reason = if *replicas < w.min_replicas {
                format!(
                    "maxReplicas {replicas} asked, below minReplicas: held at {}",
                    w.min_replicas
                )
            } else {
                "scheduled change of maxReplicas".to_string()
            };
            bounds_changed(w, &reason);
        }
        Action::SetReplicas { replicas } => {
            let from = w.spec_replicas;
            w.spec_replicas = (*replicas).max(0);
            w.log(SimEvent::Scaled {
                t_s: now,
                from,
                to: w.spec_replicas,
                by: Scaler::Manual,
                utilization_pct: None,
                target_pct: None,
                limited_by: String::new(),
            });
        }
        Action::SetPausePods { count } => w.pause_pods_wanted = *count,
        Action::Partition { .. }
        | Action::PacketLoss { .. }
        | Action::CacheFlush
        | Action::CacheDown { .. }
        | Action::SetCoalescing { .. }
        | Action::FailPrimary { .. }
        | Action::ReplicaLagSpike { .. }
        | Action::ClockSkew { .. }
        | Action::DnsFailure { .. }
        | Action::StopConsumers { .. }
        | Action::DiskFull { .. }
        | Action::DependencySlow { .. }
        | Action::DependencyErrors { .. }
        | Action::DependencyDown { .. }
        | Action::CdnPurge
        | Action::AddReplica
        | Action::ResizeDatabase { .. }
        | Action::SetHotKeyShare { .. }
        | Action::SetConsistency { .. }
        | Action::SetResolution { .. } => {
            if !super::tiers::faults::apply(w, &action) {
                return;
            }
        }
    }
    if let (Some(id), Some(target)) = (injection, shared_target(&action)) {
        hold(w, target, id);
    }
    w.log(SimEvent::FaultInjected {
        t_s: now,
        action,
        by,
    });
}

fn bounds_changed(w: &mut World, reason: &str) {
    let (min_replicas, max_replicas) = (w.effective_min_replicas(), w.max_replicas);
    w.log(SimEvent::BoundsChanged {
        t_s: w.now_s,
        min_replicas,
        max_replicas,
        reason: reason.to_string(),
    });
}

/// Applies `f` to `count` live app pods picked with the RNG (all when `None`);
/// returns the ids of the pods it took.
fn for_some_pods(
    w: &mut World,
    count: Option<u32>,
    f: impl Fn(&mut super::topology::Pod),
) -> Vec<u64> {
    let ok = |p: &super::topology::Pod| p.is_live_app();
    let mut taken = Vec::new();
    match count {
        None => {
            for p in w.pods.iter_mut().filter(|p| ok(p)) {
                f(p);
                taken.push(p.id);
            }
        }
        Some(c) => {
            let n = w.pods.iter().filter(|p| ok(p)).count();
            let c = (c as usize).min(n);
            // A seeded choice of c of n: walk and take each with probability needed/left.
            let mut needed = c;
            let mut left = n;
            for i in 0..w.pods.len() {
                if needed == 0 {
                    break;
                }
                if !ok(&w.pods[i]) {
                    continue;
                }
                if uniform01(&mut w.rng) * (left as f64) < needed as f64 {
                    f(&mut w.pods[i]);
                    taken.push(w.pods[i].id);
                    needed -= 1;
                }
                left -= 1;
            }
        }
    }
    taken
}

fn restore(w: &mut World, fault: FaultKind) {
    super::tiers::faults::restore(w, fault);
    let all = fault == FaultKind::All;
    if all || fault == FaultKind::Latency {
        w.faults.service_latency_ms = 0.0;
        w.faults.cross_zone_latency_ms = 0.0;
        w.faults.cross_region_latency_ms = 0.0;
    }
    if all || fault == FaultKind::BadRelease {
        w.faults.error_rate = 0.0;
        w.faults.release_latency_ms = 0.0;
    }
    for p in w.pods.iter_mut() {
        if all || fault == FaultKind::CpuStress {
            p.cpu_stress = 0.0;
        }
        if all || fault == FaultKind::MemoryLeak {
            p.leak_mib_per_s = 0.0;
        }
    }
}

/// Injection `id` takes `target`: it replaces whatever held it.
fn hold(w: &mut World, target: FaultTarget, id: u64) {
    match w.faults.holds.iter_mut().find(|(t, _)| *t == target) {
        Some(h) => h.1 = id,
        None => w.faults.holds.push((target, id)),
    }
}

/// Injection `id` (when the action is a fault) takes the pods `taken` as
/// `target`s; holds on pods that are gone are dropped first.
fn hold_pods(w: &mut World, id: Option<u64>, taken: &[u64], target: fn(u64) -> FaultTarget) {
    let Some(id) = id else { return };
    let pods = &w.pods;
    w.faults
        .holds
        .retain(|(t, _)| pod_of(*t).is_none_or(|pod| pods.iter().any(|p| p.id == pod)));
    for &pod in taken {
        hold(w, target(pod), id);
    }
}

/// The pod a target is on, if it is a pod's.
fn pod_of(t: FaultTarget) -> Option<u64> {
    match t {
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

/// The one target a fault action sets that is not a pod's (pods: [`hold_pods`]).
fn shared_target(action: &Action) -> Option<FaultTarget> {
    match action {
        Action::InjectLatency { target, .. } => Some(match target {
            LatencyTarget::Service => FaultTarget::ServiceLatency,
            LatencyTarget::CrossZone => FaultTarget::CrossZoneLatency,
            LatencyTarget::CrossRegion => FaultTarget::CrossRegionLatency,
        }),
        Action::BadRelease { .. } => Some(FaultTarget::Release),
        Action::Partition { .. } => Some(FaultTarget::Partition),
        Action::PacketLoss { .. } => Some(FaultTarget::PacketLoss),
        Action::CacheDown { .. } => Some(FaultTarget::CacheDown),
        Action::ClockSkew { .. } => Some(FaultTarget::ClockSkew),
        Action::DnsFailure { .. } => Some(FaultTarget::DnsFailure),
        Action::StopConsumers { .. } => Some(FaultTarget::ConsumersStopped),
        Action::DiskFull { .. } => Some(FaultTarget::DiskFull),
        Action::DependencySlow { .. } => Some(FaultTarget::DependencySlow),
        Action::DependencyErrors { .. } => Some(FaultTarget::DependencyErrors),
        Action::DependencyDown { .. } => Some(FaultTarget::DependencyDown),
        Action::CpuStress { .. }
        | Action::MemoryLeak { .. }
        | Action::KillPods { .. }
        | Action::KillNode { .. }
        | Action::KillPodId { .. }
        | Action::KillNodeId { .. }
        | Action::KillZone { .. }
        | Action::RestoreZone { .. }
        | Action::KillRegion { .. }
        | Action::RestoreRegion { .. }
        | Action::Restore { .. }
        | Action::Spike { .. }
        | Action::SetMinReplicas { .. }
        | Action::SetMaxReplicas { .. }
        | Action::SetReplicas { .. }
        | Action::SetPausePods { .. }
        | Action::CacheFlush
        | Action::SetCoalescing { .. }
        | Action::FailPrimary { .. }
        | Action::ReplicaLagSpike { .. }
        | Action::CdnPurge
        | Action::AddReplica
        | Action::ResizeDatabase { .. }
        | Action::SetHotKeyShare { .. }
        | Action::SetConsistency { .. }
        | Action::SetResolution { .. } => None,
    }
}

/// Whether a fault of `kind` (any, for `All`) is in force: a target held (a
/// pod's only while the pod lives), or a replica lag spike not over yet.
fn in_force(w: &World, kind: FaultKind) -> bool {
    let all = kind == FaultKind::All;
    let held = w.faults.holds.iter().any(|(t, _)| {
        (all || t.kind() == kind)
            && pod_of(*t).is_none_or(|pod| {
                w.pods
                    .iter()
                    .any(|p| p.id == pod && p.state != PodState::Dead)
            })
    });
    let lag = (all || kind == FaultKind::ReplicaLag)
        && w.data.database.as_ref().is_some_and(|db| {
            db.shards
                .iter()
                .any(|s| s.lag_spike_ms > 0.0 && s.lag_spike_until_s > w.now_s)
        });
    held || lag
}

/// A fault of `kind` as a noun ("bad release"), for why a restore did nothing.
fn fault_noun(kind: FaultKind) -> &'static str {
    match kind {
        FaultKind::Latency => "injected latency",
        FaultKind::CpuStress => "CPU stress",
        FaultKind::MemoryLeak => "memory leak",
        FaultKind::BadRelease => "bad release",
        FaultKind::Partition => "network partition",
        FaultKind::PacketLoss => "packet loss",
        FaultKind::CacheDown => "cache outage",
        FaultKind::ReplicaLag => "replica lag spike",
        FaultKind::ClockSkew => "clock skew",
        FaultKind::DnsFailure => "DNS failure",
        FaultKind::ConsumersStopped => "consumer stop",
        FaultKind::DiskFull => "full database disk",
        FaultKind::Dependency => "external dependency fault",
        FaultKind::All => "fault",
    }
}

/// A timed injection `id` of `fault` ends: it clears the targets it still
/// holds; one replaced or rolled back since clears nothing, and says why.
fn end_injection(w: &mut World, action: Action, by: ActionSource, fault: FaultKind, id: u64) {
    let mut ended = false;
    let mut k = 0;
    while k < w.faults.holds.len() {
        let (target, holder) = w.faults.holds[k];
        if holder == id {
            w.faults.holds.remove(k);
            clear_target(w, target);
            ended = true;
        } else {
            k += 1;
        }
    }
    if ended {
        w.log(SimEvent::FaultCleared {
            t_s: w.now_s,
            fault,
        });
        return;
    }
    let what = fault_noun(fault);
    let reason = if in_force(w, fault) {
        format!("the {what} it ends was replaced by a later one, which stays in force")
    } else {
        format!("the {what} it ends is no longer in force")
    };
    ignore(w, action, by, reason);
}

/// A restore asked for: every target of `fault` is cleared (a rollback to the
/// last good state); with none in force nothing happens, and the log says so.
fn roll_back(w: &mut World, action: Action, by: ActionSource, fault: FaultKind) {
    if !in_force(w, fault) {
        let reason = format!("no {} is in force", fault_noun(fault));
        return ignore(w, action, by, reason);
    }
    restore(w, fault);
    let all = fault == FaultKind::All;
    w.faults.holds.retain(|(t, _)| !(all || t.kind() == fault));
    w.log(SimEvent::FaultCleared {
        t_s: w.now_s,
        fault,
    });
}

/// Clears one fault target (its hold already dropped). The external
/// dependency heals whole once none of its faults is held any more.
fn clear_target(w: &mut World, target: FaultTarget) {
    let now = w.now_s;
    let dependency_held = w
        .faults
        .holds
        .iter()
        .any(|(t, _)| t.kind() == FaultKind::Dependency);
    let d = &mut w.data;
    match target {
        FaultTarget::ServiceLatency => w.faults.service_latency_ms = 0.0,
        FaultTarget::CrossZoneLatency => w.faults.cross_zone_latency_ms = 0.0,
        FaultTarget::CrossRegionLatency => w.faults.cross_region_latency_ms = 0.0,
        FaultTarget::Release => {
            w.faults.error_rate = 0.0;
            w.faults.release_latency_ms = 0.0;
        }
        FaultTarget::CpuStress(pod) => {
            if let Some(p) = w.pods.iter_mut().find(|p| p.id == pod) {
                p.cpu_stress = 0.0;
            }
        }
        FaultTarget::MemoryLeak(pod) => {
            if let Some(p) = w.pods.iter_mut().find(|p| p.id == pod) {
                p.leak_mib_per_s = 0.0;
            }
        }
        FaultTarget::Partition => {
            if let Some(s) = d.store.as_mut() {
                s.set_partition(None);
            }
        }
        FaultTarget::PacketLoss => {
            if let Some(s) = d.store.as_mut() {
                s.set_packet_loss(0.0);
            }
        }
        FaultTarget::ClockSkew => {
            if let Some(s) = d.store.as_mut() {
                s.set_clock_skew_ms(0.0);
            }
        }
        FaultTarget::CacheDown => {
            if let Some(c) = d.cache.as_mut().filter(|c| c.down) {
                c.set_down(false);
            }
        }
        FaultTarget::DnsFailure => {
            if let Some(g) = d.gslb.as_mut() {
                g.set_dns_failure(false, now);
            }
        }
        FaultTarget::ConsumersStopped => {
            if let Some(k) = d.kafka.as_mut().filter(|k| k.consumers_stopped()) {
                k.restart_consumers(now);
            }
        }
        FaultTarget::DiskFull => {
            if let Some(db) = d.database.as_mut() {
                db.disk_full(false);
            }
        }
        FaultTarget::DependencySlow => clear_dependency(d, dependency_held, |e| {
            e.set_slow(0.0, 1.0);
        }),
        FaultTarget::DependencyErrors => {
            clear_dependency(d, dependency_held, |e| e.set_error_rate(None));
        }
        FaultTarget::DependencyDown => clear_dependency(d, dependency_held, |e| e.set_down(None)),
    }
}

/// Clears one fault of the external dependency with `clear`, or heals it
/// whole when no other fault of it is held (`others_held` false).
fn clear_dependency(
    d: &mut super::tiers::DataTier,
    others_held: bool,
    clear: fn(&mut super::data::external::ExternalDependency),
) {
    if let Some(e) = d.external.as_mut() {
        if others_held {
            clear(e);
        } else {
            e.heal();
        }
    }
}

fn kill_zone(w: &mut World, z: u16) {
    w.zones[z as usize].alive = false;
    for n in 0..w.nodes.len() {
        if w.nodes[n].zone == z && w.nodes[n].state != NodeState::Dead {
            kill_node(w, n);
        }
    }
}

fn restore_zone(w: &mut World, z: u16) {
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
