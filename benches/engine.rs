//! Benchmark: the reference scenario (3 zones, HPA 3–60 pods, cluster autoscaler, diurnal
//! traffic with a 10× spike, SLO tracking on, a CDN, a cache, a database with two replicas
//! and a Kafka topic whose consumers scale on lag) for 24 h at 1 s ticks.
//! For context it also times the same scenario without the data tier, in the same run
//! (the machine is shared, so absolute figures move with its load).
//!
//! Prints simulated seconds per wall second and the memory held by the metric series.
//! The bar: at least 300,000 simulated seconds per wall second.
//!
//! Then the cost per pod: nanoseconds per pod-tick (one pod through one tick) at
//! 600, 6,000 and 60,000 pods, with a fixed pod count (no HPA, no cluster
//! autoscaler) and under churn (a load that rises tenfold and falls back, an HPA
//! following it and a cluster autoscaler adding and removing nodes). Bars: at most
//! 30 ns per pod-tick at 6,000 pods, and ten times the pods in at most 10.5 times
//! the time (the ratio of ns per pod-tick at 10× the pods, times 10).

use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::{run_until, step, World};
use std::time::Instant;

/// `SCALESIM_BENCH_ONLY=reference|fixed|churn` runs one part, and
/// `SCALESIM_BENCH_PODS=60000` one size of it (for profiling).
fn main() {
    let only = std::env::var("SCALESIM_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "reference" {
        reference();
    }
    if only.is_empty() || only == "fixed" || only == "churn" {
        per_pod(&only);
    }
}

fn reference() {
    let text = built_in("reference").expect("built-in reference scenario");
    let scenario = load("scenarios/reference.toml", text).expect("reference scenario loads");
    let day_s = 86_400.0;
    // One run of one variant and nothing else, for an instruction count
    // (scripts/bench-instructions.sh runs it under valgrind): plain, clients or all.
    if let Ok(variant) = std::env::var("SCALESIM_BENCH_VARIANT") {
        let (protected, all) = protection_variants(&scenario);
        let s = match variant.as_str() {
            "plain" => &scenario,
            "clients" => &protected,
            "all" => &all,
            other => panic!("SCALESIM_BENCH_VARIANT is {other:?}; use plain, clients or all"),
        };
        let hours: f64 = std::env::var("SCALESIM_BENCH_HOURS")
            .ok()
            .and_then(|h| h.parse().ok())
            .unwrap_or(24.0);
        let mut w = World::new(s, 42).expect("world");
        run_until(&mut w, hours * 3600.0);
        println!("{variant}: {hours} h run, {} pods at the end", w.pods.len());
        return;
    }
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
    let best_engine = best_day_s(&engine_only, 3);
    println!(
        "  without the data tier     {:.0} sim-s/s (same run, for context)",
        day_s / best_engine
    );
    let (protected, all) = protection_variants(&scenario);
    print_against("with retries and a breaker", &scenario, &protected, day_s);
    print_against("with every protection    ", &scenario, &all, day_s);
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

/// The reference scenario with the clients' protection (retries with backoff, jitter
/// and a budget, and a breaker), and with every protection (those, retries and
/// breakers on every dependency edge, a rate limit per class and overall, shedding).
fn protection_variants(scenario: &Scenario) -> (Scenario, Scenario) {
    // The clients' protection on: retries with backoff, jitter and a budget, and a
    // circuit breaker (issue 14's bar: within 15 % of the same scenario without).
    let mut protected = scenario.clone();
    protected.retry.client = Some(scalesim::sim::protection::RetryPolicy {
        max_attempts: 3,
        backoff: scalesim::sim::protection::BackoffKind::Exponential,
        base_ms: 200.0,
        cap_ms: 20_000.0,
        jitter: scalesim::sim::resilience::backoff::Jitter::Full,
        per_attempt_timeout_ms: Some(2_000.0),
        deadline_ms: None,
        budget: Some(scalesim::sim::protection::RetryBudget::default()),
        retry_on: scalesim::sim::protection::RetryOn::DEFAULT.to_vec(),
    });
    protected.breaker.client = Some(scalesim::sim::protection::BreakerPolicy::default());
    // Every protection on: the clients' as above, retries and breakers on the pods'
    // calls to the database (and the external dependency, if the scenario has one),
    // the consumers' retries, a rate limit per class and overall, and load shedding.
    let mut all = protected.clone();
    let edge_policy = scalesim::sim::protection::RetryPolicy {
        per_attempt_timeout_ms: None,
        ..protected
            .retry
            .client
            .clone()
            .expect("the client policy above")
    };
    all.retry.database = Some(edge_policy.clone());
    all.breaker.database = Some(scalesim::sim::protection::BreakerPolicy::default());
    if all.external.is_some() {
        all.retry.external = Some(edge_policy.clone());
        all.breaker.external = Some(scalesim::sim::protection::BreakerPolicy::default());
    }
    if all.cache.is_some() {
        all.retry.cache = Some(edge_policy.clone());
        all.breaker.cache = Some(scalesim::sim::protection::BreakerPolicy::default());
    }
    if all.kafka.is_some() {
        all.retry.consumer = Some(edge_policy);
    }
    all.rate_limit = Some(scalesim::sim::protection::RateLimitPolicy {
        at: scalesim::sim::protection::LimitAt::LoadBalancer,
        limit_rps: Some(1e7),
        burst: None,
        classes: vec![scalesim::sim::protection::ClassLimit {
            name: all.traffic.classes[0].name.clone(),
            limit_rps: 1e7,
            burst: None,
        }],
    });
    all.shedding = Some(scalesim::sim::protection::SheddingPolicy::default());
    (protected, all)
}

/// A variant's speed [sim-s/s] and its time per tick against the plain scenario's,
/// with issue 14's bar (within +15 %). The two run in pairs, a day each, 11 times, the
/// order swapped every pair; each pair's ratio is taken and the median counts, with the
/// spread of the middle half. A machine whose speed drifts moves both runs of a pair
/// alike, and one slow run moves one ratio, not the median.
fn print_against(label: &str, plain: &Scenario, variant: &Scenario, day_s: f64) {
    const PAIRS: usize = 11;
    let mut ratios = Vec::with_capacity(PAIRS);
    let (mut best_plain, mut best_variant) = (f64::INFINITY, f64::INFINITY);
    for i in 0..PAIRS {
        let (p, v) = if i % 2 == 0 {
            let p = best_day_s(plain, 1);
            (p, best_day_s(variant, 1))
        } else {
            let v = best_day_s(variant, 1);
            (best_day_s(plain, 1), v)
        };
        best_plain = best_plain.min(p);
        best_variant = best_variant.min(v);
        ratios.push(v / p);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[PAIRS / 2];
    let (q1, q3) = (ratios[PAIRS / 4], ratios[3 * PAIRS / 4]);
    println!(
        "  {label} {:.0} sim-s/s against {:.0}; time per tick {:+.1} % (median of {PAIRS} pairs; middle half {:+.1} to {:+.1} %); bar +15 %: {}",
        day_s / best_variant,
        day_s / best_plain,
        (median - 1.0) * 100.0,
        (q1 - 1.0) * 100.0,
        (q3 - 1.0) * 100.0,
        if median <= 1.15 { "MET" } else { "NOT MET" }
    );
}

/// The best wall time of `runs` runs of a day of `scenario` (seed 42) [s].
fn best_day_s(scenario: &Scenario, runs: u32) -> f64 {
    (0..runs)
        .map(|_| {
            let mut w = World::new(scenario, 42).expect("world");
            let start = Instant::now();
            run_until(&mut w, 86_400.0);
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// A world of `pods` app pods of 500 m CPU on 4-core nodes over 3 zones, each pod
/// serving about 150 req/s, with no autoscaling.
fn fixed_scenario(pods: u32) -> Scenario {
    let per_zone = pods.div_ceil(24) + 1;
    let text = format!(
        r#"
title = "bench: {pods} fixed pods"
[run]
duration_s = {duration_s}
[topology]
initial_replicas = {pods}
regions = [{{ name = "r1", zones = ["a", "b", "c"] }}]
[topology.nodes]
cpu_m = 4000
memory_mib = 16384
initial_per_zone = {per_zone}
min_per_zone = 1
max_per_zone = {per_zone}
[topology.pod]
cpu_request_m = 500
cpu_limit_m = 1000
memory_request_mib = 512
[traffic]
noise = true
profile = {{ kind = "constant", rps = {rps} }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 2.0 }}]
[cluster_autoscaler]
enabled = false
"#,
        rps = f64::from(pods) * 150.0,
        // Within the work a run may take: (pods + nodes) × ticks ≤ 2·10^10.
        duration_s = (1e9 / f64::from(pods)).min(1e6)
    );
    load("bench-fixed.toml", &text).expect("fixed bench scenario")
}

/// Churn: a load that swings from a ninth of the peak to the peak and back every
/// 1,200 s; an HPA (CPU 70 %, max `pods`) follows it and the cluster autoscaler
/// (2-minute unneeded time) adds and removes nodes.
fn churn_scenario(pods: u32) -> Scenario {
    let per_zone_max = (pods.div_ceil(24) + 2) * 13 / 10;
    let min = (pods / 10).max(3);
    let text = format!(
        r#"
title = "bench: churn up to {pods} pods"
[run]
duration_s = {duration_s}
[topology]
initial_replicas = {min}
regions = [{{ name = "r1", zones = ["a", "b", "c"] }}]
[topology.nodes]
cpu_m = 4000
memory_mib = 16384
initial_per_zone = {initial}
min_per_zone = 1
max_per_zone = {per_zone_max}
provision_delay_s = 60.0
[topology.pod]
cpu_request_m = 500
cpu_limit_m = 1000
memory_request_mib = 512
image_pull_s = 5.0
app_start_s = 5.0
readiness_delay_s = 2.0
warmup_s = 20.0
termination_grace_s = 10.0
[traffic]
noise = true
profile = {{ kind = "diurnal", mean_rps = {mean}, amplitude = 0.8, period_s = 1200.0, peak_at_s = 600.0 }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 2.0 }}]
[cluster_autoscaler]
enabled = true
scale_down_unneeded_s = 120.0
scale_down_delay_after_add_s = 60.0
[hpa]
minReplicas = {min}
maxReplicas = {pods}
[[hpa.metrics]]
type = "Resource"
resource = {{ name = "cpu", target = {{ type = "Utilization", averageUtilization = 70 }} }}
[hpa.behavior.scaleDown]
stabilizationWindowSeconds = 30
policies = [{{ type = "Percent", value = 100, periodSeconds = 15 }}]
"#,
        initial = min.div_ceil(24) + 1,
        mean = f64::from(pods) * 95.0,
        // Within the work a run may take: (pods + nodes) × ticks ≤ 2·10^10.
        duration_s = (1e9 / f64::from(pods)).min(1e6)
    );
    load("bench-churn.toml", &text).expect("churn bench scenario")
}

/// Runs `ticks` ticks of a fresh world; returns (wall [s], pod-ticks, most pods, most nodes).
fn time_run(scenario: &Scenario, ticks: u64) -> (f64, f64, usize, usize) {
    let mut w = World::new(scenario, 7).expect("world");
    let mut pod_ticks = 0.0;
    let (mut most_pods, mut most_nodes) = (0, 0);
    let start = Instant::now();
    for _ in 0..ticks {
        step(&mut w);
        pod_ticks += w.pods.len() as f64;
        most_pods = most_pods.max(w.pods.len());
        most_nodes = most_nodes.max(w.nodes.len());
    }
    (
        start.elapsed().as_secs_f64(),
        pod_ticks,
        most_pods,
        most_nodes,
    )
}

/// Best ns per pod-tick over `runs` runs of `ticks` ticks (the best, as the machine is
/// shared: the other runs measure its other loads, not the engine).
fn ns_per_pod_tick(scenario: &Scenario, ticks: u64, runs: u32) -> (f64, usize, usize) {
    let mut best = f64::INFINITY;
    let mut shape = (0, 0);
    for _ in 0..runs {
        let (wall, pod_ticks, pods, nodes) = time_run(scenario, ticks);
        best = best.min(wall * 1e9 / pod_ticks);
        shape = (pods, nodes);
    }
    (best, shape.0, shape.1)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

fn per_pod(only: &str) {
    const SIZES: [u32; 3] = [600, 6_000, 60_000];
    let one_size = std::env::var("SCALESIM_BENCH_PODS").unwrap_or_default();
    println!();
    println!("cost per pod: ns per pod-tick (wall time / Σ over ticks of the pods in the world)");
    for (name, churn) in [
        ("fixed pods, no autoscaling", false),
        ("HPA + cluster-autoscaler churn", true),
    ] {
        if (churn && only == "fixed") || (!churn && only == "churn") {
            continue;
        }
        println!("  {name}:");
        let mut ns = [0.0; 3];
        for (i, &pods) in SIZES.iter().enumerate() {
            if !one_size.is_empty() && one_size != pods.to_string() {
                continue;
            }
            let (scenario, ticks, runs) = if churn {
                // One full swing (1,200 s) at every size.
                (churn_scenario(pods), 1_200, 3)
            } else {
                // About 12 million pod-ticks at every size.
                (fixed_scenario(pods), u64::from(12_000_000 / pods), 3)
            };
            let (v, most_pods, most_nodes) = ns_per_pod_tick(&scenario, ticks, runs);
            ns[i] = v;
            println!(
                "    {pods:>6} pods   {v:>7.1} ns per pod-tick   ({ticks} ticks; at most {most_pods} pods on {most_nodes} nodes)"
            );
        }
        let bar_ns = 30.0;
        println!(
            "    bar ≤ {bar_ns:.0} ns per pod-tick at 6,000 pods: {:.1} ns, {}",
            ns[1],
            verdict(ns[1] <= bar_ns)
        );
        for i in 0..2 {
            let ratio = ns[i + 1] / ns[i] * 10.0;
            println!(
                "    time for 10× the pods ({} → {}): {ratio:.2}× (bar ≤ 10.5×), {}",
                SIZES[i],
                SIZES[i + 1],
                verdict(ratio <= 10.5)
            );
        }
    }
}
