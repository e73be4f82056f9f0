//! Metric series in bounded buffers: memory stays flat however long the run.
//!
//! ```text
//!   tick values ──▶ bucket (mean of `stride` ticks) ──▶ points[..cap]
//!                                     when full: merge neighbours, stride × 2
//! ```
//!
//! Each series keeps at most `cap` points. When it is full, neighbouring points
//! are averaged pairwise and the stride doubles, so a 30-day run at 1 s ticks
//! keeps the same memory as a 1-hour run, at a coarser resolution.

use serde::{Deserialize, Serialize};

/// Adds one tick's `row` to the open bucket of `open_ticks` ticks; when it holds `stride`
/// ticks, closes it as one point (their mean) per column, and when the columns hold
/// `cap` points, averages neighbours pairwise and doubles the stride. No allocation:
/// each column holds at most `cap` points.
pub(crate) fn bucket_push(
    open: &mut [f64],
    points: &mut [Vec<f64>],
    open_ticks: &mut u64,
    stride: &mut u64,
    cap: usize,
    row: &[f64],
) {
    for (o, v) in open.iter_mut().zip(row.iter()) {
        *o += v;
    }
    *open_ticks += 1;
    if *open_ticks < *stride {
        return;
    }
    let n = *open_ticks as f64;
    for (p, o) in points.iter_mut().zip(open.iter_mut()) {
        p.push(*o / n);
        *o = 0.0;
    }
    *open_ticks = 0;
    if points.first().is_some_and(|p| p.len() >= cap) {
        for p in points.iter_mut() {
            let half = p.len() / 2;
            for i in 0..half {
                p[i] = 0.5 * (p[2 * i] + p[2 * i + 1]);
            }
            p.truncate(half);
        }
        *stride *= 2;
    }
}

/// An empty set of `width` bucketed columns keeping at most `cap` points each (`cap`
/// made even and at least 2): (cap, the open bucket's sums, the closed points).
pub(crate) fn empty_columns(width: usize, cap: usize) -> (usize, Vec<f64>, Vec<Vec<f64>>) {
    let cap = (cap.max(2) + 1) & !1;
    let points = (0..width).map(|_| Vec::with_capacity(cap)).collect();
    (cap, vec![0.0; width], points)
}

/// A recorded series. Its discriminant is its column: the storage order of
/// [`SeriesSet`], the column order of `series.csv` and the order the behaviour
/// lock hashes, so a new series goes at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Series {
    /// Simulated time at the end of the tick [s].
    Time,
    /// Offered load the traffic model asks for [req/s].
    DemandRps,
    /// Requests that arrived (Poisson draw of the demand) [req/s].
    ArrivalsRps,
    /// Requests served [req/s].
    ServedRps,
    /// Requests that failed [req/s].
    ErrorsRps,
    /// Median latency [ms].
    P50Ms,
    /// 95th percentile latency [ms].
    P95Ms,
    /// 99th percentile latency [ms].
    P99Ms,
    /// Replicas the deployment asks for.
    ReplicasDesired,
    /// Pods ready to serve.
    PodsReady,
    /// Pods waiting for a node.
    PodsPending,
    /// Nodes ready.
    NodesReady,
    /// Nodes being provisioned.
    NodesProvisioning,
    /// CPU utilization of ready pods [% of request].
    CpuUtilizationPct,
    /// Requests waiting in queues.
    QueuedRequests,
    /// Spend rate [$/h].
    CostPerHourUsd,
    /// Error budget left [%].
    BudgetRemainingPct,
    /// 1-hour burn rate (× the rate the budget allows).
    BurnRate1h,
    /// Sessions lost so far.
    SessionsLost,
    /// The HPA's effective minimum replicas.
    MinReplicas,
    /// CDN hit ratio [0..1].
    CdnHitRatio,
    /// Cache hit ratio [0..1].
    CacheHitRatio,
    /// Database connections in use.
    DbConnectionsInUse,
    /// Database replication lag [ms].
    DbReplicationLagMs,
    /// Kafka consumer lag [messages].
    KafkaLagMessages,
    /// Kafka lag age [s].
    KafkaLagS,
    /// Kafka consumers.
    KafkaConsumers,
    /// Stale reads [% of reads].
    StaleReadPct,
    /// Conflicting keys so far.
    Conflicts,
    /// Writes lost so far.
    LostWrites,
    /// Database writes [writes/s].
    DbWritesPerS,
    /// Retried attempts that arrived ([`super::protection`]) [attempts/s]; the arrivals
    /// include them.
    RetriesRps,
    /// Requests whose last attempt failed: not retried [req/s].
    GaveUpRps,
    /// The clients' circuit breaker: 0 closed, 0.5 half-open, 1 open.
    BreakerState,
    /// The pods' (and consumers') retries towards the database [queries/s].
    DbRetriesRps,
    /// The retries towards the external dependency, every hop's [calls/s].
    ExternalRetriesRps,
    /// The pods' breaker towards the database: 0 closed, 0.5 half-open, 1 open.
    DbBreakerState,
    /// The pods' breaker towards the external dependency: 0 closed, 0.5 half-open, 1 open.
    ExternalBreakerState,
    /// Requests a rate limit refused with 429 [req/s].
    RateLimitedRps,
    /// Requests shed by priority (503) [req/s].
    ShedRps,
    /// The pods' retries towards the cache [calls/s].
    CacheRetriesRps,
    /// The pods' breaker towards the cache: 0 closed, 0.5 half-open, 1 open.
    CacheBreakerState,
    /// The consumers' breaker towards the database: 0 closed, 0.5 half-open, 1 open
    /// (open: the consumer group is paused).
    ConsumerBreakerState,
    /// Stale reads of a session's own recent write [% of reads] (part of
    /// [`Series::StaleReadPct`]).
    OwnStaleReadPct,
}

impl Series {
    /// Every series, in column order.
    pub const ALL: [Series; SERIES_COUNT] = [
        Series::Time,
        Series::DemandRps,
        Series::ArrivalsRps,
        Series::ServedRps,
        Series::ErrorsRps,
        Series::P50Ms,
        Series::P95Ms,
        Series::P99Ms,
        Series::ReplicasDesired,
        Series::PodsReady,
        Series::PodsPending,
        Series::NodesReady,
        Series::NodesProvisioning,
        Series::CpuUtilizationPct,
        Series::QueuedRequests,
        Series::CostPerHourUsd,
        Series::BudgetRemainingPct,
        Series::BurnRate1h,
        Series::SessionsLost,
        Series::MinReplicas,
        Series::CdnHitRatio,
        Series::CacheHitRatio,
        Series::DbConnectionsInUse,
        Series::DbReplicationLagMs,
        Series::KafkaLagMessages,
        Series::KafkaLagS,
        Series::KafkaConsumers,
        Series::StaleReadPct,
        Series::Conflicts,
        Series::LostWrites,
        Series::DbWritesPerS,
        Series::RetriesRps,
        Series::GaveUpRps,
        Series::BreakerState,
        Series::DbRetriesRps,
        Series::ExternalRetriesRps,
        Series::DbBreakerState,
        Series::ExternalBreakerState,
        Series::RateLimitedRps,
        Series::ShedRps,
        Series::CacheRetriesRps,
        Series::CacheBreakerState,
        Series::ConsumerBreakerState,
        Series::OwnStaleReadPct,
    ];

    /// Its column: the place of its values in a row and in [`SeriesSet`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its column name in `series.csv` and in question files (`p99_ms`).
    pub const fn column(self) -> &'static str {
        match self {
            Series::Time => "t_s",
            Series::DemandRps => "demand_rps",
            Series::ArrivalsRps => "arrivals_rps",
            Series::ServedRps => "served_rps",
            Series::ErrorsRps => "errors_rps",
            Series::P50Ms => "p50_ms",
            Series::P95Ms => "p95_ms",
            Series::P99Ms => "p99_ms",
            Series::ReplicasDesired => "replicas_desired",
            Series::PodsReady => "pods_ready",
            Series::PodsPending => "pods_pending",
            Series::NodesReady => "nodes_ready",
            Series::NodesProvisioning => "nodes_provisioning",
            Series::CpuUtilizationPct => "cpu_utilization_pct",
            Series::QueuedRequests => "queued_requests",
            Series::CostPerHourUsd => "cost_per_hour_usd",
            Series::BudgetRemainingPct => "budget_remaining_pct",
            Series::BurnRate1h => "burn_rate_1h",
            Series::SessionsLost => "sessions_lost",
            Series::MinReplicas => "min_replicas",
            Series::CdnHitRatio => "cdn_hit_ratio",
            Series::CacheHitRatio => "cache_hit_ratio",
            Series::DbConnectionsInUse => "db_connections_in_use",
            Series::DbReplicationLagMs => "db_replication_lag_ms",
            Series::KafkaLagMessages => "kafka_lag_messages",
            Series::KafkaLagS => "kafka_lag_s",
            Series::KafkaConsumers => "kafka_consumers",
            Series::StaleReadPct => "stale_read_pct",
            Series::Conflicts => "conflicts",
            Series::LostWrites => "lost_writes",
            Series::DbWritesPerS => "db_writes_per_s",
            Series::RetriesRps => "retries_rps",
            Series::GaveUpRps => "gave_up_rps",
            Series::BreakerState => "breaker_state",
            Series::DbRetriesRps => "db_retries_rps",
            Series::ExternalRetriesRps => "external_retries_rps",
            Series::DbBreakerState => "db_breaker_state",
            Series::ExternalBreakerState => "external_breaker_state",
            Series::RateLimitedRps => "rate_limited_rps",
            Series::ShedRps => "shed_rps",
            Series::CacheRetriesRps => "cache_retries_rps",
            Series::CacheBreakerState => "cache_breaker_state",
            Series::ConsumerBreakerState => "consumer_breaker_state",
            Series::OwnStaleReadPct => "own_stale_read_pct",
        }
    }

    /// The unit of its values: every series has one, so no measure reads as a
    /// bare number ("3 pods", not "3").
    pub const fn unit(self) -> &'static str {
        match self {
            Series::Time => "s",
            Series::DemandRps => "req/s",
            Series::ArrivalsRps => "req/s",
            Series::ServedRps => "req/s",
            Series::ErrorsRps => "req/s",
            Series::P50Ms => "ms",
            Series::P95Ms => "ms",
            Series::P99Ms => "ms",
            Series::ReplicasDesired => "pods",
            Series::PodsReady => "pods",
            Series::PodsPending => "pods",
            Series::NodesReady => "nodes",
            Series::NodesProvisioning => "nodes",
            Series::CpuUtilizationPct => "%",
            Series::QueuedRequests => "requests",
            Series::CostPerHourUsd => "$/h",
            Series::BudgetRemainingPct => "%",
            Series::BurnRate1h => "\u{d7}",
            Series::SessionsLost => "sessions",
            Series::MinReplicas => "pods",
            Series::CdnHitRatio => "ratio",
            Series::CacheHitRatio => "ratio",
            Series::DbConnectionsInUse => "connections",
            Series::DbReplicationLagMs => "ms",
            Series::KafkaLagMessages => "messages",
            Series::KafkaLagS => "s",
            Series::KafkaConsumers => "consumers",
            Series::StaleReadPct => "%",
            Series::Conflicts => "keys",
            Series::LostWrites => "writes",
            Series::DbWritesPerS => "writes/s",
            Series::RetriesRps => "req/s",
            Series::GaveUpRps => "req/s",
            Series::BreakerState => "ratio",
            Series::DbRetriesRps => "queries/s",
            Series::ExternalRetriesRps => "calls/s",
            Series::DbBreakerState => "ratio",
            Series::ExternalBreakerState => "ratio",
            Series::RateLimitedRps => "req/s",
            Series::ShedRps => "req/s",
            Series::CacheRetriesRps => "calls/s",
            Series::CacheBreakerState => "ratio",
            Series::ConsumerBreakerState => "ratio",
            Series::OwnStaleReadPct => "%",
        }
    }

    /// How a chart of this series alone is titled (a debrief's chart).
    pub const fn label(self) -> &'static str {
        match self {
            Series::Time => "t s",
            Series::DemandRps => "demand rps",
            Series::ArrivalsRps => "Arrivals [req/s]",
            Series::ServedRps => "served rps",
            Series::ErrorsRps => "Failed requests [req/s]",
            Series::P50Ms => "p50 ms",
            Series::P95Ms => "p95 ms",
            Series::P99Ms => "p99 latency [ms]",
            Series::ReplicasDesired => "replicas desired",
            Series::PodsReady => "Ready pods",
            Series::PodsPending => "pods pending",
            Series::NodesReady => "nodes ready",
            Series::NodesProvisioning => "nodes provisioning",
            Series::CpuUtilizationPct => "cpu utilization pct",
            Series::QueuedRequests => "queued requests",
            Series::CostPerHourUsd => "Cost [$/h]",
            Series::BudgetRemainingPct => "Error budget left [%]",
            Series::BurnRate1h => "burn rate 1h",
            Series::SessionsLost => "Sessions lost",
            Series::MinReplicas => "min replicas",
            Series::CdnHitRatio => "cdn hit ratio",
            Series::CacheHitRatio => "cache hit ratio",
            Series::DbConnectionsInUse => "db connections in use",
            Series::DbReplicationLagMs => "db replication lag ms",
            Series::KafkaLagMessages => "kafka lag messages",
            Series::KafkaLagS => "kafka lag s",
            Series::KafkaConsumers => "kafka consumers",
            Series::StaleReadPct => "Stale reads [%]",
            Series::Conflicts => "Conflicting keys",
            Series::LostWrites => "Lost writes",
            Series::DbWritesPerS => "db writes per s",
            Series::RetriesRps => "retries per s",
            Series::GaveUpRps => "requests given up per s",
            Series::BreakerState => "circuit breaker (0 closed, 0.5 half-open, 1 open)",
            Series::DbRetriesRps => "database retries per s",
            Series::ExternalRetriesRps => "external-dependency retries per s",
            Series::DbBreakerState => "database circuit breaker (0 closed, 0.5 half-open, 1 open)",
            Series::ExternalBreakerState => {
                "external circuit breaker (0 closed, 0.5 half-open, 1 open)"
            }
            Series::RateLimitedRps => "requests rate-limited (429) per s",
            Series::ShedRps => "requests shed by priority (503) per s",
            Series::CacheRetriesRps => "cache retries per s",
            Series::CacheBreakerState => "cache circuit breaker (0 closed, 0.5 half-open, 1 open)",
            Series::ConsumerBreakerState => {
                "consumers' circuit breaker (0 closed, 0.5 half-open, 1 open)"
            }
            Series::OwnStaleReadPct => "Own-write stale reads [%]",
        }
    }

    /// The series whose column name is `name` (read from a question file).
    pub fn from_column(name: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.column() == name)
    }
}

/// Number of recorded series.
pub const SERIES_COUNT: usize = 44;

/// All series, sharing one stride.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesSet {
    /// Most points kept per series (even, ≥ 2).
    pub cap: usize,
    /// Ticks per point.
    pub stride: u64,
    /// Ticks in the open bucket.
    pub open_ticks: u64,
    /// Sums of the open bucket, one per series.
    pub open: Vec<f64>,
    /// Closed points, one Vec per series.
    pub points: Vec<Vec<f64>>,
    /// The last tick's values, in column order (what a probe reads each tick).
    #[serde(skip, default = "zero_row")]
    pub latest: [f64; SERIES_COUNT],
    /// The highest tick value of each series so far (0 before any), one per series: a
    /// peak read from the points would be a peak of means, lower the longer the run.
    #[serde(default = "zero_peaks")]
    pub peaks: Vec<f64>,
}

fn zero_row() -> [f64; SERIES_COUNT] {
    [0.0; SERIES_COUNT]
}

fn zero_peaks() -> Vec<f64> {
    vec![0.0; SERIES_COUNT]
}

impl SeriesSet {
    /// An empty set keeping at most `cap` points per series.
    pub fn new(cap: usize) -> Self {
        let (cap, open, points) = empty_columns(SERIES_COUNT, cap);
        Self {
            cap,
            stride: 1,
            open_ticks: 0,
            open,
            points,
            latest: [0.0; SERIES_COUNT],
            peaks: zero_peaks(),
        }
    }

    /// Records one tick's values.
    pub fn push(&mut self, row: &[f64; SERIES_COUNT]) {
        self.latest = *row;
        for (peak, v) in self.peaks.iter_mut().zip(row.iter()) {
            *peak = peak.max(*v);
        }
        bucket_push(
            &mut self.open,
            &mut self.points,
            &mut self.open_ticks,
            &mut self.stride,
            self.cap,
            row,
        );
    }

    /// The highest tick value of `series` so far (0 before any tick).
    pub fn peak(&self, series: Series) -> f64 {
        self.peaks[series.index()]
    }

    /// The closed points of `series`.
    pub fn get(&self, series: Series) -> &[f64] {
        &self.points[series.index()]
    }

    /// Number of closed points.
    pub fn len(&self) -> usize {
        self.points[Series::Time.index()].len()
    }

    /// True when no point is closed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the points (for the benchmark's memory figure).
    pub fn heap_bytes(&self) -> usize {
        self.points.iter().map(|p| p.capacity() * 8).sum::<usize>() + self.open.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_peak_is_the_highest_tick_not_the_highest_mean() {
        // One tick at 100 among 10,000 at 1: the points average it away as the
        // stride doubles; the peak keeps it.
        let mut s = SeriesSet::new(64);
        let mut row = [1.0; SERIES_COUNT];
        for t in 0..10_000 {
            row[Series::ServedRps.index()] = if t == 5 { 100.0 } else { 1.0 };
            s.push(&row);
        }
        let served = s.get(Series::ServedRps);
        assert!(served.iter().all(|v| *v < 10.0), "{served:?}");
        assert_eq!(s.peak(Series::ServedRps), 100.0);
        assert_eq!(s.peak(Series::ErrorsRps), 1.0);
    }

    use super::*;

    #[test]
    fn a_full_buffer_halves_its_resolution_and_keeps_its_memory() {
        let mut s = SeriesSet::new(8);
        let bytes = s.heap_bytes();
        for t in 0..1000u32 {
            let mut row = [0.0; SERIES_COUNT];
            row[Series::Time.index()] = f64::from(t);
            s.push(&row);
        }
        assert!(s.len() <= 8);
        assert_eq!(s.heap_bytes(), bytes);
        assert_eq!(s.stride, 128);
        // The first point is the mean of t = 0..127.
        assert!((s.get(Series::Time)[0] - 63.5).abs() < 1e-9);
    }

    #[test]
    fn the_csv_header_is_the_one_recorded_before_series_were_an_enum() {
        // Written out by hand before `Series` replaced the list of names: the
        // columns of `series.csv`, in storage order, must never move; new series
        // are appended (the clients' retries and breaker; the dependency edges, rate
        // limits and shedding; the cache edge; own-write stale reads).
        const HEADER: &str = "t_s,demand_rps,arrivals_rps,served_rps,errors_rps,p50_ms,p95_ms,p99_ms,replicas_desired,pods_ready,pods_pending,nodes_ready,nodes_provisioning,cpu_utilization_pct,queued_requests,cost_per_hour_usd,budget_remaining_pct,burn_rate_1h,sessions_lost,min_replicas,cdn_hit_ratio,cache_hit_ratio,db_connections_in_use,db_replication_lag_ms,kafka_lag_messages,kafka_lag_s,kafka_consumers,stale_read_pct,conflicts,lost_writes,db_writes_per_s,retries_rps,gave_up_rps,breaker_state,db_retries_rps,external_retries_rps,db_breaker_state,external_breaker_state,rate_limited_rps,shed_rps,cache_retries_rps,cache_breaker_state,consumer_breaker_state,own_stale_read_pct";
        let header: Vec<&str> = Series::ALL.iter().map(|s| s.column()).collect();
        assert_eq!(header.join(","), HEADER);
        for (i, s) in Series::ALL.iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?} is stored out of its column");
            assert_eq!(Series::from_column(s.column()), Some(*s));
        }
    }
}
