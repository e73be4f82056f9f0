//! Probe: runs a built-in scenario and prints the data-tier figures every few minutes.
use scalesim::scenario::{built_in, load};
use scalesim::sim::failure::FailureReason;
use scalesim::sim::{run_until, World};

fn main() {
    let name = std::env::args().nth(1).unwrap_or("reference".into());
    let every: f64 = std::env::args()
        .nth(2)
        .map_or(3600.0, |s| s.parse().unwrap());
    let s = load(&name, built_in(&name).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let mut w = World::new(&s, s.run.seed).unwrap();
    let mut t = 0.0;
    while t < s.run.duration_s {
        t += every;
        run_until(&mut w, t);
        let d = &w.data;
        println!(
            "t={:>6.0} arr={:>7.0} ok={:>7.0} err={:>6.1} p99={:>6.1} pods={:>3} cdn={:.2} cache={:.2} dbR={:>6.0} dbW={:>5.0} conn={:>5.0} lag={:>6.1}ms klag={:>7.0} ({:>5.1}s) cons={} stale={:.2}% dlat={:.1} wait={:.1} gap={:.2e} fails={:?}",
            w.now_s, w.last.arrivals_rps, w.last.served_rps, w.last.errors_rps, w.last.p99_ms, w.ready_app_pods(),
            d.last.cdn_hit_ratio, d.last.cache_hit_ratio, d.last.db_reads_per_s, d.last.db_writes_per_s,
            d.last.db_connections_in_use, d.last.db_replica_lag_ms, d.last.kafka_lag_messages, d.last.kafka_lag_s,
            d.last.kafka_consumers, d.last.stale_read_pct, d.latency_ms, d.waiting_requests, w.counters.conservation_gap(),
            (d.counters.failures[FailureReason::Database] as u64, d.counters.failures[FailureReason::NoQuorum] as u64, d.counters.failures[FailureReason::PublishRefused] as u64, d.counters.failures[FailureReason::Dependency] as u64, d.counters.failures[FailureReason::RegionUnreachable] as u64)
        );
    }
    for e in w
        .events
        .iter()
        .filter(|e| {
            !matches!(
                e,
                scalesim::sim::events::SimEvent::PodReady { .. }
                    | scalesim::sim::events::SimEvent::NodeAdded { .. }
            )
        })
        .take(60)
    {
        println!("{}", e.describe());
    }
}
