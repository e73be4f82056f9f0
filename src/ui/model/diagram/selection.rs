//! What the inspector shows: the component the learner clicked or pressed Enter on.

/// A selectable component of the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A service box (load balancer, CDN, cache, database, topic) by key.
    Service(String),
    /// A region by name.
    Region(String),
    /// A zone by index.
    Zone(u16),
    /// A node by id.
    Node(u64),
}
