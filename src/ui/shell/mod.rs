//! The page shell: top bar and named layout regions.

mod empty_state;
mod region;
mod top_bar;

pub use empty_state::EmptyState;
pub use region::Region;
pub use top_bar::TopBar;
