//! The range of every number a scenario (or an action) can hold, with its unit and
//! its physical reason: one table that the validator enforces, `docs/scenario-format.md`
//! prints (a test keeps them equal) and the property tests draw their edge values from.
//!
//! Each number is found by [`numbers_of`](super::numbers::numbers_of) and looked up by its
//! path's [`table_key`]: array indices dropped (`traffic.classes[].share`), the parts of a
//! `product` profile read as the profile (`traffic.profile.rps`), the Kafka consumers'
//! HPA as the HPA (`hpa.minReplicas`), and a zone weight as `balancer.zone_weights.*`.
//!
//! The caps keep a run bounded: at most [`MAX_PODS`] pods, runs of at most
//! [`MAX_RUN_S`] (400 days), latency windows of at most [`MAX_WINDOW_SLOTS`] ticks, at most
//! [`MAX_SERIES_POINTS`] points per series.

use super::numbers::{numbers_of, pattern_of, Found};
use serde::Serialize;

/// One day [s].
const DAY: f64 = 86_400.0;
/// The longest run [s]: 400 days (a year of traffic and a month of margin).
pub const MAX_RUN_S: f64 = 400.0 * DAY;
/// The most pods a scenario can ask for (HPA maximum, initial replicas, pause pods):
/// beyond the largest clusters Kubernetes supports (150,000 pods in 5,000 nodes) per
/// Deployment; memory stays under about 20 MiB of pods.
pub const MAX_PODS: f64 = 100_000.0;
/// The most ticks a run may take (400 days at 1 s ticks, with room): past this a run
/// takes hours.
pub const MAX_TICKS: f64 = 50_000_000.0;
/// The most (pods + nodes) × ticks a run may ask for (minutes of engine time at about
/// 20 ns per pod-tick); three days of 100,000 pods at 1 s ticks is over it.
pub const MAX_OBJECT_TICKS: f64 = 2e10;
/// The most nodes a scenario can hold in all its zones (`max_per_zone` × zones).
pub const MAX_NODES: f64 = 100_000.0;
/// The most requests per second a profile or a spike can reach [req/s]: above the
/// busiest public services, and far from where f64 counts lose precision.
pub const MAX_RPS: f64 = 1e8;
/// The most ticks a latency window holds (its memory is 1.4 KiB per tick).
pub const MAX_WINDOW_SLOTS: f64 = 3_600.0;
/// The most points kept per metric series (31 series × 8 bytes each).
pub const MAX_SERIES_POINTS: f64 = 100_000.0;
/// The longest latency a scenario can set [ms]: ten minutes.
const MAX_MS: f64 = 600_000.0;
/// The largest whole number a scenario file can hold: TOML integers are signed 64-bit
/// (2^63 − 1; as an `f64` this is 2^63, the nearest double).
pub const MAX_TOML_INT: f64 = 9_223_372_036_854_775_807.0;
/// The most CPU a pod can request or be limited to [millicores]: a node of at most
/// 1,024 cores. `scalesim hpa --cpu-request-m` and `--cpu-limit-m` share it.
pub const MAX_POD_CPU_M: f64 = 1_024_000.0;
/// The most memory a pod can request or be limited to [MiB]: a node of at most 16 TiB.
/// `scalesim hpa --memory-request-mib` shares it.
pub const MAX_POD_MEMORY_MIB: f64 = 16_777_216.0;
/// The longest start-up or shut-down step [s] (image pull, readiness delay, …): a day.
/// `scalesim hpa --ready-delay-s` shares it.
pub const MAX_STARTUP_S: f64 = DAY;

/// A number's allowed range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldRange {
    /// Its table key (see the module doc): `run.tick_s`, `traffic.classes[].share`.
    pub key: &'static str,
    /// Smallest value.
    pub min: f64,
    /// `min` itself is refused (the range is open at the bottom: `> 0`).
    pub above_min: bool,
    /// Largest value (included).
    pub max: f64,
    /// Unit as the docs write it (`s`, `ms`, `req/s`, `fraction`, `pods`).
    pub unit: &'static str,
    /// Why these bounds (shown in refusals and the docs).
    pub why: &'static str,
}

const fn r(
    key: &'static str,
    min: f64,
    max: f64,
    unit: &'static str,
    why: &'static str,
) -> FieldRange {
    FieldRange {
        key,
        min,
        above_min: false,
        max,
        unit,
        why,
    }
}

/// As [`r`], with `min` excluded (`> min`).
const fn above(
    key: &'static str,
    min: f64,
    max: f64,
    unit: &'static str,
    why: &'static str,
) -> FieldRange {
    FieldRange {
        key,
        min,
        above_min: true,
        max,
        unit,
        why,
    }
}

const DURATION: &str = "a duration within the longest run (400 days)";
const LATENCY: &str = "a latency of at most ten minutes";
const FRACTION: &str = "a share of a whole";
const PODS: &str = "memory and time stay bounded";
const STARTUP: &str = "a start-up or shut-down step of at most a day";

/// Every numeric field of a scenario and of an action (`events[].action.*`).
/// `questions` and `knobs` are checked by their own rules (finite numbers, `min ≤ max`).
pub const RANGES: &[FieldRange] = &[
    // [run]
    r("run.tick_s", 0.01, 60.0, "s", "below 10 ms a tick adds no accuracy; above a minute a pod starts and stops inside one tick"),
    above("run.duration_s", 0.0, MAX_RUN_S, "s", "runs of up to 400 days"),
    above("run.latency_window_s", 0.0, 86_400.0, "s", "a window of at most a day and at most 3,600 ticks"),
    r("run.series_points", 2.0, MAX_SERIES_POINTS, "points", "memory: 31 series of at most 100,000 points"),
    r("run.max_events", 0.0, 1_000_000.0, "events", "memory: at most a million events kept"),
    r("run.seed", 0.0, MAX_TOML_INT, "", "any seed a file can hold: TOML integers are signed 64-bit (2^63 − 1); `scalesim run --seed` takes up to 2^64 − 1"),
    r("run.timeline_zero_s", 0.0, MAX_RUN_S, "s", "the clock time of T+0, within the longest run"),
    // [topology]
    r("topology.initial_replicas", 0.0, MAX_PODS, "pods", PODS),
    r("topology.regions[].traffic_share", 0.0, 1_000.0, "weight", "a relative weight; the shares are normalised (their sum must be > 0)"),
    r("topology.network.cross_zone_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    r("topology.network.cross_region_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    r("topology.nodes.cpu_m", 1.0, MAX_POD_CPU_M, "millicores", "a node of at most 1,024 cores"),
    r("topology.nodes.memory_mib", 1.0, MAX_POD_MEMORY_MIB, "MiB", "a node of at most 16 TiB"),
    r("topology.nodes.initial_per_zone", 0.0, 10_000.0, "nodes", "at most 10,000 nodes per zone"),
    r("topology.nodes.min_per_zone", 0.0, 10_000.0, "nodes", "at most 10,000 nodes per zone"),
    r("topology.nodes.max_per_zone", 0.0, 10_000.0, "nodes", "at most 10,000 nodes per zone"),
    r("topology.nodes.provision_delay_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.cpu_request_m", 1.0, MAX_POD_CPU_M, "millicores", "a pod fits on a node"),
    r("topology.pod.cpu_limit_m", 1.0, MAX_POD_CPU_M, "millicores", "a pod fits on a node"),
    r("topology.pod.memory_request_mib", 0.0, MAX_POD_MEMORY_MIB, "MiB", "a pod fits on a node"),
    r("topology.pod.memory_limit_mib", 1.0, MAX_POD_MEMORY_MIB, "MiB", "a pod fits on a node"),
    r("topology.pod.memory_used_mib", 0.0, MAX_POD_MEMORY_MIB, "MiB", "a pod fits on a node"),
    r("topology.pod.image_pull_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.app_start_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.readiness_delay_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.warmup_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    above("topology.pod.warmup_speed", 0.0, 1.0, "fraction", "a cold pod's speed as a share of a warm one's"),
    r("topology.pod.termination_grace_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.restart_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("topology.pod.memory_per_queued_kib", 0.0, 1_048_576.0, "KiB", "a request holds at most 1 GiB while it waits"),
    r("topology.pod.timeout_ms", 1.0, 500_000.0, "ms", "from a round trip inside a zone (1 ms) to about 8 minutes, below the top of the latency histogram (8.7 min)"),
    r("topology.pod.queue_limit", 0.0, 1e9, "requests", "a queue of at most a billion requests"),
    // [traffic]
    above("traffic.classes[].share", 0.0, 1_000.0, "weight", "a relative weight; the shares are normalised"),
    r("traffic.classes[].priority", 0.0, 255.0, "", "a priority level"),
    above("traffic.classes[].cpu_ms", 0.0, 60_000.0, "ms", "CPU time per request of at most a minute"),
    r("traffic.classes[].reads", 0.0, 1_000.0, "per request", "calls per request"),
    r("traffic.classes[].writes", 0.0, 1_000.0, "per request", "calls per request"),
    r("traffic.classes[].publishes", 0.0, 1_000.0, "per request", "calls per request"),
    r("traffic.classes[].external_calls", 0.0, 1_000.0, "per request", "calls per request"),
    r("traffic.profile.rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.mean_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.from_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.to_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.base_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.peak_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("traffic.profile.amplitude", 0.0, 1.0, "fraction", "a swing of at most the mean (the rate stays ≥ 0)"),
    r("traffic.profile.period_s", 60.0, MAX_RUN_S, "s", "a cycle of at least a minute (four of the longest ticks), so a tick's traffic is its mean over the cycle's part it covers"),
    r("traffic.profile.peak_at_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("traffic.profile.start_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("traffic.profile.duration_s", 0.0, MAX_RUN_S, "s", "a duration within the longest run (400 days); a ramp may take 0 s (a step), a load test must last longer"),
    r("traffic.profile.multiplier", 0.0, 1_000.0, "×", "at most a thousandfold surge"),
    r("traffic.profile.ramp_up_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("traffic.profile.hold_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("traffic.profile.ramp_down_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("traffic.profile.rise_s", 0.0, MAX_RUN_S, "s", DURATION),
    above("traffic.profile.decay_s", 0.0, MAX_RUN_S, "s", DURATION),
    // [balancer]
    r("balancer.health_check_interval_s", 0.1, 3_600.0, "s", "a health check at least every hour"),
    r("balancer.unhealthy_threshold", 1.0, 100.0, "checks", "failed checks before a pod leaves rotation"),
    r("balancer.slow_start_s", 0.0, 3_600.0, "s", "a slow-start ramp of at most an hour"),
    r("balancer.sticky.fraction", 0.0, 1.0, "fraction", FRACTION),
    r("balancer.sticky.requests_per_session", 1.0, 1e6, "requests", "requests in one session"),
    above("balancer.sticky.session_s", 0.0, DAY, "s", "a session of at most a day"),
    r("balancer.zone_weights.*", 0.0, 1_000.0, "weight", "a relative weight"),
    // [slo]
    above("slo.availability_target", 0.0, 0.999_999_9, "fraction", "a target below 100 % (a 100 % target has no error budget)"),
    above("slo.latency_target", 0.0, 0.999_999_9, "fraction", "a target below 100 % (a 100 % target has no error budget)"),
    above("slo.latency_threshold_ms", 0.0, MAX_MS, "ms", LATENCY),
    above("slo.window_days", 0.0, 400.0, "days", "an SLO period within the longest run"),
    r("slo.budget_spent_start_pct", 0.0, 100.0, "%", "a share of the error budget in % (85 is 85 % spent)"),
    // [hpa] (and [kafka.hpa])
    r("hpa.minReplicas", 1.0, MAX_PODS, "pods", "scale to zero (the HPAScaleToZero feature gate) is not modelled; at most 100,000 pods"),
    r("hpa.maxReplicas", 1.0, MAX_PODS, "pods", PODS),
    r("hpa.metrics[].resource.target.averageUtilization", 1.0, 10_000.0, "%", "a utilization target of a pod's request (may exceed 100 %)"),
    r("hpa.behavior.scaleUp.stabilizationWindowSeconds", 0.0, 3_600.0, "s", "Kubernetes' limit: at most one hour"),
    r("hpa.behavior.scaleDown.stabilizationWindowSeconds", 0.0, 3_600.0, "s", "Kubernetes' limit: at most one hour"),
    r("hpa.behavior.scaleUp.policies[].periodSeconds", 1.0, 1_800.0, "s", "Kubernetes' limit: 1 to 1,800 s"),
    r("hpa.behavior.scaleDown.policies[].periodSeconds", 1.0, 1_800.0, "s", "Kubernetes' limit: 1 to 1,800 s"),
    r("hpa.behavior.scaleUp.policies[].value", 1.0, MAX_PODS * 100.0, "pods or %", "Kubernetes requires > 0"),
    r("hpa.behavior.scaleDown.policies[].value", 1.0, MAX_PODS * 100.0, "pods or %", "Kubernetes requires > 0"),
    // [cluster_autoscaler]
    r("cluster_autoscaler.scan_interval_s", 1.0, 3_600.0, "s", "a scan at least every hour"),
    r("cluster_autoscaler.scale_down_unneeded_s", 0.0, DAY, "s", "a wait of at most a day"),
    r("cluster_autoscaler.scale_down_delay_after_add_s", 0.0, DAY, "s", "a wait of at most a day"),
    r("cluster_autoscaler.scale_down_utilization_threshold", 0.0, 1.0, "fraction", FRACTION),
    // [pause_pods], [prescale], [cooldown], [cost]
    r("pause_pods.count", 0.0, MAX_PODS, "pods", PODS),
    r("pause_pods.cpu_m", 0.0, MAX_POD_CPU_M, "millicores", "a pod fits on a node"),
    r("pause_pods.memory_mib", 0.0, MAX_POD_MEMORY_MIB, "MiB", "a pod fits on a node"),
    r("prescale.scheduled[].from_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("prescale.scheduled[].until_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("prescale.scheduled[].min_replicas", 0.0, MAX_PODS, "pods", PODS),
    above("prescale.predictive.period_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("prescale.predictive.lead_s", 0.0, DAY, "s", "a lead of at most a day"),
    r("prescale.predictive.bucket_s", 1.0, DAY, "s", "a bucket of a second to a day"),
    above("prescale.predictive.target_utilization_pct", 0.0, 100.0, "%", "a share of the pods' CPU"),
    r("cooldown.scale_up_s", 0.0, DAY, "s", "a cooldown of at most a day"),
    r("cooldown.scale_down_s", 0.0, DAY, "s", "a cooldown of at most a day"),
    r("cost.on_demand_per_node_hour", 0.0, 10_000.0, "USD/h", "a price ≥ 0"),
    r("cost.spot_discount", 0.0, 1.0, "fraction", FRACTION),
    r("cost.reserved_discount", 0.0, 1.0, "fraction", FRACTION),
    // [cdn]
    r("cdn.pops", 1.0, 10_000.0, "PoPs", "points of presence"),
    r("cdn.edge_latency_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    r("cdn.classes[].cacheable_share", 0.0, 1.0, "fraction", FRACTION),
    r("cdn.classes[].objects", 1.0, 1e12, "objects", "a catalogue of at most a trillion objects"),
    above("cdn.classes[].ttl_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("cdn.classes[].zipf_s", 0.0, 10.0, "", "a Zipf exponent (0 uniform, about 1 typical)"),
    // [cache]
    r("cache.keys", 1.0, 1e12, "keys", "at most a trillion keys"),
    above("cache.capacity_keys", 0.0, 1e12, "keys", "at most a trillion keys"),
    above("cache.ttl_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("cache.zipf_s", 0.0, 10.0, "", "a Zipf exponent (0 uniform, about 1 typical)"),
    r("cache.shards", 1.0, 1_024.0, "shards", "at most 1,024 shards"),
    r("cache.rtt_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    above("cache.ops_limit_per_shard", 0.0, 1e9, "ops/s", "a shard's throughput"),
    r("cache.max_queue", 0.0, 1e9, "requests", "a queue of at most a billion requests"),
    // [database]
    r("database.replicas", 0.0, 64.0, "replicas", "read replicas per shard"),
    r("database.workers", 1.0, 100_000.0, "workers", "parallel query slots"),
    above("database.read_ms", 0.0, 60_000.0, "ms", "a query of at most a minute"),
    above("database.write_ms", 0.0, 60_000.0, "ms", "a query of at most a minute"),
    above("database.apply_capacity_wps", 0.0, 1e9, "writes/s", "a replica's replay rate"),
    r("database.link_latency_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    r("database.failover_detection_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("database.promotion_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("database.replica_provision_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("database.resize_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("database.restart_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("database.pool.pool_size_per_pod", 1.0, 10_000.0, "connections", "connections per pod"),
    r("database.pool.max_connections", 1.0, 1e6, "connections", "the server's connection limit"),
    r("database.pool.wait_timeout_ms", 0.0, 3_600_000.0, "ms", "a wait of at most an hour"),
    r("database.sharding.shards", 1.0, 1_024.0, "shards", "at most 1,024 shards"),
    r("database.sharding.hot_key_shard", 0.0, 1_023.0, "shard", "a shard index below `shards`"),
    r("database.sharding.hot_key_share", 0.0, 1.0, "fraction", FRACTION),
    // [kafka]
    r("kafka.lag_alert_s", 0.0, DAY, "s", "an alert threshold of at most a day"),
    r("kafka.topic.partitions", 1.0, 100_000.0, "partitions", "at most 100,000 partitions"),
    above("kafka.topic.consumer_throughput_eps", 0.0, 1e9, "events/s", "a consumer's throughput"),
    r("kafka.topic.initial_consumers", 0.0, MAX_PODS, "consumers", PODS),
    r("kafka.topic.consumer_startup_s", 0.0, MAX_STARTUP_S, "s", STARTUP),
    r("kafka.topic.rebalance_s", 0.0, 3_600.0, "s", "a rebalance pause of at most an hour"),
    r("kafka.topic.ack_latency_ms", 0.0, 60_000.0, "ms", "an ack of at most a minute"),
    above("kafka.topic.broker_limit_eps", 0.0, 1e10, "events/s", "the brokers' throughput"),
    r("kafka.topic.hot_partition_share", 0.0, 1.0, "fraction", FRACTION),
    r("kafka.topic.poison_fraction", 0.0, 1.0, "fraction", FRACTION),
    r("kafka.topic.poison_retries", 0.0, 1_000.0, "retries", "retries per poison message"),
    above("kafka.topic.retention_s", 0.0, MAX_RUN_S, "s", DURATION),
    // [consistency]
    r("consistency.replicas", 1.0, 64.0, "replicas", "replicas of the store"),
    r("consistency.read_quorum", 1.0, 64.0, "replicas", "at most the replicas"),
    r("consistency.write_quorum", 1.0, 64.0, "replicas", "at most the replicas"),
    r("consistency.write_sites", 1.0, 64.0, "sites", "at most the replicas"),
    r("consistency.replica_rtt_ms", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    r("consistency.session_read_fraction", 0.0, 1.0, "fraction", FRACTION),
    r("consistency.session_read_delay_ms", 0.0, MAX_MS, "ms", "a read at most ten minutes after the write"),
    r("consistency.leader_window_ms", 0.0, 3_600_000.0, "ms", "a window of at most an hour"),
    // [gslb]
    above("gslb.dns_ttl_s", 0.0, DAY, "s", "a DNS TTL of at most a day"),
    r("gslb.health_check_interval_s", 0.1, 3_600.0, "s", "a health check at least every hour"),
    r("gslb.unhealthy_threshold", 1.0, 100.0, "checks", "checks before a region is marked down"),
    r("gslb.healthy_threshold", 1.0, 100.0, "checks", "checks before a region is marked up"),
    r("gslb.regions[].weight", 0.0, 1_000.0, "weight", "a relative weight"),
    r("gslb.users[].share", 0.0, 1_000.0, "weight", "a relative weight; the shares are normalised"),
    r("gslb.users[].home_region", 0.0, 1_023.0, "region", "an index into `gslb.regions`"),
    r("gslb.users[].latency_ms[]", 0.0, 10_000.0, "ms", "a network hop of at most 10 s"),
    // [external]
    r("external.base_latency_ms", 0.0, MAX_MS, "ms", LATENCY),
    r("external.tail_ms", 0.0, MAX_MS, "ms", LATENCY),
    above("external.timeout_ms", 0.0, 3_600_000.0, "ms", "a timeout of at most an hour"),
    r("external.error_rate", 0.0, 1.0, "fraction", FRACTION),
    above("external.rate_limit_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("external.refuse_ms", 0.0, MAX_MS, "ms", LATENCY),
    r("external.hops", 1.0, 8.0, "edges", "a call chain of at most 8 services"),
    // [retry.client], [retry.database], [retry.external], [retry.consumer], [retry.cache]
    r("retry.*.max_attempts", 1.0, 10.0, "attempts", "the first try and at most 9 retries"),
    above("retry.*.base_ms", 0.0, MAX_MS, "ms", "a sleep of at most ten minutes"),
    above("retry.*.cap_ms", 0.0, MAX_MS, "ms", "a sleep of at most ten minutes"),
    above("retry.*.per_attempt_timeout_ms", 0.0, 3_600_000.0, "ms", "a timeout of at most an hour"),
    above("retry.*.deadline_ms", 0.0, 3_600_000.0, "ms", "a deadline of at most an hour"),
    r("retry.*.budget.percent_can_retry", 0.0, 1_000.0, "%", "Finagle's bounds: at most 10 retries per first try"),
    r("retry.*.budget.min_retries_per_s", 0.0, MAX_RPS, "retries/s", "at most 100 million per second"),
    r("retry.*.budget.ttl_s", 1.0, 60.0, "s", "Finagle's bounds for a deposit's life"),
    // [breaker.client], [breaker.database], [breaker.external], [breaker.cache], [breaker.consumer]
    above("breaker.*.failure_rate_threshold_pct", 0.0, 100.0, "%", "a share of the calls in the window"),
    r("breaker.*.sliding_window_s", 1.0, 3_600.0, "s", "a window of a second to an hour"),
    r("breaker.*.minimum_calls", 1.0, 1e9, "calls", "at least one call before a rate counts"),
    above("breaker.*.wait_in_open_s", 0.0, 86_400.0, "s", "a wait of at most a day"),
    r("breaker.*.permitted_calls_in_half_open", 1.0, 1e9, "calls", "at least one trial call"),
    above("breaker.*.slow_call_rate_threshold_pct", 0.0, 100.0, "%", "a share of the calls in the window"),
    above("breaker.*.slow_call_duration_threshold_ms", 0.0, 3_600_000.0, "ms", "a call of at most an hour"),
    // [rate_limit]
    r("rate_limit.limit_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("rate_limit.burst", 0.0, 1e12, "requests", "a bucket of at most a trillion requests"),
    r("rate_limit.classes[].limit_rps", 0.0, MAX_RPS, "req/s", "at most 100 million requests per second"),
    r("rate_limit.classes[].burst", 0.0, 1e12, "requests", "a bucket of at most a trillion requests"),
    // [shedding]
    r("shedding.cpu_threshold_pct", 1.0, 100.0, "%", "a share of the pods' CPU limit in % (85 is 85 %, not 0.85)"),
    r("shedding.queue_threshold", 0.0, 1e9, "requests", "queued requests per pod"),
    // [deployment] and [[versions]]
    r("deployment.max_surge", 0.0, MAX_PODS, "pods", "a count of pods (or a share written \"25%\")"),
    r("deployment.max_unavailable", 0.0, MAX_PODS, "pods", "a count of pods (or a share written \"25%\")"),
    r("deployment.min_ready_s", 0.0, 3_600.0, "s", "at most an hour"),
    r("versions[].error_rate", 0.0, 1.0, "fraction", FRACTION),
    r("versions[].extra_latency_ms", 0.0, MAX_MS, "ms", LATENCY),
    above("versions[].cpu_factor", 0.0, 100.0, "\u{d7}", "the CPU per request of the scenario's pods times this"),
    r("versions[].leak_mib_per_s", 0.0, 1e6, "MiB/s", "at most a terabyte a second"),
    // [canary]
    above("canary.stages[].weight_pct", 0.0, 99.999, "%", "a share of the traffic below 100 % (the promotion after the last stage is the 100 %)"),
    above("canary.stages[].hold_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("canary.error_rate_over_baseline_pct", 0.0, 100.0, "percentage points", "points of error rate over the stable version's (0.5 is half a point)"),
    r("canary.p99_over_baseline_ms", 0.0, MAX_MS, "ms", LATENCY),
    r("canary.memory_pct", 1.0, 100.0, "%", "a share of the pods' memory limit in % (90 is 90 %)"),
    above("canary.interval_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("canary.min_requests", 0.0, 1e12, "requests", "requests in an interval"),
    r("canary.requests_per_user", 1.0, 1e6, "requests", "requests a user makes in a visit"),
    // [blue_green]
    r("blue_green.promote_after_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("blue_green.scale_down_delay_s", 0.0, MAX_RUN_S, "s", DURATION),
    // [[experiments]]
    r("experiments[].steady_s", 0.0, MAX_RUN_S, "s", DURATION),
    above("experiments[].duration_s", 0.0, MAX_RUN_S, "s", DURATION),
    above("experiments[].window_s", 0.0, 86_400.0, "s", "a window of at most a day"),
    r("experiments[].method[].at_s", 0.0, MAX_RUN_S, "s", DURATION),
    above("experiments[].blast_radius.traffic_pct", 0.0, 100.0, "%", "a share of the traffic in % (5 is 5 %)"),
    r("experiments[].steady_state[].max", -1e15, 1e15, "the measure's unit", "a finite bound"),
    r("experiments[].steady_state[].min", -1e15, 1e15, "the measure's unit", "a finite bound"),
    r("experiments[].steady_state[].near", -1e15, 1e15, "the measure's unit", "a finite value"),
    r("experiments[].steady_state[].tolerance_pct", 0.0, 1000.0, "%", "a tolerance in % of the value (10 is ± 10 %)"),
    r("experiments[].abort[].max", -1e15, 1e15, "the measure's unit", "a finite bound"),
    r("experiments[].abort[].min", -1e15, 1e15, "the measure's unit", "a finite bound"),
    r("experiments[].abort[].near", -1e15, 1e15, "the measure's unit", "a finite value"),
    r("experiments[].abort[].tolerance_pct", 0.0, 1000.0, "%", "a tolerance in % of the value (10 is ± 10 %)"),
    r("experiments[].abort[].for_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("experiments[].abort[].within_s", 0.0, MAX_RUN_S, "s", DURATION),
    // [[flags]]
    r("flags[].cpu_factor_off", 0.0, 1.0, "fraction", "a share of the class's CPU; 0 drops its requests"),
    // [[events]] and learners' actions
    r("events[].at_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("events[].action.count", 0.0, MAX_PODS, "pods", PODS),
    r("events[].action.pods", 0.0, MAX_PODS, "pods", PODS),
    r("events[].action.replicas", 0.0, MAX_PODS, "pods", PODS),
    r("events[].action.pod", 0.0, MAX_TOML_INT, "id", "a pod id; TOML integers are signed 64-bit (2^63 − 1)"),
    r("events[].action.node", 0.0, MAX_TOML_INT, "id", "a node id; TOML integers are signed 64-bit (2^63 − 1)"),
    r("events[].action.ms", 0.0, MAX_MS, "ms", LATENCY),
    r("events[].action.extra_ms", 0.0, MAX_MS, "ms", LATENCY),
    r("events[].action.extra_latency_ms", 0.0, MAX_MS, "ms", LATENCY),
    above("events[].action.duration_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("events[].action.fraction", 0.0, 1.0, "fraction", FRACTION),
    r("events[].action.error_rate", 0.0, 1.0, "fraction", FRACTION),
    r("events[].action.share", 0.0, 1.0, "fraction", FRACTION),
    r("events[].action.minority_clients", 0.0, 1.0, "fraction", FRACTION),
    r("events[].action.minority_replicas", 0.0, 64.0, "replicas", "replicas of the store"),
    above("events[].action.mib_per_s", 0.0, 1e6, "MiB/s", "a leak (more than 0) of at most a TiB per second"),
    r("events[].action.multiplier", 0.0, 1_000.0, "×", "at most a thousandfold surge"),
    r("events[].action.ramp_up_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("events[].action.hold_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("events[].action.ramp_down_s", 0.0, MAX_RUN_S, "s", DURATION),
    r("events[].action.shard", 0.0, 1_023.0, "shard", "a shard index below `database.sharding.shards`"),
    r("events[].action.tail_factor", 1.0, 1_000.0, "×", "a tail at least as long as the usual one"),
    r("events[].action.workers", 1.0, 100_000.0, "workers", "parallel query slots"),
    r("events[].action.max_attempts", 1.0, 10.0, "attempts", "the first try and at most 9 retries"),
    // [[knobs]]
    r("knobs[].min", -1e12, 1e12, "", "a knob's bound"),
    r("knobs[].max", -1e12, 1e12, "", "a knob's bound"),
];

/// The table key of a number's `path` (see the module doc), or `None` for the
/// subtrees with their own rules (`questions`).
pub fn table_key(path: &str) -> Option<String> {
    if path.starts_with("questions") {
        return None;
    }
    let mut key = pattern_of(path);
    while key.contains("traffic.profile.parts[].") {
        key = key.replace("traffic.profile.parts[].", "traffic.profile.");
    }
    if let Some(rest) = key.strip_prefix("kafka.hpa.") {
        key = format!("hpa.{rest}");
    }
    if key.starts_with("balancer.zone_weights.") {
        key = "balancer.zone_weights.*".into();
    }
    // An experiment's steps are actions like the events'.
    if let Some(rest) = key.strip_prefix("experiments[].method[].action.") {
        key = format!("events[].action.{rest}");
    }
    Some(edge_key(&key).unwrap_or(key))
}

/// `retry.<edge>.x` and `breaker.<edge>.x` as their table keys, `retry.*.x` and
/// `breaker.*.x` (every edge has the same ranges).
fn edge_key(key: &str) -> Option<String> {
    for table in ["retry", "breaker"] {
        if let Some(rest) = key.strip_prefix(table).and_then(|r| r.strip_prefix('.')) {
            let (_, field) = rest.split_once('.')?;
            return Some(format!("{table}.*.{field}"));
        }
    }
    None
}

/// The range of table key `key` (an edge's `retry.client.max_attempts` reads as
/// `retry.*.max_attempts`).
pub fn range_of(key: &str) -> Option<&'static FieldRange> {
    match edge_key(key) {
        Some(k) => RANGES.iter().find(|r| r.key == k),
        None => RANGES.iter().find(|r| r.key == key),
    }
}

impl FieldRange {
    /// True when `v` is finite and within the range.
    pub fn admits(&self, v: f64) -> bool {
        v.is_finite()
            && v <= self.max
            && if self.above_min {
                v > self.min
            } else {
                v >= self.min
            }
    }

    /// The range in words: "from 0.01 to 60 s", "above 0, up to 1 (fraction)".
    pub fn words(&self) -> String {
        let unit = match self.unit {
            "" => String::new(),
            "fraction" | "weight" => format!(" ({})", self.unit),
            u => format!(" {u}"),
        };
        let (lo, hi) = (number_words(self.min), number_words(self.max));
        if self.above_min {
            format!("above {lo} and at most {hi}{unit}")
        } else {
            format!("from {lo} to {hi}{unit}")
        }
    }
}

/// A bound as the docs print it: `86,400`, `0.01`, `1e+08`.
pub fn number_words(v: f64) -> String {
    if v >= 1.8e19 {
        return "2^64 − 1".into();
    }
    if v == MAX_TOML_INT {
        // 2^63 as a double: the bound itself is one less.
        return "9,223,372,036,854,775,807".into();
    }
    if v.abs() >= 1e9 && v.fract() == 0.0 {
        let e = v.abs().log10().floor() as i32;
        let m = v / 10f64.powi(e);
        if (m - m.round()).abs() < 1e-9 {
            let m = m.round() as i64;
            return if m == 1 {
                format!("10^{e}")
            } else {
                format!("{m}·10^{e}")
            };
        }
        return format!("{v:e}");
    }
    if v.fract() == 0.0 {
        return grouped(v);
    }
    format!("{v}")
}

/// A whole number with its thousands grouped: `-1,234,567`.
fn grouped(v: f64) -> String {
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// A number out of its range, or not finite: its path and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfRange {
    /// Where (`topology.regions[1].traffic_share`).
    pub path: String,
    /// What is wrong and what is accepted.
    pub message: String,
}

/// Checks one number found at `found.path`. Numbers without a table entry must
/// still be finite.
pub fn check(found: &Found) -> Result<(), OutOfRange> {
    let Some(key) = table_key(&found.path) else {
        return finite(found);
    };
    match range_of(&key) {
        Some(range) if range.admits(found.value) => Ok(()),
        Some(range) => Err(OutOfRange {
            path: found.path.clone(),
            message: format!(
                "must be {} ({}), got {}",
                range.words(),
                range.why,
                value_words(found.value)
            ),
        }),
        None => finite(found),
    }
}

fn finite(found: &Found) -> Result<(), OutOfRange> {
    if found.value.is_finite() {
        Ok(())
    } else {
        Err(OutOfRange {
            path: found.path.clone(),
            message: format!("must be a finite number, got {}", value_words(found.value)),
        })
    }
}

/// A value as a refusal quotes it: `nan` and `inf` as TOML writes them, whole
/// numbers grouped (`1,000,000,000`), the very large and small in e-notation.
pub fn value_words(v: f64) -> String {
    // 15 significant digits: a bound computed as 9 × 0.3 reads 2.7, not
    // 2.6999999999999997 (no written number needs more).
    let v = crate::figures::round_sig(v, 15);
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        grouped(v)
    } else {
        format!("{v}")
    }
}

/// Checks every number in `value`, its paths starting at `prefix`: the first one out
/// of range.
pub fn check_all<T: Serialize + ?Sized>(value: &T, prefix: &str) -> Result<(), OutOfRange> {
    numbers_of(value, prefix).iter().try_for_each(check)
}

/// The range table as the Markdown rows `docs/scenario-format.md` prints.
pub fn markdown_table() -> String {
    let mut out = String::from("| field | range | why |\n|---|---|---|\n");
    for r in RANGES {
        out.push_str(&format!("| `{}` | {} | {} |\n", r.key, r.words(), r.why));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_ranges_are_ordered() {
        for (i, r) in RANGES.iter().enumerate() {
            assert!(r.min < r.max, "{}", r.key);
            assert!(
                RANGES[..i].iter().all(|p| p.key != r.key),
                "{} twice",
                r.key
            );
        }
    }

    #[test]
    fn a_path_finds_its_range_and_a_refusal_says_what_is_accepted() {
        let f = Found {
            path: "traffic.profile.parts[2].multiplier".into(),
            value: 1e308,
        };
        let e = check(&f).unwrap_err();
        assert_eq!(e.path, "traffic.profile.parts[2].multiplier");
        assert!(e.message.contains("from 0 to 1,000 ×"), "{}", e.message);
        let nan = Found {
            path: "kafka.hpa.minReplicas".into(),
            value: f64::NAN,
        };
        assert!(check(&nan).unwrap_err().message.contains("got nan"));
        let q = Found {
            path: "questions[0].answer".into(),
            value: f64::INFINITY,
        };
        assert!(check(&q).unwrap_err().message.contains("finite"));
        assert_eq!(number_words(86_400.0), "86,400");
        assert_eq!(number_words(1e8), "100,000,000");
        assert_eq!(number_words(1e12), "10^12");
        assert_eq!(number_words(0.01), "0.01");
    }
}
