//! How fast the engine runs in this browser: the benchmark's reference day
//! (`cargo bench --bench engine` runs the same one natively).

use leptos::prelude::*;

use crate::model::format::grouped;
use crate::run::fetch_scenario;
use scalesim::scenario::Scenario;
use scalesim::sim::{run_until, World};

/// Runs `scenario`'s whole duration once (the reference scenario: 24 h);
/// returns simulated seconds per wall second. `now_ms` is the clock
/// (performance.now in the browser).
pub fn reference_day_speed(scenario: &Scenario, now_ms: impl Fn() -> f64) -> Result<f64, String> {
    let mut w = World::new(scenario, scenario.run.seed).map_err(|e| e.to_string())?;
    let start = now_ms();
    run_until(&mut w, scenario.run.duration_s);
    let wall_s = ((now_ms() - start) / 1000.0).max(1e-6);
    Ok(w.now_s / wall_s)
}

/// A button that measures the engine's speed here (fetching the reference
/// scenario first if the page has not loaded it).
#[component]
pub fn EngineSpeed() -> impl IntoView {
    let result = RwSignal::new(String::new());
    let measure = move |_| {
        leptos::task::spawn_local(async move {
            let speed = match fetch_scenario("reference").await {
                Ok(scenario) => {
                    let perf = window().performance();
                    let now = move || perf.as_ref().map_or(0.0, |p| p.now());
                    reference_day_speed(&scenario, now)
                }
                Err(e) => Err(e),
            };
            result.set(match speed {
                Ok(v) => format!("{} simulated seconds per wall second", grouped(v)),
                Err(e) => e,
            });
        });
    };
    view! {
        <details class="engine-speed">
            <summary>"Engine speed on this device"</summary>
            <p class="note">"Simulates the benchmark's reference day (24 h, 3 zones, 1 s ticks) once."</p>
            <button on:click=measure>"Measure engine speed"</button>
            <output id="engine-speed" aria-live="polite">{move || result.get()}</output>
        </details>
    }
}
