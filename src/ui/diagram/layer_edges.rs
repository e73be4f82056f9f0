//! Layer: edges from the load balancer to each zone, labelled with the live
//! request rate, thicker when busier.

use leptos::prelude::*;

use super::Layout;
use crate::ui::format::grouped;
use crate::ui::sim_loop::SimLoop;

/// Flow edges.
#[component]
pub fn LayerEdges(sim: SimLoop, layout: Memo<Layout>) -> impl IntoView {
    let edges = move || {
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            let tick = f.targets.tick_s.max(1e-9);
            layout.with(|l| {
                let Some(lb) = l.service("lb") else {
                    return Vec::new();
                };
                let (x0, y0) = lb.bottom_centre();
                l.zones
                    .iter()
                    .map(|(zi, zr)| {
                        let rps: f64 = f
                            .snap
                            .pods
                            .iter()
                            .filter(|p| p.zone == *zi)
                            .map(|p| p.routed)
                            .sum::<f64>()
                            / tick;
                        let (x1, y1) = zr.top_centre();
                        let width = 1.0 + (rps.max(0.0) + 1.0).log10();
                        let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                        view! {
                            <g class="edge" class:idle=rps < 0.5>
                                <line x1=x0 y1=y0 x2=x1 y2=y1 stroke-width=width />
                                <text x=mx + 4.0 y=my>{format!("{} req/s", grouped(rps))}</text>
                            </g>
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! { <g class="layer-edges" aria-hidden="true">{edges}</g> }
}
