//! The views: the playground here, and the HPA explorer (hpa.html) and interview
//! mode (interview.html) on pages of their own, linked here.

use leptos::prelude::*;

use crate::model::url_state::View;

/// Toggle buttons; the pressed one is the open view.
#[component]
pub fn ViewTabs(view: RwSignal<View>) -> impl IntoView {
    let tab = move |v: View, label: &'static str| {
        view! {
            <button
                class="view-tab"
                aria-pressed=move || if view.get() == v { "true" } else { "false" }
                on:click=move |_| view.set(v)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="view-tabs" aria-label="Views">
            {tab(View::Playground, "Playground")}
            <a class="view-tab" href="hpa.html">"HPA explorer"</a>
            <a class="view-tab" href="interview.html">"Interview"</a>
        </nav>
    }
}
