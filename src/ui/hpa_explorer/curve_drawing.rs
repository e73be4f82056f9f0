//! Draw a load curve: click (or tap) the plot to set the demand from that time
//! on; the HPA's replica count is drawn over it.

use leptos::prelude::*;

use super::{set_step, to_csv, ExplorerRun};

const W: f64 = 560.0;
const H: f64 = 180.0;
const PAD: f64 = 30.0;

/// An SVG plot of demand (steps) and replicas; clicks edit the curve.
#[component]
pub fn CurveDrawing(
    run: Memo<Result<ExplorerRun, String>>,
    csv: RwSignal<String>,
) -> impl IntoView {
    let scales = move || {
        run.with(|r| {
            let r = r.as_ref().ok()?;
            let t_max = r.rows.last().map_or(600.0, |x| x.t_s).max(60.0);
            let d_max = r.steps.iter().map(|s| s.1).max().unwrap_or(1000).max(1000) as f64 * 1.2;
            let p_max = r
                .rows
                .iter()
                .map(|x| x.replicas_after)
                .max()
                .unwrap_or(1)
                .max(1) as f64
                * 1.2;
            Some((t_max, d_max, p_max))
        })
    };
    let paths = move || {
        let (t_max, d_max, p_max) = scales()?;
        run.with(|r| {
            let r = r.as_ref().ok()?;
            let x = |t: f64| PAD + t / t_max * (W - 2.0 * PAD);
            let mut demand = String::new();
            let mut prev = 0.0;
            for (t, d) in &r.steps {
                let y = H - PAD - *d as f64 / d_max * (H - 2.0 * PAD);
                if demand.is_empty() {
                    demand.push_str(&format!("M{:.1},{:.1}", x(*t), H - PAD));
                }
                demand.push_str(&format!(" L{:.1},{prev:.1} L{:.1},{y:.1}", x(*t), x(*t)));
                prev = y;
            }
            demand.push_str(&format!(" L{:.1},{prev:.1}", x(t_max)));
            let mut pods = String::new();
            for row in &r.rows {
                let y = H - PAD - row.replicas_after as f64 / p_max * (H - 2.0 * PAD);
                pods.push_str(&format!(
                    "{}{:.1},{y:.1} ",
                    if pods.is_empty() { "M" } else { "L" },
                    x(row.t_s)
                ));
            }
            Some((demand, pods, t_max, d_max, p_max))
        })
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((t_max, d_max, _)) = scales() else {
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
        let t = ((sx - PAD) / (W - 2.0 * PAD) * t_max).max(0.0);
        let t = (t / 15.0).round() * 15.0;
        let d = ((H - PAD - sy) / (H - 2.0 * PAD) * d_max).max(0.0);
        let d = ((d / 100.0).round() * 100.0) as i64;
        let steps = run.with_untracked(|r| r.as_ref().map(|r| r.steps.clone()).unwrap_or_default());
        csv.set(to_csv(&set_step(&steps, t, d)));
    };
    view! {
        <svg
            class="curve-drawing"
            viewBox=format!("0 0 {W} {H}")
            role="img"
            aria-label="Load curve (CPU demand, steps) and the HPA's replicas; click to set the demand from that time on"
            on:click=on_click
        >
            <rect class="plot-bg" x=PAD y=PAD / 2.0 width=W - 2.0 * PAD height=H - 1.5 * PAD />
            {move || paths().map(|(demand, pods, t_max, d_max, p_max)| view! {
                <path class="demand" d=demand />
                <path class="replicas" d=pods />
                <text x=PAD y=12>{format!("demand (steps, up to {:.0} m)", d_max / 1.2)}</text>
                <text x=W - PAD y=12 text-anchor="end">{format!("replicas (line, up to {:.0})", p_max / 1.2)}</text>
                <text x=W - PAD y=H - 8.0 text-anchor="end">{format!("{:.0} s", t_max)}</text>
                <text x=PAD y=H - 8.0>"0 s"</text>
            })}
        </svg>
    }
}
