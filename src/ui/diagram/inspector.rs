//! The inspector: live numbers of the selected component and the actions that
//! apply to it.

use leptos::prelude::*;

use crate::diagram::use_selected;

use super::data_service_card::DataServiceCard;
use crate::model::diagram::{
    node_state_name, pod_state_name, reason_words, Selection, ServiceKind,
};
use crate::model::format::grouped;
use crate::model::sim_loop::Frame;
use crate::sim_loop::{use_commands, use_frames, SnapshotReader};
use scalesim::sim::inputs::{Action, FaultKind, LatencyTarget};
use scalesim::sim::topology::{NodeState, PodState};

/// One labelled live number.
pub(super) fn row(
    label: &'static str,
    value: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="kv">
            <dt>{label}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// What the inspector shows, without its live numbers: it changes rarely, so
/// the buttons are not rebuilt (and do not lose focus or clicks) every frame.
#[derive(Clone, Debug, PartialEq)]
enum Card {
    Zone {
        index: u16,
        name: String,
        region: String,
        alive: bool,
    },
    Node {
        id: u64,
        zone: String,
        /// Its app pods that are not dead yet (their kill buttons), by id.
        pods: Vec<u64>,
    },
    Region {
        name: String,
        zones: String,
        alive: bool,
    },
    Service {
        kind: ServiceKind,
        /// Database shards (the "Fail primary" buttons).
        shards: usize,
    },
}

fn card_of(sel: &Selection, f: &Frame) -> Option<Card> {
    Some(match sel {
        Selection::Zone(z) => {
            let zone = f.snap.zones.get(*z as usize)?;
            Card::Zone {
                index: *z,
                name: zone.name.clone(),
                region: zone.region.clone(),
                alive: zone.alive,
            }
        }
        Selection::Node(id) => {
            let node = f.snap.nodes.iter().find(|n| n.id == *id)?;
            let zone = f
                .snap
                .zones
                .get(node.zone as usize)
                .map(|z| z.name.clone())
                .unwrap_or_default();
            let pods = f
                .snap
                .pods
                .iter()
                .filter(|p| !p.pause && p.node == Some(*id) && p.state != PodState::Dead)
                .map(|p| p.id)
                .collect();
            Card::Node {
                id: *id,
                zone,
                pods,
            }
        }
        Selection::Region(name) => {
            let zones: Vec<_> = f.snap.zones.iter().filter(|z| &z.region == name).collect();
            Card::Region {
                name: name.clone(),
                alive: zones.iter().any(|z| z.alive),
                zones: zones
                    .iter()
                    .map(|z| z.name.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        }
        Selection::Service(kind) => Card::Service {
            kind: *kind,
            shards: f.snap.tiers.database.as_ref().map_or(0, |d| d.shards.len()),
        },
    })
}

fn pod_counts(f: &Frame, zone: Option<u16>, node: Option<u64>) -> String {
    let pods: Vec<_> = f
        .snap
        .pods
        .iter()
        .filter(|p| !p.pause)
        .filter(|p| zone.is_none_or(|z| p.zone == z))
        .filter(|p| node.is_none_or(|n| p.node == Some(n)))
        .collect();
    let mut parts = Vec::new();
    for s in [
        PodState::Pending,
        PodState::Starting,
        PodState::Warming,
        PodState::Ready,
        PodState::Draining,
        PodState::Dead,
    ] {
        let n = pods.iter().filter(|p| p.state == s).count();
        if n > 0 {
            parts.push(format!("{n} {}", pod_state_name(s)));
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn routed_rps(f: &Frame, zone: Option<u16>, node: Option<u64>) -> f64 {
    f.snap
        .pods
        .iter()
        .filter(|p| zone.is_none_or(|z| p.zone == z))
        .filter(|p| node.is_none_or(|n| p.node == Some(n)))
        .map(|p| p.routed)
        .sum::<f64>()
        / f.targets.tick_s.max(1e-9)
}

/// Zone `z`'s failures over the last tick, one labelled line per reason that
/// is failing requests ("dead pod not yet detected: 412 req/s").
fn zone_failure_lines(f: &Frame, z: u16) -> Vec<String> {
    let Some(zone) = f.snap.zones.get(z as usize) else {
        return Vec::new();
    };
    zone.failures_rps
        .labelled()
        .iter()
        .filter(|(_, rps)| *rps >= 0.05)
        .map(|(why, rps)| {
            let rate = if *rps >= 10.0 {
                grouped(*rps)
            } else {
                format!("{rps:.1}")
            };
            format!("{}: {rate} req/s", reason_words(*why, &f.refusals))
        })
        .collect()
}

/// A live figure of the current frame, or an empty string before the first one.
pub(super) fn live(
    frames: SnapshotReader,
    f: impl Fn(&Frame) -> String + Send + Sync + 'static,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || frames.with(|fr| fr.as_ref().map(|fr| f(fr)).unwrap_or_default())
}

/// The inspector panel.
#[component]
pub fn Inspector() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let selected = use_selected();
    // Memo: recomputed every frame but compared, so the card below is rebuilt
    // only when the selection or a zone's status changes.
    let card = Memo::new(move |_| {
        let sel = selected.get()?;
        frames.with(|f| card_of(&sel, f.as_ref()?))
    });
    let body = move || {
        card.get().map(|c| match c {
            Card::Zone { index: z, name, region, alive } => {
                let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
                let failing = move || {
                    frames.with(|f| f.as_ref().map(|f| zone_failure_lines(f, z)).unwrap_or_default())
                };
                view! {
                    <h3>{format!("Zone {name} (region {region})")}</h3>
                    <dl>
                        {row("Status", move || if alive { "up".into() } else { "down".into() })}
                        {row("Pods", live(frames, move |f| pod_counts(f, Some(z), None)))}
                        {row("Nodes ready", live(frames, move |f| f.snap.nodes.iter().filter(|n| n.zone == z && n.state == NodeState::Ready).count().to_string()))}
                        {row("Traffic", live(frames, move |f| format!("{} req/s", grouped(routed_rps(f, Some(z), None)))))}
                    </dl>
                    <h4 id=format!("zone-failures-{z}")>"Failing requests, by reason"</h4>
                    <ul class="failure-reasons" aria-labelledby=format!("zone-failures-{z}")>
                        {move || {
                            let lines = failing();
                            if lines.is_empty() {
                                view! { <li class="none">"nothing is failing"</li> }.into_any()
                            } else {
                                lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view().into_any()
                            }
                        }}
                    </ul>
                    <div class="inspector-actions">
                        {if alive {
                            let name = name.clone();
                            view! {
                                <button on:click=move |_| commands.act(Action::KillZone { zone: n1.clone() })>{format!("Kill zone {name}")}</button>
                                <button on:click=move |_| commands.act(Action::KillNode { zone: Some(n2.clone()) })>{format!("Kill a node in zone {name}")}</button>
                                <button on:click=move |_| commands.act(Action::KillPods { count: 1, zone: Some(n3.clone()) })>{format!("Kill a pod in zone {name}")}</button>
                            }.into_any()
                        } else {
                            view! { <button on:click=move |_| commands.act(Action::RestoreZone { zone: n1.clone() })>{format!("Restore zone {name}")}</button> }.into_any()
                        }}
                    </div>
                    {alive.then(|| view! {
                        <p class="note">"The engine picks which node or pod dies (seeded). To kill a particular one, open its node."</p>
                    })}
                }
                .into_any()
            }
            Card::Node { id, zone, pods } => {
                let node = move |f: &Frame| f.snap.nodes.iter().find(|n| n.id == id).cloned();
                view! {
                    <h3>{format!("Node {id} in zone {zone}")}</h3>
                    <dl>
                        {row("State", live(frames, move |f| node(f).map(|n| node_state_name(n.state).to_string()).unwrap_or_default()))}
                        {row("CPU requested", live(frames, move |f| node(f).map(|n| format!("{:.0} % of allocatable", n.cpu_requested_pct)).unwrap_or_default()))}
                        {row("Cluster autoscaler", live(frames, move |f| node(f).and_then(|n| n.kept_because).map(|why| format!("keeps it: {why}")).unwrap_or_else(|| "\u{2014}".into())))}
                        {row("Pods", live(frames, move |f| pod_counts(f, None, Some(id))))}
                        {row("Traffic", live(frames, move |f| format!("{} req/s", grouped(routed_rps(f, None, Some(id))))))}
                    </dl>
                    <div class="inspector-actions">
                        <button on:click=move |_| commands.act(Action::KillNodeId { node: id })>{format!("Kill node {id}")}</button>
                        {pods
                            .into_iter()
                            .map(|pod| view! {
                                <button on:click=move |_| commands.act(Action::KillPodId { pod })>{format!("Kill pod {pod}")}</button>
                            })
                            .collect_view()}
                    </div>
                    <p class="note">"Killing the node kills its pods too. Pod numbers match the event log."</p>
                }
                .into_any()
            }
            Card::Region { name, zones, alive } => {
                let n1 = name.clone();
                view! {
                    <h3>{format!("Region {name}")}</h3>
                    <dl>
                        {row("Status", move || if alive { "up".into() } else { "down".into() })}
                        {row("Zones", move || zones.clone())}
                    </dl>
                    <div class="inspector-actions">
                        {if alive {
                            view! { <button on:click=move |_| commands.act(Action::KillRegion { region: n1.clone() })>{format!("Kill region {name}")}</button> }.into_any()
                        } else {
                            view! { <button on:click=move |_| commands.act(Action::RestoreRegion { region: n1.clone() })>{format!("Restore region {name}")}</button> }.into_any()
                        }}
                    </div>
                }
                .into_any()
            }
            Card::Service { kind, shards } => match kind {
                ServiceKind::LoadBalancer => {
                    view! {
                        <h3>{ServiceKind::LoadBalancer.title()}</h3>
                        <dl>
                            {row("Arriving", live(frames, |f| format!("{} req/s", grouped(f.snap.last.arrivals_rps))))}
                            {row("Served", live(frames, |f| format!("{} req/s", grouped(f.snap.last.served_rps))))}
                            {row("Failing", live(frames, |f| format!("{} req/s", grouped(f.snap.last.errors_rps))))}
                            {row("Pods in rotation", live(frames, |f| f.snap.pods.iter().filter(|p| p.in_rotation).count().to_string()))}
                        </dl>
                        <div class="inspector-actions">
                            <button on:click=move |_| commands.act(Action::InjectLatency { target: LatencyTarget::Service, ms: 200.0, duration_s: Some(300.0) })>"Inject latency"</button>
                            <button on:click=move |_| commands.act(Action::Restore { fault: FaultKind::Latency })>"Restore"</button>
                        </div>
                    }
                    .into_any()
                }
                ServiceKind::Cdn
                | ServiceKind::Cache
                | ServiceKind::Database
                | ServiceKind::Kafka
                | ServiceKind::Consumers
                | ServiceKind::External => {
                    view! { <DataServiceCard kind=kind shards=shards /> }.into_any()
                }
            },
        })
    };
    view! {
        <aside class="inspector" aria-label="Inspector">
            {move || match body() {
                Some(v) => v,
                None => view! {
                    <p class="empty-state">
                        "Click a region, zone, node or the load balancer (or Tab to it and press Enter) to see its live numbers and actions."
                    </p>
                }
                .into_any(),
            }}
        </aside>
    }
}
