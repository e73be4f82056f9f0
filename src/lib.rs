//! # Scalesim
//!
//! A scaling playground: a deterministic simulation of a web system under load
//! (traffic, pods over zones, load balancing, autoscalers, queues, data tier,
//! SLO error budgets), drawn by a Leptos web app and driven by a native CLI.
//!
//! ## Module map
//!
//! | module       | what it holds                                                     | targets        |
//! |--------------|-------------------------------------------------------------------|----------------|
//! | [`sim`]      | the engine: pure Rust, no web types, deterministic                 | native + wasm  |
//! | [`scenario`] | the scenario schema, its validation and the built-in library       | native + wasm  |
//! | [`grade`]    | interview questions, rubrics and grading                           | native + wasm  |
//! | [`link`]     | a run in a link: the URL codec and the checks a link passes         | native + wasm  |
//! | `src/ui/`    | Leptos components: crate `scalesim_web` (package in `web/`)        | wasm           |
//! | `cli`        | the native `scalesim` command (compiled natively only)             | native         |
//!
//! The engine never sees the web: the UI (`src/ui/`, its own package so the
//! web build can optimize it for size and the engine for speed) reads
//! snapshots of the engine's state and draws them.
//!
//! ## Documents
//!
//! - `docs/models.md`: every model's equations as implemented, its module and its sources;
//! - `docs/scenario-format.md`: the scenario file format;
//! - `docs/hpa-files.md`: the HPA files and load curves `scalesim hpa` reads;
//! - `README.md`, "How to extend": where a new fault, controller, scenario or panel goes.

pub mod figures;
pub mod grade;
pub mod link;
pub mod scenario;
pub mod sim;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
