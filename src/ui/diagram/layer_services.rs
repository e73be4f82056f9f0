//! Layer: service boxes outside the cluster (the load balancer; the CDN,
//! cache, database, topic and its consumers when the world holds them),
//! focusable, each with its key live figure under its name.

use leptos::prelude::*;

use crate::diagram::use_selected;

use super::layer_regions::on_activate_key;
use crate::model::diagram::{has_parts, Layout, Rect, Selection, ServiceKind, Shape};
use crate::model::format::{compact, grouped};
use crate::sim_loop::use_frames;
use scalesim::sim::snapshot::Snapshot;

/// The key live figure of service `kind`, in words with its unit.
fn service_figure(kind: ServiceKind, s: &Snapshot) -> String {
    match kind {
        ServiceKind::LoadBalancer => {
            let origin = s.tiers.cdn.as_ref().map_or(s.last.arrivals_rps, |c| {
                s.last.arrivals_rps * (1.0 - c.offload_pct / 100.0)
            });
            format!("{} req/s in", grouped(origin))
        }
        ServiceKind::Cdn => s
            .tiers
            .cdn
            .as_ref()
            .map(|c| format!("{:.0} % offload", c.offload_pct))
            .unwrap_or_default(),
        ServiceKind::Cache => s
            .tiers
            .cache
            .as_ref()
            .map(|c| {
                if c.down {
                    "down".to_string()
                } else {
                    format!("{:.0} % hits", c.hit_ratio * 100.0)
                }
            })
            .unwrap_or_default(),
        ServiceKind::Database => s
            .tiers
            .database
            .as_ref()
            .map(|d| {
                let down = d.shards.iter().filter(|x| !x.primary_up).count();
                if down > 0 {
                    format!("{down} primary down")
                } else {
                    format!(
                        "{:.0}/{} conns",
                        d.connections_in_use,
                        d.max_connections as usize * d.shards.len()
                    )
                }
            })
            .unwrap_or_default(),
        ServiceKind::Kafka => s
            .tiers
            .kafka
            .as_ref()
            .map(|k| format!("lag {} msgs", compact(k.lag_messages)))
            .unwrap_or_default(),
        ServiceKind::External => s
            .tiers
            .external
            .as_ref()
            .map(|e| {
                if e.down {
                    "down".to_string()
                } else {
                    format!("{:.0} ms", e.latency_ms)
                }
            })
            .unwrap_or_default(),
        ServiceKind::Consumers => s
            .tiers
            .kafka
            .as_ref()
            .map(|k| {
                if k.consumers_stopped {
                    "stopped".to_string()
                } else {
                    format!("{} active", k.consumers_active)
                }
            })
            .unwrap_or_default(),
    }
}

/// Service boxes.
#[component]
pub fn LayerServices(layout: Memo<Layout>, shape: Memo<Shape>) -> impl IntoView {
    let frames = use_frames();
    let selected = use_selected();
    let services = move || {
        shape.with(|s| {
            s.front
                .iter()
                .chain(s.back.iter())
                .map(|x| (s.world, x.kind))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <g class="layer-services">
            <For each=services key=|s| *s let:service>
                {
                    let (_, kind) = service;
                    let label = kind.title();
                    // Boxes with parts keep their bottom row for them; the others centre their text.
                    let dy = if has_parts(kind) { 0.0 } else { 5.0 };
                    let r = Memo::new(move |_| layout.with(|l| l.service(kind).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let figure = move || frames.with(|f| f.as_ref().map(|f| service_figure(kind, &f.snap)).unwrap_or_default());
                    // The accessible name is the visible label; the live rate is drawn
                    // outside the focusable group (the readouts give it as text).
                    let aria = label;
                    let sel = Selection::Service(kind);
                    let sel2 = sel.clone();
                    let sel3 = sel.clone();
                    view! {
                        <g
                            class="service-box focusable"
                            class:selected=move || selected.get().as_ref() == Some(&sel3)
                            tabindex="0"
                            role="button"
                            aria-label=aria
                            on:click=move |_| selected.set(Some(sel.clone()))
                            on:keydown=move |ev| if on_activate_key(&ev) { selected.set(Some(sel2.clone())) }
                        >
                            <rect x=move || r.get().x y=move || r.get().y width=move || r.get().w height=move || r.get().h rx="6" />
                            <text x=move || r.get().x + r.get().w / 2.0 y=move || r.get().y + 13.0 + dy text-anchor="middle">{label}</text>
                        </g>
                        <text class="service-sub" aria-hidden="true" x=move || r.get().x + r.get().w / 2.0 y=move || r.get().y + 25.0 + dy text-anchor="middle">
                            {figure}
                        </text>
                    }
                }
            </For>
        </g>
    }
}
