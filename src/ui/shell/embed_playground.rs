//! The playground as an iframe on a course page (`?embed=1`): no header, no
//! view tabs, one compact control row, then the parts the link asks for
//! (`show=diagram,charts,actions`). The style sheet lays them out by the
//! frame's width: actions in a row on top, then the diagram and the charts
//! side by side in a wide frame, stacked in a narrow one.

use leptos::prelude::*;

use super::{DiagramRegion, LinkNotice, LinkProblems, Region, ShareLink};
use crate::actions::{ActionPanel, KnobPanel};
use crate::charts::ChartGrid;
use crate::intro::ScenarioLoading;
use crate::model::url_state::{EmbedParts, UrlState, View};
use crate::sim_loop::{use_run, PlayControls};
use crate::theme::Theme;
use crate::url_state::UrlStateHandle;

/// The embedded playground. `link_notice` says what the link could not do, if anything.
#[component]
pub fn EmbedPlayground(
    theme: Signal<Theme>,
    parts: EmbedParts,
    link_notice: RwSignal<Option<LinkNotice>>,
) -> impl IntoView {
    let run = use_run();
    // Derived closure: the full page for this run, rebuilt only when the
    // learner follows the link (a click reads it once).
    let full_page = move || {
        UrlStateHandle::link_of(&UrlState {
            run: run.get(),
            embed: false,
            show: EmbedParts::default(),
            view: View::Playground,
            drill: None,
        })
    };
    let class = format!(
        "layout embed{}{}{}",
        if parts.diagram { " with-diagram" } else { "" },
        if parts.charts { " with-charts" } else { "" },
        if parts.actions { " with-actions" } else { "" },
    );
    view! {
        <div class="control-bar embed-bar">
            <PlayControls />
            <ShareLink embed=true show=parts />
            <a class="open-full" href=full_page target="_blank" rel="noopener">
                "Open full page \u{2197}"
            </a>
        </div>
        <LinkProblems notice=link_notice />
        <ScenarioLoading />
        <main class=class id="main">
            {parts.actions.then(|| view! {
                <Region id="actions" title="Actions">
                    <ActionPanel />
                    <details class="embed-knobs">
                        <summary>"Scenario knobs"</summary>
                        <KnobPanel />
                    </details>
                </Region>
            })}
            {parts.diagram.then(|| view! {
                <DiagramRegion numbers_open=false />
            })}
            {parts.charts.then(|| view! {
                <Region id="charts" title="Charts">
                    <ChartGrid theme=theme compact=true />
                </Region>
            })}
        </main>
    }
}
