//! Consistency modes you can flip at runtime, per data class (issue 4, item 5; SPEC §7).
//!
//! ```text
//!   reads/writes ─▶ [ class: cart | checkout | inventory | recommendations ]
//!                     mode: Strong | Causal | Eventual   resolution: LWW | CRDT | app merge
//!                   ─▶ stale-read %, conflicts, lost writes, write p50/p99, read p99, availability
//! ```
//!
//! PACELC (Abadi 2012): with no partition the choice is latency against consistency
//! (Strong pays the replica round trip and reads no stale data; Eventual is local and
//! fast but reads stale data within the lag); under a partition it is availability
//! (Strong's minority side refuses) against consistency (Eventual accepts and conflicts).

pub mod latency;
pub mod store;

pub use latency::{mixture_quantile, AckLatency};
pub use store::{
    ClassConfig, ClassTick, ClassTotals, ConflictResolution, ConsistencyMode, DataClass,
    PartitionFault, ReplicatedStore, StoreConfig, StoreInput, StoreTick, CLASSES,
};
