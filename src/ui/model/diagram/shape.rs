//! The topology as the diagram sees it: which boxes nest in which, read from a
//! snapshot. Only ids and names: positions come from the [`Projection`](super::Projection).

use super::ServiceKind;
use scalesim::sim::snapshot::Snapshot;
use scalesim::sim::topology::PodState;

/// A service box outside the cluster (load balancer; CDN, cache, database,
/// topic and its consumers, external dependency when the world has them).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceShape {
    /// Which service it is (its label is the kind's [title](ServiceKind::title)).
    pub kind: ServiceKind,
    /// The service that feeds it, which it is drawn under (the database
    /// under the cache, the consumers under the topic), if any.
    pub under: Option<ServiceKind>,
}

/// A node and the pods bound to it.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeShape {
    /// Node id.
    pub id: u64,
    /// Pod ids on it, in world order.
    pub pods: Vec<u64>,
}

/// A zone, its nodes and its pods waiting for a node.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneShape {
    /// Zone index in the world.
    pub index: u16,
    /// Name.
    pub name: String,
    /// Nodes.
    pub nodes: Vec<NodeShape>,
    /// Pods with no node yet (Pending).
    pub unscheduled: Vec<u64>,
}

/// A region and its zones.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionShape {
    /// Name.
    pub name: String,
    /// Zones.
    pub zones: Vec<ZoneShape>,
}

/// The whole topology.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Shape {
    /// The world it was read from ([`Frame::world`](crate::model::sim_loop::Frame::world)):
    /// the diagram's keyed layers key on it, so a new scenario redraws every box.
    pub world: u64,
    /// Services in front of the cluster, left to right.
    pub front: Vec<ServiceShape>,
    /// Regions, left to right.
    pub regions: Vec<RegionShape>,
    /// Services behind the cluster (data tier), left to right.
    pub back: Vec<ServiceShape>,
}

/// The shape of `snap`. Pending pods have no node; a zone of a region appears
/// under it in world order.
pub fn shape_of(snap: &Snapshot) -> Shape {
    let mut regions: Vec<RegionShape> = Vec::new();
    for (i, z) in snap.zones.iter().enumerate() {
        let zone = ZoneShape {
            index: i as u16,
            name: z.name.clone(),
            nodes: snap
                .nodes
                .iter()
                .filter(|n| n.zone as usize == i)
                .map(|n| NodeShape {
                    id: n.id,
                    pods: snap
                        .pods
                        .iter()
                        .filter(|p| p.node == Some(n.id))
                        .map(|p| p.id)
                        .collect(),
                })
                .collect(),
            // Pods waiting for a node; a pod lost with its node is not waiting
            // (the zone's badge and inspector count those).
            unscheduled: snap
                .pods
                .iter()
                .filter(|p| {
                    p.node.is_none() && p.zone as usize == i && p.state == PodState::Pending
                })
                .map(|p| p.id)
                .collect(),
        };
        match regions.iter_mut().find(|r| r.name == z.region) {
            Some(r) => r.zones.push(zone),
            None => regions.push(RegionShape {
                name: z.region.clone(),
                zones: vec![zone],
            }),
        }
    }
    // Pods with no node and no zone of their own (zone index out of range) are not drawn.
    let service = |kind: ServiceKind, under: Option<ServiceKind>| ServiceShape { kind, under };
    let mut front = Vec::new();
    if snap.tiers.cdn.is_some() {
        front.push(service(ServiceKind::Cdn, None));
        front.push(service(ServiceKind::LoadBalancer, Some(ServiceKind::Cdn)));
    } else {
        front.push(service(ServiceKind::LoadBalancer, None));
    }
    let mut back = Vec::new();
    if snap.tiers.cache.is_some() {
        back.push(service(ServiceKind::Cache, None));
    }
    if snap.tiers.database.is_some() {
        let under = snap.tiers.cache.is_some().then_some(ServiceKind::Cache);
        back.push(service(ServiceKind::Database, under));
    }
    if snap.tiers.kafka.is_some() {
        back.push(service(ServiceKind::Kafka, None));
        back.push(service(ServiceKind::Consumers, Some(ServiceKind::Kafka)));
    }
    if snap.tiers.external.is_some() {
        back.push(service(ServiceKind::External, None));
    }
    Shape {
        world: 0,
        front,
        regions,
        back,
    }
}
