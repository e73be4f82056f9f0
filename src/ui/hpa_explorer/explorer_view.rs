//! The explorer page.

use leptos::prelude::*;

use super::{
    explore, options_from_fields, CurveDrawing, DecisionTable, ExplorerInput, OptionFields,
};
use scalesim::sim::hpa::OptionKey;

const EXAMPLE_MANIFEST: &str = include_str!("../../../examples/hpa/seed001-hpa.yaml");
const EXAMPLE_LOAD: &str = include_str!("../../../examples/hpa/spike-10x.csv");

/// Paste a manifest and a load curve; see each sync's decision and its reason.
#[component]
pub fn HpaExplorer() -> impl IntoView {
    let manifest = RwSignal::new(EXAMPLE_MANIFEST.to_string());
    let csv = RwSignal::new(EXAMPLE_LOAD.to_string());
    // One text per CLI option, blank = the CLI's default.
    let texts: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // Memo: re-running the HPA is the expensive part; it happens only when an input changes.
    let run = Memo::new(move |_| {
        let fields: Vec<(OptionKey, String)> = OptionKey::ALL
            .into_iter()
            .zip(texts)
            .map(|(k, t)| (k, t.get()))
            .collect();
        explore(&ExplorerInput {
            manifest: manifest.get(),
            load_csv: csv.get(),
            options: options_from_fields(&fields)?,
        })
    });
    view! {
        <section class="region hpa-explorer" aria-labelledby="hpa-heading">
            <h2 id="hpa-heading">"HPA explorer"</h2>
            <p class="note">
                "The same replay as " <code>"scalesim hpa"</code>
                ": an autoscaling/v2 HorizontalPodAutoscaler against a CPU demand curve, with the same options and defaults. "
                "Demand is split evenly over ready pods; new pods are ready after the ready delay."
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
                        <span>"Load curve (t_s,demand_m: CPU millicores from t_s on)"</span>
                        <textarea
                            rows="7"
                            spellcheck="false"
                            prop:value=move || csv.get()
                            on:input=move |ev| csv.set(event_target_value(&ev))
                        ></textarea>
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
                        <DecisionTable rows=r.rows.clone() />
                    }
                    .into_any()
                }
            })}
        </section>
    }
}
