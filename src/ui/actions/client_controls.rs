//! The retry controls of one call edge: how its client retries a failed call (max
//! attempts, backoff, jitter, a retry budget) and whether its circuit breaker is on. The
//! users' clients ("Clients") or the pods towards a dependency ("Pods → database"). Shown
//! for each edge the scenario gives retries or a breaker; each change sends one action
//! at the current time (`set_client_retries` or `set_client_breaker` with the edge), so
//! it lands in the timeline and in the share link like a button's.

use leptos::prelude::*;

use crate::model::actions::{
    attempts_typed, backoff_named, jitter_named, ClientChange, ClientPolicy, BACKOFFS, JITTERS,
};
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::protection::CallEdge;

/// The retry fieldset of call edge `edge`.
#[component]
pub fn ClientControls(edge: CallEdge) -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    // Memo: compared each frame, changes only when the edge's policy does.
    let policy = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref().map_or(ClientPolicy::of(edge, None, false), |f| {
                if edge.is_client() {
                    return ClientPolicy::of(
                        edge,
                        f.snap.client_retries.as_ref(),
                        f.snap.client_breaker.is_some(),
                    );
                }
                let e = f.edges.iter().find(|e| e.edge == edge);
                ClientPolicy::of(
                    edge,
                    e.and_then(|e| e.retry.as_ref()),
                    e.is_some_and(|e| e.breaker.is_some()),
                )
            })
        })
    });
    let at_rest = ClientPolicy::of(edge, None, false);
    let note = if edge.is_client() {
        "How the clients retry a failed request, and whether a circuit breaker fails calls fast. "
    } else {
        "How the calls to this dependency retry within their request (every layer behind, too), and whether the pods' breaker fails them fast. "
    };
    // The last refused attempts value, with what is accepted.
    let refused = RwSignal::new(None::<String>);
    let send = move |change: ClientChange| {
        refused.set(None);
        commands.act(policy.get_untracked().action(change));
    };
    view! {
        <fieldset class="clients" data-edge=edge.words()>
            <legend>{at_rest.legend()}</legend>
            <p class="note">
                {note}
                "Each change is an action now, in the timeline and the link."
            </p>
            <label class="field">
                <span>"Max attempts"</span>
                // The accessible names are exactly the labels (not the label plus the value).
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
            <label class="field">
                <span>"Backoff"</span>
                <select
                    aria-label="Backoff"
                    on:change=move |ev| {
                        if let Some(b) = backoff_named(&event_target_value(&ev)) {
                            send(ClientChange::Backoff(b));
                        }
                    }
                >
                    {BACKOFFS
                        .into_iter()
                        .map(|b| view! { <option value=b.words() prop:selected=move || policy.get().backoff == b>{b.words()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"Jitter"</span>
                <select
                    aria-label="Jitter"
                    title="Jitter spreads the sleep between attempts; with no backoff there is none to spread"
                    prop:disabled=move || !policy.get().jitter_applies()
                    on:change=move |ev| {
                        if let Some(j) = jitter_named(&event_target_value(&ev)) {
                            send(ClientChange::Jitter(j));
                        }
                    }
                >
                    {JITTERS
                        .into_iter()
                        .map(|j| view! { <option value=j.words() prop:selected=move || policy.get().jitter == j>{j.words()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="toggle-field" title="Finagle's retry budget: retries at most 20 % of the first tries, plus 10 a second">
                <input
                    type="checkbox"
                    prop:checked=move || policy.get().budget
                    on:change=move |ev| send(ClientChange::Budget(event_target_checked(&ev)))
                />
                "Retry budget (20 %)"
            </label>
            {at_rest.has_breaker().then(|| view! {
                <label class="toggle-field" title="The scenario's breaker, or resilience4j's defaults: opens at 50 % failures over 10 s, tries again after 60 s">
                    <input
                        type="checkbox"
                        prop:checked=move || policy.get().breaker
                        on:change=move |ev| send(ClientChange::Breaker(event_target_checked(&ev)))
                    />
                    "Circuit breaker"
                </label>
            })}
            {move || refused.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </fieldset>
    }
}
