//! Interview questions, rubrics and grading (pure Rust).
//!
//! Question kinds (choice, numeric, order, configure-and-run, explain, drill)
//! arrive with the interview issue; nothing here pretends to grade yet.

/// The question kinds a scenario may hold, as named in scenario files.
pub const QUESTION_KINDS: [&str; 6] = [
    "choice",
    "numeric",
    "order",
    "configure",
    "explain",
    "drill",
];
