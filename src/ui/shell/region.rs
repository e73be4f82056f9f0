//! A named layout region: a `<section>` labelled by its heading, so assistive
//! technology (and tests) can find it by role and name.

use leptos::prelude::*;

/// A layout region with a visible heading. `id` names the grid area and the
/// element id; `title` is the heading and the region's accessible name.
#[component]
pub fn Region(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section id=id class=format!("region region-{id}") aria-labelledby=labelled_by>
            <h2 id=heading_id>{title}</h2>
            {children()}
        </section>
    }
}
