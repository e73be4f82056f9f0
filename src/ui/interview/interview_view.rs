//! The interview page: the list of graded scenarios beside the open one, and
//! the learner's progress. `?interview=ID` opens a scenario, `&q=N` one of its
//! questions (from 1).

use leptos::prelude::*;

use super::interview_list::{InterviewList, ListEntry};
use super::interview_sheet::InterviewSheet;
use super::progress_box::ProgressBox;
use crate::scenario::{load_built_in, BUILT_IN_NAMES};

/// Every built-in scenario that has questions.
fn entries() -> Vec<ListEntry> {
    BUILT_IN_NAMES
        .iter()
        .filter_map(|n| {
            let s = load_built_in(n)?.ok()?;
            (!s.questions.is_empty()).then(|| ListEntry {
                name: n.to_string(),
                title: s.title,
                covers: s.covers,
                questions: s.questions.len(),
            })
        })
        .collect()
}

/// The page. `open`: the scenario and question (from 0) a link asked for.
#[component]
pub fn InterviewView(
    nav: super::InterviewNav,
    /// In an embed: the open scenario (or its one question) only, no list.
    embedded: bool,
    theme: Signal<crate::ui::theme::Theme>,
) -> impl IntoView {
    let open = nav.open;
    let store = nav.store;
    let list = entries();
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
    let sheet = move || {
        let name = selected.get()?;
        let only =
            open.with_untracked(|o| o.as_ref().filter(|(n, _)| *n == name).and_then(|(_, q)| *q));
        Some(match load_built_in(&name) {
            Some(Ok(s)) => view! { <InterviewSheet name=name scenario=s only=only nav=nav theme=theme /> }.into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{format!("{e}")}</p> }.into_any(),
            None => view! { <p class="form-error" role="alert">{format!("There is no interview scenario called \u{201c}{name}\u{201d}.")}</p> }.into_any(),
        })
    };
    if embedded {
        return view! { <div class="interview embedded">{sheet}</div> }.into_any();
    }
    view! {
        <div class="interview">
            <div class="interview-side">
                <InterviewList entries=list selected=selected store=store />
                <ProgressBox store=store />
            </div>
            <div class="interview-main">{sheet}</div>
        </div>
    }
    .into_any()
}
