//! The live numbers as labelled text, for screen readers and for anyone who
//! prefers figures to charts.

use leptos::prelude::*;

use crate::model::diagram::reason_words;
use crate::model::format::{grouped, money};
use crate::model::sim_loop::Frame;
use crate::sim_loop::{use_frames, SnapshotReader};
use scalesim::sim::events::clock;

fn failing_now(f: &Frame) -> String {
    let mut total = scalesim::sim::failure::FailureCounts::default();
    for z in &f.snap.zones {
        total.add(&z.failures_rps);
    }
    let parts: Vec<String> = total
        .labelled()
        .into_iter()
        .filter(|(_, r)| *r >= 0.5)
        .map(|(why, r)| format!("{} {} req/s", reason_words(why, &f.refusals), grouped(r)))
        .collect();
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join("; ")
    }
}

/// One labelled live figure: `f` of the latest frame, as text.
pub(super) fn live_item(
    frames: SnapshotReader,
    label: &'static str,
    f: fn(&Frame) -> String,
) -> impl IntoView {
    view! {
        <div class="kv">
            <dt>{label}</dt>
            <dd>{move || frames.with(|fr| fr.as_ref().map(|x| f(x)).unwrap_or_default())}</dd>
        </div>
    }
}

/// Labelled live figures.
#[component]
pub fn Readouts() -> impl IntoView {
    let frames = use_frames();
    let item = move |label: &'static str, f: fn(&Frame) -> String| live_item(frames, label, f);
    view! {
        <dl class="readouts live-numbers">
            {item("Time", |f| clock(f.snap.t_s))}
            {item("Demand", |f| format!("{} req/s", grouped(f.snap.last.demand_rps)))}
            {item("Served", |f| format!("{} req/s", grouped(f.snap.last.served_rps)))}
            {item("Errors", |f| format!("{} req/s", grouped(f.snap.last.errors_rps)))}
            {item("Latency p50 / p95 / p99", |f| if f.snap.last.p99_ms > 0.0 {
                format!("{:.0} / {:.0} / {:.0} ms", f.snap.last.p50_ms, f.snap.last.p95_ms, f.snap.last.p99_ms)
            } else {
                // A percentile of no request is not 0 ms.
                "not measured: no request served or timed out lately".to_string()
            })}
            {item("Desired replicas", |f| format!("{} (HPA {}\u{2013}{})", f.snap.replicas, f.snap.min_replicas, f.snap.max_replicas))}
            {item("Ready pods", |f| f.snap.pods.iter().filter(|p| !p.pause && p.state.is_ready()).count().to_string())}
            {item("Nodes ready", |f| f.snap.nodes.iter().filter(|n| n.state == scalesim::sim::topology::NodeState::Ready).count().to_string())}
            {item("CPU utilization", |f| format!("{:.0} %", f.snap.last.cpu_utilization_pct))}
            {item("Cost", |f| format!("{}/h, {} so far", money(f.snap.cost.per_hour_usd), money(f.snap.cost.total_usd)))}
            {item("Failing now", failing_now)}
            {item("HPA's last decision", |f| f.snap.hpa_last.clone().unwrap_or_else(|| "none yet".into()))}
            {item("Cluster autoscaler", |f| if f.snap.ca_last.is_empty() { "no decision yet".into() } else { f.snap.ca_last.clone() })}
        </dl>
    }
}
