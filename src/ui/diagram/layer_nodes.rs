//! Layer: node boxes, focusable, with their state and requested CPU, and the
//! "pending" box of pods that no node has room for.

use leptos::prelude::*;

use crate::diagram::use_selected;

use super::layer_regions::on_activate_key;
use crate::model::diagram::{node_state_name, Layout, Rect, Selection};
use crate::sim_loop::use_frames;
use scalesim::sim::topology::NodeState;

/// Node boxes and pending boxes.
#[component]
pub fn LayerNodes(layout: Memo<Layout>) -> impl IntoView {
    let frames = use_frames();
    let selected = use_selected();
    let node_ids = move || {
        layout.with(|l| {
            l.nodes
                .iter()
                .map(|(id, _)| (l.world, *id))
                .collect::<Vec<_>>()
        })
    };
    let pending = move || layout.with(|l| l.pending.clone());
    view! {
        <g class="layer-nodes">
            <For each=node_ids key=|n| *n let:node_key>
                {
                    let (_, id) = node_key;
                    let r = Memo::new(move |_| layout.with(|l| l.node(id).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let node = move || {
                        frames.with(|f| {
                            f.as_ref().and_then(|f| f.snap.nodes.iter().find(|n| n.id == id).cloned())
                        })
                    };
                    let state = move || node().map_or(NodeState::Dead, |n| n.state);
                    let caption = move || {
                        node().map_or_else(String::new, |n| match n.state {
                            NodeState::Ready => format!("node {id} \u{b7} {:.0} % requested", n.cpu_requested_pct),
                            NodeState::Provisioning => format!("node {id} \u{b7} provisioning"),
                            NodeState::Dead => format!("node {id} \u{b7} dead"),
                        })
                    };
                    let label = move || format!("Node {}", caption().trim_start_matches("node "));
                    let sel = Selection::Node(id);
                    let sel3 = sel.clone();
                    view! {
                        <g
                            class=move || format!("node-box focusable node-{}", node_state_name(state()))
                            class:selected=move || selected.get().as_ref() == Some(&sel3)
                            tabindex="0"
                            role="button"
                            aria-label=label
                            on:click=move |_| selected.set(Some(Selection::Node(id)))
                            on:keydown=move |ev| if on_activate_key(&ev) { selected.set(Some(sel.clone())) }
                        >
                            <rect x=move || r.get().x y=move || r.get().y width=move || r.get().w height=move || r.get().h rx="4" />
                            <text x=move || r.get().x + 5.0 y=move || r.get().y + 11.0>{caption}</text>
                        </g>
                    }
                }
            </For>
            {move || {
                pending()
                    .into_iter()
                    .map(|(_, r)| {
                        view! {
                            <g class="pending-box">
                                <rect x=r.x y=r.y width=r.w height=r.h rx="4" />
                                <text x=r.x + 5.0 y=r.y + 11.0>"pending: no room"</text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </g>
    }
}
