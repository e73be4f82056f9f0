//! The scenario sections of the data and async tiers (issue 4), all optional.
//!
//! ```text
//!   [cdn] [cache] [database] [kafka.topic] [kafka.hpa] [consistency] [gslb] [external]
//!      └──────────── each absent = that tier is not in the world ────────────┘
//! ```
//!
//! The components' own configs are used as they are (every field has a default);
//! this module adds the Kafka consumer HPA (Kubernetes field names, like `[hpa]`)
//! and the consistency modes written globally or per data class.

use crate::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass, StoreConfig};
use crate::sim::hpa::HpaSpec;
use crate::sim::messaging::KafkaConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[kafka]`: one topic, its consumer group and the group's autoscaler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaSection {
    /// `[kafka.topic]`: partitions, broker limit, consumers, retention, DLQ.
    pub topic: KafkaConfig,
    /// `[kafka.hpa]`: an autoscaling/v2 HPA spec over the consumer group, normally with an
    /// External metric named `kafka_consumergroup_lag` (KEDA style). Absent: fixed consumers.
    pub hpa: Option<HpaSpec>,
    /// Lag age above which a lag alert fires [s]; 0 = no alert (default 60 s).
    pub lag_alert_s: f64,
    /// KEDA's `allowIdleConsumers` (default false): when false, the lag the HPA sees is capped
    /// at partitions × lagThreshold (the External metric's target), so it never asks for more
    /// consumers than partitions; true lifts the cap and the consumers beyond the partitions
    /// sit idle. Source: KEDA Apache Kafka scaler docs and `pkg/scalers/kafka_scaler.go`.
    pub allow_idle_consumers: bool,
}

impl KafkaSection {
    /// The default lag alert threshold [s].
    pub const DEFAULT_LAG_ALERT_S: f64 = 60.0;

    /// The lagThreshold KEDA caps the lag with [milli-messages]: the target (`averageValue`,
    /// else `value`) of the HPA's External metric [`LAG_METRIC`](crate::sim::messaging::LAG_METRIC).
    /// `None` with `allow_idle_consumers`, with no HPA or with no such metric: no cap.
    pub fn idle_consumer_cap_threshold_m(&self) -> Option<i64> {
        if self.allow_idle_consumers {
            return None;
        }
        self.hpa.as_ref()?.metrics.iter().find_map(|m| {
            let e = m.external.as_ref()?;
            if e.metric.name != crate::sim::messaging::LAG_METRIC {
                return None;
            }
            e.target
                .average_value
                .or(e.target.value)
                .map(|q| q.milli)
                .filter(|&t| t > 0)
        })
    }
}

impl Default for KafkaSection {
    fn default() -> Self {
        KafkaSection {
            topic: KafkaConfig::default(),
            hpa: None,
            lag_alert_s: Self::DEFAULT_LAG_ALERT_S,
            allow_idle_consumers: false,
        }
    }
}

/// A data class's mode and resolution, both optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassModes {
    /// Consistency mode of the class.
    pub mode: Option<ConsistencyMode>,
    /// Conflict resolution of the class.
    pub resolution: Option<ConflictResolution>,
}

/// `[consistency]`: the replicated store behind the database, with modes you can flip at runtime.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsistencySection {
    /// Mode of every class (seed 000's hybrid when absent: cart and checkout strong,
    /// inventory causal, recommendations eventual).
    pub mode: Option<ConsistencyMode>,
    /// Resolution of every class.
    pub resolution: Option<ConflictResolution>,
    /// Replicas N.
    pub replicas: Option<u32>,
    /// Read quorum R.
    pub read_quorum: Option<u32>,
    /// Write quorum W.
    pub write_quorum: Option<u32>,
    /// Independent write sites in causal/eventual mode (≥ 2: multi-leader).
    pub write_sites: Option<u32>,
    /// Round trip between replicas [ms] (default: twice the topology's cross-zone latency, at least 1 ms).
    pub replica_rtt_ms: Option<f64>,
    /// Per data class (`cart`, `checkout`, `inventory`, `recommendations`).
    pub classes: BTreeMap<DataClass, ClassModes>,
}

impl ConsistencySection {
    /// The store configuration this section describes.
    pub fn store_config(&self) -> StoreConfig {
        let mut c = StoreConfig::default();
        if let Some(n) = self.replicas {
            c.replicas = n;
        }
        if let Some(r) = self.read_quorum {
            c.read_quorum = r;
        }
        if let Some(w) = self.write_quorum {
            c.write_quorum = w;
        }
        if let Some(s) = self.write_sites {
            c.write_sites = s;
        }
        for k in c.classes.iter_mut() {
            if let Some(m) = self.mode {
                k.mode = m;
            }
            if let Some(r) = self.resolution {
                k.resolution = r;
            }
        }
        for (class, m) in &self.classes {
            let k = &mut c.classes[class.index()];
            if let Some(mode) = m.mode {
                k.mode = mode;
            }
            if let Some(r) = m.resolution {
                k.resolution = r;
            }
        }
        c
    }
}

fn fraction(field: &str, v: f64) -> Result<(), (String, String)> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err((
            field.into(),
            format!("must be a fraction in [0, 1], got {v}"),
        ))
    }
}

fn positive(field: &str, v: f64) -> Result<(), (String, String)> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err((field.into(), format!("must be > 0, got {v}")))
    }
}

fn non_negative(field: &str, v: f64) -> Result<(), (String, String)> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err((field.into(), format!("must be ≥ 0, got {v}")))
    }
}

/// Checks the data-tier sections of `s`. Returns (field path, message).
pub fn validate(s: &crate::scenario::Scenario) -> Result<(), (String, String)> {
    for c in &s.traffic.classes {
        non_negative("traffic.classes.reads", c.reads)?;
        non_negative("traffic.classes.writes", c.writes)?;
        non_negative("traffic.classes.publishes", c.publishes)?;
        non_negative("traffic.classes.external_calls", c.external_calls)?;
    }
    if let Some(cdn) = &s.cdn {
        if cdn.pops == 0 {
            return Err(("cdn.pops".into(), "must be ≥ 1".into()));
        }
        non_negative("cdn.edge_latency_ms", cdn.edge_latency_ms)?;
        if cdn.classes.len() != s.traffic.classes.len() {
            return Err((
                "cdn.classes".into(),
                format!(
                    "needs one entry per request class ({}), got {}",
                    s.traffic.classes.len(),
                    cdn.classes.len()
                ),
            ));
        }
        for c in &cdn.classes {
            fraction("cdn.classes.cacheable_share", c.cacheable_share)?;
            positive("cdn.classes.ttl_s", c.ttl_s)?;
        }
    }
    if let Some(c) = &s.cache {
        positive("cache.ttl_s", c.ttl_s)?;
        positive("cache.capacity_keys", c.capacity_keys)?;
        positive("cache.ops_limit_per_shard", c.ops_limit_per_shard)?;
        if c.shards == 0 || c.keys == 0 {
            return Err(("cache.shards".into(), "shards and keys must be ≥ 1".into()));
        }
    }
    if let Some(d) = &s.database {
        if d.pool.max_connections == 0 || d.pool.pool_size_per_pod == 0 {
            return Err((
                "database.pool.max_connections".into(),
                "max_connections and pool_size_per_pod must be ≥ 1".into(),
            ));
        }
        if d.sharding.shards == 0 || d.workers == 0 {
            return Err((
                "database.workers".into(),
                "workers and sharding.shards must be ≥ 1".into(),
            ));
        }
        positive("database.read_ms", d.read_ms)?;
        positive("database.write_ms", d.write_ms)?;
        positive("database.apply_capacity_wps", d.apply_capacity_wps)?;
        fraction("database.sharding.hot_key_share", d.sharding.hot_key_share)?;
    }
    if let Some(k) = &s.kafka {
        let t = &k.topic;
        if t.partitions == 0 {
            return Err(("kafka.topic.partitions".into(), "must be ≥ 1".into()));
        }
        positive("kafka.topic.broker_limit_eps", t.broker_limit_eps)?;
        positive(
            "kafka.topic.consumer_throughput_eps",
            t.consumer_throughput_eps,
        )?;
        positive("kafka.topic.retention_s", t.retention_s)?;
        fraction("kafka.topic.poison_fraction", t.poison_fraction)?;
        non_negative("kafka.lag_alert_s", k.lag_alert_s)?;
        if let Some(h) = &k.hpa {
            h.validate().map_err(|e| {
                let path = e.path.trim_start_matches("spec.").to_string();
                (format!("kafka.hpa.{path}"), e.message)
            })?;
        }
    }
    if let Some(c) = &s.consistency {
        let n = c.store_config();
        if n.replicas == 0
            || n.read_quorum == 0
            || n.write_quorum == 0
            || n.read_quorum > n.replicas
            || n.write_quorum > n.replicas
        {
            return Err((
                "consistency.write_quorum".into(),
                format!(
                    "needs 1 ≤ R, W ≤ N, got N = {}, R = {}, W = {}",
                    n.replicas, n.read_quorum, n.write_quorum
                ),
            ));
        }
        if let Some(rtt) = c.replica_rtt_ms {
            non_negative("consistency.replica_rtt_ms", rtt)?;
        }
    }
    if let Some(g) = &s.gslb {
        if g.regions.is_empty() || g.users.is_empty() {
            return Err((
                "gslb.regions".into(),
                "needs at least one region and one user group".into(),
            ));
        }
        for r in &g.regions {
            if !s.topology.regions.iter().any(|t| t.name == r.name) {
                return Err((
                    "gslb.regions".into(),
                    format!("region `{}` is not in topology.regions", r.name),
                ));
            }
        }
        for u in &g.users {
            if u.latency_ms.len() != g.regions.len() {
                return Err((
                    "gslb.users.latency_ms".into(),
                    format!(
                        "user group `{}` needs one latency per GSLB region ({})",
                        u.name,
                        g.regions.len()
                    ),
                ));
            }
            if u.home_region as usize >= g.regions.len() {
                return Err((
                    "gslb.users.home_region".into(),
                    format!("user group `{}`: no GSLB region {}", u.name, u.home_region),
                ));
            }
        }
        positive("gslb.dns_ttl_s", g.dns_ttl_s)?;
        positive("gslb.health_check_interval_s", g.health_check_interval_s)?;
    }
    if let Some(e) = &s.external {
        positive("external.timeout_ms", e.timeout_ms)?;
        fraction("external.error_rate", e.error_rate)?;
        non_negative("external.base_latency_ms", e.base_latency_ms)?;
    }
    Ok(())
}
