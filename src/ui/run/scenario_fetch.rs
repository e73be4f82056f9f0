//! Fetching a built-in scenario the page has not loaded yet: its JSON, from
//! `scenarios/NAME.json` relative to the page, checked and kept in the
//! model's store ([`crate::model::run::add_scenario_json`]).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::model::run::{add_scenario_json, loaded_scenario, no_such_scenario};
use scalesim::scenario::{self, Scenario};

/// The built-in scenario `name`: from the cache, else fetched and kept. The
/// error names the file and, when the server answered, its HTTP status.
pub async fn fetch_scenario(name: &str) -> Result<Scenario, String> {
    if let Some(s) = loaded_scenario(name) {
        return Ok(s);
    }
    if scenario::built_in_title(name).is_none() {
        return Err(no_such_scenario(name));
    }
    let url = scenario::built_in_json_url(name);
    let failed = |why: String| format!("the scenario file {url} could not be loaded ({why})");
    let js_why = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "the request failed".into())
    };
    let response: web_sys::Response =
        JsFuture::from(leptos::prelude::window().fetch_with_str(&url))
            .await
            .map_err(|e| failed(js_why(e)))?
            .unchecked_into();
    if !response.ok() {
        let status = response.status_text();
        return Err(failed(
            format!("HTTP {} {status}", response.status())
                .trim_end()
                .to_string(),
        ));
    }
    let text = JsFuture::from(response.text().map_err(|e| failed(js_why(e)))?)
        .await
        .map_err(|e| failed(js_why(e)))?
        .as_string()
        .unwrap_or_default();
    add_scenario_json(name, &text)
}
