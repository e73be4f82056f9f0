//! The simulation engine: pure Rust, no web types, deterministic.
//!
//! Every model here is a plain function of its inputs or a reconciler that
//! reads a view and returns an intent; the same inputs give the same outputs
//! natively and in wasm.

pub mod capacity;
pub mod cluster_autoscaler;
pub mod consistency_math;
pub mod hpa;
pub mod queueing;
pub mod resilience;
pub mod slo;
