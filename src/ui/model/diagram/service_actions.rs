//! A service box's name as the learner reads it and the actions that apply
//! to it (the inspector's buttons).

use scalesim::sim::inputs::{Action, FaultKind};

/// The service's name as the learner reads it.
pub fn service_title(key: &str) -> &'static str {
    match key {
        "lb" => "Load balancer",
        "cdn" => "CDN",
        "cache" => "Cache",
        "database" => "Database",
        "kafka" => "Kafka topic",
        "consumers" => "Consumers",
        _ => "Service",
    }
}

/// The actions that apply to service `key` (a database with `shards` shards):
/// (button words, action).
pub fn service_actions(key: &str, shards: usize) -> Vec<(String, Action)> {
    match key {
        "cdn" => vec![("Purge CDN".into(), Action::CdnPurge)],
        "cache" => vec![
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
        "database" => {
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
        "kafka" | "consumers" => vec![
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
        _ => Vec::new(),
    }
}
