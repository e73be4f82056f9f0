//! The Clients controls: how the clients retry a failed request (max attempts, backoff,
//! jitter, a retry budget) and whether their circuit breaker is on. Shown when the
//! scenario gives its clients retries or a breaker; each change sends one action at the
//! current time (`set_client_retries` or `set_client_breaker`), so it lands in the
//! timeline and in the share link like a button's.

use leptos::prelude::*;

use crate::model::actions::{
    attempts_typed, ClientChange, ClientPolicy, BACKOFFS, BACKOFF_WORDS, JITTERS, JITTER_WORDS,
};
use crate::sim_loop::{use_commands, use_frames};

/// A `<select>` of `words`, named `label`, showing choice `current`, calling `pick`
/// with the index chosen. One function for both selects: one copy of its view code.
fn choice(
    label: &'static str,
    title: &'static str,
    words: &'static [&'static str],
    current: Signal<usize>,
    disabled: Signal<bool>,
    pick: impl Fn(usize) + 'static,
) -> impl IntoView {
    view! {
        <label class="field" title=title>
            <span>{label}</span>
            // The accessible name is exactly the label (not the label plus the choice).
            <select
                aria-label=label
                prop:disabled=move || disabled.get()
                on:change=move |ev| {
                    if let Some(i) = words.iter().position(|w| *w == event_target_value(&ev)) {
                        pick(i);
                    }
                }
            >
                {words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| view! { <option value=*w prop:selected=move || current.get() == i>{*w}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A checkbox labelled `label`, checked when `on`, calling `set` with its new state.
fn toggle(
    label: &'static str,
    title: &'static str,
    on: Signal<bool>,
    set: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class="toggle-field" title=title>
            <input type="checkbox" prop:checked=move || on.get() on:change=move |ev| set(event_target_checked(&ev)) />
            {label}
        </label>
    }
}

/// The Clients fieldset.
#[component]
pub fn ClientControls() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    // Memo: compared each frame, changes only when the clients' policy does.
    let policy = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref().map_or(ClientPolicy::of(None, false), |f| {
                ClientPolicy::of(
                    f.snap.client_retries.as_ref(),
                    f.snap.client_breaker.is_some(),
                )
            })
        })
    });
    // The last refused attempts value, with what is accepted.
    let refused = RwSignal::new(None::<String>);
    let send = move |change: ClientChange| {
        refused.set(None);
        commands.act(policy.get_untracked().action(change));
    };
    // Derived signals: each reads one field of the memo.
    let backoff = Signal::derive(move || {
        BACKOFFS
            .iter()
            .position(|b| *b == policy.get().backoff)
            .unwrap_or(0)
    });
    let jitter = Signal::derive(move || {
        JITTERS
            .iter()
            .position(|j| *j == policy.get().jitter)
            .unwrap_or(0)
    });
    view! {
        <fieldset class="clients">
            <legend>"Clients"</legend>
            <p class="note">
                "How the clients retry a failed request, and whether a circuit breaker fails calls fast. "
                "Each change is an action now, in the timeline and the link."
            </p>
            <label class="field">
                <span>"Max attempts"</span>
                <input
                    aria-label="Max attempts"
                    type="number"
                    min=1
                    max=10
                    step=1
                    prop:value=move || policy.get().max_attempts.to_string()
                    on:change=move |ev| match attempts_typed(&event_target_value(&ev)) {
                        Ok(n) => send(ClientChange::MaxAttempts(n)),
                        Err(e) => {
                            refused.set(Some(e));
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            input.set_value(&policy.get_untracked().max_attempts.to_string());
                        }
                    }
                />
            </label>
            {choice(
                "Backoff",
                "How the sleep between attempts grows",
                &BACKOFF_WORDS,
                backoff,
                Signal::stored(false),
                move |i| send(ClientChange::Backoff(BACKOFFS[i])),
            )}
            {choice(
                "Jitter",
                "Jitter spreads the sleep between attempts; with no backoff there is none to spread",
                &JITTER_WORDS,
                jitter,
                Signal::derive(move || !policy.get().jitter_applies()),
                move |i| send(ClientChange::Jitter(JITTERS[i])),
            )}
            {toggle(
                "Retry budget (20 %)",
                "Finagle's retry budget: retries at most 20 % of the first tries, plus 10 a second",
                Signal::derive(move || policy.get().budget),
                move |on| send(ClientChange::Budget(on)),
            )}
            {toggle(
                "Circuit breaker",
                "The scenario's breaker, or resilience4j's defaults: opens at 50 % failures over 10 s, tries again after 60 s",
                Signal::derive(move || policy.get().breaker),
                move |on| send(ClientChange::Breaker(on)),
            )}
            {move || refused.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </fieldset>
    }
}
