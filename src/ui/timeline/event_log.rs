//! The event log: every engine event in plain words, newest last.

use leptos::html::Ol;
use leptos::prelude::*;

use crate::sim_loop::{use_log, use_play_state};

/// Lines shown (the full log stays in the engine; older lines scroll off here).
const SHOWN: usize = 400;

/// The event log.
#[component]
pub fn EventLog() -> impl IntoView {
    let play = use_play_state();
    let log = use_log();
    // A derived closure: the slice bounds are cheap and only the log signal moves them.
    let shown = move || {
        log.with(|l| {
            let from = l.len().saturating_sub(SHOWN);
            l[from..].to_vec()
        })
    };
    let hidden = move || log.with(|l| l.len().saturating_sub(SHOWN));
    let list = NodeRef::<Ol>::new();
    // Effect: keep the newest line in view (scrolling is a side effect), unless
    // the learner has scrolled up to read older lines.
    Effect::new(move |_| {
        log.with(|_| ());
        if let Some(ol) = list.get() {
            let near_bottom = ol.scroll_height() - ol.scroll_top() - ol.client_height() < 80;
            if near_bottom {
                ol.set_scroll_top(ol.scroll_height());
            }
        }
    });
    view! {
        <div class="event-log-wrap">
            {move || (hidden() > 0).then(|| view! { <p class="note">{format!("{} earlier events not shown", hidden())}</p> })}
            // The live region wraps the list: an <ol> given role="log" is no list, and its
            // items would be orphans to assistive technology.
            <div role="log" aria-label="Event log">
                <ol node_ref=list class="event-log" tabindex="0" aria-label="Events, oldest first">
                    <For each=shown key=|l| (l.world, l.index) let:line>
                        <li class=format!("log-{}", line.kind.as_str())>{line.text}</li>
                    </For>
                </ol>
            </div>
            {move || log.with(|l| l.is_empty()).then(|| view! {
                <p class="empty-state">
                    {move || if play.playing.get() {
                        "No events yet: trigger a spike or kill a zone."
                    } else {
                        "No events yet: press Play, then trigger a spike or kill a zone."
                    }}
                </p>
            })}
        </div>
    }
}
