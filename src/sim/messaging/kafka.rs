//! A Kafka-style topic and its consumer group, as one per-tick component
//! (docs/models.md#kafka: by default 12 partitions, 5 consumers, 150K events/s;
//! above capacity the backlog is a fluid that grows at λ − cμ).
//!
//! ```text
//!            offered ─▶ broker limit ─▶ rejected (publish errors)
//!                          │ published
//!                          ▼
//!   ┌─ partition 0: [seg][seg][seg]… ─┐   consumer k owns partitions k, k+a, k+2a…
//!   ├─ partition 1: [seg][seg]…       ├─▶ a = min(ready consumers, P) active, the rest idle
//!   └─ partition P−1 …                ┘        │ consumed           │ poison
//!        │ segment older than retention        ▼                    ▼
//!        ▼                                 to the DB (smooth)      DLQ
//!      expired (lost, counted)
//! ```
//!
//! Messages are whole numbers (`u64`), so conservation is exact every tick:
//! **published = consumed + in lag + expired + dead-lettered**. Fractional rates carry
//! their remainder to the next tick. Each partition's log is a ring of at most
//! [`SEGMENTS`] segments (an age histogram, each `retention_s / 8` wide): like Kafka, a
//! segment is deleted when its newest message is older than the retention, and the
//! messages still unconsumed in it are counted as expired.
//!
//! Consumers start after `consumer_startup_s`; every change of the running consumers
//! triggers a group rebalance that pauses consumption for `rebalance_s`. The lag is an
//! External metric ([`LAG_METRIC`], KEDA style) through [`ConsumerGroupMetrics`], so an
//! [`HpaController`](crate::sim::hpa::HpaController) can scale the group.

use serde::{Deserialize, Serialize};

use crate::sim::hpa::{HpaMetrics, HpaPod, PodPhase};

/// Name of the External metric that carries the consumer group's total lag [messages].
pub const LAG_METRIC: &str = "kafka_consumergroup_lag";

/// What the consumer group's HPA can read besides CPU and memory: the lag
/// ([`LAG_METRIC`]), as an External metric.
pub const CONSUMER_READABLE: crate::sim::hpa::spec::ReadableMetrics =
    crate::sim::hpa::spec::ReadableMetrics {
        pods: &[],
        object: &[],
        external: &[LAG_METRIC],
    };

/// Segments kept per partition (the ring's capacity).
pub const SEGMENTS: usize = 12;

/// Segments spanned by the retention: a segment is `retention_s / SEGMENTS_PER_RETENTION` wide.
const SEGMENTS_PER_RETENTION: f64 = 8.0;

use crate::sim::queueing::RHO_CAP;

/// Configuration of one topic and its consumer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaConfig {
    /// Partitions of the topic (default 12). At most this many consumers are active.
    pub partitions: u32,
    /// Broker throughput limit [events/s] (default 150K, broker I/O). Above it publishes are rejected.
    pub broker_limit_eps: f64,
    /// What one consumer processes at full speed [events/s].
    pub consumer_throughput_eps: f64,
    /// Retention [s]: messages older than this are deleted, consumed or not (Kafka default 7 days).
    pub retention_s: f64,
    /// Fraction of messages that are poison (always fail) [0..1]; they go to the DLQ.
    pub poison_fraction: f64,
    /// Retries of a poison message before it is dead-lettered; each retry costs consumer capacity.
    pub poison_retries: u32,
    /// Time from asking for a consumer to it consuming [s] (pod start + group join).
    pub consumer_startup_s: f64,
    /// Consumption pause on every change of the running consumers [s] (stop-the-world rebalance).
    pub rebalance_s: f64,
    /// Extra share of the messages whose key hashes to partition 0 (a hot key) [0..1]; 0 = uniform.
    pub hot_partition_share: f64,
    /// Producer ack latency at an idle broker [ms] (acks=all: leader + in-sync replicas).
    pub ack_latency_ms: f64,
    /// Consumers asked for at the start [pods].
    pub initial_consumers: u32,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            partitions: 12,
            broker_limit_eps: 150_000.0,
            consumer_throughput_eps: 2_000.0,
            retention_s: 7.0 * 86_400.0,
            poison_fraction: 0.0,
            poison_retries: 3,
            consumer_startup_s: 30.0,
            rebalance_s: 3.0,
            hot_partition_share: 0.0,
            ack_latency_ms: 5.0,
            initial_consumers: 5,
        }
    }
}

/// What the rest of the world offers the topic this tick.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KafkaInput {
    /// Events the API publishes [events/s].
    pub publish_eps: f64,
    /// Consumer speed factor (1 = nominal; < 1 when the DB behind them is slow) [fraction].
    pub consumer_speed: f64,
    /// Most messages the group may take this tick [messages] (`f64::INFINITY`: no
    /// bound; a half-open circuit breaker lets only its trial calls through).
    pub max_consumed: f64,
}

impl KafkaInput {
    /// `publish_eps` at nominal consumer speed.
    pub fn publishing(publish_eps: f64) -> Self {
        KafkaInput {
            publish_eps,
            consumer_speed: 1.0,
            max_consumed: f64::INFINITY,
        }
    }
}

/// What happened in one tick (rates are over the tick).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KafkaTick {
    /// Publishes the API attempted [events/s].
    pub offered_eps: f64,
    /// Publishes the brokers accepted [events/s].
    pub published_eps: f64,
    /// Publishes refused above the broker limit [events/s]: publish errors, reason "broker limit".
    pub rejected_eps: f64,
    /// Messages processed successfully [events/s]: the smooth rate the DB sees.
    pub consumed_eps: f64,
    /// Poison messages moved to the DLQ [events/s].
    pub dead_lettered_eps: f64,
    /// Unconsumed messages deleted by retention [events/s] (lost).
    pub expired_eps: f64,
    /// Messages published but not yet consumed, at the end of the tick [messages].
    pub lag_messages: f64,
    /// Age of the oldest unconsumed message, max over partitions [s].
    pub lag_s: f64,
    /// Time to drain the lag at the current capacity if publishing stopped [s]; `None` with no capacity.
    pub drain_eta_s: Option<f64>,
    /// What the active consumers can process [events/s].
    pub capacity_eps: f64,
    /// Consumers that own partitions and consume.
    pub active_consumers: u32,
    /// Ready consumers with no partition (consumers beyond the partition count).
    pub idle_consumers: u32,
    /// Consumers asked for and still starting.
    pub starting_consumers: u32,
    /// True while a rebalance pauses consumption.
    pub rebalancing: bool,
    /// Producer ack latency [ms], rising with broker utilization.
    pub publish_latency_ms: f64,
}

/// Cumulative message counts since the start [messages].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KafkaTotals {
    /// Publishes attempted.
    pub offered: u64,
    /// Publishes accepted.
    pub published: u64,
    /// Publishes refused by the broker limit.
    pub rejected: u64,
    /// Processed successfully.
    pub consumed: u64,
    /// Poison messages dead-lettered.
    pub dead_lettered: u64,
    /// Deleted by retention before being consumed.
    pub expired: u64,
}

/// A log segment: messages published in [start_s, end_s].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Segment {
    /// First publish [s].
    start_s: f64,
    /// Last publish [s].
    end_s: f64,
    /// Messages appended [messages].
    appended: u64,
    /// Messages not yet consumed [messages].
    remaining: u64,
}

/// One partition's log.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Partition {
    segments: [Segment; SEGMENTS],
    /// Index of the oldest segment.
    head: usize,
    /// Segments in use.
    len: usize,
    /// Unconsumed messages [messages].
    lag: u64,
}

impl Partition {
    fn active_index(&self) -> usize {
        (self.head + self.len - 1) % SEGMENTS
    }

    /// Deletes segments whose newest message is older than the retention; returns the expired count.
    fn expire(&mut self, now_s: f64, retention_s: f64) -> u64 {
        let mut expired = 0;
        while self.len > 0 && self.segments[self.head].end_s + retention_s <= now_s {
            expired += self.segments[self.head].remaining;
            self.segments[self.head] = Segment::default();
            self.head = (self.head + 1) % SEGMENTS;
            self.len -= 1;
        }
        self.lag -= expired;
        expired
    }

    fn append(&mut self, n: u64, now_s: f64, segment_s: f64) {
        if n == 0 {
            return;
        }
        let roll = self.len == 0 || now_s >= self.segments[self.active_index()].start_s + segment_s;
        if roll && self.len < SEGMENTS {
            self.len += 1;
            self.segments[self.active_index()] = Segment {
                start_s: now_s,
                end_s: now_s,
                appended: 0,
                remaining: 0,
            };
        }
        // A full ring keeps appending to the newest segment.
        let s = &mut self.segments[self.active_index()];
        s.end_s = now_s;
        s.appended += n;
        s.remaining += n;
        self.lag += n;
    }

    /// Consumes up to `n` messages, oldest first; returns how many.
    fn consume(&mut self, n: u64) -> u64 {
        let mut left = n.min(self.lag);
        let taken = left;
        while left > 0 && self.len > 0 {
            let s = &mut self.segments[self.head];
            let k = left.min(s.remaining);
            s.remaining -= k;
            left -= k;
            if s.remaining == 0 && self.len > 1 {
                self.segments[self.head] = Segment::default();
                self.head = (self.head + 1) % SEGMENTS;
                self.len -= 1;
            } else if s.remaining == 0 {
                break;
            }
        }
        self.lag -= taken;
        taken
    }

    /// Age of the oldest unconsumed message [s], assuming even publishing within a segment.
    fn lag_s(&self, now_s: f64) -> f64 {
        for j in 0..self.len {
            let s = &self.segments[(self.head + j) % SEGMENTS];
            if s.remaining > 0 {
                let done = (s.appended - s.remaining) as f64 / s.appended as f64;
                let oldest = s.start_s + done * (s.end_s - s.start_s);
                return (now_s - oldest).max(0.0);
            }
        }
        0.0
    }
}

/// One partition as the UI draws it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionView {
    /// Unconsumed messages [messages].
    pub lag_messages: u64,
    /// Age of its oldest unconsumed message [s].
    pub lag_s: f64,
    /// Index of the consumer that owns it, `None` when no consumer is active.
    pub owner: Option<u32>,
}

/// A topic, its partitions and its consumer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KafkaTopic {
    config: KafkaConfig,
    partitions: Vec<Partition>,
    /// Consumers the group should have (the HPA's `spec.replicas`) [pods].
    desired: u32,
    /// Consumers running and joined [pods].
    ready: u32,
    /// When each starting consumer will be ready [s], oldest request first.
    starting: Vec<f64>,
    /// Consumers-stopped fault.
    stopped: bool,
    /// Consumption is paused until then (rebalance) [s].
    paused_until_s: f64,
    /// Active consumers in the previous tick (a change triggers a rebalance).
    last_active: u32,
    /// Per-consumer fractional capacity carried to the next tick [messages].
    capacity_carry: Vec<f64>,
    /// Fractional publishes carried [messages].
    publish_carry: f64,
    /// Fractional poison messages carried [messages].
    poison_carry: f64,
    /// Next partition to get a remainder message (round robin).
    cursor: usize,
    totals: KafkaTotals,
    last: KafkaTick,
}

impl KafkaTopic {
    /// A topic with `config.initial_consumers` consumers already running.
    pub fn new(config: KafkaConfig) -> Self {
        let p = config.partitions.max(1) as usize;
        let ready = config.initial_consumers;
        KafkaTopic {
            partitions: vec![Partition::default(); p],
            desired: ready,
            ready,
            starting: Vec::new(),
            stopped: false,
            paused_until_s: f64::MIN,
            last_active: ready.min(p as u32),
            capacity_carry: vec![0.0; p],
            publish_carry: 0.0,
            poison_carry: 0.0,
            cursor: 0,
            totals: KafkaTotals::default(),
            last: KafkaTick::default(),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &KafkaConfig {
        &self.config
    }

    /// Advances one tick of `dt_s` starting at `now_s`: expiry, publish, consume.
    #[must_use]
    pub fn tick(&mut self, now_s: f64, dt_s: f64, input: &KafkaInput) -> KafkaTick {
        let cfg = &self.config;
        let dt = dt_s.max(1e-9);
        let p = self.partitions.len();

        // Consumers that finished starting.
        let before = self.starting.len();
        self.starting.retain(|&t| t > now_s);
        self.ready += (before - self.starting.len()) as u32;

        // Retention.
        let mut expired = 0;
        for part in &mut self.partitions {
            expired += part.expire(now_s, cfg.retention_s);
        }

        // Publish, up to the broker limit.
        let offered_x = finite_nonneg(input.publish_eps) * dt + self.publish_carry;
        let offered = offered_x.floor();
        self.publish_carry = offered_x - offered;
        let offered = offered as u64;
        let broker_cap = (finite_nonneg(cfg.broker_limit_eps) * dt).floor() as u64;
        let published = offered.min(broker_cap);
        let rejected = offered - published;
        let segment_s = (cfg.retention_s / SEGMENTS_PER_RETENTION).max(dt);
        let hot = (published as f64 * cfg.hot_partition_share.clamp(0.0, 1.0)).floor() as u64;
        let rest = published - hot;
        let base = rest / p as u64;
        let rem = (rest % p as u64) as usize;
        for (i, part) in self.partitions.iter_mut().enumerate() {
            let extra = u64::from((i + p - self.cursor) % p < rem);
            let n = base + extra + if i == 0 { hot } else { 0 };
            part.append(n, now_s, segment_s);
        }
        self.cursor = (self.cursor + rem) % p;

        // Consumer group: active consumers own partitions k, k+a, k+2a…
        let active = if self.stopped {
            0
        } else {
            self.ready.min(p as u32)
        };
        if active != self.last_active {
            self.paused_until_s = now_s + cfg.rebalance_s;
            self.last_active = active;
        }
        let rebalancing = now_s < self.paused_until_s;
        let speed = finite_nonneg(input.consumer_speed);
        let per_consumer_eps = finite_nonneg(cfg.consumer_throughput_eps)
            / (1.0 + cfg.poison_fraction.clamp(0.0, 1.0) * f64::from(cfg.poison_retries));
        // A bound on the group's take: the consumers take in turn while it lasts.
        let mut group_left = finite_nonneg(input.max_consumed.min(f64::MAX)).floor() as u64;
        let per_tick = per_consumer_eps * speed * dt;
        let mut taken = 0u64;
        if !rebalancing {
            let a = active as usize;
            for k in 0..a {
                let before = taken;
                let x = per_tick + self.capacity_carry[k];
                let cap = x.floor();
                self.capacity_carry[k] = x - cap;
                let cap = (cap as u64).min(group_left);
                let mut avail = 0u64;
                let mut i = k;
                while i < p {
                    avail += self.partitions[i].lag;
                    i += a;
                }
                if avail <= cap {
                    let mut i = k;
                    while i < p {
                        let n = self.partitions[i].lag;
                        taken += self.partitions[i].consume(n);
                        i += a;
                    }
                } else {
                    // Proportional to each partition's lag, remainder one by one.
                    let mut given = 0u64;
                    let mut i = k;
                    while i < p {
                        let share = (u128::from(cap) * u128::from(self.partitions[i].lag)
                            / u128::from(avail)) as u64;
                        given += self.partitions[i].consume(share);
                        i += a;
                    }
                    let mut left = cap - given;
                    let mut i = k;
                    while i < p && left > 0 {
                        let n = self.partitions[i].consume(1);
                        left -= n;
                        given += n;
                        i += a;
                    }
                    taken += given;
                }
                group_left -= taken - before;
            }
        }
        self.poison_carry += taken as f64 * cfg.poison_fraction.clamp(0.0, 1.0);
        let dead = (self.poison_carry.floor() as u64).min(taken);
        self.poison_carry = (self.poison_carry - dead as f64).max(0.0);
        let consumed = taken - dead;

        // Offered and refused events are not bounded by the brokers: 10^14 events/s
        // for 400 days passes 2^64, so the totals stop at u64::MAX instead of wrapping.
        let t = &mut self.totals;
        t.offered = t.offered.saturating_add(offered);
        t.published = t.published.saturating_add(published);
        t.rejected = t.rejected.saturating_add(rejected);
        t.consumed = t.consumed.saturating_add(consumed);
        t.dead_lettered = t.dead_lettered.saturating_add(dead);
        t.expired = t.expired.saturating_add(expired);

        let lag: u64 = self.partitions.iter().map(|x| x.lag).sum();
        let end_s = now_s + dt;
        let lag_s = self
            .partitions
            .iter()
            .map(|x| x.lag_s(end_s))
            .fold(0.0, f64::max);
        let capacity_eps = f64::from(active) * per_consumer_eps * speed;
        let rho = if cfg.broker_limit_eps > 0.0 {
            (published as f64 / dt / cfg.broker_limit_eps).min(RHO_CAP)
        } else {
            RHO_CAP
        };
        self.last = KafkaTick {
            offered_eps: offered as f64 / dt,
            published_eps: published as f64 / dt,
            rejected_eps: rejected as f64 / dt,
            consumed_eps: consumed as f64 / dt,
            dead_lettered_eps: dead as f64 / dt,
            expired_eps: expired as f64 / dt,
            lag_messages: lag as f64,
            lag_s,
            drain_eta_s: if lag == 0 {
                Some(0.0)
            } else if capacity_eps > 0.0 {
                Some(lag as f64 / capacity_eps)
            } else {
                None
            },
            capacity_eps,
            active_consumers: active,
            idle_consumers: if self.stopped { 0 } else { self.ready - active },
            starting_consumers: self.starting.len() as u32,
            rebalancing,
            publish_latency_ms: cfg.ack_latency_ms / (1.0 - rho),
        };
        self.last
    }

    /// Sets the consumers the group should have (the HPA's decision) at `now_s`.
    /// New consumers start after `consumer_startup_s`; removals take starting ones first.
    pub fn set_consumers(&mut self, replicas: u32, now_s: f64) {
        self.desired = replicas;
        if self.stopped {
            return;
        }
        let have = self.ready + self.starting.len() as u32;
        if replicas > have {
            for _ in have..replicas {
                self.starting.push(now_s + self.config.consumer_startup_s);
            }
        } else {
            let mut remove = have - replicas;
            while remove > 0 && self.starting.pop().is_some() {
                remove -= 1;
            }
            self.ready -= remove.min(self.ready);
        }
    }

    /// Fault: every consumer stops (crash, bad deploy). Publishing goes on; the lag grows.
    pub fn stop_consumers(&mut self) {
        self.stopped = true;
        self.ready = 0;
        self.starting.clear();
    }

    /// Ends the consumers-stopped fault: the desired consumers start again after the start-up delay.
    pub fn restart_consumers(&mut self, now_s: f64) {
        if !self.stopped {
            return;
        }
        self.stopped = false;
        let desired = self.desired;
        self.set_consumers(desired, now_s);
    }

    /// True while the consumers-stopped fault holds.
    pub fn consumers_stopped(&self) -> bool {
        self.stopped
    }

    /// Consumers asked for (the HPA's `spec.replicas`) [pods].
    pub fn desired_consumers(&self) -> u32 {
        self.desired
    }

    /// Consumers running [pods].
    pub fn ready_consumers(&self) -> u32 {
        self.ready
    }

    /// Unconsumed messages over all partitions [messages].
    pub fn lag_messages(&self) -> u64 {
        self.partitions.iter().map(|x| x.lag).sum()
    }

    /// Cumulative counts.
    pub fn totals(&self) -> KafkaTotals {
        self.totals
    }

    /// The last tick's output.
    pub fn last(&self) -> KafkaTick {
        self.last
    }

    /// published − (consumed + lag + expired + dead-lettered) [messages]: always 0.
    pub fn conservation_gap(&self) -> i128 {
        let t = &self.totals;
        i128::from(t.published)
            - i128::from(t.consumed)
            - i128::from(self.lag_messages())
            - i128::from(t.expired)
            - i128::from(t.dead_lettered)
    }

    /// The partitions as the UI draws them, at `now_s`.
    pub fn partition_views(&self, now_s: f64) -> impl Iterator<Item = PartitionView> + '_ {
        let a = self.last_active;
        self.partitions
            .iter()
            .enumerate()
            .map(move |(i, x)| PartitionView {
                lag_messages: x.lag,
                lag_s: x.lag_s(now_s),
                owner: (a > 0).then(|| i as u32 % a),
            })
    }

    /// The HPA's view of the consumer group at `now_s`: consumers as pods, the raw lag as
    /// [`LAG_METRIC`] (an exporter with no cap, or KEDA with `allowIdleConsumers: true`).
    pub fn metrics_view(&self, now_s: f64) -> ConsumerGroupMetrics {
        self.metrics_view_capped(now_s, None)
    }

    /// The HPA's view as KEDA's Kafka scaler reports the lag: with `lag_threshold_m` (the
    /// scaler's `lagThreshold`, which is the External metric's `AverageValue` target
    /// [milli-messages]) a total lag above partitions × lagThreshold is reported as
    /// partitions × lagThreshold, so the HPA never asks for more consumers than partitions
    /// (`allowIdleConsumers: false`, KEDA's default). `None`: the raw lag.
    ///
    /// Source: kedacore/keda `pkg/scalers/kafka_scaler.go` `getTotalLag`: "don't scale out
    /// beyond the number of topicPartitions": `if (totalLag / lagThreshold) > totalTopicPartitions
    /// { totalLag = totalTopicPartitions * lagThreshold }`; KEDA docs (Apache Kafka scaler,
    /// `allowIdleConsumers`, default false); kedacore/keda#145, #4483.
    pub fn metrics_view_capped(
        &self,
        now_s: f64,
        lag_threshold_m: Option<i64>,
    ) -> ConsumerGroupMetrics {
        let ready = HpaPod {
            phase: PodPhase::Running,
            ready: true,
            start_time_s: Some(0.0),
            last_ready_transition_s: Some(0.0),
            cpu_usage_m: None,
            cpu_request_m: 1000,
            memory_usage_bytes: None,
            memory_request_bytes: 0,
            sample_time_s: now_s,
            sample_window_s: 0.0,
        };
        let mut pods = vec![ready; self.ready as usize];
        pods.extend(self.starting.iter().map(|_| HpaPod {
            phase: PodPhase::Pending,
            ready: false,
            start_time_s: None,
            last_ready_transition_s: None,
            ..ready
        }));
        let mut lag_m = i64::try_from(self.lag_messages())
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000);
        if let Some(threshold_m) = lag_threshold_m.filter(|&t| t > 0) {
            // KEDA divides whole messages: totalLag / lagThreshold > partitions.
            let partitions = i64::try_from(self.partitions.len()).unwrap_or(i64::MAX);
            if lag_m / 1000 / (threshold_m / 1000).max(1) > partitions {
                lag_m = partitions.saturating_mul(threshold_m);
            }
        }
        ConsumerGroupMetrics { pods, lag_m }
    }
}

/// The consumer group as the HPA's metrics view (KEDA's Kafka scaler feeds the same External metric).
#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerGroupMetrics {
    /// Consumers as pods, running first, then starting.
    pub pods: Vec<HpaPod>,
    /// Total lag [milli-messages].
    pub lag_m: i64,
}

impl HpaMetrics for ConsumerGroupMetrics {
    fn pods(&self) -> &[HpaPod] {
        &self.pods
    }
    fn pod_metric_m(&self, _name: &str, _index: usize) -> Option<i64> {
        None
    }
    fn external_metric_m(&self, name: &str) -> Option<i64> {
        CONSUMER_READABLE
            .external
            .contains(&name)
            .then_some(self.lag_m)
    }
    fn object_metric_m(&self, _name: &str) -> Option<i64> {
        None
    }
}

/// `x` when finite and positive, else 0.
fn finite_nonneg(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(topic: &mut KafkaTopic, from_s: f64, to_s: f64, eps: f64) -> KafkaTick {
        let mut t = from_s;
        let mut last = KafkaTick::default();
        while t < to_s {
            last = topic.tick(t, 1.0, &KafkaInput::publishing(eps));
            assert_eq!(topic.conservation_gap(), 0);
            t += 1.0;
        }
        last
    }

    #[test]
    fn a_topic_survives_a_json_round_trip_mid_run() {
        let mut k = KafkaTopic::new(KafkaConfig::default());
        k.set_consumers(8, 0.0);
        run(&mut k, 0.0, 10.0, 30_000.0);
        let text = serde_json::to_string(&k).expect("serializes");
        let mut back: KafkaTopic = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, k);
        let input = KafkaInput::publishing(30_000.0);
        assert_eq!(back.tick(10.0, 1.0, &input), k.tick(10.0, 1.0, &input));
    }

    #[test]
    fn totals_stop_at_the_top_of_u64_instead_of_wrapping() {
        // 10^14 events/s offered in 60 s ticks passes 2^64 events after about 3,075 ticks.
        let mut k = KafkaTopic::new(KafkaConfig::default());
        k.set_consumers(8, 0.0);
        let input = KafkaInput::publishing(1e14);
        for i in 0..3_200 {
            let _ = k.tick(f64::from(i) * 60.0, 60.0, &input);
        }
        assert_eq!(k.totals.offered, u64::MAX);
        assert_eq!(k.totals.rejected, u64::MAX);
        // What the brokers took is bounded by their limit, and still conserved.
        assert!(k.totals.published < u64::MAX / 1000);
        assert_eq!(k.conservation_gap(), 0);
    }

    #[test]
    fn publishes_above_the_broker_limit_are_rejected() {
        let mut k = KafkaTopic::new(KafkaConfig::default());
        let out = k.tick(0.0, 1.0, &KafkaInput::publishing(200_000.0));
        assert_eq!(out.published_eps, 150_000.0);
        assert_eq!(out.rejected_eps, 50_000.0);
        assert!(out.publish_latency_ms > 5.0 * 10.0);
    }

    #[test]
    fn adding_consumers_beyond_the_partition_count_does_not_raise_throughput() {
        let cfg = KafkaConfig {
            partitions: 4,
            initial_consumers: 4,
            rebalance_s: 0.0,
            ..KafkaConfig::default()
        };
        let mut four = KafkaTopic::new(cfg.clone());
        let mut ten = KafkaTopic::new(KafkaConfig {
            initial_consumers: 10,
            ..cfg
        });
        let a = run(&mut four, 0.0, 20.0, 20_000.0);
        let b = run(&mut ten, 0.0, 20.0, 20_000.0);
        assert_eq!(a.consumed_eps, 8_000.0);
        assert_eq!(b.consumed_eps, a.consumed_eps);
        assert_eq!((b.active_consumers, b.idle_consumers), (4, 6));
    }

    #[test]
    fn messages_older_than_retention_are_lost_and_counted() {
        let mut k = KafkaTopic::new(KafkaConfig {
            retention_s: 60.0,
            ..KafkaConfig::default()
        });
        k.stop_consumers();
        run(&mut k, 0.0, 200.0, 100.0);
        let t = k.totals();
        assert!(t.expired > 10_000, "expired {}", t.expired);
        assert!(k.lag_messages() <= 100 * 80);
        assert_eq!(t.consumed, 0);
    }

    #[test]
    fn poison_messages_land_in_the_dead_letter_queue() {
        let mut k = KafkaTopic::new(KafkaConfig {
            poison_fraction: 0.01,
            ..KafkaConfig::default()
        });
        run(&mut k, 0.0, 100.0, 1_000.0);
        let t = k.totals();
        assert!((t.dead_lettered as f64 - 0.01 * t.published as f64).abs() <= 1_000.0 * 0.01 + 1.0);
        assert!(t.dead_lettered > 900);
    }

    #[test]
    fn a_hot_partition_lags_while_the_others_keep_up() {
        let mut k = KafkaTopic::new(KafkaConfig {
            partitions: 4,
            initial_consumers: 4,
            hot_partition_share: 0.5,
            ..KafkaConfig::default()
        });
        run(&mut k, 0.0, 30.0, 6_000.0);
        let views: Vec<PartitionView> = k.partition_views(30.0).collect();
        assert!(views[0].lag_messages > 10_000);
        assert!(views[1..].iter().all(|v| v.lag_messages < 1_000));
    }

    #[test]
    fn new_consumers_wait_for_start_up_and_a_rebalance_pauses_consumption() {
        let mut k = KafkaTopic::new(KafkaConfig {
            initial_consumers: 1,
            consumer_startup_s: 10.0,
            rebalance_s: 3.0,
            ..KafkaConfig::default()
        });
        run(&mut k, 0.0, 5.0, 1_000.0);
        k.set_consumers(3, 5.0);
        let out = run(&mut k, 5.0, 14.0, 1_000.0);
        assert_eq!((out.active_consumers, out.starting_consumers), (1, 2));
        let out = k.tick(15.0, 1.0, &KafkaInput::publishing(1_000.0));
        assert_eq!(out.active_consumers, 3);
        assert!(out.rebalancing && out.consumed_eps == 0.0);
    }

    #[test]
    fn keda_caps_the_lag_at_partitions_times_the_threshold() {
        let mut k = KafkaTopic::new(KafkaConfig {
            partitions: 6,
            initial_consumers: 0,
            ..KafkaConfig::default()
        });
        run(&mut k, 0.0, 10.0, 10_000.0);
        assert_eq!(k.lag_messages(), 100_000);
        let raw = k.metrics_view(10.0).lag_m;
        assert_eq!(raw, 100_000_000);
        // lagThreshold 5,000: 100,000 / 5,000 = 20 > 6 partitions, reported as 6 × 5,000.
        assert_eq!(
            k.metrics_view_capped(10.0, Some(5_000_000)).lag_m,
            30_000_000
        );
        // lagThreshold 20,000: 5 ≤ 6, the raw lag.
        assert_eq!(k.metrics_view_capped(10.0, Some(20_000_000)).lag_m, raw);
        assert_eq!(k.metrics_view_capped(10.0, None).lag_m, raw);
    }
}
