//! `use_theme`: the resolved theme as a signal, synced with the outside world
//! (the system colour scheme, `<html data-theme>`, and localStorage).

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The theme the page is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The other theme.
    pub fn flipped(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// The lowercase name used in `data-theme` and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What the learner asked for: follow the system, or a fixed theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemePreference {
    System,
    Fixed(Theme),
}

impl ThemePreference {
    /// Parses a stored value; anything unknown falls back to following the system.
    pub fn parse(stored: Option<&str>) -> ThemePreference {
        match stored {
            Some("light") => ThemePreference::Fixed(Theme::Light),
            Some("dark") => ThemePreference::Fixed(Theme::Dark),
            _ => ThemePreference::System,
        }
    }
}

/// Options of [`use_theme_with_options`].
#[derive(Clone, Debug)]
pub struct ThemeOptions {
    /// localStorage key of the learner's choice (versioned).
    pub storage_key: &'static str,
    /// Whether to write `data-theme` on `<html>` so the CSS follows the choice.
    pub apply_to_document: bool,
}

impl Default for ThemeOptions {
    fn default() -> Self {
        ThemeOptions {
            storage_key: "scalesim.theme.v1",
            apply_to_document: true,
        }
    }
}

/// What [`use_theme`] returns. `Copy`, so it can be passed to several children.
#[derive(Clone, Copy)]
pub struct ThemeHandle {
    /// The theme in force: the learner's choice, else the system's.
    pub theme: Signal<Theme>,
    /// The learner's choice; write it to change the theme.
    pub preference: RwSignal<ThemePreference>,
}

impl ThemeHandle {
    /// Switches to the other theme and remembers the choice.
    pub fn toggle(&self) {
        let next = self.theme.get_untracked().flipped();
        self.preference.set(ThemePreference::Fixed(next));
    }
}

/// The page theme with default options.
pub fn use_theme() -> ThemeHandle {
    use_theme_with_options(ThemeOptions::default())
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The page theme. Listens to `prefers-color-scheme` changes until cleanup.
pub fn use_theme_with_options(options: ThemeOptions) -> ThemeHandle {
    let stored = local_storage().and_then(|s| s.get_item(options.storage_key).ok().flatten());
    let preference = RwSignal::new(ThemePreference::parse(stored.as_deref()));

    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    let system_dark = RwSignal::new(query.as_ref().is_some_and(|q| q.matches()));
    if let Some(query) = query {
        let on_change = Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |e: web_sys::MediaQueryListEvent| {
                system_dark.set(e.matches());
            },
        );
        let target: &web_sys::EventTarget = query.unchecked_ref();
        let _ =
            target.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let keep = SendWrapper::new((query, on_change));
        on_cleanup(move || {
            let (query, on_change) = keep.take();
            let target: &web_sys::EventTarget = query.unchecked_ref();
            let _ = target
                .remove_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        });
    }

    // A derived closure is enough: resolving the preference is a cheap match.
    let theme = Signal::derive(move || match preference.get() {
        ThemePreference::Fixed(t) => t,
        ThemePreference::System if system_dark.get() => Theme::Dark,
        ThemePreference::System => Theme::Light,
    });

    // Effect: the only way to sync with the outside world (the DOM attribute and storage).
    let key = options.storage_key;
    let apply = options.apply_to_document;
    Effect::new(move |_| {
        let pref = preference.get();
        let root = document().document_element();
        match pref {
            ThemePreference::Fixed(t) => {
                if let Some(s) = local_storage() {
                    let _ = s.set_item(key, t.as_str());
                }
                if let (true, Some(root)) = (apply, root) {
                    let _ = root.set_attribute("data-theme", t.as_str());
                }
            }
            ThemePreference::System => {
                if let (true, Some(root)) = (apply, root) {
                    let _ = root.remove_attribute("data-theme");
                }
            }
        }
    });

    ThemeHandle { theme, preference }
}
