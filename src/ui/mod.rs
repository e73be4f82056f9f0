//! Leptos components (wasm32 only). One component per file, grouped by feature;
//! each `mod.rs` only re-exports.
//!
//! | feature  | what it draws                                              |
//! |----------|------------------------------------------------------------|
//! | `shell`  | the page layout: top bar and the named regions             |
//! | `theme`  | light and dark themes: the `use_theme` hook and its toggle |
//! | `charts` | plotters-canvas charts of data computed by [`crate::sim`]  |

mod app;
pub mod charts;
pub mod shell;
pub mod theme;

pub use app::App;
