//! The interview page: the list of graded scenarios beside the open one, and
//! the learner's progress. `?interview=ID` opens a scenario, `&q=N` one of its
//! questions (from 1).

use leptos::prelude::*;

use super::interview_list::{InterviewList, ListEntry};
use super::interview_sheet::InterviewSheet;
use super::progress_box::ProgressBox;
use scalesim::scenario::{built_in_title, interview_catalog, Scenario};

use crate::run::fetch_scenario;

/// Every built-in scenario that has questions, known without fetching any.
fn entries() -> Vec<ListEntry> {
    interview_catalog()
        .into_iter()
        .map(|(name, covers, questions)| ListEntry {
            name: name.to_string(),
            title: built_in_title(name).unwrap_or(name).to_string(),
            covers: covers.iter().map(|c| c.to_string()).collect(),
            questions,
        })
        .collect()
}

/// The page. `open`: the scenario and question (from 0) a link asked for.
#[component]
pub fn InterviewView(
    nav: super::InterviewNav,
    /// In an embed: the open scenario (or its one question) only, no list.
    embedded: bool,
    theme: Signal<crate::theme::Theme>,
) -> impl IntoView {
    let open = nav.open;
    let store = nav.store;
    let list = entries();
    let count = list.len();
    // On a narrow screen a link to one scenario opens with the list folded,
    // so its questions come first.
    let wide = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w > 720.0);
    let list_open = wide || open.with_untracked(Option::is_none);
    let selected = RwSignal::new(
        open.get_untracked()
            .map(|(n, _)| n)
            .or_else(|| list.first().map(|e| e.name.clone())),
    );
    // Picking another scenario drops the link's single question.
    Effect::new(move |prev: Option<Option<String>>| {
        let now = selected.get();
        if prev.is_some_and(|p| p != now) {
            open.set(now.clone().map(|n| (n, None)));
        }
        now
    });
    // The open scenario, fetched (or taken from the page's store) when picked.
    let loaded = RwSignal::new(None::<(String, Result<Scenario, String>)>);
    // Effect: fetch the picked scenario.
    Effect::new(move |_| {
        let Some(name) = selected.get() else { return };
        if loaded.with_untracked(|l| l.as_ref().is_some_and(|(n, _)| *n == name)) {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let r = fetch_scenario(&name).await;
            // Only if it is still the one picked.
            if selected.get_untracked().as_deref() == Some(name.as_str()) {
                loaded.set(Some((name, r)));
            }
        });
    });
    let sheet = move || {
        let name = selected.get()?;
        let only =
            open.with_untracked(|o| o.as_ref().filter(|(n, _)| *n == name).and_then(|(_, q)| *q));
        Some(match loaded.get() {
            Some((n, Ok(s))) if n == name => view! { <InterviewSheet name=name scenario=s only=only nav=nav theme=theme /> }.into_any(),
            Some((n, Err(e))) if n == name => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            Some(_) | None => view! {
                <p class="note" role="status">{format!("Loading {}\u{2026}", built_in_title(&name).unwrap_or(&name))}</p>
            }.into_any(),
        })
    };
    if embedded {
        return view! { <div class="interview embedded">{sheet}</div> }.into_any();
    }
    view! {
        <div class="interview">
            <div class="interview-side">
                <details class="interview-picker" open=list_open>
                    <summary>{format!("Interview scenarios ({count})")}</summary>
                    <InterviewList entries=list selected=selected store=store />
                </details>
                <ProgressBox store=store />
            </div>
            <div class="interview-main">{sheet}</div>
        </div>
    }
    .into_any()
}
