//! The one word for each pod and node state, as the diagram's CSS classes
//! (`pod-ready`, `node-provisioning`) and the inspector's rows read it: an
//! exhaustive match, not the lower-cased `Debug` output, so renaming a variant
//! cannot silently change a class the style sheet keys on.

use scalesim::sim::topology::{NodeState, PodState};

/// A pod state's word ("pending", "ready").
pub const fn pod_state_name(state: PodState) -> &'static str {
    match state {
        PodState::Pending => "pending",
        PodState::Starting => "starting",
        PodState::Warming => "warming",
        PodState::Ready => "ready",
        PodState::Draining => "draining",
        PodState::Dead => "dead",
    }
}

/// A node state's word ("provisioning", "ready").
pub const fn node_state_name(state: NodeState) -> &'static str {
    match state {
        NodeState::Provisioning => "provisioning",
        NodeState::Ready => "ready",
        NodeState::Dead => "dead",
    }
}
