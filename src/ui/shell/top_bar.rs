//! The top bar: product name, a one-line pitch, the view tabs and the theme toggle.

use leptos::prelude::*;

use crate::theme::{ThemeHandle, ThemeToggle};

/// The banner at the top of the page; `children` go next to the theme toggle.
#[component]
pub fn TopBar(theme: ThemeHandle, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <header class="top-bar" role="banner">
            <div class="brand">
                <h1>"Scalesim"</h1>
                <p class="tagline">"Spike it, break it, watch it scale."</p>
            </div>
            <div class="top-bar-controls">
                {children.map(|c| c())}
                <ThemeToggle theme=theme />
            </div>
        </header>
    }
}
