//! A one-click way to a built-in scenario that has what the current one lacks
//! (a consistency store, a Kafka topic), so a newcomer can flip the consistency
//! mode or stop consumers without hunting through the scenario picker.

use leptos::prelude::*;

use crate::model::run::RunSpec;
use crate::sim_loop::{use_commands, use_run};

/// A button that loads built-in `scenario` with the current seed.
#[component]
pub fn ScenarioJump(scenario: &'static str, words: &'static str) -> impl IntoView {
    let run = use_run();
    let commands = use_commands();
    let open = move |_| {
        let seed = run.with_untracked(|s| s.as_ref().map_or(42, |s| s.seed));
        commands.open(RunSpec::fresh(scenario, seed), move |result| {
            if let Err(e) = result {
                commands.report(e);
            }
        });
    };
    view! {
        <button class="scenario-jump" title=format!("Loads the built-in scenario {scenario}") on:click=open>
            {words}
        </button>
    }
}
