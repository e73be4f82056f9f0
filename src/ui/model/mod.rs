//! The web app's model layer: everything the pages compute without a browser
//! (no Leptos, no web-sys), compiled on every target so that its tests run in
//! a plain native `cargo test` (`web/tests/model.rs`). The Leptos components
//! (wasm32 only) read it; nothing here reads them. It stays in the
//! `scalesim-web` package so the web build still optimizes it for size ("z").
//!
//! | module         | what it computes                                                      |
//! |----------------|-----------------------------------------------------------------------|
//! | `run`          | a run's spec, the store of loaded built-ins, the world built from them |
//! | `url_state`    | the run in the URL: the codec (`scalesim::link`)                       |
//! | `sim_loop`     | what the loop publishes: frames, thinned series, annotations, log lines, pacing |
//! | `diagram`      | the diagram's shape, projection (layout), flow edges, data parts, selection |
//! | `charts`       | the chart catalogue (specs, gates) and the queueing explainer's curve  |
//! | `actions`      | consistency modes by name; the clients' policy and the action a change sends |
//! | `slo`          | the error budget's forecast and the burn table in words                |
//! | `hpa_explorer` | manifest + load curve → per-sync HPA decisions; the load curve's CSV   |
//! | `interview`    | an answer as the form holds it (shuffle, placing), where grading is    |
//! | `format`       | numbers in words                                                       |

pub mod actions;
pub mod charts;
pub mod diagram;
pub mod format;
pub mod hpa_explorer;
pub mod interview;
pub mod run;
pub mod sim_loop;
pub mod slo;
pub mod url_state;
