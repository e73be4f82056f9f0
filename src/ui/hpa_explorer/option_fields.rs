//! The `scalesim hpa` options as form fields: one per [`OptionKey`], labelled with its flag, the
//! CLI's default as the placeholder (a blank field means the default, as an absent flag does).

use leptos::prelude::*;

use scalesim::sim::hpa::OptionKey;

/// The option fields; `texts[i]` holds what was typed for `OptionKey::ALL[i]`.
#[component]
pub fn OptionFields(texts: [RwSignal<String>; OptionKey::COUNT]) -> impl IntoView {
    view! {
        <fieldset class="hpa-options">
            <legend>"Options of " <code>"scalesim hpa"</code> " (blank = the CLI's default)"</legend>
            {OptionKey::ALL
                .into_iter()
                .zip(texts)
                .map(|(k, text)| {
                    view! {
                        <label class="field hpa-option">
                            <span>{k.label()}</span>
                            <input
                                type="text"
                                inputmode="decimal"
                                spellcheck="false"
                                placeholder=format!("default: {}", k.default_words())
                                prop:value=move || text.get()
                                on:change=move |ev| text.set(event_target_value(&ev))
                            />
                            <code class="hpa-flag">{k.flag()}</code>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
