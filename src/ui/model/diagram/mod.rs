//! The diagram's geometry and words: the shape of a snapshot (regions ⊃ zones
//! ⊃ nodes ⊃ pods, services), its projection onto the page, the flows between
//! services, a data service's parts and actions, and what is selected. Services
//! are a [`ServiceKind`], matched exhaustively wherever one is drawn or named.

mod data_parts;
mod flow_edges;
mod projection;
mod reason_words;
mod selection;
mod service_actions;
mod service_kind;
mod shape;
mod state_names;

pub use data_parts::{has_parts, part_cells, part_lines, PartCell, LAGGING_MS};
pub use flow_edges::{flow_edges, FlowEdge, FlowEnd};
pub use projection::{Layout, Projection, Rect};
pub use reason_words::reason_words;
pub use selection::Selection;
pub use service_actions::service_actions;
pub use service_kind::ServiceKind;
pub use shape::{shape_of, NodeShape, RegionShape, ServiceShape, Shape, ZoneShape};
pub use state_names::{node_state_name, pod_state_name};
