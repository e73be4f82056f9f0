//! The page shell: top bar, named layout regions, view tabs, the share link,
//! the embed layout (`?embed=1&show=…`) and the sideways scroller.

mod diagram_region;
mod embed_playground;
mod empty_state;
mod link_problems;
mod region;
mod share_link;
mod side_scroller;
mod top_bar;
mod view_tabs;

pub use diagram_region::DiagramRegion;
pub use embed_playground::EmbedPlayground;
pub use empty_state::EmptyState;
pub use link_problems::{LinkNotice, LinkProblems};
pub use region::Region;
pub use share_link::ShareLink;
pub use side_scroller::SideScroller;
pub use top_bar::TopBar;
pub use view_tabs::ViewTabs;
