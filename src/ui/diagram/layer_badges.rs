//! Layer: badges where requests fail, saying why. Each zone has one badge in
//! its own slot under the zone box (see [`Layout::badges`]): the failing rate,
//! then the biggest of the engine's reasons (timeout, queue full, dead pod not
//! yet detected, no capacity, data-tier failures…) over the last tick, with a
//! count of the others; the zone's inspector lists them all. Beside the load
//! balancer, the total. Badges cover no label and take no pointer events
//! (`.layer-badges` in the style sheet), so a click reaches what they annotate.

use leptos::prelude::*;

use crate::model::diagram::{reason_words, Layout, Rect, ServiceKind};
use crate::model::format::grouped;
use crate::model::sim_loop::Frame;
use crate::sim_loop::use_frames;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::topology::PodState;

/// Estimated width of one character of badge text [SVG units] (10-unit, semi-bold).
const CHAR_W: f64 = 5.6;
/// Estimated width of one character of the bold headline [SVG units].
const BOLD_CHAR_W: f64 = 6.3;
/// Inner padding of a badge, left and right [SVG units].
const PAD: f64 = 4.0;
/// Height of one line of badge text [SVG units].
const LINE_H: f64 = 12.0;

/// A failure badge: where and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    /// Anchor (top-left) in SVG units.
    pub x: f64,
    /// [SVG units]
    pub y: f64,
    /// Widest the badge may be [SVG units]: its slot's width.
    pub max_w: f64,
    /// The headline ("✖ 159 req/s failing").
    pub text: String,
    /// The biggest reason and how many more ("timeout +2 more"); empty for none.
    pub detail: String,
}

/// `text` cut to at most `max` characters, ending in "…" when cut.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let keep: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", keep.trim_end())
}

/// The badge of zone `index` placed in `slot`, if its requests fail or its pods wait.
fn zone_badge(f: &Frame, index: u16, slot: Rect) -> Option<Badge> {
    let snap = &f.snap;
    let max_chars = ((slot.w - 2.0 * PAD) / CHAR_W).floor().max(4.0) as usize;
    let zone = snap.zones.get(usize::from(index))?;
    let reasons: Vec<(FailureReason, f64)> = zone
        .failures_rps
        .labelled()
        .into_iter()
        .filter(|r| r.1 >= 0.5)
        .collect();
    // The biggest first; a tie goes to the reason listed first. (No sort: it is the
    // only one the badge names.)
    let top = reasons
        .iter()
        .fold(None::<&(FailureReason, f64)>, |best, r| match best {
            Some(b) if b.1 >= r.1 => Some(b),
            Some(_) | None => Some(r),
        });
    let place = |text: String, detail: String| Badge {
        x: slot.x,
        y: slot.y,
        max_w: slot.w,
        text: fit(&text, max_chars),
        detail,
    };
    if let Some((top, _)) = top {
        let total = zone.failures_rps.total();
        let more = match reasons.len() - 1 {
            0 => String::new(),
            n => format!(" +{n} more"),
        };
        let room = max_chars.saturating_sub(more.chars().count());
        let detail = format!("{}{more}", fit(&reason_words(*top, &f.refusals), room));
        return Some(place(
            format!("\u{2716} {} req/s failing", grouped(total)),
            detail,
        ));
    }
    let pending = snap
        .pods
        .iter()
        .filter(|p| p.zone == index && !p.pause && p.state == PodState::Pending)
        .count();
    (pending > 0).then(|| {
        let pods = if pending == 1 { "pod" } else { "pods" };
        place(
            format!("\u{26a0} {pending} {pods} pending"),
            "no node has room".into(),
        )
    })
}

/// Every badge of frame `f` on `layout`.
fn badges(f: &Frame, layout: &Layout) -> Vec<Badge> {
    let snap = &f.snap;
    let mut out: Vec<Badge> = layout
        .badges
        .iter()
        .filter_map(|(zi, slot)| zone_badge(f, *zi, *slot))
        .collect();
    // Beside the load balancer: everything failing over the last tick.
    if let Some(lb) = layout.service(ServiceKind::LoadBalancer) {
        let total: f64 = snap.zones.iter().map(|z| z.failures_rps.total()).sum();
        if total >= 0.5 {
            let x = lb.x + lb.w + 8.0;
            out.push(Badge {
                x,
                y: lb.y + (lb.h - LINE_H - 4.0) / 2.0,
                max_w: (layout.width - x).max(0.0),
                text: format!("\u{2716} {} req/s failing", grouped(total)),
                detail: String::new(),
            });
        }
    }
    out
}

/// Failure badges.
#[component]
pub fn LayerBadges(layout: Memo<Layout>) -> impl IntoView {
    let frames = use_frames();
    let drawn = move || {
        frames.with(|f| {
            let Some(f) = f else { return Vec::new() };
            layout
                .with(|l| badges(f, l))
                .into_iter()
                .map(|b| {
                    let chars = b.text.chars().count().max(b.detail.chars().count());
                    let headline = b.text.chars().count() as f64 * BOLD_CHAR_W;
                    let w = (CHAR_W * chars as f64 + 2.0 * PAD).min(b.max_w);
                    let lines = if b.detail.is_empty() { 1.0 } else { 2.0 };
                    let h = LINE_H * lines + 4.0;
                    view! {
                        <g class="badge">
                            <rect x=b.x y=b.y width=w height=h rx="6" />
                            // The bold headline runs wider than the estimate: squeezed to its box, never spilt.
                            <text
                                x=b.x + PAD
                                y=b.y + 11.5
                                textLength=(headline > w - 2.0 * PAD).then_some(w - 2.0 * PAD)
                                lengthAdjust="spacingAndGlyphs"
                            >
                                {b.text}
                            </text>
                            {(!b.detail.is_empty()).then(|| view! {
                                <text class="badge-detail" x=b.x + PAD y=b.y + 11.5 + LINE_H>{b.detail}</text>
                            })}
                        </g>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <g class="layer-badges" aria-hidden="true">{drawn}</g> }
}
