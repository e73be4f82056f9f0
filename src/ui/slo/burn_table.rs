//! The multiwindow burn-rate alerts as a table: for each alert rule, the burn
//! rate over its long and short windows against the threshold both must exceed,
//! and whether it fires (SRE Workbook Table 5-8).

use leptos::prelude::*;

use crate::model::slo::burn_row;
use crate::sim_loop::use_frames;

/// The burn-rate table.
#[component]
pub fn BurnTable() -> impl IntoView {
    let frames = use_frames();
    // Memo: the rows are rebuilt only when the number of rules changes (a new
    // scenario); each cell is a live text.
    let rules =
        Memo::new(move |_| frames.with(|f| f.as_ref().map_or(0, |f| f.snap.burn_alerts.len())));
    let cell = move |i: usize, k: usize| {
        move || {
            frames.with(|f| {
                f.as_ref()
                    .and_then(|f| f.snap.burn_alerts.get(i))
                    .map(|a| burn_row(a)[k].clone())
                    .unwrap_or_default()
            })
        }
    };
    let firing = move |i: usize| {
        move || {
            frames.with(|f| {
                f.as_ref()
                    .and_then(|f| f.snap.burn_alerts.get(i))
                    .is_some_and(|a| a.firing)
            })
        }
    };
    view! {
        {move || (rules.get() > 0).then(|| view! {
            <table class="burn-table">
                <caption>
                    "Burn rate over each alert window (1\u{d7} spends exactly the budget in the SLO period). "
                    "An alert fires when both its windows burn faster than its threshold."
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Alert"</th>
                        <th scope="col">"Long window"</th>
                        <th scope="col">"Short window"</th>
                        <th scope="col">"Threshold"</th>
                        <th scope="col">"State"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..rules.get())
                        .map(|i| view! {
                            <tr class:firing=firing(i)>
                                <th scope="row">{cell(i, 0)}</th>
                                <td>{cell(i, 1)}</td>
                                <td>{cell(i, 2)}</td>
                                <td>{cell(i, 3)}</td>
                                <td class="state">{cell(i, 4)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        })}
    }
}
