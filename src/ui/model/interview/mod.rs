//! Interview mode's state without the page: an answer as the form holds it
//! and where grading is.

mod answer_form;
mod drill_done;
mod grading_state;

pub use answer_form::{display_order, kind_word, place};
pub use drill_done::DrillDone;
pub use grading_state::GradingState;
