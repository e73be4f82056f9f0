//! Asynchronous messaging: a Kafka-style log with partitions, a consumer group,
//! lag, retention and a dead-letter queue (issue 4, item 4; SPEC §4 for the fluid backlog).
//!
//! ```text
//!   API ──publish──▶ [ topic: P partitions ] ──▶ consumer group ──▶ DB (smooth rate)
//!                          │ expired (retention)      └─ poison ──▶ DLQ
//! ```

pub mod kafka;

pub use kafka::{
    ConsumerGroupMetrics, KafkaConfig, KafkaInput, KafkaTick, KafkaTopic, KafkaTotals,
    PartitionView, LAG_METRIC,
};
