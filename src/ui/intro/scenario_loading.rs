//! "Loading Black Friday…" while a scenario's file is fetched.

use leptos::prelude::*;

use crate::sim_loop::use_status;

/// A status line naming the scenario being fetched ([`Commands::open`](crate::sim_loop::Commands::open));
/// nothing otherwise. The run on screen goes on meanwhile.
#[component]
pub fn ScenarioLoading() -> impl IntoView {
    let sim_status = use_status();
    view! {
        <p class="scenario-loading note" role="status">
            {move || sim_status.loading.get().map(|title| format!("Loading {title}\u{2026}"))}
        </p>
    }
}
