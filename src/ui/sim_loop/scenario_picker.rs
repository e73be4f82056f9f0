//! Pick a built-in scenario (it opens at once, with its own seed, as its link
//! does); change the seed and "Restart" to run the same scenario with it from T+0.

use leptos::prelude::*;

use super::{use_commands, use_play_state, use_run};
use crate::model::run::RunSpec;
use scalesim::scenario::{self, BUILT_IN_NAMES};

/// The title of built-in scenario `name`.
fn title_of(name: &'static str) -> &'static str {
    scenario::built_in_title(name).unwrap_or(name)
}

/// A scenario select that loads the scenario it is set to, a seed field and a
/// restart button.
#[component]
pub fn ScenarioPicker() -> impl IntoView {
    let run = use_run();
    let play = use_play_state();
    let commands = use_commands();
    let current = move || run.with(|s| s.as_ref().map(|s| s.scenario.clone()));
    let chosen = RwSignal::new(current().unwrap_or_else(|| BUILT_IN_NAMES[0].to_string()));
    let seed = RwSignal::new(
        run.with_untracked(|s| s.as_ref().map(|s| s.seed))
            .unwrap_or(42),
    );
    // Effect: follow the loaded run (a link, a knob) into the form fields.
    Effect::new(move |_| {
        if let Some(s) = run.get() {
            chosen.set(s.scenario.clone());
            seed.set(s.seed);
        }
    });
    // Why the last scenario picked could not open (its file did not load…),
    // shown by the picker, where the learner acted.
    let failed = RwSignal::new(None::<String>);
    // Opens the chosen scenario with the seed in the field, from T+0 (fetched
    // first if the page has not loaded it); a run that was playing goes on
    // playing the new one. If it cannot open, the run on screen stays, and so
    // does the select.
    let start = move || {
        let playing = play.playing.get_untracked();
        let spec = RunSpec::fresh(&chosen.get_untracked(), seed.get_untracked());
        failed.set(None);
        commands.open(spec, move |result| match result {
            Ok(()) if playing => commands.play(),
            Ok(()) => {}
            Err(e) => {
                if let Some(s) = run.get_untracked() {
                    chosen.set(s.scenario);
                    seed.set(s.seed);
                }
                failed.set(Some(e));
            }
        });
    };
    // Another scenario opened some other way (a jump button): the picker's
    // failure no longer applies.
    commands.on_new_scenario(move || failed.set(None));
    let titles: Vec<(&'static str, &'static str)> =
        BUILT_IN_NAMES.iter().map(|n| (*n, title_of(n))).collect();
    view! {
        <form
            class="scenario-picker"
            aria-label="Scenario picker"
            on:submit=move |ev| {
                ev.prevent_default();
                start();
            }
        >
            <label>
                "Scenario "
                <select
                    aria-label="Scenario"
                    on:change=move |ev| {
                        // A picked scenario runs with its own seed, as a link without `seed=` does.
                        let name = event_target_value(&ev);
                        if let Some(own) = scenario::built_in_seed(&name) {
                            seed.set(own);
                        }
                        chosen.set(name);
                        start();
                    }
                >
                    {titles
                        .into_iter()
                        .map(|(n, t)| view! { <option value=n prop:selected=move || chosen.get() == n>{t}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Seed "
                <input
                    aria-label="Seed"
                    type="number"
                    min="0"
                    inputmode="numeric"
                    prop:value=move || seed.get().to_string()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                            seed.set(v);
                        }
                    }
                />
            </label>
            <button type="submit" title="Run this scenario again from T+0 with this seed">"Restart"</button>
        </form>
        {move || failed.get().map(|e| view! {
            <p class="error picker-error" role="alert">
                <strong>"This scenario could not open: "</strong>{e}"."
            </p>
        })}
    }
}
