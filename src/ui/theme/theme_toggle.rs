//! The button that switches between the light and the dark theme.

use leptos::prelude::*;

use super::{Theme, ThemeHandle};

/// A toggle button whose accessible name says what pressing it does.
#[component]
pub fn ThemeToggle(theme: ThemeHandle) -> impl IntoView {
    let label = move || match theme.theme.get() {
        Theme::Light => "Switch to dark theme",
        Theme::Dark => "Switch to light theme",
    };
    let icon = move || match theme.theme.get() {
        Theme::Light => "\u{263e}",
        Theme::Dark => "\u{2600}",
    };
    view! {
        <button
            type="button"
            class="theme-toggle"
            aria-label=label
            title=label
            data-theme-now=move || theme.theme.get().as_str()
            on:click=move |_| theme.toggle()
        >
            <span aria-hidden="true">{icon}</span>
        </button>
    }
}
