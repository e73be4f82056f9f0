//! The live architecture diagram (SVG, one `<g class="layer-…">` per layer) and
//! its inspector. It draws whatever the snapshot holds: regions ⊃ zones ⊃ nodes
//! ⊃ pods, the services in front of and behind them, edges and failure badges.
//! Its geometry (shape, projection, flow edges, data parts) is in
//! [`crate::model::diagram`].

mod data_service_card;
mod diagram_view;
mod inspector;
mod layer_badges;
mod layer_data_parts;
mod layer_edges;
mod layer_nodes;
mod layer_pods;
mod layer_regions;
mod layer_services;
mod selected;

pub use diagram_view::Diagram;
pub use inspector::Inspector;
pub use selected::{use_selected, Selected};
