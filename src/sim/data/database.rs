//! The database: shards, each a primary with N read replicas, behind the pods' connection pools.
//!
//! ```text
//!   pods ─[pools: 50/pod vs max_connections]─▶ router ─▶ shard i (by hash / range / geo)
//!                                                          ├─ writes (10 %) ─▶ primary ──replication──▶ replicas
//!                                                          └─ reads  (90 %) ─▶ replicas (primary if none)
//! ```
//!
//! By default 1 primary and 2 read replicas per shard, 90 % reads to the replicas and
//! 10 % writes to the primary, `max_connections = 1000` and 50 connections per pod
//! (docs/models.md#database).
//! Per tick and per shard:
//! 1. **Pools** ([`connection_pool`](super::connection_pool)): queries wait for a
//!    connection (bounded by the pool timeout) then fail; 21 pods × 50 > 1,000.
//! 2. **Routing**: writes to the primary; reads evenly to the ready replicas, to
//!    the primary when there is none. A failed primary fails writes (and a disk
//!    that is full fails them too); reads keep flowing to the replicas.
//! 3. **Service**: each instance is an M/M/c queue of `workers`
//!    parallel query slots, with the mean service time of its read/write mix.
//!    Query latency = M/M/c wait + service; above capacity the excess waits in
//!    the instance's backlog (fluid), and the backlog's drain time adds latency.
//!    A slow database holds connections longer, so the pools then saturate too.
//! 4. **Replication**: each replica replays the primary's writes at most at
//!    `apply_capacity_wps` (single-threaded replay). The lag is the **age of
//!    the last applied write**: now minus the commit time, on the primary, of
//!    the newest write the replica has replayed. That is what MySQL's
//!    `Seconds_Behind_Source` (SHOW REPLICA STATUS) and PostgreSQL's
//!    `now() − pg_last_xact_replay_timestamp()` report. The shard keeps the
//!    primary's commit history ([`CommitLog`]: cumulative writes against time)
//!    and reads the commit time of the replica's replay position off it. When
//!    writes outpace the replay (W > μ for T seconds from a caught-up start) the
//!    lag is T·(1 − μ/W), not the backlog's drain time backlog/μ = T·(W − μ)/μ;
//!    when writes fall below μ the age keeps growing while the replica replays
//!    the old, denser writes, then shrinks to zero as it catches up. A caught-up
//!    replica lags by the link latency plus the M/M/1 replay time 1/(μ − λ)
//!    (the apply time). A lag-spike fault adds to it. Stale reads
//!    ([`consistency`](crate::sim::consistency)) and the writes lost at a
//!    region failover ([`geo`](crate::sim::geo)) use this lag as their window.
//! 5. **Failover**: after a primary failure, writes fail until the failure is
//!    detected (`failover_detection_s`) and the most caught-up replica is
//!    promoted (`promotion_s`). Asynchronous replication loses the writes the
//!    promoted replica had not replayed (its replay backlog, plus the writes on
//!    the link and those of a lag spike), counted as lost writes.
//!    With no replica, the primary restarts after `restart_s`.
//! 6. **Slow changes** (a database cannot autoscale fast, so it is pre-scaled): a new
//!    replica or a bigger instance class is a pending change that completes minutes later.

use super::connection_pool::{PoolConfig, PoolDemand, PoolGrant, PoolGroupTimes, PoolState};
use super::sharding::ShardingConfig;
use crate::sim::queueing::{erlang_c_light, mm1};
use serde::{Deserialize, Serialize};

use crate::sim::queueing::RHO_CAP;

/// −ln(0.01): the 99th percentile of an exponential, in means.
const LN_100: f64 = 4.605_170_185_988_091;

/// The database's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Connection pools.
    pub pool: PoolConfig,
    /// Sharding.
    pub sharding: ShardingConfig,
    /// Read replicas per shard at start (default 2).
    pub replicas: u32,
    /// Parallel query slots of one instance (cores) [workers].
    pub workers: u32,
    /// Mean service time of a read [ms].
    pub read_ms: f64,
    /// Mean service time of a write [ms].
    pub write_ms: f64,
    /// Writes per second a replica can replay [writes/s].
    pub apply_capacity_wps: f64,
    /// One-way latency of the replication link [ms].
    pub link_latency_ms: f64,
    /// Time to notice a dead primary [s].
    pub failover_detection_s: f64,
    /// Time to promote a replica [s].
    pub promotion_s: f64,
    /// Time for a primary with no replica to restart [s].
    pub restart_s: f64,
    /// Time to provision a new replica (snapshot, restore, catch up) [s].
    pub replica_provision_s: f64,
    /// Time to move to a bigger instance class [s].
    pub resize_s: f64,
}

impl DatabaseConfig {
    /// Checks the hot key's shard against the shard count. Errors: (field path, message).
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.sharding.hot_key_shard >= self.sharding.shards {
            return Err((
                "database.sharding.hot_key_shard".into(),
                format!(
                    "must be a shard index below shards ({}), got {}",
                    self.sharding.shards, self.sharding.hot_key_shard
                ),
            ));
        }
        Ok(())
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            pool: PoolConfig::default(),
            sharding: ShardingConfig::default(),
            replicas: 2,
            workers: 32,
            read_ms: 2.0,
            write_ms: 5.0,
            apply_capacity_wps: 4000.0,
            link_latency_ms: 1.0,
            failover_detection_s: 30.0,
            promotion_s: 30.0,
            restart_s: 300.0,
            replica_provision_s: 600.0,
            resize_s: 900.0,
        }
    }
}

/// One tick's input.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DbInput {
    /// App pods running, each with its pool.
    pub pods: u32,
    /// Reads arriving this tick [queries] (cache misses, …).
    pub reads: f64,
    /// Writes arriving this tick [queries].
    pub writes: f64,
}

/// Failed queries this tick, by reason [queries].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbFailures {
    /// Reads that waited out the pool timeout.
    pub pool_timeout_reads: f64,
    /// Writes that waited out the pool timeout.
    pub pool_timeout_writes: f64,
    /// Writes refused because the primary is down (failover in progress);
    /// also the queries queued on a primary when it died.
    pub primary_down: f64,
    /// Writes refused because the disk is full.
    pub disk_full: f64,
    /// Reads with no instance to serve them.
    pub unavailable_reads: f64,
}

impl DbFailures {
    /// All failures.
    pub fn total(&self) -> f64 {
        self.pool_timeout_reads
            + self.pool_timeout_writes
            + self.primary_down
            + self.disk_full
            + self.unavailable_reads
    }
}

/// One tick's output. Conservation over a run: queries in = served + failed + [`Database::waiting`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbOutput {
    /// Reads in [queries].
    pub reads: f64,
    /// Writes in [queries].
    pub writes: f64,
    /// Reads completed [queries].
    pub reads_served: f64,
    /// Writes committed [queries].
    pub writes_served: f64,
    /// Failures by reason.
    pub failed: DbFailures,
    /// Queries waiting (for a connection or in an instance's backlog) at the end [queries].
    pub waiting: f64,
    /// Mean latency of a completed read: pool wait + DB wait + service [ms].
    pub read_latency_ms: f64,
    /// 99th percentile read latency (sum of the parts' p99s, an upper bound) [ms].
    pub read_p99_ms: f64,
    /// Mean latency of a committed write [ms].
    pub write_latency_ms: f64,
    /// 99th percentile write latency [ms].
    pub write_p99_ms: f64,
    /// Mean wait for a connection [ms].
    pub pool_wait_ms: f64,
    /// Per pool group: connections got, pool timeouts and waits (all shards).
    pub pool_groups: PoolGroupTimes,
    /// Pods with their full pool, and pods with part of one (the rest have none).
    pub pool_pods: (u32, u32),
    /// Mean time of a read in the database, queueing and service, without the pool wait [ms].
    pub read_service_ms: f64,
    /// Mean time of a write in the database, queueing and service, without the pool wait [ms].
    pub write_service_ms: f64,
    /// Connections the pods ask for per shard [connections].
    pub connections_wanted: u32,
    /// Connections granted per shard [connections].
    pub connections_granted: u32,
    /// Connections busy, over all shards [connections].
    pub connections_in_use: f64,
    /// Largest replica lag [ms]: the age of a replica's last applied write (see [`Replica::lag_ms`]).
    pub max_replica_lag_ms: f64,
    /// Highest instance utilization [0..1].
    pub max_utilization: f64,
    /// Writes lost when a replica was promoted this tick [writes].
    pub lost_writes: f64,
    /// Failovers that completed this tick (a replica promoted or the primary restarted).
    pub failovers_completed: u32,
}

/// A replica's lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReplicaState {
    /// Being created; serves nothing until `ready_at_s`.
    Provisioning {
        /// [s]
        ready_at_s: f64,
    },
    /// Serving reads and replaying writes.
    Ready,
}

/// One database server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Parallel query slots [workers].
    pub workers: u32,
    /// Reads waiting inside the server [queries].
    pub read_backlog: f64,
    /// Writes waiting inside the server [queries].
    pub write_backlog: f64,
    /// Utilization last tick [0..1].
    pub utilization: f64,
    /// Reads completed per second last tick [queries/s].
    pub reads_per_s: f64,
    /// Writes committed per second last tick [queries/s].
    pub writes_per_s: f64,
}

/// What an instance did in a tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Served {
    reads: f64,
    writes: f64,
    mean_wait_ms: f64,
    p99_wait_ms: f64,
}

impl Instance {
    fn new(workers: u32) -> Self {
        Instance {
            workers,
            ..Instance::default()
        }
    }

    fn backlog(&self) -> f64 {
        self.read_backlog + self.write_backlog
    }

    /// Serves `reads` and `writes` [queries] arriving this tick plus the backlog.
    fn serve(&mut self, dt: f64, reads: f64, writes: f64, read_ms: f64, write_ms: f64) -> Served {
        let (or, ow) = (self.read_backlog + reads, self.write_backlog + writes);
        let work_ms = or * read_ms + ow * write_ms;
        let cap_ms = f64::from(self.workers.max(1)) * 1000.0 * dt;
        let frac = if work_ms > cap_ms {
            cap_ms / work_ms
        } else {
            1.0
        };
        let out_r = or * frac;
        let out_w = ow * frac;
        self.read_backlog = or - out_r;
        self.write_backlog = ow - out_w;
        // Queueing wait from this tick's arrivals (M/M/c), plus the backlog's drain time.
        let n = reads + writes;
        let (mut mean_wait_ms, mut p99_wait_ms) = (0.0, 0.0);
        if n > 0.0 {
            let service_ms = (reads * read_ms + writes * write_ms) / n;
            let mu = 1000.0 / service_ms.max(1e-6);
            let c = self.workers.max(1);
            let lambda = (n / dt).min(RHO_CAP * f64::from(c) * mu);
            // M/M/c wait (docs/models.md#queueing): Erlang C by the multiply-add recursion (per tick, per instance).
            let theta = f64::from(c) * mu - lambda;
            if lambda > 0.0 && theta > 0.0 {
                let p_wait = erlang_c_light(c, lambda / mu);
                mean_wait_ms = p_wait / theta * 1000.0;
                p99_wait_ms = if p_wait > 0.01 {
                    (p_wait / 0.01).ln() / theta * 1000.0
                } else {
                    0.0
                };
            }
        }
        let drain_ms = (self.read_backlog * read_ms + self.write_backlog * write_ms)
            / f64::from(self.workers.max(1));
        self.utilization = (work_ms / cap_ms).min(1.0);
        self.reads_per_s = out_r / dt;
        self.writes_per_s = out_w / dt;
        Served {
            reads: out_r,
            writes: out_w,
            mean_wait_ms: mean_wait_ms + drain_ms,
            p99_wait_ms: p99_wait_ms + drain_ms,
        }
    }
}

/// A read replica.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    /// Lifecycle.
    pub state: ReplicaState,
    /// The server.
    pub instance: Instance,
    /// Writes received but not yet replayed [writes].
    pub apply_backlog: f64,
    /// Replication lag [ms]: the age of the last applied write (`Seconds_Behind_Source`),
    /// plus the link latency and a lag spike; the apply time when caught up.
    pub lag_ms: f64,
}

/// A primary failure being handled.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failover {
    /// When the primary died [s].
    pub failed_at_s: f64,
    /// When writes succeed again [s].
    pub done_at_s: f64,
    /// A replica will be promoted (else the primary restarts).
    pub promote: bool,
    /// Writes the promotion loses [writes].
    pub lost_writes: f64,
}

/// One shard: a primary, its replicas and the pods' pools to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// The primary (down while `failover` is set).
    pub primary: Instance,
    /// Replicas, including those being provisioned.
    pub replicas: Vec<Replica>,
    /// The pods' pools to this shard.
    pub pool: PoolState,
    /// A primary failure in progress.
    pub failover: Option<Failover>,
    /// Share of the reads routed here last tick [0..1].
    pub read_share: f64,
    /// Share of the writes routed here last tick [0..1].
    pub write_share: f64,
    /// Mean time a query held a connection last tick [s].
    pub hold_s: f64,
    /// Lag-spike fault: extra lag [ms] until `lag_spike_until_s`.
    pub lag_spike_ms: f64,
    /// End of the lag spike [s].
    pub lag_spike_until_s: f64,
    /// Queries the shard received per second last tick [queries/s].
    pub queries_per_s: f64,
    /// Writes the primary has committed since the start [writes].
    pub committed: f64,
    /// The primary's commit history, for the age of the replicas' replay positions.
    pub commits: CommitLog,
}

impl Shard {
    /// Replicas serving reads.
    pub fn ready_replicas(&self) -> usize {
        self.replicas
            .iter()
            .filter(|r| r.state == ReplicaState::Ready)
            .count()
    }

    /// The primary is up.
    pub fn primary_up(&self) -> bool {
        self.failover.is_none()
    }

    fn waiting(&self) -> f64 {
        self.pool.waiting()
            + self.primary.backlog()
            + self
                .replicas
                .iter()
                .map(|r| r.instance.backlog())
                .sum::<f64>()
    }
}

/// A resize in progress.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingResize {
    /// When it completes [s].
    pub ready_at_s: f64,
    /// Workers per instance afterwards.
    pub workers: u32,
}

/// Cumulative counts since the start [queries].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DbTotals {
    /// Queries in.
    pub queries_in: f64,
    /// Queries served.
    pub served: f64,
    /// Queries failed.
    pub failed: f64,
    /// Writes lost at failovers.
    pub lost_writes: f64,
}

/// The database's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Database {
    /// Configuration.
    pub config: DatabaseConfig,
    /// Shards.
    pub shards: Vec<Shard>,
    /// Fault: the disk is full, writes fail.
    pub disk_full: bool,
    /// A bigger instance class on its way.
    pub pending_resize: Option<PendingResize>,
    /// Queries failed outside a tick (queued on a primary that died) [queries].
    pub carried_failures: f64,
    /// Cumulative counts.
    pub totals: DbTotals,
    /// The last tick's output.
    pub last: DbOutput,
}

impl Database {
    /// A healthy database with the configured shards and replicas.
    pub fn new(config: DatabaseConfig) -> Self {
        let shards = (0..config.sharding.count())
            .map(|_| Shard {
                primary: Instance::new(config.workers),
                replicas: (0..config.replicas)
                    .map(|_| Replica {
                        state: ReplicaState::Ready,
                        instance: Instance::new(config.workers),
                        apply_backlog: 0.0,
                        lag_ms: 0.0,
                    })
                    .collect(),
                pool: PoolState::default(),
                failover: None,
                read_share: 0.0,
                write_share: 0.0,
                hold_s: config.read_ms / 1000.0,
                lag_spike_ms: 0.0,
                lag_spike_until_s: 0.0,
                queries_per_s: 0.0,
                committed: 0.0,
                commits: CommitLog::default(),
            })
            .collect();
        Database {
            config,
            shards,
            disk_full: false,
            pending_resize: None,
            carried_failures: 0.0,
            totals: DbTotals::default(),
            last: DbOutput::default(),
        }
    }

    /// Queries waiting now, for a connection or inside a server [queries].
    pub fn waiting(&self) -> f64 {
        self.shards.iter().map(Shard::waiting).sum()
    }

    /// Whether the primary of `shard` is down (a failover under way).
    pub fn primary_failed(&self, shard: usize) -> bool {
        self.shards.get(shard).is_some_and(|s| s.failover.is_some())
    }

    /// The operator restarts the failed primary of `shard` at `now_s`: the failover under
    /// way ends at the next tick with the old primary back, no replica promoted and no
    /// writes lost to a promotion. Returns false when its primary is up.
    pub fn restart_primary(&mut self, shard: usize, now_s: f64) -> bool {
        let Some(f) = self.shards.get_mut(shard).and_then(|s| s.failover.as_mut()) else {
            return false;
        };
        f.done_at_s = now_s;
        f.promote = false;
        f.lost_writes = 0.0;
        true
    }

    /// Fault: the primary of `shard` dies at `now_s`. Its queued queries fail.
    pub fn fail_primary(&mut self, shard: usize, now_s: f64) {
        let c = &self.config;
        let Some(s) = self.shards.get_mut(shard) else {
            return;
        };
        if s.failover.is_some() {
            return;
        }
        let lost_queue = s.primary.backlog();
        s.primary.read_backlog = 0.0;
        s.primary.write_backlog = 0.0;
        self.carried_failures += lost_queue;
        self.totals.failed += lost_queue;
        let best_lag_ms = s
            .replicas
            .iter()
            .filter(|r| r.state == ReplicaState::Ready)
            .map(|r| r.lag_ms)
            .fold(f64::INFINITY, f64::min);
        let promote = best_lag_ms.is_finite();
        let done_at_s = now_s
            + c.failover_detection_s.max(0.0)
            + if promote {
                c.promotion_s.max(0.0)
            } else {
                c.restart_s.max(0.0)
            };
        // The writes the most caught-up replica has not replayed: its replay backlog, plus
        // the write rate over the rest of its lag (the link, a lag spike, the apply time of a
        // caught-up replica): write rate × lag at a steady rate, exact for a replay backlog.
        let lost_writes = match best_replica(&s.replicas) {
            Some(i) if promote => {
                let r = &s.replicas[i];
                let age_s = s.commits.age_s(s.committed - r.apply_backlog, now_s);
                let rest_ms = (r.lag_ms - 1000.0 * age_s).max(0.0);
                r.apply_backlog + s.primary.writes_per_s * rest_ms / 1000.0
            }
            Some(_) | None => 0.0,
        };
        s.failover = Some(Failover {
            failed_at_s: now_s,
            done_at_s,
            promote,
            lost_writes,
        });
    }

    /// Fault: the replication lag of `shard` jumps by `extra_ms` until `until_s`.
    pub fn inject_lag_ms(&mut self, shard: usize, extra_ms: f64, until_s: f64) {
        if let Some(s) = self.shards.get_mut(shard) {
            s.lag_spike_ms = extra_ms.max(0.0);
            s.lag_spike_until_s = until_s;
        }
    }

    /// Fault: the disk is full (writes fail) or has room again.
    pub fn disk_full(&mut self, full: bool) {
        self.disk_full = full;
    }

    /// Fault: the share of queries on the hottest key changes (a celebrity posts).
    pub fn set_hot_key_share(&mut self, share: f64) {
        self.config.sharding.hot_key_share = share.clamp(0.0, 1.0);
    }

    /// Asks for one more replica on every shard; it serves from `now_s + replica_provision_s`.
    pub fn add_replica(&mut self, now_s: f64) {
        let ready_at_s = now_s + self.config.replica_provision_s.max(0.0);
        let workers = self.config.workers;
        for s in &mut self.shards {
            s.replicas.push(Replica {
                state: ReplicaState::Provisioning { ready_at_s },
                instance: Instance::new(workers),
                apply_backlog: 0.0,
                lag_ms: 0.0,
            });
        }
    }

    /// Asks for a bigger (or smaller) instance class with `workers` per instance,
    /// effective at `now_s + resize_s`.
    pub fn resize(&mut self, now_s: f64, workers: u32) {
        self.pending_resize = Some(PendingResize {
            ready_at_s: now_s + self.config.resize_s.max(0.0),
            workers: workers.max(1),
        });
    }

    /// Advances one tick of `dt_s` [s] from `now_s` [s].
    #[must_use]
    pub fn tick(&mut self, now_s: f64, dt_s: f64, input: &DbInput) -> DbOutput {
        let dt = dt_s.max(1e-9);
        let reads_in = input.reads.max(0.0);
        let writes_in = input.writes.max(0.0);
        self.complete_pending(now_s);
        let c = &self.config;
        let grant = PoolGrant::new(input.pods, &c.pool);
        let mut out = DbOutput {
            reads: reads_in,
            writes: writes_in,
            connections_wanted: grant.wanted,
            connections_granted: grant.granted,
            pool_pods: (grant.full_pods, grant.partial_pods),
            ..DbOutput::default()
        };
        let carried = self.carried_failures;
        out.failed.primary_down = carried;
        self.carried_failures = 0.0;
        let (mut r_lat, mut r_p99, mut w_lat, mut w_p99, mut pool_wait) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let mut admitted_total = 0.0;
        let (mut r_service, mut w_service) = (0.0, 0.0);

        for (i, s) in self.shards.iter_mut().enumerate() {
            s.read_share = c.sharding.read_share(i);
            s.write_share = c.sharding.write_share(i);
            let r = reads_in * s.read_share;
            let w = writes_in * s.write_share;
            s.queries_per_s = (r + w) / dt;

            // 1. Pools.
            let demand = PoolDemand {
                pods: input.pods,
                reads: r,
                writes: w,
                hold_s: s.hold_s,
                age_s: now_s + dt,
            };
            let p = s.pool.tick(&c.pool, &grant, dt, &demand);
            out.failed.pool_timeout_reads += p.timed_out_reads;
            out.failed.pool_timeout_writes += p.timed_out_writes;
            out.connections_in_use += p.in_use;
            out.pool_groups.merge(&p.groups);

            // 2. Routing.
            let mut to_primary_w = 0.0;
            if s.failover.is_some() {
                out.failed.primary_down += p.writes;
            } else if self.disk_full {
                out.failed.disk_full += p.writes;
            } else {
                to_primary_w = p.writes;
            }
            let ready = s.ready_replicas();
            let mut to_primary_r = 0.0;
            let mut per_replica_r = 0.0;
            if ready > 0 {
                per_replica_r = p.reads / ready as f64;
            } else if s.failover.is_none() {
                to_primary_r = p.reads;
            } else {
                out.failed.unavailable_reads += p.reads;
            }

            // 3. Service.
            let mut shard_r_served = 0.0;
            let mut shard_w_served = 0.0;
            let (mut sr_lat, mut sr_p99, mut sw_lat) = (0.0, 0.0, 0.0);
            let mut committed = 0.0;
            if s.failover.is_none() {
                let sv = s
                    .primary
                    .serve(dt, to_primary_r, to_primary_w, c.read_ms, c.write_ms);
                shard_r_served += sv.reads;
                shard_w_served += sv.writes;
                committed = sv.writes;
                sr_lat += sv.reads * (sv.mean_wait_ms + c.read_ms);
                sr_p99 += sv.reads * (sv.p99_wait_ms + c.read_ms * LN_100);
                sw_lat = sv.writes * (sv.mean_wait_ms + c.write_ms);
                w_lat += sw_lat + sv.writes * p.wait_ms;
                w_p99 += sv.writes * (sv.p99_wait_ms + c.write_ms * LN_100 + p.wait_ms);
                out.max_utilization = out.max_utilization.max(s.primary.utilization);
            } else {
                s.primary.utilization = 0.0;
                s.primary.reads_per_s = 0.0;
                s.primary.writes_per_s = 0.0;
            }
            let spike = if now_s < s.lag_spike_until_s {
                s.lag_spike_ms
            } else {
                0.0
            };
            let mu = c.apply_capacity_wps.max(1e-9);
            let end_s = now_s + dt;
            let before = s.committed;
            s.committed += committed;
            s.commits.record(now_s, before, end_s, s.committed);
            let mut oldest_applied = s.committed;
            for rep in s.replicas.iter_mut() {
                if rep.state != ReplicaState::Ready {
                    continue;
                }
                let sv = rep
                    .instance
                    .serve(dt, per_replica_r, 0.0, c.read_ms, c.write_ms);
                shard_r_served += sv.reads;
                sr_lat += sv.reads * (sv.mean_wait_ms + c.read_ms);
                sr_p99 += sv.reads * (sv.p99_wait_ms + c.read_ms * LN_100);
                out.max_utilization = out.max_utilization.max(rep.instance.utilization);
                // 4. Replication: replay at most μ writes per second (M/M/1 replay queue).
                rep.apply_backlog += committed;
                rep.apply_backlog -= rep.apply_backlog.min(mu * dt);
                // The age of the last applied write (Seconds_Behind_Source), at least the
                // M/M/1 apply time of a caught-up replica.
                let applied = s.committed - rep.apply_backlog;
                oldest_applied = oldest_applied.min(applied);
                let age_s = s.commits.age_s(applied, end_s);
                let lambda = (committed / dt).min(RHO_CAP * mu);
                let replay_s = mm1(lambda, mu).map_or(1.0 / mu, |q| q.mean_response_s);
                rep.lag_ms = c.link_latency_ms.max(0.0) + spike + 1000.0 * age_s.max(replay_s);
                out.max_replica_lag_ms = out.max_replica_lag_ms.max(rep.lag_ms);
            }
            s.commits.forget_before(oldest_applied);
            r_service += sr_lat;
            w_service += sw_lat;
            r_lat += sr_lat + shard_r_served * p.wait_ms;
            r_p99 += sr_p99 + shard_r_served * p.wait_ms;
            pool_wait += (p.reads + p.writes) * p.wait_ms;
            admitted_total += p.reads + p.writes;
            out.reads_served += shard_r_served;
            out.writes_served += shard_w_served;
            // A query holds its connection for its time in the database.
            let served = shard_r_served + shard_w_served;
            if served > 0.0 {
                s.hold_s = ((sr_lat + sw_lat) / served / 1000.0).max(1e-4);
            }

            // 5. Failover completes.
            if let Some(f) = s.failover {
                if now_s + dt >= f.done_at_s - 1e-9 {
                    let best = if f.promote {
                        best_replica(&s.replicas)
                    } else {
                        None
                    };
                    if let Some(idx) = best {
                        let promoted = s.replicas.remove(idx);
                        // The others now replicate from the promoted replica: what it never
                        // replayed is gone, and the commit history restarts from its position.
                        for r in &mut s.replicas {
                            r.apply_backlog = (r.apply_backlog - promoted.apply_backlog).max(0.0);
                        }
                        s.committed -= promoted.apply_backlog;
                        s.commits = CommitLog::default();
                        s.primary = promoted.instance;
                        out.lost_writes += f.lost_writes;
                        self.totals.lost_writes += f.lost_writes;
                    } else {
                        s.primary = Instance::new(s.primary.workers);
                    }
                    s.failover = None;
                    out.failovers_completed += 1;
                }
            }
        }
        // With no read completed, what a read on an idle instance takes (the service time):
        // the rebuild time a cache miss would see, never 0.
        out.read_latency_ms = if out.reads_served > 0.0 {
            avg(r_lat, out.reads_served)
        } else {
            c.read_ms
        };
        out.read_p99_ms = avg(r_p99, out.reads_served);
        out.write_latency_ms = avg(w_lat, out.writes_served);
        out.write_p99_ms = avg(w_p99, out.writes_served);
        out.pool_wait_ms = avg(pool_wait, admitted_total);
        out.read_service_ms = if out.reads_served > 0.0 {
            r_service / out.reads_served
        } else {
            c.read_ms
        };
        out.write_service_ms = if out.writes_served > 0.0 {
            w_service / out.writes_served
        } else {
            c.write_ms
        };
        out.waiting = self.waiting();
        self.totals.queries_in += reads_in + writes_in;
        self.totals.served += out.reads_served + out.writes_served;
        // The carried failures were counted when the primary died.
        self.totals.failed += out.failed.total() - carried;
        self.last = out;
        out
    }

    /// A view for the UI.
    pub fn snapshot(&self) -> DatabaseSnapshot {
        DatabaseSnapshot {
            shards: self
                .shards
                .iter()
                .map(|s| ShardSnapshot {
                    read_share: s.read_share,
                    write_share: s.write_share,
                    queries_per_s: s.queries_per_s,
                    primary_up: s.primary_up(),
                    primary_utilization: s.primary.utilization,
                    writes_per_s: s.primary.writes_per_s,
                    replicas: s
                        .replicas
                        .iter()
                        .map(|r| ReplicaSnapshot {
                            state: r.state,
                            lag_ms: r.lag_ms,
                            utilization: r.instance.utilization,
                            reads_per_s: r.instance.reads_per_s,
                        })
                        .collect(),
                    waiting_for_connection: s.pool.waiting(),
                })
                .collect(),
            connections_wanted: self.last.connections_wanted,
            connections_granted: self.last.connections_granted,
            connections_in_use: self.last.connections_in_use,
            max_connections: self.config.pool.max_connections,
            disk_full: self.disk_full,
            pending_resize: self.pending_resize,
        }
    }

    fn complete_pending(&mut self, now_s: f64) {
        for s in &mut self.shards {
            for r in &mut s.replicas {
                if let ReplicaState::Provisioning { ready_at_s } = r.state {
                    if now_s >= ready_at_s - 1e-9 {
                        r.state = ReplicaState::Ready;
                    }
                }
            }
        }
        if let Some(p) = self.pending_resize {
            if now_s >= p.ready_at_s - 1e-9 {
                self.config.workers = p.workers;
                for s in &mut self.shards {
                    s.primary.workers = p.workers;
                    for r in &mut s.replicas {
                        r.instance.workers = p.workers;
                    }
                }
                self.pending_resize = None;
            }
        }
    }
}

/// Points a [`CommitLog`] keeps.
pub const COMMIT_LOG_POINTS: usize = 32;

/// The primary's commit history: the cumulative writes committed against time,
/// as a piecewise-linear curve of at most [`COMMIT_LOG_POINTS`] points, oldest first.
///
/// Read backwards it gives the commit time of a replay position, hence the age of a
/// replica's last applied write ([`CommitLog::age_s`]). Stretches of constant write
/// rate take one segment (a new point on the same line moves the last one); when the
/// log is full, the interior point whose removal changes the curve least (the smallest
/// triangle it makes with its neighbours) goes. Points older than every replica's replay
/// position are forgotten. A fixed array: no allocation, ever.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitLog {
    /// (time [s], writes committed since the start [writes]); the first `len` are used.
    points: [[f64; 2]; COMMIT_LOG_POINTS],
    /// Points in use.
    len: usize,
}

impl CommitLog {
    /// Records a tick from `t0_s` (with `c0` writes committed) to `t1_s` (with `c1`).
    pub fn record(&mut self, t0_s: f64, c0: f64, t1_s: f64, c1: f64) {
        if self.len == 0 {
            self.points[0] = [t0_s, c0];
            self.len = 1;
        }
        let n = self.len;
        if n >= 2 {
            // The same rate as the last segment: extend it.
            let [ta, ca] = self.points[n - 2];
            let [tb, cb] = self.points[n - 1];
            let cross = (c1 - cb) * (tb - ta) - (cb - ca) * (t1_s - tb);
            let scale = (c1 - ca).abs().max(1.0) * (t1_s - ta).abs().max(1e-9);
            if cross.abs() <= 1e-12 * scale {
                self.points[n - 1] = [t1_s, c1];
                return;
            }
        }
        if n == COMMIT_LOG_POINTS {
            self.drop_flattest();
        }
        self.points[self.len] = [t1_s, c1];
        self.len += 1;
    }

    /// Removes the interior point that changes the curve least.
    fn drop_flattest(&mut self) {
        let mut best = 1;
        let mut best_area = f64::INFINITY;
        for i in 1..self.len - 1 {
            let [ta, ca] = self.points[i - 1];
            let [tb, cb] = self.points[i];
            let [tc, cc] = self.points[i + 1];
            let area = ((tb - ta) * (cc - ca) - (tc - ta) * (cb - ca)).abs();
            if area < best_area {
                best_area = area;
                best = i;
            }
        }
        self.points.copy_within(best + 1..self.len, best);
        self.len -= 1;
    }

    /// Forgets the points before the segment that holds replay position `applied` [writes].
    pub fn forget_before(&mut self, applied: f64) {
        let mut k = 0;
        while k + 2 <= self.len && self.points[k + 1][1] <= applied {
            k += 1;
        }
        // Keep the last point even when every write is applied.
        let k = k.min(self.len.saturating_sub(1));
        if k > 0 {
            self.points.copy_within(k..self.len, 0);
            self.len -= k;
        }
    }

    /// Age at `now_s` of the write at replay position `applied` [writes]: `now_s` minus the
    /// time the primary committed it [s]; 0 when every recorded write is applied.
    pub fn age_s(&self, applied: f64, now_s: f64) -> f64 {
        if self.len == 0 || applied >= self.points[self.len - 1][1] - 1e-9 {
            return 0.0;
        }
        // The first point past the position; the write was committed in the segment before it.
        let mut j = 0;
        while j < self.len && self.points[j][1] <= applied {
            j += 1;
        }
        let committed_at = if j == 0 {
            self.points[0][0]
        } else {
            let [ta, ca] = self.points[j - 1];
            let [tb, cb] = self.points[j];
            ta + (applied - ca) / (cb - ca) * (tb - ta)
        };
        (now_s - committed_at).max(0.0)
    }
}

/// The most caught-up ready replica (the first on ties).
fn best_replica(replicas: &[Replica]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, r) in replicas.iter().enumerate() {
        if r.state != ReplicaState::Ready {
            continue;
        }
        if best.is_none_or(|b| r.lag_ms < replicas[b].lag_ms) {
            best = Some(i);
        }
    }
    best
}

fn avg(weighted_sum: f64, weight: f64) -> f64 {
    if weight > 0.0 {
        weighted_sum / weight
    } else {
        0.0
    }
}

/// A replica, for the UI.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSnapshot {
    /// Lifecycle.
    pub state: ReplicaState,
    /// Replication lag [ms].
    pub lag_ms: f64,
    /// Utilization [0..1].
    pub utilization: f64,
    /// Reads served per second [queries/s].
    pub reads_per_s: f64,
}

/// A shard, for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardSnapshot {
    /// Share of the reads [0..1].
    pub read_share: f64,
    /// Share of the writes [0..1].
    pub write_share: f64,
    /// Queries arriving per second [queries/s].
    pub queries_per_s: f64,
    /// The primary is up.
    pub primary_up: bool,
    /// Primary utilization [0..1].
    pub primary_utilization: f64,
    /// Writes committed per second [queries/s].
    pub writes_per_s: f64,
    /// Replicas.
    pub replicas: Vec<ReplicaSnapshot>,
    /// Queries waiting for a connection [queries].
    pub waiting_for_connection: f64,
}

/// The database, for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseSnapshot {
    /// Shards.
    pub shards: Vec<ShardSnapshot>,
    /// Connections asked for per shard.
    pub connections_wanted: u32,
    /// Connections granted per shard.
    pub connections_granted: u32,
    /// Connections busy [connections].
    pub connections_in_use: f64,
    /// The limit per shard.
    pub max_connections: u32,
    /// Disk-full fault in force.
    pub disk_full: bool,
    /// A resize on its way.
    pub pending_resize: Option<PendingResize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(db: &mut Database, from: usize, to: usize, input: DbInput) -> DbOutput {
        let mut out = DbOutput::default();
        for t in from..to {
            out = db.tick(t as f64, 1.0, &input);
        }
        out
    }

    fn load(reads: f64, writes: f64) -> DbInput {
        DbInput {
            pods: 10,
            reads,
            writes,
        }
    }

    #[test]
    fn with_no_replica_the_primary_serves_the_reads_too() {
        let mut db = Database::new(DatabaseConfig {
            replicas: 0,
            ..DatabaseConfig::default()
        });
        let out = run(&mut db, 0, 5, load(900.0, 100.0));
        assert!((out.reads_served - 900.0).abs() < 1e-9);
        assert!((db.shards[0].primary.reads_per_s - 900.0).abs() < 1e-9);
    }

    #[test]
    fn query_latency_rises_with_utilization() {
        let lat = |reads: f64| {
            let mut db = Database::new(DatabaseConfig {
                workers: 4,
                ..DatabaseConfig::default()
            });
            run(&mut db, 0, 5, load(reads, 0.0)).read_latency_ms
        };
        // Two replicas × 4 workers × 500 reads/s = 4,000 reads/s of capacity.
        let (low, high) = (lat(400.0), lat(3_800.0));
        assert!((low - 2.0).abs() < 0.1, "{low}");
        assert!(high > 3.0 * low, "{low} {high}");
    }

    #[test]
    fn a_primary_without_replica_restarts_after_the_restart_time() {
        let mut db = Database::new(DatabaseConfig {
            replicas: 0,
            ..DatabaseConfig::default()
        });
        let _ = run(&mut db, 0, 10, load(90.0, 10.0));
        db.fail_primary(0, 10.0);
        // Detection 30 s + restart 300 s: reads fail too, there is no replica.
        let mid = run(&mut db, 10, 300, load(90.0, 10.0));
        assert!((mid.failed.unavailable_reads - 90.0).abs() < 1e-9);
        assert!((mid.failed.primary_down - 10.0).abs() < 1e-9);
        let _ = run(&mut db, 300, 340, load(90.0, 10.0));
        let after = run(&mut db, 340, 341, load(90.0, 10.0));
        assert!((after.writes_served - 10.0).abs() < 1e-9);
        assert_eq!(db.totals.lost_writes, 0.0);
    }

    #[test]
    fn the_queries_queued_on_a_dying_primary_fail() {
        let mut db = Database::new(DatabaseConfig {
            workers: 1,
            replicas: 0,
            ..DatabaseConfig::default()
        });
        // 1 worker × 200 writes/s of capacity; 400 offered builds a backlog.
        let _ = run(&mut db, 0, 3, load(0.0, 400.0));
        let queued = db.shards[0].primary.backlog();
        assert!(queued > 0.0);
        db.fail_primary(0, 3.0);
        let waiting_for_connection = db.shards[0].pool.waiting();
        let out = run(&mut db, 3, 4, load(0.0, 0.0));
        // The queued writes fail, and so do those that now get a connection.
        assert!(out.failed.primary_down >= queued - 1e-9);
        assert!(out.failed.primary_down <= queued + waiting_for_connection + 1e-9);
    }

    /// A database whose replica replays at most `apply` writes/s, fast enough to commit all.
    fn replicated(apply: f64) -> Database {
        Database::new(DatabaseConfig {
            replicas: 1,
            workers: 64,
            write_ms: 1.0,
            apply_capacity_wps: apply,
            ..DatabaseConfig::default()
        })
    }

    #[test]
    fn replica_lag_is_the_age_of_the_last_applied_write() {
        // Seconds_Behind_Source after T s of W writes/s against a replay of μ: T·(1 − μ/W).
        for &(w, mu, t) in &[
            (5_500.0, 4_200.0, 900usize),
            (2_000.0, 1_000.0, 600),
            (10_000.0, 9_000.0, 1_200),
            (3_000.0, 600.0, 300),
        ] {
            let mut db = replicated(mu);
            let out = run(&mut db, 0, t, load(0.0, w));
            let expect_s = t as f64 * (1.0 - mu / w);
            let lag_s = out.max_replica_lag_ms / 1000.0;
            assert!(
                (lag_s - expect_s).abs() < 1e-3 * expect_s + 0.01,
                "W {w} μ {mu} T {t}: {lag_s} s, expected {expect_s} s"
            );
            // Not the backlog's drain time (the old figure).
            let backlog_s = db.shards[0].replicas[0].apply_backlog / mu;
            assert!(backlog_s > lag_s * 1.05, "{backlog_s} {lag_s}");
        }
    }

    #[test]
    fn the_lag_keeps_growing_while_old_writes_replay_then_shrinks_to_the_apply_time() {
        // 5,500 writes/s for 300 s, then 2,000/s; replay 4,200/s. The replica replays the
        // dense writes until 4,200·t = 5,500·300 (t ≈ 392.9 s, lag 92.9 s), then catches up
        // at 4,200/2,000 − 1 = 1.1 s of age per s, caught up at t ≈ 477.3 s.
        let mut db = replicated(4_200.0);
        let _ = run(&mut db, 0, 300, load(0.0, 5_500.0));
        let mut peak = (0.0, 0usize);
        let mut lags = vec![0.0; 600];
        for (t, lag) in lags.iter_mut().enumerate().skip(300) {
            let out = db.tick(t as f64, 1.0, &load(0.0, 2_000.0));
            *lag = out.max_replica_lag_ms / 1000.0;
            if *lag > peak.0 {
                peak = (*lag, t + 1);
            }
        }
        assert!((peak.0 - 92.86).abs() < 0.2, "{peak:?}");
        assert!((392..=394).contains(&peak.1), "{peak:?}");
        // On the way down: the age at t = 440 s is (477.3 − 440)·1.1.
        let at_440 = lags[439];
        assert!((at_440 - 37.3 * 1.1).abs() < 0.5, "{at_440}");
        // Caught up: link latency + the M/M/1 apply time 1/(μ − λ), under a millisecond or two.
        let done = lags[599] * 1000.0;
        let apply_ms = 1000.0 / (4_200.0 - 2_000.0);
        assert!((done - (1.0 + apply_ms)).abs() < 1e-6, "{done} ms");
    }

    #[test]
    fn a_promotion_loses_the_writes_the_replica_had_not_replayed() {
        let mut db = replicated(4_000.0);
        let _ = run(&mut db, 0, 100, load(0.0, 5_000.0));
        let backlog = db.shards[0].replicas[0].apply_backlog;
        assert!((backlog - 100_000.0).abs() < 1.0, "{backlog}");
        db.fail_primary(0, 100.0);
        let f = db.shards[0].failover.expect("failing over");
        // 100,000 not replayed + 5 writes on the 1 ms link.
        assert!((f.lost_writes - 100_005.0).abs() < 1.0, "{f:?}");
    }
}
