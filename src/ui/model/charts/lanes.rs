//! Which state lanes a chart draws under its plot ([`Place::Lane`]): a breaker's lane
//! shows when the scenario gives its edge a breaker, or once its state was ever not
//! closed (a learner turned one on and it opened), so a chart never carries an empty
//! lane for an edge without a breaker.

use scalesim::figures::{Place, BREAKER_LANES};
use scalesim::sim::protection::CallEdge;

use super::{ChartSpec, Line};
use crate::model::sim_loop::ChartData;

/// Height of one lane on the page [px].
pub const LANE_PX: u32 = 14;

/// The lanes of `spec` a frame with `chart` draws, in the spec's order, given the
/// edges whose breaker the scenario sets (`breaker_edges`).
pub fn shown_lanes(spec: &ChartSpec, chart: &ChartData, breaker_edges: &[CallEdge]) -> Vec<Line> {
    spec.lines
        .iter()
        .filter(|l| l.place == Place::Lane)
        .filter(|l| {
            let edge = BREAKER_LANES
                .iter()
                .find(|(s, _)| *s == l.series)
                .map(|(_, e)| *e);
            edge.is_some_and(|e| breaker_edges.contains(&e))
                || chart
                    .col(l.series)
                    .is_some_and(|c| c.iter().any(|v| *v > 0.0))
        })
        .copied()
        .collect()
}
