//! The scrubber: move back and forth in simulated time. Back re-simulates from
//! the seed and the actions (deterministic, so it is the same run); forward
//! simulates on.

use leptos::prelude::*;

use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::events::clock;

/// A range input over the run's length.
#[component]
pub fn Scrubber() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let now = move || frames.with(|f| f.as_ref().map_or(0.0, |f| f.snap.t_s));
    let end = move || frames.with(|f| f.as_ref().map_or(1.0, |f| f.targets.end_s));
    let step = move || {
        frames.with(|f| {
            f.as_ref()
                .map_or(1.0, |f| (f.targets.end_s / 1000.0).max(f.targets.tick_s))
        })
    };
    view! {
        <label class="scrubber">
            <span>"Scrub simulated time"</span>
            <input
                type="range"
                min="0"
                max=end
                step=step
                prop:value=move || now().to_string()
                aria-valuetext=move || clock(now())
                on:change=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<f64>() {
                        commands.pause();
                        commands.scrub_to(t);
                    }
                }
            />
            <output>{move || clock(now())}</output>
        </label>
    }
}
