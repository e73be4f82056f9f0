//! Interview mode: pick a graded scenario, answer its questions (predict →
//! act → explain), let the simulator judge, read the debrief, keep progress.
//!
//! ```text
//!   InterviewView ── InterviewList (scenarios, best scores)
//!                └── InterviewSheet ── QuestionForm × questions ── Submit
//!                         └── grade_in_frames (Judge chunks per frame, progress bar) ── DebriefView
//!   ProgressBox: localStorage (versioned), export / import JSON, scores CSV
//! ```

mod configure_form;
mod debrief_chart;
mod debrief_view;
mod drill_banner;
mod grading;
mod interview_list;
mod interview_nav;
mod interview_sheet;
mod interview_view;
mod playground_drill;
mod progress_box;
mod progress_store;
mod question_form;

pub use drill_banner::DrillBanner;
pub use interview_nav::{DrillDone, InterviewNav, DRILL_DONE_KEY};
pub use interview_view::InterviewView;
pub use playground_drill::{ActiveDrill, DrillOutcome, PlaygroundDrill};
pub use progress_store::ProgressStore;
