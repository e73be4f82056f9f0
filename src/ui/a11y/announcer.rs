//! An ARIA live region that announces alerts and failures as they happen,
//! at most one message every 2 seconds so a screen reader is not flooded at 1000×.

use leptos::prelude::*;

use crate::model::sim_loop::LogKind;
use crate::sim_loop::{use_frames, use_log};

/// Wall time between announcements [ms].
const QUIET_MS: f64 = 2000.0;

/// The live region (visually hidden).
#[component]
pub fn Announcer() -> impl IntoView {
    let frames = use_frames();
    let log = use_log();
    let message = RwSignal::new(String::new());
    // (world, lines seen, when the last announcement was made [ms]). What
    // happened before the page opened (a replayed link) is not news.
    let world_now = move || frames.with_untracked(|f| f.as_ref().map_or(0, |f| f.world));
    let last = StoredValue::new((world_now(), log.with_untracked(Vec::len), f64::NEG_INFINITY));
    // Effect: reads the log and writes the live region at a throttled pace.
    Effect::new(move |_| {
        let now = window().performance().map_or(0.0, |p| p.now());
        let (world_seen, seen, at) = last.get_value();
        let world = world_now();
        let (len, news) = log.with(|l| {
            // A new world's log starts afresh: its backlog is not news.
            let from = if world == world_seen {
                seen.min(l.len())
            } else {
                l.len()
            };
            let news: Vec<String> = l[from..]
                .iter()
                .filter(|x| matches!(x.kind, LogKind::Failure | LogKind::Alert))
                .map(|x| x.text.clone())
                .collect();
            (l.len(), news)
        });
        if world != world_seen || len < seen {
            last.set_value((world, len, at));
            return;
        }
        if news.is_empty() || now - at < QUIET_MS {
            if news.is_empty() {
                last.set_value((world, len, at));
            }
            return;
        }
        let text = if news.len() == 1 {
            news[0].clone()
        } else {
            format!("{} (and {} more)", news[news.len() - 1], news.len() - 1)
        };
        last.set_value((world, len, now));
        message.set(text);
    });
    view! {
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" id="announcer">
            {move || message.get()}
        </div>
    }
}
