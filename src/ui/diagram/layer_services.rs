//! Layer: service boxes outside the cluster (the load balancer; the CDN,
//! cache, database, topic and its consumers when the world holds them),
//! focusable, each with its key live figure under its name.

use leptos::prelude::*;

use crate::diagram::use_selected;

use super::layer_regions::on_activate_key;
use crate::model::diagram::{has_parts, Layout, Rect, Selection, Shape};
use crate::model::format::{compact, grouped};
use crate::sim_loop::use_frames;
use scalesim::sim::snapshot::Snapshot;

/// The key live figure of service `key`, in words with its unit.
fn service_figure(key: &str, s: &Snapshot) -> String {
    match key {
        "lb" => {
            let origin = s.tiers.cdn.as_ref().map_or(s.last.arrivals_rps, |c| {
                s.last.arrivals_rps * (1.0 - c.offload_pct / 100.0)
            });
            format!("{} req/s in", grouped(origin))
        }
        "cdn" => s
            .tiers
            .cdn
            .as_ref()
            .map(|c| format!("{:.0} % offload", c.offload_pct))
            .unwrap_or_default(),
        "cache" => s
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
        "database" => s
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
        "kafka" => s
            .tiers
            .kafka
            .as_ref()
            .map(|k| format!("lag {} msgs", compact(k.lag_messages)))
            .unwrap_or_default(),
        "consumers" => s
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
        _ => String::new(),
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
                .map(|x| (s.world, x.key.clone(), x.label.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <g class="layer-services">
            <For each=services key=|s| (s.0, s.1.clone()) let:service>
                {
                    let (_, key, label) = service;
                    // Boxes with parts keep their bottom row for them; the others centre their text.
                    let dy = if has_parts(&key) { 0.0 } else { 5.0 };
                    let k1 = key.clone();
                    let r = Memo::new(move |_| layout.with(|l| l.service(&k1).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let k2 = key.clone();
                    let figure = move || frames.with(|f| f.as_ref().map(|f| service_figure(&k2, &f.snap)).unwrap_or_default());
                    // The accessible name is the visible label; the live rate is drawn
                    // outside the focusable group (the readouts give it as text).
                    let aria = label.clone();
                    let sel = Selection::Service(key.clone());
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
                            <text x=move || r.get().x + r.get().w / 2.0 y=move || r.get().y + 13.0 + dy text-anchor="middle">{label.clone()}</text>
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
