//! "Copy link": the run's URL (scenario, seed, knobs, actions, current time)
//! to the clipboard, with a selectable text field as the fallback.

use leptos::html::Input;
use leptos::prelude::*;

use crate::model::url_state::{EmbedParts, UrlState, View};
use crate::sim_loop::use_commands;
use crate::url_state::UrlStateHandle;

/// The share button and its link field. In an embed, the link keeps the
/// embed and its parts (`show`).
#[component]
pub fn ShareLink(embed: bool, #[prop(optional)] show: EmbedParts) -> impl IntoView {
    let commands = use_commands();
    let link = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let field = NodeRef::<Input>::new();
    let copy = move |_| {
        let state = UrlState {
            run: commands.shareable(),
            embed,
            show,
            view: View::Playground,
            drill: None,
        };
        let url = UrlStateHandle::link_of(&state);
        link.set(url.clone());
        let select = move || {
            if let Some(f) = field.get_untracked() {
                f.select();
            }
        };
        // No clipboard in an insecure page or in an iframe not allowed to write
        // to it (a course page's embed): the link is selected for Ctrl+C.
        let navigator = window().navigator();
        let has_clipboard = web_sys::js_sys::Reflect::get(&navigator, &"clipboard".into())
            .is_ok_and(|c| !c.is_undefined() && !c.is_null());
        if !has_clipboard {
            status.set("The link is selected: press Ctrl+C to copy it.".into());
            request_animation_frame(select);
            return;
        }
        let promise = navigator.clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => status.set("Link copied.".into()),
                Err(_) => {
                    status.set("Copy failed: the link is selected, press Ctrl+C.".into());
                    select();
                }
            }
        });
    };
    view! {
        <div class="share">
            <button on:click=copy>"Copy link"</button>
            <label class="share-field" class:hidden=move || link.with(String::is_empty)>
                <span class="sr-only">"Link to this run"</span>
                <input node_ref=field readonly type="text" prop:value=move || link.get() on:focus=move |_| {
                    if let Some(f) = field.get_untracked() { f.select(); }
                } />
            </label>
            <span class="share-status" role="status">{move || status.get()}</span>
        </div>
    }
}
