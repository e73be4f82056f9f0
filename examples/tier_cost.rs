//! Times the reference scenario for a simulated day with each data tier removed in turn.
use scalesim::scenario::{built_in, load};
use scalesim::sim::{run_until, World};
use std::time::Instant;

fn main() {
    let base = load("reference", built_in("reference").unwrap()).unwrap();
    for what in [
        "all",
        "no cdn",
        "no cache",
        "no database",
        "no kafka",
        "none",
    ] {
        let mut s = base.clone();
        match what {
            "no cdn" => s.cdn = None,
            "no cache" => s.cache = None,
            "no database" => s.database = None,
            "no kafka" => s.kafka = None,
            "none" => {
                s.cdn = None;
                s.cache = None;
                s.database = None;
                s.kafka = None;
            }
            _ => {}
        }
        let mut best = f64::MAX;
        for _ in 0..3 {
            let mut w = World::new(&s, 42).unwrap();
            let t = Instant::now();
            run_until(&mut w, 86_400.0);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{what:<12} {:.3} s  {:.0} sim-s/s", best, 86_400.0 / best);
    }
}
