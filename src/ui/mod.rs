//! Scalesim's web app (the `scalesim-web` package, manifest in `web/`): Leptos
//! components over the `scalesim` engine. Two pages mount it: the playground
//! (`App`, index.html) and interview mode (`InterviewApp`, interview.html),
//! each its own binary and wasm. It is a package of its own so the web build
//! can optimize it for size while the engine stays optimized for speed
//! (`Cargo.toml`, `[profile.wasm-release]`).
//!
//! Two layers. [`model`] is what the pages compute without a browser
//! (projection, layout, flow edges, chart specs, run specs, the URL codec,
//! numbers in words, answer state): it compiles on every target and is tested
//! natively (`web/tests/model.rs`, `cargo test -p scalesim-web`). The
//! components, one per file and grouped by feature (each `mod.rs` only
//! re-exports), are wasm32 only; they read the model, never the reverse, and
//! reach the running simulator through typed context handles
//! (`sim_loop::provide_sim_context`: a snapshot reader, the run, the play
//! state, the log, the status and the commands) and the diagram's selection
//! (`diagram::Selected`), provided once by the page's root.
//!
//! | feature        | target | what it draws or does                                          |
//! |----------------|--------|----------------------------------------------------------------|
//! | `model`        | all    | the model layer: its own table in `model/mod.rs`               |
//! | `shell`        | wasm32 | the page layout: top bar, regions, view tabs, share link        |
//! | `theme`        | wasm32 | light and dark themes: the `use_theme` hook and its toggle      |
//! | `run`          | wasm32 | fetching a built-in scenario's JSON                             |
//! | `url_state`    | wasm32 | the `use_url_state` hook: the address bar follows the run       |
//! | `sim_loop`     | wasm32 | the rAF loop (`use_sim_loop`), its context handles, play controls, scenario picker |
//! | `diagram`      | wasm32 | the layered SVG architecture diagram and its inspector          |
//! | `charts`       | wasm32 | plotters-canvas charts: live run charts and the queueing explainer |
//! | `actions`      | wasm32 | fault and traffic buttons, scenario knobs                       |
//! | `timeline`     | wasm32 | the event log and the scrubber                                  |
//! | `slo`          | wasm32 | the error-budget panel                                          |
//! | `hpa_explorer` | wasm32 | manifest + load curve → per-sync HPA decisions (the page)       |
//! | `interview`    | wasm32 | graded interview scenarios: questions, judging, debrief, progress |
//! |                |        | (the interview page, `InterviewApp`; drills play on the playground) |
//! | `intro`        | wasm32 | what the open scenario is for: story, goals, what to try first  |
//! | `a11y`         | wasm32 | labelled live numbers and the ARIA live region                  |

pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod a11y;
#[cfg(target_arch = "wasm32")]
pub mod actions;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod charts;
#[cfg(target_arch = "wasm32")]
pub mod diagram;
#[cfg(target_arch = "wasm32")]
mod hpa_app;
#[cfg(target_arch = "wasm32")]
pub mod hpa_explorer;
#[cfg(target_arch = "wasm32")]
pub mod interview;
#[cfg(target_arch = "wasm32")]
mod interview_app;
#[cfg(target_arch = "wasm32")]
pub mod intro;
#[cfg(target_arch = "wasm32")]
pub mod run;
#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod sim_loop;
#[cfg(target_arch = "wasm32")]
pub mod slo;
#[cfg(target_arch = "wasm32")]
pub mod theme;
#[cfg(target_arch = "wasm32")]
pub mod timeline;
#[cfg(target_arch = "wasm32")]
pub mod url_state;

#[cfg(target_arch = "wasm32")]
pub use app::App;
#[cfg(target_arch = "wasm32")]
pub use hpa_app::HpaApp;
#[cfg(target_arch = "wasm32")]
pub use interview_app::{read_interview_link, InterviewApp, InterviewLink};
