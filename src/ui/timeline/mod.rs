//! The timeline: the event log in plain words and a scrubber through time.

mod event_log;
mod scrubber;

pub use event_log::EventLog;
pub use scrubber::Scrubber;
