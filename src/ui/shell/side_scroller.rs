//! A box that scrolls sideways and shows that it does: a fade on the edge
//! with more to see, and a short hint under it that goes once the learner has
//! scrolled to the end. Where everything fits, neither shows.

use leptos::html::Div;
use leptos::prelude::*;

/// The scroll box. `class` goes on the scrolling element; `hint` is the line
/// under it ("Scroll sideways for more zones").
#[component]
pub fn SideScroller(class: &'static str, hint: &'static str, children: Children) -> impl IntoView {
    let el = NodeRef::<Div>::new();
    // Pixels hidden past the left and the right edge (0 where none).
    let hidden_left = RwSignal::new(0);
    let hidden_right = RwSignal::new(0);
    let measure = move || {
        if let Some(d) = el.get_untracked() {
            let left = d.scroll_left();
            let right = d.scroll_width() - d.client_width() - left;
            // Sub-pixel widths leave a pixel of slack at either end.
            hidden_left.set(if left > 1 { left } else { 0 });
            hidden_right.set(if right > 1 { right } else { 0 });
        }
    };
    // Effect: measure once the box is in the page (its width comes from the
    // style sheet and the frame), then after every window resize.
    Effect::new(move |_| {
        if el.get().is_some() {
            request_animation_frame(measure);
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let more_left = move || hidden_left.get() > 0;
    let more_right = move || hidden_right.get() > 0;
    view! {
        <div
            class="side-scroller"
            class:more-left=more_left
            class:more-right=more_right
        >
            <div class=class node_ref=el on:scroll=move |_| measure()>
                {children()}
            </div>
            <p
                class="scroll-hint"
                class:hidden=move || !(more_left() || more_right())
                class:done=move || !more_right()
                aria-hidden="true"
            >
                {hint}" \u{2192}"
            </p>
        </div>
    }
}
