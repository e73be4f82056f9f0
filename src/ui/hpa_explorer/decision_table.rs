//! The decisions, one row per sync: time, replicas before and after, ready pods, CPU, the
//! metrics' proposal and what limited the decision, in the controller's own words. On a
//! phone each row becomes a two-line card so that "after" and the reason stay on screen.

use leptos::prelude::*;

use scalesim::sim::events::clock;
use scalesim::sim::hpa::HpaDecision;

/// The table of `rows` (a plain render: the parent redraws it when the run changes).
#[component]
pub fn DecisionTable(rows: Vec<HpaDecision>) -> impl IntoView {
    view! {
        <div class="hpa-table-wrap" tabindex="0" role="region" aria-label="Decisions per sync">
            <table class="hpa-decisions decisions">
                <thead>
                    <tr>
                        <th scope="col">"time"</th>
                        <th scope="col">"before"</th>
                        <th scope="col">"after"</th>
                        <th scope="col">"ready"</th>
                        <th scope="col">"CPU %"</th>
                        <th scope="col">"proposal"</th>
                        <th scope="col">"limited by"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|x| {
                            let cpu = x
                                .utilization_pct
                                .map_or_else(|| "\u{2013}".to_string(), |u| u.to_string());
                            view! {
                                <tr
                                    class:hpa-changed=x.replicas_after != x.replicas_before
                                    data-t-s=x.t_s.to_string()
                                >
                                    <td class="hpa-time">{clock(x.t_s)}</td>
                                    <td class="hpa-before" data-label="before">{x.replicas_before}</td>
                                    <td class="hpa-after" data-label="after">{x.replicas_after}</td>
                                    <td class="hpa-ready" data-label="ready">{x.ready_pods}</td>
                                    <td class="hpa-cpu" data-label="CPU %">{cpu}</td>
                                    <td class="hpa-proposal" data-label="proposal">{x.proposal}</td>
                                    <td class="hpa-reason">{x.limited_by.describe()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
