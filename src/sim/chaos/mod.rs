//! Chaos experiments (docs/models.md#chaos-experiments): a hypothesis, a steady state
//! of probes with tolerances, a method of faults, a blast radius and abort conditions,
//! run in the World with a verdict at the end.
//!
//! ```text
//!   [[experiments]] or a preset ─▶ experiment::ExperimentSpec (checked with the scenario)
//!   run_experiment { name } ─▶ run::start ─▶ each tick run::observe ─▶ run::ExperimentRun
//!                                                    (verdict, probes, abort, budget)
//! ```

pub mod experiment;
pub mod presets;
pub mod run;

pub use experiment::{AbortCondition, BlastRadius, Bound, ExperimentSpec, Measure};
pub use run::{ExperimentRun, Phase, ProbeResult, Verdict};
