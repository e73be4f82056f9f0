//! The live architecture diagram (SVG, one `<g class="layer-…">` per layer) and
//! its inspector. It draws whatever the snapshot holds: regions ⊃ zones ⊃ nodes
//! ⊃ pods, the services in front of and behind them, edges and failure badges.

mod diagram_view;
mod flow_edges;
mod inspector;
mod layer_badges;
mod layer_edges;
mod layer_nodes;
mod layer_pods;
mod layer_regions;
mod layer_services;
mod projection;
mod selection;
mod shape;

pub use diagram_view::Diagram;
pub use flow_edges::{flow_edges, FlowEdge};
pub use inspector::Inspector;
pub use projection::{Layout, Projection, Rect};
pub use selection::Selection;
pub use shape::{shape_of, NodeShape, RegionShape, ServiceShape, Shape, ZoneShape};
