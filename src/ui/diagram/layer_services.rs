//! Layer: service boxes outside the cluster (the load balancer today; the CDN,
//! cache, database and topic when the world holds them), focusable.

use leptos::prelude::*;

use super::layer_regions::on_activate_key;
use super::{Layout, Rect, Selection, Shape};
use crate::ui::format::grouped;
use crate::ui::sim_loop::SimLoop;

/// Service boxes.
#[component]
pub fn LayerServices(
    sim: SimLoop,
    layout: Memo<Layout>,
    shape: Memo<Shape>,
    selected: RwSignal<Option<Selection>>,
) -> impl IntoView {
    let services = move || {
        shape.with(|s| {
            s.front
                .iter()
                .chain(s.back.iter())
                .map(|x| (x.key.clone(), x.label.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <g class="layer-services">
            <For each=services key=|s| s.0.clone() let:service>
                {
                    let (key, label) = service;
                    let k1 = key.clone();
                    let r = Memo::new(move |_| layout.with(|l| l.service(&k1).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let arrivals = move || sim.frame.with(|f| f.as_ref().map_or(0.0, |f| f.snap.arrivals_rps));
                    let is_lb = key == "lb";
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
                            <text x=move || r.get().x + r.get().w / 2.0 y=move || r.get().y + 13.0 text-anchor="middle">{label.clone()}</text>
                        </g>
                        <text class="service-sub" aria-hidden="true" x=move || r.get().x + r.get().w / 2.0 y=move || r.get().y + 25.0 text-anchor="middle">
                            {move || if is_lb { format!("{} req/s in", grouped(arrivals())) } else { String::new() }}
                        </text>
                    }
                }
            </For>
        </g>
    }
}
