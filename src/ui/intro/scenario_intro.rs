//! The scenario's introduction, shown when it opens and collapsible.

use leptos::prelude::*;

use crate::model::run::loaded_scenario;
use crate::sim_loop::use_run;
use scalesim::scenario::Intro;

/// Title, description, learning goals and "try this first" of the open
/// scenario. `open`: expanded at first (the embed starts it collapsed).
#[component]
pub fn ScenarioIntro(open: bool) -> impl IntoView {
    let run = use_run();
    // Memo: the words change only when another scenario opens (it is loaded
    // by then: the run's spec is set after its scenario arrived).
    let intro = Memo::new(move |_| {
        run.with(|s| {
            s.as_ref()
                .and_then(|s| loaded_scenario(&s.scenario))
                .map(|s| Intro::of(&s))
        })
    });
    move || {
        intro.get().map(|Intro { title, description, goals, try_first, .. }| {
            view! {
                <details class="scenario-intro" open=open aria-label="About this scenario">
                    <summary><span class="intro-kicker">"Scenario: "</span><strong>{title}</strong></summary>
                    <div class="intro-body">
                    <p class="intro-description">{description}</p>
                    {(!try_first.is_empty()).then(|| view! {
                        <p class="intro-try"><strong>"Try first: "</strong>{try_first}</p>
                    })}
                    {(!goals.is_empty()).then(|| view! {
                        <div class="intro-goals">
                            <h3>"What to watch"</h3>
                            <ul>{goals.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    </div>
                </details>
            }
        })
    }
}
