//! What the loop publishes to the UI: a snapshot and what the panels derive
//! from it. Plain data: the UI never reaches into the models.

use std::sync::Arc;

use super::{Annotations, ChartData};
use scalesim::scenario::Scenario;
use scalesim::sim::protection::CallEdge;
use scalesim::sim::slo::tracker::BurnAlertRule;
use scalesim::sim::snapshot::{ClassRefusals, EdgeView, Snapshot};

/// Reference lines the charts draw, from the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targets {
    /// The HPA's CPU target [%].
    pub cpu_target_pct: Option<f64>,
    /// The latency SLO threshold [ms].
    pub latency_slo_ms: Option<f64>,
    /// Availability target [fraction], when SLOs are tracked.
    pub availability_target: Option<f64>,
    /// SLO window [days].
    pub slo_window_days: f64,
    /// Burn-rate alert thresholds, with their windows ("page 14.4× 1h/5m").
    pub burn_thresholds: Vec<(f64, String)>,
    /// Run length [s].
    pub end_s: f64,
    /// Tick [s].
    pub tick_s: f64,
    /// CPU request of an app pod [millicores].
    pub cpu_request_m: f64,
    /// The call edges the scenario gives a retry policy or a circuit breaker
    /// (`[retry.<edge>]`, `[breaker.<edge>]`), clients first: a retry fieldset shows
    /// for each.
    pub retry_edges: Vec<CallEdge>,
    /// The call edges the scenario gives a circuit breaker (`[breaker.<edge>]`): their
    /// charts draw the breaker's state lane.
    pub breaker_edges: Vec<CallEdge>,
}

impl Targets {
    /// The targets of `s`.
    pub fn of(s: &Scenario) -> Targets {
        let slo_on = s.slo.enabled;
        Targets {
            cpu_target_pct: (crate::model::run::Knob::HpaCpuTarget.def().read)(s),
            latency_slo_ms: slo_on.then_some(s.slo.latency_threshold_ms),
            availability_target: slo_on.then_some(s.slo.availability_target),
            slo_window_days: s.slo.window_days,
            burn_thresholds: if slo_on {
                BurnAlertRule::workbook_table_5_8()
                    .iter()
                    .map(|r| (r.burn_rate, scalesim::sim::control::slo_loop::rule_name(r)))
                    .collect()
            } else {
                Vec::new()
            },
            end_s: s.run.duration_s,
            tick_s: s.run.tick_s,
            cpu_request_m: s.topology.pod.cpu_request_m as f64,
            retry_edges: edges_where(s, |s, e| {
                s.retry.get(e).is_some() || s.breaker.get(e).is_some()
            }),
            breaker_edges: edges_where(s, |s, e| s.breaker.get(e).is_some()),
        }
    }
}

/// The call edges of `s` for which `has` holds, clients first: clients, database,
/// external dependency, consumers, cache.
fn edges_where(s: &Scenario, has: fn(&Scenario, CallEdge) -> bool) -> Vec<CallEdge> {
    [
        CallEdge::Client,
        CallEdge::Database,
        CallEdge::External,
        CallEdge::Consumer,
        CallEdge::Cache,
    ]
    .into_iter()
    .filter(|e| has(s, *e))
    .collect()
}

/// One published frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Which world this is: a new number each time a run is loaded (another
    /// scenario, seed or knob), the same while it plays or is scrubbed. Keyed
    /// views include it, so nothing drawn for one world survives into the next.
    pub world: u64,
    /// Publication number (charts redraw on a third of them each).
    pub seq: u64,
    /// The loop is playing (charts may stagger their redraws).
    pub live: bool,
    /// The world's snapshot.
    pub snap: Snapshot,
    /// What the rate limit and load shedding refused per class this tick
    /// ([`class_refusals`](scalesim::sim::snapshot::class_refusals)); empty without either.
    pub refusals: Vec<ClassRefusals>,
    /// The feature flags and load shedding as switches.
    pub degraded: crate::model::actions::DegradedMode,
    /// The versions and the release under way.
    pub release: crate::model::actions::Release,
    /// The chaos experiments and the one under way.
    pub experiments: crate::model::actions::Experiments,
    /// Its dependency edges' retries and breakers ([`edge_views`](scalesim::sim::snapshot::edge_views)).
    pub edges: Vec<EdgeView>,
    /// Thinned series for the charts.
    pub chart: Arc<ChartData>,
    /// Chart bands and markers.
    pub annotations: Arc<Annotations>,
    /// Reference lines and run facts.
    pub targets: Arc<Targets>,
    /// Region names, in world order.
    pub regions: Vec<String>,
}
