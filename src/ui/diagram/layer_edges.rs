//! Layer: flow edges (CDN → LB → zones, pods → cache → database, pods →
//! topic → consumers), each labelled with its live rate, thicker when busier.

use leptos::prelude::*;

use super::{flow_edges, Layout};
use crate::ui::format::grouped;
use crate::ui::sim_loop::SimLoop;

/// Flow edges.
#[component]
pub fn LayerEdges(sim: SimLoop, layout: Memo<Layout>) -> impl IntoView {
    let edges = move || {
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            layout.with(|l| {
                flow_edges(&f.snap, l, f.targets.tick_s)
                    .into_iter()
                    .map(|e| {
                        let ((x0, y0), (x1, y1)) = (e.start, e.end);
                        let width = 1.0 + (e.rate + 1.0).log10();
                        let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0 + 3.0);
                        let vertical = (x1 - x0).abs() < 1.0;
                        view! {
                            <g class="edge" class:idle=e.rate < 0.5 data-from=e.from data-to=e.to.clone()>
                                <line x1=x0 y1=y0 x2=x1 y2=y1 stroke-width=width />
                                <text x=mx + if vertical { 5.0 } else { 4.0 } y=my>
                                    {format!("{} {}", grouped(e.rate), e.unit)}
                                </text>
                            </g>
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! { <g class="layer-edges" aria-hidden="true">{edges}</g> }
}
