//! A run in a link, with no web types, so it is tested natively and the page
//! reads links with the very checks the CLI applies to scenario files:
//!
//! ```text
//!   ?s=…&k=…&a=…&t=…  ──read_link──▶ RunSpec + problems ──check_run(scenario)──▶ a run the engine accepts
//!                       (codes, names, finite numbers)      (ranges, zones, knobs: ranges::check, check_action, validate)
//! ```
//!
//! A part that cannot apply is named with what it accepts; what the page does
//! instead is a [`Fallback`]. The page (`src/ui/`) re-exports these. Their
//! functions are `#[inline]`: cold code the page calls, compiled (and optimized
//! for size) in the web crate, as the other entry points are (README, size budget).

mod codec;
mod embed_parts;
mod run_check;
mod run_spec;

pub use codec::{
    action_code, action_of_code, decode_query, encode_query, finite_number, read_link, Fallback,
    LinkRead, UrlState, View,
};
pub use embed_parts::EmbedParts;
pub use run_check::{check_knob, check_run, scenario_with_knobs};
pub use run_spec::{RunSpec, TimedAction};
