//! Read-only views of the data and async tiers for the snapshot (the UI draws them generically).
//!
//! ```text
//!   DataTier ──of()──▶ { cdn, cache, database, kafka, consistency, gslb, external } (each optional)
//! ```

use super::super::consistency::{
    ConflictResolution, ConsistencyMode, DataClass, ReadRouting, CLASSES,
};
use super::super::data::cache::CacheSnapshot;
use super::super::data::cdn::CdnSnapshot;
use super::super::data::database::DatabaseSnapshot;
use super::DataTier;
use serde::{Deserialize, Serialize};

/// A Kafka partition as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionLagView {
    /// Unconsumed messages [messages].
    pub lag_messages: u64,
    /// Age of its oldest unconsumed message [s].
    pub lag_s: f64,
    /// Consumer that owns it, if any.
    pub owner: Option<u32>,
}

/// The Kafka topic and its consumer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KafkaView {
    /// Partitions.
    pub partitions: Vec<PartitionLagView>,
    /// Consumers consuming.
    pub consumers_active: u32,
    /// Ready consumers with no partition.
    pub consumers_idle: u32,
    /// Consumers starting.
    pub consumers_starting: u32,
    /// Consumers stopped by a fault.
    pub consumers_stopped: bool,
    /// Lag [messages].
    pub lag_messages: f64,
    /// Age of the oldest unconsumed message [s].
    pub lag_s: f64,
    /// Published [events/s].
    pub published_eps: f64,
    /// Consumed [events/s].
    pub consumed_eps: f64,
    /// Rejected by the broker limit [events/s].
    pub rejected_eps: f64,
    /// Broker limit [events/s].
    pub broker_limit_eps: f64,
    /// Messages expired by retention, cumulative [messages].
    pub expired: u64,
    /// Messages dead-lettered, cumulative [messages].
    pub dead_lettered: u64,
    /// The lag alert is firing.
    pub lag_alert: bool,
}

/// One data class of the consistency store.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyClassView {
    /// Class.
    pub class: DataClass,
    /// Mode.
    pub mode: ConsistencyMode,
    /// Resolution.
    pub resolution: ConflictResolution,
    /// Stale reads [%].
    pub stale_read_pct: f64,
    /// Stale reads of a session's own write [% of reads].
    pub own_stale_read_pct: f64,
    /// Conflicts, cumulative [keys].
    pub conflicts: f64,
    /// Lost writes, cumulative [writes].
    pub lost_writes: f64,
    /// Write p50 [ms].
    pub write_p50_ms: f64,
    /// Write p99 [ms].
    pub write_p99_ms: f64,
    /// Read p99 [ms].
    pub read_p99_ms: f64,
    /// Availability [fraction].
    pub availability: f64,
}

/// The consistency store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsistencyView {
    /// Per class.
    pub classes: Vec<ConsistencyClassView>,
    /// Over all classes, this tick [%].
    pub stale_read_pct: f64,
    /// Over all classes, this tick: stale reads of a session's own write [% of reads].
    pub own_stale_read_pct: f64,
    /// Where eventual classes send a session's own reads.
    pub read_routing: ReadRouting,
    /// Conflicts, cumulative, all classes [keys].
    pub conflicts: f64,
    /// Lost writes, cumulative, all classes (store only) [writes].
    pub lost_writes: f64,
    /// Write p50 [ms].
    pub write_p50_ms: f64,
    /// Write p99 [ms].
    pub write_p99_ms: f64,
    /// Read p99 [ms].
    pub read_p99_ms: f64,
    /// Availability [fraction].
    pub availability: f64,
    /// A partition is in force.
    pub partitioned: bool,
}

/// A region as the GSLB sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GslbRegionView {
    /// Name.
    pub name: String,
    /// In the GSLB's answers.
    pub in_rotation: bool,
    /// Traffic routed there [req/s].
    pub rps: f64,
}

/// The GSLB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GslbView {
    /// Regions.
    pub regions: Vec<GslbRegionView>,
    /// Failed by the GSLB this tick (dead region, sovereignty, no region, DNS) [req/s].
    pub failed_rps: f64,
    /// DNS failures [req/s].
    pub dns_failed_rps: f64,
    /// Sovereignty violations [req/s].
    pub sovereignty_violations_rps: f64,
}

/// The external dependency.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExternalView {
    /// Calls [calls/s].
    pub calls_per_s: f64,
    /// Mean latency [ms].
    pub latency_ms: f64,
    /// Failed calls (errors, timeouts, throttled) [calls/s].
    pub errors_per_s: f64,
    /// Down.
    pub down: bool,
}

/// Every tier's view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TierViews {
    /// CDN.
    pub cdn: Option<CdnSnapshot>,
    /// Cache.
    pub cache: Option<CacheSnapshot>,
    /// Database.
    pub database: Option<DatabaseSnapshot>,
    /// Kafka.
    pub kafka: Option<KafkaView>,
    /// Consistency.
    pub consistency: Option<ConsistencyView>,
    /// GSLB.
    pub gslb: Option<GslbView>,
    /// External dependency.
    pub external: Option<ExternalView>,
}

impl TierViews {
    /// The views of `d` at `now_s`.
    pub fn of(d: &DataTier, now_s: f64, dt_s: f64) -> TierViews {
        let kafka = d.kafka.as_ref().map(|k| {
            let t = k.last();
            let tot = k.totals();
            KafkaView {
                partitions: k
                    .partition_views(now_s)
                    .map(|p| PartitionLagView {
                        lag_messages: p.lag_messages,
                        lag_s: p.lag_s,
                        owner: p.owner,
                    })
                    .collect(),
                consumers_active: t.active_consumers,
                consumers_idle: t.idle_consumers,
                consumers_starting: t.starting_consumers,
                consumers_stopped: k.consumers_stopped(),
                lag_messages: t.lag_messages,
                lag_s: t.lag_s,
                published_eps: t.published_eps,
                consumed_eps: t.consumed_eps,
                rejected_eps: t.rejected_eps,
                broker_limit_eps: k.config().broker_limit_eps,
                expired: tot.expired,
                dead_lettered: tot.dead_lettered,
                lag_alert: d.lag_alert_firing,
            }
        });
        let consistency = d.store.as_ref().map(|s| {
            let last = s.last();
            let mut classes = Vec::with_capacity(CLASSES);
            let (mut conflicts, mut lost) = (0.0, 0.0);
            for c in DataClass::ALL {
                let cfg = s.config().classes[c.index()];
                let t = last.classes[c.index()];
                let tot = s.totals(c);
                conflicts += tot.conflicts;
                lost += tot.lost_writes;
                classes.push(ConsistencyClassView {
                    class: c,
                    mode: cfg.mode,
                    resolution: cfg.resolution,
                    stale_read_pct: t.stale_read_pct,
                    own_stale_read_pct: t.own_stale_read_pct,
                    conflicts: tot.conflicts,
                    lost_writes: tot.lost_writes,
                    write_p50_ms: t.write_p50_ms,
                    write_p99_ms: t.write_p99_ms,
                    read_p99_ms: t.read_p99_ms,
                    availability: t.availability,
                });
            }
            ConsistencyView {
                classes,
                stale_read_pct: last.total.stale_read_pct,
                own_stale_read_pct: last.total.own_stale_read_pct,
                read_routing: s.config().read_routing,
                conflicts,
                lost_writes: lost,
                write_p50_ms: last.total.write_p50_ms,
                write_p99_ms: last.total.write_p99_ms,
                read_p99_ms: last.total.read_p99_ms,
                availability: last.total.availability,
                partitioned: s.partition().is_some(),
            }
        });
        let gslb = d.gslb.as_ref().map(|g| {
            let t = g.last();
            GslbView {
                regions: g
                    .config()
                    .regions
                    .iter()
                    .enumerate()
                    .map(|(i, r)| GslbRegionView {
                        name: r.name.clone(),
                        in_rotation: g.region_in_rotation(i),
                        rps: g.region_rps().get(i).copied().unwrap_or(0.0),
                    })
                    .collect(),
                failed_rps: t.failed_dead_region_rps
                    + t.refused_sovereignty_rps
                    + t.no_region_rps
                    + t.dns_failed_rps,
                dns_failed_rps: t.dns_failed_rps,
                sovereignty_violations_rps: t.sovereignty_violations_rps,
            }
        });
        let external = d.external.as_ref().map(|e| ExternalView {
            calls_per_s: e.last.calls / dt_s,
            latency_ms: e.last.mean_latency_ms,
            errors_per_s: e.last.failed() / dt_s,
            down: e.down.is_some(),
        });
        TierViews {
            cdn: d.cdn.as_ref().map(|c| c.snapshot()),
            cache: d.cache.as_ref().map(|c| c.snapshot()),
            database: d.database.as_ref().map(|c| c.snapshot()),
            kafka,
            consistency,
            gslb,
            external,
        }
    }
}
