//! Layer: pod squares, coloured by state and filled by CPU load, outlined when they run
//! the version being released (a canary or a rolling update). Not focusable
//! (there may be hundreds); their node or zone opens them in the inspector.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::model::diagram::{pod_state_name, Layout, Rect};
use crate::sim_loop::use_frames;
use scalesim::sim::snapshot::PodView;

/// CSS class of a pod's state ("pod-ready", "pod-pause"), with "pod-new" when it runs
/// the version being released (`releasing`: a canary's or a rolling update's).
pub fn pod_class(p: &PodView, releasing: Option<u8>) -> String {
    if p.pause {
        "pod pod-pause".into()
    } else if releasing == Some(p.version) {
        format!("pod pod-{} pod-new", pod_state_name(p.state))
    } else {
        format!("pod pod-{}", pod_state_name(p.state))
    }
}

/// A pod as drawn: its class and its load [0..1].
#[derive(Clone, Debug, PartialEq)]
struct PodLook {
    class: String,
    load: f64,
}

/// Pod squares.
#[component]
pub fn LayerPods(layout: Memo<Layout>) -> impl IntoView {
    let frames = use_frames();
    // Memo: each drawn pod's class and load, by id, compared: a publication
    // changes only the squares whose state or load moved.
    let looks = Memo::new(move |_| {
        frames.with(|f| {
            let Some(f) = f else { return BTreeMap::new() };
            let request = f.targets.cpu_request_m.max(1.0);
            let releasing = f.release.releasing.as_ref().map(|(v, _)| *v);
            f.snap
                .pods
                .iter()
                .map(|p| {
                    let load = (p.cpu_usage_m / request).clamp(0.0, 1.0);
                    // Rounded to the pixel rows a 13-unit square can show.
                    let look = PodLook {
                        class: pod_class(p, releasing),
                        load: (load * 26.0).round() / 26.0,
                    };
                    (p.id, look)
                })
                .collect::<BTreeMap<u64, PodLook>>()
        })
    });
    // Memo: the squares (world, pod id) change with the topology, not each
    // frame; while they stay, only their own attributes move.
    let ids = Memo::new(move |_| {
        layout.with(|l| {
            l.pods
                .iter()
                .map(|(id, _)| (l.world, *id))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <g class="layer-pods" aria-hidden="true">
            {move || ids.get().into_iter().map(|key| {
                {
                    let (_, id) = key;
                    // Derived, not memoized: tachys writes an attribute only when its value changes.
                    let of = move |f: fn(&Rect) -> f64| {
                        move || layout.with(|l| l.pods.iter().find(|(p, _)| *p == id).map_or(0.0, |(_, r)| f(r)))
                    };
                    let (x, y, w, h) = (of(|r| r.x), of(|r| r.y), of(|r| r.w), of(|r| r.h));
                    let fill_h = move || h() * looks.with(|m| m.get(&id).map_or(0.0, |l| l.load));
                    view! {
                        <g class=move || looks.with(|m| m.get(&id).map_or_else(|| "pod hidden".to_string(), |l| l.class.clone()))>
                            <rect x=x y=y width=w height=h rx="2" />
                            <rect class="pod-load" x=x y=move || y() + h() - fill_h() width=w height=fill_h />
                        </g>
                    }
                }
            }).collect_view()}
        </g>
    }
}
