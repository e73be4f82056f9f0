//! Read-your-writes routing in the asia-dashboards world (docs/models.md#read-your-writes-routing):
//! with the store left eventual, sending a session's reads after its own write to the
//! leader for longer than the replication lag, or to the replica that took the write,
//! ends the stale reads of one's own writes, while other users' reads of keys written
//! within the lag stay stale. A window shorter than the lag leaves some own reads stale.

use scalesim::scenario::knobs::apply_knobs;
use scalesim::scenario::{load_built_in, Scenario};
use scalesim::sim::series::Series;
use scalesim::sim::{step, World};

/// What a run showed after its first minute.
#[derive(Debug)]
struct Seen {
    /// Peak stale reads of one's own write [% of reads].
    own_peak: f64,
    /// Mean stale reads of one's own write [% of reads].
    own_mean: f64,
    /// Mean of every stale read [% of reads].
    stale_mean: f64,
    /// Peak request p99 [ms].
    p99_peak: f64,
    /// Peak of the store's read p99 [ms].
    store_read_p99: f64,
    /// Mean replication lag [ms].
    lag_mean: f64,
}

fn scenario(knobs: &[(&str, f64)]) -> Scenario {
    let mut s = load_built_in("asia-dashboards").unwrap().unwrap();
    apply_knobs(&mut s, knobs.iter().copied()).unwrap_or_else(|e| panic!("{e}"));
    s
}

fn run(knobs: &[(&str, f64)], seed: u64, until_s: f64) -> Seen {
    let s = scenario(knobs);
    let mut w = World::new(&s, seed).unwrap();
    let mut seen = Seen {
        own_peak: 0.0,
        own_mean: 0.0,
        stale_mean: 0.0,
        p99_peak: 0.0,
        store_read_p99: 0.0,
        lag_mean: 0.0,
    };
    let mut ticks = 0.0;
    while w.now_s < until_s - 1e-9 {
        step(&mut w);
        if w.now_s <= 60.0 {
            continue;
        }
        let row = &w.series.latest;
        let own = row[Series::OwnStaleReadPct.index()];
        let stale = row[Series::StaleReadPct.index()];
        assert!(
            own <= stale + 1e-12,
            "own {own} % > all {stale} % at {}",
            w.now_s
        );
        seen.own_peak = seen.own_peak.max(own);
        seen.own_mean += own;
        seen.stale_mean += stale;
        seen.lag_mean += row[Series::DbReplicationLagMs.index()];
        seen.p99_peak = seen.p99_peak.max(row[Series::P99Ms.index()]);
        let store = w.data.store.as_ref().expect("a store").last().total;
        seen.store_read_p99 = seen.store_read_p99.max(store.read_p99_ms);
        ticks += 1.0;
    }
    seen.own_mean /= ticks;
    seen.stale_mean /= ticks;
    seen.lag_mean /= ticks;
    seen
}

const ROUTING: &str = "consistency.read_routing";
const WINDOW: &str = "consistency.leader_window_ms";

#[test]
fn read_your_writes_routing_ends_own_write_stale_reads_and_leaves_the_others() {
    let until = 600.0;
    let replicas = run(&[], 1, until);
    let short = run(&[(ROUTING, 1.0), (WINDOW, 20.0)], 1, until);
    let leader = run(&[(ROUTING, 1.0), (WINDOW, 1_000.0)], 1, until);
    let sticky = run(&[(ROUTING, 2.0)], 1, until);
    for (name, s) in [
        ("replicas", &replicas),
        ("leader_after_write 20 ms", &short),
        ("leader_after_write 1 s", &leader),
        ("sticky_session", &sticky),
    ] {
        println!(
            "{name:>24}: own-write stale {:.3} % (peak {:.3} %), other stale {:.3} %, \
             request p99 peak {:.1} ms, store read p99 {:.1} ms, lag {:.0} ms",
            s.own_mean,
            s.own_peak,
            s.stale_mean - s.own_mean,
            s.p99_peak,
            s.store_read_p99,
            s.lag_mean
        );
    }
    // Eventual with local reads: most stale reads are users missing their own save.
    assert!(replicas.own_mean > 3.0, "{replicas:?}");
    assert!(
        replicas.own_mean > 0.8 * replicas.stale_mean,
        "{replicas:?}"
    );
    // A window shorter than the lag (~100 ms) leaves the reads in [W, L) stale.
    assert!(short.own_mean > 1.0, "{short:?}");
    assert!(short.own_mean < replicas.own_mean, "{short:?}");
    // Past the lag, or at the replica that took the write: none.
    for s in [&leader, &sticky] {
        assert_eq!(s.own_peak, 0.0, "{s:?}");
        // Other users still read keys written within the lag.
        let other = s.stale_mean - s.own_mean;
        assert!(other > 0.01, "{s:?}");
        let before = replicas.stale_mean - replicas.own_mean;
        assert!(
            (other - before).abs() < 0.05 * before,
            "{other} vs {before}"
        );
        // The price is in the store's reads: the leader is 180 ms away for 2/3 of clients.
        assert!(s.store_read_p99 > 180.0, "{s:?}");
    }
    assert!(replicas.store_read_p99 < 10.0, "{replicas:?}");
    // The requests' data path carries the writes' wait only: the p99 stays where it was.
    for s in [&short, &leader, &sticky] {
        assert!((s.p99_peak - replicas.p99_peak).abs() < 1e-9, "{s:?}");
    }
}

#[test]
fn the_default_routing_is_the_eventual_store_as_before() {
    // Writing the defaults changes nothing: replicas, a one-minute window unused.
    let a = run(&[], 2, 300.0);
    let b = run(&[(ROUTING, 0.0), (WINDOW, 60_000.0)], 2, 300.0);
    assert_eq!(a.own_mean.to_bits(), b.own_mean.to_bits());
    assert_eq!(a.stale_mean.to_bits(), b.stale_mean.to_bits());
    assert_eq!(a.p99_peak.to_bits(), b.p99_peak.to_bits());
}
