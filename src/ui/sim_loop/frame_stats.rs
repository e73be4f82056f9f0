//! Per-frame work figures for the browser benchmark. Off unless the page is
//! opened with `window.__scalesimStats = { frames: [], charts: [], counts: {} }`
//! already set (the benchmark's init script does it); then each animation
//! frame pushes `{ steps, step_ms, publish_ms, work_ms }` to `frames`, each
//! chart redraw `{ id, ms }` to `charts`, and [`count`] adds to `counts[name]`
//! (memo recomputations and changes). `work_ms` runs from the frame's start to the next
//! task: the stepping, the publication and every effect and DOM update it set off.

use std::cell::OnceCell;

use js_sys::{Array, Object, Reflect};
use leptos::prelude::window;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static SINK: OnceCell<Option<Object>> = const { OnceCell::new() };
}

/// The benchmark's `window.__scalesimStats`, read once; None when it is absent.
fn sink() -> Option<Object> {
    SINK.with(|s| {
        s.get_or_init(|| {
            Reflect::get(&window(), &JsValue::from_str("__scalesimStats"))
                .ok()
                .and_then(|v| v.dyn_into::<Object>().ok())
        })
        .clone()
    })
}

/// True when the benchmark is recording.
pub fn recording() -> bool {
    sink().is_some()
}

fn push(list: &str, fields: &[(&str, JsValue)]) -> Option<Object> {
    let sink = sink()?;
    let array = Reflect::get(&sink, &JsValue::from_str(list))
        .ok()?
        .dyn_into::<Array>()
        .ok()?;
    let entry = Object::new();
    for (k, v) in fields {
        Reflect::set(&entry, &JsValue::from_str(k), v).ok()?;
    }
    array.push(&entry);
    Some(entry)
}

/// Records one animation frame that began at `start_ms` (performance.now()).
pub fn record_frame(start_ms: f64, steps: u64, step_ms: f64, publish_ms: f64) {
    let Some(entry) = push(
        "frames",
        &[
            ("steps", JsValue::from_f64(steps as f64)),
            ("step_ms", JsValue::from_f64(step_ms)),
            ("publish_ms", JsValue::from_f64(publish_ms)),
        ],
    ) else {
        return;
    };
    let done = Closure::once_into_js(move || {
        let now = window().performance().map_or(0.0, |p| p.now());
        let _ = Reflect::set(
            &entry,
            &JsValue::from_str("work_ms"),
            &JsValue::from_f64(now - start_ms),
        );
    });
    let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(done.unchecked_ref(), 0);
}

/// Records one redraw of chart `id` that took `ms`.
pub fn record_chart(id: &str, ms: f64) {
    push(
        "charts",
        &[("id", JsValue::from_str(id)), ("ms", JsValue::from_f64(ms))],
    );
}

/// Adds one to `counts[name]` ("memo:shape recomputed").
pub fn count(name: &str) {
    let Some(sink) = sink() else { return };
    let Some(counts) = Reflect::get(&sink, &JsValue::from_str("counts"))
        .ok()
        .and_then(|v| v.dyn_into::<Object>().ok())
    else {
        return;
    };
    let key = JsValue::from_str(name);
    let n = Reflect::get(&counts, &key)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let _ = Reflect::set(&counts, &key, &JsValue::from_f64(n + 1.0));
}
