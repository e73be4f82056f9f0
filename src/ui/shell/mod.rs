//! The page shell: top bar, named layout regions, view tabs and the share link.

mod empty_state;
mod region;
mod share_link;
mod top_bar;
mod view_tabs;

pub use empty_state::EmptyState;
pub use region::Region;
pub use share_link::ShareLink;
pub use top_bar::TopBar;
pub use view_tabs::ViewTabs;
