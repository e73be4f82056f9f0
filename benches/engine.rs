//! Benchmark: the reference scenario (3 zones, HPA 3–60 pods, cluster autoscaler, diurnal
//! traffic with a 10× spike, SLO tracking on) for 24 h at 1 s ticks.
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
    for _ in 0..5 {
        let mut w = World::new(&scenario, 42).expect("world");
        let start = Instant::now();
        run_until(&mut w, day_s);
        let wall = start.elapsed().as_secs_f64();
        best = best.min(wall);
        series_bytes = w.series.heap_bytes();
        peak_pods = w.peaks.pods_ready;
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
        "  series memory (24 h)      {:.1} KiB",
        series_bytes as f64 / 1024.0
    );
    println!(
        "  series memory (30 days)   {:.1} KiB",
        series_bytes_30d as f64 / 1024.0
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
