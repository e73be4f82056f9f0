//! The diagram's services as one enum: each kind's title and the key its
//! edges carry in the page (`data-from="lb"`, which the browser tests read),
//! from exhaustive matches, so a new service fails to compile until every
//! place that draws, names or acts on a service handles it.

/// A service box outside the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    /// The load balancer in front of the pods.
    LoadBalancer,
    /// The CDN in front of the load balancer.
    Cdn,
    /// The cache the pods read through.
    Cache,
    /// The database (its shards, primaries and replicas).
    Database,
    /// The Kafka topic the pods publish to (its partitions).
    Kafka,
    /// The topic's consumers (they write to the database).
    Consumers,
    /// The external dependency the pods call (a payment provider, a card network).
    External,
}

impl ServiceKind {
    /// Every kind, front to back (load balancer first).
    pub const ALL: [ServiceKind; 7] = [
        ServiceKind::LoadBalancer,
        ServiceKind::Cdn,
        ServiceKind::Cache,
        ServiceKind::Database,
        ServiceKind::Kafka,
        ServiceKind::Consumers,
        ServiceKind::External,
    ];

    /// Its name as the learner reads it: the box's label, the inspector's
    /// heading ("Load balancer", "Kafka topic").
    pub const fn title(self) -> &'static str {
        match self {
            ServiceKind::LoadBalancer => "Load balancer",
            ServiceKind::Cdn => "CDN",
            ServiceKind::Cache => "Cache",
            ServiceKind::Database => "Database",
            ServiceKind::Kafka => "Kafka topic",
            ServiceKind::Consumers => "Consumers",
            ServiceKind::External => "Dependency",
        }
    }

    /// Its stable key in the page: the `data-from`/`data-to` of the flow
    /// edges ("lb", "kafka"), which the browser tests select on.
    pub const fn dom_key(self) -> &'static str {
        match self {
            ServiceKind::LoadBalancer => "lb",
            ServiceKind::Cdn => "cdn",
            ServiceKind::Cache => "cache",
            ServiceKind::Database => "database",
            ServiceKind::Kafka => "kafka",
            ServiceKind::Consumers => "consumers",
            ServiceKind::External => "external",
        }
    }
}
