//! Interview mode's state without the page: an answer as the form holds it
//! and where grading is.

mod answer_form;
mod grading_state;

pub use answer_form::{display_order, kind_word, place};
pub use grading_state::GradingState;
