//! The banner over the playground while a drill plays: the briefing, whether
//! the fault has struck and for how long, and "Finish" (also pressed for the
//! learner when the run reaches its end). Once finished: the link back to the
//! interview page, which grades the drill.

use leptos::prelude::*;

use super::playground_drill::PlaygroundDrill;
use crate::sim_loop::use_frames;
use scalesim::sim::events::clock;

/// The drill banner; nothing when no drill plays or has played.
#[component]
pub fn DrillBanner(nav: PlaygroundDrill) -> impl IntoView {
    let frames = use_frames();
    // Effect: the run's end finishes the drill.
    Effect::new(move |_| {
        // The drill's own length when it has one, else the scenario's.
        let length = nav
            .drill
            .with(|d| d.as_ref().and_then(|d| d.question.duration_s));
        let ended = frames.with(|f| {
            f.as_ref().is_some_and(|f| {
                f.snap.t_s >= length.unwrap_or(f.targets.end_s).min(f.targets.end_s) - 1e-6
            })
        });
        if ended && nav.drill.with_untracked(Option::is_some) {
            nav.finish();
        }
    });
    move || {
        if let Some(o) = nav.outcome.get() {
            let back = format!(
                "interview.html?interview={}",
                js_sys::encode_uri_component(&o.scenario)
            );
            return Some(
                view! {
                    <div class="drill-banner" role="region" aria-label="Drill">
                        <p role="status">{o.message}</p>
                        <a class="primary" href=back>"Back to the interview: your grade and debrief"</a>
                    </div>
                }
                .into_any(),
            );
        }
        nav.drill.get().map(|d| {
            let t_f = d.fault_at_s;
            let status = move || {
                let now = frames.with(|f| f.as_ref().map_or(0.0, |f| f.snap.t_s));
                if now < t_f {
                    format!("{}: all quiet so far. Watch the charts: the fault strikes at a moment you do not know. Pause any time to think.", clock(now))
                } else {
                    format!("{}: the fault struck {} ago. Act with the controls below, then finish.", clock(now), crate::model::format::duration_words(now - t_f))
                }
            };
            view! {
                <div class="drill-banner" role="region" aria-label="Drill">
                    <p><strong>"Drill: "</strong>{d.question.prompt.clone()}</p>
                    <p aria-live="polite">{status}</p>
                    <button class="primary" on:click=move |_| nav.finish()>"Finish"</button>
                </div>
            }
            .into_any()
        })
    }
}
