//! Interview questions, rubrics and grading (pure Rust, no web types).
//!
//! ```text
//!   [[questions]] (scenario TOML) ──serde──▶ Question ──grade(answer)──▶ Grade { points, max, feedback }
//! ```
//!
//! Kinds: **choice** (single and multiple answers), **numeric** (units,
//! tolerance, partial band, worked solution, keys from the engine), **order**
//! (a sequence, or items into buckets), **explain** (free text against
//! concepts), and the two the simulator judges: **configure** (knobs and
//! actions, run on several seeds, probes against thresholds) and **drill**
//! (a seeded fault, mitigated live, scored against nobody acting and the
//! reference playbook). [`grade_answer`] grades any of them;
//! [`check_scenario`] is `scalesim grade --check`.

mod answer_check;
mod answers;
mod choice;
mod configure;
mod drill;
mod explain;
mod grade_result;
pub mod judge;
mod numeric;
mod order;
pub mod probe;
pub mod progress;
mod question;
pub mod seed_questions;
pub mod session;
pub mod synonyms;
pub(crate) mod units;

pub use answer_check::{check_answer, AnswerProblem};
pub use answers::{
    check_scenario, check_scenario_with, grade_answer, grade_answer_with, numeric_key,
    reference_answer, Answer, CheckLine, QuestionGrade, PASS_PERCENT,
};
pub use choice::{grade_choice, ChoiceOption, ChoiceQuestion};
pub use configure::{Check, ConfigureQuestion, Setup, Verdict};
pub use drill::{grade_drill, run_drill, DrillGrade, DrillQuestion, DrillRun, SteadyRule};
pub use explain::{grade_explain, Concept, ExplainGrade, ExplainQuestion, Match, Sample};
pub use grade_result::Grade;
pub use judge::{CheckRow, ConfigureGrade, Judge};
pub use numeric::{grade_numeric, AnswerFrom, NumericQuestion};
pub use order::{grade_order, OrderQuestion};
pub use question::Question;
pub use units::{Dimension, Quantity};

/// A question's default worth [points].
fn one_point() -> f64 {
    1.0
}

/// The question kinds a scenario may hold, as named in scenario files.
pub const QUESTION_KINDS: [&str; 6] = [
    "choice",
    "numeric",
    "order",
    "configure",
    "explain",
    "drill",
];
