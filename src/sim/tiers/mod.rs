//! The data and async tiers wired into the world: CDN, GSLB, cache,
//! database, Kafka, the replicated store's consistency modes and an external dependency.
//!
//! ```text
//!   arrivals ─▶ 3 Edge [CDN] ─hits─▶ served at the edge
//!                  │ origin
//!                  ▼
//!             4 [GSLB] ─▶ regions ─▶ LB ─▶ pods (5 Service, 6 Protection)
//!                                           │ served by the pods
//!                                           ▼
//!   7 Data: reads ─▶ [cache] ─miss─▶ [database] ◀─ consumed writes ◀─ [Kafka] ◀─ publishes
//!           writes ─────────────────▶ [database] ─lag─▶ [consistency store] ─▶ stale, conflicts
//!           calls ─▶ [external dependency]
//!   failures ─▶ request errors by reason; times per path ─▶ the requests' latency (`latency`)
//! ```
//!
//! Each component is the standalone model of [`data`](super::data),
//! [`messaging`](super::messaging), [`consistency`](super::consistency) and
//! [`geo`](super::geo) (docs/models.md#data-tier and the sections after it); this module only moves the
//! flows between them. Requests are conserved every tick: a request whose queries wait
//! in the cache or database queue is counted as queued until they finish
//! (`arrived = served + failed + queued`); messages are conserved exactly by the topic
//! (`published = consumed + lag + expired + dead-lettered`).

pub mod config;
pub mod faults;
pub mod stage;
pub mod view;

use super::consistency::ReplicatedStore;
use super::data::cache::Cache;
use super::data::cdn::Cdn;
use super::data::connection_pool::PoolGroupTimes;
use super::data::database::Database;
use super::data::external::ExternalDependency;
use super::failure::{FailureCounts, FailureReason};
use super::geo::Gslb;
use super::hpa::{HpaController, HpaControllerConfig};
use super::latency::DataPaths;
use super::messaging::KafkaTopic;
use super::protection::{BreakerPolicy, CallEdge, EdgeProtection};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// What one origin request does in the data tier, averaged over the classes that
/// reached the origin this tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestMix {
    /// Reads per request [queries].
    pub reads: f64,
    /// Writes per request [queries].
    pub writes: f64,
    /// Events published per request [events].
    pub publishes: f64,
    /// External calls per request [calls].
    pub calls: f64,
    /// Share of requests that read or write [fraction].
    pub touch_db: f64,
    /// Share of requests that publish [fraction].
    pub touch_kafka: f64,
    /// Share of requests that call the external dependency [fraction].
    pub touch_external: f64,
}

/// Cumulative data-tier counts since t = 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DataCounters {
    /// Requests served at the edge (hits and collapsed) [requests].
    pub edge_served: f64,
    /// Requests the data tier failed, by reason [requests]: the GSLB's
    /// (region unreachable: dead region, sovereignty, no region, DNS), the database's
    /// (pool timeouts, primary down, disk full), for want of a quorum (strong
    /// consistency under a partition), the broker's (publish refused) and the external
    /// dependency's (errors, timeouts, throttling).
    pub failures: FailureCounts,
    /// Stale reads [reads].
    pub stale_reads: f64,
    /// Of those, a session's reads of its own write [reads].
    pub own_stale_reads: f64,
    /// Conflicting versions [keys].
    pub conflicts: f64,
    /// Writes lost: last-writer-wins, failover promotions, regional failover RPO [writes].
    pub lost_writes: f64,
    /// Database failovers completed.
    pub failovers: u32,
    /// EU requests served outside the EU (sovereignty broken) [requests].
    pub sovereignty_violations: f64,
    /// Consumed writes the consumers gave up on after their retries and dead-lettered
    /// (`[retry.consumer]`) [writes].
    pub dead_lettered_writes: f64,
}

impl DataCounters {
    /// Every request failure the data tier caused [requests].
    pub fn failed(&self) -> f64 {
        self.failures.sum_of(&DataCounters::REASONS)
    }

    /// The reasons the data tier fails requests for, GSLB first.
    pub const REASONS: [FailureReason; 5] = [
        FailureReason::RegionUnreachable,
        FailureReason::Database,
        FailureReason::NoQuorum,
        FailureReason::PublishRefused,
        FailureReason::Dependency,
    ];
}

/// The last tick's data-tier figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DataStats {
    /// Edge hit ratio [0..1].
    pub cdn_hit_ratio: f64,
    /// Origin offload [%].
    pub cdn_offload_pct: f64,
    /// Cache hit ratio [0..1].
    pub cache_hit_ratio: f64,
    /// Database reads per second (after the cache) [queries/s].
    pub db_reads_per_s: f64,
    /// Database writes per second (requests and consumers) [queries/s].
    pub db_writes_per_s: f64,
    /// Connections busy [connections].
    pub db_connections_in_use: f64,
    /// Largest replica lag [ms].
    pub db_replica_lag_ms: f64,
    /// Kafka lag [messages].
    pub kafka_lag_messages: f64,
    /// Kafka lag age [s].
    pub kafka_lag_s: f64,
    /// Consumers asked for [pods].
    pub kafka_consumers: f64,
    /// Events consumed [events/s].
    pub kafka_consumed_eps: f64,
    /// Stale reads [%].
    pub stale_read_pct: f64,
    /// Stale reads of a session's own write [% of reads] (part of `stale_read_pct`).
    pub own_stale_read_pct: f64,
    /// Mean data-path latency added to a request [ms].
    pub latency_ms: f64,
}

/// The tiers present in the world and their glue state.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DataTier {
    /// CDN.
    pub cdn: Option<Cdn>,
    /// GSLB.
    pub gslb: Option<Gslb>,
    /// For each GSLB region, the world's region index.
    pub gslb_region: Vec<u16>,
    /// Cache.
    pub cache: Option<Cache>,
    /// Database.
    pub database: Option<Database>,
    /// Kafka topic and consumer group.
    pub kafka: Option<KafkaTopic>,
    /// The consumer group's HPA.
    pub consumer_hpa: Option<HpaController>,
    /// Next consumer HPA sync [s].
    pub next_consumer_sync_s: f64,
    /// Lag age that fires the lag alert [s]; 0 = none.
    pub lag_alert_s: f64,
    /// The lag alert is firing.
    pub lag_alert_firing: bool,
    /// Consistency store.
    pub store: Option<ReplicatedStore>,
    /// Replica round trip of the store [ms].
    pub replica_rtt_ms: f64,
    /// External dependency.
    pub external: Option<ExternalDependency>,
    /// The mix of this tick's origin requests.
    pub mix: RequestMix,
    /// Database read latency of the last tick (the cache's fetch time) [ms].
    pub db_read_latency_ms: f64,
    /// Mean data-path latency of a served request, the last tick [ms] (for display; the
    /// requests' latencies come from `paths`).
    pub latency_ms: f64,
    /// The paths through the data tier and their times, the last tick.
    pub paths: DataPaths,
    /// The database's connection pools per pool group, the last tick.
    pub pool_groups: PoolGroupTimes,
    /// Pods with their full pool and with a partial one; `None` without a database.
    pub pool_pods: Option<(u32, u32)>,
    /// User-to-region latency from the GSLB this tick [ms].
    pub gslb_latency_ms: f64,
    /// Requests whose queries wait in the cache or database queues [requests].
    pub waiting_requests: f64,
    /// Requests whose external call will time out, made before the run had
    /// lasted the call timeout: in flight until it has, then failed [requests].
    pub external_timing_out: f64,
    /// The pods' retries and breaker towards the database (`[retry.database]`,
    /// `[breaker.database]`).
    pub db_edge: Option<EdgeProtection>,
    /// The pods' retries and breaker towards the external dependency, over its hops.
    pub external_edge: Option<EdgeProtection>,
    /// The Kafka consumers' retries towards the database (`[retry.consumer]`).
    pub consumer_edge: Option<EdgeProtection>,
    /// The pods' retries and breaker towards the cache (`[retry.cache]`,
    /// `[breaker.cache]`, whose refusals read the database).
    pub cache_edge: Option<EdgeProtection>,
    /// Cumulative counts.
    pub counters: DataCounters,
    /// The last tick.
    pub last: DataStats,
}

/// A cache breaker's policy as the edge runs it: the GETs it refuses read the database
/// (cache-aside's fallback), so they never fail for it.
pub fn cache_aside(mut policy: BreakerPolicy) -> BreakerPolicy {
    policy.fallback = true;
    policy
}

impl DataTier {
    /// The tiers `scenario` configures.
    pub fn new(scenario: &Scenario) -> Self {
        let gslb_region = scenario
            .gslb
            .as_ref()
            .map(|g| {
                g.regions
                    .iter()
                    .map(|r| {
                        scenario
                            .topology
                            .regions
                            .iter()
                            .position(|t| t.name == r.name)
                            .unwrap_or(0) as u16
                    })
                    .collect()
            })
            .unwrap_or_default();
        let consumer_hpa = scenario
            .kafka
            .as_ref()
            .and_then(|k| k.hpa.clone())
            .map(|spec| HpaController::new(spec, HpaControllerConfig::default()));
        let rtt = scenario
            .consistency
            .as_ref()
            .and_then(|c| c.replica_rtt_ms)
            .unwrap_or((2.0 * scenario.topology.network.cross_zone_ms).max(1.0));
        let mut tier = DataTier {
            cdn: scenario.cdn.clone().map(Cdn::new),
            gslb: scenario.gslb.clone().map(Gslb::new),
            gslb_region,
            cache: scenario.cache.clone().map(Cache::new),
            database: scenario.database.clone().map(Database::new),
            kafka: scenario
                .kafka
                .as_ref()
                .map(|k| KafkaTopic::new(k.topic.clone())),
            consumer_hpa,
            next_consumer_sync_s: 0.0,
            lag_alert_s: scenario.kafka.as_ref().map_or(0.0, |k| k.lag_alert_s),
            lag_alert_firing: false,
            store: scenario
                .consistency
                .as_ref()
                .map(|c| ReplicatedStore::new(c.store_config())),
            replica_rtt_ms: rtt,
            // A cache's first misses are rebuilt by a read on an idle database.
            db_read_latency_ms: scenario.database.as_ref().map_or(0.0, |d| d.read_ms),
            external: scenario.external.clone().map(ExternalDependency::new),
            ..DataTier::default()
        };
        // Each dependency edge with a retry policy or a breaker, in the shape its slot
        // gives (flows of calls, layers); the cache's breaker falls back to the database.
        for edge in [
            CallEdge::Database,
            CallEdge::External,
            CallEdge::Consumer,
            CallEdge::Cache,
        ] {
            let breaker = scenario.breaker.get(edge).cloned();
            let breaker = match edge {
                CallEdge::Cache => breaker.map(cache_aside),
                CallEdge::Client | CallEdge::Database | CallEdge::External | CallEdge::Consumer => {
                    breaker
                }
            };
            let retry = scenario.retry.get(edge).cloned();
            if let Some((slot, flows, hops)) = tier.edge_slot(edge) {
                *slot = EdgeProtection::new(retry, breaker, flows, hops, scenario.run.tick_s);
            }
        }
        tier.paths.reserve_classes(scenario.traffic.classes.len());
        tier
    }

    /// Whether any dependency edge has retries or a breaker.
    pub fn has_edge_protection(&self) -> bool {
        self.db_edge.is_some()
            || self.external_edge.is_some()
            || self.consumer_edge.is_some()
            || self.cache_edge.is_some()
    }

    /// Dependency edge `edge`'s protection slot, with the flows of calls and the layers
    /// [`EdgeProtection::new`] takes for it (the database's reads and writes fail apart;
    /// the external dependency sits `[external] hops` layers deep); `None` for the
    /// clients' edge, which the world holds.
    pub fn edge_slot(
        &mut self,
        edge: CallEdge,
    ) -> Option<(&mut Option<EdgeProtection>, usize, u32)> {
        let hops = self.external.as_ref().map_or(1, |e| e.config.hops);
        match edge {
            CallEdge::Client => None,
            CallEdge::Database => Some((&mut self.db_edge, 2, 1)),
            CallEdge::External => Some((&mut self.external_edge, 1, hops)),
            CallEdge::Consumer => Some((&mut self.consumer_edge, 1, 1)),
            CallEdge::Cache => Some((&mut self.cache_edge, 1, 1)),
        }
    }

    /// Dependency edge `edge`'s protection, if it has any; `None` for the clients' edge.
    pub fn edge(&self, edge: CallEdge) -> Option<&EdgeProtection> {
        match edge {
            CallEdge::Client => None,
            CallEdge::Database => self.db_edge.as_ref(),
            CallEdge::External => self.external_edge.as_ref(),
            CallEdge::Consumer => self.consumer_edge.as_ref(),
            CallEdge::Cache => self.cache_edge.as_ref(),
        }
    }

    /// True when any tier behind the pods is configured.
    pub fn has_backend(&self) -> bool {
        self.cache.is_some()
            || self.database.is_some()
            || self.kafka.is_some()
            || self.store.is_some()
            || self.external.is_some()
    }
}
