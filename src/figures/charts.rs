//! The chart catalogue: every chart the page draws live and the CLI writes as
//! SVG, each with the [`Series`] it plots. One list for both surfaces:
//!
//! ```text
//!   Chart ──▶ page()  title, unit, lines (series, label, colour, axis)  ──▶ the page's ChartSpec
//!         └─▶ svg()   files: name, title, lines (series, label)          ──▶ `scalesim run --out`
//! ```
//!
//! A surface that does not draw a chart says so (`page()` is `None`, `svg()` is
//! empty). Every series is plotted by exactly one chart or listed in
//! [`UNPLOTTED`] (a test holds it).

use crate::sim::series::Series;

/// A chart, on the page, in the CLI's SVG figures or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chart {
    /// Demand, arrivals, served and failed requests.
    Traffic,
    /// Replicas, pods and nodes.
    Replicas,
    /// Latency percentiles.
    Latency,
    /// CPU utilization of ready pods.
    Cpu,
    /// Error budget left.
    Budget,
    /// CDN and cache hit ratios.
    HitRatio,
    /// Database connections and replication lag.
    Database,
    /// The Kafka queue: lag and consumers.
    Queue,
    /// Stale reads, conflicts and lost writes.
    Consistency,
    /// The 1-hour burn rate.
    Burn,
    /// The spend rate.
    Cost,
    /// The clients' retries, the requests that gave up, and the clients' breaker.
    Retries,
    /// Rate limits, load shedding, and the dependency edges' retries and breakers.
    Protection,
    /// What the rate limit (429) and load shedding refused, per request class. Its
    /// lines are the scenario's classes, not [`Series`]: the page draws them from the
    /// world's per-class record and the CLI writes `refusals-by-class.svg` and
    /// `class_refusals.csv` from it.
    Refusals,
}

/// A chart as the page draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageView {
    /// Title.
    pub title: &'static str,
    /// Unit of the y axis.
    pub unit: &'static str,
    /// Lines.
    pub lines: &'static [PageLine],
}

/// One line of a page chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageLine {
    /// The series drawn.
    pub series: Series,
    /// Legend label.
    pub label: &'static str,
    /// Palette index.
    pub colour: usize,
    /// Where it is drawn.
    pub place: Place,
}

/// Where a page chart draws a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A line against the left y axis.
    Left,
    /// A line against the secondary (right) y axis, for a line on a much smaller scale.
    Right,
    /// A state lane under the plot, on the same time axis: a state series (0 closed,
    /// 0.5 half-open, 1 open) as a band, pale while half-open and solid while open
    /// (a mean over a thinned point shades between).
    Lane,
}

impl PageLine {
    /// Unit of its values ("%", "ms", "messages"), shown with the latest value.
    pub const fn unit(&self) -> &'static str {
        self.series.unit()
    }

    /// Its legend entry: the label, and in a chart with two y axes its unit and
    /// axis ("lag [messages, left axis]").
    pub fn legend(&self, dual_axis: bool) -> String {
        if dual_axis {
            let side = if self.place == Place::Right {
                "right"
            } else {
                "left"
            };
            if self.label == self.unit() {
                format!("{} [{side} axis]", self.label)
            } else {
                format!("{} [{}, {side} axis]", self.label, self.unit())
            }
        } else {
            self.label.to_string()
        }
    }
}

/// A chart as the CLI writes it: one SVG file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SvgFigure {
    /// File name in the output directory.
    pub file: &'static str,
    /// Title (with its unit).
    pub title: &'static str,
    /// Lines: the series and its legend label.
    pub lines: &'static [(Series, &'static str)],
    /// Drawn as state lanes (0 closed, 0.5 half-open, 1 open) instead of lines.
    pub lanes: bool,
}

/// Series a chart draws again as context, though another chart is their home: the
/// Retries chart sets the attempts (arrivals) against the first tries (demand), so the
/// gap between them is the retries' amplification; the Queue chart shows the
/// consumers' breaker under the lag it lets grow while open.
pub const CONTEXT: [(Chart, Series); 3] = [
    (Chart::Retries, Series::DemandRps),
    (Chart::Retries, Series::ArrivalsRps),
    (Chart::Queue, Series::ConsumerBreakerState),
];

/// The breaker-state series and the call edge whose breaker each records: a chart
/// draws a series' lane when its edge has a breaker (or the series was ever not 0).
pub const BREAKER_LANES: [(Series, crate::sim::protection::CallEdge); 5] = {
    use crate::sim::protection::CallEdge as E;
    [
        (Series::BreakerState, E::Client),
        (Series::DbBreakerState, E::Database),
        (Series::ExternalBreakerState, E::External),
        (Series::CacheBreakerState, E::Cache),
        (Series::ConsumerBreakerState, E::Consumer),
    ]
};

/// Series no chart plots: the clock (every chart's x axis) and the rest.
pub const UNPLOTTED: [Series; 6] = [
    Series::Time,
    Series::NodesProvisioning,
    Series::QueuedRequests,
    Series::SessionsLost,
    Series::MinReplicas,
    Series::DbWritesPerS,
];

const fn line(series: Series, label: &'static str, colour: usize) -> PageLine {
    PageLine {
        series,
        label,
        colour,
        place: Place::Left,
    }
}

const fn right(series: Series, label: &'static str, colour: usize) -> PageLine {
    PageLine {
        series,
        label,
        colour,
        place: Place::Right,
    }
}

const fn lane(series: Series, label: &'static str, colour: usize) -> PageLine {
    PageLine {
        series,
        label,
        colour,
        place: Place::Lane,
    }
}

impl Chart {
    /// Every chart, in the order the CLI writes its files (then the page's own).
    pub const ALL: [Chart; 14] = [
        Chart::Traffic,
        Chart::Replicas,
        Chart::Latency,
        Chart::Cpu,
        Chart::Budget,
        Chart::HitRatio,
        Chart::Database,
        Chart::Queue,
        Chart::Consistency,
        Chart::Burn,
        Chart::Cost,
        Chart::Retries,
        Chart::Protection,
        Chart::Refusals,
    ];

    /// The page's charts, in display order (each has a [`Chart::page`] view).
    pub const PAGE: [Chart; 13] = [
        Chart::Traffic,
        Chart::Replicas,
        Chart::Cpu,
        Chart::Latency,
        Chart::Queue,
        Chart::Database,
        Chart::Consistency,
        Chart::Retries,
        Chart::Protection,
        Chart::Refusals,
        Chart::Budget,
        Chart::Burn,
        Chart::Cost,
    ];

    /// How the page draws it, or `None` when the page does not.
    pub const fn page(self) -> Option<&'static PageView> {
        use Series as S;
        match self {
            Chart::Traffic => Some(
                &const {
                    PageView {
                        title: "Traffic and errors",
                        unit: "req/s",
                        lines: &[
                            line(S::ArrivalsRps, "arrived", 0),
                            line(S::ServedRps, "served", 2),
                            line(S::ErrorsRps, "errors", 1),
                        ],
                    }
                },
            ),
            Chart::Replicas => Some(
                &const {
                    PageView {
                        title: "Replicas and nodes (\u{25b2} = HPA decision)",
                        unit: "pods, nodes",
                        lines: &[
                            line(S::ReplicasDesired, "desired replicas", 0),
                            line(S::PodsReady, "ready pods", 2),
                            line(S::PodsPending, "pending pods", 1),
                            line(S::NodesReady, "nodes ready", 3),
                        ],
                    }
                },
            ),
            Chart::Cpu => Some(
                &const {
                    PageView {
                        title: "CPU utilization against the HPA target",
                        unit: "%",
                        lines: &[line(S::CpuUtilizationPct, "CPU", 0)],
                    }
                },
            ),
            Chart::Latency => Some(
                &const {
                    PageView {
                        title: "Latency against the SLO",
                        unit: "ms",
                        lines: &[
                            line(S::P50Ms, "p50", 2),
                            line(S::P95Ms, "p95", 0),
                            line(S::P99Ms, "p99", 1),
                        ],
                    }
                },
            ),
            Chart::Queue => Some(
                &const {
                    PageView {
                        title: "Queue lag and consumers",
                        unit: "",
                        lines: &[
                            line(S::KafkaLagMessages, "lag", 0),
                            right(S::KafkaConsumers, "consumers", 2),
                            lane(S::ConsumerBreakerState, "consumers' breaker", 3),
                        ],
                    }
                },
            ),
            Chart::Database => Some(
                &const {
                    PageView {
                        title: "Database connections and replication lag",
                        unit: "",
                        lines: &[
                            line(S::DbConnectionsInUse, "connections in use", 0),
                            right(S::DbReplicationLagMs, "replication lag", 1),
                        ],
                    }
                },
            ),
            Chart::Consistency => Some(
                &const {
                    PageView {
                        title: "Stale reads, conflicts and lost writes",
                        unit: "",
                        lines: &[
                            line(S::StaleReadPct, "stale reads", 0),
                            line(S::OwnStaleReadPct, "of them, own writes", 2),
                            right(S::Conflicts, "conflicts", 1),
                            right(S::LostWrites, "lost writes", 4),
                        ],
                    }
                },
            ),
            Chart::Budget => Some(
                &const {
                    PageView {
                        title: "Error budget remaining",
                        unit: "%",
                        lines: &[line(S::BudgetRemainingPct, "budget remaining", 2)],
                    }
                },
            ),
            Chart::Burn => Some(
                &const {
                    PageView {
                        title: "Burn rate (1 h) against the alert thresholds",
                        unit: "\u{d7}",
                        lines: &[line(S::BurnRate1h, "burn rate 1 h", 1)],
                    }
                },
            ),
            Chart::Cost => Some(
                &const {
                    PageView {
                        title: "Cost",
                        unit: "$/h",
                        lines: &[line(S::CostPerHourUsd, "spend rate", 3)],
                    }
                },
            ),
            Chart::Retries => Some(
                &const {
                    PageView {
                        title: "Attempts against first tries, retries, requests given up and the circuit breaker",
                        unit: "req/s",
                        lines: &[
                            line(S::DemandRps, "first tries", 0),
                            line(S::ArrivalsRps, "attempts", 2),
                            line(S::RetriesRps, "retries", 3),
                            line(S::GaveUpRps, "gave up", 1),
                            lane(S::BreakerState, "breaker", 4),
                        ],
                    }
                },
            ),
            Chart::Protection => Some(
                &const {
                    PageView {
                        title: "Rate limits, shedding and the dependencies' retries and breakers",
                        unit: "req/s",
                        lines: &[
                            line(S::RateLimitedRps, "429 rate limited", 4),
                            line(S::ShedRps, "shed", 1),
                            line(S::DbRetriesRps, "database retries", 3),
                            line(S::ExternalRetriesRps, "dependency retries", 5),
                            line(S::CacheRetriesRps, "cache retries", 0),
                            lane(S::DbBreakerState, "database breaker", 2),
                            lane(S::ExternalBreakerState, "dependency breaker", 6),
                            lane(S::CacheBreakerState, "cache breaker", 7),
                            lane(S::ConsumerBreakerState, "consumers' breaker", 3),
                        ],
                    }
                },
            ),
            Chart::Refusals => Some(
                &const {
                    PageView {
                        title: "Refused per class: rate limited (429, thin) and shed (thick)",
                        unit: "req/s",
                        lines: &[],
                    }
                },
            ),
            Chart::HitRatio => None,
        }
    }

    /// The SVG files the CLI writes for it (none when it writes none).
    pub const fn svg(self) -> &'static [SvgFigure] {
        use Series as S;
        match self {
            Chart::Traffic => &[SvgFigure {
                file: "traffic.svg",
                title: "Traffic [req/s]",
                lines: &[
                    (S::DemandRps, "demand"),
                    (S::ServedRps, "served"),
                    (S::ErrorsRps, "errors"),
                ],
                lanes: false,
            }],
            Chart::Replicas => &[SvgFigure {
                file: "replicas.svg",
                title: "Pods and nodes",
                lines: &[
                    (S::ReplicasDesired, "desired pods"),
                    (S::PodsReady, "ready pods"),
                    (S::PodsPending, "pending pods"),
                    (S::NodesReady, "ready nodes"),
                ],
                lanes: false,
            }],
            Chart::Latency => &[SvgFigure {
                file: "latency.svg",
                title: "Latency [ms]",
                lines: &[(S::P50Ms, "p50"), (S::P95Ms, "p95"), (S::P99Ms, "p99")],
                lanes: false,
            }],
            Chart::Cpu => &[SvgFigure {
                file: "cpu.svg",
                title: "CPU utilization of ready pods [% of request]",
                lines: &[(S::CpuUtilizationPct, "CPU %")],
                lanes: false,
            }],
            Chart::Budget => &[SvgFigure {
                file: "budget.svg",
                title: "Error budget remaining [%]",
                lines: &[(S::BudgetRemainingPct, "budget")],
                lanes: false,
            }],
            Chart::HitRatio => &[SvgFigure {
                file: "hit_ratio.svg",
                title: "Hit ratio [0..1]",
                lines: &[(S::CdnHitRatio, "CDN"), (S::CacheHitRatio, "cache")],
                lanes: false,
            }],
            Chart::Database => &[SvgFigure {
                file: "database.svg",
                title: "Database: connections in use, replication lag [ms]",
                lines: &[
                    (S::DbConnectionsInUse, "connections"),
                    (S::DbReplicationLagMs, "replica lag ms"),
                ],
                lanes: false,
            }],
            Chart::Queue => &[
                SvgFigure {
                    file: "kafka_lag.svg",
                    title: "Kafka lag [messages]",
                    lines: &[(S::KafkaLagMessages, "lag")],
                    lanes: false,
                },
                SvgFigure {
                    file: "kafka_consumers.svg",
                    title: "Kafka: consumers, lag age [s]",
                    lines: &[(S::KafkaConsumers, "consumers"), (S::KafkaLagS, "lag s")],
                    lanes: false,
                },
            ],
            Chart::Consistency => &[SvgFigure {
                file: "consistency.svg",
                title: "Consistency: stale reads [%], conflicts and lost writes (cumulative)",
                lines: &[
                    (S::StaleReadPct, "stale %"),
                    (S::OwnStaleReadPct, "own-write stale %"),
                    (S::Conflicts, "conflicts"),
                    (S::LostWrites, "lost writes"),
                ],
                lanes: false,
            }],
            Chart::Retries => &[
                SvgFigure {
                    file: "retries.svg",
                    title: "Attempts against first tries, retries and requests given up [req/s]",
                    lines: &[
                        (S::DemandRps, "first tries"),
                        (S::ArrivalsRps, "attempts"),
                        (S::RetriesRps, "retries"),
                        (S::GaveUpRps, "gave up"),
                    ],
                    lanes: false,
                },
                SvgFigure {
                    file: "breaker.svg",
                    title: "Circuit breaker: pale half-open, solid open",
                    lines: &[(S::BreakerState, "clients")],
                    lanes: true,
                },
            ],
            Chart::Protection => &[
                SvgFigure {
                    file: "protection.svg",
                    title: "Rate limited, shed and the dependencies' retries [req/s]",
                    lines: &[
                        (S::RateLimitedRps, "429"),
                        (S::ShedRps, "shed"),
                        (S::DbRetriesRps, "db retries"),
                        (S::ExternalRetriesRps, "dependency retries"),
                        (S::CacheRetriesRps, "cache retries"),
                    ],
                    lanes: false,
                },
                SvgFigure {
                    file: "dependency-breakers.svg",
                    title: "Dependency breakers: pale half-open, solid open",
                    lines: &[
                        (S::DbBreakerState, "database"),
                        (S::ExternalBreakerState, "dependency"),
                        (S::CacheBreakerState, "cache"),
                        (S::ConsumerBreakerState, "consumers"),
                    ],
                    lanes: true,
                },
            ],
            // The CLI writes the refusals per class from the class record itself.
            Chart::Burn | Chart::Cost | Chart::Refusals => &[],
        }
    }

    /// True when it plots `series` on some surface.
    pub fn plots(self, series: Series) -> bool {
        self.page()
            .is_some_and(|p| p.lines.iter().any(|l| l.series == series))
            || self
                .svg()
                .iter()
                .any(|f| f.lines.iter().any(|(s, _)| *s == series))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_plotted_by_exactly_one_chart_or_deliberately_unplotted() {
        // A context line is drawn by its home chart too.
        for (c, s) in CONTEXT {
            assert!(c.plots(s), "{c:?} does not draw {s:?}");
            assert!(
                Chart::ALL.iter().any(|o| *o != c && o.plots(s)),
                "{s:?} has no home chart"
            );
        }
        for s in Series::ALL {
            let charts: Vec<Chart> = Chart::ALL
                .into_iter()
                .filter(|c| c.plots(s) && !CONTEXT.contains(&(*c, s)))
                .collect();
            let unplotted = UNPLOTTED.contains(&s);
            match (charts.as_slice(), unplotted) {
                ([_], false) | ([], true) => {}
                _ => panic!("{s:?} is in charts {charts:?} and unplotted: {unplotted}"),
            }
        }
    }

    #[test]
    fn every_lane_is_a_breaker_state_with_its_edge() {
        for c in Chart::ALL {
            let lanes = c.page().map_or(&[][..], |p| p.lines);
            for l in lanes.iter().filter(|l| l.place == Place::Lane) {
                assert!(
                    BREAKER_LANES.iter().any(|(s, _)| *s == l.series),
                    "{c:?} {:?}",
                    l.series
                );
            }
            for f in c.svg().iter().filter(|f| f.lanes) {
                for (s, _) in f.lines {
                    assert!(BREAKER_LANES.iter().any(|(b, _)| b == s), "{}", f.file);
                }
            }
        }
        for (s, _) in BREAKER_LANES {
            assert_eq!(s.unit(), "ratio");
        }
    }

    #[test]
    fn the_page_lists_every_chart_it_draws_once_and_files_are_unique() {
        for c in Chart::ALL {
            let listed = Chart::PAGE.iter().filter(|p| **p == c).count();
            assert_eq!(listed, usize::from(c.page().is_some()), "{c:?}");
        }
        let mut files: Vec<&str> = Chart::ALL
            .iter()
            .flat_map(|c| c.svg().iter().map(|f| f.file))
            .collect();
        let n = files.len();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), n, "a file name is used twice");
    }
}
