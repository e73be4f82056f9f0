//! The consistency mode: one control for every data class at once and, when
//! the store has several classes, one per class ("Consistency mode for cart").
//! Each selects the class's current mode and sends `SetConsistency`.

use leptos::prelude::*;

use crate::model::actions::{common_mode, mode_named, MODES};
use crate::sim_loop::{use_commands, use_frames, Commands};
use scalesim::sim::consistency::{ConsistencyMode, DataClass};
use scalesim::sim::inputs::{mode_words, Action};

/// One `<select>` of the modes, labelled `label`, showing `current`
/// ("mixed" when `None`), sending `SetConsistency { class, .. }` on change.
fn mode_select(
    commands: Commands,
    label: String,
    class: Option<DataClass>,
    current: Signal<Option<ConsistencyMode>>,
) -> impl IntoView {
    let name = label.clone();
    view! {
        <label class="field">
            <span>{label}</span>
            // The accessible name is exactly the label (not the label plus the selected option).
            <select
                aria-label=name
                on:change=move |ev| {
                    if let Some(mode) = mode_named(&event_target_value(&ev)) {
                        commands.act(Action::SetConsistency { class, mode });
                    }
                }
            >
                <option value="" disabled=true prop:selected=move || current.get().is_none()>
                    {if class.is_none() { "mixed" } else { "choose\u{2026}" }}
                </option>
                {MODES
                    .into_iter()
                    .map(|m| view! { <option value=mode_words(m) prop:selected=move || current.get() == Some(m)>{mode_words(m)}</option> })
                    .collect::<Vec<_>>()}
            </select>
        </label>
    }
}

/// The consistency controls; render only when the world has a consistency store.
#[component]
pub fn ConsistencyControls() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    // Memo: compared each frame, changes only when a mode does.
    let modes = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .and_then(|f| f.snap.tiers.consistency.as_ref())
                .map(|c| {
                    c.classes
                        .iter()
                        .map(|x| (x.class, x.mode))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // Memo: the classes themselves only change with the scenario, so the
    // per-class selects (and their keyboard focus) survive a mode change.
    let classes = Memo::new(move |_| modes.with(|m| m.iter().map(|(c, _)| *c).collect::<Vec<_>>()));
    let all = Signal::derive(move || modes.with(|m| common_mode(m)));
    view! {
        <div class="consistency-controls">
            {mode_select(commands, "Consistency mode".into(), None, all)}
            {move || {
                let cs = classes.get();
                (cs.len() > 1)
                    .then(|| {
                        cs.into_iter()
                            .map(|c| {
                                let current = Signal::derive(move || {
                                    modes.with(|m| m.iter().find(|(x, _)| *x == c).map(|(_, mode)| *mode))
                                });
                                mode_select(commands, format!("Consistency mode for {}", c.as_str()), Some(c), current)
                            })
                            .collect_view()
                    })
            }}
        </div>
    }
}
