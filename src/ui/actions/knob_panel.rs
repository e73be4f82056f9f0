//! The scenario's knobs. Turning one re-simulates the run from t = 0 with the
//! new value up to the current time (same seed, same actions), so the charts
//! show the run as if the knob had always been set. A value the scenario
//! refuses is named with what is accepted (the CLI's words), the input goes back
//! to the run's value and the run stays.

use leptos::prelude::*;

use crate::model::run::{scenario_of, Knob};
use crate::sim_loop::{use_commands, use_run};
use scalesim::link::finite_number;

/// A knob's value in the current run, and whether it applies.
#[derive(Clone, Debug, PartialEq)]
struct KnobValue {
    knob: Knob,
    value: f64,
}

/// The knob inputs.
#[component]
pub fn KnobPanel() -> impl IntoView {
    let run = use_run();
    let commands = use_commands();
    // Memo: the scenario is re-read only when the run spec (knobs, actions) changes.
    let values = Memo::new(move |_| {
        run.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let Ok(scenario) = scenario_of(s) else {
                return Vec::new();
            };
            Knob::ALL
                .into_iter()
                .filter_map(|knob| {
                    (knob.def().read)(&scenario).map(|value| KnobValue { knob, value })
                })
                .collect::<Vec<_>>()
        })
    });
    // The last refused value, with what is accepted.
    let refused = RwSignal::new(None::<String>);
    let set = move |key: &'static str, field: &str, text: &str| -> bool {
        let result = finite_number(text)
            .map_err(|e| format!("{field}: {e}"))
            .and_then(|v| commands.set_knob(key, Some(v)));
        let ok = result.is_ok();
        refused.set(result.err());
        ok
    };
    view! {
        <details class="knobs">
            <summary>"Scenario knobs"</summary>
            <p class="note">"Changing a knob replays the run from the start with the new value, up to now."</p>
            <div class="knob-grid">
                {move || {
                    values
                        .get()
                        .into_iter()
                        .map(|kv| {
                            let k = kv.knob.def();
                            let key = k.key;
                            let input = if k.choices.is_empty() {
                                view! {
                                    <input
                                        type="number"
                                        min=k.min
                                        max=k.max
                                        step=k.step
                                        prop:value=kv.value.to_string()
                                        on:change=move |ev| {
                                            if !set(key, k.field, &event_target_value(&ev)) {
                                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                                input.set_value(&kv.value.to_string());
                                            }
                                        }
                                    />
                                }
                                .into_any()
                            } else {
                                let current = kv.value as usize;
                                view! {
                                    <select on:change=move |ev| {
                                        set(key, k.field, &event_target_value(&ev));
                                    }>
                                        {k.choices
                                            .iter()
                                            .enumerate()
                                            .map(|(i, c)| view! { <option value=i.to_string() selected=i == current>{*c}</option> })
                                            .collect_view()}
                                    </select>
                                }
                                .into_any()
                            };
                            view! {
                                <label class="field">
                                    <span>{k.label}</span>
                                    {input}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
            {move || refused.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </details>
    }
}
