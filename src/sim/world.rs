//! The world: plain, serializable data that [`step`](super::step::step) advances.
//!
//! ```text
//!   World ─┬─ scenario (the config it was built from)
//!          ├─ regions ⊃ zones ⊃ nodes ⊃ pods          (topology + runtime state)
//!          ├─ inputs queue, fault state, the ONE ChaCha8 RNG
//!          ├─ controllers: HPA, cluster autoscaler, SLO tracker, pre-scaler, VPA
//!          └─ counters, latency window, metric series, event log
//! ```
//!
//! Scratch buffers used inside a step live in [`Scratch`], which is skipped by
//! serde and rebuilt on demand: `step` never allocates once warm.

use super::cost::CostMeter;
use super::events::SimEvent;
use super::failure::{FailureCounts, FailureReason};
use super::histogram::SlidingHistogram;
use super::inputs::{Action, ActionSource, Input, InputQueue, ScheduledAction};
use super::latency::{PodGroups, ShapeCache};
use super::series::SeriesSet;
use super::topology::{Node, NodeState, Pod, PodKind, PodState, PodTimes, Region, Zone, NO_NODE};
use super::traffic::Profile;
use crate::scenario::Scenario;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Faults in force that are not per pod (which injection holds each is
/// [`super::inputs::queue::Injections`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultState {
    /// Extra latency on every request [ms].
    pub service_latency_ms: f64,
    /// Extra latency on cross-zone hops [ms].
    pub cross_zone_latency_ms: f64,
    /// Extra latency on cross-region hops [ms].
    pub cross_region_latency_ms: f64,
    /// Bad release: share of served requests that fail.
    pub error_rate: f64,
    /// Bad release: extra latency [ms].
    pub release_latency_ms: f64,
    /// Learner spikes on top of the profile (multipliers).
    pub spikes: Vec<Profile>,
}

/// Cumulative request counts since t = 0 [requests]. Conservation:
/// `arrived = served + failed() + queued`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// Requests that arrived: first tries, not retries.
    pub arrived: f64,
    /// Retried attempts that arrived ([`super::protection`]): the load balancer saw
    /// `arrived + retried` attempts.
    #[serde(default)]
    pub retried: f64,
    /// Requests whose last attempt failed: not retried (not retryable, out of attempts,
    /// past the deadline or over the retry budget). Without retries, every failure.
    #[serde(default)]
    pub gave_up: f64,
    /// Requests served successfully.
    pub served: f64,
    /// Requests failed, by reason (the data tier's reasons after a pod served them:
    /// database, quorum, publish, external dependency).
    pub failures: FailureCounts,
    /// Waiting in queues now.
    pub queued: f64,
    /// Served within the latency SLI threshold.
    pub latency_good: f64,
    /// Sticky sessions lost with their pod.
    pub sessions_lost: f64,
}

impl Counters {
    /// All failures.
    pub fn failed(&self) -> f64 {
        let f = &self.failures;
        f.refused()
            + f[FailureReason::Dropped]
            + f[FailureReason::TimedOut]
            + f[FailureReason::Errored]
            + f[FailureReason::LostWithPod]
            + f.data_tier()
    }

    /// Attempts in less attempts out, `arrived + retried − (served + failed + queued)`:
    /// zero up to rounding.
    pub fn conservation_gap(&self) -> f64 {
        self.arrived + self.retried - (self.served + self.failed() + self.queued)
    }

    /// Requests in less requests out, `arrived − (served + gave_up + queued +
    /// retries_pending)`: zero up to rounding (a failed attempt either gives up or is
    /// retried).
    pub fn request_gap(&self, retries_pending: f64) -> f64 {
        self.arrived - (self.served + self.gave_up + self.queued + retries_pending)
    }
}

/// The last tick's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TickStats {
    /// Profile rate [req/s].
    pub demand_rps: f64,
    /// Arrivals, first tries and retries [attempts/s].
    pub arrivals_rps: f64,
    /// Retries among the arrivals [attempts/s].
    #[serde(default)]
    pub retries_rps: f64,
    /// Requests that gave up: their last attempt failed [req/s].
    #[serde(default)]
    pub gave_up_rps: f64,
    /// Refused by a rate limit (429) [req/s].
    #[serde(default)]
    pub rate_limited_rps: f64,
    /// Shed by priority (503) [req/s].
    #[serde(default)]
    pub shed_rps: f64,
    /// Served successfully [req/s].
    pub served_rps: f64,
    /// Failed [req/s].
    pub errors_rps: f64,
    /// Latency percentiles over the window [ms].
    pub p50_ms: f64,
    /// [ms]
    pub p95_ms: f64,
    /// [ms]
    pub p99_ms: f64,
    /// Mean CPU use of ready app pods against their requests [%].
    pub cpu_utilization_pct: f64,
    /// Mean CPU cost of a request this tick [ms].
    pub mean_cpu_ms: f64,
}

/// Running statistics the CLI summary needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Peaks {
    /// Most app pods ready at once.
    pub pods_ready: u32,
    /// Most ready nodes at once.
    pub nodes_ready: u32,
    /// Highest windowed p99 [ms].
    pub p99_ms: f64,
    /// Most app pods pending at once.
    pub pods_pending: u32,
    /// Highest Deployment replica count.
    pub replicas: i32,
}

/// Scratch buffers, rebuilt from the topology when missing (skipped by serde).
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// Routing weight sum per zone.
    pub zone_w: Vec<f64>,
    /// Session sum per zone.
    pub zone_sessions: Vec<f64>,
    /// Requests per unit of weight, per zone (non-sticky part).
    pub zone_factor: Vec<f64>,
    /// Requests per session, per zone (sticky part).
    pub zone_session_factor: Vec<f64>,
    /// New sessions per unit of weight, per zone.
    pub zone_new_sessions: Vec<f64>,
    /// Cross-zone share of traffic reaching a zone.
    pub zone_cross_zone: Vec<f64>,
    /// Cross-region share of traffic reaching a zone.
    pub zone_cross_region: Vec<f64>,
    /// Routing weight sum per region.
    pub region_w: Vec<f64>,
    /// Session sum per region.
    pub region_sessions: Vec<f64>,
    /// Arrivals per region after failover.
    pub region_arrivals: Vec<f64>,
    /// Cross-region share per region.
    pub region_cross: Vec<f64>,
    /// Share of the routed traffic each region gets (the GSLB's, else the configured share).
    pub region_share: Vec<f64>,
    /// Routing weight of the canary's pods per region (while a canary runs).
    pub region_canary_w: Vec<f64>,
    /// Routing weight of the stable version's pods per region (while a canary runs).
    pub region_stable_w: Vec<f64>,
    /// App pods per zone (scheduler spreading).
    pub zone_app_pods: Vec<u32>,
    /// Arrivals per request class this tick.
    pub class_arrivals: Vec<f64>,
    /// Each class's CPU cost [ms] as the flags make it, for load shedding.
    pub class_cpu_ms: Vec<f64>,
    /// Requests the zone's pods served this tick, before the data tier [requests].
    pub zone_served: Vec<f64>,
    /// The pods' response times this tick, grouped (stage 5).
    pub pod_groups: PodGroups,
    /// Stage 4's last step, done pod by pod in stage 5's pass (`None`: no pod is routed).
    pub route_finish: Option<super::step::RouteFinish>,
    /// Requests served at the edge this tick within the latency SLI threshold [requests].
    pub edge_fast: f64,
    /// The response-time shapes already put into bins.
    pub shapes: ShapeCache,
    /// (live app pods, pause pods not dead), kept up to date by pod creation and
    /// cleared by anything else that changes them: the Deployment and the pause-pod
    /// reconcile count only when it is `None`, not every tick.
    pub live_counts: Option<(i32, u32)>,
    /// The traffic profile's kinks inside this tick [s] (`traffic::tick_mean_rate`).
    pub kinks: Vec<f64>,
    /// The scheduler's pending pods (pod indices, in pod order).
    pub pending_pods: Vec<u32>,
    /// The scheduler's fitting nodes per zone: min-heaps on (CPU requested, node index).
    pub zone_heaps: Vec<std::collections::BinaryHeap<std::cmp::Reverse<(i64, u32)>>>,
}

impl Scratch {
    /// Sizes the buffers for `zones` zones, `regions` regions and `classes` classes.
    pub fn ensure(&mut self, zones: usize, regions: usize, classes: usize) {
        if self.zone_w.len() != zones {
            for v in [
                &mut self.zone_w,
                &mut self.zone_sessions,
                &mut self.zone_factor,
                &mut self.zone_session_factor,
                &mut self.zone_new_sessions,
                &mut self.zone_cross_zone,
                &mut self.zone_cross_region,
            ] {
                *v = vec![0.0; zones];
            }
            self.zone_app_pods = vec![0; zones];
            self.zone_served = vec![0.0; zones];
        }
        if self.region_w.len() != regions {
            for v in [
                &mut self.region_w,
                &mut self.region_sessions,
                &mut self.region_arrivals,
                &mut self.region_cross,
                &mut self.region_share,
                &mut self.region_canary_w,
                &mut self.region_stable_w,
            ] {
                *v = vec![0.0; regions];
            }
        }
        if self.class_arrivals.len() != classes {
            self.class_arrivals = vec![0.0; classes];
        }
    }
}

/// The whole simulated world.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    /// The scenario the world was built from.
    pub scenario: Scenario,
    /// Tick length [s].
    pub tick_s: f64,
    /// Simulated time at the start of the next tick [s].
    pub now_s: f64,
    /// Ticks done.
    pub tick: u64,
    /// The one RNG.
    pub rng: ChaCha8Rng,
    /// Regions.
    pub regions: Vec<Region>,
    /// Zones.
    pub zones: Vec<Zone>,
    /// Nodes (provisioning, ready, dead not yet removed).
    pub nodes: Vec<Node>,
    /// Pods (app and pause).
    pub pods: Vec<Pod>,
    /// Each pod's lifecycle times (same index as `pods`).
    pub pod_times: Vec<PodTimes>,
    /// Next pod or node id.
    pub next_id: u64,
    /// The Deployment's `spec.replicas`.
    pub spec_replicas: i32,
    /// The HPA's `minReplicas` as configured (scheduled events may change it).
    pub min_replicas: i32,
    /// The HPA's `maxReplicas`.
    pub max_replicas: i32,
    /// minReplicas raised by pre-scaling (scheduled or predictive), 0 when none.
    pub prescale_min: i32,
    /// Pause pods wanted.
    pub pause_pods_wanted: u32,
    /// Queued inputs.
    pub inputs: InputQueue,
    /// Global faults.
    pub faults: FaultState,
    /// Cumulative counts.
    pub counters: Counters,
    /// The last tick.
    pub last: TickStats,
    /// Peaks for the summary.
    pub peaks: Peaks,
    /// Latency over the sliding window.
    pub latency: SlidingHistogram,
    /// Metric series.
    pub series: SeriesSet,
    /// The event log.
    pub events: Vec<SimEvent>,
    /// Events not kept because the log was full.
    pub events_dropped: u64,
    /// Cost so far.
    pub cost: CostMeter,
    /// App pods pending at the last report (for the PodsPending event).
    pub pending_reported: u32,
    /// Next health-check round [s].
    pub next_health_check_s: f64,
    /// Set when dead or drained pods are ready to be removed.
    pub pods_to_remove: bool,
    /// Set when pods or node room changed: the scheduler should look at pending pods.
    pub schedule_dirty: bool,
    /// The earliest kubelet timer of a Starting, Warming or Draining app pod [s]
    /// (a lower bound): before it, the kubelet-timer pass has nothing to do.
    #[serde(default)]
    pub next_pod_timer_s: f64,
    /// Controllers (HPA, CA, SLO, pre-scaling, VPA).
    pub control: super::control::Controllers,
    /// The data and async tiers (CDN, GSLB, cache, database, Kafka, consistency, external);
    /// empty when reading a world saved before they existed.
    #[serde(default)]
    pub data: super::tiers::DataTier,
    /// The clients' retries in flight (`[retry.client]`); none when the clients do not
    /// retry.
    #[serde(default)]
    pub client_retries: Option<super::protection::ClientRetries>,
    /// The clients' circuit breaker (`[breaker.client]`); none when they have none.
    #[serde(default)]
    pub client_breaker: Option<super::protection::CircuitBreaker>,
    /// The token buckets at the edge or the load balancer (`[rate_limit]`).
    #[serde(default)]
    pub rate_limiter: Option<super::protection::RateLimiter>,
    /// Load shedding by priority at the load balancer (`[shedding]`).
    #[serde(default)]
    pub shedder: Option<super::protection::Shedder>,
    /// The versions of the application, the starting one first
    /// ([`super::rollout::version_table`]).
    #[serde(default)]
    pub versions: Vec<super::rollout::VersionSpec>,
    /// The rollout under way or done; none before the first.
    #[serde(default)]
    pub rollout: Option<super::rollout::RolloutState>,
    /// The chaos experiment under way, or the last one (its verdict).
    #[serde(default)]
    pub experiment: Option<Box<super::chaos::ExperimentRun>>,
    /// What the rate limit and load shedding refused per class over time: from the
    /// first tick either is on.
    #[serde(default)]
    pub class_refusals: Option<super::class_series::ClassRefusalSeries>,
    /// The feature flags (`[[flags]]`) and what they make of each class.
    #[serde(default)]
    pub flags: super::protection::Flags,
    /// Scratch buffers.
    #[serde(skip)]
    pub scratch: Scratch,
}

/// Why an action could not be queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The most pods [`World::new`] reserves room for (about 16 MiB of pods and their
/// times); a run that holds more grows its vectors as it goes.
pub const POD_RESERVE_CAP: usize = 100_000;

impl World {
    /// A world for `scenario` with RNG seed `seed`, at t = 0, with its initial nodes and pods placed.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<World, UnknownName> {
        let topo = &scenario.topology;
        let share_sum: f64 = topo.regions.iter().map(|r| r.traffic_share.max(0.0)).sum();
        let mut regions = Vec::new();
        let mut zones = Vec::new();
        for (ri, r) in topo.regions.iter().enumerate() {
            regions.push(Region {
                name: r.name.clone(),
                traffic_share: if share_sum > 0.0 {
                    r.traffic_share.max(0.0) / share_sum
                } else {
                    1.0 / topo.regions.len() as f64
                },
                alive: true,
            });
            for z in &r.zones {
                zones.push(Zone {
                    name: z.clone(),
                    region: ri as u16,
                    client_share: 1.0 / r.zones.len() as f64,
                    alive: true,
                    failures: Default::default(),
                });
            }
        }
        let tick_s = scenario.run.tick_s;
        let window_slots = (scenario.run.latency_window_s / tick_s).round().max(1.0) as usize;
        let (min_r, max_r) = super::control::hpa_bounds(scenario);
        let initial = (topo.initial_replicas as i32).clamp(min_r.min(max_r), max_r);
        // Room for the most pods the run can hold (the HPA's maximum, a quarter more
        // for pods draining or surging, and the pause pods), so that the pod vectors
        // do not grow (and copy) inside the ticks; at most `POD_RESERVE_CAP`.
        let most_pods = (max_r.max(0) as usize)
            .saturating_add(max_r.max(0) as usize / 4)
            .saturating_add(scenario.pause_pods.count as usize)
            .min(POD_RESERVE_CAP);
        let mut w = World {
            scenario: scenario.clone(),
            tick_s,
            now_s: 0.0,
            tick: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            regions,
            zones,
            nodes: Vec::new(),
            pods: Vec::with_capacity(most_pods),
            pod_times: Vec::with_capacity(most_pods),
            next_id: 1,
            spec_replicas: initial,
            min_replicas: min_r,
            max_replicas: max_r,
            prescale_min: 0,
            pause_pods_wanted: scenario.pause_pods.count,
            inputs: InputQueue::default(),
            faults: FaultState::default(),
            counters: Counters::default(),
            last: TickStats::default(),
            peaks: Peaks::default(),
            latency: SlidingHistogram::new(window_slots),
            series: SeriesSet::new(scenario.run.series_points),
            events: Vec::new(),
            events_dropped: 0,
            cost: CostMeter::default(),
            pending_reported: 0,
            next_health_check_s: 0.0,
            pods_to_remove: false,
            schedule_dirty: true,
            next_pod_timer_s: 0.0,
            control: super::control::Controllers::new(scenario),
            data: super::tiers::DataTier::new(scenario),
            client_retries: scenario.retry.client.clone().map(|p| {
                super::protection::ClientRetries::new(p, scenario.traffic.classes.len(), tick_s)
            }),
            client_breaker: scenario
                .breaker
                .client
                .clone()
                .map(|p| super::protection::CircuitBreaker::new(p, tick_s)),
            rate_limiter: scenario
                .rate_limit
                .clone()
                .map(|p| super::protection::RateLimiter::new(p, &scenario.traffic.class_names())),
            flags: super::protection::Flags::new(
                scenario.flags.clone(),
                &scenario.traffic.class_names(),
            ),
            shedder: scenario.shedding.clone().map(|p| {
                let priorities: Vec<u8> = scenario
                    .traffic
                    .classes
                    .iter()
                    .map(|c| c.priority)
                    .collect();
                super::protection::Shedder::new(p, &priorities)
            }),
            class_refusals: None,
            versions: super::rollout::version_table(&scenario.deployment, &scenario.versions),
            rollout: None,
            experiment: None,
            scratch: Scratch::default(),
        };
        // Initial nodes, ready at t = 0.
        for z in 0..w.zones.len() {
            for _ in 0..topo.nodes.initial_per_zone {
                w.add_node(z as u16, 0.0, NodeState::Ready);
            }
        }
        // Initial app pods: scheduled and warm at t = 0.
        for _ in 0..initial {
            w.create_pod(PodKind::App);
        }
        for _ in 0..w.pause_pods_wanted {
            w.create_pod(PodKind::Pause);
        }
        super::lifecycle::schedule_pending(&mut w);
        for (p, t) in w.pods.iter_mut().zip(w.pod_times.iter_mut()) {
            if p.kind == PodKind::App && p.state == PodState::Starting {
                p.state = PodState::Ready;
                p.in_lb = true;
                p.in_lb_since_s = -3600.0;
                t.start_time_s = Some(-3600.0);
                t.last_ready_transition_s = Some(-3600.0);
            }
        }
        if scenario.slo.healthy_history {
            let rate = scenario.traffic.profile.value_at(0.0);
            super::control::slo_loop::prefill_healthy_history(&mut w, rate);
        }
        for ev in &scenario.events {
            w.schedule(ev)?;
        }
        Ok(w)
    }

    /// Queues a scenario event.
    pub fn schedule(&mut self, ev: &ScheduledAction) -> Result<(), UnknownName> {
        self.push_input(ev.at_s, ev.action.clone(), ActionSource::Scenario)
    }

    /// Queues a learner's action at `at_s` (applied at the start of the first tick at or after it).
    pub fn push_action(&mut self, at_s: f64, action: Action) -> Result<(), UnknownName> {
        self.push_input(at_s, action, ActionSource::Learner)
    }

    /// Queues `action` at `at_s`, queued `by` the scenario or a learner.
    pub fn push_input(
        &mut self,
        at_s: f64,
        action: Action,
        by: ActionSource,
    ) -> Result<(), UnknownName> {
        // The same rules as a scenario's events: numbers in range, names that exist.
        crate::scenario::check_action(&action, &self.scenario, "action")
            .map_err(|(field, message)| UnknownName(format!("{field}: {message}")))?;
        let target =
            super::inputs::queue::resolve(action.anatomy().aim, &self.zones, &self.regions)
                .map_err(UnknownName)?;
        self.inputs.push(Input {
            at_s,
            seq: 0,
            action,
            by,
            target,
        });
        Ok(())
    }

    /// Adds a node to zone `zone`, ready at `ready_at_s`.
    pub fn add_node(&mut self, zone: u16, ready_at_s: f64, state: NodeState) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let np = &self.scenario.topology.nodes;
        self.nodes.push(Node {
            id,
            zone,
            state,
            ready_at_s,
            added_s: self.now_s,
            cpu_alloc_m: np.cpu_m,
            mem_alloc_mib: np.memory_mib,
            cpu_requested_m: 0,
            mem_requested_mib: 0,
            pods: 0,
            price_class: np.price_class,
        });
        id
    }

    /// The name of version `v` (an index into [`Self::versions`]; empty when there is none).
    pub fn version_name(&self, v: u8) -> String {
        self.versions
            .get(usize::from(v))
            .map_or(String::new(), |x| x.name.clone())
    }

    /// Creates a pending pod.
    pub fn create_pod(&mut self, kind: PodKind) {
        self.create_pod_of(kind, 0);
    }

    /// Creates a pending pod of `kind` running version `version` (an index into
    /// [`Self::versions`]).
    pub fn create_pod_of(&mut self, kind: PodKind, version: u8) {
        let id = self.next_id;
        self.next_id += 1;
        let mem = self.scenario.topology.pod.memory_used_mib;
        let mut pod = Pod::new(id, kind, mem);
        pod.version = version;
        self.pods.push(pod);
        self.pod_times.push(PodTimes::new(self.now_s));
        if let Some((apps, pauses)) = &mut self.scratch.live_counts {
            match kind {
                PodKind::App => *apps += 1,
                PodKind::Pause => *pauses += 1,
            }
        }
    }

    /// CPU and memory a pod of `kind` requests [millicores, MiB].
    pub fn requests_of(&self, kind: PodKind) -> (i64, i64) {
        let spec = &self.scenario.topology.pod;
        match kind {
            PodKind::App => (spec.cpu_request_m, spec.memory_request_mib),
            PodKind::Pause => (
                self.scenario.pause_pods.cpu_m.unwrap_or(spec.cpu_request_m),
                self.scenario
                    .pause_pods
                    .memory_mib
                    .unwrap_or(spec.memory_request_mib),
            ),
        }
    }

    /// Records an event (bounded log).
    pub fn log(&mut self, ev: SimEvent) {
        if self.events.len() < self.scenario.run.max_events {
            self.events.push(ev);
        } else {
            self.events_dropped += 1;
        }
    }

    /// Frees a pod's node resources and detaches it.
    pub fn unbind(&mut self, pod_index: usize) {
        let node = self.pods[pod_index].node;
        if node != NO_NODE {
            let (cpu, mem) = self.requests_of(self.pods[pod_index].kind);
            let n = &mut self.nodes[node as usize];
            n.cpu_requested_m -= cpu;
            n.mem_requested_mib -= mem;
            n.pods = n.pods.saturating_sub(1);
            self.pods[pod_index].node = NO_NODE;
        }
    }

    /// App pods the Deployment counts (not terminating, not dead).
    pub fn live_app_pods(&self) -> i32 {
        self.pods.iter().filter(|p| p.is_live_app()).count() as i32
    }

    /// App pods that pass readiness.
    pub fn ready_app_pods(&self) -> u32 {
        self.pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.state.is_ready())
            .count() as u32
    }

    /// App pods waiting for a node.
    pub fn pending_app_pods(&self) -> u32 {
        self.pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.state == PodState::Pending)
            .count() as u32
    }

    /// Nodes in `state`.
    pub fn nodes_in(&self, state: NodeState) -> u32 {
        self.nodes.iter().filter(|n| n.state == state).count() as u32
    }

    /// The minReplicas in force: the configured one or a pre-scaling raise.
    pub fn effective_min_replicas(&self) -> i32 {
        self.min_replicas
            .max(self.prescale_min)
            .min(self.max_replicas)
    }

    /// A read-only view for the UI and the CLI.
    pub fn snapshot(&self) -> super::snapshot::Snapshot {
        super::snapshot::Snapshot::of(self)
    }
}
