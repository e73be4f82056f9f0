//! `use_url_state`: the page's state as read from the address bar at start,
//! and a debounced writer that mirrors later changes into it with
//! `history.replaceState` (no navigation, no new history entries).

use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::model::url_state::{encode_query, read_link, LinkRead, UrlState};

/// Options of [`use_url_state_with_options`].
#[derive(Clone, Debug)]
pub struct UrlStateOptions {
    /// Quiet time before the address bar is rewritten [ms]: browsers throttle
    /// rapid history writes, and a run changes many times a second.
    pub debounce_ms: u64,
}

impl Default for UrlStateOptions {
    fn default() -> Self {
        UrlStateOptions { debounce_ms: 250 }
    }
}

/// What [`use_url_state`] returns.
#[derive(Clone, Copy)]
pub struct UrlStateHandle {
    /// The link the page was opened with: what applies, and each part that
    /// could not ([`LinkRead::problems`]).
    pub initial: StoredValue<LinkRead>,
    /// The state to mirror into the URL; write it and the address bar follows.
    pub current: RwSignal<Option<UrlState>>,
}

impl UrlStateHandle {
    /// The full link of `state` (origin + path + query).
    pub fn link_of(state: &UrlState) -> String {
        let loc = window().location();
        let base = format!(
            "{}{}",
            loc.origin().unwrap_or_default(),
            loc.pathname().unwrap_or_default()
        );
        let q = encode_query(state);
        if q.is_empty() {
            base
        } else {
            format!("{base}?{q}")
        }
    }
}

/// The URL state with default options.
pub fn use_url_state() -> UrlStateHandle {
    use_url_state_with_options(UrlStateOptions::default())
}

/// The URL state. The pending debounced write is cancelled on cleanup.
pub fn use_url_state_with_options(options: UrlStateOptions) -> UrlStateHandle {
    let search = window().location().search().unwrap_or_default();
    let initial = StoredValue::new(read_link(&search));
    let current = RwSignal::new(None::<UrlState>);
    let pending: StoredValue<Option<SendWrapper<TimeoutHandle>>> = StoredValue::new(None);

    // Effect: rewriting the address bar is a side effect on the outside world.
    Effect::new(move |_| {
        let Some(state) = current.get() else { return };
        if let Some(h) = pending.try_update_value(|p| p.take()).flatten() {
            h.take().clear();
        }
        let query = encode_query(&state);
        let handle = set_timeout_with_handle(
            move || {
                let loc = window().location();
                let url = format!(
                    "{}{}",
                    loc.pathname().unwrap_or_default(),
                    if query.is_empty() {
                        String::new()
                    } else {
                        format!("?{query}")
                    }
                );
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&url),
                    );
                }
            },
            Duration::from_millis(options.debounce_ms),
        );
        if let Ok(h) = handle {
            pending.set_value(Some(SendWrapper::new(h)));
        }
    });
    on_cleanup(move || {
        if let Some(h) = pending.try_update_value(|p| p.take()).flatten() {
            h.take().clear();
        }
    });
    UrlStateHandle { initial, current }
}
