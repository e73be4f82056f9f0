//! The data and async tiers' parts of `step`: stage 3 (Edge), stage 4's GSLB split,
//! stage 7 (Data) and the consumer group's autoscaler in stage 8.
//!
//! ```text
//!   3 edge(): arrivals ─▶ CDN ─▶ origin arrivals per class
//!   3–4 origin_mix(): the data-tier mix of what reaches the pods
//!   4 gslb(): origin ─▶ GSLB ─▶ share per region (failed by reason)
//!   7 data(): served by pods ─▶ cache ─▶ DB ◀─ Kafka consumers; store; external
//!   8 scale_consumers(): every 15 s, HPA on the External lag metric
//! ```
//!
//! No allocation: every component's tick is allocation-free; the consumer HPA's
//! metrics view (a `Vec` of consumers) is built once per 15 s sync, not per tick.

use super::super::consistency::StoreInput;
use super::super::data::cache::CacheInput;
use super::super::data::cdn::CdnInput;
use super::super::data::database::DbInput;
use super::super::data::external::share_slower_than;
use super::super::data::external::ExternalInput;
use super::super::events::SimEvent;
use super::super::failure::{FailureCounts, FailureReason};
use super::super::geo::GslbInput;
use super::super::histogram::bin_of;
use super::super::latency::{CacheTimes, ClassCalls, DataTimes};
use super::super::messaging::KafkaInput;
use super::super::protection::{BreakerChange, CallEdge, EdgeProtection, RetryOn};
use super::super::world::World;
use super::RequestMix;

/// Stage 3: the CDN serves what it can at the edge. Rewrites the class arrivals to the
/// origin's, records the edge-served latency and returns the origin arrivals [requests].
pub fn edge(w: &mut World, arrivals: f64) -> f64 {
    let mut origin = arrivals;
    if let Some(cdn) = w.data.cdn.as_mut() {
        let origin_latency_ms = w.last.p50_ms.max(1.0);
        let out = cdn.tick(
            w.now_s,
            w.tick_s,
            &CdnInput {
                class_arrivals: &w.scratch.class_arrivals,
                origin_latency_ms,
            },
        );
        for (a, o) in w
            .scratch
            .class_arrivals
            .iter_mut()
            .zip(cdn.origin_by_class())
        {
            *a = *o;
        }
        let edge_ms = cdn.config.edge_latency_ms;
        let threshold_ms = w.scenario.slo.latency_threshold_ms;
        if out.edge_hits > 0.0 {
            w.latency.add_bin(bin_of(edge_ms), out.edge_hits);
            if edge_ms <= threshold_ms {
                w.scratch.edge_fast += out.edge_hits;
            }
        }
        if out.collapsed > 0.0 {
            let ms = edge_ms + origin_latency_ms;
            w.latency.add_bin(bin_of(ms), out.collapsed);
            if ms <= threshold_ms {
                w.scratch.edge_fast += out.collapsed;
            }
        }
        let at_edge = out.edge_hits + out.collapsed;
        w.data.counters.edge_served += at_edge;
        w.data.last.cdn_hit_ratio = out.hit_ratio;
        w.data.last.cdn_offload_pct = out.offload_pct;
        origin = (arrivals - at_edge).max(0.0);
    }
    origin
}

/// Stages 3 and 4: the data-tier mix of what reaches the pods, from the class arrivals
/// as the stages before them left them (the CDN's hits, a rate limit's and the
/// shedder's refusals taken out). Kept as it was when nothing arrives.
pub fn origin_mix(w: &mut World) {
    let mut m = RequestMix::default();
    let mut total = 0.0;
    for (c, a) in w
        .scenario
        .traffic
        .classes
        .iter()
        .zip(w.scratch.class_arrivals.iter())
    {
        total += a;
        m.reads += a * c.reads;
        m.writes += a * c.writes;
        m.publishes += a * c.publishes;
        m.calls += a * c.external_calls;
        if c.reads + c.writes > 0.0 {
            m.touch_db += a;
        }
        if c.publishes > 0.0 {
            m.touch_kafka += a;
        }
        if c.external_calls > 0.0 {
            m.touch_external += a;
        }
    }
    if total > 0.0 {
        for v in [
            &mut m.reads,
            &mut m.writes,
            &mut m.publishes,
            &mut m.calls,
            &mut m.touch_db,
            &mut m.touch_kafka,
            &mut m.touch_external,
        ] {
            *v /= total;
        }
        w.data.mix = m;
    }
}

/// Stage 4 (GSLB): splits the origin arrivals over the regions. Fills the scratch
/// region shares and returns (routed, failed) [requests].
pub fn gslb(w: &mut World, origin: f64) -> (f64, f64) {
    let sc = &mut w.scratch;
    for (s, r) in sc.region_share.iter_mut().zip(w.regions.iter()) {
        *s = r.traffic_share;
    }
    let Some(g) = w.data.gslb.as_mut() else {
        w.data.gslb_latency_ms = 0.0;
        return (origin, 0.0);
    };
    let dt = w.tick_s;
    let m = w.data.mix;
    let io = m.reads + m.writes;
    let write_share = if io > 0.0 { m.writes / io } else { 0.0 };
    let lag = w.data.last.db_replica_lag_ms;
    let t = g.tick(
        w.now_s,
        dt,
        &GslbInput {
            demand_rps: origin / dt,
            write_share,
            replication_lag_ms: lag,
        },
    );
    let failed = ((t.failed_dead_region_rps
        + t.refused_sovereignty_rps
        + t.no_region_rps
        + t.dns_failed_rps)
        * dt)
        .min(origin);
    let routed = origin - failed;
    sc.region_share.iter_mut().for_each(|s| *s = 0.0);
    let rps = g.region_rps();
    let sum: f64 = rps.iter().sum();
    if sum > 0.0 {
        for (i, r) in rps.iter().enumerate() {
            if let Some(&wr) = w.data.gslb_region.get(i) {
                sc.region_share[wr as usize] += r / sum;
            }
        }
    } else {
        for (s, r) in sc.region_share.iter_mut().zip(w.regions.iter()) {
            *s = r.traffic_share;
        }
    }
    w.data.gslb_latency_ms = t.mean_latency_ms;
    w.data.counters.failures[FailureReason::RegionUnreachable] += failed;
    w.data.counters.lost_writes += t.rpo_lost_writes;
    w.data.counters.sovereignty_violations += t.sovereignty_violations_rps * dt;
    if t.failovers > 0 {
        let t_s = w.now_s;
        w.log(SimEvent::RegionFailover {
            t_s,
            regions: t.failovers,
            lost_writes: t.rpo_lost_writes,
        });
    }
    (routed, failed)
}

/// What stage 7 did to the requests the pods served [requests].
#[derive(Clone, Copy, Debug, Default)]
pub struct DataOutcome {
    /// Served requests that completed successfully this tick.
    pub ok: f64,
    /// Served requests that failed in the data tier, by reason (their sum is
    /// [`FailureCounts::data_tier`]).
    pub failures: FailureCounts,
}

/// The timeline's event of an edge's breaker `change` at `t_s`.
fn breaker_event(
    e: &EdgeProtection,
    t_s: f64,
    change: Option<BreakerChange>,
    edge: CallEdge,
) -> Option<SimEvent> {
    let b = e.breaker.as_ref()?;
    change.map(|c| c.event(t_s, &b.policy, edge))
}

/// Share of `part` in `whole`, 0 when there is none.
fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Stage 7: the requests the pods served (`served_ok`) read, write, publish and call.
/// Returns how many complete now and how many fail; the rest wait in the data queues.
pub fn data(w: &mut World, served_ok: f64) -> DataOutcome {
    let d = &mut w.data;
    if !d.has_backend() {
        d.paths.reset_none();
        return DataOutcome {
            ok: served_ok,
            failures: FailureCounts::default(),
        };
    }
    let now = w.now_s;
    let dt = w.tick_s;
    let m = d.mix;
    let reads = served_ok * m.reads;
    let writes = served_ok * m.writes;

    // Breaker changes on the dependency edges, logged at the end.
    let mut changes: [Option<SimEvent>; 8] = [None, None, None, None, None, None, None, None];
    let end = now + dt;

    // Kafka first: its consumers write to the database this tick.
    let mut publish_fail = 0.0;
    let mut consumed_writes = 0.0;
    let mut consumer_calls = 0.0;
    let mut publish_ms = 0.0;
    if let Some(k) = d.kafka.as_mut() {
        let db_ok = d
            .database
            .as_ref()
            .is_none_or(|db| !db.disk_full && db.shards.iter().all(|s| s.primary_up()));
        // Consumers with a retry policy or a breaker keep consuming: a write that fails
        // its attempts is dead-lettered. Without either they pause while the database
        // is down. Their breaker, asked before the poll, pauses the group while open
        // and lets only its trial writes through half-open (the rest wait in Kafka).
        let retrying = d.consumer_edge.is_some();
        let mut max_consumed = f64::INFINITY;
        if let Some(e) = d.consumer_edge.as_mut() {
            let (room, change) = e.permits(now);
            max_consumed = room;
            changes[6] = breaker_event(e, now, change, CallEdge::Consumer);
        }
        let t = k.tick(
            now,
            dt,
            &KafkaInput {
                publish_eps: served_ok * m.publishes / dt,
                consumer_speed: if db_ok || retrying { 1.0 } else { 0.0 },
                max_consumed,
            },
        );
        publish_fail = ratio(t.rejected_eps, t.offered_eps);
        consumed_writes = t.consumed_eps * dt;
        consumer_calls = match d.consumer_edge.as_mut() {
            Some(e) => {
                let mut calls = [0.0];
                e.offer(now, &[consumed_writes], &mut calls);
                calls[0]
            }
            None => consumed_writes,
        };
        publish_ms = t.publish_latency_ms;
        d.last.kafka_lag_messages = t.lag_messages;
        d.last.kafka_lag_s = t.lag_s;
        d.last.kafka_consumers = f64::from(k.desired_consumers());
        d.last.kafka_consumed_eps = t.consumed_eps;
    }

    // Cache-aside reads, through the pods' cache edge when it has retries or a breaker
    // (docs/models.md#retries-and-breakers-on-dependency-edges): its GETs are the
    // requests' reads and the retries of those the cache refused; the breaker's refusals
    // read the database straight away.
    let (mut db_reads, mut read_ms, mut cache_queued) = (reads, 0.0, 0.0);
    let mut cache_times = None;
    if let Some(c) = d.cache.as_mut() {
        let (mut gets, mut retry_ms) = ([reads], 0.0);
        if let Some(e) = d.cache_edge.as_mut() {
            let change = e.offer(now, &[reads], &mut gets);
            changes[0] = breaker_event(e, now, change, CallEdge::Cache);
        }
        // A down cache refuses every GET at once and takes no load: what reads the
        // database is the requests' own GETs, whatever their retries.
        let skipped = d.cache_edge.as_ref().map_or(0.0, |e| e.last.rejected);
        let admitted = reads - skipped;
        let out = c.tick(
            now,
            dt,
            &CacheInput {
                reads: if c.down { admitted } else { gets[0] },
                writes,
                db_read_latency_ms: d.db_read_latency_ms,
            },
        );
        db_reads = out.db_reads;
        if let Some(e) = d.cache_edge.as_mut() {
            // Refused: every GET while down; a shard's overflow that falls through.
            let (refused, attempt_ms) = if c.down {
                (out.reads, c.config.rtt_ms)
            } else {
                (out.overflow, out.hit_latency_ms)
            };
            let fail = ratio(refused, out.reads);
            let retryable = if e.retried(&[(RetryOn::Unavailable, 1.0)]) > 0.0 {
                fail
            } else {
                0.0
            };
            let slow = e
                .slow_call_ms()
                .map_or(0.0, |d| share_slower_than(d, 0.0, attempt_ms));
            let mut share = [0.0];
            let change = e.settle(end, &[fail], &[retryable], slow, attempt_ms, &mut share);
            changes[1] = breaker_event(e, end, change, CallEdge::Cache);
            // Up: the served GETs' misses, the requests whose every attempt was
            // refused, and the breaker's refusals. Down: every request's read.
            db_reads = if c.down {
                out.db_reads + skipped
            } else {
                (out.db_reads - out.overflow).max(0.0) + reads * share[0] + skipped
            };
            retry_ms = e.last.retry_ms;
        }
        cache_queued = out.queued;
        d.last.cache_hit_ratio = out.hit_ratio;
        let served = out.hits + out.db_reads + out.coalesced;
        let not_hit = out.db_reads + out.coalesced;
        cache_times = Some(CacheTimes {
            hit_ratio: ratio(out.hits, served),
            miss_share: if not_hit > 0.0 {
                out.db_reads / not_hit
            } else {
                1.0
            },
            // Every read's GET, with the pods' retries of refused ones.
            hit_ms: out.hit_latency_ms + retry_ms,
            coalesced_wait_ms: out.coalesced_wait_ms,
        });
        read_ms = if served > 0.0 {
            (out.hits * out.hit_latency_ms
                + out.db_reads * (out.hit_latency_ms + d.db_read_latency_ms)
                + out.coalesced * (out.hit_latency_ms + out.coalesced_wait_ms))
                / served
        } else {
            out.hit_latency_ms
        };
        // The pods' retries of refused GETs, before their read completes.
        read_ms += retry_ms;
    }

    // The database: the requests' queries through the pods' edge, and the consumers'.
    let db_writes = writes + consumed_writes;
    let (mut db_fail, mut write_ms, mut db_waiting, mut lag_ms) = (0.0, 0.0, 0.0, 0.0);
    let (mut read_service_ms, mut write_service_ms) = (0.0, 0.0);
    let mut q = [db_reads, writes];
    if let Some(e) = d.db_edge.as_mut() {
        let change = e.offer(now, &[db_reads, writes], &mut q);
        changes[2] = breaker_event(e, now, change, CallEdge::Database);
    }
    if let Some(db) = d.database.as_mut() {
        // Pods that hold a connection pool: the ready ones and the draining ones, which
        // keep theirs until they exit (so a rollout's old pods and its new ones hold
        // pools at once: docs/models.md#rolling-update). Pools are granted in pod order,
        // the order the service pass counts them in.
        let pods = w
            .pods
            .iter()
            .filter(|p| {
                p.kind == super::super::topology::PodKind::App
                    && (p.state.is_ready() || p.state == super::super::topology::PodState::Draining)
            })
            .count() as u32;
        let out = db.tick(
            now,
            dt,
            &DbInput {
                pods,
                reads: q[0],
                writes: q[1] + consumer_calls,
            },
        );
        db_fail = ratio(out.failed.total(), out.reads + out.writes);
        // Each flow's failure share, and the share a policy retries.
        let f = out.failed;
        let mean_ms = ratio(out.reads, out.reads + out.writes) * out.read_latency_ms
            + ratio(out.writes, out.reads + out.writes) * out.write_latency_ms;
        // What each failed query counts as for `retry_on`.
        let read_kinds = [
            (RetryOn::Timeout, f.pool_timeout_reads),
            (RetryOn::Unavailable, f.unavailable_reads),
        ];
        let write_kinds = [
            (RetryOn::Timeout, f.pool_timeout_writes),
            (RetryOn::Unavailable, f.primary_down),
            (RetryOn::ServerError, f.disk_full),
        ];
        let shares = |e: &EdgeProtection| {
            let (read_r, write_r) = (e.retried(&read_kinds), e.retried(&write_kinds));
            (
                [
                    ratio(f.pool_timeout_reads + f.unavailable_reads, out.reads),
                    ratio(
                        f.pool_timeout_writes + f.primary_down + f.disk_full,
                        out.writes,
                    ),
                ],
                [ratio(read_r, out.reads), ratio(write_r, out.writes)],
            )
        };
        if let Some(e) = d.db_edge.as_mut() {
            let (fail, retryable) = shares(e);
            let mut share = [0.0; 2];
            // Slow queries: an exponential latency of the queries' mean.
            let slow = e
                .slow_call_ms()
                .map_or(0.0, |d| share_slower_than(d, 0.0, mean_ms));
            let change = e.settle(end, &fail, &retryable, slow, mean_ms, &mut share);
            // The requests' queries' failure share, reads and writes together.
            db_fail = ratio(db_reads * share[0] + writes * share[1], db_reads + writes);
            changes[3] = breaker_event(e, end, change, CallEdge::Database);
        }
        if let Some(e) = d.consumer_edge.as_mut() {
            // The consumers hold their own connections: the pods' pool timeouts are not
            // theirs. Their writes fail as the database fails the writes it takes.
            let db_side = [
                (RetryOn::Unavailable, f.primary_down),
                (RetryOn::ServerError, f.disk_full),
            ];
            let taken = out.writes - f.pool_timeout_writes;
            let fail = [ratio(f.primary_down + f.disk_full, taken)];
            let retryable = [ratio(e.retried(&db_side), taken)];
            let mut share = [0.0];
            let change = e.settle(end, &fail, &retryable, 0.0, mean_ms, &mut share);
            d.counters.dead_lettered_writes += consumed_writes * share[0];
            if change.is_some() {
                changes[7] = breaker_event(e, end, change, CallEdge::Consumer);
            }
        }
        if d.cache.is_none() {
            read_ms = out.read_latency_ms;
        }
        let retry_ms = d.db_edge.as_ref().map_or(0.0, |e| e.last.retry_ms);
        read_ms += retry_ms;
        d.db_read_latency_ms = out.read_latency_ms;
        write_ms = out.write_latency_ms + retry_ms;
        read_service_ms = out.read_service_ms + retry_ms;
        write_service_ms = out.write_service_ms + retry_ms;
        d.pool_groups = out.pool_groups;
        d.pool_pods = Some(out.pool_pods);
        db_waiting = db.waiting();
        lag_ms = out.max_replica_lag_ms;
        d.counters.lost_writes += out.lost_writes;
        d.last.db_connections_in_use = out.connections_in_use;
        d.last.db_replica_lag_ms = out.max_replica_lag_ms;
        d.last.db_reads_per_s = out.reads / dt;
        d.last.db_writes_per_s = out.writes / dt;
        if out.failovers_completed > 0 {
            d.counters.failovers += out.failovers_completed;
            let ev = SimEvent::FailoverDone {
                t_s: now + dt,
                failovers: out.failovers_completed,
                lost_writes: out.lost_writes,
            };
            w.log(ev);
        }
    }
    let d = &mut w.data;

    // The consistency store: the reads and writes that reach the database.
    let (mut quorum_fail, mut store_ms) = (0.0, 0.0);
    if let Some(s) = d.store.as_mut() {
        let t = s.tick(
            now,
            dt,
            &StoreInput {
                reads_rps: db_reads / dt,
                writes_rps: db_writes / dt,
                replica_lag_ms: lag_ms,
                replica_rtt_ms: d.replica_rtt_ms,
            },
        );
        let tt = t.total;
        quorum_fail = ratio(
            tt.failed_reads_rps + tt.failed_writes_rps,
            tt.reads_rps + tt.writes_rps,
        );
        d.counters.stale_reads += tt.stale_reads_rps * dt;
        d.counters.own_stale_reads += tt.own_stale_reads_rps * dt;
        d.counters.conflicts += tt.conflicts;
        d.counters.lost_writes += tt.lost_writes;
        d.last.stale_read_pct = tt.stale_read_pct;
        d.last.own_stale_read_pct = tt.own_stale_read_pct;
        store_ms = tt.write_p50_ms;
    }

    // The external dependency.
    let (mut ext_fail, mut ext_ms, mut ext_floor, mut ext_tail) = (0.0, 0.0, 0.0, 0.0);
    // Before the run has lasted the call timeout, no call has waited it out:
    // the calls that will time out stay in flight until then.
    let (mut ext_late, mut ext_due) = (0.0, true);
    if let Some(e) = d.external.as_mut() {
        let first = served_ok * m.calls;
        let calls = match d.external_edge.as_mut() {
            Some(edge) => {
                let mut calls = [0.0];
                let change = edge.offer(now, &[first], &mut calls);
                let calls = calls[0];
                changes[4] = breaker_event(edge, now, change, CallEdge::External);
                calls
            }
            None => first,
        };
        let out = e.tick(now, dt, &ExternalInput { calls });
        ext_due = out.timeouts_due;
        ext_fail = ratio(out.failed(), out.calls);
        ext_late = ratio(out.timing_out, out.calls);
        ext_ms = out.mean_latency_ms;
        ext_floor = out.floor_ms;
        ext_tail = out.tail_ms;
        if let Some(edge) = d.external_edge.as_mut() {
            let retryable = edge.retried(&[
                (RetryOn::ServerError, out.errors),
                (RetryOn::Timeout, out.timeouts + out.timing_out),
                (RetryOn::RateLimited, out.throttled),
            ]);
            let fail = ext_fail + ext_late;
            let mut share = [0.0];
            // Slow calls: the answered ones past the duration (floor + Exp(tail)), and
            // the timed-out ones when the timeout is past it.
            let slow = edge.slow_call_ms().map_or(0.0, |d| {
                let survive = share_slower_than(d, ext_floor, ext_tail);
                let late = if e.config.timeout_ms > d {
                    out.timeouts + out.timing_out
                } else {
                    0.0
                };
                ratio((out.succeeded + out.errors) * survive + late, out.calls)
            });
            let change = edge.settle(
                end,
                &[fail],
                &[ratio(retryable, out.calls)],
                slow,
                ext_ms,
                &mut share,
            );
            let share = share[0];
            // The requests' share splits like the calls' between failing now and
            // timing out later.
            let (now_part, late_part) = if fail > 0.0 {
                (ext_fail / fail, ext_late / fail)
            } else {
                (1.0, 0.0)
            };
            ext_fail = share * now_part;
            ext_late = share * late_part;
            ext_ms += edge.last.retry_ms;
            ext_floor += edge.last.retry_ms;
            changes[5] = breaker_event(edge, end, change, CallEdge::External);
        }
    }

    // Requests: failures by reason, sequentially so none is counted twice.
    let mut left = served_ok;
    let mut take = |share: f64, p: f64| {
        let f = (served_ok * share * p).min(left);
        left -= f;
        f
    };
    let f_db = take(m.touch_db, db_fail);
    let f_q = take(m.touch_db, quorum_fail);
    let f_pub = take(m.touch_kafka, publish_fail);
    let f_ext = take(m.touch_external, ext_fail);
    d.external_timing_out += take(m.touch_external, ext_late);
    // The held requests fail once their timeout has passed.
    let f_ext = if ext_due {
        f_ext + std::mem::take(&mut d.external_timing_out)
    } else {
        f_ext
    };
    let mut failures = FailureCounts::default();
    failures[FailureReason::Database] = f_db;
    failures[FailureReason::NoQuorum] = f_q;
    failures[FailureReason::PublishRefused] = f_pub;
    failures[FailureReason::Dependency] = f_ext;
    d.counters.failures.add(&failures);

    // Requests whose queries still wait in the cache or database queues.
    let queries = m.reads + m.writes;
    let per_request = if m.touch_db > 0.0 {
        (queries / m.touch_db).max(1e-9)
    } else {
        1.0
    };
    let request_share = ratio(reads + writes, reads + writes + consumed_writes);
    let target = (db_waiting * request_share + cache_queued) / per_request;
    let prev = d.waiting_requests;
    // `max`/`min`, not `clamp`: `clamp` panics on a NaN bound (field case F04, reads =
    // 1e308: ∞ − ∞ upstream), and a NaN target keeps the waiting requests as they were
    // drained, never NaN.
    let delta = (target - prev).max(-prev).min(left);
    d.waiting_requests = prev + delta;
    let ok = left - delta;

    // The paths through the tier and their times (the requests' latency, docs/models.md#data-paths).
    let times = DataTimes {
        cache: cache_times,
        read_ms: read_service_ms,
        write_ms: write_service_ms,
        quorum_ms: store_ms,
        publish_ms,
        call_floor_ms: ext_floor,
        call_tail_ms: ext_tail,
    };
    let calls = w
        .scenario
        .traffic
        .classes
        .iter()
        .zip(w.scratch.class_arrivals.iter())
        .map(|(c, a)| ClassCalls {
            share: *a,
            reads: c.reads,
            writes: c.writes,
            publishes: c.publishes,
            calls: c.external_calls,
        });
    d.paths.build(calls, &times);
    // For display: the mean data time of a request, pool waits included.
    d.latency_ms = m.reads * read_ms
        + m.writes * (write_ms + store_ms)
        + m.publishes * publish_ms
        + m.calls * ext_ms;
    d.last.latency_ms = d.latency_ms;
    for ev in changes.into_iter().flatten() {
        w.log(ev);
    }
    DataOutcome { ok, failures }
}

/// Stage 8: the consumer group's HPA on the lag metric, every sync period; the lag alert.
pub fn scale_consumers(w: &mut World) {
    let now = w.now_s;
    let lag_cap = w
        .scenario
        .kafka
        .as_ref()
        .and_then(|k| k.idle_consumer_cap_threshold_m());
    let d = &mut w.data;
    let Some(k) = d.kafka.as_mut() else {
        return;
    };
    let mut ev = None;
    if let Some(hpa) = d.consumer_hpa.as_mut() {
        if now >= d.next_consumer_sync_s {
            d.next_consumer_sync_s = now + hpa.config().sync_period_s;
            // KEDA's Kafka scaler: the lag capped at partitions × lagThreshold by default.
            let view = k.metrics_view_capped(now, lag_cap);
            let from = k.desired_consumers();
            let dec = hpa.reconcile(now, from as i32, &view);
            let to = dec.replicas_after.max(0) as u32;
            if to != from {
                k.set_consumers(to, now);
                ev = Some(SimEvent::ConsumersScaled {
                    t_s: now,
                    from,
                    to,
                    lag_messages: k.lag_messages(),
                });
            }
        }
    }
    if let Some(e) = ev {
        w.log(e);
    }
    let d = &mut w.data;
    if d.lag_alert_s > 0.0 {
        let lag_s = d.last.kafka_lag_s;
        let firing = lag_s > d.lag_alert_s;
        if firing != d.lag_alert_firing {
            d.lag_alert_firing = firing;
            let lag_messages = d.last.kafka_lag_messages;
            w.log(SimEvent::LagAlert {
                t_s: now,
                firing,
                lag_s,
                lag_messages,
            });
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::scenario::load;
    use crate::sim::{step, World};

    /// Field case F04 (`reads = 1e308`, now refused by the range table) panicked in
    /// `f64::clamp` with a NaN bound here. Its valid neighbours, the most calls per
    /// request at the highest rate, run with finite numbers and conservation.
    #[test]
    fn the_most_calls_per_request_at_the_highest_rate_run_clean() {
        for (reads, writes, rps) in [
            (1000.0, 0.0, 1e8),
            (1000.0, 1000.0, 1e8),
            (1000.0, 1000.0, 10.0),
        ] {
            let text = format!(
                "title = \"x\"\n[traffic]\nprofile = {{ kind = \"constant\", rps = {rps:e} }}\n\
                 classes = [{{ name = \"a\", share = 1.0, cpu_ms = 1.0, reads = {reads:e}, writes = {writes:e} }}]\n\
                 [database]\n"
            );
            let s = load("f04.toml", &text).unwrap();
            let mut w = World::new(&s, 1).unwrap();
            for _ in 0..120 {
                step(&mut w);
                let c = &w.counters;
                assert!(w.data.waiting_requests.is_finite(), "{reads} {rps}");
                assert!(
                    c.conservation_gap().abs() <= 1e-6 * c.arrived.max(1.0),
                    "{c:?}"
                );
                assert!(c.served <= c.arrived, "{c:?}");
            }
        }
    }
}
