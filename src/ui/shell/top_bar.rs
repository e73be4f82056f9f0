//! The top bar: product name, a one-line pitch and the theme toggle.
//! The scenario picker, play controls, speed and share link join it with the
//! simulator loop.

use leptos::prelude::*;

use crate::ui::theme::{ThemeHandle, ThemeToggle};

/// The banner at the top of the page.
#[component]
pub fn TopBar(theme: ThemeHandle) -> impl IntoView {
    view! {
        <header class="top-bar" role="banner">
            <div class="brand">
                <h1>"Scalesim"</h1>
                <p class="tagline">"Spike it, break it, watch it scale."</p>
            </div>
            <div class="top-bar-controls">
                <ThemeToggle theme=theme />
            </div>
        </header>
    }
}
