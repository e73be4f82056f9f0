//! A replicated store whose consistency mode can be switched at any tick, globally or
//! per data class: by default cart and checkout strong, inventory BASE, recommendations
//! eventual; conflicts resolved by LWW, a CRDT or the cart's merge (docs/models.md#consistency).
//!
//! ```text
//!              reads, writes per class
//!                      │
//!   Strong ─── quorum R/W of N: write waits for W−1 peer acks; R+W>N ⇒ no stale read
//!   Causal ─── async; the session's own reads go to the leader (+1 round trip)
//!   Eventual ─ async, local; a follower read within the lag L of the key's last write is stale
//!              own reads routed: replicas (local) | leader_after_write (leader within W of the
//!              write) | sticky_session (the replica that took the write)
//!                      │
//!   partition ─▶ sides (minority m replicas / share c of clients, majority N−m / 1−c)
//!        Strong: a side with fewer than W (R) replicas refuses writes (reads) → availability
//!        Causal, Eventual: both sides accept writes → keys written on both sides conflict
//!   conflicts ─▶ last-writer-wins (one version lost; clock skew loses more) | CRDT | app merge
//! ```
//!
//! Staleness is a closed form (no per-request sampling): with W writes/s spread over K
//! keys a key is written at λ = W/K per s, so a random read lands within the lag L of its
//! key's last write with probability 1 − e^(−λL); a session's own read, D ms after its
//! write on average, is stale with probability 1 − e^(−L/D) (the `lag-01` rule
//! `stale iff t < L` averaged over an exponential delay). Leader reads are fresh, so only
//! the (N−1)/N of reads served by followers can be stale (`p_stale_read` over the replicas).
//! An eventual class's [`ReadRouting`] moves the own reads: within W of the write to the
//! leader (stale only when W ≤ t < L: e^(−W/D) − e^(−L/D)), or to the replica that took the
//! write (never stale); each one that leaves the local replica pays one round trip in the
//! store's read latency. Own-write stale reads are counted apart (`own_stale_reads_rps`).

use serde::{Deserialize, Serialize};

use super::latency::{mixture_quantile, AckLatency};
use crate::sim::consistency_math::{quorum, QuorumProperties};

/// A class of data with its own consistency needs (docs/models.md#default-figures).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataClass {
    /// Shopping cart (ACID by default).
    Cart,
    /// Checkout and payment (ACID by default).
    Checkout,
    /// Inventory (BASE by default).
    Inventory,
    /// Recommendations (eventual by default).
    Recommendations,
}
crate::named_enum!(DataClass {
    Cart = "cart",
    Checkout = "checkout",
    Inventory = "inventory",
    Recommendations = "recommendations",
});

impl DataClass {
    /// Every class, in index order.
    pub const ALL: [DataClass; 4] = [
        DataClass::Cart,
        DataClass::Checkout,
        DataClass::Inventory,
        DataClass::Recommendations,
    ];

    /// Index into per-class arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DataClass::Cart => "cart",
            DataClass::Checkout => "checkout",
            DataClass::Inventory => "inventory",
            DataClass::Recommendations => "recommendations",
        }
    }
}

/// Number of data classes.
pub const CLASSES: usize = 4;

/// A consistency mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsistencyMode {
    /// Linearizable via quorum (R + W > N) or synchronous replication (W = N).
    Strong,
    /// Causal with session guarantees (read-your-writes).
    Causal,
    /// Asynchronous replication, local reads.
    Eventual,
}
crate::named_enum!(ConsistencyMode {
    Strong = "strong",
    Causal = "causal",
    Eventual = "eventual",
});

/// How concurrent versions of a key are merged (Causal and Eventual).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictResolution {
    /// The newest timestamp wins; the other version is lost, and clock skew loses more.
    LastWriterWins,
    /// Conflict-free replicated data types merge every version.
    Crdt,
    /// The application merges (the shopping cart keeps every added item).
    ApplicationMerge,
}
crate::named_enum!(ConflictResolution {
    LastWriterWins = "last_writer_wins",
    Crdt = "crdt",
    ApplicationMerge = "application_merge",
});

/// Where a session's reads of its own recent writes go in an eventual class
/// (docs/models.md#read-your-writes-routing). Other reads always go to the client's local
/// replica; Causal classes always send their own reads to the leader (as
/// [`ReadRouting::LeaderAfterWrite`] with no end to the window); Strong classes read a quorum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadRouting {
    /// Every read goes to the client's local replica (a follower for (N − 1)/N of the
    /// clients): an own read within the lag L of its write is stale.
    #[default]
    Replicas,
    /// A session's reads within `leader_window_ms` of its own write go to the leader: fresh,
    /// at one round trip for a client whose local replica is a follower; later reads go
    /// to the local replica (Kleppmann, *DDIA* ch. 5, "Reading Your Own Writes": read from the
    /// leader for a minute after the last update).
    LeaderAfterWrite,
    /// A session's reads go to the replica that took its write: always fresh; a round
    /// trip unless that replica is the client's local one (with S write sites, local for
    /// S/N of the clients; the leader alone when S = 1).
    StickySession,
}
crate::named_enum!(ReadRouting {
    Replicas = "replicas",
    LeaderAfterWrite = "leader_after_write",
    StickySession = "sticky_session",
});

impl ReadRouting {
    /// Every routing, in the order of the `consistency.read_routing` knob's choices.
    pub const ALL: [ReadRouting; 3] = [
        ReadRouting::Replicas,
        ReadRouting::LeaderAfterWrite,
        ReadRouting::StickySession,
    ];
}

/// P(t ≥ x) for a delay t ~ Exp(mean `mean_ms`) [probability]; with no delay (mean ≤ 0)
/// every read comes at t = 0, so 1 when x ≤ 0, else 0.
fn later_than(x_ms: f64, mean_ms: f64) -> f64 {
    if mean_ms > 0.0 {
        (-x_ms / mean_ms).exp()
    } else {
        f64::from(u8::from(x_ms <= 0.0))
    }
}

/// The probability that a session's own read, made t ~ Exp(mean `delay_ms`) after its write by
/// a client whose local replica is a follower `lag_ms` behind, returns the version from before
/// the write [probability]. A follower read is stale iff t < L (the `lag-01` rule):
///
/// ```text
///   replicas            P(t < L)                 = 1 − e^(−L/D)
///   leader_after_write  P(W ≤ t < L)             = e^(−W/D) − e^(−L/D)  when W < L, else 0
///   sticky_session      0  (the replica that took the write has it)
/// ```
///
/// The store multiplies it by the (N − 1)/N of clients whose local replica is a follower.
pub fn p_own_read_stale(routing: ReadRouting, lag_ms: f64, delay_ms: f64, window_ms: f64) -> f64 {
    match routing {
        ReadRouting::Replicas => 1.0 - later_than(lag_ms, delay_ms),
        ReadRouting::LeaderAfterWrite => {
            (later_than(window_ms, delay_ms) - later_than(lag_ms, delay_ms)).max(0.0)
        }
        ReadRouting::StickySession => 0.0,
    }
}

/// One data class's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassConfig {
    /// Consistency mode.
    pub mode: ConsistencyMode,
    /// Conflict resolution.
    pub resolution: ConflictResolution,
    /// Share of the store's reads [fraction, normalised over classes].
    pub read_share: f64,
    /// Share of the store's writes [fraction, normalised over classes].
    pub write_share: f64,
    /// Keys being written (the working set) [keys].
    pub keys: f64,
}

/// The store's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Replicas N.
    pub replicas: u32,
    /// Replicas a strong read queries, R.
    pub read_quorum: u32,
    /// Acks a strong write waits for, W (W = N: synchronous replication).
    pub write_quorum: u32,
    /// Independent write sites in Causal/Eventual (1 = single leader; ≥ 2 = multi-leader/leaderless).
    pub write_sites: u32,
    /// Local write cost [ms].
    pub local_write_ms: f64,
    /// Local read cost [ms].
    pub local_read_ms: f64,
    /// Mean exponential jitter of a local op or a round trip [ms].
    pub jitter_ms: f64,
    /// Replica round trip when the input gives none [ms].
    pub default_rtt_ms: f64,
    /// Retransmission timeout after a lost packet [ms] (TCP's minimum RTO is 200 ms).
    pub rto_ms: f64,
    /// Share of reads that are a session reading its own recent write [fraction].
    pub session_read_fraction: f64,
    /// Mean delay between a session's write and its own read [ms] (exponential).
    pub session_read_delay_ms: f64,
    /// Where an eventual class sends a session's reads of its own writes.
    pub read_routing: ReadRouting,
    /// With [`ReadRouting::LeaderAfterWrite`], how long after its write a session reads from
    /// the leader [ms] (default 60,000: DDIA's "for one minute after the last update").
    pub leader_window_ms: f64,
    /// Per class, indexed by [`DataClass::index`].
    pub classes: [ClassConfig; CLASSES],
}

impl StoreConfig {
    /// The default leader window [ms]: Kleppmann's "for one minute after the last update"
    /// (*DDIA* ch. 5, "Reading Your Own Writes").
    pub const DEFAULT_LEADER_WINDOW_MS: f64 = 60_000.0;
}

impl Default for StoreConfig {
    /// The hybrid of docs/models.md#default-figures: cart and checkout strong, inventory BASE (causal), recommendations eventual.
    fn default() -> Self {
        let class = |mode, resolution, read_share, write_share, keys| ClassConfig {
            mode,
            resolution,
            read_share,
            write_share,
            keys,
        };
        use ConflictResolution::*;
        use ConsistencyMode::*;
        StoreConfig {
            replicas: 3,
            read_quorum: 2,
            write_quorum: 2,
            write_sites: 1,
            local_write_ms: 2.0,
            local_read_ms: 1.0,
            jitter_ms: 1.0,
            default_rtt_ms: 10.0,
            rto_ms: 200.0,
            session_read_fraction: 0.1,
            session_read_delay_ms: 50.0,
            read_routing: ReadRouting::Replicas,
            leader_window_ms: Self::DEFAULT_LEADER_WINDOW_MS,
            classes: [
                class(Strong, ApplicationMerge, 0.2, 0.4, 10_000.0),
                class(Strong, LastWriterWins, 0.1, 0.2, 10_000.0),
                class(Causal, LastWriterWins, 0.3, 0.3, 5_000.0),
                class(Eventual, Crdt, 0.4, 0.1, 50_000.0),
            ],
        }
    }
}

/// What the store is offered this tick.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreInput {
    /// Reads reaching the store [req/s].
    pub reads_rps: f64,
    /// Writes reaching the store [req/s].
    pub writes_rps: f64,
    /// Asynchronous replication lag of the followers [ms] (from the database model): the age
    /// of their last applied write (MySQL `Seconds_Behind_Source`), so a read is stale when
    /// its key was written within this window.
    pub replica_lag_ms: f64,
    /// Round trip between replicas [ms]; 0 = `default_rtt_ms`.
    pub replica_rtt_ms: f64,
}

/// One class's (or the total's) results for a tick. Counts are per tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassTick {
    /// Reads offered [req/s].
    pub reads_rps: f64,
    /// Writes offered [req/s].
    pub writes_rps: f64,
    /// Reads refused (no read quorum on the caller's side) [req/s]: errors, reason "no quorum".
    pub failed_reads_rps: f64,
    /// Writes refused (no write quorum on the caller's side) [req/s]: errors, reason "no quorum".
    pub failed_writes_rps: f64,
    /// Served reads that returned stale data [req/s].
    pub stale_reads_rps: f64,
    /// Stale share of the served reads [%].
    pub stale_read_pct: f64,
    /// Of the stale reads, those of a session reading its own write before it reached the
    /// replica that served the read [req/s].
    pub own_stale_reads_rps: f64,
    /// Own-write stale reads as a share of the served reads [%] (part of `stale_read_pct`).
    pub own_stale_read_pct: f64,
    /// Conflicting concurrent versions created this tick [keys].
    pub conflicts: f64,
    /// Writes lost this tick (last-writer-wins) [writes].
    pub lost_writes: f64,
    /// Of those, lost because clock skew ordered them wrongly [writes].
    pub lost_to_skew: f64,
    /// Write latency p50 over served writes [ms].
    pub write_p50_ms: f64,
    /// Write latency p99 over served writes [ms].
    pub write_p99_ms: f64,
    /// Read latency p99 over served reads [ms].
    pub read_p99_ms: f64,
    /// Served / offered reads and writes [fraction]; 1 with nothing offered.
    pub availability: f64,
}

/// Per-class and total results of a tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreTick {
    /// Indexed by [`DataClass::index`].
    pub classes: [ClassTick; CLASSES],
    /// Over all classes.
    pub total: ClassTick,
}

/// Cumulative counts of one class since the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassTotals {
    /// Reads offered [req].
    pub reads: f64,
    /// Writes offered [req].
    pub writes: f64,
    /// Reads refused [req].
    pub failed_reads: f64,
    /// Writes refused [req].
    pub failed_writes: f64,
    /// Stale reads [req].
    pub stale_reads: f64,
    /// Of those, a session's reads of its own write [req].
    pub own_stale_reads: f64,
    /// Conflicts [keys].
    pub conflicts: f64,
    /// Lost writes [writes].
    pub lost_writes: f64,
    /// Lost writes due to clock skew [writes].
    pub lost_to_skew: f64,
}

/// A network partition of the replicas and their clients.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionFault {
    /// Replicas cut off on the minority side.
    pub minority_replicas: u32,
    /// Share of the clients on the minority side [fraction].
    pub minority_clients: f64,
}

/// Everything that decides the per-class latency distributions (the cache key).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct LatencyKey {
    modes: [ConsistencyMode; CLASSES],
    /// (N, R, W).
    quorum: [u32; 3],
    rtt_ms: f64,
    packet_loss: f64,
    partition: Option<PartitionFault>,
    /// Share of an eventual class's own reads that leave the client's local replica.
    eventual_remote: f64,
}

/// The total's cache key: the per-class key and the served shares of each class.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct TotalKey {
    base: LatencyKey,
    /// Served read and write shares per class, quantised to 1/[`SHARE_STEPS`].
    read_w: [u32; CLASSES],
    write_w: [u32; CLASSES],
}

/// Resolution of the class shares that weight the total's latency mixture.
const SHARE_STEPS: f64 = 32.0;

/// The latency parts of each class: writes by side, reads by side × (plain, session).
#[derive(Clone, Copy, Debug)]
struct Parts {
    writes: [[(f64, AckLatency); 2]; CLASSES],
    reads: [[(f64, AckLatency); 4]; CLASSES],
}

/// The replicated store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicatedStore {
    config: StoreConfig,
    partition: Option<PartitionFault>,
    /// Packet loss on the replica links [fraction of packets].
    packet_loss: f64,
    /// Clock skew between write sites [ms].
    clock_skew_ms: f64,
    /// Per class, the share of keys written on each side since the partition began: [minority, majority].
    divergence: [[f64; 2]; CLASSES],
    totals: [ClassTotals; CLASSES],
    /// Per class (write p50, write p99, read p99) [ms] and the key they were computed for.
    class_cache: Option<(LatencyKey, [[f64; 3]; CLASSES])>,
    /// The total's (write p50, write p99, read p99) [ms] and its key.
    total_cache: Option<(TotalKey, [f64; 3])>,
    last: StoreTick,
}

impl ReplicatedStore {
    /// A store with `config`, no fault.
    pub fn new(config: StoreConfig) -> Self {
        ReplicatedStore {
            config,
            partition: None,
            packet_loss: 0.0,
            clock_skew_ms: 0.0,
            divergence: [[0.0; 2]; CLASSES],
            totals: [ClassTotals::default(); CLASSES],
            class_cache: None,
            total_cache: None,
            last: StoreTick::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// Switches the mode of one class (`Some`) or of every class (`None`), effective next tick.
    pub fn set_mode(&mut self, class: Option<DataClass>, mode: ConsistencyMode) {
        for c in DataClass::ALL {
            if class.is_none_or(|x| x == c) {
                self.config.classes[c.index()].mode = mode;
            }
        }
    }

    /// Switches the conflict resolution of one class or of every class.
    pub fn set_resolution(&mut self, class: Option<DataClass>, resolution: ConflictResolution) {
        for c in DataClass::ALL {
            if class.is_none_or(|x| x == c) {
                self.config.classes[c.index()].resolution = resolution;
            }
        }
    }

    /// Changes the quorum (R, W); N stays.
    pub fn set_quorum(&mut self, read_quorum: u32, write_quorum: u32) {
        self.config.read_quorum = read_quorum;
        self.config.write_quorum = write_quorum;
    }

    /// The (N, R, W) quorum's properties (docs/models.md#consistency).
    pub fn quorum(&self) -> QuorumProperties {
        quorum(
            self.config.replicas,
            self.config.read_quorum,
            self.config.write_quorum,
        )
    }

    /// Fault: a network partition; `None` heals it (divergent versions merge, divergence resets).
    pub fn set_partition(&mut self, partition: Option<PartitionFault>) {
        self.partition = partition.map(|p| PartitionFault {
            minority_replicas: p.minority_replicas.min(self.config.replicas),
            minority_clients: p.minority_clients.clamp(0.0, 1.0),
        });
        if self.partition.is_none() {
            self.divergence = [[0.0; 2]; CLASSES];
        }
    }

    /// Fault: packet loss on the replica links [fraction of packets].
    pub fn set_packet_loss(&mut self, loss: f64) {
        self.packet_loss = if loss.is_finite() {
            loss.clamp(0.0, 1.0)
        } else {
            0.0
        };
    }

    /// Fault: clock skew between write sites [ms].
    pub fn set_clock_skew_ms(&mut self, skew_ms: f64) {
        self.clock_skew_ms = if skew_ms.is_finite() {
            skew_ms.max(0.0)
        } else {
            0.0
        };
    }

    /// The partition in force.
    pub fn partition(&self) -> Option<PartitionFault> {
        self.partition
    }

    /// Cumulative counts of a class.
    pub fn totals(&self, class: DataClass) -> ClassTotals {
        self.totals[class.index()]
    }

    /// Keys with versions on both sides of the partition, per class [keys].
    pub fn divergent_keys(&self, class: DataClass) -> f64 {
        let d = self.divergence[class.index()];
        d[0] * d[1] * self.config.classes[class.index()].keys
    }

    /// The last tick's output.
    pub fn last(&self) -> StoreTick {
        self.last
    }

    /// The sides as (replicas, client share): one side without a partition.
    fn sides(&self) -> [(u32, f64); 2] {
        let n = self.config.replicas.max(1);
        match self.partition {
            Some(p) if p.minority_replicas > 0 || p.minority_clients > 0.0 => [
                (p.minority_replicas, p.minority_clients),
                (n - p.minority_replicas, 1.0 - p.minority_clients),
            ],
            _ => [(0, 0.0), (n, 1.0)],
        }
    }

    /// The share of an eventual class's own reads (a session reading its write) that leave
    /// the client's local replica and pay one round trip [fraction of own reads]:
    ///
    /// ```text
    ///   replicas            0
    ///   leader_after_write  (N − 1)/N · P(t < W) = (N − 1)/N · (1 − e^(−W/D))
    ///   sticky_session      1 − min(S, N)/N     (S write sites; the leader alone when S = 1)
    /// ```
    pub fn eventual_remote(&self) -> f64 {
        let cfg = &self.config;
        let n = cfg.replicas.max(1);
        match cfg.read_routing {
            ReadRouting::Replicas => 0.0,
            ReadRouting::LeaderAfterWrite => {
                f64::from(n - 1) / f64::from(n)
                    * (1.0 - later_than(cfg.leader_window_ms, cfg.session_read_delay_ms))
            }
            ReadRouting::StickySession => {
                1.0 - f64::from(cfg.write_sites.clamp(1, n)) / f64::from(n)
            }
        }
    }

    /// Changes where an eventual class's own reads go (and the leader window [ms], for
    /// [`ReadRouting::LeaderAfterWrite`]), effective next tick.
    pub fn set_read_routing(&mut self, routing: ReadRouting, leader_window_ms: f64) {
        self.config.read_routing = routing;
        if leader_window_ms.is_finite() {
            self.config.leader_window_ms = leader_window_ms.max(0.0);
        }
    }

    /// Advances one tick of `dt_s` at `now_s`.
    #[must_use]
    pub fn tick(&mut self, _now_s: f64, dt_s: f64, input: &StoreInput) -> StoreTick {
        let cfg = &self.config;
        let dt = dt_s.max(0.0);
        let reads = nonneg(input.reads_rps);
        let writes = nonneg(input.writes_rps);
        let rtt = if input.replica_rtt_ms > 0.0 && input.replica_rtt_ms.is_finite() {
            input.replica_rtt_ms
        } else {
            cfg.default_rtt_ms
        };
        let loss = self.packet_loss;
        // A round trip retransmits when the request or the reply is lost.
        let q = 1.0 - (1.0 - loss) * (1.0 - loss);
        // Lost packets delay replication too.
        let lag_s = (nonneg(input.replica_lag_ms) + q * cfg.rto_ms) / 1000.0;
        let n = cfg.replicas.max(1);
        let followers = f64::from(n - 1) / f64::from(n);
        let sides = self.sides();
        let read_sum: f64 = cfg.classes.iter().map(|c| nonneg(c.read_share)).sum();
        let write_sum: f64 = cfg.classes.iter().map(|c| nonneg(c.write_share)).sum();
        let qp = quorum(n, cfg.read_quorum, cfg.write_quorum);
        // Hypergeometric: a read quorum of R misses all W replicas holding the write.
        let p_miss = if qp.read_write_overlap {
            0.0
        } else {
            choose(n - cfg.write_quorum.min(n), cfg.read_quorum) / choose(n, cfg.read_quorum)
        };
        let session = cfg.session_read_fraction.clamp(0.0, 1.0);
        // An eventual class's own read on a follower, by its routing.
        let p_session_stale = p_own_read_stale(
            cfg.read_routing,
            lag_s * 1000.0,
            cfg.session_read_delay_ms,
            cfg.leader_window_ms,
        );
        let eventual_remote = self.eventual_remote();
        let sites = f64::from(cfg.write_sites.max(1));
        let skew_s = self.clock_skew_ms / 1000.0;

        let mut out = StoreTick::default();
        let mut tot = ClassTotals::default();
        for c in DataClass::ALL {
            let i = c.index();
            let cc = cfg.classes[i];
            let r = if read_sum > 0.0 {
                reads * nonneg(cc.read_share) / read_sum
            } else {
                0.0
            };
            let w = if write_sum > 0.0 {
                writes * nonneg(cc.write_share) / write_sum
            } else {
                0.0
            };
            let keys = cc.keys.max(1.0);
            let lambda_key = w / keys; // writes per key per s
            let p_recent = 1.0 - (-lambda_key * lag_s).exp();
            let mut ct = ClassTick {
                reads_rps: r,
                writes_rps: w,
                ..ClassTick::default()
            };
            let mut served_r = 0.0;
            let mut stale = 0.0;
            let mut own_stale = 0.0;
            let mut failed_w = 0.0;
            let mut conflicts = 0.0;
            let mut lost = 0.0;
            let mut lost_skew = 0.0;
            match cc.mode {
                ConsistencyMode::Strong => {
                    for (k, share) in sides {
                        let (ok_w, ok_r) =
                            (k >= cfg.write_quorum.max(1), k >= cfg.read_quorum.max(1));
                        if !ok_w {
                            failed_w += w * share;
                        }
                        if ok_r {
                            served_r += r * share;
                            stale += r * share * p_miss * p_recent;
                        }
                    }
                }
                ConsistencyMode::Causal | ConsistencyMode::Eventual => {
                    let ryw = cc.mode == ConsistencyMode::Causal;
                    let partitioned = self.partition.is_some();
                    for (s, (k, share)) in sides.into_iter().enumerate() {
                        if k == 0 {
                            failed_w += w * share;
                            continue;
                        }
                        let other = self.divergence[i][1 - s];
                        let p_other = if partitioned { other } else { 0.0 };
                        let session_stale = if ryw { 0.0 } else { p_session_stale };
                        let p = followers * (session * session_stale + (1.0 - session) * p_recent);
                        let p = 1.0 - (1.0 - p) * (1.0 - p_other);
                        served_r += r * share;
                        stale += r * share * p;
                        own_stale += r * share * followers * session * session_stale;
                    }
                    // Concurrent writes from different sites within the lag conflict.
                    if sites > 1.0 {
                        let other_site = 1.0 - 1.0 / sites;
                        let conc = w * dt * other_site * p_recent;
                        conflicts += conc;
                        if cc.resolution == ConflictResolution::LastWriterWins {
                            lost += conc;
                            if skew_s > lag_s {
                                let skewed = w
                                    * dt
                                    * other_site
                                    * 0.5
                                    * ((-lambda_key * lag_s).exp() - (-lambda_key * skew_s).exp());
                                lost += skewed;
                                lost_skew += skewed;
                            }
                        }
                    }
                    // Partition: both sides accept writes; keys written on both sides conflict.
                    if partitioned && sides[0].0 > 0 && sides[1].0 > 0 {
                        let before = self.divergence[i][0] * self.divergence[i][1];
                        for (s, (_, share)) in sides.into_iter().enumerate() {
                            let l = lambda_key * share;
                            let d = &mut self.divergence[i][s];
                            *d += (1.0 - *d) * (1.0 - (-l * dt).exp());
                        }
                        let after = self.divergence[i][0] * self.divergence[i][1];
                        let new = (after - before).max(0.0) * keys;
                        conflicts += new;
                        if cc.resolution == ConflictResolution::LastWriterWins {
                            lost += new;
                        }
                    }
                }
            }
            let failed_r = r - served_r;
            ct.failed_reads_rps = failed_r;
            ct.failed_writes_rps = failed_w;
            ct.stale_reads_rps = stale;
            ct.stale_read_pct = pct(stale, served_r);
            ct.own_stale_reads_rps = own_stale;
            ct.own_stale_read_pct = pct(own_stale, served_r);
            ct.conflicts = conflicts;
            ct.lost_writes = lost;
            ct.lost_to_skew = lost_skew;
            ct.availability = if r + w > 0.0 {
                (r + w - failed_r - failed_w) / (r + w)
            } else {
                1.0
            };
            let t = &mut self.totals[i];
            t.reads += r * dt;
            t.writes += w * dt;
            t.failed_reads += failed_r * dt;
            t.failed_writes += failed_w * dt;
            t.stale_reads += stale * dt;
            t.own_stale_reads += own_stale * dt;
            t.conflicts += conflicts;
            t.lost_writes += lost;
            t.lost_to_skew += lost_skew;
            tot.reads += r;
            tot.writes += w;
            tot.failed_reads += failed_r;
            tot.failed_writes += failed_w;
            tot.stale_reads += stale;
            tot.own_stale_reads += own_stale;
            tot.conflicts += conflicts;
            tot.lost_writes += lost;
            tot.lost_to_skew += lost_skew;
            out.classes[i] = ct;
        }
        let served_r = tot.reads - tot.failed_reads;
        out.total = ClassTick {
            reads_rps: tot.reads,
            writes_rps: tot.writes,
            failed_reads_rps: tot.failed_reads,
            failed_writes_rps: tot.failed_writes,
            stale_reads_rps: tot.stale_reads,
            stale_read_pct: pct(tot.stale_reads, served_r),
            own_stale_reads_rps: tot.own_stale_reads,
            own_stale_read_pct: pct(tot.own_stale_reads, served_r),
            conflicts: tot.conflicts,
            lost_writes: tot.lost_writes,
            lost_to_skew: tot.lost_to_skew,
            availability: if tot.reads + tot.writes > 0.0 {
                (tot.reads + tot.writes - tot.failed_reads - tot.failed_writes)
                    / (tot.reads + tot.writes)
            } else {
                1.0
            },
            ..ClassTick::default()
        };

        // Latencies, recomputed only when what decides them changes.
        let quant = |x: f64, sum: f64| {
            if sum > 0.0 {
                (nonneg(x) / sum * SHARE_STEPS).round() as u32
            } else {
                0
            }
        };
        let key = LatencyKey {
            modes: [0, 1, 2, 3].map(|i| cfg.classes[i].mode),
            quorum: [n, cfg.read_quorum, cfg.write_quorum],
            rtt_ms: rtt,
            packet_loss: loss,
            partition: self.partition,
            eventual_remote,
        };
        let total_key = TotalKey {
            base: key,
            read_w: [0, 1, 2, 3].map(|i| {
                quant(
                    out.classes[i].reads_rps - out.classes[i].failed_reads_rps,
                    served_r,
                )
            }),
            write_w: [0, 1, 2, 3].map(|i| {
                quant(
                    out.classes[i].writes_rps - out.classes[i].failed_writes_rps,
                    tot.writes - tot.failed_writes,
                )
            }),
        };
        let classes = match self.class_cache {
            Some((k, l)) if k == key => l,
            _ => {
                let parts = self.parts(&key, rtt, q, sides);
                let l = parts.writes.iter().zip(&parts.reads).map(|(w, r)| {
                    [
                        mixture_quantile(w, 0.5),
                        mixture_quantile(w, 0.99),
                        mixture_quantile(r, 0.99),
                    ]
                });
                let mut arr = [[0.0; 3]; CLASSES];
                for (a, x) in arr.iter_mut().zip(l) {
                    *a = x;
                }
                self.class_cache = Some((key, arr));
                arr
            }
        };
        let total = match self.total_cache {
            Some((k, l)) if k == total_key => l,
            _ => {
                let parts = self.parts(&key, rtt, q, sides);
                let mut all_w = [(0.0, AckLatency::default()); 2 * CLASSES];
                let mut all_r = [(0.0, AckLatency::default()); 4 * CLASSES];
                for i in 0..CLASSES {
                    let ww = f64::from(total_key.write_w[i]);
                    let rw = f64::from(total_key.read_w[i]);
                    for (j, (w, d)) in parts.writes[i].into_iter().enumerate() {
                        all_w[2 * i + j] = (w * ww, d);
                    }
                    for (j, (w, d)) in parts.reads[i].into_iter().enumerate() {
                        all_r[4 * i + j] = (w * rw, d);
                    }
                }
                let l = [
                    mixture_quantile(&all_w, 0.5),
                    mixture_quantile(&all_w, 0.99),
                    mixture_quantile(&all_r, 0.99),
                ];
                self.total_cache = Some((total_key, l));
                l
            }
        };
        for (c, [w50, w99, r99]) in out.classes.iter_mut().zip(classes) {
            c.write_p50_ms = w50;
            c.write_p99_ms = w99;
            c.read_p99_ms = r99;
        }
        let [w50, w99, r99] = total;
        out.total.write_p50_ms = w50;
        out.total.write_p99_ms = w99;
        out.total.read_p99_ms = r99;
        self.last = out;
        out
    }

    /// The write and read latency parts of each class, weighted by client side.
    fn parts(&self, key: &LatencyKey, rtt: f64, q: f64, sides: [(u32, f64); 2]) -> Parts {
        let cfg = &self.config;
        let net = |acks: u32, peers: u32| AckLatency {
            base_ms: 0.0,
            rtt_ms: rtt,
            jitter_ms: cfg.jitter_ms,
            acks,
            peers,
            retransmit_p: q,
            rto_ms: cfg.rto_ms,
        };
        let session = cfg.session_read_fraction.clamp(0.0, 1.0);
        let n = cfg.replicas.max(1);
        let followers = f64::from(n - 1) / f64::from(n);
        let mut out = Parts {
            writes: [[(0.0, AckLatency::default()); 2]; CLASSES],
            reads: [[(0.0, AckLatency::default()); 4]; CLASSES],
        };
        for i in 0..CLASSES {
            let wp = &mut out.writes[i];
            let rp = &mut out.reads[i];
            for (s, (k, share)) in sides.into_iter().enumerate() {
                if k == 0 || share <= 0.0 {
                    continue;
                }
                match key.modes[i] {
                    ConsistencyMode::Strong => {
                        let wq = cfg.write_quorum.max(1);
                        let rq = cfg.read_quorum.max(1);
                        let quorum_wait = |acks: u32, base_ms: f64| AckLatency {
                            base_ms,
                            ..if acks > 1 {
                                net(acks - 1, k - 1)
                            } else {
                                AckLatency::local(0.0, cfg.jitter_ms)
                            }
                        };
                        if k >= wq {
                            wp[s] = (share, quorum_wait(wq, cfg.local_write_ms));
                        }
                        if k >= rq {
                            rp[2 * s] = (share, quorum_wait(rq, cfg.local_read_ms));
                        }
                    }
                    ConsistencyMode::Causal | ConsistencyMode::Eventual => {
                        wp[s] = (share, AckLatency::local(cfg.local_write_ms, cfg.jitter_ms));
                        let local = AckLatency::local(cfg.local_read_ms, cfg.jitter_ms);
                        // The share of the session's own reads that leave the local replica
                        // (to the leader, or to the replica that took the write): one round
                        // trip each. Causal sends every own read to the leader.
                        let remote = match key.modes[i] {
                            ConsistencyMode::Causal => followers,
                            ConsistencyMode::Eventual => key.eventual_remote,
                            // Read by quorum in the arm above.
                            ConsistencyMode::Strong => 0.0,
                        };
                        if k > 1 && remote > 0.0 {
                            let own = session * remote;
                            rp[2 * s] = (share * (1.0 - own), local);
                            rp[2 * s + 1] = (
                                share * own,
                                AckLatency {
                                    base_ms: cfg.local_read_ms,
                                    ..net(1, 1)
                                },
                            );
                        } else {
                            rp[2 * s] = (share, local);
                        }
                    }
                }
            }
        }
        out
    }
}

/// C(n, k) as f64.
fn choose(n: u32, k: u32) -> f64 {
    if k > n {
        return 0.0;
    }
    let mut c = 1.0;
    for j in 0..k {
        c = c * f64::from(n - j) / f64::from(j + 1);
    }
    c
}

/// 100·a/b, 0 when b is 0.
fn pct(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        100.0 * a / b
    } else {
        0.0
    }
}

/// `x` when finite and positive, else 0.
fn nonneg(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::consistency_math::p_stale_read;

    fn single_class(mode: ConsistencyMode) -> StoreConfig {
        let mut cfg = StoreConfig {
            session_read_fraction: 0.0,
            ..StoreConfig::default()
        };
        for (i, c) in cfg.classes.iter_mut().enumerate() {
            c.mode = mode;
            c.read_share = f64::from(u8::from(i == 0));
            c.write_share = f64::from(u8::from(i == 0));
            c.keys = 1_000.0;
        }
        cfg
    }

    #[test]
    fn eventual_stale_reads_match_the_replica_lag_rule_averaged_over_write_ages() {
        let mut s = ReplicatedStore::new(single_class(ConsistencyMode::Eventual));
        let input = StoreInput {
            reads_rps: 10_000.0,
            writes_rps: 500.0,
            replica_lag_ms: 400.0,
            replica_rtt_ms: 10.0,
        };
        let out = s.tick(0.0, 1.0, &input).total;
        // λ = 0.5 writes per key per s; the read's delay since the key's last write is Exp(λ).
        let lags = [0.0, 400.0, 400.0]; // the leader and two followers
        let (steps, lambda) = (200_000, 0.5);
        let mut p = 0.0;
        for j in 0..steps {
            let u = (f64::from(j) + 0.5) / f64::from(steps);
            let delay_ms = -(1.0 - u).ln() / lambda * 1000.0;
            p += p_stale_read(&lags, delay_ms);
        }
        p /= f64::from(steps);
        assert!(
            (out.stale_read_pct / 100.0 - p).abs() < 1e-4,
            "{} vs {p}",
            out.stale_read_pct
        );
    }

    #[test]
    fn own_read_staleness_matches_the_hand_computed_closed_forms() {
        // L = 100 ms, D = 50 ms.
        let (l, d) = (100.0, 50.0);
        let replicas = p_own_read_stale(ReadRouting::Replicas, l, d, 0.0);
        assert!(
            (replicas - 0.864_664_716_763_387_3).abs() < 1e-15,
            "1 − e^−2"
        );
        // A window longer than the lag: every read before L went to the leader.
        assert_eq!(
            p_own_read_stale(ReadRouting::LeaderAfterWrite, l, d, 200.0),
            0.0
        );
        assert_eq!(
            p_own_read_stale(ReadRouting::LeaderAfterWrite, l, d, 100.0),
            0.0
        );
        // W = 20 ms: reads in [20, 100) ms reach a follower that lacks the write.
        let short = p_own_read_stale(ReadRouting::LeaderAfterWrite, l, d, 20.0);
        let want = 0.670_320_046_035_639_3 - 0.135_335_283_236_612_7; // e^−0.4 − e^−2
        assert!((short - want).abs() < 1e-15, "{short} vs {want}");
        // A zero window is no routing at all.
        let none = p_own_read_stale(ReadRouting::LeaderAfterWrite, l, d, 0.0);
        assert!((none - replicas).abs() < 1e-15);
        assert_eq!(p_own_read_stale(ReadRouting::StickySession, l, d, 0.0), 0.0);
        // Reads at once after the write (D = 0): stale on a lagging follower, unless routed.
        assert_eq!(p_own_read_stale(ReadRouting::Replicas, l, 0.0, 0.0), 1.0);
        assert_eq!(p_own_read_stale(ReadRouting::Replicas, 0.0, 0.0, 0.0), 0.0);
        assert_eq!(
            p_own_read_stale(ReadRouting::LeaderAfterWrite, l, 0.0, 1.0),
            0.0
        );
    }

    /// One eventual class, 10,000 reads/s of which 10 % are own reads 50 ms (mean) after the
    /// write, 100 ms of lag, 80 ms between replicas, N = 3.
    fn routed(routing: ReadRouting, window_ms: f64, write_sites: u32) -> ClassTick {
        let mut cfg = single_class(ConsistencyMode::Eventual);
        cfg.session_read_fraction = 0.1;
        cfg.session_read_delay_ms = 50.0;
        cfg.write_sites = write_sites;
        let mut s = ReplicatedStore::new(cfg);
        s.set_read_routing(routing, window_ms);
        let input = StoreInput {
            reads_rps: 10_000.0,
            writes_rps: 500.0,
            replica_lag_ms: 100.0,
            replica_rtt_ms: 80.0,
        };
        s.tick(0.0, 1.0, &input).total
    }

    #[test]
    fn routing_moves_own_stale_reads_and_leaves_the_others() {
        let base = routed(ReadRouting::Replicas, 0.0, 1);
        // 10,000 × (N − 1)/N × 10 % × (1 − e^−2).
        let own = 10_000.0 * 2.0 / 3.0 * 0.1 * (1.0 - (-2.0f64).exp());
        assert!((base.own_stale_reads_rps - own).abs() < 1e-9, "{base:?}");
        assert!((base.own_stale_read_pct - own / 100.0).abs() < 1e-9);
        // Other readers of a key written within the lag: λ = 0.5/s per key, L = 0.1 s.
        let other = 10_000.0 * 2.0 / 3.0 * 0.9 * (1.0 - (-0.05f64).exp());
        assert!((base.stale_reads_rps - own - other).abs() < 1e-9);
        let short = routed(ReadRouting::LeaderAfterWrite, 20.0, 1);
        let want = 10_000.0 * 2.0 / 3.0 * 0.1 * ((-0.4f64).exp() - (-2.0f64).exp());
        assert!((short.own_stale_reads_rps - want).abs() < 1e-9, "{short:?}");
        for r in [
            routed(ReadRouting::LeaderAfterWrite, 200.0, 1),
            routed(ReadRouting::StickySession, 0.0, 1),
            routed(ReadRouting::StickySession, 0.0, 3),
        ] {
            assert_eq!(r.own_stale_reads_rps, 0.0, "{r:?}");
            assert!((r.stale_reads_rps - other).abs() < 1e-9, "{r:?}");
        }
    }

    #[test]
    fn own_reads_sent_away_from_the_local_replica_pay_the_round_trip() {
        let local = routed(ReadRouting::Replicas, 0.0, 1).read_p99_ms;
        assert!(local < 10.0, "{local}");
        // 10 % × 2/3 × (1 − e^−4) = 6.5 % of reads go to the leader: the p99 is a round trip.
        let leader = routed(ReadRouting::LeaderAfterWrite, 200.0, 1).read_p99_ms;
        assert!(leader > 80.0 && leader < 90.0, "{leader}");
        // Sticky with one write site: the leader took the write, so the same trip.
        let sticky = routed(ReadRouting::StickySession, 0.0, 1).read_p99_ms;
        assert!(sticky > 80.0, "{sticky}");
        // With a write site in every replica's place the replica that took it is local.
        let multi = routed(ReadRouting::StickySession, 0.0, 3).read_p99_ms;
        assert_eq!(multi, local);
        // A 1 ms window sends 0.1 × 2/3 × (1 − e^−0.02) = 0.13 % of reads: under the 1 %.
        let brief = routed(ReadRouting::LeaderAfterWrite, 1.0, 1).read_p99_ms;
        assert!(brief < 10.0, "{brief}");
    }

    #[test]
    fn causal_own_reads_are_fresh_and_leave_only_the_followers() {
        let mut cfg = single_class(ConsistencyMode::Causal);
        cfg.session_read_fraction = 0.1;
        let mut s = ReplicatedStore::new(cfg);
        let input = StoreInput {
            reads_rps: 10_000.0,
            writes_rps: 500.0,
            replica_lag_ms: 100.0,
            replica_rtt_ms: 80.0,
        };
        let c = s.tick(0.0, 1.0, &input).total;
        assert_eq!(c.own_stale_reads_rps, 0.0);
        assert!(c.read_p99_ms > 80.0, "{c:?}");
        // The routing does not apply to causal classes.
        s.set_read_routing(ReadRouting::LeaderAfterWrite, 1.0);
        assert_eq!(s.tick(1.0, 1.0, &input).total, c);
    }

    #[test]
    fn synchronous_replication_pays_the_round_trip_and_reads_nothing_stale() {
        let mut s = ReplicatedStore::new(single_class(ConsistencyMode::Strong));
        s.set_quorum(1, 3);
        let out = s
            .tick(
                0.0,
                1.0,
                &StoreInput {
                    reads_rps: 1_000.0,
                    writes_rps: 1_000.0,
                    replica_lag_ms: 1_000.0,
                    replica_rtt_ms: 80.0,
                },
            )
            .total;
        assert_eq!(out.stale_read_pct, 0.0);
        assert!(out.write_p50_ms > 82.0 && out.write_p50_ms < 90.0);
        assert!(out.read_p99_ms < 10.0, "R = 1 reads locally");
    }

    #[test]
    fn a_strong_minority_refuses_exactly_its_clients_and_healing_restores_them() {
        let mut s = ReplicatedStore::new(single_class(ConsistencyMode::Strong));
        let input = StoreInput {
            reads_rps: 900.0,
            writes_rps: 100.0,
            replica_lag_ms: 50.0,
            replica_rtt_ms: 10.0,
        };
        s.set_partition(Some(PartitionFault {
            minority_replicas: 1,
            minority_clients: 0.25,
        }));
        let out = s.tick(0.0, 1.0, &input).total;
        assert!((out.availability - 0.75).abs() < 1e-12);
        assert!((out.failed_writes_rps - 25.0).abs() < 1e-12);
        s.set_partition(None);
        assert_eq!(s.tick(1.0, 1.0, &input).total.availability, 1.0);
    }

    #[test]
    fn conflicts_accumulate_as_both_sides_write_the_same_keys_during_a_partition() {
        let mut s = ReplicatedStore::new(single_class(ConsistencyMode::Eventual));
        let input = StoreInput {
            reads_rps: 0.0,
            writes_rps: 1_000.0,
            replica_lag_ms: 0.0,
            replica_rtt_ms: 10.0,
        };
        s.set_partition(Some(PartitionFault {
            minority_replicas: 1,
            minority_clients: 0.5,
        }));
        let mut total = 0.0;
        for t in 0..10 {
            total += s.tick(f64::from(t), 1.0, &input).total.conflicts;
        }
        // Each side writes a key at 0.5/s: after 10 s, (1 − e^−5)² of the 1,000 keys diverge.
        let expect = 1_000.0 * (1.0 - (-5.0f64).exp()).powi(2);
        assert!((total - expect).abs() < 1e-6, "{total} vs {expect}");
        assert!((s.divergent_keys(DataClass::Cart) - expect).abs() < 1e-6);
        // The cart merges its versions (an application merge): nothing is lost.
        assert_eq!(s.totals(DataClass::Cart).lost_writes, 0.0);
    }
}
