//! The explorer's plot, and where a load curve is drawn: click (or tap) the upper panel to set
//! the demand from that time on.
//!
//! ```text
//!   pods ┤ replicas (line)           demand (steps) ├ m CPU
//!        ┤──────────────────────────────────────────┤
//!  CPU % ┤ utilization per sync, - - target - -
//!        └ T+0:00 ── T+5:00 ── T+10:00 ── simulated time
//! ```

use leptos::prelude::*;

use crate::model::format::compact;
use crate::model::hpa_explorer::{set_cpu_step, ExplorerRun};
use scalesim::sim::events::{clock, time_ticks};

const W: f64 = 420.0;
const H: f64 = 290.0;
/// Plot area left and right edges.
const X0: f64 = 46.0;
const X1: f64 = W - 44.0;
/// Upper panel (pods and demand) top and bottom; its axis titles sit in the
/// 32 units above it, clear of the top tick labels.
const Y0: f64 = 32.0;
const Y1: f64 = 158.0;
/// Lower panel (CPU %) top and bottom; its title sits in the gap between the
/// panels, clear of both panels' tick labels (up to 14 px on phones).
const C0: f64 = 198.0;
const C1: f64 = 258.0;

/// Round ticks from 0 to at least `max` (1, 2 or 5 × 10ⁿ apart, about `n` of them) and the top.
fn value_ticks(max: f64, n: f64) -> (Vec<f64>, f64) {
    let raw = (max / n).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let top = (max / step).ceil().max(1.0) * step;
    let ticks = (0..=((top / step).round() as usize))
        .map(|i| i as f64 * step)
        .collect();
    (ticks, top)
}

/// Grid lines and left-hand labels at `values`, placed at height `y(value)`.
fn left_ticks(values: &[f64], y: impl Fn(f64) -> f64) -> impl IntoView {
    values
        .iter()
        .map(|v| {
            let y = y(*v);
            view! {
                <line class="hpa-grid" x1=X0 x2=X1 y1=y y2=y />
                <text class="hpa-tick" x=X0 - 4.0 y=y + 3.5 text-anchor="end">{compact(*v)}</text>
            }
        })
        .collect_view()
}

/// The scales of one run: time, pods, demand and CPU axes.
#[derive(Clone, Debug, PartialEq)]
struct Scales {
    t_max: f64,
    pods: (Vec<f64>, f64),
    demand: (Vec<f64>, f64),
    cpu: (Vec<f64>, f64),
}

impl Scales {
    fn of(r: &ExplorerRun) -> Self {
        let t_max = r.rows.last().map_or(600.0, |x| x.t_s).max(60.0);
        let pods_max = r.rows.iter().map(|x| x.replicas_after).max().unwrap_or(1);
        let demand_max = r.steps.iter().map(|s| s.1).max().unwrap_or(1000).max(1000);
        let cpu_max = r
            .rows
            .iter()
            .filter_map(|x| x.utilization_pct)
            .max()
            .unwrap_or(100)
            .max(i64::from(r.target_pct.unwrap_or(0)) * 13 / 10)
            .max(100);
        Scales {
            t_max,
            pods: value_ticks(f64::from(pods_max.max(1)) * 1.1, 4.0),
            demand: value_ticks(demand_max as f64 * 1.1, 4.0),
            cpu: value_ticks(cpu_max as f64, 2.0),
        }
    }
    fn x(&self, t: f64) -> f64 {
        X0 + t / self.t_max * (X1 - X0)
    }
    fn y_pods(&self, p: f64) -> f64 {
        Y1 - p / self.pods.1 * (Y1 - Y0)
    }
    fn y_demand(&self, d: f64) -> f64 {
        Y1 - d / self.demand.1 * (Y1 - Y0)
    }
    fn y_cpu(&self, c: f64) -> f64 {
        C1 - c.min(self.cpu.1) / self.cpu.1 * (C1 - C0)
    }
}

/// The paths of one run: demand steps, replicas, utilization.
fn paths(r: &ExplorerRun, s: &Scales) -> (String, String, String) {
    let mut demand = format!("M{X0:.1},{Y1:.1}");
    let mut prev = Y1;
    for (t, d) in &r.steps {
        let y = s.y_demand(*d as f64);
        demand.push_str(&format!(
            " L{:.1},{prev:.1} L{:.1},{y:.1}",
            s.x(*t),
            s.x(*t)
        ));
        prev = y;
    }
    demand.push_str(&format!(" L{X1:.1},{prev:.1}"));
    let mut pods = String::new();
    for row in &r.rows {
        let cmd = if pods.is_empty() { "M" } else { "L" };
        let y = s.y_pods(f64::from(row.replicas_after));
        pods.push_str(&format!("{cmd}{:.1},{y:.1} ", s.x(row.t_s)));
    }
    let mut cpu = String::new();
    for row in &r.rows {
        if let Some(u) = row.utilization_pct {
            let cmd = if cpu.is_empty() { "M" } else { "L" };
            cpu.push_str(&format!(
                "{cmd}{:.1},{:.1} ",
                s.x(row.t_s),
                s.y_cpu(u as f64)
            ));
        }
    }
    (demand, pods, cpu)
}

/// The plot of `run`; clicks in the upper panel edit `csv`.
#[component]
pub fn CurveDrawing(
    run: Memo<Result<ExplorerRun, String>>,
    csv: RwSignal<String>,
) -> impl IntoView {
    // Memo: the axes change only when the run does, and the click handler reads them too.
    let scales = Memo::new(move |_| run.with(|r| r.as_ref().ok().map(Scales::of)));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(s) = scales.get_untracked() else {
            return;
        };
        let Some(target) = ev.current_target() else {
            return;
        };
        use wasm_bindgen::JsCast;
        let el: web_sys::Element = target.unchecked_into();
        let rect = el.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let sx = (ev.client_x() as f64 - rect.left()) / rect.width() * W;
        let sy = (ev.client_y() as f64 - rect.top()) / rect.height() * H;
        if sy > Y1 + 6.0 {
            return; // the CPU panel is read-only
        }
        let t = ((sx - X0) / (X1 - X0) * s.t_max).clamp(0.0, s.t_max);
        let t = (t / 15.0).round() * 15.0;
        let d = ((Y1 - sy) / (Y1 - Y0) * s.demand.1).max(0.0);
        let d = ((d / 100.0).round() * 100.0) as i64;
        // The CPU column is edited; the other columns keep their values.
        if let Some(text) =
            run.with_untracked(|r| r.as_ref().ok().and_then(|r| set_cpu_step(&r.load, t, d)))
        {
            csv.set(text);
        }
    };
    let drawn = move || {
        let s = scales.get()?;
        run.with(|r| {
            let r = r.as_ref().ok()?;
            let (demand, pods, cpu) = paths(r, &s);
            let target = r.target_pct.map(|t| {
                let y = s.y_cpu(f64::from(t));
                view! {
                    <line class="hpa-target" x1=X0 x2=X1 y1=y y2=y />
                    <text class="hpa-tick" x=X1 - 2.0 y=y - 3.0 text-anchor="end">{format!("target {t} %")}</text>
                }
            });
            let time = time_ticks(s.t_max, 6)
                .into_iter()
                .map(|t| {
                    let x = s.x(t);
                    view! {
                        <line class="hpa-grid" x1=x x2=x y1=Y0 y2=C1 />
                        <text class="hpa-tick hpa-time-tick" x=x y=C1 + 13.0 text-anchor="middle">{clock(t)}</text>
                    }
                })
                .collect_view();
            let pods_ticks = left_ticks(&s.pods.0, |p| s.y_pods(p));
            let demand_ticks = s
                .demand
                .0
                .iter()
                .map(|d| {
                    view! {
                        <text class="hpa-tick" x=X1 + 4.0 y=s.y_demand(*d) + 3.5>{compact(*d)}</text>
                    }
                })
                .collect_view();
            let cpu_ticks = left_ticks(&s.cpu.0, |c| s.y_cpu(c));
            Some(view! {
                {time}
                {pods_ticks}
                {demand_ticks}
                {cpu_ticks}
                {target}
                <path class="hpa-demand" d=demand />
                <path class="hpa-replicas" d=pods />
                <path class="hpa-cpu-line" d=cpu />
            })
        })
    };
    view! {
        <svg
            class="hpa-plot"
            viewBox=format!("0 0 {W} {H}")
            role="img"
            aria-label="Replicas [pods] and CPU demand [millicores] over simulated time, and CPU utilization [%] against the target; click the upper panel to set the demand from that time on"
            on:click=on_click
        >
            <rect class="hpa-plot-bg" x=X0 y=Y0 width=X1 - X0 height=Y1 - Y0 />
            <rect class="hpa-plot-bg" x=X0 y=C0 width=X1 - X0 height=C1 - C0 />
            <text class="hpa-axis hpa-replicas-key" x=X0 - 40.0 y=Y0 - 16.0>"replicas [pods]"</text>
            <text class="hpa-axis hpa-demand-key" x=W - 2.0 y=Y0 - 16.0 text-anchor="end">"demand [m CPU]"</text>
            <text class="hpa-axis hpa-cpu-key" x=X0 - 40.0 y=Y1 + 24.0>"CPU utilization [%]"</text>
            <text class="hpa-axis" x=X1 y=H - 2.0 text-anchor="end">"simulated time"</text>
            {drawn}
        </svg>
    }
}
