//! Scalesim's web app (the `scalesim-web` package, manifest in `web/`): Leptos
//! components over the `scalesim` engine, wasm32 only (natively this crate is
//! empty). Two pages mount it: the playground (`App`, index.html) and
//! interview mode (`InterviewApp`, interview.html), each its own binary and
//! wasm. One component per file, grouped by feature; each `mod.rs` only
//! re-exports. It is a package of its own so the web build can optimize it
//! for size while the engine stays optimized for speed (`Cargo.toml`,
//! `[profile.wasm-release]`).
//!
//! | feature        | what it draws or does                                                |
//! |----------------|----------------------------------------------------------------------|
//! | `shell`        | the page layout: top bar, regions, view tabs, share link              |
//! | `theme`        | light and dark themes: the `use_theme` hook and its toggle            |
//! | `run`          | a run's spec (scenario, seed, knobs, actions) and its world (pure)    |
//! | `url_state`    | the run in the URL: codec (pure) and the `use_url_state` hook         |
//! | `sim_loop`     | the rAF loop (`use_sim_loop`), play controls, scenario picker         |
//! | `diagram`      | the layered SVG architecture diagram, its projection and inspector    |
//! | `charts`       | plotters-canvas charts: live run charts and the queueing explainer    |
//! | `actions`      | fault and traffic buttons, scenario knobs                             |
//! | `timeline`     | the event log and the scrubber                                        |
//! | `slo`          | the error-budget panel                                                |
//! | `hpa_explorer` | manifest + load curve → per-sync HPA decisions                        |
//! | `interview`    | graded interview scenarios: questions, judging, debrief, progress     |
//! |                | (the interview page, `InterviewApp`; drills play on the playground)   |
//! | `intro`        | what the open scenario is for: story, goals, what to try first        |
//! | `a11y`         | labelled live numbers and the ARIA live region                        |
//! | `format`       | numbers in words                                                      |

#![cfg(target_arch = "wasm32")]

pub mod a11y;
pub mod actions;
mod app;
pub mod charts;
pub mod diagram;
pub mod format;
mod hpa_app;
pub mod hpa_explorer;
pub mod interview;
mod interview_app;
pub mod intro;
pub mod run;
pub mod shell;
pub mod sim_loop;
pub mod slo;
pub mod theme;
pub mod timeline;
pub mod url_state;

pub use app::App;
pub use hpa_app::HpaApp;
pub use interview_app::{read_interview_link, InterviewApp, InterviewLink};
