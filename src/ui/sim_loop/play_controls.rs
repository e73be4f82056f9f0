//! Play, pause, step, speed and "Run to end", with the keep-up indicator.

use leptos::prelude::*;

use super::{use_commands, use_frames, use_play_state, SPEEDS};
use scalesim::sim::events::clock;

/// The transport bar of the simulator.
#[component]
pub fn PlayControls() -> impl IntoView {
    let frames = use_frames();
    let play = use_play_state();
    let commands = use_commands();
    // Derived closures: each is a cheap read of one or two signals, so a Memo
    // (which caches and compares) would cost more than it saves.
    let playing = move || play.playing.get();
    let now = move || frames.with(|f| f.as_ref().map_or(0.0, |f| f.snap.t_s));
    let end = move || frames.with(|f| f.as_ref().map_or(0.0, |f| f.targets.end_s));
    view! {
        <div class="play-controls" role="group" aria-label="Simulation controls">
            <button
                class="primary"
                aria-label=move || if playing() { "Pause" } else { "Play" }
                on:click=move |_| if play.playing.get_untracked() { commands.pause() } else { commands.play() }
            >
                {move || if playing() { "\u{275a}\u{275a} Pause" } else { "\u{25b6} Play" }}
            </button>
            <button aria-label="Step" title="One tick forward" on:click=move |_| commands.step_once()>
                "Step \u{203a}"
            </button>
            <label class="speed">
                "Speed "
                <select
                    aria-label="Speed"
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            play.speed.set(v);
                        }
                    }
                >
                    {SPEEDS
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! {
                                <option value=s.to_string() prop:selected=move || play.speed.get() == s>
                                    {format!("{s}\u{d7}")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <button aria-label="Run to end" on:click=move |_| commands.run_to_end()>
                "Run to end \u{bb}"
            </button>
            <span class="sim-clock" role="timer" aria-label="Simulated time">
                {move || format!("{} / {}", clock(now()), clock(end()))}
            </span>
            <span
                class="keep-up"
                role="status"
                class:behind=move || play.behind.get()
            >
                {move || {
                    if play.behind.get() {
                        format!(
                            "\u{26a0} The sim cannot keep up: running at {:.0}\u{d7} instead of {}\u{d7}",
                            play.achieved.get(),
                            play.speed.get(),
                        )
                    } else if play.to_end.get() {
                        "Running to the end\u{2026}".to_string()
                    } else {
                        String::new()
                    }
                }}
            </span>
        </div>
    }
}
