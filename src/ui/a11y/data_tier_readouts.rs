//! The data tier's live numbers as labelled text, when the world has one.

use leptos::prelude::*;

use super::readouts::live_item;
use crate::model::format::grouped;
use crate::model::sim_loop::Frame;
use crate::sim_loop::use_frames;
use scalesim::sim::consistency::ReadRouting;
use scalesim::sim::inputs::mode_words;

/// Where eventual classes send a session's own reads, in words.
fn routing_words(r: ReadRouting) -> &'static str {
    match r {
        ReadRouting::Replicas => "the local replica",
        ReadRouting::LeaderAfterWrite => "the leader, for a window after the write",
        ReadRouting::StickySession => "the replica that took the write",
    }
}

/// Labelled live figures of the database, the consistency mode of each data class and the Kafka topic.
#[component]
pub fn DataTierReadouts() -> impl IntoView {
    let frames = use_frames();
    let has =
        move |f: fn(&Frame) -> bool| move || frames.with(|fr| fr.as_ref().is_some_and(|x| f(x)));
    let item = move |label: &'static str, f: fn(&Frame) -> String| live_item(frames, label, f);
    let consistency = has(|f| f.snap.tiers.consistency.is_some());
    // Memo: the store's classes change only with the scenario.
    let classes = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .and_then(|f| f.snap.tiers.consistency.as_ref())
                .map(|c| c.classes.iter().map(|x| x.class).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let per_class = move || {
        classes
            .get()
            .into_iter()
            .map(|class| {
                let value = move || {
                    frames.with(|fr| {
                        fr.as_ref()
                            .and_then(|f| f.snap.tiers.consistency.as_ref())
                            .and_then(|c| c.classes.iter().find(|x| x.class == class))
                            .map(|x| {
                                format!(
                                    "{}: stale reads {:.2} % (own writes {:.2} %), write p99 {:.1} ms",
                                    mode_words(x.mode),
                                    x.stale_read_pct,
                                    x.own_stale_read_pct,
                                    x.write_p99_ms
                                )
                            })
                            .unwrap_or_default()
                    })
                };
                view! {
                    <div class="kv">
                        <dt>{format!("Consistency of {}", class.as_str())}</dt>
                        <dd>{value}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    let kafka = has(|f| f.snap.tiers.kafka.is_some());
    view! {
        <Show when=consistency>
            <dl class="readouts live-numbers data-tier">
                {item("Write latency p50 / p99", |f| f.snap.tiers.consistency.as_ref().map(|c| format!("{:.1} / {:.1} ms", c.write_p50_ms, c.write_p99_ms)).unwrap_or_default())}
                {item("Stale reads (of them, own writes)", |f| f.snap.tiers.consistency.as_ref().map(|c| format!("{:.2} % ({:.2} %)", c.stale_read_pct, c.own_stale_read_pct)).unwrap_or_default())}
                {item("Own reads after a write go to", |f| f.snap.tiers.consistency.as_ref().map(|c| routing_words(c.read_routing).to_string()).unwrap_or_default())}
                {item("Store read latency p99", |f| f.snap.tiers.consistency.as_ref().map(|c| format!("{:.1} ms", c.read_p99_ms)).unwrap_or_default())}
                {item("Conflicts / lost writes", |f| f.snap.tiers.consistency.as_ref().map(|c| format!("{} / {}", grouped(c.conflicts), grouped(c.lost_writes))).unwrap_or_default())}
                {per_class}
            </dl>
        </Show>
        <Show when=kafka>
            <dl class="readouts live-numbers data-tier">
                {item("Kafka lag", |f| f.snap.tiers.kafka.as_ref().map(|k| format!("{} messages", grouped(k.lag_messages))).unwrap_or_default())}
                {item("Consumers", |f| f.snap.tiers.kafka.as_ref().map(|k| {
                    if k.consumers_stopped {
                        "stopped".to_string()
                    } else {
                        format!("{} active, {} starting, {} idle", k.consumers_active, k.consumers_starting, k.consumers_idle)
                    }
                }).unwrap_or_default())}
            </dl>
        </Show>
    }
}
