//! All live charts, stacked on one shared time axis (0 to now).

use leptos::prelude::*;

use super::LiveChart;
use crate::model::charts::CHARTS;

use crate::theme::Theme;

/// The live charts; `compact` keeps only the key ones (embed layout).
#[component]
pub fn ChartGrid(theme: Signal<Theme>, compact: bool) -> impl IntoView {
    view! {
        <div class="chart-grid">
            {CHARTS
                .iter()
                .filter(|c| !compact || c.key)
                .enumerate()
                .map(|(i, spec)| view! { <LiveChart spec=*spec theme=theme stagger=i as u64 /> })
                .collect_view()}
        </div>
    }
}
