//! The Degraded mode controls: a switch per feature flag (`[[flags]]`: off drops its
//! class or serves it cheaper) and one for load shedding by priority, shown when the
//! scenario has flags or classes of different priorities. Each flip sends one action at
//! the current time (`set_feature_flag`, `set_shedding`), in the timeline and the link.

use leptos::prelude::*;

use crate::model::actions::{flag_action, DegradedMode};
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::inputs::Action;

/// The Degraded mode fieldset (nothing when the scenario has no switch).
#[component]
pub fn DegradeControls() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    // Memo: compared each frame, changes only when a switch does.
    let mode = Memo::new(move |_| {
        frames.with(|f| f.as_ref().map(|f| f.degraded.clone()).unwrap_or_default())
    });
    // The names of the flags, which change only with the scenario.
    let names = Memo::new(move |_| {
        mode.with(|m| {
            m.flags
                .iter()
                .map(|f| (f.name.clone(), f.words.clone()))
                .collect::<Vec<_>>()
        })
    });
    let can_shed = Memo::new(move |_| mode.with(|m| m.shedding.is_some()));
    // Memo: whether there is a switch at all; a switch flipped keeps the fieldset (and
    // the focus in it).
    let shown = Memo::new(move |_| mode.with(DegradedMode::any));
    move || {
        shown.get().then(|| {
            view! {
                <fieldset class="degraded">
                    <legend>"Degraded mode"</legend>
                    <p class="note">
                        "Turn features off to save capacity, and shed the lowest-priority requests first when the pods saturate. "
                        "Each switch is an action now, in the timeline and the link."
                    </p>
                    {move || names.get().into_iter().map(|(name, words)| {
                        let shown = name.clone();
                        let on = move || mode.with(|m| m.flags.iter().any(|f| f.name == shown && f.on));
                        view! {
                            <label class="toggle-field">
                                <input
                                    type="checkbox"
                                    prop:checked=on
                                    on:change=move |ev| commands.act(flag_action(&name, event_target_checked(&ev)))
                                />
                                {words}
                            </label>
                        }
                    }).collect_view()}
                    {move || can_shed.get().then(|| view! {
                        <label class="toggle-field" title="The scenario's [shedding], or shed at 90 % CPU: the lowest-priority classes are refused first (503)">
                            <input
                                type="checkbox"
                                prop:checked=move || mode.with(|m| m.shedding == Some(true))
                                on:change=move |ev| commands.act(Action::SetShedding { on: event_target_checked(&ev) })
                            />
                            "Load shedding by priority"
                        </label>
                    })}
                </fieldset>
            }
        })
    }
}
