//! Consistency arithmetic (docs/models.md#consistency): quorum overlap and fault tolerance,
//! stale reads under asynchronous replication lag.
//!
//! ```text
//!   write ─▶ W of N replicas ack         read ─▶ R of N replicas
//!            R + W > N ⇒ every read quorum meets every write quorum (≥ R+W−N replicas)
//!   leader ──(lag L)──▶ follower: a follower read t after the write is stale iff t < L
//! ```
//!
//! R + W > N alone is **not** linearizability: sloppy quorums, last-writer-wins,
//! partially failed writes and reads concurrent with writes can still be stale.

/// Properties of an (N, R, W) strict quorum configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuorumProperties {
    /// R + W > N: a read quorum contains a replica with the latest completed write.
    pub read_write_overlap: bool,
    /// max(0, R + W − N) [replicas].
    pub min_overlap_replicas: u32,
    /// W > N/2: no two disjoint write quorums.
    pub write_write_overlap: bool,
    /// N − W [replicas] that may be down while writes still succeed.
    pub writes_tolerate_unavailable: u32,
    /// N − R [replicas] that may be down while reads still succeed.
    pub reads_tolerate_unavailable: u32,
}

/// Quorum properties of `n` replicas, reads of `r`, writes of `w`.
pub fn quorum(n: u32, r: u32, w: u32) -> QuorumProperties {
    QuorumProperties {
        read_write_overlap: r + w > n,
        min_overlap_replicas: (r + w).saturating_sub(n),
        write_write_overlap: 2 * w > n,
        writes_tolerate_unavailable: n.saturating_sub(w),
        reads_tolerate_unavailable: n.saturating_sub(r),
    }
}

/// Cassandra's QUORUM for replication factor `rf`: ⌊rf/2⌋ + 1.
pub fn majority_quorum(rf: u32) -> u32 {
    rf / 2 + 1
}

/// Where a read is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    Leader,
    Follower,
}

/// Result of a read after a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadResult {
    Fresh,
    Stale,
}

impl ReadResult {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadResult::Fresh => "fresh",
            ReadResult::Stale => "stale",
        }
    }
}

/// A read at `read_t_ms` of a write committed on the leader at `write_t_ms`,
/// with asynchronous lag `lag_ms`: stale iff from a follower and read − write < lag.
pub fn read_after_write(
    write_t_ms: f64,
    lag_ms: f64,
    read_t_ms: f64,
    from: ReadFrom,
) -> ReadResult {
    match from {
        ReadFrom::Follower if read_t_ms - write_t_ms < lag_ms => ReadResult::Stale,
        _ => ReadResult::Fresh,
    }
}

/// P(stale) when a read `read_delay_ms` after a write goes to one replica chosen
/// uniformly: the fraction of replicas whose lag exceeds the delay. 0 with no replicas.
pub fn p_stale_read(replica_lags_ms: &[f64], read_delay_ms: f64) -> f64 {
    if replica_lags_ms.is_empty() {
        return 0.0;
    }
    let stale = replica_lags_ms
        .iter()
        .filter(|&&lag| read_delay_ms < lag)
        .count();
    stale as f64 / replica_lags_ms.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamo_3_2_2_overlaps_and_tolerates_one_down() {
        let q = quorum(3, 2, 2);
        assert!(q.read_write_overlap && q.write_write_overlap);
        assert_eq!(
            (q.writes_tolerate_unavailable, q.reads_tolerate_unavailable),
            (1, 1)
        );
        assert_eq!(majority_quorum(3), 2);
        assert_eq!(majority_quorum(5), 3);
    }

    #[test]
    fn a_read_just_inside_the_lag_is_stale_and_one_at_the_lag_is_fresh() {
        assert_eq!(
            read_after_write(0.0, 200.0, 199.0, ReadFrom::Follower),
            ReadResult::Stale
        );
        assert_eq!(
            read_after_write(0.0, 200.0, 200.0, ReadFrom::Follower),
            ReadResult::Fresh
        );
        assert!((p_stale_read(&[0.0, 150.0, 300.0], 100.0) - 2.0 / 3.0).abs() < 1e-15);
    }
}
