//! What the interview page keeps while the learner moves between scenarios:
//! answers in progress and grades per scenario. Drills play on the playground
//! page (`index.html?s=NAME&drill=ID`, see [`super::PlaygroundDrill`]), which
//! hands the learner's actions back through localStorage ([`DRILL_DONE_KEY`]);
//! the sheet grades them, saves the attempt and shows the debrief. The key
//! stays until the sheet of that scenario has graded it, so closing the tab
//! loses nothing.
//!
//! ```text
//!   sheet "Start the drill" ──▶ index.html?s=NAME&drill=ID (the playground page)
//!   banner "Finish" ──▶ DRILL_DONE_KEY ──▶ interview.html?interview=NAME ──▶ graded, saved, debrief
//! ```

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::debrief_chart::Runs;
use super::ProgressStore;
use scalesim::grade::session::Session;
use scalesim::grade::QuestionGrade;

pub use crate::model::interview::DrillDone;

/// localStorage key of the last drill played on the playground page and not
/// graded yet.
pub const DRILL_DONE_KEY: &str = "scalesim.drill-done";

/// The grades of a scenario's last submission, and the runs behind them.
#[derive(Clone, Debug, Default)]
pub struct Graded {
    /// Per question, in the scenario's order.
    pub grades: Vec<QuestionGrade>,
    /// The debrief charts' runs, by question id.
    pub runs: BTreeMap<String, Runs>,
}

impl DrillDone {
    /// Keeps it for the interview page ([`DRILL_DONE_KEY`] in localStorage).
    pub fn save(&self) -> Result<(), String> {
        let storage = window()
            .local_storage()
            .ok()
            .flatten()
            .ok_or("this browser keeps no local storage")?;
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        storage
            .set_item(DRILL_DONE_KEY, &text)
            .map_err(|_| "the browser's storage is full or blocked".to_string())
    }
}

/// Interview mode's state on the interview page.
#[derive(Clone, Copy)]
pub struct InterviewNav {
    /// The interview scenario open and its single question, if any.
    pub open: RwSignal<Option<(String, Option<usize>)>>,
    /// Saved progress.
    pub store: ProgressStore,
    /// Answers in progress, by scenario.
    pub sessions: RwSignal<BTreeMap<String, Session>>,
    /// Last grades, by scenario.
    pub results: RwSignal<BTreeMap<String, Graded>>,
    /// Why the last drill could not be graded.
    pub drill_error: RwSignal<Option<String>>,
}

impl InterviewNav {
    /// Interview state for the interview page.
    pub fn new(open: RwSignal<Option<(String, Option<usize>)>>) -> InterviewNav {
        InterviewNav {
            open,
            store: ProgressStore::open(),
            sessions: RwSignal::new(BTreeMap::new()),
            results: RwSignal::new(BTreeMap::new()),
            drill_error: RwSignal::new(None),
        }
    }

    /// Plays drill `id` of `scenario` on the playground page.
    pub fn start_drill(&self, scenario: &str, id: &str) {
        let url = format!(
            "index.html?s={}&drill={}",
            js_sys::encode_uri_component(scenario),
            js_sys::encode_uri_component(id)
        );
        if let Err(e) = window().location().assign(&url) {
            self.drill_error.set(Some(format!("{e:?}")));
        }
    }

    /// Takes the drill the playground page handed back for `scenario`, if any.
    pub fn take_drill_done(scenario: &str) -> Option<DrillDone> {
        let storage = window().local_storage().ok().flatten()?;
        let text = storage.get_item(DRILL_DONE_KEY).ok().flatten()?;
        let done: DrillDone = serde_json::from_str(&text).ok()?;
        if done.scenario != scenario {
            return None;
        }
        let _ = storage.remove_item(DRILL_DONE_KEY);
        Some(done)
    }
}
