//! Asynchronous messaging: a Kafka-style log with partitions, a consumer group,
//! lag, retention and a dead-letter queue (docs/models.md#kafka).
//!
//! ```text
//!   API ──publish──▶ [ topic: P partitions ] ──▶ consumer group ──▶ DB (smooth rate)
//!                          │ expired (retention)      └─ poison ──▶ DLQ
//! ```
//!
//! **Wiring into `step` (stage 7, Data).** Each tick: `let k = topic.tick(now_s, tick_s,
//! &KafkaInput { publish_eps, consumer_speed })`; `k.rejected_eps` are publish errors
//! (reason "broker limit") of the API requests that publish; `k.publish_latency_ms` adds to
//! their latency; `k.consumed_eps` is the write rate the consumers put on the database.
//! Every HPA sync: `let view = topic.metrics_view(now_s); let d = hpa.reconcile(now_s,
//! topic.desired_consumers() as i32, &view); topic.set_consumers(d.replicas_after as u32, now_s)`.
//! Faults: `stop_consumers()`, `restart_consumers(now_s)`.

pub mod kafka;

pub use kafka::{
    ConsumerGroupMetrics, KafkaConfig, KafkaInput, KafkaTick, KafkaTopic, KafkaTotals,
    PartitionView, LAG_METRIC,
};
