//! The diagram's region, the same in the playground and the embed: the
//! architecture diagram, the inspector and the live numbers.

use leptos::prelude::*;

use super::Region;
use crate::a11y::{DataTierReadouts, Readouts};
use crate::diagram::{Diagram, Inspector};

/// The "Architecture diagram" region. `numbers_open`: the live numbers start
/// expanded (the playground) or collapsed (the embed). One component for both
/// layouts keeps one copy of its view code in the wasm.
#[component]
pub fn DiagramRegion(numbers_open: bool) -> impl IntoView {
    view! {
        <Region id="diagram" title="Architecture diagram">
            <Diagram />
            <Inspector />
            <details class="live-numbers-box" open=numbers_open>
                <summary>"Live numbers"</summary>
                <Readouts />
                <DataTierReadouts />
            </details>
        </Region>
    }
}
