//! The SLO panel.

use leptos::prelude::*;

use super::BurnTable;
use crate::model::slo::budget_forecast;
use crate::sim_loop::use_frames;

/// Budget remaining, burn rate per alert window, firing alerts, forecast and policy tier.
#[component]
pub fn SloPanel() -> impl IntoView {
    let frames = use_frames();
    let get = move |f: fn(&crate::model::sim_loop::Frame) -> String| {
        move || frames.with(|fr| fr.as_ref().map(|x| f(x)).unwrap_or_default())
    };
    let has_slo = move || {
        frames.with(|f| {
            f.as_ref()
                .is_some_and(|f| f.targets.availability_target.is_some())
        })
    };
    view! {
        <div class="slo-panel">
            {move || (!has_slo()).then(|| view! { <p class="empty-state">"This scenario tracks no SLO."</p> })}
            <dl class="readouts">
                <div class="kv"><dt>"Availability SLO"</dt><dd>{get(|f| f.targets.availability_target.map(|t| format!("{:.2} % over {:.0} days", t * 100.0, f.targets.slo_window_days)).unwrap_or_else(|| "none".into()))}</dd></div>
                <div class="kv"><dt>"Error budget remaining"</dt><dd>{get(|f| format!("{:.1} %", f.snap.budget_remaining_pct))}</dd></div>
                <div class="kv"><dt>"Alerts firing"</dt><dd>{get(|f| if f.snap.alerts_firing.is_empty() { "none".into() } else { f.snap.alerts_firing.join("; ") })}</dd></div>
                <div class="kv"><dt>"Policy tier"</dt><dd>{get(|f| f.snap.policy_tier.clone().unwrap_or_else(|| "\u{2013}".into()))}</dd></div>
            </dl>
            <BurnTable />
            <p class="forecast">
                {get(|f| budget_forecast(f.snap.budget_remaining_pct, f.snap.burn_rate_1h, f.targets.slo_window_days))}
            </p>
        </div>
    }
}
