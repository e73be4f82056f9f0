//! Layer: badges where requests fail, saying why: timeout, queue full, dead
//! pod not yet detected, no capacity, application errors.

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
    /// The reason.
    pub text: String,
}

/// Failure badges.
#[component]
pub fn LayerBadges(sim: SimLoop, layout: Memo<Layout>) -> impl IntoView {
    let badges = move || {
        sim.frame.with(|f| {
            let Some(f) = f else { return Vec::new() };
            let mut out: Vec<Badge> = Vec::new();
            layout.with(|l| {
                // Per zone: dead pods the LB still sends to, and pods no node has room for.
                for (zi, zr) in &l.zones {
                    let mut y = zr.y + zr.h - 16.0;
                    let undetected = f
                        .snap
                        .pods
                        .iter()
                        .filter(|p| p.zone == *zi && p.state == PodState::Dead && p.in_rotation)
                        .count();
                    if undetected > 0 {
                        out.push(Badge {
                            x: zr.x + 4.0,
                            y,
                            text: format!("\u{26a0} {undetected} dead pod(s) not yet detected"),
                        });
                        y -= 16.0;
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
                            text: format!("\u{26a0} no capacity: {pending} pod(s) pending"),
                        });
                    }
                }
                // At the load balancer: what failed over the last frame, by reason.
                if let Some(lb) = l.service("lb") {
                    let fr = &f.failures;
                    let reasons = [
                        (fr.timed_out_rps, "timeout"),
                        (fr.queue_full_rps, "queue full"),
                        (fr.refused_rps, "no pod to take it"),
                        (fr.app_error_rps, "application errors"),
                        (fr.lost_rps, "lost with dying pods"),
                    ];
                    let mut y = lb.y;
                    for (rps, why) in reasons {
                        if rps >= 0.5 {
                            out.push(Badge {
                                x: lb.x + lb.w + 8.0,
                                y,
                                text: format!("\u{2716} {why}: {} req/s", grouped(rps)),
                            });
                            y += 16.0;
                        }
                    }
                }
            });
            out.into_iter()
                .map(|b| {
                    let w = 6.2 * b.text.chars().count() as f64 + 8.0;
                    view! {
                        <g class="badge">
                            <rect x=b.x y=b.y width=w height="14" rx="7" />
                            <text x=b.x + 4.0 y=b.y + 10.5>{b.text}</text>
                        </g>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! { <g class="layer-badges" aria-hidden="true">{badges}</g> }
}
