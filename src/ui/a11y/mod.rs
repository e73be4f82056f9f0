//! Accessibility helpers: live numbers as labelled text, and a live region
//! that announces alerts and failures.

mod announcer;
mod readouts;

pub use announcer::Announcer;
pub use readouts::Readouts;
