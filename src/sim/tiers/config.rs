//! The scenario sections of the data and async tiers (CDN, GSLB, cache, database, Kafka,
//! consistency, external dependency), all optional.
//!
//! ```text
//!   [cdn] [cache] [database] [kafka.topic] [kafka.hpa] [consistency] [gslb] [external]
//!      └──────────── each absent = that tier is not in the world ────────────┘
//! ```
//!
//! The components' own configs are used as they are (every field has a default);
//! this module adds the Kafka consumer HPA (Kubernetes field names, like `[hpa]`)
//! and the consistency modes written globally or per data class.

use crate::sim::consistency::{
    ConflictResolution, ConsistencyMode, DataClass, ReadRouting, StoreConfig,
};
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
    /// Checks the consumer group's HPA: a valid spec on a metric the consumers
    /// expose. Errors: (field path under `kafka.`, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if let Some(h) = &self.hpa {
            h.validate().map_err(|e| {
                let path = e.path.trim_start_matches("spec.").to_string();
                (format!("kafka.hpa.{path}"), e.message)
            })?;
            if let Some((path, message)) =
                crate::sim::messaging::kafka::CONSUMER_READABLE.unreadable(h)
            {
                return Err((format!("kafka.hpa.{path}"), message));
            }
        }
        Ok(())
    }

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
    /// Mode of every class (the default hybrid when absent: cart and checkout strong,
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
    /// Share of the store's reads that are a session reading its own recent write
    /// [fraction] (default 0.1).
    pub session_read_fraction: Option<f64>,
    /// Mean delay between a session's write and its own read [ms] (exponential; default 50).
    pub session_read_delay_ms: Option<f64>,
    /// Where eventual classes send a session's own reads: `replicas` (default),
    /// `leader_after_write` or `sticky_session` (docs/models.md#read-your-writes-routing).
    pub read_routing: Option<ReadRouting>,
    /// With `leader_after_write`: how long after its write a session reads from the leader
    /// [ms] (default 60,000).
    pub leader_window_ms: Option<f64>,
    /// Per data class (`cart`, `checkout`, `inventory`, `recommendations`).
    pub classes: BTreeMap<DataClass, ClassModes>,
}

impl ConsistencySection {
    /// Checks the quorums against the replicas: 1 ≤ R, W, write sites ≤ N.
    /// Errors: (field path under `consistency.`, message), naming `replicas`
    /// when only the replicas were written (the defaults then exceed them).
    pub fn validate(&self) -> Result<(), (String, String)> {
        let n = self.store_config();
        let quorum = [
            ("read_quorum", n.read_quorum),
            ("write_quorum", n.write_quorum),
            ("write_sites", n.write_sites),
        ];
        if let Some(&(name, v)) = quorum.iter().find(|(_, v)| *v > n.replicas) {
            let field = if self.replicas.is_some()
                && self.read_quorum.is_none()
                && self.write_quorum.is_none()
                && self.write_sites.is_none()
            {
                "replicas"
            } else {
                name
            };
            return Err((
                format!("consistency.{field}"),
                format!(
                    "{name} = {v} is more than the replicas (N = {}): needs 1 ≤ R, W, write sites ≤ N",
                    n.replicas
                ),
            ));
        }
        Ok(())
    }
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
        if let Some(f) = self.session_read_fraction {
            c.session_read_fraction = f;
        }
        if let Some(d) = self.session_read_delay_ms {
            c.session_read_delay_ms = d;
        }
        if let Some(r) = self.read_routing {
            c.read_routing = r;
        }
        if let Some(w) = self.leader_window_ms {
            c.leader_window_ms = w;
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
