//! The page's live charts: the shared catalogue's page view of each
//! ([`Chart::page`]: title, unit, the series it draws), against which
//! reference, and what it needs from the world. A chart draws only when the
//! world holds what it plots ([`gate`]): a scenario with no Kafka topic shows
//! the queue chart's empty state, naming a built-in scenario that has one,
//! instead of a flat zero line.

use scalesim::figures::Chart;
pub use scalesim::figures::PageLine as Line;
use scalesim::sim::snapshot::Snapshot;

/// The part of the world a chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Every world has it (traffic, pods, cost…).
    Nothing,
    /// A Kafka topic with a consumer group.
    Kafka,
    /// A database.
    Database,
    /// A replicated store with a consistency mode per data class.
    Consistency,
    /// Clients that retry or have a circuit breaker (`[retry.client]`, `[breaker.client]`).
    Retries,
    /// A rate limit, load shedding, or retries or a breaker on a dependency edge.
    Protection,
    /// A rate limit or load shedding (now or earlier in the run).
    Refusals,
}

impl Need {
    /// True when `snap`'s world holds it.
    pub fn held_by(self, snap: &Snapshot) -> bool {
        match self {
            Need::Nothing => true,
            Need::Kafka => snap.tiers.kafka.is_some(),
            Need::Database => snap.tiers.database.is_some(),
            Need::Consistency => snap.tiers.consistency.is_some(),
            Need::Retries => snap.client_retries.is_some() || snap.client_breaker.is_some(),
            Need::Protection => snap.protection,
            Need::Refusals => snap.refusing,
        }
    }

    /// How a learner turns it on in [`Self::example_scenario`], when that scenario does
    /// not have it from the start.
    pub fn turned_on_by(self) -> Option<&'static str> {
        match self {
            Need::Refusals => Some(
                "turn on \u{201c}Load shedding by priority\u{201d} under Actions, Degraded mode",
            ),
            Need::Nothing
            | Need::Kafka
            | Need::Database
            | Need::Consistency
            | Need::Retries
            | Need::Protection => None,
        }
    }

    /// A built-in scenario whose world holds it (or where a learner can turn it on:
    /// [`Self::turned_on_by`]).
    pub fn example_scenario(self) -> &'static str {
        match self {
            Need::Nothing => "reference",
            Need::Kafka => "kafka-burst",
            Need::Database => "reference",
            Need::Consistency => "consistency-tradeoff",
            Need::Retries => "retry-storm",
            Need::Protection => "retry-amplification",
            Need::Refusals => "flash-sale",
        }
    }
}

/// Whether a chart draws, or shows an empty state saying why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartGate {
    /// The world holds what the chart plots: draw it.
    Draw,
    /// It does not: show these words instead of a flat zero line.
    Empty(String),
}

/// Whether `spec` draws for the world of `snap` (scenario `scenario`), or the
/// words of its empty state. Before the first snapshot, only the charts that
/// need nothing special draw.
pub fn gate(spec: &ChartSpec, snap: Option<&Snapshot>, scenario: &str) -> ChartGate {
    gate_held(spec, snap.map(|s| spec.need.held_by(s)), scenario)
}

/// [`gate`] from whether the world holds what `spec` needs (`None`: no
/// snapshot yet), so a page can compare that flag each frame without
/// building the words.
pub fn gate_held(spec: &ChartSpec, held: Option<bool>, scenario: &str) -> ChartGate {
    match held {
        Some(true) => ChartGate::Draw,
        None if spec.need == Need::Nothing => ChartGate::Draw,
        _ => {
            let who = if scenario.is_empty() {
                "This scenario".to_string()
            } else {
                format!("The scenario {scenario}")
            };
            let example = spec.need.example_scenario();
            ChartGate::Empty(match spec.need.turned_on_by() {
                Some(how) if scenario == example => {
                    format!("No data: {who} has no {} yet: {how} to see this chart.", spec.needs)
                }
                Some(_) | None => format!(
                    "No data: {who} has no {}. Pick the built-in scenario {example} to see this chart.",
                    spec.needs
                ),
            })
        }
    }
}

/// A horizontal reference line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// None.
    None,
    /// The HPA's CPU target.
    CpuTarget,
    /// The latency SLO threshold.
    LatencySlo,
    /// The burn-rate alert thresholds.
    BurnThresholds,
    /// 100 % (a budget).
    Full,
}

/// A chart as the page draws it.
#[derive(Clone, Copy, Debug)]
pub struct ChartSpec {
    /// Which chart of the catalogue.
    pub chart: Chart,
    /// Element id of its canvas.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Unit of the y axis.
    pub unit: &'static str,
    /// Lines.
    pub lines: &'static [Line],
    /// Reference line.
    pub reference: Reference,
    /// Marks the HPA's decisions.
    pub hpa_marks: bool,
    /// What the world needs for this chart, in words ("Kafka topic with consumers").
    pub needs: &'static str,
    /// What the world needs for this chart.
    pub need: Need,
    /// Shown in the compact (embed) layout.
    pub key: bool,
    /// Its lines are the request classes' refusals ([`Chart::Refusals`]), not `lines`.
    pub by_class: bool,
}

impl ChartSpec {
    /// True when some line is drawn against the secondary (right) y axis.
    pub fn dual_axis(&self) -> bool {
        self.lines
            .iter()
            .any(|l| l.place == scalesim::figures::Place::Right)
    }
}

/// The page's part of `chart`: its canvas, reference line and what the world
/// needs for it; title, unit and lines come from the catalogue. Evaluated at
/// compile time, so a chart in [`Chart::PAGE`] without a page view does not build.
const fn spec(chart: Chart) -> ChartSpec {
    let Some(view) = chart.page() else {
        panic!("a chart of the page has no page view");
    };
    // (id, reference, hpa_marks, needs, need, key)
    let (id, reference, hpa_marks, needs, need, key) = match chart {
        Chart::Traffic => (
            "chart-traffic",
            Reference::None,
            false,
            "",
            Need::Nothing,
            true,
        ),
        Chart::Replicas => (
            "chart-replicas",
            Reference::None,
            true,
            "",
            Need::Nothing,
            true,
        ),
        Chart::Cpu => (
            "chart-cpu",
            Reference::CpuTarget,
            false,
            "",
            Need::Nothing,
            false,
        ),
        Chart::Latency => (
            "chart-latency",
            Reference::LatencySlo,
            false,
            "",
            Need::Nothing,
            true,
        ),
        Chart::Queue => (
            "chart-queue",
            Reference::None,
            false,
            "Kafka topic with consumers",
            Need::Kafka,
            false,
        ),
        Chart::Database => (
            "chart-database",
            Reference::None,
            false,
            "database",
            Need::Database,
            false,
        ),
        Chart::Consistency => (
            "chart-consistency",
            Reference::None,
            false,
            "replicated data store with a consistency mode",
            Need::Consistency,
            false,
        ),
        Chart::Budget => (
            "chart-budget",
            Reference::Full,
            false,
            "",
            Need::Nothing,
            false,
        ),
        Chart::Burn => (
            "chart-burn",
            Reference::BurnThresholds,
            false,
            "",
            Need::Nothing,
            false,
        ),
        Chart::Cost => (
            "chart-cost",
            Reference::None,
            false,
            "",
            Need::Nothing,
            false,
        ),
        Chart::Retries => (
            "chart-retries",
            Reference::None,
            false,
            "clients that retry or break the circuit",
            Need::Retries,
            false,
        ),
        Chart::Protection => (
            "chart-protection",
            Reference::None,
            false,
            "a rate limit, load shedding, or retries or a breaker on the pods' calls",
            Need::Protection,
            false,
        ),
        Chart::Refusals => (
            "chart-refusals",
            Reference::None,
            false,
            "rate limit or load shedding on",
            Need::Refusals,
            false,
        ),
        Chart::HitRatio => panic!("the page draws no hit-ratio chart"),
    };
    ChartSpec {
        chart,
        id,
        title: view.title,
        unit: view.unit,
        lines: view.lines,
        reference,
        hpa_marks,
        needs,
        need,
        key,
        by_class: matches!(chart, Chart::Refusals),
    }
}

/// Every live chart, in display order ([`Chart::PAGE`]).
pub const CHARTS: [ChartSpec; Chart::PAGE.len()] = {
    let mut out = [spec(Chart::PAGE[0]); Chart::PAGE.len()];
    let mut i = 1;
    while i < out.len() {
        out[i] = spec(Chart::PAGE[i]);
        i += 1;
    }
    out
};
