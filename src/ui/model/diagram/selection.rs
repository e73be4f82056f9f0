//! What the inspector shows: the component the learner clicked or pressed Enter on.

use super::ServiceKind;

/// A selectable component of the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A service box (load balancer, CDN, cache, database, topic, consumers).
    Service(ServiceKind),
    /// A region by name.
    Region(String),
    /// A zone by index.
    Zone(u16),
    /// A node by id.
    Node(u64),
}
