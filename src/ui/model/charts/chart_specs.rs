//! The list of live charts: which recorded series each draws, against which
//! reference, and what it needs from the world. A chart draws only when the
//! world holds what it plots ([`gate`]): a scenario with no Kafka topic shows
//! the queue chart's empty state, naming a built-in scenario that has one,
//! instead of a flat zero line.

use scalesim::sim::series::SERIES_NAMES;
use scalesim::sim::snapshot::Snapshot;

/// One line of a chart.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    /// Series name in [`SERIES_NAMES`].
    pub col: &'static str,
    /// Legend label.
    pub label: &'static str,
    /// Palette index.
    pub colour: usize,
    /// Unit of its values ("%", "ms", "messages"), shown with the latest value.
    pub unit: &'static str,
    /// Drawn against the secondary (right) y axis, for a line on a much smaller scale.
    pub right: bool,
}

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
}

impl Need {
    /// True when `snap`'s world holds it.
    pub fn held_by(self, snap: &Snapshot) -> bool {
        match self {
            Need::Nothing => true,
            Need::Kafka => snap.tiers.kafka.is_some(),
            Need::Database => snap.tiers.database.is_some(),
            Need::Consistency => snap.tiers.consistency.is_some(),
        }
    }

    /// A built-in scenario whose world holds it.
    pub fn example_scenario(self) -> &'static str {
        match self {
            Need::Nothing => "reference",
            Need::Kafka => "kafka-burst",
            Need::Database => "reference",
            Need::Consistency => "consistency-tradeoff",
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
    if !spec.available() {
        return ChartGate::Empty(format!(
            "No data: the engine does not record the series of a {} yet.",
            spec.needs
        ));
    }
    match held {
        Some(true) => ChartGate::Draw,
        None if spec.need == Need::Nothing => ChartGate::Draw,
        _ => {
            let who = if scenario.is_empty() {
                "This scenario".to_string()
            } else {
                format!("The scenario {scenario}")
            };
            ChartGate::Empty(format!(
                "No data: {who} has no {}. Pick the built-in scenario {} to see this chart.",
                spec.needs,
                spec.need.example_scenario()
            ))
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

/// A chart.
#[derive(Clone, Copy, Debug)]
pub struct ChartSpec {
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
}

impl ChartSpec {
    /// True when the engine records every series this chart draws.
    pub fn available(&self) -> bool {
        self.lines.iter().all(|l| SERIES_NAMES.contains(&l.col))
    }

    /// True when some line is drawn against the secondary (right) y axis.
    pub fn dual_axis(&self) -> bool {
        self.lines.iter().any(|l| l.right)
    }
}

impl Line {
    /// Its legend entry: the label, and in a chart with two y axes its unit and
    /// axis ("lag [messages, left axis]").
    pub fn legend(&self, dual_axis: bool) -> String {
        if dual_axis {
            let side = if self.right { "right" } else { "left" };
            if self.label == self.unit {
                format!("{} [{side} axis]", self.label)
            } else {
                format!("{} [{}, {side} axis]", self.label, self.unit)
            }
        } else {
            self.label.to_string()
        }
    }
}

/// Every live chart, in display order.
pub const CHARTS: [ChartSpec; 10] = [
    ChartSpec {
        id: "chart-traffic",
        title: "Traffic and errors",
        unit: "req/s",
        lines: &[
            Line {
                col: "arrivals_rps",
                label: "arrived",
                colour: 0,
                unit: "req/s",
                right: false,
            },
            Line {
                col: "served_rps",
                label: "served",
                colour: 2,
                unit: "req/s",
                right: false,
            },
            Line {
                col: "errors_rps",
                label: "errors",
                colour: 1,
                unit: "req/s",
                right: false,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: true,
    },
    ChartSpec {
        id: "chart-replicas",
        title: "Replicas and nodes (\u{25b2} = HPA decision)",
        unit: "pods, nodes",
        lines: &[
            Line {
                col: "replicas_desired",
                label: "desired replicas",
                colour: 0,
                unit: "pods",
                right: false,
            },
            Line {
                col: "pods_ready",
                label: "ready pods",
                colour: 2,
                unit: "pods",
                right: false,
            },
            Line {
                col: "pods_pending",
                label: "pending pods",
                colour: 1,
                unit: "pods",
                right: false,
            },
            Line {
                col: "nodes_ready",
                label: "nodes ready",
                colour: 3,
                unit: "nodes",
                right: false,
            },
        ],
        reference: Reference::None,
        hpa_marks: true,
        needs: "",
        need: Need::Nothing,
        key: true,
    },
    ChartSpec {
        id: "chart-cpu",
        title: "CPU utilization against the HPA target",
        unit: "%",
        lines: &[Line {
            col: "cpu_utilization_pct",
            label: "CPU",
            colour: 0,
            unit: "%",
            right: false,
        }],
        reference: Reference::CpuTarget,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: false,
    },
    ChartSpec {
        id: "chart-latency",
        title: "Latency against the SLO",
        unit: "ms",
        lines: &[
            Line {
                col: "p50_ms",
                label: "p50",
                colour: 2,
                unit: "ms",
                right: false,
            },
            Line {
                col: "p95_ms",
                label: "p95",
                colour: 0,
                unit: "ms",
                right: false,
            },
            Line {
                col: "p99_ms",
                label: "p99",
                colour: 1,
                unit: "ms",
                right: false,
            },
        ],
        reference: Reference::LatencySlo,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: true,
    },
    ChartSpec {
        id: "chart-queue",
        title: "Queue lag and consumers",
        unit: "",
        lines: &[
            Line {
                col: "kafka_lag_messages",
                label: "lag",
                colour: 0,
                unit: "messages",
                right: false,
            },
            Line {
                col: "kafka_consumers",
                label: "consumers",
                colour: 2,
                unit: "consumers",
                right: true,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "Kafka topic with consumers",
        need: Need::Kafka,
        key: false,
    },
    ChartSpec {
        id: "chart-database",
        title: "Database connections and replication lag",
        unit: "",
        lines: &[
            Line {
                col: "db_connections_in_use",
                label: "connections in use",
                colour: 0,
                unit: "connections",
                right: false,
            },
            Line {
                col: "db_replication_lag_ms",
                label: "replication lag",
                colour: 1,
                unit: "ms",
                right: true,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "database",
        need: Need::Database,
        key: false,
    },
    ChartSpec {
        id: "chart-consistency",
        title: "Stale reads, conflicts and lost writes",
        unit: "",
        lines: &[
            Line {
                col: "stale_read_pct",
                label: "stale reads",
                colour: 0,
                unit: "%",
                right: false,
            },
            Line {
                col: "conflicts",
                label: "conflicts",
                colour: 1,
                unit: "keys",
                right: true,
            },
            Line {
                col: "lost_writes",
                label: "lost writes",
                colour: 4,
                unit: "writes",
                right: true,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "replicated data store with a consistency mode",
        need: Need::Consistency,
        key: false,
    },
    ChartSpec {
        id: "chart-budget",
        title: "Error budget remaining",
        unit: "%",
        lines: &[Line {
            col: "budget_remaining_pct",
            label: "budget remaining",
            colour: 2,
            unit: "%",
            right: false,
        }],
        reference: Reference::Full,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: false,
    },
    ChartSpec {
        id: "chart-burn",
        title: "Burn rate (1 h) against the alert thresholds",
        unit: "\u{d7}",
        lines: &[Line {
            col: "burn_rate_1h",
            label: "burn rate 1 h",
            colour: 1,
            unit: "\u{d7}",
            right: false,
        }],
        reference: Reference::BurnThresholds,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: false,
    },
    ChartSpec {
        id: "chart-cost",
        title: "Cost",
        unit: "$/h",
        lines: &[Line {
            col: "cost_per_hour_usd",
            label: "spend rate",
            colour: 3,
            unit: "$/h",
            right: false,
        }],
        reference: Reference::None,
        hpa_marks: false,
        needs: "",
        need: Need::Nothing,
        key: false,
    },
];
