//! The application root: the layout of DESIGN.md ("The web app").

use leptos::prelude::*;

use super::charts::QueueingChart;
use super::shell::{EmptyState, Region, TopBar};
use super::theme::use_theme;

/// The whole page: a top bar over the diagram, charts, actions, timeline and
/// interview regions. Regions whose content arrives with a later issue show an
/// empty state that says what will appear there.
#[component]
pub fn App() -> impl IntoView {
    let theme = use_theme();
    view! {
        <TopBar theme=theme />
        <main class="layout" id="main">
            <Region id="diagram" title="Architecture diagram">
                <EmptyState>
                    "The live architecture diagram appears here: regions, zones, nodes and pods, "
                    "with the CDN, load balancer, cache, database and queue of the scenario you pick. "
                    "Pods will show whether they are pending, starting, ready, draining or dead."
                </EmptyState>
            </Region>
            <Region id="charts" title="Charts">
                <QueueingChart theme=theme.theme />
            </Region>
            <Region id="actions" title="Actions">
                <EmptyState>
                    "Trigger a spike, kill a pod, a node or a zone, inject latency or flip the "
                    "consistency mode. The buttons arrive with the simulator loop."
                </EmptyState>
            </Region>
            <Region id="timeline" title="Timeline">
                <EmptyState>
                    "Every event of a run in plain words, such as \u{201c}T+0:45 HPA: 3 \u{2192} 7 pods "
                    "(CPU 140 % vs target 70 %)\u{201d}, with a scrubber to go back in time."
                </EmptyState>
            </Region>
            <Region id="interview" title="Interview">
                <EmptyState>
                    "Interview scenarios: predict what the system will do, act on it, explain why, "
                    "and get graded against a rubric drawn from real interview guidance."
                </EmptyState>
            </Region>
        </main>
    }
}
