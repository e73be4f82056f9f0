//! Probes: what a check measures in a run, over a window of simulated time.
//!
//! ```text
//!   each tick ──▶ Window::observe(t, row, totals) ──▶ (max, min, mean, final) of a series
//!                                                └──▶ totals at the window's two ends ─▶ their difference
//! ```
//!
//! A probe is either a recorded series with a statistic (`p99_ms` with `max`)
//! or a total over the window (`requests_failed`, `availability_pct`): the
//! names are [`Series::column`] and [`TOTALS`]. Totals are read from the engine's
//! own counters at the window's ends, so "errors between 12:00 and 12:04" is
//! exact, not a sum of rounded rates.

use serde::{Deserialize, Serialize};

use super::{Dimension, Quantity};
use crate::sim::series::{Series, SERIES_COUNT};
use crate::sim::world::World;

/// What to take of a series over the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    /// The highest tick value.
    #[default]
    Max,
    /// The lowest tick value.
    Min,
    /// The mean of the tick values.
    Mean,
    /// The value at the window's last tick.
    Final,
}

impl Stat {
    /// The word shown in a debrief ("peak").
    pub fn word(self) -> &'static str {
        match self {
            Stat::Max => "peak",
            Stat::Min => "lowest",
            Stat::Mean => "mean",
            Stat::Final => "final",
        }
    }
}

/// Totals over a window, read from the engine's counters at its two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Total {
    /// Requests that failed: refused, dropped, timed out, errored, lost [requests].
    RequestsFailed,
    /// Requests that arrived [requests].
    RequestsArrived,
    /// Served OK out of settled (served + failed) [%].
    AvailabilityPct,
    /// Served under the SLO's latency threshold, out of served [%].
    LatencyGoodPct,
    /// Error budget of the availability SLO spent in the window [% of the budget].
    BudgetUsedPct,
    /// Money spent [$].
    CostUsd,
    /// Writes lost (last-writer-wins, failover promotions, regional RPO) [writes].
    LostWrites,
    /// Conflicting versions of a key: a double-sold seat is one [keys].
    Conflicts,
    /// Reads that returned stale data [reads].
    StaleReads,
    /// Sessions lost with the pods that held them [sessions].
    SessionsLost,
    /// Requests that failed for a reason other than load shedding or a rate limit:
    /// what a class the shedder protects still sees (docs/models.md#load-shedding)
    /// [requests].
    RequestsFailedUnshed,
    /// Error budget the whole service spent on chaos experiments in the window: the
    /// blast radius's share of what the exposed traffic spent
    /// (docs/models.md#chaos-experiments) [% of the budget].
    ExperimentBudgetUsedPct,
}

/// Every [`Total`], in the order of [`TOTALS`].
pub const TOTAL_KINDS: [Total; 12] = [
    Total::RequestsFailed,
    Total::RequestsArrived,
    Total::AvailabilityPct,
    Total::LatencyGoodPct,
    Total::BudgetUsedPct,
    Total::CostUsd,
    Total::LostWrites,
    Total::Conflicts,
    Total::StaleReads,
    Total::SessionsLost,
    Total::RequestsFailedUnshed,
    Total::ExperimentBudgetUsedPct,
];

/// The names of the totals, as scenario files write them.
pub const TOTALS: [&str; 12] = [
    "requests_failed",
    "requests_arrived",
    "availability_pct",
    "latency_good_pct",
    "budget_used_pct",
    "cost_usd",
    "lost_writes",
    "conflicts",
    "stale_reads",
    "sessions_lost",
    "requests_failed_unshed",
    "experiment_budget_used_pct",
];

impl Total {
    /// Its unit, for a debrief ("requests", "%").
    pub fn unit(self) -> &'static str {
        match self {
            Total::RequestsFailed | Total::RequestsArrived | Total::RequestsFailedUnshed => {
                "requests"
            }
            Total::AvailabilityPct
            | Total::LatencyGoodPct
            | Total::BudgetUsedPct
            | Total::ExperimentBudgetUsedPct => "%",
            Total::CostUsd => "$",
            Total::LostWrites => "writes",
            Total::Conflicts => "keys",
            Total::StaleReads => "reads",
            Total::SessionsLost => "sessions",
        }
    }
}

/// A measurable quantity of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Probe {
    /// A recorded series and what to take of it.
    Series(Series, Stat),
    /// A total over the window.
    Total(Total),
}

impl Probe {
    /// Reads `name` (a series or a total) with `stat` (series only). Errors
    /// list the valid names.
    pub fn parse(name: &str, stat: Option<Stat>) -> Result<Probe, String> {
        if let Some(i) = TOTALS.iter().position(|n| *n == name) {
            if stat.is_some() {
                return Err(format!(
                    "`{name}` is a total over the window: it takes no `stat`"
                ));
            }
            return Ok(Probe::Total(TOTAL_KINDS[i]));
        }
        if let Some(series) = Series::from_column(name) {
            if series == Series::Time {
                return Err("`t_s` is the clock, not a measure".into());
            }
            return Ok(Probe::Series(series, stat.unwrap_or_default()));
        }
        let measures: Vec<&str> = measured_series().map(Series::column).collect();
        Err(format!(
            "there is no probe `{name}`; totals: {}; series: {}",
            TOTALS.join(", "),
            measures.join(", ")
        ))
    }

    /// The unit of what it measures ("ms", "%", "requests").
    pub fn unit(self) -> &'static str {
        match self {
            Probe::Total(t) => t.unit(),
            Probe::Series(series, _) => series.unit(),
        }
    }

    /// What it measures, as a learner's answer reads it ([`Dimension`]): a
    /// numeric question keyed on it must ask in a unit of the same dimension.
    pub fn dimension(self) -> Dimension {
        match self.unit() {
            // Units no answer is written in: money per hour is read as money
            // ("$12/h" is $12), writes per second as a rate, a ratio as a plain number.
            "$/h" => Dimension::Money,
            "writes/s" => Dimension::Rate,
            "ratio" => Dimension::Count,
            unit => Quantity::new(1.0, unit).map_or(Dimension::Count, |q| q.dimension),
        }
    }

    /// The values it can measure, `(lowest, highest)` in its unit (the highest
    /// infinite when there is no top): counts, rates, times and money are at
    /// least 0, availability and other shares of requests 0–100 %, hit ratios
    /// 0–1. The budget used in a window is −100 to 100 % (the budget left is
    /// 0–100 % of a rolling period, and failures that leave the period give
    /// some back). A check's bound beyond it is one no run could pass.
    pub fn range(self) -> (f64, f64) {
        const UP: (f64, f64) = (0.0, f64::INFINITY);
        const PERCENT: (f64, f64) = (0.0, 100.0);
        match self {
            Probe::Total(t) => match t {
                Total::AvailabilityPct | Total::LatencyGoodPct | Total::ExperimentBudgetUsedPct => {
                    PERCENT
                }
                Total::BudgetUsedPct => (-100.0, 100.0),
                Total::RequestsFailed
                | Total::RequestsArrived
                | Total::CostUsd
                | Total::LostWrites
                | Total::Conflicts
                | Total::StaleReads
                | Total::SessionsLost
                | Total::RequestsFailedUnshed => UP,
            },
            Probe::Series(series, _) => match series {
                Series::BudgetRemainingPct | Series::StaleReadPct | Series::OwnStaleReadPct => {
                    PERCENT
                }
                Series::CdnHitRatio
                | Series::CacheHitRatio
                | Series::BreakerState
                | Series::DbBreakerState
                | Series::ExternalBreakerState
                | Series::CacheBreakerState
                | Series::ConsumerBreakerState => (0.0, 1.0),
                // Every other series is a level, rate, time or count: at least
                // 0 with no top (CPU utilization is of the pods' request, which
                // a pod may burst past up to its limit).
                Series::Time
                | Series::DemandRps
                | Series::ArrivalsRps
                | Series::ServedRps
                | Series::ErrorsRps
                | Series::P50Ms
                | Series::P95Ms
                | Series::P99Ms
                | Series::ReplicasDesired
                | Series::PodsReady
                | Series::PodsPending
                | Series::NodesReady
                | Series::NodesProvisioning
                | Series::CpuUtilizationPct
                | Series::QueuedRequests
                | Series::CostPerHourUsd
                | Series::BurnRate1h
                | Series::SessionsLost
                | Series::MinReplicas
                | Series::DbConnectionsInUse
                | Series::DbReplicationLagMs
                | Series::KafkaLagMessages
                | Series::KafkaLagS
                | Series::KafkaConsumers
                | Series::Conflicts
                | Series::LostWrites
                | Series::DbWritesPerS
                | Series::RetriesRps
                | Series::GaveUpRps
                | Series::DbRetriesRps
                | Series::ExternalRetriesRps
                | Series::RateLimitedRps
                | Series::ShedRps
                | Series::CacheRetriesRps => UP,
            },
        }
    }

    /// The recorded series that shows this probe over time (for a total, the
    /// rate or level it accumulates).
    pub fn series(self) -> Series {
        match self {
            Probe::Series(s, _) => s,
            Probe::Total(t) => match t {
                Total::RequestsFailed | Total::AvailabilityPct | Total::RequestsFailedUnshed => {
                    Series::ErrorsRps
                }
                Total::RequestsArrived => Series::ArrivalsRps,
                Total::LatencyGoodPct => Series::P99Ms,
                Total::BudgetUsedPct | Total::ExperimentBudgetUsedPct => Series::BudgetRemainingPct,
                Total::CostUsd => Series::CostPerHourUsd,
                Total::LostWrites => Series::LostWrites,
                Total::Conflicts => Series::Conflicts,
                Total::StaleReads => Series::StaleReadPct,
                Total::SessionsLost => Series::SessionsLost,
            },
        }
    }

    /// A short name for a debrief ("peak p99_ms", "requests_failed").
    pub fn describe(self) -> String {
        match self {
            Probe::Total(t) => TOTALS[TOTAL_KINDS.iter().position(|k| *k == t).unwrap_or(0)]
                .replace('_', " ")
                .replace(" pct", ""),
            Probe::Series(series, stat) => format!("{} {}", stat.word(), series.column()),
        }
    }
}

/// The series a probe can measure: every one but the clock.
pub fn measured_series() -> impl Iterator<Item = Series> {
    Series::ALL.into_iter().filter(|s| *s != Series::Time)
}

/// The engine's running totals at one moment (the inputs of [`Total`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    failed: f64,
    arrived: f64,
    served: f64,
    latency_good: f64,
    budget_remaining_pct: f64,
    cost_usd: f64,
    lost_writes: f64,
    conflicts: f64,
    stale_reads: f64,
    sessions_lost: f64,
    failed_unshed: f64,
    experiment_budget_pct: f64,
}

impl Totals {
    /// Error budget left at that moment [% of the budget].
    pub fn budget_remaining_pct(&self) -> f64 {
        self.budget_remaining_pct
    }

    /// The totals of `w` now.
    pub fn of(w: &World) -> Totals {
        let c = &w.counters;
        Totals {
            failed: c.failed(),
            failed_unshed: c.failed()
                - c.failures[crate::sim::failure::FailureReason::Shed]
                - c.failures[crate::sim::failure::FailureReason::RateLimited],
            arrived: c.arrived,
            served: c.served,
            latency_good: c.latency_good,
            budget_remaining_pct: w
                .control
                .slo
                .availability
                .as_ref()
                .map_or(100.0, |a| a.budget_remaining_fraction() * 100.0),
            cost_usd: w.cost.total_usd,
            lost_writes: w.data.counters.lost_writes,
            conflicts: w.data.counters.conflicts,
            stale_reads: w.data.counters.stale_reads,
            sessions_lost: c.sessions_lost,
            experiment_budget_pct: w
                .experiment
                .as_ref()
                .map_or(0.0, |e| e.service_budget_used_pct),
        }
    }
}

/// One probe watched over `[from_s, to_s]` during a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// What it measures.
    pub probe: Probe,
    /// Start [s from the run's start].
    pub from_s: f64,
    /// End [s from the run's start].
    pub to_s: f64,
    start: Option<Totals>,
    end: Totals,
    max: f64,
    min: f64,
    sum: f64,
    ticks: u64,
    last: f64,
}

impl Window {
    /// A window that has seen nothing yet.
    pub fn new(probe: Probe, from_s: f64, to_s: f64) -> Window {
        Window {
            probe,
            from_s,
            to_s,
            start: None,
            end: Totals::default(),
            max: f64::NEG_INFINITY,
            min: f64::INFINITY,
            sum: 0.0,
            ticks: 0,
            last: 0.0,
        }
    }

    /// Takes in the tick that ended at `t_s` (`row`: that tick's series
    /// values; `before`/`after`: the totals before and after it). A tick
    /// belongs to the window when it ends inside it.
    pub fn observe(
        &mut self,
        t_s: f64,
        row: &[f64; SERIES_COUNT],
        before: &Totals,
        after: &Totals,
    ) {
        if t_s <= self.from_s + 1e-9 || t_s > self.to_s + 1e-9 {
            return;
        }
        if self.start.is_none() {
            self.start = Some(*before);
        }
        self.end = *after;
        if let Probe::Series(series, _) = self.probe {
            let v = row[series.index()];
            self.max = self.max.max(v);
            self.min = self.min.min(v);
            self.sum += v;
            self.last = v;
        }
        self.ticks += 1;
    }

    /// What the probe measured; None when no tick fell in the window.
    pub fn value(&self) -> Option<f64> {
        if self.ticks == 0 {
            return None;
        }
        let s = self.start.unwrap_or_default();
        let e = &self.end;
        let share = |num: f64, den: f64| if den > 0.0 { 100.0 * num / den } else { 100.0 };
        Some(match self.probe {
            Probe::Series(_, Stat::Max) => self.max,
            Probe::Series(_, Stat::Min) => self.min,
            Probe::Series(_, Stat::Mean) => self.sum / self.ticks as f64,
            Probe::Series(_, Stat::Final) => self.last,
            Probe::Total(t) => match t {
                Total::RequestsFailed => e.failed - s.failed,
                Total::RequestsArrived => e.arrived - s.arrived,
                Total::AvailabilityPct => {
                    let served = e.served - s.served;
                    share(served, served + e.failed - s.failed)
                }
                Total::LatencyGoodPct => {
                    share(e.latency_good - s.latency_good, e.served - s.served)
                }
                Total::BudgetUsedPct => s.budget_remaining_pct - e.budget_remaining_pct,
                Total::CostUsd => e.cost_usd - s.cost_usd,
                Total::LostWrites => e.lost_writes - s.lost_writes,
                Total::Conflicts => e.conflicts - s.conflicts,
                Total::StaleReads => e.stale_reads - s.stale_reads,
                Total::SessionsLost => e.sessions_lost - s.sessions_lost,
                Total::RequestsFailedUnshed => e.failed_unshed - s.failed_unshed,
                Total::ExperimentBudgetUsedPct => e.experiment_budget_pct - s.experiment_budget_pct,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_unknown_names_list_the_valid_ones() {
        assert_eq!(
            Probe::parse("p99_ms", None),
            Ok(Probe::Series(Series::P99Ms, Stat::Max))
        );
        assert_eq!(
            Probe::parse("availability_pct", None),
            Ok(Probe::Total(Total::AvailabilityPct))
        );
        let e = Probe::parse("p99", None).unwrap_err();
        assert!(e.contains("p99_ms") && e.contains("requests_failed"), "{e}");
        assert!(Probe::parse("cost_usd", Some(Stat::Max)).is_err());
        assert_eq!(Probe::parse("p99_ms", None).unwrap().unit(), "ms");
        assert_eq!(TOTALS.len(), TOTAL_KINDS.len());
    }

    #[test]
    fn every_measure_has_a_unit() {
        for name in measured_series().map(Series::column) {
            let p = Probe::parse(name, None).unwrap();
            assert!(!p.unit().is_empty(), "{name} has no unit");
        }
        for name in TOTALS {
            assert!(
                !Probe::parse(name, None).unwrap().unit().is_empty(),
                "{name}"
            );
        }
        let unit = |n: &str| Probe::parse(n, None).unwrap().unit();
        assert_eq!(unit("replicas_desired"), "pods");
        assert_eq!(unit("nodes_ready"), "nodes");
        assert_eq!(unit("burn_rate_1h"), "\u{d7}");
        assert_eq!(unit("db_writes_per_s"), "writes/s");
        assert_eq!(unit("kafka_lag_s"), "s");
        assert_eq!(unit("cost_per_hour_usd"), "$/h");
    }

    #[test]
    fn every_probe_has_a_dimension_and_a_range_from_its_unit() {
        let all = measured_series().map(Series::column).chain(TOTALS);
        for name in all {
            let p = Probe::parse(name, None).unwrap();
            // No probe falls back to a count because its unit is unknown.
            let unit = p.unit();
            assert!(
                matches!(unit, "$/h" | "writes/s" | "ratio") || Quantity::new(1.0, unit).is_ok(),
                "{name}: {unit}"
            );
            let (lo, hi) = p.range();
            assert!(lo < hi, "{name}");
            if p.dimension() == Dimension::Percent && name != "cpu_utilization_pct" {
                assert_eq!(hi, 100.0, "{name}");
            }
        }
        let dim = |n: &str| Probe::parse(n, None).unwrap().dimension();
        assert_eq!(dim("budget_used_pct"), Dimension::Percent);
        assert_eq!(dim("p99_ms"), Dimension::Time);
        assert_eq!(dim("kafka_lag_s"), Dimension::Time);
        assert_eq!(dim("replicas_desired"), Dimension::Count);
        assert_eq!(dim("requests_failed"), Dimension::Count);
        assert_eq!(dim("cost_usd"), Dimension::Money);
        assert_eq!(dim("cost_per_hour_usd"), Dimension::Money);
        assert_eq!(dim("db_writes_per_s"), Dimension::Rate);
        assert_eq!(dim("burn_rate_1h"), Dimension::Count);
        let range = |n: &str| Probe::parse(n, None).unwrap().range();
        assert_eq!(range("availability_pct"), (0.0, 100.0));
        assert_eq!(range("requests_failed"), (0.0, f64::INFINITY));
        assert_eq!(range("cache_hit_ratio"), (0.0, 1.0));
        assert_eq!(range("cpu_utilization_pct"), (0.0, f64::INFINITY));
    }

    #[test]
    fn a_window_takes_only_the_ticks_that_end_inside_it() {
        let mut w = Window::new(Probe::Series(Series::P50Ms, Stat::Max), 10.0, 20.0);
        let mut row = [0.0; SERIES_COUNT];
        let t = Totals::default();
        for (ts, v) in [(10.0, 99.0), (11.0, 3.0), (20.0, 7.0), (21.0, 50.0)] {
            row[Series::P50Ms.index()] = v;
            w.observe(ts, &row, &t, &t);
        }
        assert_eq!(w.value(), Some(7.0));
        let empty = Window::new(Probe::Total(Total::CostUsd), 100.0, 200.0);
        assert_eq!(empty.value(), None);
    }
}
