//! Layer: flow edges (CDN → LB → zones, pods → cache → database, pods →
//! topic → consumers → database, pods → external dependency), each labelled with
//! its live rate (and retries' amplification, a breaker not closed), thicker when
//! busier; dashed red while its breaker is open.
//!
//! Built once per world and set of edges; a publication changes only each
//! edge's width and label (two attributes and a text), never its line.

use leptos::prelude::*;

use crate::model::diagram::{flow_edges, FlowEdge, Layout};
use crate::sim_loop::use_frames;
use scalesim::sim::resilience::circuit_breaker::CbState;

/// Where an edge's line and label go [SVG units].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Placement {
    line: ((f64, f64), (f64, f64)),
    label: (f64, f64),
    anchor: &'static str,
}

/// The line of `e` and its label: beside a vertical edge, above a level one,
/// above and away from a slanted one, so the label never sits on its own line.
fn placement(e: &FlowEdge) -> Placement {
    let ((x0, y0), (x1, y1)) = (e.start, e.end);
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
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
    Placement {
        line: (e.start, e.end),
        label: (lx, ly),
        anchor,
    }
}

/// Flow edges.
#[component]
pub fn LayerEdges(layout: Memo<Layout>) -> impl IntoView {
    let frames = use_frames();
    // Memo: this frame's edges, compared, so a still world redraws nothing.
    let edges = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .map(|f| layout.with(|l| flow_edges(&f.snap, &f.edges, l, f.targets.tick_s)))
                .unwrap_or_default()
        })
    });
    // Memo: the edges (world, ends) change with the topology, not each frame;
    // while they stay, only an edge's width and label move.
    let keys = Memo::new(move |_| {
        let world = layout.with(|l| l.world);
        edges.with(|es| {
            es.iter()
                .map(|e| (world, e.from, e.to, e.unit))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="layer-edges" aria-hidden="true">
            {move || keys.get().into_iter().map(|key| {
                {
                    let (_, from, to, unit) = key;
                    // Derived, not memoized: tachys writes an attribute only when its value changes.
                    let edge = move || {
                        edges.with(|es| es.iter().find(|e| e.from == from && e.to == to).map(|e| (placement(e), e.rate, e.label(), e.breaker)))
                    };
                    let at = move || edge().map(|e| e.0).unwrap_or_default();
                    let rate = move || edge().map_or(0.0, |e| e.1);
                    let label = move || edge().map(|e| e.2).unwrap_or_default();
                    let width = move || ((1.0 + (rate() + 1.0).log10()) * 4.0).round() / 4.0;
                    let idle = move || rate() < 0.5;
                    let breaker = move || edge().and_then(|e| e.3);
                    view! {
                        <g
                            class="edge"
                            class:idle=idle
                            class:breaker-open=move || breaker() == Some(CbState::Open)
                            class:breaker-half-open=move || breaker() == Some(CbState::HalfOpen)
                            data-from=from.dom_key()
                            data-to=to.dom_key()
                            data-unit=unit
                        >
                            <line
                                x1=move || at().line.0 .0
                                y1=move || at().line.0 .1
                                x2=move || at().line.1 .0
                                y2=move || at().line.1 .1
                                stroke-width=width
                            />
                            <text x=move || at().label.0 y=move || at().label.1 text-anchor=move || at().anchor>
                                {label}
                            </text>
                        </g>
                    }
                }
            }).collect_view()}
        </g>
    }
}
