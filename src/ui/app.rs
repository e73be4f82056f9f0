//! The application root: the page layout (top bar, regions, view tabs; the `shell` feature in `src/ui/mod.rs`).
//!
//! ```text
//!   URL ──use_url_state──▶ RunSpec ──use_sim_loop──▶ Frame (≤ 30 Hz) ──▶ diagram, charts, panels
//!    ▲                                   │ actions, knobs, scrubbing
//!    └────────────── run spec ◀──────────┘
//! ```

use leptos::prelude::*;

use super::a11y::Announcer;
use super::actions::{ActionPanel, KnobPanel};
use super::charts::{ChartGrid, QueueingChart};
use super::diagram::Selected;
use super::interview::{DrillBanner, PlaygroundDrill};
use super::intro::{ScenarioIntro, ScenarioLoading};
use super::model::run::RunSpec;
use super::model::url_state::{UrlState, View};
use super::shell::{
    DiagramRegion, EmbedPlayground, LinkNotice, LinkProblems, Region, ShareLink, TopBar, ViewTabs,
};
use super::sim_loop::{
    provide_sim_context, use_sim_loop_with_options, EngineSpeed, PlayControls, ScenarioPicker,
    SimLoopOptions,
};
use super::slo::SloPanel;
use super::theme::use_theme;
use super::timeline::{EventLog, Scrubber};
use super::url_state::use_url_state;
use scalesim::link::Fallback;

/// The scenario a fresh page opens on.
/// A calm world where the learner's first spike or zone kill is what moves.
const DEFAULT_SCENARIO: &str = "first-spike";

fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|q| q.matches())
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let theme = use_theme();
    let url = use_url_state();
    let sim = use_sim_loop_with_options(SimLoopOptions {
        publish_hz: if reduced_motion() { 10.0 } else { 30.0 },
        ..SimLoopOptions::default()
    });
    // What the components read, as typed context provided once for the whole
    // page: the sim loop's handles (sim_loop::provide_sim_context) and the
    // diagram's selection.
    provide_sim_context(sim);
    provide_context(Selected::new());
    let link_notice = RwSignal::new(None::<LinkNotice>);

    // The link, read part by part: what cannot apply is named now, the rest
    // opens (src/link: the CLI's checks, natively tested).
    let read = url.initial.get_value();
    let initial = read.state.clone();
    let embed = initial.embed;
    let show = initial.show;
    let view_mode = RwSignal::new(initial.view);
    let nav = PlaygroundDrill::new(sim);
    // `drill=ID` (from the interview page): that drill plays once its scenario has opened.
    let drill_id = initial.drill.clone();
    let fresh = || {
        let seed = scalesim::scenario::built_in_seed(DEFAULT_SCENARIO).unwrap_or(1);
        RunSpec::fresh(DEFAULT_SCENARIO, seed)
    };
    let link = initial.run.clone();
    let early = read.problems;
    if !early.is_empty() {
        let name = link.as_ref().map(|l| l.scenario.as_str());
        link_notice.set(Some(LinkNotice::of(early.clone(), read.fallback, name)));
    }
    // The first scenario is fetched (scenarios/<name>.json); the page shows
    // "Loading …" meanwhile (ScenarioLoading).
    sim.open(link.clone().unwrap_or_else(fresh), move |result| {
        let e = match result {
            Ok(()) => {
                if let (Some(id), Some(link)) = (&drill_id, &link) {
                    nav.start(&link.scenario, id);
                }
                return;
            }
            Err(e) => e,
        };
        let Some(link) = link else {
            // The default scenario itself failed (a file missing from the site).
            sim.error.set(Some(e));
            return;
        };
        // Every problem: those of reading the link, then those against its
        // scenario (knobs, actions, time), one per line.
        let mut problems = early;
        problems.extend(e.lines().map(str::to_string));
        // Keep what the link got right: its scenario and seed, from T+0:00.
        let plain = RunSpec::fresh(&link.scenario, link.seed);
        let fallback = if plain != link && sim.load(plain).is_ok() {
            Fallback::FromStart
        } else {
            sim.open(fresh(), move |r| {
                if let Err(e) = r {
                    sim.error.set(Some(e));
                }
            });
            Fallback::DefaultScenario
        };
        link_notice.set(Some(LinkNotice::of(
            problems,
            fallback,
            Some(&link.scenario),
        )));
    });
    // The link's problem stops applying once another scenario opens.
    sim.on_new_scenario(move || link_notice.set(None));
    // Effect: mirror the run and the view into the address bar (through the
    // hook); until the first scenario has opened, the address bar keeps the link.
    Effect::new(move |_| {
        let Some(run) = sim.spec.get() else { return };
        url.current.set(Some(UrlState {
            run: Some(run),
            embed,
            show,
            view: view_mode.get(),
            // The link keeps naming the drill while it plays (a reload plays it again).
            drill: nav
                .drill
                .with(|d| d.as_ref().map(|d| d.question.id.clone())),
        }));
    });

    // The interview page, on the open scenario when it is an interview one.
    let interview_href = move || {
        let name = sim.spec.with(|s| s.as_ref().map(|s| s.scenario.clone()));
        match name.filter(|n| scalesim::scenario::is_interview(n)) {
            Some(n) => format!(
                "interview.html?interview={}",
                js_sys::encode_uri_component(&n)
            ),
            None => "interview.html".to_string(),
        }
    };
    let playground = move || {
        view! {
            <div class="control-bar">
                <ScenarioPicker />
                <PlayControls />
                <ShareLink embed=false />
            </div>
            <LinkProblems notice=link_notice />
            <ScenarioLoading />
            <DrillBanner nav=nav />
            <ScenarioIntro open=true />
            <main class="layout" id="main">
                <DiagramRegion numbers_open=true />
                <Region id="actions" title="Actions">
                    <ActionPanel />
                    <KnobPanel />
                </Region>
                <Region id="charts" title="Charts">
                    <ChartGrid theme=theme.theme compact=false />
                    <details class="explainer">
                        <summary>"Why autoscalers aim below 100 % CPU"</summary>
                        <QueueingChart theme=theme.theme />
                    </details>
                </Region>
                <Region id="slo" title="Error budget (SLO)">
                    <SloPanel />
                </Region>
                <Region id="timeline" title="Timeline">
                    <Scrubber />
                    <EventLog />
                    <EngineSpeed />
                </Region>
                <Region id="interview" title="Interview">
                    <p class="note">
                        "Interview scenarios: predict what the system will do, act on it, explain why, "
                        "and let the simulator judge your answer on several seeds."
                    </p>
                    <a class="primary" href=interview_href>"Open interview mode"</a>
                </Region>
            </main>
        }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to the simulator"</a>
        // An embed has no header and no view tabs (src/ui/shell/embed_playground.rs).
        {(!embed).then(|| view! {
            <TopBar theme=theme>
                <ViewTabs view=view_mode />
            </TopBar>
        })}
        <Announcer />
        {move || match view_mode.get() {
            View::Playground if embed && nav.drill.with(Option::is_none) && nav.outcome.with(Option::is_none) => view! {
                <EmbedPlayground theme=theme.theme parts=show link_notice=link_notice />
            }.into_any(),
            View::Playground => playground().into_any(),
            // www/boot.js sends `?view=hpa` to hpa.html before the wasm loads; this is
            // only seen if that redirect could not run.
            View::HpaExplorer => view! {
                <main class="layout-single" id="main">
                    <p>"The HPA explorer has a page of its own: "<a href="hpa.html">"open the HPA explorer"</a>"."</p>
                </main>
            }.into_any(),
        }}
    }
}
