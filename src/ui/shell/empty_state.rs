//! An honest placeholder: says what will appear here, never fakes content.

use leptos::prelude::*;

/// A muted paragraph describing content that arrives with a later release.
#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <p class="empty-state">{children()}</p> }
}
