//! The Chaos experiments panel: pick one of the scenario's experiments or a Simian Army
//! preset, run it, abort it, and watch its steady-state bounds against what they
//! measure (a meter per bound) and the verdict (docs/models.md#chaos-experiments). Run
//! and Abort each send one action at the current time (`run_experiment`,
//! `abort_experiment`), in the timeline and the link.

use leptos::prelude::*;

use crate::model::actions::run_experiment_action;
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::inputs::Action;

/// The Chaos experiments fieldset (nothing when the scenario has no zone to aim at).
#[component]
pub fn ExperimentPanel() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    // Plain memos (a bool, strings): the page has their code already.
    let read = move |f: &dyn Fn(&crate::model::actions::Experiments) -> Vec<String>| {
        frames.with(|x| x.as_ref().map(|x| f(&x.experiments)).unwrap_or_default())
    };
    let names = Memo::new(move |_| read(&|e| e.available.iter().map(|(n, _)| n.clone()).collect()));
    let titles =
        Memo::new(move |_| read(&|e| e.available.iter().map(|(_, t)| t.clone()).collect()));
    let running =
        Memo::new(move |_| frames.with(|x| x.as_ref().is_some_and(|x| x.experiments.running)));
    let html = Memo::new(move |_| {
        frames.with(|x| {
            x.as_ref()
                .map(|x| x.experiments.status_html.clone())
                .unwrap_or_default()
        })
    });
    let picked = RwSignal::new(String::new());
    let name = move || {
        let p = picked.get();
        names.with(|n| {
            if n.contains(&p) {
                p
            } else {
                n.first().cloned().unwrap_or_default()
            }
        })
    };
    move || {
        names.with(|n| !n.is_empty()).then(|| {
            view! {
                <fieldset class="experiments">
                    <legend>"Chaos experiments"</legend>
                    <p class="note">
                        "An experiment checks the steady state first, then injects its faults; its abort conditions stop it and roll it back."
                    </p>
                    <label>
                        "Experiment "
                        <select
                            prop:value=name
                            on:change=move |ev| picked.set(event_target_value(&ev))
                        >
                            {move || names.get().into_iter().zip(titles.get()).map(|(n, title)| {
                                view! { <option value=n>{title}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button
                        type="button"
                        prop:disabled=move || running.get()
                        on:click=move |_| commands.act(run_experiment_action(&name()))
                    >
                        "Run experiment"
                    </button>
                    <button
                        type="button"
                        class="abort"
                        prop:disabled=move || !running.get()
                        on:click=move |_| commands.act(Action::AbortExperiment)
                    >
                        "Abort"
                    </button>
                    // One HTML string for the status, built and escaped in the model
                    // (`Experiments::status_html`): one element to update, not a tree of
                    // views per row.
                    <div class="experiment-status" aria-live="polite" inner_html=move || html.get()></div>
                </fieldset>
            }
        })
    }
}
