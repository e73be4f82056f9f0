//! The explorer page.

use leptos::prelude::*;

use super::{CurveDrawing, DecisionTable, OptionFields};
use crate::model::hpa_explorer::{explore, options_from_fields, ExplorerInput};
use scalesim::sim::hpa::OptionKey;

const EXAMPLE_MANIFEST: &str = include_str!("../../../examples/hpa/seed001-hpa.yaml");
const EXAMPLE_LOAD: &str = include_str!("../../../examples/hpa/spike-10x.csv");

/// Paste a manifest and a load curve; see each sync's decision and its reason.
#[component]
pub fn HpaExplorer() -> impl IntoView {
    let manifest = RwSignal::new(EXAMPLE_MANIFEST.to_string());
    let csv = RwSignal::new(EXAMPLE_LOAD.to_string());
    let name = RwSignal::new(String::new());
    // One text per CLI option, blank = the CLI's default.
    let texts: [RwSignal<String>; OptionKey::COUNT] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    // Memo: re-running the HPA is the expensive part; it happens only when an input changes.
    let run = Memo::new(move |_| {
        let fields: Vec<(OptionKey, String)> = OptionKey::ALL
            .into_iter()
            .zip(texts)
            .map(|(k, t)| (k, t.get()))
            .collect();
        explore(&ExplorerInput {
            manifest: manifest.get(),
            name: name.get(),
            load_csv: csv.get(),
            options: options_from_fields(&fields)?,
        })
    });
    view! {
        <section class="region hpa-explorer" aria-labelledby="hpa-heading">
            <h2 id="hpa-heading">"HPA explorer"</h2>
            <p class="note">
                "The same replay as " <code>"scalesim hpa"</code>
                ": a HorizontalPodAutoscaler (autoscaling/v2, v2beta2, v2beta1 or v1; Helm output or kubectl get -o yaml) against a load curve with one column per metric, with the same options and defaults. "
                "Totals are split evenly over ready pods; new pods are ready after the ready delay."
            </p>
            <div class="hpa-inputs">
                <label class="field wide">
                    <span>"HPA manifest (YAML or JSON)"</span>
                    <textarea
                        rows="16"
                        spellcheck="false"
                        prop:value=move || manifest.get()
                        on:input=move |ev| manifest.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <div>
                    <label class="field wide">
                        <span>"Load curve (t_s, then one column per metric: cpu_m [m], memory_mib [MiB], or the metric's name)"</span>
                        <textarea
                            rows="7"
                            spellcheck="false"
                            prop:value=move || csv.get()
                            on:input=move |ev| csv.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <label class="field hpa-option">
                        <span>"HPA name (when the manifest holds several)"</span>
                        <input
                            type="text"
                            spellcheck="false"
                            placeholder="metadata.name"
                            prop:value=move || name.get()
                            on:change=move |ev| name.set(event_target_value(&ev))
                        />
                        <code class="hpa-flag">"--name"</code>
                    </label>
                    <OptionFields texts=texts />
                </div>
            </div>
            {move || run.with(|r| r.as_ref().err().map(|e| view! { <p class="error" role="alert">{e.clone()}</p> }))}
            <CurveDrawing run=run csv=csv />
            {move || run.with(|r| match r {
                Err(_) => view! { <p class="note">"Fix the input above to see the decisions."</p> }.into_any(),
                Ok(r) => {
                    let changes = r.rows.iter().filter(|x| x.replicas_after != x.replicas_before).count();
                    let peak = r.rows.iter().map(|x| x.replicas_after).max().unwrap_or(0);
                    view! {
                        <p class="hpa-summary" role="status">
                            {format!("{}: {} syncs, {} changes, peak {} pods.", r.summary, r.rows.len(), changes, peak)}
                        </p>
                        <ul class="note hpa-notes">
                            {r.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                        </ul>
                        <DecisionTable rows=r.rows.clone() />
                    }
                    .into_any()
                }
            })}
        </section>
    }
}
