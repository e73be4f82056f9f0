//! The diagram's flow edges and their live rates, from a snapshot and a
//! layout: pure, so a test can check which edges a world has.
//!
//! ```text
//!   CDN ──req/s──▶ LB ──req/s──▶ each zone
//!   pods ──ops/s──▶ cache ──misses/s──▶ database     (pods ──queries/s──▶ database without a cache)
//!   pods ──msg/s──▶ Kafka topic ──msg/s──▶ consumers ──writes/s──▶ database
//!   pods ──calls/s──▶ external dependency
//! ```
//!
//! An edge with retries or a breaker ([`EdgeView`]) carries its amplification (calls at
//! the callee per call sent) and its breaker's state: the database's on the edge into
//! the database from the pods or the cache, the consumers' on theirs.

use super::{Layout, ServiceKind};
use scalesim::sim::protection::CallEdge;
use scalesim::sim::resilience::circuit_breaker::CbState;
use scalesim::sim::snapshot::{EdgeView, Snapshot};

/// An end of a flow edge: the pods, a zone or a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowEnd {
    /// The cluster's pods (the source of the data-tier flows).
    Pods,
    /// Zone `index` (the load balancer's targets).
    Zone(u16),
    /// A service box.
    Service(ServiceKind),
}

impl FlowEnd {
    /// Its key in the page, the edge's `data-from`/`data-to` ("pods",
    /// "zone 0", or the service's [`ServiceKind::dom_key`]).
    pub fn dom_key(self) -> String {
        match self {
            FlowEnd::Pods => "pods".into(),
            FlowEnd::Zone(index) => format!("zone {index}"),
            FlowEnd::Service(kind) => kind.dom_key().into(),
        }
    }
}

/// One edge of the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowEdge {
    /// Where the flow comes from: the pods or a service.
    pub from: FlowEnd,
    /// Where it goes: a service or a zone.
    pub to: FlowEnd,
    /// Live rate [unit].
    pub rate: f64,
    /// Unit of the rate ("req/s", "msg/s").
    pub unit: &'static str,
    /// Start point (SVG user units).
    pub start: (f64, f64),
    /// End point (SVG user units).
    pub end: (f64, f64),
    /// Calls at the callee per call sent, retries over every hop included [×] (1
    /// without retries).
    pub amplification: f64,
    /// The breaker's state on this edge, if it has one.
    pub breaker: Option<CbState>,
}

impl FlowEdge {
    /// The label: the rate, then the amplification when retries add over 5 %, then a
    /// breaker that is not closed ("16,200 calls/s ×81 · breaker open").
    pub fn label(&self) -> String {
        let mut out = format!("{} {}", crate::model::format::grouped(self.rate), self.unit);
        if self.amplification > 1.05 {
            let digits = if self.amplification < 10.0 { 1 } else { 0 };
            out.push_str(&format!(" \u{d7}{:.*}", digits, self.amplification));
        }
        match self.breaker {
            Some(CbState::Open) => out.push_str(" \u{b7} breaker open"),
            Some(CbState::HalfOpen) => out.push_str(" \u{b7} breaker half-open"),
            Some(CbState::Closed) | None => {}
        }
        out
    }
}

/// Cache misses that reach the database [reads/s]: the database's queries
/// less the writes its primaries commit (the writes skip the cache).
fn db_reads_per_s(snap: &Snapshot) -> f64 {
    snap.tiers.database.as_ref().map_or(0.0, |d| {
        d.shards
            .iter()
            .map(|s| s.queries_per_s - s.writes_per_s)
            .sum::<f64>()
            .max(0.0)
    })
}

/// The consumers' writes to the database [writes/s]: what they consume.
fn consumed_writes_per_s(snap: &Snapshot) -> f64 {
    match (&snap.tiers.kafka, &snap.tiers.database) {
        (Some(k), Some(_)) => k.consumed_eps,
        _ => 0.0,
    }
}

/// Every flow edge the world of `snap` has, placed on `layout`, with the protection of
/// the dependency edges in `protection`; `tick_s` is the engine's tick [s] (pods record
/// what they were routed per tick).
pub fn flow_edges(
    snap: &Snapshot,
    protection: &[EdgeView],
    layout: &Layout,
    tick_s: f64,
) -> Vec<FlowEdge> {
    use FlowEnd::Service as S;
    use ServiceKind as K;
    let mut out = Vec::new();
    let tick = tick_s.max(1e-9);
    // The pods' side of the data-tier edges: the bottom of the regions, above the target.
    let cluster_bottom = layout
        .regions
        .iter()
        .map(|(_, r)| r.bottom())
        .fold(f64::NAN, f64::max);
    let mut down = |from: FlowEnd, to: ServiceKind, rate: f64, unit: &'static str| {
        let Some(target) = layout.service(to) else {
            return;
        };
        let end = target.top_centre();
        let start = match from {
            FlowEnd::Pods if cluster_bottom.is_finite() => (end.0, cluster_bottom),
            FlowEnd::Pods => return,
            FlowEnd::Zone(index) => match layout.zone(index) {
                Some(r) => r.bottom_centre(),
                None => return,
            },
            FlowEnd::Service(kind) => match layout.service(kind) {
                Some(r) => r.bottom_centre(),
                None => return,
            },
        };
        out.push(FlowEdge {
            from,
            to: FlowEnd::Service(to),
            rate: rate.max(0.0),
            unit,
            start,
            end,
            amplification: 1.0,
            breaker: None,
        });
    };
    if let Some(cdn) = &snap.tiers.cdn {
        let origin = snap.last.arrivals_rps * (1.0 - cdn.offload_pct / 100.0);
        down(S(K::Cdn), K::LoadBalancer, origin, "req/s");
    }
    match (&snap.tiers.cache, &snap.tiers.database) {
        (Some(cache), db) => {
            down(FlowEnd::Pods, K::Cache, cache.ops_per_s, "ops/s");
            if db.is_some() {
                down(S(K::Cache), K::Database, db_reads_per_s(snap), "misses/s");
            }
        }
        (None, Some(db)) => {
            let queries: f64 = db.shards.iter().map(|s| s.queries_per_s).sum();
            let from_pods = queries - consumed_writes_per_s(snap);
            down(FlowEnd::Pods, K::Database, from_pods, "queries/s");
        }
        (None, None) => {}
    }
    if let Some(k) = &snap.tiers.kafka {
        down(FlowEnd::Pods, K::Kafka, k.published_eps, "msg/s");
        down(S(K::Kafka), K::Consumers, k.consumed_eps, "msg/s");
    }
    if let Some(e) = &snap.tiers.external {
        down(FlowEnd::Pods, K::External, e.calls_per_s, "calls/s");
    }
    // The consumers write what they consume to the database: sideways when
    // the two share a row, else up from the consumers' side to its bottom.
    if let (Some(c), Some(db)) = (layout.service(K::Consumers), layout.service(K::Database)) {
        let mid = |r: &super::Rect| r.y + r.h / 2.0;
        let start_x = if db.x < c.x { c.x } else { c.x + c.w };
        let (start, end) = if (c.y - db.y).abs() < 1e-9 {
            let end_x = if db.x < c.x { db.x + db.w } else { db.x };
            ((start_x, mid(&c)), (end_x, mid(&db)))
        } else {
            ((start_x, mid(&c)), db.bottom_centre())
        };
        out.push(FlowEdge {
            from: S(K::Consumers),
            to: S(K::Database),
            rate: consumed_writes_per_s(snap),
            unit: "writes/s",
            start,
            end,
            amplification: 1.0,
            breaker: None,
        });
    }
    if let Some(lb) = layout.service(K::LoadBalancer) {
        let start = lb.bottom_centre();
        for (zi, zr) in &layout.zones {
            let rps = snap
                .pods
                .iter()
                .filter(|p| p.zone == *zi)
                .map(|p| p.routed)
                .sum::<f64>()
                / tick;
            out.push(FlowEdge {
                from: S(K::LoadBalancer),
                to: FlowEnd::Zone(*zi),
                rate: rps.max(0.0),
                unit: "req/s",
                start,
                end: zr.top_centre(),
                amplification: 1.0,
                breaker: None,
            });
        }
    }
    for view in protection {
        let on_edge = |e: &FlowEdge| match view.edge {
            CallEdge::Database => {
                e.to == S(K::Database) && matches!(e.from, FlowEnd::Pods | S(K::Cache))
            }
            CallEdge::External => e.to == S(K::External),
            CallEdge::Consumer => e.from == S(K::Consumers),
            CallEdge::Cache => e.from == FlowEnd::Pods && e.to == S(K::Cache),
            CallEdge::Client => false,
        };
        if let Some(e) = out.iter_mut().find(|e| on_edge(e)) {
            e.amplification = view.amplification;
            e.breaker = view.breaker;
        }
    }
    out
}
