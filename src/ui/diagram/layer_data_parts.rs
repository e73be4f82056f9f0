//! Layer: the parts inside the data services (database primaries and replicas,
//! topic partitions), see [`super::data_parts`]. Hover gives each part in words;
//! the inspector lists them as text.

use leptos::prelude::*;

use super::data_parts::{has_parts, part_cells, PartCell};
use super::{Layout, Shape};
use crate::ui::sim_loop::SimLoop;

/// The parts' cells of every data service the world holds.
#[component]
pub fn LayerDataParts(sim: SimLoop, layout: Memo<Layout>, shape: Memo<Shape>) -> impl IntoView {
    // Memo: which services have parts changes with the topology, not each frame.
    let keys = Memo::new(move |_| {
        shape.with(|s| {
            s.back
                .iter()
                .map(|x| x.key.clone())
                .filter(|k| has_parts(k))
                .collect::<Vec<String>>()
        })
    });
    let cells = move || {
        let keys = keys.get();
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            layout.with(|l| {
                keys.iter()
                    .filter_map(|k| l.service(k).map(|r| part_cells(k, &f.snap, r)))
                    .flatten()
                    .collect::<Vec<PartCell>>()
            })
        })
    };
    view! {
        <g class="layer-data-parts">
            {move || {
                cells()
                    .into_iter()
                    .map(|c| {
                        let filled = c.side * c.fill.clamp(0.0, 1.0);
                        view! {
                            <g class=format!("part {}", c.class)>
                                <title>{c.title}</title>
                                <rect x=c.x y=c.y width=c.side height=c.side />
                                {(filled > 0.0).then(|| view! {
                                    <rect class="part-fill" x=c.x y=c.y + c.side - filled width=c.side height=filled />
                                })}
                            </g>
                        }
                    })
                    .collect::<Vec<_>>()
            }}
        </g>
    }
}
