//! Where the grading of a submitted sheet is: shown as a progress bar, then
//! the list of what could not be graded.

/// Where grading is.
#[derive(Clone, Debug, PartialEq)]
pub enum GradingState {
    /// Nothing submitted yet.
    Idle,
    /// Running: share done in [0, 1] and what it is doing.
    Running(f64, String),
    /// Graded (the unanswered are left out), with what could not be graded
    /// (one line per question: "Question 3: too short to grade …"); or why
    /// nothing was.
    Done(Result<Vec<String>, String>),
}
