//! Actions in words: the one wording the CLI's event log, the page's timeline
//! and the grader share, and the number formats prose uses. Rewording here
//! never changes a URL code ([`super::code`]).

use super::action::{Action, ActionSource, FaultKind, LatencyTarget, PartitionScope};
use crate::figures::{duration_words, num};
use crate::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass};
use crate::sim::protection::{BackoffKind, CallEdge};
use crate::sim::resilience::backoff::Jitter;

impl PartitionScope {
    pub(super) fn words(self) -> &'static str {
        match self {
            PartitionScope::Zones => "zones",
            PartitionScope::Regions => "regions",
        }
    }
}

impl FaultKind {
    /// The fault as a noun ("bad release"), for why a restore did nothing.
    pub fn noun(self) -> &'static str {
        match self {
            FaultKind::Latency => "injected latency",
            FaultKind::CpuStress => "CPU stress",
            FaultKind::MemoryLeak => "memory leak",
            FaultKind::BadRelease => "bad release",
            FaultKind::Partition => "network partition",
            FaultKind::PacketLoss => "packet loss",
            FaultKind::CacheDown => "cache outage",
            FaultKind::ReplicaLag => "replica lag spike",
            FaultKind::ClockSkew => "clock skew",
            FaultKind::DnsFailure => "DNS failure",
            FaultKind::ConsumersStopped => "consumer stop",
            FaultKind::DiskFull => "full database disk",
            FaultKind::Dependency => "external dependency fault",
            FaultKind::All => "fault",
        }
    }

    /// The fault in words.
    pub fn words(self) -> &'static str {
        match self {
            FaultKind::Latency => "injected latency",
            FaultKind::CpuStress => "CPU stress",
            FaultKind::MemoryLeak => "memory leak",
            FaultKind::BadRelease => "bad release (rolled back)",
            FaultKind::Partition => "network partition (healed)",
            FaultKind::PacketLoss => "packet loss",
            FaultKind::CacheDown => "cache down (back up, cold)",
            FaultKind::ReplicaLag => "replica lag spike",
            FaultKind::ClockSkew => "clock skew",
            FaultKind::DnsFailure => "DNS failure",
            FaultKind::ConsumersStopped => "consumers stopped (restarted)",
            FaultKind::DiskFull => "database disk full (space freed)",
            FaultKind::Dependency => "external dependency fault",
            FaultKind::All => "all faults",
        }
    }
}

impl Action {
    /// A short name of the action, for the event log.
    pub fn name(&self) -> &'static str {
        match self {
            Action::KillPods { .. } => "kill pods",
            Action::KillNode { .. } => "kill node",
            Action::KillPodId { .. } => "kill pod",
            Action::KillNodeId { .. } => "kill node",
            Action::KillZone { .. } => "kill zone",
            Action::RestoreZone { .. } => "restore zone",
            Action::KillRegion { .. } => "kill region",
            Action::RestoreRegion { .. } => "restore region",
            Action::InjectLatency { .. } => "inject latency",
            Action::CpuStress { .. } => "CPU stress",
            Action::MemoryLeak { .. } => "memory leak",
            Action::BadRelease { .. } => "bad release",
            Action::Restore { .. } => "restore",
            Action::Spike { .. } => "traffic spike",
            Action::SetMinReplicas { .. } => "set minReplicas",
            Action::SetMaxReplicas { .. } => "set maxReplicas",
            Action::SetReplicas { .. } => "set replicas",
            Action::SetPausePods { .. } => "set pause pods",
            Action::Partition { .. } => "network partition",
            Action::PacketLoss { .. } => "packet loss",
            Action::CacheFlush => "cache flush",
            Action::CacheDown { .. } => "cache down",
            Action::SetCoalescing { .. } => "set coalescing",
            Action::FailPrimary { .. } => "database primary failure",
            Action::ReplicaLagSpike { .. } => "replica lag spike",
            Action::ClockSkew { .. } => "clock skew",
            Action::DnsFailure { .. } => "DNS failure",
            Action::StopConsumers { .. } => "consumers stopped",
            Action::DiskFull { .. } => "disk full",
            Action::DependencySlow { .. } => "slow dependency",
            Action::DependencyErrors { .. } => "failing dependency",
            Action::DependencyDown { .. } => "dependency down",
            Action::CdnPurge => "CDN purge",
            Action::AddReplica => "add a read replica",
            Action::ResizeDatabase { .. } => "resize the database",
            Action::SetHotKeyShare { .. } => "set hot key share",
            Action::SetConsistency { .. } => "set consistency",
            Action::SetResolution { .. } => "set resolution",
            Action::SetClientRetries { .. } => "set client retries",
            Action::SetClientBreaker { .. } => "set client breaker",
            Action::SetFeatureFlag { .. } => "set feature flag",
            Action::Rollout { .. } => "rollout",
            Action::Canary { .. } => "canary",
            Action::BlueGreen { .. } => "blue-green",
            Action::SwitchBack => "switch back",
            Action::RestorePrimary { .. } => "restart the primary",
            Action::RunExperiment { .. } => "chaos experiment",
            Action::AbortExperiment => "abort the experiment",
            Action::SetShedding { .. } => "set shedding",
        }
    }

    /// The action in plain words, the one wording the CLI's event log and the UI's
    /// timeline share: "kill zone b", "10× traffic spike for 10 min (30 s ramp up, 60 s
    /// down)", "inject 200 ms of latency into every request for 5 min".
    pub fn describe(&self) -> String {
        let during = |d: &Option<f64>| match d {
            Some(s) => format!(" for {}", duration_words(*s)),
            None => " until restored".to_string(),
        };
        let some_pods = |p: &Option<u32>| match p {
            Some(1) => "1 pod".to_string(),
            Some(n) => format!("{n} pods"),
            None => "every pod".to_string(),
        };
        let class_words = |c: &Option<DataClass>| match c {
            Some(c) => format!("{} data", c.as_str()),
            None => "every data class".to_string(),
        };
        match self {
            Action::KillPods { count, zone } => {
                let what = if *count == 1 {
                    "a pod".to_string()
                } else {
                    format!("{count} pods")
                };
                match zone {
                    Some(z) => format!("kill {what} in zone {z} (the engine picks which)"),
                    None => format!("kill {what} (the engine picks which)"),
                }
            }
            Action::KillNode { zone } => match zone {
                Some(z) => format!("kill a node in zone {z} (the engine picks which)"),
                None => "kill a node (the engine picks which)".to_string(),
            },
            Action::KillPodId { pod } => format!("kill pod {pod}"),
            Action::KillNodeId { node } => format!("kill node {node} and its pods"),
            Action::KillZone { zone } => format!("kill zone {zone}: its nodes and pods die"),
            Action::RestoreZone { zone } => {
                format!("restore zone {zone}: new nodes can land there again")
            }
            Action::KillRegion { region } => format!("kill region {region}"),
            Action::RestoreRegion { region } => format!("restore region {region}"),
            Action::InjectLatency {
                target,
                ms,
                duration_s,
            } => {
                let into = match target {
                    LatencyTarget::Service => "every request",
                    LatencyTarget::CrossZone => "cross-zone hops",
                    LatencyTarget::CrossRegion => "cross-region hops",
                };
                format!("inject {} ms of latency into {into}{}", num(*ms), during(duration_s))
            }
            Action::CpuStress {
                fraction,
                pods,
                duration_s,
            } => format!(
                "CPU stress: burn {} % of the CPU of {}{}",
                num(fraction * 100.0),
                some_pods(pods),
                during(duration_s)
            ),
            Action::MemoryLeak {
                mib_per_s,
                pods,
                duration_s,
            } => format!(
                "memory leak{}: {} grow {} MiB/s, each OOM-killed and restarted when it reaches its limit",
                during(duration_s),
                some_pods(pods),
                num(*mib_per_s),
            ),
            Action::BadRelease {
                error_rate,
                extra_latency_ms,
                duration_s,
            } => format!(
                "bad release: {} % of requests fail, the rest +{} ms{}",
                num(error_rate * 100.0),
                num(*extra_latency_ms),
                during(duration_s)
            ),
            Action::Restore { fault } => format!("restore: clear {}", fault.words()),
            Action::Spike {
                multiplier,
                ramp_up_s,
                hold_s,
                ramp_down_s,
            } => format!(
                "{}\u{d7} traffic spike for {} ({} ramp up, {} down)",
                num(*multiplier),
                duration_words(*hold_s),
                duration_words(*ramp_up_s),
                duration_words(*ramp_down_s)
            ),
            Action::SetMinReplicas { replicas } => format!("set the HPA's minReplicas to {replicas}"),
            Action::SetMaxReplicas { replicas } => format!("set the HPA's maxReplicas to {replicas}"),
            Action::SetReplicas { replicas } => {
                format!("scale the Deployment by hand to {replicas} pods")
            }
            Action::SetPausePods { count } => format!("run {count} pause pods (spare room)"),
            Action::Partition {
                between,
                minority_replicas,
                minority_clients,
                duration_s,
            } => format!(
                "network partition between {}: {minority_replicas} replica(s) and {} % of clients cut off{}",
                between.words(),
                num(minority_clients * 100.0),
                during(duration_s)
            ),
            Action::PacketLoss {
                fraction,
                duration_s,
            } => format!(
                "{} % packet loss on the replica links{}",
                num(fraction * 100.0),
                during(duration_s)
            ),
            Action::CacheFlush => "flush the cache: every cached key is gone".to_string(),
            Action::CacheDown { duration_s } => format!("cache down{}", during(duration_s)),
            Action::SetCoalescing { on } => format!(
                "request coalescing on the cache {}",
                if *on { "on" } else { "off" }
            ),
            Action::FailPrimary { shard } => {
                format!("kill the database primary of shard {shard}: a replica is promoted")
            }
            Action::ReplicaLagSpike {
                ms,
                duration_s,
                shard,
            } => format!(
                "replica lag +{} ms on shard {shard} for {}",
                num(*ms),
                duration_words(*duration_s)
            ),
            Action::ClockSkew { ms, duration_s } => format!(
                "clock skew of {} ms between write sites{}",
                num(*ms),
                during(duration_s)
            ),
            Action::DnsFailure { duration_s } => format!("DNS failure{}", during(duration_s)),
            Action::StopConsumers { duration_s } => {
                format!("stop the Kafka consumers{}", during(duration_s))
            }
            Action::DiskFull { duration_s } => {
                format!("database disk full: writes fail{}", during(duration_s))
            }
            Action::DependencySlow {
                extra_ms,
                tail_factor,
                duration_s,
            } => {
                let tail = if (*tail_factor - 1.0).abs() > 1e-9 {
                    format!(", tail \u{d7}{}", num(*tail_factor))
                } else {
                    String::new()
                };
                format!(
                    "external dependency slow: +{} ms{tail}{}",
                    num(*extra_ms),
                    during(duration_s)
                )
            }
            Action::DependencyErrors {
                error_rate,
                duration_s,
            } => format!(
                "external dependency fails {} % of calls{}",
                num(error_rate * 100.0),
                during(duration_s)
            ),
            Action::DependencyDown { duration_s } => {
                format!("external dependency down{}", during(duration_s))
            }
            Action::CdnPurge => "purge the CDN: every edge cache re-warms".to_string(),
            Action::AddReplica => {
                "add a read replica to every shard (ready in minutes)".to_string()
            }
            Action::ResizeDatabase { workers } => {
                format!("resize the database to {workers} workers per instance")
            }
            Action::SetHotKeyShare { share } => {
                format!("{} % of all queries hit one hot key", num(share * 100.0))
            }
            Action::SetConsistency { class, mode } => format!(
                "consistency of {} \u{2192} {}",
                class_words(class),
                mode_words(*mode)
            ),
            Action::SetResolution { class, resolution } => format!(
                "conflict resolution of {} \u{2192} {}",
                class_words(class),
                resolution_words(*resolution)
            ),
            Action::SetClientRetries {
                edge,
                max_attempts,
                backoff,
                jitter,
                budget,
            } => retry_policy_words(*edge, *max_attempts, *backoff, *jitter, *budget),
            Action::SetClientBreaker { edge, on: true } => format!(
                "{}circuit breaker on: once too many calls fail, {}",
                breaker_owner(*edge),
                edge.open_words(false)
            ),
            Action::SetClientBreaker { edge, on: false } => format!(
                "{}circuit breaker off: every call goes through",
                breaker_owner(*edge)
            ),
            Action::SetFeatureFlag { name, on: true } => format!("feature {name} back on"),
            Action::SetFeatureFlag { name, on: false } => {
                format!("feature {name} off: degraded mode")
            }
            Action::SetShedding { on: true } => {
                "load shedding on: when the pods saturate, the lowest-priority classes are refused first".to_string()
            }
            Action::SetShedding { on: false } => {
                "load shedding off: every class reaches the pods".to_string()
            }
            Action::Rollout { version } => format!("roll the Deployment to {version}"),
            Action::Canary { version } => format!("release {version} as a canary"),
            Action::BlueGreen { version } => format!("release {version} blue-green"),
            Action::SwitchBack => {
                "switch back: all traffic returns to the blue environment".to_string()
            }
            Action::RestorePrimary { shard } => {
                format!("restart the failed primary of shard {shard} at once")
            }
            Action::RunExperiment { name } => format!("run the chaos experiment {name}"),
            Action::AbortExperiment => {
                "abort the experiment: stop its method and roll its faults back".to_string()
            }
        }
    }
}

/// A retry policy set by a learner, in words: "clients now retry up to 3 times (4
/// attempts), exponential backoff with full jitter, retry budget 20 %".
pub fn retry_policy_words(
    edge: CallEdge,
    max_attempts: u32,
    backoff: BackoffKind,
    jitter: Jitter,
    budget: bool,
) -> String {
    let (who, what) = match edge {
        CallEdge::Client => ("clients", ""),
        CallEdge::Database => ("pods", " database queries"),
        CallEdge::External => ("pods", " dependency calls"),
        CallEdge::Consumer => ("consumers", " database writes"),
        CallEdge::Cache => ("pods", " cache reads"),
    };
    let retries = max_attempts.saturating_sub(1);
    if retries == 0 {
        return format!("{who} no longer retry{what}: one attempt per call");
    }
    let times = match retries {
        1 => "once (2 attempts)".to_string(),
        n => format!("up to {n} times ({max_attempts} attempts)"),
    };
    let sleep = match (backoff, jitter) {
        (BackoffKind::None, _) => "at once, no backoff".to_string(),
        (b, Jitter::None) => format!("{} backoff without jitter (in step)", b.words()),
        (b, j) => format!("{} backoff with {} jitter", b.words(), j.words()),
    };
    let budget = if budget {
        "retry budget 20 %"
    } else {
        "no retry budget"
    };
    format!("{who} now retry{what} {times}, {sleep}, {budget}")
}

/// Whose breaker it is, as the start of a sentence ("clients' ", "pods' database ").
fn breaker_owner(edge: CallEdge) -> &'static str {
    match edge {
        CallEdge::Client => "clients' ",
        CallEdge::Database => "pods' database ",
        CallEdge::External => "pods' dependency ",
        CallEdge::Consumer => "consumers' ",
        CallEdge::Cache => "pods' cache ",
    }
}

impl ActionSource {
    /// "Scenario" or "Learner", the prefix of the action's line in the log.
    pub fn label(self) -> &'static str {
        match self {
            ActionSource::Scenario => "Scenario",
            ActionSource::Learner => "Learner",
            ActionSource::Experiment => "Experiment",
        }
    }
}

/// A consistency mode in words.
pub fn mode_words(m: ConsistencyMode) -> &'static str {
    match m {
        ConsistencyMode::Strong => "strong",
        ConsistencyMode::Causal => "causal",
        ConsistencyMode::Eventual => "eventual",
    }
}

/// A conflict resolution in words.
pub fn resolution_words(r: ConflictResolution) -> &'static str {
    match r {
        ConflictResolution::LastWriterWins => "last-writer-wins",
        ConflictResolution::Crdt => "CRDT merge",
        ConflictResolution::ApplicationMerge => "application merge",
    }
}

#[cfg(test)]
mod tests {
    use super::super::action::Action;

    #[test]
    fn every_action_is_described_in_plain_words_not_debug_text() {
        for a in Action::examples() {
            let d = a.describe();
            let debug = format!("{a:?}");
            let variant_name = debug.split([' ', '{', '(']).next().unwrap_or("");
            assert!(!d.is_empty(), "{debug}");
            assert!(!d.contains('{') && !d.contains('}'), "{d}");
            assert!(!d.contains("Some(") && !d.contains("None"), "{d}");
            assert!(!d.contains("0000000"), "unrounded number in {d}");
            assert!(
                variant_name.len() < 6 || !d.contains(variant_name),
                "{d} repeats the Rust name {variant_name}"
            );
        }
    }

    #[test]
    fn a_spike_and_a_zone_kill_read_like_a_person_wrote_them() {
        let spike = Action::Spike {
            multiplier: 10.0,
            ramp_up_s: 30.0,
            hold_s: 300.0,
            ramp_down_s: 60.0,
        };
        assert_eq!(
            spike.describe(),
            "10\u{d7} traffic spike for 5 min (30 s ramp up, 60 s down)"
        );
        assert_eq!(
            Action::KillZone { zone: "b".into() }.describe(),
            "kill zone b: its nodes and pods die"
        );
        assert_eq!(Action::KillPodId { pod: 17 }.describe(), "kill pod 17");
    }

    #[test]
    fn a_retry_policy_reads_as_what_the_clients_now_do() {
        use crate::sim::protection::{BackoffKind, CallEdge};
        use crate::sim::resilience::backoff::Jitter;
        let calm = Action::SetClientRetries {
            edge: CallEdge::Client,
            max_attempts: 4,
            backoff: BackoffKind::Exponential,
            jitter: Jitter::Full,
            budget: true,
        };
        assert_eq!(
            calm.describe(),
            "clients now retry up to 3 times (4 attempts), exponential backoff with full jitter, retry budget 20 %"
        );
        let storm = Action::SetClientRetries {
            edge: CallEdge::Client,
            max_attempts: 2,
            backoff: BackoffKind::None,
            jitter: Jitter::Full,
            budget: false,
        };
        assert_eq!(
            storm.describe(),
            "clients now retry once (2 attempts), at once, no backoff, no retry budget"
        );
        let pods = Action::SetClientRetries {
            edge: CallEdge::External,
            max_attempts: 1,
            backoff: BackoffKind::None,
            jitter: Jitter::None,
            budget: false,
        };
        assert_eq!(
            pods.describe(),
            "pods no longer retry dependency calls: one attempt per call"
        );
        let breaker = Action::SetClientBreaker {
            edge: CallEdge::Database,
            on: true,
        };
        assert!(breaker
            .describe()
            .starts_with("pods' database circuit breaker on"));
    }
}
