//! Accessibility helpers: live numbers as labelled text, and a live region
//! that announces alerts and failures.

mod announcer;
mod data_tier_readouts;
mod readouts;

pub use announcer::Announcer;
pub use data_tier_readouts::DataTierReadouts;
pub use readouts::Readouts;
