//! The parts inside the data services, as the world holds them: each database
//! shard's primary and replicas, and each partition of the Kafka topic.
//!
//! ```text
//!   ┌ Database ──────────┐      ┌ Kafka topic ─────────────┐
//!   │ 3/1000 conns       │      │ lag 12k msgs             │
//!   │ ■ □ □   ■ □ □      │      │ ▁ ▃ ▇ ▁ ▁ ▂ ▁ ▁ ▁ ▅ ▁ ▁  │
//!   └ shard 0   shard 1 ─┘      └ one cell per partition, ─┘
//!     primary, replicas           filled by its share of the lag
//! ```
//!
//! One source for the drawing (cells) and for the inspector's words (lines).

use super::{Rect, ServiceKind};
use crate::model::format::grouped;
use scalesim::sim::data::database::ReplicaState;
use scalesim::sim::snapshot::Snapshot;

/// A replica this far behind its primary is drawn as lagging [ms].
pub const LAGGING_MS: f64 = 1000.0;

/// One small square in a service box.
#[derive(Clone, Debug, PartialEq)]
pub struct PartCell {
    /// Top-left x [SVG units].
    pub x: f64,
    /// Top-left y [SVG units].
    pub y: f64,
    /// Side [SVG units].
    pub side: f64,
    /// CSS class: part-primary, part-down, part-replica, part-lagging,
    /// part-provisioning or part-partition.
    pub class: &'static str,
    /// Filled fraction from the bottom (a partition's share of the topic's lag) [0..1].
    pub fill: f64,
    /// What it is, in words (the SVG tooltip).
    pub title: String,
}

/// Does service `kind` hold parts to draw?
pub fn has_parts(kind: ServiceKind) -> bool {
    match kind {
        ServiceKind::Database | ServiceKind::Kafka => true,
        ServiceKind::LoadBalancer
        | ServiceKind::Cdn
        | ServiceKind::Cache
        | ServiceKind::Consumers
        | ServiceKind::External => false,
    }
}

/// The parts of service `kind`, one (class, fill, words) per part; `None` marks
/// the gap between two shards.
fn parts(kind: ServiceKind, s: &Snapshot) -> Vec<Option<(&'static str, f64, String)>> {
    let mut out = Vec::new();
    match kind {
        ServiceKind::Database => {
            for (i, shard) in s
                .tiers
                .database
                .iter()
                .flat_map(|d| d.shards.iter())
                .enumerate()
            {
                if i > 0 {
                    out.push(None);
                }
                let (class, state) = if shard.primary_up {
                    (
                        "part-primary",
                        format!("up, {:.0} % busy", shard.primary_utilization * 100.0),
                    )
                } else {
                    ("part-down", "down".to_string())
                };
                out.push(Some((class, 0.0, format!("Shard {i} primary: {state}"))));
                for (j, r) in shard.replicas.iter().enumerate() {
                    let (class, state) = match r.state {
                        ReplicaState::Provisioning { .. } => {
                            ("part-provisioning", "being created".to_string())
                        }
                        ReplicaState::Ready if r.lag_ms >= LAGGING_MS => {
                            ("part-lagging", format!("{} ms behind", grouped(r.lag_ms)))
                        }
                        ReplicaState::Ready => {
                            ("part-replica", format!("{} ms behind", grouped(r.lag_ms)))
                        }
                    };
                    out.push(Some((
                        class,
                        0.0,
                        format!("Shard {i} replica {}: {state}", j + 1),
                    )));
                }
            }
        }
        ServiceKind::Kafka => {
            if let Some(k) = &s.tiers.kafka {
                let most = k
                    .partitions
                    .iter()
                    .map(|p| p.lag_messages)
                    .max()
                    .unwrap_or(0)
                    .max(1);
                for (i, p) in k.partitions.iter().enumerate() {
                    let owner = p
                        .owner
                        .map_or_else(|| "no consumer".to_string(), |c| format!("consumer {c}"));
                    out.push(Some((
                        "part-partition",
                        p.lag_messages as f64 / most as f64,
                        format!(
                            "Partition {i}: lag {} msgs ({:.0} s), {owner}",
                            grouped(p.lag_messages as f64),
                            p.lag_s
                        ),
                    )));
                }
            }
        }
        ServiceKind::LoadBalancer
        | ServiceKind::Cdn
        | ServiceKind::Cache
        | ServiceKind::Consumers
        | ServiceKind::External => {}
    }
    out
}

/// The cells of service `kind` in its box `r`: a row along the bottom, centred,
/// shrinking to fit when there are many.
pub fn part_cells(kind: ServiceKind, s: &Snapshot, r: Rect) -> Vec<PartCell> {
    let parts = parts(kind, s);
    if parts.is_empty() {
        return Vec::new();
    }
    let slots = parts.len() as f64;
    let pitch = ((r.w - 8.0) / slots).min(10.0);
    let side = (pitch * 0.8).max(1.0);
    let x0 = r.x + (r.w - pitch * slots) / 2.0 + (pitch - side) / 2.0;
    let y = r.y + r.h - side - 3.0;
    parts
        .into_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.map(|(class, fill, title)| PartCell {
                x: x0 + i as f64 * pitch,
                y,
                side,
                class,
                fill,
                title,
            })
        })
        .collect()
}

/// The parts of service `kind` in words, one line each (the inspector).
pub fn part_lines(kind: ServiceKind, s: &Snapshot) -> Vec<String> {
    parts(kind, s)
        .into_iter()
        .flatten()
        .map(|(_, _, t)| t)
        .collect()
}
