//! Actions in plain words for the timeline ("Trigger spike: traffic ×10 for
//! 10 min"), using the same names as the buttons.

use crate::sim::actions::{Action, FaultKind, LatencyTarget};
use crate::ui::format::duration_words;

fn for_how_long(d: Option<f64>) -> String {
    d.map_or_else(
        || " until restored".to_string(),
        |d| format!(" for {}", duration_words(d)),
    )
}

fn fault_words(f: FaultKind) -> &'static str {
    match f {
        FaultKind::Latency => "injected latency",
        FaultKind::CpuStress => "CPU stress",
        FaultKind::MemoryLeak => "memory leak",
        FaultKind::BadRelease => "bad release (rolled back)",
        FaultKind::All => "every fault",
        FaultKind::Partition => "network partition",
        FaultKind::PacketLoss => "packet loss",
        FaultKind::CacheDown => "cache outage",
        FaultKind::ReplicaLag => "replica lag",
        FaultKind::ClockSkew => "clock skew",
        FaultKind::DnsFailure => "DNS failure",
        FaultKind::ConsumersStopped => "stopped consumers (restarted)",
        FaultKind::DiskFull => "full disk",
        FaultKind::Dependency => "dependency fault",
    }
}

/// What the learner (or the scenario) did, in words.
pub fn action_words(a: &Action) -> String {
    match a {
        Action::KillPods { count, zone } => match zone {
            Some(z) => format!("Kill pod: {count} pod(s) in zone {z}"),
            None => format!("Kill pod: {count} pod(s)"),
        },
        Action::KillNode { zone } => match zone {
            Some(z) => format!("Kill node: a node in zone {z}"),
            None => "Kill node: a ready node".into(),
        },
        Action::KillZone { zone } => format!("Kill zone {zone}: its nodes and pods die"),
        Action::RestoreZone { zone } => format!("Restore zone {zone}: nodes can land there again"),
        Action::KillRegion { region } => format!("Kill region {region}"),
        Action::RestoreRegion { region } => format!("Restore region {region}"),
        Action::InjectLatency {
            target,
            ms,
            duration_s,
        } => {
            let what = match target {
                LatencyTarget::Service => "every request",
                LatencyTarget::CrossZone => "cross-zone requests",
                LatencyTarget::CrossRegion => "cross-region requests",
            };
            format!(
                "Inject latency: +{ms:.0} ms on {what}{}",
                for_how_long(*duration_s)
            )
        }
        Action::CpuStress {
            fraction,
            duration_s,
            ..
        } => format!(
            "CPU stress: {:.0} % of each pod's CPU burned{}",
            fraction * 100.0,
            for_how_long(*duration_s)
        ),
        Action::MemoryLeak {
            mib_per_s,
            duration_s,
            ..
        } => format!(
            "Memory leak: pods grow {mib_per_s} MiB/s until OOM-killed{}",
            for_how_long(*duration_s)
        ),
        Action::BadRelease {
            error_rate,
            extra_latency_ms,
            duration_s,
        } => format!(
            "Bad release: {:.0} % of requests fail, the rest +{extra_latency_ms:.0} ms{}",
            error_rate * 100.0,
            for_how_long(*duration_s)
        ),
        Action::Restore { fault } => format!("Restore: {} cleared", fault_words(*fault)),
        Action::Spike {
            multiplier,
            ramp_up_s,
            hold_s,
            ramp_down_s,
        } => format!(
            "Trigger spike: traffic \u{d7}{multiplier} for {} ({} ramp up, {} down)",
            duration_words(*hold_s),
            duration_words(*ramp_up_s),
            duration_words(*ramp_down_s)
        ),
        Action::SetMinReplicas { replicas } => format!("HPA minReplicas set to {replicas}"),
        Action::SetMaxReplicas { replicas } => format!("HPA maxReplicas set to {replicas}"),
        Action::SetReplicas { replicas } => format!("Deployment scaled by hand to {replicas}"),
        Action::SetPausePods { count } => format!("Pause pods set to {count}"),
        Action::CacheFlush => "Flush cache: every cached key is gone".into(),
        Action::FailPrimary { shard } => {
            format!("Fail primary: shard {shard}'s primary dies, a replica is promoted")
        }
        Action::StopConsumers { duration_s } => {
            format!("Stop consumers{}", for_how_long(*duration_s))
        }
        Action::SetConsistency { class, mode } => match class {
            Some(c) => format!("Consistency mode for {c:?}: {mode:?}")
                .to_lowercase()
                .replacen('c', "C", 1),
            None => format!("Consistency mode: {}", format!("{mode:?}").to_lowercase()),
        },
        other => {
            let n = other.name();
            let mut w = n[..1].to_uppercase();
            w.push_str(&n[1..]);
            match other.duration_s() {
                Some(d) => format!("{w} for {}", duration_words(d)),
                None => w,
            }
        }
    }
}

/// A cleared fault, in words.
pub fn cleared_words(f: FaultKind) -> String {
    format!("{} over", fault_words(f))
}
