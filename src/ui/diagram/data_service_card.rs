//! The inspector's card for a data service (CDN, cache, database, topic,
//! consumers, external dependency): its live numbers, its parts in words, and the actions that
//! apply to it.

use leptos::prelude::*;

use super::inspector::{live, row};
use crate::model::diagram::{part_lines, service_actions, ServiceKind};
use crate::model::format::grouped;
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::snapshot::Snapshot;

/// `f` of the snapshot's part, or "—" when the world lacks it.
fn of<T>(part: Option<&T>, f: impl Fn(&T) -> String) -> String {
    part.map_or_else(|| "\u{2014}".to_string(), f)
}

/// A labelled live number: (label, the snapshot in words with units).
type Figure = (&'static str, fn(&Snapshot) -> String);

/// The live numbers of service `kind`.
fn figures(kind: ServiceKind) -> Vec<Figure> {
    match kind {
        // Its card is the inspector's own (arriving, served, failing).
        ServiceKind::LoadBalancer => Vec::new(),
        ServiceKind::Cdn => vec![
            ("Offload", |s| {
                of(s.tiers.cdn.as_ref(), |c| {
                    format!("{:.0} % of requests", c.offload_pct)
                })
            }),
            ("Hit ratio", |s| {
                of(s.tiers.cdn.as_ref(), |c| {
                    format!("{:.0} %", c.hit_ratio * 100.0)
                })
            }),
            ("Edge latency", |s| {
                of(s.tiers.cdn.as_ref(), |c| {
                    format!("{:.0} ms", c.edge_latency_ms)
                })
            }),
        ],
        ServiceKind::Cache => vec![
            ("State", |s| {
                of(s.tiers.cache.as_ref(), |c| {
                    if c.down {
                        "down".into()
                    } else {
                        "up".into()
                    }
                })
            }),
            ("Hit ratio", |s| {
                of(s.tiers.cache.as_ref(), |c| {
                    format!("{:.0} %", c.hit_ratio * 100.0)
                })
            }),
            ("Operations", |s| {
                of(s.tiers.cache.as_ref(), |c| {
                    format!("{} ops/s", grouped(c.ops_per_s))
                })
            }),
            ("Keys cached", |s| {
                of(s.tiers.cache.as_ref(), |c| {
                    format!("{} of {}", grouped(c.cached_keys), grouped(c.capacity_keys))
                })
            }),
            ("Request coalescing", |s| {
                of(s.tiers.cache.as_ref(), |c| {
                    if c.coalescing {
                        "on".into()
                    } else {
                        "off".into()
                    }
                })
            }),
        ],
        ServiceKind::Database => vec![
            ("Connections in use", |s| {
                of(s.tiers.database.as_ref(), |d| {
                    format!(
                        "{:.0} of {}",
                        d.connections_in_use,
                        d.max_connections as usize * d.shards.len()
                    )
                })
            }),
            ("Queries", |s| {
                of(s.tiers.database.as_ref(), |d| {
                    format!(
                        "{} queries/s",
                        grouped(d.shards.iter().map(|x| x.queries_per_s).sum())
                    )
                })
            }),
            ("Waiting for a connection", |s| {
                of(s.tiers.database.as_ref(), |d| {
                    format!(
                        "{} queries",
                        grouped(d.shards.iter().map(|x| x.waiting_for_connection).sum())
                    )
                })
            }),
        ],
        ServiceKind::Kafka => vec![
            ("Lag", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msgs ({:.0} s)", grouped(k.lag_messages), k.lag_s)
                })
            }),
            ("Published", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msg/s", grouped(k.published_eps))
                })
            }),
            ("Consumed", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msg/s", grouped(k.consumed_eps))
                })
            }),
            ("Refused by the brokers", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msg/s", grouped(k.rejected_eps))
                })
            }),
        ],
        ServiceKind::External => vec![
            ("State", |s| {
                of(s.tiers.external.as_ref(), |e| {
                    if e.down {
                        "down".into()
                    } else {
                        "up".into()
                    }
                })
            }),
            ("Calls reaching it", |s| {
                of(s.tiers.external.as_ref(), |e| {
                    format!("{} calls/s", grouped(e.calls_per_s))
                })
            }),
            ("Failing", |s| {
                of(s.tiers.external.as_ref(), |e| {
                    format!("{} calls/s", grouped(e.errors_per_s))
                })
            }),
            ("Mean latency", |s| {
                of(s.tiers.external.as_ref(), |e| {
                    format!("{:.0} ms", e.latency_ms)
                })
            }),
        ],
        ServiceKind::Consumers => vec![
            ("Consumers", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    if k.consumers_stopped {
                        "stopped".into()
                    } else {
                        format!(
                            "{} active, {} starting, {} idle",
                            k.consumers_active, k.consumers_starting, k.consumers_idle
                        )
                    }
                })
            }),
            ("Consumed", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msg/s", grouped(k.consumed_eps))
                })
            }),
            ("Lag", |s| {
                of(s.tiers.kafka.as_ref(), |k| {
                    format!("{} msgs", grouped(k.lag_messages))
                })
            }),
        ],
    }
}

/// The card.
#[component]
pub fn DataServiceCard(kind: ServiceKind, shards: usize) -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let rows = figures(kind)
        .into_iter()
        .map(|(label, f)| row(label, live(frames, move |fr| f(&fr.snap))))
        .collect_view();
    let parts = move || {
        frames.with(|f| {
            f.as_ref()
                .map(|f| part_lines(kind, &f.snap))
                .unwrap_or_default()
        })
    };
    let buttons = service_actions(kind, shards)
        .into_iter()
        .map(|(words, action)| view! { <button on:click=move |_| commands.act(action.clone())>{words}</button> })
        .collect_view();
    let parts_label = format!("Parts of the {}", kind.title().to_lowercase());
    view! {
        <h3>{kind.title()}</h3>
        <dl>{rows}</dl>
        <ul class="service-parts" aria-label=parts_label>
            {move || parts().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
        </ul>
        <div class="inspector-actions">{buttons}</div>
    }
}
