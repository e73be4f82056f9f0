//! Layer: the parts inside the data services (database primaries and replicas,
//! topic partitions), see [`super::data_parts`]. Hover gives each part in words;
//! the inspector lists them as text.

use leptos::prelude::*;

use crate::model::diagram::{has_parts, part_cells, PartCell};
use crate::model::diagram::{Layout, ServiceKind, Shape};
use crate::sim_loop::use_frames;

/// The parts' cells of every data service the world holds.
#[component]
pub fn LayerDataParts(layout: Memo<Layout>, shape: Memo<Shape>) -> impl IntoView {
    let frames = use_frames();
    // Memo: which services have parts changes with the topology, not each frame.
    let keys = Memo::new(move |_| {
        shape.with(|s| {
            s.back
                .iter()
                .map(|x| x.kind)
                .filter(|k| has_parts(*k))
                .collect::<Vec<ServiceKind>>()
        })
    });
    // Memo: this frame's cells, compared, so a still world redraws nothing.
    let cells = Memo::new(move |_| {
        keys.with(|keys| {
            frames.with(|f| {
                let Some(f) = f else { return Vec::new() };
                layout.with(|l| {
                    keys.iter()
                        .filter_map(|k| l.service(*k).map(|r| part_cells(*k, &f.snap, r)))
                        .flatten()
                        .collect::<Vec<PartCell>>()
                })
            })
        })
    });
    // Memo: the cells (world, place) change with the topology, not each
    // frame; while they stay, only a cell's class, fill and words move.
    let slots = Memo::new(move |_| {
        let world = layout.with(|l| l.world);
        cells.with(|c| (0..c.len()).map(|i| (world, i)).collect::<Vec<_>>())
    });
    view! {
        <g class="layer-data-parts">
            {move || slots.get().into_iter().map(|slot| {
                {
                    let (_, i) = slot;
                    // Derived, not memoized: tachys writes an attribute only when its value changes.
                    let of = move |f: fn(&PartCell) -> f64| move || cells.with(|c| c.get(i).map_or(0.0, f));
                    let (side, x, y) = (of(|c| c.side), of(|c| c.x), of(|c| c.y));
                    let filled = of(|c| c.side * c.fill.clamp(0.0, 1.0));
                    view! {
                        <g class=move || cells.with(|c| format!("part {}", c.get(i).map_or("", |c| c.class)))>
                            <title>{move || cells.with(|c| c.get(i).map(|c| c.title.clone()).unwrap_or_default())}</title>
                            <rect x=x y=y width=side height=side />
                            <rect class="part-fill" x=x y=move || y() + side() - filled() width=side height=filled />
                        </g>
                    }
                }
            }).collect_view()}
        </g>
    }
}
