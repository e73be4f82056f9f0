//! Consistency modes you can flip at runtime, per data class (docs/models.md#consistency).
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
//!
//! **Wiring into `step` (stage 7, Data).** Each tick: `let s = store.tick(now_s, tick_s,
//! &StoreInput { reads_rps, writes_rps, replica_lag_ms, replica_rtt_ms })` with the reads and
//! writes that reach the database (after the cache). `s.total.failed_reads_rps +
//! s.total.failed_writes_rps` are errors (reason "no quorum"); `write_p50_ms` adds to each
//! write on the data path (the store's read latency, `read_p99_ms`, is reported but not
//! added to requests: docs/models.md#data-paths); stale reads (and of them, own-write stale
//! reads), conflicts and lost writes are correctness counters, not errors. Switches:
//! `set_mode`, `set_resolution`, `set_quorum`, `set_read_routing`; faults: `set_partition`,
//! `set_packet_loss`, `set_clock_skew_ms`.

pub mod latency;
pub mod store;

pub use latency::{mixture_quantile, AckLatency};
pub use store::{
    p_own_read_stale, ClassConfig, ClassTick, ClassTotals, ConflictResolution, ConsistencyMode,
    DataClass, PartitionFault, ReadRouting, ReplicatedStore, StoreConfig, StoreInput, StoreTick,
    CLASSES,
};
