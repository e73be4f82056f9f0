//! The built-in scenarios the page has loaded, by name.
//!
//! ```text
//!   open "zone-outage" ──cached?──yes──▶ Scenario
//!                          └─no──▶ fetch scenarios/zone-outage.json ──load_json──▶ cache ──▶ Scenario
//! ```
//!
//! The page carries no scenario text: each built-in is fetched as JSON (same
//! origin, relative to the page) the first time it opens, checked, and kept,
//! so switching back costs no request. The kept form is the checked JSON text,
//! read again (about 0.1 ms) each time a world is built from it, as the page
//! did when the text was compiled in: a parsed copy would need a
//! `Scenario::clone` in the wasm (7.5 KB). Tests, which cannot fetch `dist/`,
//! hand the JSON in with [`add_scenario_json`]; the page's fetch
//! (`ui::run::fetch_scenario`, wasm only) keeps what it fetched the same way.

use std::cell::RefCell;
use std::rc::Rc;

use scalesim::scenario::{self, Scenario};

thread_local! {
    /// (name, checked JSON text), in the order they were loaded; at most one per built-in.
    static LOADED: RefCell<Vec<(String, Rc<str>)>> = const { RefCell::new(Vec::new()) };
}

/// The kept JSON text of built-in `name`.
fn kept(name: &str) -> Option<Rc<str>> {
    LOADED.with_borrow(|l| l.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()))
}

/// Reads JSON `text` as built-in `name`'s file.
fn read(name: &str, text: &str) -> Result<Scenario, String> {
    scenario::load_json(&scenario::built_in_json_url(name), text).map_err(|e| e.to_string())
}

/// Whether the page has loaded built-in `name`.
pub fn is_loaded(name: &str) -> bool {
    kept(name).is_some()
}

/// The built-in scenario `name` if the page has loaded it.
pub fn loaded_scenario(name: &str) -> Option<Scenario> {
    read(name, &kept(name)?).ok()
}

/// The "no such built-in" message.
pub fn no_such_scenario(name: &str) -> String {
    format!("there is no built-in scenario called \u{201c}{name}\u{201d}")
}

/// Reads `json` (the file of built-in `name`), validates it and keeps it.
pub fn add_scenario_json(name: &str, json: &str) -> Result<Scenario, String> {
    if scenario::built_in_title(name).is_none() {
        return Err(no_such_scenario(name));
    }
    let s = read(name, json)?;
    LOADED.with_borrow_mut(|l| {
        l.retain(|(n, _)| n != name);
        l.push((name.to_string(), Rc::from(json)));
    });
    Ok(s)
}
