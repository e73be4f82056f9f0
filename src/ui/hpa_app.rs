//! The HPA explorer's page (hpa.html, binary `scalesim-hpa`): a top bar with the theme
//! toggle and links to the playground and interview mode, and the explorer.

use leptos::prelude::*;

use super::hpa_explorer::HpaExplorer;
use super::shell::TopBar;
use super::theme::use_theme;

/// The whole HPA explorer page.
#[component]
pub fn HpaApp() -> impl IntoView {
    let theme = use_theme();
    view! {
        <a class="skip-link" href="#main">"Skip to the HPA explorer"</a>
        <TopBar theme=theme>
            <nav class="view-tabs" aria-label="Views">
                <a class="view-tab" href="index.html">"Playground"</a>
                <span class="view-tab" aria-current="page">"HPA explorer"</span>
                <a class="view-tab" href="interview.html">"Interview"</a>
            </nav>
        </TopBar>
        <main class="layout-single" id="main"><HpaExplorer /></main>
    }
}
