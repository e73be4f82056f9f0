//! The fixed-step stepper: one tick of simulated time through numbered stages.
//!
//! ```text
//!   1 Inputs ─▶ 2 Demand ─▶ 3 Edge ─▶ 4 Routing ─▶ 5 Service ─▶ 6 Protection
//!        ─▶ 7 Data ─▶ 8 Control loops ─▶ 9 Accounting          (t += tick_s)
//! ```
//!
//! Requests move as aggregate flows (f64 counts per pod per tick), never one by
//! one, so a tick costs O(pods) with no allocation once the scratch buffers exist.
//!
//! **Latency model (docs/models.md#latency).** Each pod is an M/M/1 server whose service time
//! is the mean CPU cost of a request divided by the pod's speed (warm-up, CPU stress).
//! With utilization ρ = served/capacity, its response time is `d + Exp(mean S/(1−ρ))`
//! where `d` adds the wait behind the backlog carried from the last tick, network hops
//! and injected latency. The data tier adds its own time per path (cache hit, miss,
//! coalesced; pool wait of the pod's pool group; the database's and the dependency's
//! exponential times), so each (pod group, data path) pair is a hypoexponential response
//! time ([`latency`](super::latency)). After stage 7 every pair puts its exact bin masses
//! into the latency histogram, and the share under the SLI threshold comes from the CDFs,
//! exact for the model at any threshold.

use super::control;
use super::failure::{FailureCounts, FailureReason};
use super::histogram::bin_of;
use super::histogram::SlidingHistogram;
use super::latency::{ResponseTime, REACH_MEANS};
use super::lifecycle;
use super::poisson::{poisson, uniform01};
use super::protection::{CallEdge, LimitAt};
use super::series::{Series, SERIES_COUNT};
use super::tiers;
use super::topology::{NodeState, Pod, PodKind, PodSpec, PodState};
use super::world::World;

use crate::sim::queueing::RHO_CAP;

/// Advances the world by one tick:
///
/// 1. **Inputs**: apply the scheduled events and learner actions due, in (time, sequence) order.
/// 2. **Demand**: the traffic profile (× learner spikes) gives the rate; seeded Poisson
///    arrivals per request class (or the exact rate with noise off).
/// 3. **Edge**: the CDN (when configured) serves hits at the edge; only origin traffic
///    goes on ([`tiers::stage::edge`]), and the pods' mean CPU per request and data-tier
///    mix follow the classes that reach them (again after load shedding).
/// 4. **Routing**: the GSLB (when configured) splits by region with its policy, failover,
///    sovereignty and DNS ([`tiers::stage::gslb`]); regions with no pod in rotation fail
///    over to the others; then the load balancer splits over pods by its algorithm, slow start,
///    cross-zone setting and sticky sessions, using its health-check view.
/// 5. **Service**: each pod serves what its CPU allows; latency from queueing; a dead pod
///    still in rotation refuses its share; memory leaks grow and OOM-kill.
/// 6. **Protection**: timeouts and queue bounds on what is left in each queue.
///    Timed-out requests are errors and show in the latency percentiles at the timeout;
///    dropped and refused requests fail fast and do not. The clients' side
///    ([`super::protection`]): their retries due now join stage 2's arrivals, their
///    circuit breaker lets them through or fails them at once, and once the tick's
///    outcome is known (stage 9) each failed attempt gives up or is retried.
/// 7. **Data**: what the pods served reads through the cache to the database, writes,
///    publishes to Kafka (whose consumers write to the database at the consumed rate),
///    and calls the external dependency; the consistency store adds stale reads,
///    conflicts and lost writes; failures become request errors, requests whose queries
///    wait stay queued; each class's paths through the tier and their times are kept
///    ([`tiers::stage::data`]).
/// 8. **Control loops**: kubelet timers, health checks, pre-scaler, HPA, VPA, the
///    Kafka consumers' HPA on lag,
///    Deployment, pause pods, scheduler, then the cluster autoscaler (it sees the pods
///    the scheduler could not place), clean-up.
/// 9. **Accounting**: counters, latency percentiles, SLIs and burn-rate alerts, cost,
///    metric series, peaks.
pub fn step(w: &mut World) {
    let dt = w.tick_s;
    let classes = w.scenario.traffic.classes.len();
    w.scratch.ensure(w.zones.len(), w.regions.len(), classes);

    for z in w.zones.iter_mut() {
        z.failures = FailureCounts::default();
    }
    w.scratch.edge_fast = 0.0;
    let failed_before = w.counters.failures;

    // 1. Inputs
    while let Some(input) = w.inputs.pop_due(w.now_s) {
        let bounds = (w.min_replicas, w.max_replicas);
        super::inputs::apply_input(w, input);
        if bounds != (w.min_replicas, w.max_replicas) {
            control::hpa_loop::set_bounds(w);
        }
    }

    // 2. Demand: first tries, and the clients' retries due now, through their breaker.
    let d = demand(w, dt);
    let arrivals = d.admitted;
    w.latency.advance();

    // 3. Edge: a rate limit there refuses first (429); the CDN serves hits at the
    // edge; the rest reaches the origin, where a load balancer's rate limit refuses.
    let limit_at = w.rate_limiter.as_ref().map(|r| r.policy.at);
    let mut limited = 0.0;
    if limit_at == Some(LimitAt::Edge) {
        limited = rate_limit(w, dt);
    }
    let arrivals = arrivals - limited;
    let mut origin = tiers::stage::edge(w, arrivals);
    let at_edge = arrivals - origin;
    if limit_at == Some(LimitAt::LoadBalancer) {
        let refused = rate_limit(w, dt);
        origin -= refused;
        limited += refused;
    }
    // The pods serve the mix that reaches them: the rate limits and the CDN take
    // requests out by class (a cached light class leaves the origin a heavier mix),
    // so the mean CPU per request and the data-tier mix are set again from what is left.
    set_pods_mix(w);
    // Load shedding by priority at the load balancer, on the last tick's fleet.
    let shed = shed_by_priority(w, dt);
    origin -= shed;
    if shed > 0.0 {
        set_pods_mix(w);
    }

    // 4. Routing: the GSLB splits by region, then the load balancer over pods.
    let (routed, gslb_failed) = tiers::stage::gslb(w, origin);
    let unrouted = route(w, routed, dt);
    // Everything refused before a pod, by reason.
    let mut refused = FailureCounts::default();
    refused[FailureReason::NoCapacity] = unrouted;
    refused[FailureReason::RegionUnreachable] = gslb_failed;
    refused[FailureReason::CircuitOpen] = d.rejected;
    refused[FailureReason::RateLimited] = limited;
    refused[FailureReason::Shed] = shed;
    let refused_unrouted = unrouted + gslb_failed + d.rejected + limited + shed;
    if refused_unrouted > 0.0 {
        share_by_clients(w, &refused);
    }

    // 5. Service
    let mut tick = service(w, dt);
    tick.refusals = refused;

    // 6. Protection: done pod by pod in stage 5's pass (the queues' timeouts and
    // bounds); the clients' retries are settled with the tick's outcome (stage 9).

    // 7. Data: cache, database, Kafka, consistency store, external dependency.
    let before = w.data.counters;
    let data = tiers::stage::data(w, tick.served_ok);
    if data.failures.data_tier() > 0.0 {
        share_data_failures(w, &before, tick.served_ok);
    }
    tick.served_ok = data.ok + at_edge;
    tick.data_failures = data.failures;
    tick.fast += record_latency(w, data.ok);

    // 8. Control loops
    lifecycle::advance_timers(w);
    if w.now_s >= w.next_health_check_s {
        w.next_health_check_s += w.scenario.balancer.health_check_interval_s.max(w.tick_s);
        lifecycle::health_checks(w);
    }
    control::run_pod_scalers(w);
    tiers::stage::scale_consumers(w);
    lifecycle::reconcile_deployment(w);
    lifecycle::reconcile_pause_pods(w);
    if w.schedule_dirty {
        lifecycle::schedule_pending(w);
    }
    control::run_node_scaler(w);
    lifecycle::remove_gone(w);

    // 9. Accounting
    account(w, d, refused_unrouted, &tick, dt, &failed_before);
    w.now_s = (w.tick + 1) as f64 * dt;
    w.tick += 1;
    // A chaos experiment reads the tick's measures (docs/models.md#chaos-experiments).
    if w.experiment.is_some() {
        super::chaos::run::observe(w);
    }
}

/// Runs ticks until `until_s`.
pub fn run_until(w: &mut World, until_s: f64) {
    while w.now_s < until_s - 1e-9 {
        step(w);
    }
}

/// Stage 2: arrivals this tick, first tries and retries together, as the clients'
/// breaker lets them through [attempts]; sets the demand and the mean CPU cost.
fn demand(w: &mut World, dt: f64) -> Demand {
    let t = w.now_s;
    let rate = super::traffic::tick_mean_rate(
        &w.scenario.traffic.profile,
        &w.faults.spikes,
        t,
        t + dt,
        &mut w.scratch.kinks,
    );
    let classes = &w.scenario.traffic.classes;
    let share_sum: f64 = classes.iter().map(|c| c.share).sum();
    let noise = w.scenario.traffic.noise;
    for (i, c) in classes.iter().enumerate() {
        let lambda = rate * dt * c.share / share_sum;
        w.scratch.class_arrivals[i] = if noise {
            poisson(&mut w.rng, lambda)
        } else {
            lambda
        };
    }
    // Feature flags that are off: their classes' pages no longer send these requests.
    if !w.flags.flags.is_empty() {
        w.flags.drop_off(&mut w.scratch.class_arrivals);
    }
    let retried = match w.client_retries.as_mut() {
        Some(r) => r.arrive(&mut w.scratch.class_arrivals),
        None => 0.0,
    };
    // The clients' breaker lets some or none of the attempts through.
    let mut rejected = 0.0;
    if let Some(b) = w.client_breaker.as_mut() {
        let attempts: f64 = w.scratch.class_arrivals.iter().sum();
        let (admitted, change) = b.admit(t, attempts);
        if admitted < attempts {
            let k = if attempts > 0.0 {
                admitted / attempts
            } else {
                0.0
            };
            w.scratch.class_arrivals.iter_mut().for_each(|n| *n *= k);
            rejected = attempts - admitted;
        }
        let ev = change.map(|c| c.event(t, &b.policy, CallEdge::Client));
        if let Some(ev) = ev {
            w.log(ev);
        }
    }
    w.last.demand_rps = rate;
    let total = set_mean_cpu(w);
    Demand {
        admitted: total,
        retried,
        rejected,
    }
}

/// Stages 3 and 4: the mean CPU per request [ms] and the data-tier mix of what reaches
/// the pods, from the class arrivals the stages before them left (a class the CDN
/// serves, a rate limit refuses or the shedder sheds no longer weighs on them).
fn set_pods_mix(w: &mut World) {
    set_mean_cpu(w);
    tiers::stage::origin_mix(w);
}

/// Sets the mean CPU per request [ms] from the class arrivals as they stand (flags'
/// factors included); returns the arrivals [requests]. Stage 2 sets it for the
/// arrivals, [`set_pods_mix`] again for what reaches the pods.
fn set_mean_cpu(w: &mut World) -> f64 {
    let mut total = 0.0;
    let mut cpu = 0.0;
    for (i, (c, n)) in w
        .scenario
        .traffic
        .classes
        .iter()
        .zip(&w.scratch.class_arrivals)
        .enumerate()
    {
        total += n;
        cpu += n * c.cpu_ms * w.flags.factor(i);
    }
    w.last.mean_cpu_ms = if total > 0.0 {
        cpu / total
    } else {
        let classes = &w.scenario.traffic.classes;
        let share_sum: f64 = classes.iter().map(|c| c.share).sum();
        classes.iter().map(|c| c.cpu_ms * c.share).sum::<f64>() / share_sum
    };
    total
}

/// Stage 3's rate limit: the token buckets refuse what they cannot pass from the class
/// arrivals (429) [requests].
fn rate_limit(w: &mut World, dt: f64) -> f64 {
    match w.rate_limiter.as_mut() {
        Some(r) => r.admit(&mut w.scratch.class_arrivals, dt),
        None => 0.0,
    }
}

/// Stage 4's load shedding: what the saturated fleet cannot take, lowest priority
/// first, is refused (503) [requests].
fn shed_by_priority(w: &mut World, dt: f64) -> f64 {
    let Some(s) = w.shedder.as_mut() else {
        return 0.0;
    };
    let spec = &w.scenario.topology.pod;
    let mut fleet = super::protection::FleetLoad {
        mean_cpu_ms: w.last.mean_cpu_ms,
        ..Default::default()
    };
    let limit_m = spec.cpu_limit_m as f64;
    for p in &w.pods {
        if p.kind == PodKind::App && p.in_lb && p.state.is_ready() {
            fleet.pods += 1;
            fleet.queued += p.queue;
            // What it can do now: warming up, or under a CPU-stress fault, less.
            fleet.capacity_m +=
                limit_m * pod_speed(p, spec, w.now_s) * (1.0 - p.cpu_stress).max(0.0);
        }
    }
    let classes = &w.scenario.traffic.classes;
    let sc = &mut w.scratch;
    sc.class_cpu_ms.clear();
    let flags = &w.flags;
    sc.class_cpu_ms.extend(
        classes
            .iter()
            .enumerate()
            .map(|(i, c)| c.cpu_ms * flags.factor(i)),
    );
    s.admit(&mut sc.class_arrivals, &sc.class_cpu_ms, &fleet, dt)
}

/// A pod's speed now: below 1 while it warms up (JIT, caches), rising linearly from
/// `warmup_speed` over `warmup_s`; 1 otherwise (docs/models.md#latency).
#[inline]
fn pod_speed(p: &Pod, spec: &PodSpec, now: f64) -> f64 {
    if p.state == PodState::Warming && spec.warmup_s > 0.0 {
        let left = ((p.timer_s - now) / spec.warmup_s).clamp(0.0, 1.0);
        spec.warmup_speed + (1.0 - spec.warmup_speed) * (1.0 - left)
    } else {
        1.0
    }
    .max(0.01)
}

/// Stage 2's attempts this tick [attempts].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Demand {
    /// Let through to the edge: first tries and retries.
    admitted: f64,
    /// Retries among all the attempts (admitted or not).
    retried: f64,
    /// Failed at once by the clients' open breaker.
    rejected: f64,
}

/// Stage 6, the clients' side, once the tick's outcome is known: their breaker counts
/// the calls it let through ([`super::protection::breaker`]), and each failed attempt
/// gives up or is retried ([`super::protection::retries`]).
/// Returns the requests that gave up this tick.
fn settle_clients(w: &mut World, failed_before: &FailureCounts, served_ok: f64) -> f64 {
    let failed = w.counters.failures.since(failed_before);
    if let Some(b) = w.client_breaker.as_mut() {
        // The breaker counts the calls it let through.
        let through = failed.total() - failed[FailureReason::CircuitOpen];
        let end_s = w.now_s + w.tick_s;
        // Slow calls: this tick's latencies past the slow-call duration.
        let h = w.latency.current();
        let all = h.total();
        let slow_share = if all > 0.0 {
            (h.count_above(b.policy.slow_call_duration_threshold_ms) / all).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let concluded = served_ok + through;
        let change = b.record(end_s, concluded, through, concluded * slow_share);
        if let Some(ev) = change.map(|c| c.event(end_s, &b.policy, CallEdge::Client)) {
            w.log(ev);
        }
    }
    let gave_up = match w.client_retries.as_mut() {
        Some(r) => r.settle(&failed, served_ok + failed.total()).gave_up,
        None => failed.total(),
    };
    w.counters.gave_up += gave_up;
    gave_up
}

/// Stage 4: sets each pod's `routed`; returns requests no pod could take.
fn route(w: &mut World, arrivals: f64, dt: f64) -> f64 {
    let now = w.now_s;
    let lb = &w.scenario.balancer;
    let p2c = lb.algorithm == super::balancer::LbAlgorithm::PowerOfTwo;
    let sc = &mut w.scratch;
    sc.route_finish = None;
    sc.zone_w.iter_mut().for_each(|x| *x = 0.0);
    sc.zone_sessions.iter_mut().for_each(|x| *x = 0.0);
    // Weights, stashed in `routed` until the factors are known.
    for p in w.pods.iter_mut() {
        p.routed = 0.0;
        if p.kind != PodKind::App || !p.in_lb {
            continue;
        }
        let jitter = if p2c { uniform01(&mut w.rng) } else { 0.0 };
        let zw = if lb.zone_weights.is_empty() {
            1.0
        } else {
            lb.zone_weights
                .get(&w.zones[p.zone as usize].name)
                .copied()
                .unwrap_or(1.0)
        };
        let weight = super::balancer::pod_weight(lb, zw, p.queue, now - p.in_lb_since_s, jitter);
        p.routed = weight;
        sc.zone_w[p.zone as usize] += weight;
        sc.zone_sessions[p.zone as usize] += p.sessions;
    }
    // A canary, or a blue-green release's active side, takes its share of each region's
    // requests (docs/models.md#canary-releases, #blue-green-releases).
    if w.rollout
        .as_ref()
        .is_some_and(|r| r.traffic_split(&w.scenario.canary).is_some())
    {
        super::rollout::canary::split_weights(w);
        let sc = &mut w.scratch;
        sc.zone_w.iter_mut().for_each(|x| *x = 0.0);
        for p in w.pods.iter() {
            if p.kind == PodKind::App && p.in_lb {
                sc.zone_w[p.zone as usize] += p.routed;
            }
        }
    }
    let lb = &w.scenario.balancer;
    let sc = &mut w.scratch;
    sc.region_w.iter_mut().for_each(|x| *x = 0.0);
    sc.region_sessions.iter_mut().for_each(|x| *x = 0.0);
    for (z, zone) in w.zones.iter().enumerate() {
        sc.region_w[zone.region as usize] += sc.zone_w[z];
        sc.region_sessions[zone.region as usize] += sc.zone_sessions[z];
    }
    // GSLB: regions with pods in rotation take the others' share.
    let capable: f64 = w
        .regions
        .iter()
        .enumerate()
        .filter(|(r, _)| sc.region_w[*r] > 0.0)
        .map(|(r, _)| sc.region_share[r])
        .sum();
    if capable <= 0.0 {
        // No pod takes a request: the weights stashed in `routed` must not reach
        // stage 5 as requests (a pod there would serve or refuse requests that never
        // arrived).
        for p in w.pods.iter_mut() {
            p.routed = 0.0;
        }
        return arrivals;
    }
    for r in 0..w.regions.len() {
        if sc.region_w[r] > 0.0 {
            sc.region_arrivals[r] = arrivals * sc.region_share[r] / capable;
            sc.region_cross[r] = 1.0 - capable;
        } else {
            sc.region_arrivals[r] = 0.0;
            sc.region_cross[r] = 0.0;
        }
    }
    let (sticky_f, per_session, session_s) = match &lb.sticky {
        Some(s) => (
            s.fraction.clamp(0.0, 1.0),
            s.requests_per_session.max(1.0),
            s.session_s.max(dt),
        ),
        None => (0.0, 1.0, 1.0),
    };
    for z in 0..w.zones.len() {
        let r = w.zones[z].region as usize;
        let a_r = sc.region_arrivals[r];
        // (arrivals for the pool, pool weight, pool sessions, cross-zone share)
        let (a, wsum, ssum, cross) = if lb.cross_zone {
            (
                a_r,
                sc.region_w[r],
                sc.region_sessions[r],
                1.0 - w.zones[z].client_share,
            )
        } else {
            let capable_zones: f64 = w
                .zones
                .iter()
                .enumerate()
                .filter(|(zz, q)| q.region as usize == r && sc.zone_w[*zz] > 0.0)
                .map(|(_, q)| q.client_share)
                .sum();
            if sc.zone_w[z] > 0.0 && capable_zones > 0.0 {
                (
                    a_r * w.zones[z].client_share / capable_zones,
                    sc.zone_w[z],
                    sc.zone_sessions[z],
                    1.0 - capable_zones,
                )
            } else {
                (0.0, 0.0, 0.0, 0.0)
            }
        };
        if wsum <= 0.0 {
            sc.zone_factor[z] = 0.0;
            sc.zone_session_factor[z] = 0.0;
            sc.zone_new_sessions[z] = 0.0;
            continue;
        }
        let sticky = a * sticky_f;
        if ssum > 0.0 {
            sc.zone_factor[z] = (a - sticky) / wsum;
            sc.zone_session_factor[z] = sticky / ssum;
        } else {
            sc.zone_factor[z] = a / wsum;
            sc.zone_session_factor[z] = 0.0;
        }
        sc.zone_new_sessions[z] = sticky / per_session / wsum;
        sc.zone_cross_zone[z] = cross.max(0.0);
        sc.zone_cross_region[z] = sc.region_cross[r];
    }
    // Each pod's share is finished in stage 5's pass over the pods ([`route_pod`]).
    sc.route_finish = Some(RouteFinish {
        sticky_f,
        decay: 1.0 - dt / session_s,
    });
    0.0
}

/// What stage 4 leaves for each pod's share, done in stage 5's pass (one pass over the
/// pods instead of two): the sticky fraction and the sessions' decay per tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RouteFinish {
    /// Share of requests that follow their session [fraction].
    sticky_f: f64,
    /// Sessions kept per tick [fraction].
    decay: f64,
}

/// Stage 4 for one pod in rotation: its routing weight (stashed in `routed`) becomes its
/// requests this tick, by its zone's factors.
#[inline]
fn route_pod(p: &mut Pod, sc: &super::world::Scratch, f: RouteFinish) {
    let z = p.zone as usize;
    let weight = p.routed;
    p.routed = weight * sc.zone_factor[z] + p.sessions * sc.zone_session_factor[z];
    p.cross_zone = sc.zone_cross_zone[z];
    p.cross_region = sc.zone_cross_region[z];
    if f.sticky_f > 0.0 {
        p.sessions = (p.sessions + weight * sc.zone_new_sessions[z]) * f.decay;
    }
    p.requests_since_sync += p.routed;
}

/// What stage 5 found this tick [requests].
#[derive(Default)]
struct TickService {
    served_ok: f64,
    refused: f64,
    timed_out: f64,
    errored: f64,
    /// Refused before reaching a pod (no capacity, region unreachable) [requests].
    refusals: FailureCounts,
    /// The data tier's failures by reason [requests].
    data_failures: FailureCounts,
    cpu_util_sum: f64,
    ready: u32,
    /// Requests served within the latency SLI threshold [requests].
    fast: f64,
    /// Stage 6: requests that waited in a queue past the timeout [requests].
    queue_timed_out: f64,
    /// Stage 6: requests dropped by full queues [requests].
    dropped: f64,
}

/// Stages 5 and 6: every pod serves its share, then its queue is bounded
/// ([`protect_pod`]). Records each pod's response time in the tick's
/// pod groups; the histogram gets them after stage 7, with the data tier's paths.
fn service(w: &mut World, dt: f64) -> TickService {
    let now = w.now_s;
    let horizon_ms = response_horizon_ms(w);
    let spec = &w.scenario.topology.pod;
    let net = &w.scenario.topology.network;
    let f = &w.faults;
    let cost_ms = w.last.mean_cpu_ms.max(1e-6);
    let limit_m = spec.cpu_limit_m as f64;
    let timeout_ms = attempt_timeout_ms(w);
    let fixed_ms = f.service_latency_ms + f.release_latency_ms + w.data.gslb_latency_ms;
    let cz_ms = net.cross_zone_ms + f.cross_zone_latency_ms;
    let cr_ms = net.cross_region_ms + f.cross_region_latency_ms;
    let error_rate = f.error_rate;
    let lim = Protection {
        cost_ms,
        timeout_s: spec.timeout_ms / 1000.0,
        limit_m,
        queue_limit: spec.queue_limit,
        timeout_bin: bin_of(spec.timeout_ms),
        timeouts_due: horizon_ms >= timeout_ms,
    };
    // Pool groups by the order pods opened their pools (the last tick's grant).
    let (full_pods, partial_pods) = w.data.pool_pods.unwrap_or((u32::MAX, 0));
    let pools = &w.data.pool_groups;
    let paths = &w.data.paths;
    let uses_db = paths.as_slice().iter().any(|p| p.uses_database);
    let reach = paths.reach_ms();
    let pool_reach = |g: usize| if uses_db { pools.wait_ms[g] } else { 0.0 };
    let reach_by_pool = [
        reach + pool_reach(0),
        reach + pool_reach(1),
        reach + pool_reach(2),
    ];
    let mut t = TickService::default();
    let mut oom = false;
    let zones = &mut w.zones;
    let sc = &mut w.scratch;
    sc.pod_groups.clear();
    sc.zone_served.iter_mut().for_each(|x| *x = 0.0);
    let finish = sc.route_finish;
    let mut pool_index = 0u32;
    let versions = &w.versions;
    // A canary's (or a blue-green release's) two sides, measured pod by pod
    // (docs/models.md#canary-releases).
    let canary = w
        .rollout
        .as_ref()
        .and_then(|r| r.traffic_split(&w.scenario.canary))
        .map(|(stable, new, _)| (stable, new));
    // Index 2 collects the pods of neither side (and every pod when no canary runs).
    let mut sides = [crate::sim::rollout::canary::SideWindow::default(); 3];
    for p in w.pods.iter_mut() {
        if p.kind != PodKind::App {
            continue;
        }
        let side = match canary {
            Some((_, cv)) if p.version == cv => 1,
            Some((stable, _)) if p.version == stable => 0,
            Some(_) | None => 2,
        };
        // Its version's behaviour (docs/models.md#rolling-update); the starting version
        // is healthy unless `[[versions]]` says otherwise.
        let (cost_ms, fixed_ms, error_rate, leak_mib_per_s) =
            version_effects(versions, p, cost_ms, fixed_ms, error_rate);
        if let (Some(f), true) = (finish, p.in_lb) {
            route_pod(p, sc, f);
        }
        let z = p.zone as usize;
        let serving = p.state.is_ready() || p.state == PodState::Draining;
        if !serving {
            // A dead or restarting pod still in rotation fails what it is sent
            // (`routed` keeps showing it: the load balancer does send it traffic).
            t.refused += p.routed;
            zones[z].failures[FailureReason::DeadPodUndetected] += p.routed;
            p.cpu_usage_m = 0.0;
            let routed = p.routed;
            let (late, dropped) = protect_pod(p, &mut zones[z].failures, &mut w.latency, &lim);
            t.queue_timed_out += late;
            t.dropped += dropped;
            sides[side].requests += routed;
            sides[side].failed += routed + late + dropped;
            continue;
        }
        let pool_group: u8 = if pool_index < full_pods {
            0
        } else if pool_index - full_pods < partial_pods {
            1
        } else {
            2
        };
        pool_index += 1;
        let speed = pod_speed(p, spec, now);
        let avail = (1.0 - p.cpu_stress).max(0.0);
        let cap = limit_m * dt * speed * avail / cost_ms;
        let backlog = p.queue;
        let total = backlog + p.routed;
        let served = total.min(cap);
        p.queue = total - served;
        let rho = if cap > 0.0 { served / cap } else { 1.0 };
        let s_ms = if avail > 0.0 {
            cost_ms / (speed * avail)
        } else {
            f64::INFINITY
        };
        let mu_per_s = cap / dt;
        let wait_ms = if mu_per_s > 0.0 {
            backlog / mu_per_s * 1000.0
        } else {
            0.0
        };
        let d = wait_ms + fixed_ms + p.cross_zone * cz_ms + p.cross_region * cr_ms;
        let mean_ms = s_ms / (1.0 - rho.min(RHO_CAP));
        // Timeouts among the served: P(d + Exp(mean) + data time > timeout).
        // None before the run has lasted the timeout (it starts with empty
        // queues): then they finish, within the run's age (`record_latency`).
        let late = if served <= 0.0 || !lim.timeouts_due {
            0.0
        } else if d >= timeout_ms {
            1.0
        } else if d + REACH_MEANS * mean_ms + reach_by_pool[usize::from(pool_group)] <= timeout_ms {
            0.0
        } else {
            late_share(d, mean_ms, pool_group, paths, pools, timeout_ms)
        };
        let timed_out = served * late;
        let errored = (served - timed_out) * error_rate;
        let ok = served - timed_out - errored;
        if timed_out > 0.0 {
            // A timed-out request shows in the percentiles at the timeout it waited.
            w.latency.add_bin(bin_of(timeout_ms), timed_out);
        }
        sc.pod_groups.add(pool_group, d, mean_ms, ok);
        t.served_ok += ok;
        t.timed_out += timed_out;
        t.errored += errored;
        let zf = &mut zones[z].failures;
        zf[FailureReason::TimedOut] += timed_out;
        zf[FailureReason::Errored] += errored;
        sc.zone_served[z] += ok;
        let used_ms = served * cost_ms / speed + p.cpu_stress * limit_m * dt;
        p.cpu_usage_m = (used_ms / dt).min(limit_m);
        p.cpu_used_ms_since_sync += p.cpu_usage_m * dt;
        if p.state.is_ready() {
            t.cpu_util_sum += p.cpu_usage_m / spec.cpu_request_m.max(1) as f64;
            t.ready += 1;
        }
        if leak_mib_per_s > 0.0 {
            p.memory_mib += leak_mib_per_s * dt;
        }
        if (leak_mib_per_s > 0.0 || spec.memory_per_queued_kib > 0.0)
            && spec.memory_in_use_mib(p.memory_mib, p.queue) > spec.memory_limit_mib as f64
        {
            oom = true;
        }
        let routed = p.routed;
        let (late, dropped) = protect_pod(p, &mut zones[z].failures, &mut w.latency, &lim);
        t.queue_timed_out += late;
        t.dropped += dropped;
        let s = &mut sides[side];
        s.requests += routed;
        s.failed += timed_out + errored + late + dropped;
        // The pod's p99 at the pod: d + mean × ln 100 (its wait, fixed time and service,
        // exponential); the data tier is common to both sides.
        if ok > 0.0 {
            s.p99_weighted += ok * (d + mean_ms * std::f64::consts::LN_10 * 2.0);
            s.p99_requests += ok;
        }
    }
    if let Some(window) = w.rollout.as_mut().and_then(|r| r.window_mut()) {
        for (acc, tick) in window.iter_mut().zip(&sides[..2]) {
            acc.requests += tick.requests;
            acc.failed += tick.failed;
            acc.p99_weighted += tick.p99_weighted;
            acc.p99_requests += tick.p99_requests;
        }
    }
    if oom {
        for i in 0..w.pods.len() {
            let spec = &w.scenario.topology.pod;
            let p = &w.pods[i];
            if p.kind == PodKind::App
                && spec.memory_in_use_mib(p.memory_mib, p.queue) > spec.memory_limit_mib as f64
                && p.state != PodState::Dead
            {
                lifecycle::oom_kill(w, i);
            }
        }
    }
    t
}

/// A pod's CPU per request [ms], fixed latency [ms], error share [0..1] and leak
/// [MiB/s] under its version, from the fleet's `cost_ms`, `fixed_ms` and `error_rate`
/// (the bad-release fault's share combines with the version's as independent failures).
#[inline(never)]
fn version_effects(
    versions: &[crate::sim::rollout::VersionSpec],
    p: &Pod,
    cost_ms: f64,
    fixed_ms: f64,
    error_rate: f64,
) -> (f64, f64, f64, f64) {
    match versions.get(usize::from(p.version)) {
        Some(v) => (
            cost_ms * v.cpu_factor,
            fixed_ms + v.extra_latency_ms,
            if v.error_rate > 0.0 {
                1.0 - (1.0 - error_rate) * (1.0 - v.error_rate)
            } else {
                error_rate
            },
            p.leak_mib_per_s + v.leak_mib_per_s,
        ),
        None => (cost_ms, fixed_ms, error_rate, p.leak_mib_per_s),
    }
}

/// Share of a pod's served requests whose whole time (`d + Exp(mean)` at the pod, then
/// its data path) passes `timeout_ms`, over the data paths its requests can complete
/// (a pod without a connection fails its database queries instead) [fraction].
fn late_share(
    d: f64,
    mean_ms: f64,
    pool_group: u8,
    paths: &super::latency::DataPaths,
    pools: &super::data::connection_pool::PoolGroupTimes,
    timeout_ms: f64,
) -> f64 {
    let mut weight = 0.0;
    let mut within = 0.0;
    for path in paths.as_slice() {
        let (share, rt) = path.at_pod(pools, pool_group, d, mean_ms);
        if share <= 0.0 {
            continue;
        }
        weight += share;
        within += share * rt.cdf(timeout_ms);
    }
    if weight > 0.0 {
        1.0 - within / weight
    } else {
        0.0
    }
}

/// Share of the requests of response time `rt` that completed (took at most `timeout_ms`)
/// and took at most `threshold_ms`: `F(threshold) / F(timeout)` [fraction]. Exact; the
/// CDF is skipped where it is 0 or 1 to within 1e-6.
#[inline]
fn share_within(rt: &ResponseTime, threshold_ms: f64, timeout_ms: f64) -> f64 {
    if threshold_ms < rt.shift_ms {
        return 0.0;
    }
    let reach = rt.reach_ms();
    let f_cap = if reach < timeout_ms {
        1.0
    } else {
        rt.cdf(timeout_ms)
    };
    if threshold_ms >= timeout_ms || reach <= threshold_ms {
        return 1.0;
    }
    if f_cap > 0.0 {
        (rt.cdf(threshold_ms) / f_cap).min(1.0)
    } else {
        0.0
    }
}

/// After stage 7: the requests the pods served that completed (`ok` [requests]) go into
/// the latency histogram as the mixture of (pod group × data path) response times, each
/// with its exact bin masses, truncated at the timeout. Returns how many took at most the
/// SLI threshold, from the same CDFs [requests].
fn record_latency(w: &mut World, ok: f64) -> f64 {
    let groups = w.scratch.pod_groups.as_slice();
    let paths = w.data.paths.as_slice();
    let pools = &w.data.pool_groups;
    let mut weight = 0.0;
    for g in groups {
        for p in paths {
            weight += g.requests * p.at_pod(pools, g.pool_group, 0.0, 0.0).0;
        }
    }
    if ok <= 0.0 || weight <= 0.0 {
        return 0.0;
    }
    let scale = ok / weight;
    let horizon_ms = response_horizon_ms(w);
    let threshold_ms = w.scenario.slo.latency_threshold_ms;
    let mut fast = 0.0;
    for g in groups {
        for p in paths {
            let (share, rt) = p.at_pod(pools, g.pool_group, g.shift_ms(), g.mean_ms());
            let n = g.requests * share * scale;
            if n <= 0.0 {
                continue;
            }
            w.latency
                .add_response_time(&mut w.scratch.shapes, &rt, n, horizon_ms);
            fast += n * share_within(&rt, threshold_ms, horizon_ms);
        }
    }
    fast
}

/// The longest a response finished this tick can have taken [ms]: the pod
/// timeout, or less while the run (which starts with empty queues) is younger
/// than it. A 1 s run has no 10 s response.
#[inline]
fn response_horizon_ms(w: &World) -> f64 {
    attempt_timeout_ms(w).min((w.now_s + w.tick_s) * 1000.0)
}

/// How long an attempt may take before it fails [ms]: the pod's timeout, or the clients'
/// per-attempt timeout when that is shorter. A client that gives up first leaves the
/// server working on the attempt: it is served (its CPU spent) and counted timed out,
/// and the request it belonged to may be retried; requests still queued wait for the
/// pod's own timeout (docs/models.md#client-retries).
#[inline]
fn attempt_timeout_ms(w: &World) -> f64 {
    let pod = w.scenario.topology.pod.timeout_ms;
    match w
        .client_retries
        .as_ref()
        .and_then(|r| r.policy.per_attempt_timeout_ms)
    {
        Some(client) => pod.min(client),
        None => pod,
    }
}

/// Stage 6's limits, the same for every pod this tick.
struct Protection {
    /// Mean CPU cost of a request [ms].
    cost_ms: f64,
    /// Pod timeout [s].
    timeout_s: f64,
    /// CPU limit [millicores].
    limit_m: f64,
    /// Queue bound [requests].
    queue_limit: f64,
    /// Histogram bin of the timeout.
    timeout_bin: usize,
    /// Whether the run has lasted the timeout: before, no request can have
    /// waited that long, and none times out.
    timeouts_due: bool,
}

/// Stage 6 for one pod, in stage 5's pass over the pods (one pass instead of two): the
/// requests left in its queue longer than the timeout fail, a queue over its bound drops
/// the excess. Returns (timed out, dropped) [requests].
#[inline]
fn protect_pod(
    p: &mut Pod,
    zf: &mut FailureCounts,
    latency: &mut SlidingHistogram,
    lim: &Protection,
) -> (f64, f64) {
    if p.queue <= 0.0 {
        return (0.0, 0.0);
    }
    let mut timed_out = 0.0;
    let mut dropped = 0.0;
    let mu_per_s = lim.limit_m * (1.0 - p.cpu_stress).max(0.0) / lim.cost_ms;
    let max_wait = mu_per_s * lim.timeout_s;
    if lim.timeouts_due && p.queue > max_wait {
        let late = p.queue - max_wait;
        timed_out = late;
        zf[FailureReason::TimedOut] += late;
        p.queue = max_wait;
        latency.add_bin(lim.timeout_bin, late);
    }
    if p.queue > lim.queue_limit {
        dropped = p.queue - lim.queue_limit;
        zf[FailureReason::Dropped] += dropped;
        p.queue = lim.queue_limit;
    }
    (timed_out, dropped)
}

/// Requests that failed before reaching a pod (`refused`, by reason), shared among the
/// zones by where their clients are (region traffic share × zone client share)
/// [requests].
fn share_by_clients(w: &mut World, refused: &FailureCounts) {
    let total: f64 = w
        .zones
        .iter()
        .map(|z| w.regions[z.region as usize].traffic_share * z.client_share)
        .sum();
    if total <= 0.0 {
        return;
    }
    for z in w.zones.iter_mut() {
        let k = w.regions[z.region as usize].traffic_share * z.client_share / total;
        for r in FailureReason::REFUSED {
            z.failures[r] += refused[r] * k;
        }
    }
}

/// Data-tier failures of this tick (the counters' growth since `before`), shared
/// among the zones by what their pods served (`served` in all) [requests].
fn share_data_failures(w: &mut World, before: &tiers::DataCounters, served: f64) {
    if served <= 0.0 {
        return;
    }
    let c = &w.data.counters.failures;
    let b = &before.failures;
    let grown = FailureReason::DATA_TIER.map(|r| (r, c[r] - b[r]));
    for (z, zone) in w.zones.iter_mut().enumerate() {
        let k = w.scratch.zone_served.get(z).copied().unwrap_or(0.0) / served;
        for (r, n) in grown {
            zone.failures[r] += n * k;
        }
    }
}

/// Stage 9.
fn account(
    w: &mut World,
    d: Demand,
    unrouted: f64,
    t: &TickService,
    dt: f64,
    failed_before: &FailureCounts,
) {
    let (timed_out_q, dropped) = (t.queue_timed_out, t.dropped);
    let (arrivals, retried) = (d.admitted + d.rejected, d.retried);
    let c = &mut w.counters;
    c.arrived += arrivals - retried;
    c.retried += retried;
    c.served += t.served_ok;
    let f = &mut c.failures;
    f.add(&t.refusals);
    f[FailureReason::DeadPodUndetected] += t.refused;
    f[FailureReason::TimedOut] += t.timed_out + timed_out_q;
    f[FailureReason::Errored] += t.errored;
    f[FailureReason::Dropped] += dropped;
    f.add(&t.data_failures);
    let gave_up = settle_clients(w, failed_before, t.served_ok);
    // One pass over the pods: their queues, and the ready and pending app pods.
    let mut queue_sum = 0.0;
    let mut ready = 0u32;
    let mut pending = 0u32;
    for p in &w.pods {
        queue_sum += p.queue;
        if p.kind == PodKind::App {
            if p.state.is_ready() {
                ready += 1;
            } else if p.state == PodState::Pending {
                pending += 1;
            }
        }
    }
    let queued = queue_sum + w.data.waiting_requests + w.data.external_timing_out;
    let c = &mut w.counters;
    c.queued = queued;
    let failed = unrouted
        + t.refused
        + t.timed_out
        + timed_out_q
        + t.errored
        + dropped
        + t.data_failures.data_tier();
    let fast = (t.fast + w.scratch.edge_fast).min(t.served_ok);
    c.latency_good += fast;

    let mut q = [0.0; 3];
    w.latency.window_quantiles_ms(&[0.5, 0.95, 0.99], &mut q);
    // Nothing recorded is longer than the horizon; interpolating inside its bin
    // (8 per octave) must not read past it (a 5,000 ms timeout read 5,115 ms).
    let top = response_horizon_ms(w);
    q.iter_mut().for_each(|x| *x = x.min(top));
    let l = &mut w.last;
    l.arrivals_rps = arrivals / dt;
    l.retries_rps = retried / dt;
    l.gave_up_rps = gave_up / dt;
    l.served_rps = t.served_ok / dt;
    l.errors_rps = failed / dt;
    l.p50_ms = q[0];
    l.p95_ms = q[1];
    l.p99_ms = q[2];
    l.cpu_utilization_pct = if t.ready > 0 {
        t.cpu_util_sum / f64::from(t.ready) * 100.0
    } else {
        0.0
    };

    let end_s = w.now_s + dt;
    // A 429 is not a valid event of the availability SLI unless the SLO says so.
    let not_valid = if w.scenario.slo.count_rate_limited {
        0.0
    } else {
        t.refusals[FailureReason::RateLimited]
    };
    control::slo_loop::record(
        w,
        end_s,
        t.served_ok,
        t.served_ok + failed - not_valid,
        fast,
        t.served_ok,
    );
    w.last.rate_limited_rps = t.refusals[FailureReason::RateLimited] / dt;
    w.last.shed_rps = t.refusals[FailureReason::Shed] / dt;

    // Cost: provisioning and ready nodes are billed.
    let mut per_hour = 0.0;
    let mut nodes_ready = 0u32;
    let mut nodes_prov = 0u32;
    for n in &w.nodes {
        match n.state {
            NodeState::Ready => nodes_ready += 1,
            NodeState::Provisioning => nodes_prov += 1,
            NodeState::Dead => continue,
        }
        per_hour += w.scenario.cost.per_node_hour(n.price_class);
    }
    w.cost.charge(per_hour, dt);

    let pk = &mut w.peaks;
    pk.pods_ready = pk.pods_ready.max(ready);
    pk.nodes_ready = pk.nodes_ready.max(nodes_ready);
    pk.pods_pending = pk.pods_pending.max(pending);
    pk.replicas = pk.replicas.max(w.spec_replicas);
    if w.last.p99_ms > pk.p99_ms {
        pk.p99_ms = w.last.p99_ms;
    }

    let (budget, burn) = match w.control.slo.availability.as_ref() {
        Some(a) => (a.budget_remaining_fraction() * 100.0, a.burn_rate(3600.0)),
        None => (100.0, 0.0),
    };
    let mut row = [0.0; SERIES_COUNT];
    row[Series::Time.index()] = w.now_s;
    row[Series::DemandRps.index()] = w.last.demand_rps;
    row[Series::ArrivalsRps.index()] = w.last.arrivals_rps;
    row[Series::ServedRps.index()] = w.last.served_rps;
    row[Series::ErrorsRps.index()] = w.last.errors_rps;
    row[Series::P50Ms.index()] = q[0];
    row[Series::P95Ms.index()] = q[1];
    row[Series::P99Ms.index()] = q[2];
    row[Series::ReplicasDesired.index()] = f64::from(w.spec_replicas);
    row[Series::PodsReady.index()] = f64::from(ready);
    row[Series::PodsPending.index()] = f64::from(pending);
    row[Series::NodesReady.index()] = f64::from(nodes_ready);
    row[Series::NodesProvisioning.index()] = f64::from(nodes_prov);
    row[Series::CpuUtilizationPct.index()] = w.last.cpu_utilization_pct;
    row[Series::QueuedRequests.index()] = queued;
    row[Series::CostPerHourUsd.index()] = per_hour;
    row[Series::BudgetRemainingPct.index()] = budget;
    row[Series::BurnRate1h.index()] = burn;
    row[Series::SessionsLost.index()] = w.counters.sessions_lost;
    row[Series::MinReplicas.index()] = f64::from(w.effective_min_replicas());
    let d = &w.data;
    row[Series::CdnHitRatio.index()] = d.last.cdn_hit_ratio;
    row[Series::CacheHitRatio.index()] = d.last.cache_hit_ratio;
    row[Series::DbConnectionsInUse.index()] = d.last.db_connections_in_use;
    row[Series::DbReplicationLagMs.index()] = d.last.db_replica_lag_ms;
    row[Series::KafkaLagMessages.index()] = d.last.kafka_lag_messages;
    row[Series::KafkaLagS.index()] = d.last.kafka_lag_s;
    row[Series::KafkaConsumers.index()] = d.last.kafka_consumers;
    row[Series::StaleReadPct.index()] = d.last.stale_read_pct;
    row[Series::OwnStaleReadPct.index()] = d.last.own_stale_read_pct;
    row[Series::Conflicts.index()] = d.counters.conflicts;
    row[Series::LostWrites.index()] = d.counters.lost_writes;
    row[Series::DbWritesPerS.index()] = d.last.db_writes_per_s;
    row[Series::RetriesRps.index()] = w.last.retries_rps;
    row[Series::GaveUpRps.index()] = w.last.gave_up_rps;
    row[Series::BreakerState.index()] = w.client_breaker.as_ref().map_or(0.0, |b| b.level());
    let edge_rps = |e: &Option<super::protection::EdgeProtection>| {
        e.as_ref().map_or(0.0, |e| e.last.retries / w.tick_s)
    };
    row[Series::DbRetriesRps.index()] = edge_rps(&w.data.db_edge) + edge_rps(&w.data.consumer_edge);
    row[Series::ExternalRetriesRps.index()] = edge_rps(&w.data.external_edge);
    let level = |e: &Option<super::protection::EdgeProtection>| {
        e.as_ref().map_or(0.0, |e| e.breaker_level())
    };
    row[Series::DbBreakerState.index()] = level(&w.data.db_edge);
    row[Series::RateLimitedRps.index()] = w.last.rate_limited_rps;
    row[Series::ShedRps.index()] = w.last.shed_rps;
    row[Series::ExternalBreakerState.index()] = level(&w.data.external_edge);
    row[Series::CacheRetriesRps.index()] = edge_rps(&w.data.cache_edge);
    row[Series::CacheBreakerState.index()] = level(&w.data.cache_edge);
    row[Series::ConsumerBreakerState.index()] = level(&w.data.consumer_edge);
    w.series.push(&row);
    // Per class, from the first tick a rate limit or load shedding is on (allocated once).
    if w.class_refusals.is_none() && (w.rate_limiter.is_some() || w.shedder.is_some()) {
        w.class_refusals = Some(super::class_series::ClassRefusalSeries::new(
            w.scenario.traffic.classes.len(),
            w.scenario.run.series_points,
        ));
    }
    if let Some(c) = w.class_refusals.as_mut() {
        let limited = w.rate_limiter.as_ref().map_or(&[][..], |r| &r.refused);
        let shed = w.shedder.as_ref().map_or(&[][..], |s| &s.shed);
        c.push(w.now_s, w.tick_s, limited, shed);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::load;
    use crate::sim::inputs::Action;

    /// Region `r2` gets no traffic (`traffic_share = 0`): once zone `a` is dead and the
    /// health checks took its pods out of rotation, every pod in rotation is in `r2`, so
    /// no region can take the traffic. The routing weights stashed in the pods' `routed`
    /// used to reach stage 5 as requests: those pods served (or, dead, refused) requests
    /// that never arrived (served > arrived; conservation broken by 1 request per pod).
    #[test]
    fn pods_in_a_region_without_traffic_serve_nothing() {
        let s = load(
            "t.toml",
            r#"title = "t"
[run]
tick_s = 1.0
[topology]
initial_replicas = 4
regions = [{ name = "r1", traffic_share = 1.0, zones = ["a"] }, { name = "r2", traffic_share = 0.0, zones = ["b"] }]
[traffic]
noise = false
profile = { kind = "constant", rps = 100.0 }
"#,
        )
        .unwrap();
        let mut w = World::new(&s, 1).unwrap();
        w.push_action(10.0, Action::KillZone { zone: "a".into() })
            .unwrap();
        for _ in 0..200 {
            step(&mut w);
            let c = &w.counters;
            assert!(c.served <= c.arrived + 1e-9, "{c:?}");
            assert!(c.conservation_gap().abs() < 1e-6, "{c:?}");
        }
        assert!(w
            .pods
            .iter()
            .any(|p| p.in_lb && w.zones[p.zone as usize].name == "b"));
    }
}
