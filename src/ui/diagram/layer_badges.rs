//! Layer: badges where requests fail, saying why: per zone, the engine's
//! reasons (timeout, queue full, dead pod not yet detected, no capacity,
//! data-tier failures…) over the last tick, biggest first; at the load
//! balancer, the total.

use leptos::prelude::*;

use super::Layout;
use crate::sim::topology::PodState;
use crate::ui::format::grouped;
use crate::ui::sim_loop::SimLoop;

/// A failure badge: where and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    /// Anchor (top-left) in SVG units.
    pub x: f64,
    /// [SVG units]
    pub y: f64,
    /// The headline ("✖ 159 req/s").
    pub text: String,
    /// The reason, on a second line when not empty.
    pub detail: &'static str,
}

/// Failure badges.
#[component]
pub fn LayerBadges(sim: SimLoop, layout: Memo<Layout>) -> impl IntoView {
    let badges = move || {
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            let mut out: Vec<Badge> = Vec::new();
            layout.with(|l| {
                // Per zone: why its requests fail (the engine's reasons, per zone),
                // and pods no node has room for.
                for (zi, zr) in &l.zones {
                    let mut y = zr.y + zr.h - 28.0;
                    if let Some(zone) = f.snap.zones.get(usize::from(*zi)) {
                        let mut reasons = zone.failures_rps.labelled();
                        reasons.sort_by(|a, b| b.1.total_cmp(&a.1));
                        for (why, rps) in reasons.into_iter().filter(|r| r.1 >= 0.5).take(2) {
                            out.push(Badge {
                                x: zr.x + 4.0,
                                y,
                                text: format!("\u{2716} {} req/s failing:", grouped(rps)),
                                detail: why,
                            });
                            y -= 30.0;
                        }
                    }
                    let pending = f
                        .snap
                        .pods
                        .iter()
                        .filter(|p| p.zone == *zi && !p.pause && p.state == PodState::Pending)
                        .count();
                    if pending > 0 {
                        out.push(Badge {
                            x: zr.x + 4.0,
                            y,
                            text: format!("\u{26a0} no room: {pending} pod(s) pending"),
                            detail: "",
                        });
                    }
                }
                // At the load balancer: everything failing over the last tick.
                if let Some(lb) = l.service("lb") {
                    let total: f64 = f.snap.zones.iter().map(|z| z.failures_rps.total()).sum();
                    if total >= 0.5 {
                        out.push(Badge {
                            x: lb.x + lb.w + 8.0,
                            y: lb.y,
                            text: format!("\u{2716} {} req/s failing", grouped(total)),
                            detail: "",
                        });
                    }
                }
            });
            out.into_iter()
                .map(|b| {
                    let chars = b.text.chars().count().max(b.detail.chars().count());
                    let w = 5.4 * chars as f64 + 8.0;
                    let h = if b.detail.is_empty() { 14.0 } else { 26.0 };
                    view! {
                        <g class="badge">
                            <rect x=b.x y=b.y width=w height=h rx="7" />
                            <text x=b.x + 4.0 y=b.y + 10.5>{b.text}</text>
                            {(!b.detail.is_empty()).then(|| view! {
                                <text x=b.x + 4.0 y=b.y + 22.5>{b.detail}</text>
                            })}
                        </g>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <g class="layer-badges" aria-hidden="true">{badges}</g> }
}
