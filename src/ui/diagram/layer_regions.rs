//! Layer: region and zone boxes, focusable, with their names.

use leptos::prelude::*;

use crate::diagram::use_selected;

use crate::model::diagram::{Layout, Rect, Selection, Shape};
use crate::sim_loop::use_frames;
use scalesim::sim::topology::PodState;

/// Estimated width of one character of a zone's name [SVG units] (10-unit, semi-bold).
const LABEL_CHAR_W: f64 = 6.3;

/// Opens `sel` in the inspector on Enter or Space.
pub(super) fn on_activate_key(ev: &leptos::ev::KeyboardEvent) -> bool {
    let k = ev.key();
    if k == "Enter" || k == " " {
        ev.prevent_default();
        true
    } else {
        false
    }
}

/// Region and zone boxes.
#[component]
pub fn LayerRegions(layout: Memo<Layout>, shape: Memo<Shape>) -> impl IntoView {
    let frames = use_frames();
    let selected = use_selected();
    // Keys carry the world: a zone or region of a new scenario is a new element.
    let region_names = move || {
        shape.with(|s| {
            s.regions
                .iter()
                .map(|r| (s.world, r.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let zone_ids = move || {
        shape.with(|s| {
            s.regions
                .iter()
                .flat_map(|r| r.zones.iter().map(|z| (s.world, z.index, z.name.clone())))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <g class="layer-regions">
            <For each=region_names key=|n| n.clone() let:region>
                {
                    let (_, name) = region;
                    let n1 = name.clone();
                    let r = Memo::new(move |_| layout.with(|l| l.region(&n1).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let sel = Selection::Region(name.clone());
                    let sel2 = sel.clone();
                    let sel3 = sel.clone();
                    let label = format!("Region {name}");
                    view! {
                        <g
                            class="region-box focusable"
                            class:selected=move || selected.get().as_ref() == Some(&sel3)
                            tabindex="0"
                            role="button"
                            aria-label=label
                            on:click=move |_| selected.set(Some(sel.clone()))
                            on:keydown=move |ev| if on_activate_key(&ev) { selected.set(Some(sel2.clone())) }
                        >
                            <rect x=move || r.get().x y=move || r.get().y width=move || r.get().w height=move || r.get().h rx="8" />
                            <text x=move || r.get().x + 8.0 y=move || r.get().y + 12.0>{format!("region {name}")}</text>
                        </g>
                    }
                }
            </For>
            <For each=zone_ids key=|z| (z.0, z.1) let:zone>
                {
                    let (_, index, name) = zone;
                    let r = Memo::new(move |_| layout.with(|l| l.zone(index).unwrap_or(Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 })));
                    let alive = move || {
                        frames.with(|f| {
                            f.as_ref()
                                .and_then(|f| f.snap.zones.get(index as usize))
                                .is_none_or(|z| z.alive)
                        })
                    };
                    let n2 = name.clone();
                    let label = move || {
                        frames.with(|f| {
                            let Some(f) = f else { return format!("Zone {n2}") };
                            let pods = f.snap.pods.iter().filter(|p| p.zone == index && !p.pause);
                            let ready = pods.clone().filter(|p| p.state.is_ready()).count();
                            let live = pods.filter(|p| p.state != PodState::Dead).count();
                            let status = if alive() { "up" } else { "down" };
                            format!("Zone {n2}: {status}, {ready} of {live} pods ready")
                        })
                    };
                    // Stored, so the closures below are Copy.
                    let n3 = StoredValue::new(name.clone());
                    let zone_text = move || {
                        let n = n3.get_value();
                        if alive() { format!("zone {n}") } else { format!("zone {n} \u{2014} DOWN") }
                    };
                    let sel = Selection::Zone(index);
                    let sel3 = sel.clone();
                    view! {
                        <g
                            class="zone-box focusable"
                            class:dead=move || !alive()
                            class:selected=move || selected.get().as_ref() == Some(&sel3)
                            tabindex="0"
                            role="button"
                            aria-label=label
                            on:click=move |_| selected.set(Some(Selection::Zone(index)))
                            on:keydown=move |ev| if on_activate_key(&ev) { selected.set(Some(sel.clone())) }
                        >
                            <rect x=move || r.get().x y=move || r.get().y width=move || r.get().w height=move || r.get().h rx="6" />
                            <text
                                x=move || r.get().x + 6.0
                                y=move || r.get().y + 12.0
                                // A name too long for its box is squeezed to fit, never cut or spilt.
                                textLength=move || {
                                    let room = r.get().w - 12.0;
                                    (zone_text().chars().count() as f64 * LABEL_CHAR_W > room).then(|| room.max(0.0))
                                }
                                lengthAdjust="spacingAndGlyphs"
                            >
                                {zone_text}
                            </text>
                        </g>
                    }
                }
            </For>
        </g>
    }
}
