//! `use_canvas_width`: the width a canvas is shown at, in CSS pixels, followed
//! with a `ResizeObserver` (told after layout, so reading it forces none).
//!
//! A chart drawn at the width it is shown at keeps its text at the size it
//! was drawn (11 px), in a narrow embed as on a wide screen; a canvas drawn at
//! a fixed 560 px and scaled to 270 px shrinks its labels to 5 px.

use leptos::html::Canvas;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ResizeObserver, ResizeObserverEntry};

/// The shown width of `canvas` [CSS px, whole], 0 until it is laid out.
/// The observer is disconnected on cleanup.
pub fn use_canvas_width(canvas: NodeRef<Canvas>) -> ReadSignal<u32> {
    let (width, set_width) = signal(0u32);
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let shown = entries
            .iter()
            .filter_map(|e| e.dyn_into::<ResizeObserverEntry>().ok())
            .map(|e| e.content_rect().width())
            .next_back();
        if let Some(w) = shown {
            let w = w.round().max(0.0) as u32;
            if w != width.get_untracked() {
                set_width.set(w);
            }
        }
    });
    let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
        return width;
    };
    let observer = SendWrapper::new(observer);
    let observed = observer.clone();
    // Effect: observe the canvas once it is in the DOM.
    Effect::new(move |_| {
        if let Some(el) = canvas.get() {
            observed.observe(&el);
        }
    });
    let keep = SendWrapper::new(callback);
    on_cleanup(move || {
        observer.disconnect();
        drop(keep);
    });
    width
}
