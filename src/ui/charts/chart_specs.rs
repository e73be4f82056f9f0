//! The list of live charts: which recorded series each draws, against which
//! reference, and what it needs from the world. A chart whose series the
//! engine does not record shows an empty state saying so; it lights up as
//! soon as the engine records them (by name, in `SERIES_NAMES`).

use crate::sim::series::SERIES_NAMES;

/// One line of a chart.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    /// Series name in [`SERIES_NAMES`].
    pub col: &'static str,
    /// Legend label.
    pub label: &'static str,
    /// Palette index.
    pub colour: usize,
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
    /// What the world needs for this chart, in words ("a Kafka topic and consumers").
    pub needs: &'static str,
    /// Shown in the compact (embed) layout.
    pub key: bool,
}

impl ChartSpec {
    /// True when the engine records every series this chart draws.
    pub fn available(&self) -> bool {
        self.lines.iter().all(|l| SERIES_NAMES.contains(&l.col))
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
            },
            Line {
                col: "served_rps",
                label: "served",
                colour: 2,
            },
            Line {
                col: "errors_rps",
                label: "errors",
                colour: 1,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "",
        key: true,
    },
    ChartSpec {
        id: "chart-replicas",
        title: "Replicas and nodes (\u{25b2} = HPA decision)",
        unit: "count",
        lines: &[
            Line {
                col: "replicas_desired",
                label: "desired replicas",
                colour: 0,
            },
            Line {
                col: "pods_ready",
                label: "ready pods",
                colour: 2,
            },
            Line {
                col: "pods_pending",
                label: "pending pods",
                colour: 1,
            },
            Line {
                col: "nodes_ready",
                label: "nodes ready",
                colour: 3,
            },
        ],
        reference: Reference::None,
        hpa_marks: true,
        needs: "",
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
        }],
        reference: Reference::CpuTarget,
        hpa_marks: false,
        needs: "",
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
            },
            Line {
                col: "p95_ms",
                label: "p95",
                colour: 0,
            },
            Line {
                col: "p99_ms",
                label: "p99",
                colour: 1,
            },
        ],
        reference: Reference::LatencySlo,
        hpa_marks: false,
        needs: "",
        key: true,
    },
    ChartSpec {
        id: "chart-queue",
        title: "Queue lag and consumers",
        unit: "",
        lines: &[
            Line {
                col: "kafka_lag_messages",
                label: "lag [messages]",
                colour: 0,
            },
            Line {
                col: "kafka_consumers",
                label: "consumers",
                colour: 2,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "a Kafka topic with consumers",
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
            },
            Line {
                col: "db_replication_lag_ms",
                label: "replication lag [ms]",
                colour: 1,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "a database",
        key: false,
    },
    ChartSpec {
        id: "chart-consistency",
        title: "Stale reads, conflicts and lost writes",
        unit: "",
        lines: &[
            Line {
                col: "stale_read_pct",
                label: "stale reads [%]",
                colour: 0,
            },
            Line {
                col: "conflicts",
                label: "conflicts",
                colour: 1,
            },
            Line {
                col: "lost_writes",
                label: "lost writes",
                colour: 4,
            },
        ],
        reference: Reference::None,
        hpa_marks: false,
        needs: "a replicated data store with a consistency mode",
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
        }],
        reference: Reference::Full,
        hpa_marks: false,
        needs: "",
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
        }],
        reference: Reference::BurnThresholds,
        hpa_marks: false,
        needs: "",
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
        }],
        reference: Reference::None,
        hpa_marks: false,
        needs: "",
        key: false,
    },
];
