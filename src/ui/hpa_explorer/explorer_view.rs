//! The explorer page.

use leptos::prelude::*;

use super::{explore, CurveDrawing, ExplorerInput};

const EXAMPLE_MANIFEST: &str = include_str!("../../../examples/hpa/seed001-hpa.yaml");
const EXAMPLE_LOAD: &str = include_str!("../../../examples/hpa/spike-10x.csv");

/// Paste a manifest and a load curve; see each sync's decision and its reason.
#[component]
pub fn HpaExplorer() -> impl IntoView {
    let manifest = RwSignal::new(EXAMPLE_MANIFEST.to_string());
    let csv = RwSignal::new(EXAMPLE_LOAD.to_string());
    let request = RwSignal::new(1000i64);
    let ready_delay = RwSignal::new(30.0);
    // Memo: re-running the HPA is the expensive part; it happens only when an input changes.
    let run = Memo::new(move |_| {
        explore(&ExplorerInput {
            manifest: manifest.get(),
            load_csv: csv.get(),
            cpu_request_m: request.get(),
            ready_delay_s: ready_delay.get(),
            tail_s: 1800.0,
        })
    });
    view! {
        <section class="region hpa-explorer" aria-labelledby="hpa-heading">
            <h2 id="hpa-heading">"HPA explorer"</h2>
            <p class="note">
                "The same controller as " <code>"scalesim hpa"</code>
                ": an autoscaling/v2 HorizontalPodAutoscaler against a CPU demand curve, synced every 15 s. "
                "Demand is split evenly over ready pods; new pods are ready after the ready delay."
            </p>
            <div class="explorer-inputs">
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
                    <label class="field">
                        <span>"CPU request per pod [millicores]"</span>
                        <input type="number" min="1" prop:value=move || request.get().to_string()
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<i64>() { request.set(v) } } />
                    </label>
                    <label class="field">
                        <span>"Ready delay [s]"</span>
                        <input type="number" min="0" max="3600" prop:value=move || ready_delay.get().to_string()
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { ready_delay.set(v) } } />
                    </label>
                </div>
            </div>
            {move || run.with(|r| r.as_ref().err().map(|e| view! { <p class="error" role="alert">{e.clone()}</p> }))}
            <CurveDrawing run=run csv=csv />
            {move || run.with(|r| match r {
                Err(_) => view! { <p class="note">"Fix the input above to see the decisions."</p> }.into_any(),
                Ok(r) => {
                    let changes = r.rows.iter().filter(|x| x.replicas_after != x.replicas_before).count();
                    view! {
                        <p class="explorer-summary" role="status">
                            {format!("{}: {} syncs, {} changes, peak {} pods.", r.summary, r.rows.len(), changes,
                                r.rows.iter().map(|x| x.replicas_after).max().unwrap_or(0))}
                        </p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Decisions per sync">
                            <table class="decisions">
                                <thead>
                                    <tr>
                                        <th scope="col">"t [s]"</th>
                                        <th scope="col">"before"</th>
                                        <th scope="col">"ready"</th>
                                        <th scope="col">"CPU %"</th>
                                        <th scope="col">"proposal"</th>
                                        <th scope="col">"after"</th>
                                        <th scope="col">"limited by"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {r.rows.iter().map(|x| view! {
                                        <tr class:changed=x.replicas_after != x.replicas_before>
                                            <td>{x.t_s}</td>
                                            <td>{x.replicas_before}</td>
                                            <td>{x.ready_pods}</td>
                                            <td>{x.utilization_pct.map_or_else(|| "\u{2013}".to_string(), |u| u.to_string())}</td>
                                            <td>{x.proposal}</td>
                                            <td>{x.replicas_after}</td>
                                            <td>{x.limited_by.describe()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
            })}
        </section>
    }
}
