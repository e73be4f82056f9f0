//! Benchmark: the reference scenario (3 zones, HPA 3–60 pods, cluster autoscaler, diurnal
//! traffic with a 10× spike, SLO tracking on, a CDN, a cache, a database with two replicas
//! and a Kafka topic whose consumers scale on lag) for 24 h at 1 s ticks.
//! For context it also times the same scenario without the data tier, in the same run
//! (the machine is shared, so absolute figures move with its load).
//!
//! Prints simulated seconds per wall second and the memory held by the metric series.
//! The bar: at least 300,000 simulated seconds per wall second.

use scalesim::scenario::{built_in, load};
use scalesim::sim::{run_until, World};
use std::time::Instant;

fn main() {
    let text = built_in("reference").expect("built-in reference scenario");
    let scenario = load("scenarios/reference.toml", text).expect("reference scenario loads");
    let day_s = 86_400.0;
    let mut best = f64::INFINITY;
    let mut series_bytes = 0;
    let mut series_bytes_30d = 0;
    let mut peak_pods = 0;
    let mut shape_stats = (0, 0);
    for _ in 0..5 {
        let mut w = World::new(&scenario, 42).expect("world");
        let start = Instant::now();
        run_until(&mut w, day_s);
        let wall = start.elapsed().as_secs_f64();
        best = best.min(wall);
        series_bytes = w.series.heap_bytes();
        peak_pods = w.peaks.pods_ready;
        shape_stats = (w.scratch.shapes.hits, w.scratch.shapes.misses);
    }
    {
        let mut w = World::new(&scenario, 42).expect("world");
        run_until(&mut w, 30.0 * day_s);
        series_bytes_30d = series_bytes_30d.max(w.series.heap_bytes());
    }
    println!("reference scenario, 24 h at 1 s ticks (86,400 ticks), best of 5");
    println!("  wall time                 {:.3} s", best);
    println!("  simulated s per wall s    {:.0}", day_s / best);
    println!("  time per tick             {:.2} µs", best / day_s * 1e6);
    println!("  peak ready pods           {peak_pods}");
    println!(
        "  latency shapes            {} reused, {} computed ({:.1} per tick)",
        shape_stats.0,
        shape_stats.1,
        (shape_stats.0 + shape_stats.1) as f64 / day_s
    );
    println!(
        "  series memory (24 h)      {:.1} KiB",
        series_bytes as f64 / 1024.0
    );
    println!(
        "  series memory (30 days)   {:.1} KiB",
        series_bytes_30d as f64 / 1024.0
    );
    let mut engine_only = scenario.clone();
    engine_only.cdn = None;
    engine_only.cache = None;
    engine_only.database = None;
    engine_only.kafka = None;
    let mut best_engine = f64::INFINITY;
    for _ in 0..3 {
        let mut w = World::new(&engine_only, 42).expect("world");
        let start = Instant::now();
        run_until(&mut w, day_s);
        best_engine = best_engine.min(start.elapsed().as_secs_f64());
    }
    println!(
        "  without the data tier     {:.0} sim-s/s (same run, for context)",
        day_s / best_engine
    );
    let bar = 300_000.0;
    println!(
        "  bar {:.0} sim-s/s: {}",
        bar,
        if day_s / best >= bar {
            "MET"
        } else {
            "NOT MET"
        }
    );
}
