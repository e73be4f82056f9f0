//! The Chaos experiments panel: pick one of the scenario's experiments or a Simian Army
//! preset, run it, abort it, and watch its steady-state bounds against what they
//! measure (a meter per bound) and the verdict (docs/models.md#chaos-experiments). Run
//! and Abort each send one action at the current time (`run_experiment`,
//! `abort_experiment`), in the timeline and the link.

use leptos::prelude::*;

use crate::model::actions::run_experiment_action;
use crate::sim_loop::{use_commands, use_frames};
use scalesim::sim::inputs::Action;

/// The Chaos experiments fieldset (nothing when the scenario has no zone to aim at).
#[component]
pub fn ExperimentPanel() -> impl IntoView {
    let frames = use_frames();
    let commands = use_commands();
    let panel = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .map(|f| f.experiments.clone())
                .unwrap_or_default()
        })
    });
    let picked = RwSignal::new(String::new());
    let name = move || {
        let p = picked.get();
        panel.with(|x| {
            if x.available.iter().any(|(n, _)| *n == p) {
                p
            } else {
                x.available
                    .first()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default()
            }
        })
    };
    let running = Memo::new(move |_| panel.with(|x| x.current.as_ref().is_some_and(|c| c.running)));
    let current = Memo::new(move |_| panel.with(|x| x.current.clone()));
    move || {
        panel.with(|x| !x.available.is_empty()).then(|| {
            view! {
                <fieldset class="experiments">
                    <legend>"Chaos experiments"</legend>
                    <p class="note">
                        "An experiment checks the steady state first, then injects its faults; its abort conditions stop it and roll it back."
                    </p>
                    <label>
                        "Experiment "
                        <select
                            prop:value=name
                            on:change=move |ev| picked.set(event_target_value(&ev))
                        >
                            {move || panel.with(|x| x.available.clone()).into_iter().map(|(n, title)| {
                                view! { <option value=n>{title}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button
                        type="button"
                        prop:disabled=move || running.get()
                        on:click=move |_| commands.act(run_experiment_action(&name()))
                    >
                        "Run experiment"
                    </button>
                    <button
                        type="button"
                        class="abort"
                        prop:disabled=move || !running.get()
                        on:click=move |_| commands.act(Action::AbortExperiment)
                    >
                        "Abort"
                    </button>
                    {move || current.get().map(|c| view! {
                        <div class="experiment-status" aria-live="polite">
                            <p class="hypothesis"><b>{c.title.clone()}</b>": "{c.hypothesis.clone()}</p>
                            <p class="note">{c.phase.clone()}</p>
                            <table class="bounds">
                                <thead><tr><th>"Steady state"</th><th>"Worst"</th><th></th></tr></thead>
                                <tbody>
                                    {c.rows.iter().map(|r| {
                                        let (v, lo, hi) = r.meter;
                                        let (min, max) = meter_span(v, lo, hi);
                                        view! {
                                            <tr class:broken=!r.held>
                                                <td>{r.bound.clone()}</td>
                                                <td>{r.worst.clone()}</td>
                                                <td>
                                                    <meter
                                                        min=min
                                                        max=max
                                                        low=if lo.is_finite() { lo } else { min }
                                                        high=if hi.is_finite() { hi } else { max }
                                                        optimum=optimum(lo, hi, min, max)
                                                        value=if v.is_finite() { v.clamp(min, max) } else { min }
                                                    ></meter>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(!c.abort.is_empty()).then(|| view! { <p class="experiment-abort">{c.abort.clone()}</p> })}
                            {(!c.verdict.is_empty()).then(|| view! {
                                <p class=format!("verdict verdict-{}", c.verdict_class)>{format!("Verdict: {}", c.verdict)}</p>
                            })}
                            <p class="note">{c.budget.clone()}</p>
                        </div>
                    })}
                </fieldset>
            }
        })
    }
}

/// The meter's scale for a value `v` against the band `[lo, hi]`: from 0 (or the band's
/// low end) to twice the highest end, so the band sits in the middle and a value far
/// outside it pins the end.
fn meter_span(v: f64, lo: f64, hi: f64) -> (f64, f64) {
    let top = [hi, lo, v]
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0f64, f64::max);
    let min = if lo.is_finite() && lo < 0.0 { lo } else { 0.0 };
    (min, (2.0 * top).max(min + 1.0))
}

/// Where the meter is best: inside the band.
fn optimum(lo: f64, hi: f64, min: f64, max: f64) -> f64 {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => 0.5 * (lo + hi),
        (false, true) => min,
        (true, false) => max,
        (false, false) => min,
    }
}
