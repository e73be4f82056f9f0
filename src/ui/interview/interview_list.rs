//! The interview scenarios: title, the seed questions each covers, attempts
//! and best score. Picking one opens its sheet.

use leptos::prelude::*;

use scalesim::grade::progress::best_scores;

/// An interview scenario in the list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListEntry {
    /// Built-in name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Seed question ids it covers.
    pub covers: Vec<String>,
    /// How many questions.
    pub questions: usize,
}

/// The seed documents questions come from, in words ("seed 001", "seeds 002 and 004").
fn seeds_of(covers: &[String]) -> String {
    let mut seeds: Vec<&str> = Vec::new();
    for seed in covers.iter().filter_map(|c| c.split('-').next()) {
        let at = seeds.partition_point(|s| *s < seed);
        if seeds.get(at) != Some(&seed) {
            seeds.insert(at, seed);
        }
    }
    match seeds.as_slice() {
        [one] => format!("seed {one}"),
        [init @ .., last] => format!("seeds {} and {last}", init.join(", ")),
        [] => "no seed".into(),
    }
}

/// The list; `selected` is the open scenario's name.
#[component]
pub fn InterviewList(
    entries: Vec<ListEntry>,
    selected: RwSignal<Option<String>>,
    store: super::ProgressStore,
) -> impl IntoView {
    view! {
        <nav class="interview-list" aria-label="Interview scenarios">
            <ul>
                {entries.into_iter().map(|e| {
                    let name = e.name.clone();
                    let name2 = e.name.clone();
                    let name3 = e.name.clone();
                    let best = move || store.progress.with(|p| {
                        let tries = p.attempts.iter().filter(|a| a.scenario == name3).count();
                        match best_scores(p).get(&name3) {
                            Some(b) => format!("best {b:.0} % in {tries} attempt{}", if tries == 1 { "" } else { "s" }),
                            None => "not tried yet".into(),
                        }
                    });
                    view! {
                        <li>
                            <button
                                class="interview-pick"
                                aria-pressed=move || if selected.get().as_deref() == Some(name.as_str()) { "true" } else { "false" }
                                on:click=move |_| selected.set(Some(name2.clone()))
                            >
                                <span class="pick-title">{e.title}</span>
                                <span class="pick-meta">{format!("{} \u{b7} {} questions", seeds_of(&e.covers), e.questions)}</span>
                                <span class="pick-score">{best}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}
