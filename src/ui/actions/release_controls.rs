//! The Release controls: pick a version and send it out as a canary (stages of traffic,
//! rolled back on a trigger), blue-green (a second environment, switched at once, with
//! a Switch back button) or as a rolling update, shown when the scenario has
//! `[[versions]]`. Each button sends one action at the current time (`canary`,
//! `blue_green`, `switch_back`, `rollout`), in the timeline and the link; the status
//! line follows the release.

use leptos::prelude::*;

use crate::model::actions::{blue_green_action, canary_action, rollout_action};
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::inputs::Action;

/// The Release fieldset (nothing when the scenario has no versions).
#[component]
pub fn ReleaseControls() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let release = Memo::new(move |_| {
        frames.with(|f| f.as_ref().map(|f| f.release.clone()).unwrap_or_default())
    });
    let shown = Memo::new(move |_| release.with(|r| r.any()));
    let others = Memo::new(move |_| release.with(|r| r.others()));
    let picked = RwSignal::new(String::new());
    // The version a button sends: the one picked, else the first the pods do not run.
    let version = move || {
        let p = picked.get();
        let others = others.get();
        if others.contains(&p) {
            p
        } else {
            others.first().cloned().unwrap_or_default()
        }
    };
    move || {
        shown.get().then(|| {
            view! {
                <fieldset class="release">
                    <legend>"Release"</legend>
                    <p class="note">
                        {move || format!("Pods run {}. ", release.with(|r| r.running.clone()))}
                        "A canary takes a small share of the traffic first and is rolled back when it does worse than the pods beside it; blue-green starts a full second set and switches all traffic at once; a rolling update replaces every pod."
                    </p>
                    <label>
                        "Version "
                        <select
                            prop:value=version
                            on:change=move |ev| picked.set(event_target_value(&ev))
                        >
                            {move || others.get().into_iter().map(|v| {
                                let label = v.clone();
                                view! { <option value=v>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button
                        type="button"
                        prop:disabled=move || release.with(|r| r.canary_running)
                        on:click=move |_| commands.act(canary_action(&version()))
                    >
                        "Canary"
                    </button>
                    <button
                        type="button"
                        prop:disabled=move || release.with(|r| r.canary_running)
                        on:click=move |_| commands.act(blue_green_action(&version()))
                    >
                        "Blue-green"
                    </button>
                    <button
                        type="button"
                        prop:disabled=move || !release.with(|r| r.blue_green_running)
                        on:click=move |_| commands.act(Action::SwitchBack)
                    >
                        "Switch back"
                    </button>
                    <button type="button" on:click=move |_| commands.act(rollout_action(&version()))>
                        "Roll out"
                    </button>
                    <p class="note release-status" aria-live="polite">
                        {move || release.with(|r| r.status.clone())}
                    </p>
                </fieldset>
            }
        })
    }
}
