//! Progress you can carry: export it as a JSON file, import one back (merged,
//! with how many attempts were new and how many were already there), and a
//! CSV of scores for instructors. Problems with stored progress show here.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::ProgressStore;
use scalesim::grade::progress::{self, Loaded};

/// Offers `text` as a download called `file`.
fn download(file: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "the browser refused to build the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to offer the file".to_string())?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "no document".to_string())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(file);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Export, import and CSV buttons, and the store's notice.
#[component]
pub fn ProgressBox(store: ProgressStore) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let export = move |_| {
        let text = store.progress.with_untracked(progress::save);
        if let Err(e) = download("scalesim-progress.json", "application/json", &text) {
            message.set(Some(e));
        }
    };
    let csv = move |_| {
        let text = store.progress.with_untracked(progress::scores_csv);
        if let Err(e) = download("scalesim-scores.csv", "text/csv", &text) {
            message.set(Some(e));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(t) => t.as_string().unwrap_or_default(),
                Err(_) => return message.set(Some(format!("{name} could not be read"))),
            };
            let msg = match progress::load(Some(&text)) {
                Loaded::Fresh => format!("{name} is empty: nothing imported"),
                Loaded::Unreadable { why, .. } => {
                    format!("{name} was not imported: {why}. Your progress is unchanged")
                }
                Loaded::Read(p) | Loaded::Migrated { progress: p, .. } => {
                    let mut report = None;
                    store
                        .progress
                        .update(|mine| report = Some(progress::merge(mine, p)));
                    store.save();
                    let r = report.unwrap_or_default();
                    format!(
                        "Imported {name}: {} new attempt(s), {} already here",
                        r.added, r.duplicates
                    )
                }
            };
            message.set(Some(msg));
        });
    };
    view! {
        // Open when the stored progress needs the learner's attention.
        <details class="progress-box" open=store.notice.with_untracked(Option::is_some)>
            <summary>"Your progress"</summary>
            {move || store.notice.get().map(|n| view! { <p class="form-error" role="alert">{n}</p> })}
            <p class="note">{move || store.progress.with(|p| format!("{} attempt(s) saved in this browser.", p.attempts.len()))}</p>
            <div class="progress-actions">
                <button on:click=export>"Export progress (JSON)"</button>
                <label class="file-button">
                    <span>"Import progress"</span>
                    <input type="file" accept="application/json,.json" on:change=import />
                </label>
                <button on:click=csv>"Scores for instructors (CSV)"</button>
            </div>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        </details>
    }
}
