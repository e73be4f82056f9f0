//! The diagram's geometry: nested boxes from a [`Shape`], pure and testable.
//!
//! ```text
//!   ┌ front services (LB, CDN) ───────────────────────────┐
//!   │  ┌ region ────────────────────────────────────────┐ │
//!   │  │ ┌ zone ──────┐ ┌ zone ──────┐ ┌ zone ──────┐   │ │
//!   │  │ │┌ node ────┐│ │┌ node ────┐│ │ ...        │   │ │
//!   │  │ ││ ▪ ▪ ▪ ▪  ││ ││ ▪ ▪      ││ │            │   │ │
//!   │  │ │└──────────┘│ │└──────────┘│ │            │   │ │
//!   │  │ │┌ pending ─┐│ │            │ │            │   │ │
//!   │  │ └────────────┘ └────────────┘ └────────────┘   │ │
//!   │  │ [badge slot ]  [badge slot ]  [badge slot ]    │ │
//!   │  └────────────────────────────────────────────────┘ │
//!   └ back services (cache, database, topic, consumers) ─┘
//! ```
//!
//! A service fed by another is drawn under it (CDN over LB, cache over
//! database, topic over consumers), so every flow runs top to bottom with
//! room for its rate label.
//!
//! Each zone has a badge slot under it, inside its region: the failure badges
//! go there, never over a zone's name or a node's label. The slot is always
//! reserved, so nothing moves when failures start or stop.
//!
//! Children sit inside their parents, siblings never overlap, and the height
//! grows with the pods; the width is fixed and the SVG scales to its container.

use super::{ServiceKind, ServiceShape, Shape};

/// An axis-aligned box in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// True when `other` lies inside this box.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - 1e-9
            && other.y >= self.y - 1e-9
            && other.x + other.w <= self.x + self.w + 1e-9
            && other.y + other.h <= self.y + self.h + 1e-9
    }

    /// True when the two boxes share some area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    /// Centre of the top edge.
    pub fn top_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }

    /// Centre of the bottom edge.
    pub fn bottom_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// Where everything goes.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    /// The world of the shape it lays out ([`Shape::world`]).
    pub world: u64,
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// Service boxes by kind (front then back).
    pub services: Vec<(ServiceKind, Rect)>,
    /// Region boxes by name.
    pub regions: Vec<(String, Rect)>,
    /// Zone boxes by zone index.
    pub zones: Vec<(u16, Rect)>,
    /// Node boxes by node id.
    pub nodes: Vec<(u64, Rect)>,
    /// "Pending" boxes by zone index (only zones with unscheduled pods).
    pub pending: Vec<(u16, Rect)>,
    /// Pod squares by pod id.
    pub pods: Vec<(u64, Rect)>,
    /// Badge slots by zone index: under the zone box, as wide as it, inside the region.
    pub badges: Vec<(u16, Rect)>,
}

impl Layout {
    /// The box of zone `index`.
    pub fn zone(&self, index: u16) -> Option<Rect> {
        self.zones
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, r)| *r)
    }

    /// The badge slot of zone `index`.
    pub fn badge_slot(&self, index: u16) -> Option<Rect> {
        self.badges
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, r)| *r)
    }

    /// The box of node `id`.
    pub fn node(&self, id: u64) -> Option<Rect> {
        self.nodes.iter().find(|(i, _)| *i == id).map(|(_, r)| *r)
    }

    /// The box of service `kind`, if the world has it.
    pub fn service(&self, kind: ServiceKind) -> Option<Rect> {
        self.services
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, r)| *r)
    }

    /// The box of region `name`.
    pub fn region(&self, name: &str) -> Option<Rect> {
        self.regions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| *r)
    }
}

/// Sizes of the diagram's parts, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projection {
    /// Width of the drawing.
    pub width: f64,
    /// Side of a pod square.
    pub pod: f64,
    /// Space between pods and between sibling boxes.
    pub gap: f64,
    /// Inner padding of a box.
    pub pad: f64,
    /// Height of a box's title line.
    pub header: f64,
    /// Height of a service box.
    pub service_h: f64,
    /// Room between the service row and the regions (for edges and labels).
    pub edge_room: f64,
    /// Height of the badge slot under each zone (two lines of 10-unit text).
    pub badge_h: f64,
}

impl Default for Projection {
    fn default() -> Self {
        Projection {
            width: 480.0,
            pod: 13.0,
            gap: 3.0,
            pad: 6.0,
            header: 16.0,
            service_h: 40.0,
            edge_room: 44.0,
            badge_h: 28.0,
        }
    }
}

impl Projection {
    /// Lays a row of service boxes out centred at height `y`, spaced so the
    /// rate labels of the edges into them fit between them.
    fn service_row(&self, kinds: &[ServiceKind], y: f64, out: &mut Vec<(ServiceKind, Rect)>) {
        if kinds.is_empty() {
            return;
        }
        let n = kinds.len() as f64;
        let space = self.width - self.pad * 2.0;
        let spacing = (space / n * 0.4).min(90.0).max(self.gap);
        let w = 130.0_f64.min((space - spacing * (n - 1.0)) / n);
        let total = n * (w + spacing) - spacing;
        let mut x = (self.width - total) / 2.0;
        for k in kinds {
            out.push((
                *k,
                Rect {
                    x,
                    y,
                    w,
                    h: self.service_h,
                },
            ));
            x += w + spacing;
        }
    }

    /// Lays `services` out from height `y`: those fed by no other in a row,
    /// each fed one under its feeder. Returns the bottom of the last row.
    fn service_rows(
        &self,
        services: &[ServiceShape],
        y: f64,
        out: &mut Vec<(ServiceKind, Rect)>,
    ) -> f64 {
        let placed = |s: &ServiceShape| {
            s.under
                .is_some_and(|u| services.iter().any(|o| o.kind == u && o.under.is_none()))
        };
        let first: Vec<ServiceKind> = services
            .iter()
            .filter(|s| !placed(s))
            .map(|s| s.kind)
            .collect();
        self.service_row(&first, y, out);
        let mut bottom = y + self.service_h;
        let y2 = bottom + self.edge_room;
        for s in services.iter().filter(|s| placed(s)) {
            let feeder = s.under;
            if let Some(r) = out
                .iter()
                .find(|(k, _)| Some(*k) == feeder)
                .map(|(_, r)| *r)
            {
                out.push((s.kind, Rect { y: y2, ..r }));
                bottom = y2 + self.service_h;
            }
        }
        bottom
    }

    /// A box of `count` pods at (x, y) of width `w`: its height, and the pods placed.
    fn pod_box(&self, ids: &[u64], x: f64, y: f64, w: f64, out: &mut Vec<(u64, Rect)>) -> f64 {
        let inner = (w - 2.0 * self.pad + self.gap).max(self.pod + self.gap);
        let cols = ((inner / (self.pod + self.gap)).floor() as usize).max(1);
        let rows = ids.len().div_ceil(cols).max(1);
        for (i, id) in ids.iter().enumerate() {
            let (r, c) = (i / cols, i % cols);
            out.push((
                *id,
                Rect {
                    x: x + self.pad + c as f64 * (self.pod + self.gap),
                    y: y + self.header + r as f64 * (self.pod + self.gap),
                    w: self.pod,
                    h: self.pod,
                },
            ));
        }
        self.header + rows as f64 * (self.pod + self.gap) - self.gap + self.pad
    }

    /// The layout of `shape`.
    pub fn layout(&self, shape: &Shape) -> Layout {
        let mut l = Layout {
            world: shape.world,
            width: self.width,
            ..Layout::default()
        };
        let mut y = self.pad;
        if !shape.front.is_empty() {
            y = self.service_rows(&shape.front, y, &mut l.services) + self.edge_room;
        }
        let nr = shape.regions.len().max(1) as f64;
        let region_w = (self.width - 2.0 * self.pad - self.gap * (nr - 1.0)) / nr;
        let mut bottom = y;
        for (ri, region) in shape.regions.iter().enumerate() {
            let rx = self.pad + ri as f64 * (region_w + self.gap);
            let nz = region.zones.len().max(1) as f64;
            let zone_w = (region_w - 2.0 * self.pad - self.gap * (nz - 1.0)) / nz;
            let mut zones_bottom = y + self.header;
            for (zi, zone) in region.zones.iter().enumerate() {
                let zx = rx + self.pad + zi as f64 * (zone_w + self.gap);
                let zy = y + self.header;
                let mut cy = zy + self.header;
                let node_w = zone_w - 2.0 * self.pad;
                // One box of pods (a node's, or the zone's pending pods) at `cy`, and
                // the height it took.
                let stack = |pods: &[u64], cy: f64, pod_rects: &mut Vec<(u64, Rect)>| {
                    let h = self.pod_box(pods, zx + self.pad, cy, node_w, pod_rects);
                    let rect = Rect {
                        x: zx + self.pad,
                        y: cy,
                        w: node_w,
                        h,
                    };
                    (rect, h + self.gap)
                };
                for node in &zone.nodes {
                    let (rect, used) = stack(&node.pods, cy, &mut l.pods);
                    l.nodes.push((node.id, rect));
                    cy += used;
                }
                if !zone.unscheduled.is_empty() {
                    let (rect, used) = stack(&zone.unscheduled, cy, &mut l.pods);
                    l.pending.push((zone.index, rect));
                    cy += used;
                }
                let zh = (cy - zy + self.pad - self.gap).max(self.header + 2.0 * self.pad);
                l.zones.push((
                    zone.index,
                    Rect {
                        x: zx,
                        y: zy,
                        w: zone_w,
                        h: zh,
                    },
                ));
                let slot = Rect {
                    x: zx,
                    y: zy + zh + self.gap,
                    w: zone_w,
                    h: self.badge_h,
                };
                l.badges.push((zone.index, slot));
                zones_bottom = zones_bottom.max(slot.bottom());
            }
            let rect = Rect {
                x: rx,
                y,
                w: region_w,
                h: zones_bottom + self.pad - y,
            };
            bottom = bottom.max(rect.y + rect.h);
            l.regions.push((region.name.clone(), rect));
        }
        // Every region of a row gets the height of the tallest.
        for (_, r) in l.regions.iter_mut() {
            r.h = bottom - r.y;
        }
        y = bottom;
        if !shape.back.is_empty() {
            y = self.service_rows(&shape.back, y + self.edge_room, &mut l.services);
        }
        l.height = y + self.pad;
        l
    }
}
