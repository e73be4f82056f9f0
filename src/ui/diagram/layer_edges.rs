//! Layer: flow edges (CDN → LB → zones, pods → cache → database, pods →
//! topic → consumers → database), each labelled with its live rate, thicker
//! when busier.

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
                        let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                        // Beside a vertical edge; above and away from a slanted one,
                        // so the label never sits on its own line.
                        let (lx, ly, anchor) = if (x1 - x0).abs() < 1.0 {
                            (mx + 5.0, my + 3.0, "start")
                        } else if (y1 - y0).abs() < 1.0 {
                            (mx, my - 4.0, "middle")
                        } else if (x1 - x0) * (y1 - y0) < 0.0 {
                            // Above the midpoint the line lies to the right: write to the left.
                            (mx - 4.0, my - 4.0, "end")
                        } else {
                            // Above the midpoint the line lies to the left: write to the right.
                            (mx + 4.0, my - 4.0, "start")
                        };
                        view! {
                            <g class="edge" class:idle=e.rate < 0.5 data-from=e.from data-to=e.to.clone()>
                                <line x1=x0 y1=y0 x2=x1 y2=y1 stroke-width=width />
                                <text x=lx y=ly text-anchor=anchor>
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
