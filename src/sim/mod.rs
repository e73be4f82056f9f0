//! The simulation engine: pure Rust, no web types, deterministic.
//!
//! Every model here is a plain function of its inputs or a reconciler that
//! reads a view and returns an intent; the same inputs give the same outputs
//! natively and in wasm.
//!
//! ```text
//!   scenario ─▶ World::new ─▶ World ──step()──▶ World ─▶ snapshot / series / events
//! ```
//!
//! The engine: [`world`] (the data), [`step`] (the stages), [`inputs`] (actions, their queue and how they apply),
//! [`traffic`], [`topology`], [`balancer`], [`lifecycle`] (pods, nodes, faults),
//! [`control`] (HPA, cluster autoscaler, pre-scaling, VPA and SLO loops),
//! [`latency`], [`histogram`], [`series`], [`events`], [`failure`] (why requests fail), [`cost`], [`snapshot`], [`settings`],
//! [`tagged`] (how `kind`-tagged enums are read and written).
//! The models it drives: [`hpa`], [`cluster_autoscaler`], [`slo`], [`queueing`],
//! [`consistency_math`].
//! The data and async tiers: [`data`], [`messaging`], [`consistency`], [`geo`], wired
//! into the stages by [`tiers`]. The clients' protection: [`protection`] (retries and
//! their circuit breaker), built on [`resilience`]'s backoff formulas and resilience4j's
//! rules.
//!
//! Models no stage drives yet: [`resilience`]'s per-call breakers and token bucket, and
//! [`capacity`] (capacity planning arithmetic), which only their vector tests call.
//!
//! Every model's equations, with its sources, are in `docs/models.md`, one section per
//! model.

pub mod capacity;
pub mod chaos;
pub mod class_series;
pub mod cluster_autoscaler;
pub mod consistency_math;
pub mod data;
pub mod hpa;
pub mod queueing;
pub mod resilience;
pub mod slo;

pub mod balancer;
pub mod control;
pub mod cost;
pub mod events;
pub mod failure;
pub mod histogram;
pub mod inputs;
pub mod latency;
pub mod lifecycle;
pub mod named_enum;
pub mod ordering;
pub mod poisson;
pub mod protection;
pub mod rollout;
pub mod series;
pub mod settings;
pub mod snapshot;
pub mod step;
pub mod tagged;
pub mod topology;
pub mod traffic;
pub mod world;

pub use step::{run_until, step};
pub use world::World;

pub mod consistency;
pub mod geo;
pub mod messaging;
pub mod tiers;
