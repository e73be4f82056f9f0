//! The multiwindow burn-rate alerts as a table: for each alert rule, the burn
//! rate over its long and short windows against the threshold both must exceed,
//! and whether it fires (SRE Workbook Table 5-8).

use leptos::prelude::*;

use crate::sim_loop::SimLoop;
use scalesim::sim::snapshot::BurnAlertView;

/// An alert window in words: "5 min", "1 h", "3 d" [s].
pub fn window_words(s: f64) -> String {
    if s >= 86_400.0 && s % 86_400.0 == 0.0 {
        format!("{} d", s / 86_400.0)
    } else if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s >= 60.0 {
        format!("{} min", (s / 60.0).round())
    } else {
        format!("{s:.0} s")
    }
}

/// A burn rate with its unit: "0.00×", "3.20×", "14.4×", "720×" [×].
pub fn burn_words(b: f64) -> String {
    if !b.is_finite() {
        "\u{221e}\u{d7}".into()
    } else if b < 10.0 {
        format!("{b:.2}\u{d7}")
    } else if b < 100.0 {
        format!("{b:.1}\u{d7}")
    } else {
        format!("{b:.0}\u{d7}")
    }
}

/// The cells of one alert row: (alert, long window, short window, threshold, state).
pub fn burn_row(a: &BurnAlertView) -> [String; 5] {
    let over = |b: f64| if b > a.threshold { " \u{2191}" } else { "" };
    [
        if a.page {
            "Page".into()
        } else {
            "Ticket".into()
        },
        format!(
            "{}: {}{}",
            window_words(a.long_window_s),
            burn_words(a.long_burn_rate),
            over(a.long_burn_rate)
        ),
        format!(
            "{}: {}{}",
            window_words(a.short_window_s),
            burn_words(a.short_burn_rate),
            over(a.short_burn_rate)
        ),
        format!("both above {}", burn_words(a.threshold)),
        if a.firing {
            "FIRING".into()
        } else {
            "quiet".into()
        },
    ]
}

/// The burn-rate table.
#[component]
pub fn BurnTable(sim: SimLoop) -> impl IntoView {
    // Memo: the rows are rebuilt only when the number of rules changes (a new
    // scenario); each cell is a live text.
    let rules = Memo::new(move |_| {
        sim.frame
            .with(|f| f.as_ref().map_or(0, |f| f.snap.burn_alerts.len()))
    });
    let cell = move |i: usize, k: usize| {
        move || {
            sim.frame.with(|f| {
                f.as_ref()
                    .and_then(|f| f.snap.burn_alerts.get(i))
                    .map(|a| burn_row(a)[k].clone())
                    .unwrap_or_default()
            })
        }
    };
    let firing = move |i: usize| {
        move || {
            sim.frame.with(|f| {
                f.as_ref()
                    .and_then(|f| f.snap.burn_alerts.get(i))
                    .is_some_and(|a| a.firing)
            })
        }
    };
    view! {
        {move || (rules.get() > 0).then(|| view! {
            <table class="burn-table">
                <caption>
                    "Burn rate over each alert window (1\u{d7} spends exactly the budget in the SLO period). "
                    "An alert fires when both its windows burn faster than its threshold."
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Alert"</th>
                        <th scope="col">"Long window"</th>
                        <th scope="col">"Short window"</th>
                        <th scope="col">"Threshold"</th>
                        <th scope="col">"State"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..rules.get())
                        .map(|i| view! {
                            <tr class:firing=firing(i)>
                                <th scope="row">{cell(i, 0)}</th>
                                <td>{cell(i, 1)}</td>
                                <td>{cell(i, 2)}</td>
                                <td>{cell(i, 3)}</td>
                                <td class="state">{cell(i, 4)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        })}
    }
}
