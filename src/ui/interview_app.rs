//! The interview page's root (interview.html, binary `scalesim-interview`):
//! a top bar with the theme toggle and a link back to the playground, and
//! interview mode. The page carries no simulator loop: drills play on the
//! playground page (index.html?s=NAME&drill=ID).
//!
//! `?interview=ID` opens a scenario, `&q=N` one of its questions (from 1),
//! `&embed=1` the scenario (or its question) alone, for an iframe.

use leptos::prelude::*;

use super::interview::{InterviewNav, InterviewView};
use super::shell::TopBar;
use super::theme::use_theme;

/// What the interview page's link asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InterviewLink {
    /// The scenario open and its single question (from 0; `usize::MAX` when
    /// the link's number is not one: the sheet says so).
    pub open: Option<(String, Option<usize>)>,
    /// `embed=1`.
    pub embed: bool,
    /// Why part of the link was not followed.
    pub problem: Option<String>,
}

fn unescape(value: &str) -> String {
    js_sys::decode_uri_component(&value.replace('+', " "))
        .map(String::from)
        .unwrap_or_else(|_| value.to_string())
}

/// Reads the interview page's query (with or without `?`); unknown parts are ignored.
pub fn read_interview_link(query: &str) -> InterviewLink {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut link = InterviewLink::default();
    let mut name = None;
    let mut question = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "interview" => name = Some(unescape(value)),
            "q" => {
                question = Some(
                    value
                        .parse::<usize>()
                        .ok()
                        .and_then(|q| q.checked_sub(1))
                        .unwrap_or(usize::MAX),
                )
            }
            "embed" => link.embed = value == "1" || value == "true",
            _ => {}
        }
    }
    match name {
        Some(n) if scalesim::scenario::is_interview(&n) => link.open = Some((n, question)),
        Some(n) => {
            link.problem = Some(format!(
                "there is no interview scenario called \u{201c}{n}\u{201d}; the scenarios are {}",
                scalesim::scenario::interview_catalog()
                    .iter()
                    .map(|(n, _, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        None if question.is_some() => {
            link.problem = Some("the link names a question (q=) but no interview scenario".into())
        }
        None => {}
    }
    link
}

/// The query for `open` (and `embed`).
fn query_of(open: &Option<(String, Option<usize>)>, embed: bool) -> String {
    let mut parts = Vec::new();
    if let Some((name, q)) = open {
        parts.push(format!(
            "interview={}",
            String::from(js_sys::encode_uri_component(name))
        ));
        if let Some(n) = q.and_then(|q| q.checked_add(1)) {
            parts.push(format!("q={n}"));
        }
    }
    if embed {
        parts.push("embed=1".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// The whole interview page.
#[component]
pub fn InterviewApp() -> impl IntoView {
    let theme = use_theme();
    let link = read_interview_link(&window().location().search().unwrap_or_default());
    let embed = link.embed;
    let open = RwSignal::new(link.open.clone());
    let nav = InterviewNav::new(open);
    // Effect: mirror the open scenario into the address bar.
    Effect::new(move |_| {
        let query = query_of(&open.get(), embed);
        let path = window().location().pathname().unwrap_or_default();
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}{query}")),
            );
        }
    });
    view! {
        <a class="skip-link" href="#main">"Skip to the interview"</a>
        {(!embed).then(|| view! {
            <TopBar theme=theme>
                <nav class="view-tabs" aria-label="Views">
                    <a class="view-tab" href="index.html">"Playground"</a>
                    <a class="view-tab" href="hpa.html">"HPA explorer"</a>
                    <span class="view-tab" aria-current="page">"Interview"</span>
                </nav>
            </TopBar>
        })}
        {link.problem.map(|e| view! {
            <div class="link-error" role="alert">
                <strong>"This link could not be followed: "</strong>{e}"."
            </div>
        })}
        <main class="layout-single" id="main">
            <section class="region interview-page" aria-labelledby="interview-heading">
                <h2 id="interview-heading" class:sr-only=embed>"Interview mode"</h2>
                <InterviewView nav=nav embedded=embed theme=theme.theme />
            </section>
        </main>
    }
}
