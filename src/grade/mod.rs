//! Interview questions, rubrics and grading (pure Rust, no web types).
//!
//! ```text
//!   [[questions]] (scenario TOML) ──serde──▶ Question ──grade(answer)──▶ Grade { points, max, feedback }
//! ```
//!
//! Kinds graded here so far: **choice** (single and multiple answers),
//! **numeric** (units, tolerance, partial band, worked solution), **order**
//! (a sequence, or items into buckets) and **explain** (free text against
//! concepts). Configure-and-run and drill questions, which the simulator
//! judges, are still to come (issue 10).

mod choice;
mod explain;
mod grade_result;
mod numeric;
mod order;
pub mod progress;
mod units;

pub use choice::{grade_choice, ChoiceOption, ChoiceQuestion};
pub use explain::{grade_explain, Concept, ExplainGrade, ExplainQuestion, Match};
pub use grade_result::Grade;
pub use numeric::{grade_numeric, NumericQuestion};
pub use order::{grade_order, OrderQuestion};
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
