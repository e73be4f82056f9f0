//! A drill played on the playground page, as it goes to the interview page: its actions
//! as link codes (the playground's wasm then carries no serializer of actions or
//! answers), read back into an answer there.

use scalesim::grade::Answer;
use serde::{Deserialize, Serialize};

/// A drill played on the playground page, for the interview page's debrief.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DrillDone {
    /// Built-in scenario name.
    pub scenario: String,
    /// The drill question's id.
    pub question: String,
    /// The seed played.
    pub seed: u64,
    /// The learner's actions: (time after the fault [s], link code), as links carry
    /// them, so the playground's wasm carries no serializer of actions or answers.
    #[serde(default)]
    pub actions: Vec<(f64, String)>,
    /// A drill kept by a page from before the codes: its answer, read, never written.
    #[serde(default, skip_serializing)]
    pub answer: Option<Answer>,
}

impl DrillDone {
    /// The drill's answer: its actions read back from their codes. Errors name the
    /// action that does not read.
    pub fn answer(&self) -> Result<Answer, String> {
        if let Some(kept) = &self.answer {
            return Ok(kept.clone());
        }
        let actions = self
            .actions
            .iter()
            .enumerate()
            .map(|(i, (at_s, code))| {
                scalesim::link::action_of_code(&format!("actions[{i}]"), code).map(|action| {
                    scalesim::sim::inputs::ScheduledAction {
                        at_s: *at_s,
                        action,
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Answer {
            actions,
            ..Answer::default()
        })
    }
}
