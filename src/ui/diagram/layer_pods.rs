//! Layer: pod squares, coloured by state and filled by CPU load. Not focusable
//! (there may be hundreds); their node or zone opens them in the inspector.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::Layout;
use crate::sim::snapshot::PodView;
use crate::ui::sim_loop::SimLoop;

/// CSS class of a pod's state ("pod-ready", "pod-pause").
pub fn pod_class(p: &PodView) -> String {
    if p.pause {
        "pod pod-pause".into()
    } else {
        format!("pod pod-{:?}", p.state).to_lowercase()
    }
}

/// Pod squares.
#[component]
pub fn LayerPods(sim: SimLoop, layout: Memo<Layout>) -> impl IntoView {
    // A derived closure rebuilds the squares each frame: they change with every
    // frame anyway (load), and none of them holds focus.
    let pods = move || {
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            let request = f.targets.cpu_request_m.max(1.0);
            let by_id: BTreeMap<u64, &PodView> = f.snap.pods.iter().map(|p| (p.id, p)).collect();
            layout.with(|l| {
                l.pods
                    .iter()
                    .filter_map(|(id, r)| {
                        let p = by_id.get(id)?;
                        let load = (p.cpu_usage_m / request).clamp(0.0, 1.0);
                        let fill_h = r.h * load;
                        Some(view! {
                            <g class=pod_class(p)>
                                <rect x=r.x y=r.y width=r.w height=r.h rx="2" />
                                <rect class="pod-load" x=r.x y=r.y + r.h - fill_h width=r.w height=fill_h />
                            </g>
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! { <g class="layer-pods" aria-hidden="true">{pods}</g> }
}
