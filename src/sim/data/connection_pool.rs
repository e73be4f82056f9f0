//! Connection pools: every app pod holds a pool against the database's `max_connections`.
//!
//! ```text
//!   pod 1  [pool: 50] ─┐
//!   pod 2  [pool: 50] ─┤
//!   …                  ├──▶ database: max_connections = 1,000
//!   pod 20 [pool: 50] ─┤        50 × 20 = 1,000 fits
//!   pod 21 [pool:  0] ─┘        the 21st pod's connections are refused
//! ```
//!
//! The usual sizing: `max_connections = 1000`, 50 connections per pod, at most 20
//! pods, so 1,000 connections in all, within the limit. Pods
//! open their pools in order; once the database has handed out
//! `max_connections`, later pods get only what is left, possibly nothing.
//!
//! A query borrows a connection for its whole latency W, so a pod with c
//! connections completes at most c/W queries per second (Little's law;
//! docs/models.md#connection-pools). Queries above that wait for a connection; a query that has waited
//! `wait_timeout_ms` fails (without a timeout the pool is exhausted
//! and stays so). A pod with no connection at all makes
//! every query wait out the timeout and fail.
//!
//! Pods are grouped by how many connections they got (full, one partial, none);
//! the load balancer spreads queries evenly over pods, so each group gets its
//! pods' share. In fluid form, the waiting line of a group holds at most the
//! queries of the last `wait_timeout` seconds: older ones have timed out.

use serde::{Deserialize, Serialize};

/// Pool settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PoolConfig {
    /// Connections each pod's pool opens (default 50).
    pub pool_size_per_pod: u32,
    /// The database's connection limit (default 1,000).
    pub max_connections: u32,
    /// How long a query waits for a connection before failing [ms].
    pub wait_timeout_ms: f64,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            pool_size_per_pod: 50,
            max_connections: 1000,
            wait_timeout_ms: 5000.0,
        }
    }
}

/// How the database's connections are shared among the pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolGrant {
    /// Connections the pods ask for: pods × pool size.
    pub wanted: u32,
    /// Connections granted: min(wanted, max_connections).
    pub granted: u32,
    /// Pods with their full pool.
    pub full_pods: u32,
    /// Connections of the one pod that got part of its pool (0 when none did).
    pub partial_connections: u32,
    /// Pods with part of their pool: 0 or 1.
    pub partial_pods: u32,
    /// Pods with no connection at all.
    pub starved_pods: u32,
}

impl PoolGrant {
    /// Pods open their pools in order until `max_connections` is reached.
    pub fn new(pods: u32, cfg: &PoolConfig) -> Self {
        let size = cfg.pool_size_per_pod;
        let wanted = pods.saturating_mul(size);
        let granted = wanted.min(cfg.max_connections);
        if size == 0 {
            return PoolGrant {
                wanted,
                granted,
                starved_pods: pods,
                ..PoolGrant::default()
            };
        }
        let full_pods = granted / size;
        let partial_connections = granted % size;
        let partial_pods = u32::from(partial_connections > 0);
        PoolGrant {
            wanted,
            granted,
            full_pods,
            partial_connections,
            partial_pods,
            starved_pods: pods - full_pods - partial_pods,
        }
    }

    /// The three groups: (pods, connections per pod).
    pub fn groups(&self, size: u32) -> [(u32, u32); 3] {
        [
            (self.full_pods, size),
            (self.partial_pods, self.partial_connections),
            (self.starved_pods, 0),
        ]
    }
}

/// What the pools let through in one tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolTick {
    /// Reads that got a connection [queries].
    pub reads: f64,
    /// Writes that got a connection [queries].
    pub writes: f64,
    /// Reads that timed out waiting [queries].
    pub timed_out_reads: f64,
    /// Writes that timed out waiting [queries].
    pub timed_out_writes: f64,
    /// Mean wait for a connection of the queries that got one [ms].
    pub wait_ms: f64,
    /// Connections busy on average (Little's law) [connections].
    pub in_use: f64,
    /// Per pool group (full, partial, none): what its pods' queries met.
    pub groups: PoolGroupTimes,
}

/// Per pool group (full pools, the partial pool, no connection): the queries that got a
/// connection, those that timed out, and the wait of the ones served. Pods in different
/// groups wait differently: a pod with no connection must not slow the pods with one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolGroupTimes {
    /// Queries that got a connection, per group [queries].
    pub served: [f64; 3],
    /// Queries that waited out the pool timeout, per group [queries].
    pub failed: [f64; 3],
    /// Mean wait of the queries served, per group [ms] (the timeout when none was).
    pub wait_ms: [f64; 3],
}

impl PoolGroupTimes {
    /// Adds another shard's groups: counts add, waits are served-weighted.
    pub fn merge(&mut self, o: &PoolGroupTimes) {
        for g in 0..3 {
            let (a, b) = (self.served[g], o.served[g]);
            self.wait_ms[g] = if a + b > 0.0 {
                (self.wait_ms[g] * a + o.wait_ms[g] * b) / (a + b)
            } else {
                self.wait_ms[g].max(o.wait_ms[g])
            };
            self.served[g] = a + b;
            self.failed[g] += o.failed[g];
        }
    }

    /// Share of group `g`'s database queries that get a connection: 1 with no traffic,
    /// 0 for a group that gets none [fraction].
    pub fn served_share(&self, g: usize) -> f64 {
        let (s, f) = (self.served[g], self.failed[g]);
        if s + f > 0.0 {
            s / (s + f)
        } else if self.wait_ms[g] > 0.0 && s == 0.0 {
            // Queries waiting, none served yet: none gets through.
            0.0
        } else {
            1.0
        }
    }
}

/// The queries that want a connection this tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PoolDemand {
    /// App pods, each with its pool.
    pub pods: u32,
    /// Reads arriving [queries].
    pub reads: f64,
    /// Writes arriving [queries].
    pub writes: f64,
    /// How long a query holds its connection [s].
    pub hold_s: f64,
    /// How long the run has lasted at the tick's end [s]: no query has waited
    /// longer, so none times out before it reaches the wait timeout.
    pub age_s: f64,
}

/// The queries waiting for a connection, per pod group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolState {
    /// Waiting reads per group (full, partial, starved) [queries].
    pub waiting_reads: [f64; 3],
    /// Waiting writes per group [queries].
    pub waiting_writes: [f64; 3],
}

impl PoolState {
    /// Queries waiting now [queries].
    pub fn waiting(&self) -> f64 {
        self.waiting_reads.iter().sum::<f64>() + self.waiting_writes.iter().sum::<f64>()
    }

    /// One tick of `dt_s` [s]: the demand's queries arrive spread evenly over its pods.
    #[must_use]
    pub fn tick(
        &mut self,
        cfg: &PoolConfig,
        grant: &PoolGrant,
        dt_s: f64,
        demand: &PoolDemand,
    ) -> PoolTick {
        let PoolDemand {
            pods,
            reads,
            writes,
            hold_s,
            age_s,
        } = *demand;
        let mut out = PoolTick::default();
        let hold = hold_s.max(1e-4);
        let timeout_s = (cfg.wait_timeout_ms / 1000.0).max(0.0);
        let mut waiting_total = 0.0;
        let mut served_total = 0.0;
        for (g, (n, c)) in grant.groups(cfg.pool_size_per_pod).into_iter().enumerate() {
            // With no pod at all, the queries have nowhere to get a connection.
            let share = if pods > 0 {
                f64::from(n) / f64::from(pods)
            } else {
                f64::from(u8::from(g == 2))
            };
            let (ar, aw) = (reads * share, writes * share);
            let (or, ow) = (self.waiting_reads[g] + ar, self.waiting_writes[g] + aw);
            let offered = or + ow;
            if offered <= 0.0 {
                self.waiting_reads[g] = 0.0;
                self.waiting_writes[g] = 0.0;
                continue;
            }
            let timeout_ms = timeout_s * 1000.0;
            let conns = f64::from(n) * f64::from(c);
            let capacity = conns * dt_s / hold;
            let served = offered.min(capacity);
            let left = offered - served;
            // Only the queries of the last `timeout` seconds may still be waiting.
            let max_wait = (ar + aw) * (timeout_s / dt_s.max(1e-9));
            let failed = if age_s < timeout_s {
                0.0
            } else {
                (left - max_wait).max(0.0)
            };
            let rf = or / offered;
            out.reads += served * rf;
            out.writes += served * (1.0 - rf);
            out.timed_out_reads += failed * rf;
            out.timed_out_writes += failed * (1.0 - rf);
            self.waiting_reads[g] = (left - failed) * rf;
            self.waiting_writes[g] = (left - failed) * (1.0 - rf);
            waiting_total += left - failed;
            served_total += served;
            out.groups.served[g] = served;
            out.groups.failed[g] = failed;
            out.groups.wait_ms[g] = if served > 0.0 {
                (1000.0 * (left - failed) / (served / dt_s.max(1e-9))).min(timeout_ms)
            } else {
                timeout_ms
            };
            out.in_use += (served / dt_s.max(1e-9) * hold).min(conns);
        }
        out.wait_ms = if served_total > 0.0 {
            (1000.0 * waiting_total / (served_total / dt_s.max(1e-9))).min(timeout_s * 1000.0)
        } else {
            0.0
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_connections_times_twenty_pods_is_exactly_one_thousand() {
        let cfg = PoolConfig::default();
        let g = PoolGrant::new(20, &cfg);
        assert_eq!(
            (g.wanted, g.granted, g.full_pods, g.starved_pods),
            (1000, 1000, 20, 0)
        );
        let g21 = PoolGrant::new(21, &cfg);
        assert_eq!(
            (g21.wanted, g21.granted, g21.full_pods, g21.starved_pods),
            (1050, 1000, 20, 1)
        );
    }

    #[test]
    fn a_partial_pool_gets_what_is_left() {
        let cfg = PoolConfig {
            max_connections: 1020,
            ..PoolConfig::default()
        };
        let g = PoolGrant::new(22, &cfg);
        assert_eq!(
            (g.full_pods, g.partial_connections, g.starved_pods),
            (20, 20, 1)
        );
    }

    #[test]
    fn a_saturated_pool_queues_then_times_out() {
        let cfg = PoolConfig::default();
        let grant = PoolGrant::new(1, &cfg);
        let mut p = PoolState::default();
        // 50 connections, 100 ms each → 500 queries/s; offer 600/s.
        let mut last = PoolTick::default();
        for i in 0..60 {
            last = p.tick(
                &cfg,
                &grant,
                1.0,
                &PoolDemand {
                    pods: 1,
                    reads: 540.0,
                    writes: 60.0,
                    hold_s: 0.1,
                    age_s: f64::from(i + 1),
                },
            );
            if i == 9 {
                // Ten seconds in: 1,000 queries wait, none has waited 5 s yet.
                assert!((p.waiting() - 1000.0).abs() < 1e-6);
                assert_eq!(last.timed_out_reads, 0.0);
            }
        }
        assert!((last.reads + last.writes - 500.0).abs() < 1e-6, "{last:?}");
        assert!(
            (last.timed_out_reads + last.timed_out_writes - 100.0).abs() < 1e-6,
            "{last:?}"
        );
        assert!((p.waiting() - 3000.0).abs() < 1e-6);
        assert!((last.in_use - 50.0).abs() < 1e-9);
    }

    #[test]
    fn no_query_times_out_before_the_run_has_lasted_the_wait_timeout() {
        // A burst of 3,000 queries, then a trickle: 2.9 s in, the burst's queries
        // have waited under the 5 s timeout, whatever the trickle says.
        let cfg = PoolConfig::default();
        let grant = PoolGrant::new(1, &cfg);
        let mut p = PoolState::default();
        let mut failed = 0.0;
        for i in 0..30 {
            let t = p.tick(
                &cfg,
                &grant,
                0.1,
                &PoolDemand {
                    pods: 1,
                    reads: if i == 0 { 3000.0 } else { 1.0 },
                    writes: 0.0,
                    hold_s: 0.1,
                    age_s: 0.1 * f64::from(i + 1),
                },
            );
            failed += t.timed_out_reads;
        }
        assert_eq!(failed, 0.0);
        assert!(p.waiting() > 1000.0, "{}", p.waiting());
    }
}
