//! The actions that apply to a service box (the inspector's buttons).

use super::ServiceKind;
use scalesim::sim::inputs::{Action, FaultKind};

/// The actions that apply to service `kind` (a database with `shards` shards):
/// (button words, action).
pub fn service_actions(kind: ServiceKind, shards: usize) -> Vec<(String, Action)> {
    match kind {
        // None of its own: its inspector card acts on the whole service
        // (inject latency, restore).
        ServiceKind::LoadBalancer => Vec::new(),
        ServiceKind::Cdn => vec![("Purge CDN".into(), Action::CdnPurge)],
        ServiceKind::Cache => vec![
            ("Flush cache".into(), Action::CacheFlush),
            (
                "Take the cache down for 2 min".into(),
                Action::CacheDown {
                    duration_s: Some(120.0),
                },
            ),
            (
                "Restore cache".into(),
                Action::Restore {
                    fault: FaultKind::CacheDown,
                },
            ),
        ],
        ServiceKind::Database => {
            let mut v: Vec<(String, Action)> = (0..shards.max(1))
                .map(|i| {
                    let words = if shards > 1 {
                        format!("Fail primary of shard {i}")
                    } else {
                        "Fail primary".into()
                    };
                    (words, Action::FailPrimary { shard: i as u32 })
                })
                .collect();
            v.push(("Add replica".into(), Action::AddReplica));
            v
        }
        ServiceKind::External => vec![
            (
                "Take the dependency down for 2 min".into(),
                Action::DependencyDown {
                    duration_s: Some(120.0),
                },
            ),
            (
                "Restore the dependency".into(),
                Action::Restore {
                    fault: FaultKind::Dependency,
                },
            ),
        ],
        ServiceKind::Kafka | ServiceKind::Consumers => vec![
            (
                "Stop consumers for 5 min".into(),
                Action::StopConsumers {
                    duration_s: Some(300.0),
                },
            ),
            (
                "Restart consumers".into(),
                Action::Restore {
                    fault: FaultKind::ConsumersStopped,
                },
            ),
        ],
    }
}
