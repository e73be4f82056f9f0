//! The live architecture diagram (SVG, one `<g class="layer-…">` per layer) and
//! its inspector. It draws whatever the snapshot holds: regions ⊃ zones ⊃ nodes
//! ⊃ pods, the services in front of and behind them, edges and failure badges.

mod data_parts;
mod data_service_card;
mod diagram_view;
mod flow_edges;
mod inspector;
mod layer_badges;
mod layer_data_parts;
mod layer_edges;
mod layer_nodes;
mod layer_pods;
mod layer_regions;
mod layer_services;
mod projection;
mod selection;
mod shape;

pub use data_parts::{has_parts, part_cells, part_lines, PartCell, LAGGING_MS};
pub use data_service_card::{service_actions, service_title};
pub use diagram_view::Diagram;
pub use flow_edges::{flow_edges, FlowEdge};
pub use inspector::Inspector;
pub use projection::{Layout, Projection, Rect};
pub use selection::Selection;
pub use shape::{shape_of, NodeShape, RegionShape, ServiceShape, Shape, ZoneShape};
