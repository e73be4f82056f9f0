//! The diagram: an SVG whose layers each draw one kind of thing.

use leptos::prelude::*;

use crate::diagram::use_selected;

use super::layer_badges::LayerBadges;
use super::layer_data_parts::LayerDataParts;
use super::layer_edges::LayerEdges;
use super::layer_nodes::LayerNodes;
use super::layer_pods::LayerPods;
use super::layer_regions::LayerRegions;
use super::layer_services::LayerServices;
use crate::model::diagram::{shape_of, Projection, Shape};
use crate::shell::SideScroller;
use crate::sim_loop::frame_stats;
use crate::sim_loop::{use_commands, use_frames};

/// The live architecture diagram. Tab reaches every region, zone, node and
/// service; Enter (or a click) opens it in the inspector.
#[component]
pub fn Diagram() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let selected = use_selected();
    let projection = Projection::default();
    // Memo: the shape is rebuilt from every frame but compared, so the layout
    // (and the keyed layers below) only recompute when the topology changes,
    // not each time a pod's load does.
    let shape = Memo::new(move |_| {
        frame_stats::count("diagram shape: recomputed");
        frames.with(|f| {
            f.as_ref()
                .map(|f| Shape {
                    world: f.world,
                    ..shape_of(&f.snap)
                })
                .unwrap_or_default()
        })
    });
    let layout = Memo::new(move |_| {
        frame_stats::count("diagram layout: recomputed (the shape changed)");
        shape.with(|s| projection.layout(s))
    });
    // The inspector closes when another scenario opens (its zones, nodes and
    // services are not this world's), and stays open for a knob or seed.
    commands.on_new_scenario(move || selected.set(None));
    let view_box = move || layout.with(|l| format!("0 0 {} {}", l.width, l.height.max(60.0)));
    // The version being released, when there is one: its pods are outlined.
    let releasing = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .and_then(|f| f.release.releasing.as_ref().map(|(_, name)| name.clone()))
        })
    });
    view! {
        // On a phone the diagram keeps a readable size and scrolls sideways in its box.
        <SideScroller class="diagram-scroll" hint="Scroll sideways for more zones">
        <svg class="diagram" viewBox=view_box role="group" aria-label="Live architecture diagram">
            <LayerRegions layout=layout shape=shape />
            <LayerEdges layout=layout />
            <LayerServices layout=layout shape=shape />
            <LayerDataParts layout=layout shape=shape />
            <LayerNodes layout=layout />
            <LayerPods layout=layout />
            <LayerBadges layout=layout />
        </svg>
        </SideScroller>
        <ul class="legend" aria-label="Pod states">
            {["pending", "starting", "warming", "ready", "draining", "dead", "pause"]
                .into_iter()
                .map(|s| {
                    view! {
                        <li>
                            <span class=format!("swatch pod-{s}") aria-hidden="true"></span>
                            {if s == "pause" { "pause pod".to_string() } else { s.to_string() }}
                        </li>
                    }
                })
                .collect_view()}
            <li>"fill height = CPU load"</li>
            {move || releasing.get().map(|name| view! {
                <li class="legend-release">
                    <span class="swatch pod-new" aria-hidden="true"></span>
                    {format!("outlined = {name}, being released")}
                </li>
            })}
        </ul>
    }
}
