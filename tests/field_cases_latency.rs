//! Field cases on latency (docs/models.md#latency): a request's latency is its own (the data-tier time
//! of the requests that incur it, with its spread), and the latency SLI and percentiles
//! are exact for the model. Inputs from public reports are in
//! `tests/fixtures/field-cases/engine/`; the other members of each kind are built here.

use scalesim::scenario::{load, Scenario};
use scalesim::sim::failure::FailureReason;
use scalesim::sim::latency::ResponseTime;
use scalesim::sim::{run_until, World};

const FIXED5: &str = include_str!("fixtures/field-cases/engine/fixed5.toml");
const RHO95: &str = include_str!("fixtures/field-cases/engine/rho95-th300.toml");

fn scenario(text: &str) -> Scenario {
    load("field-case.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

fn run(text: &str, until_s: f64) -> World {
    let s = scenario(text);
    let mut w = World::new(&s, s.run.seed).unwrap();
    run_until(&mut w, until_s);
    w
}

/// Share of served requests within the SLI threshold over the run [fraction].
fn sli(w: &World) -> f64 {
    w.counters.latency_good / w.counters.served
}

/// The exact `p`-quantile of a mixture of response times (weight, rt) [ms], by bisection.
fn mixture_quantile(parts: &[(f64, ResponseTime)], p: f64) -> f64 {
    let total: f64 = parts.iter().map(|(w, _)| w).sum();
    let cdf = |x: f64| parts.iter().map(|(w, r)| w * r.cdf(x)).sum::<f64>() / total;
    let (mut lo, mut hi) = (0.0, 1e7);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

fn assert_within(got: f64, want: f64, rel: f64, what: &str) {
    assert!(
        (got - want).abs() <= rel * want,
        "{what}: got {got:.3}, exact {want:.3} ({:+.2} %)",
        (got / want - 1.0) * 100.0
    );
}

#[test]
fn one_pod_at_rho_095_has_77_7_percent_under_300_ms() {
    // Field case rho95-th300: M/M/1 with μ = 100/s, λ = 95/s. The SLI read 90.0 % before
    // (the six mass points put 90 % of the requests under 300 ms); the model's share is
    // 1 − e^(−(μ − λ)·0.3 s) = 1 − e^(−1.5) = 77.69 %.
    let w = run(RHO95, 900.0);
    let exact = 1.0 - (-1.5f64).exp();
    assert!(
        (sli(&w) - exact).abs() < 0.005,
        "SLI {:.3} % vs {:.3} %",
        sli(&w) * 100.0,
        exact * 100.0
    );
}

/// The rho95 pod at `rps` req/s with the SLI threshold at `threshold_ms`.
fn one_pod(rps: f64, threshold_ms: f64) -> String {
    RHO95
        .replace("rps = 95.0", &format!("rps = {rps}"))
        .replace(
            "latency_threshold_ms = 300.0",
            &format!("latency_threshold_ms = {threshold_ms}"),
        )
}

#[test]
fn the_sli_is_exact_at_any_load_and_threshold() {
    for rps in [30.0, 50.0, 80.0, 90.0, 97.0] {
        for threshold_ms in [5.0, 12.0, 25.0, 50.0, 100.0, 180.0, 300.0, 700.0] {
            let w = run(&one_pod(rps, threshold_ms), 120.0);
            let exact = 1.0 - (-(100.0 - rps) * threshold_ms / 1000.0).exp();
            assert!(
                (sli(&w) - exact).abs() < 0.005,
                "λ = {rps}/s, threshold {threshold_ms} ms: {:.2} % vs {:.2} %",
                sli(&w) * 100.0,
                exact * 100.0
            );
        }
    }
}

#[test]
fn one_pods_percentiles_are_the_m_m_1_quantiles_within_2_percent() {
    for rps in [10.0, 50.0, 80.0, 95.0] {
        let w = run(&one_pod(rps, 300.0), 300.0);
        let rt = ResponseTime::new(0.0, 1000.0 / (100.0 - rps), 0.0);
        assert_within(w.last.p50_ms, rt.quantile_ms(0.5), 0.02, "p50");
        assert_within(w.last.p95_ms, rt.quantile_ms(0.95), 0.02, "p95");
        assert_within(w.last.p99_ms, rt.quantile_ms(0.99), 0.02, "p99");
    }
}

/// Two 1-core pods in two zones, weighted 3:1 (no cross-zone hop), at `rps` in all: the
/// pods serve 3/4 and 1/4 of the requests at different loads.
fn two_pods(rps: f64, threshold_ms: f64) -> String {
    format!(
        r#"
title = "two pods at different loads"
[run]
duration_s = 600.0
seed = 1
[topology]
initial_replicas = 2
regions = [{{ name = "r1", zones = ["a", "b"] }}]
[topology.network]
cross_zone_ms = 0.0
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 1000
[balancer]
algorithm = "weighted"
zone_weights = {{ a = 3.0, b = 1.0 }}
[traffic]
noise = false
profile = {{ kind = "constant", rps = {rps} }}
classes = [{{ name = "api", share = 1.0, cpu_ms = 10.0 }}]
[slo]
latency_threshold_ms = {threshold_ms}
[cluster_autoscaler]
enabled = false
"#
    )
}

#[test]
fn a_mixture_of_pods_at_different_loads_reads_back_its_exact_quantiles_and_sli() {
    for rps in [60.0, 100.0, 120.0] {
        let (la, lb) = (0.75 * rps, 0.25 * rps);
        let parts = [
            (la, ResponseTime::new(0.0, 1000.0 / (100.0 - la), 0.0)),
            (lb, ResponseTime::new(0.0, 1000.0 / (100.0 - lb), 0.0)),
        ];
        for threshold_ms in [20.0, 60.0, 150.0] {
            let w = run(&two_pods(rps, threshold_ms), 300.0);
            let exact = parts
                .iter()
                .map(|(l, r)| l * r.cdf(threshold_ms))
                .sum::<f64>()
                / rps;
            assert!(
                (sli(&w) - exact).abs() < 0.005,
                "{rps}/s under {threshold_ms} ms: {:.2} % vs {:.2} %",
                sli(&w) * 100.0,
                exact * 100.0
            );
            assert_within(w.last.p50_ms, mixture_quantile(&parts, 0.5), 0.02, "p50");
            assert_within(w.last.p95_ms, mixture_quantile(&parts, 0.95), 0.02, "p95");
            assert_within(w.last.p99_ms, mixture_quantile(&parts, 0.99), 0.02, "p99");
        }
    }
}

#[test]
fn a_pod_without_connections_does_not_slow_the_pods_with_them() {
    // Field case fixed5: 5 pods × 50 connections against max_connections = 200. Before,
    // the fifth pod's pool wait was averaged onto every request: p50 1,216 ms and 0.3 %
    // under 300 ms. Now four pods hold the connections and serve like a clean 4-pod run;
    // the fifth pod's queries wait out the pool timeout and fail.
    let five = run(FIXED5, 600.0);
    // The same four pods at the same load (800 req/s), with no fifth pod.
    let four = run(
        &FIXED5
            .replace("initial_replicas = 5", "initial_replicas = 4")
            .replace("rps = 1000.0", "rps = 800.0"),
        600.0,
    );
    assert_within(
        five.last.p50_ms,
        four.last.p50_ms,
        0.02,
        "p50 of served requests",
    );
    assert_within(
        five.last.p99_ms,
        four.last.p99_ms,
        0.02,
        "p99 of served requests",
    );
    assert!(five.last.p50_ms < 10.0, "p50 {} ms", five.last.p50_ms);
    assert!(sli(&five) > 0.999, "SLI {:.2} %", sli(&five) * 100.0);
    let served_share = five.counters.served / five.counters.arrived;
    assert!(
        (served_share - 0.8).abs() < 0.01,
        "four pods of five serve: {served_share}"
    );
    // A partial pool (4 full pools and 20 connections for the fifth pod): the full pods'
    // requests are not slowed by the fifth pod's waits either.
    let partial = run(
        &FIXED5.replace("max_connections = 200", "max_connections = 220"),
        600.0,
    );
    assert_within(
        partial.last.p50_ms,
        four.last.p50_ms,
        0.05,
        "p50 with a partial pool",
    );
}

#[test]
fn the_database_read_time_has_a_spread_around_its_mean() {
    // One fast pod and a database whose reads take 20 ms on average: the read time is
    // exponential with that mean (not a constant 20 ms), so the p99 sits well above it.
    let text = one_pod(10.0, 300.0)
        .replace("[slo]", "[database]\nread_ms = 20.0\nworkers = 64\n\n[slo]")
        .replace("cpu_ms = 10.0", "cpu_ms = 10.0\nreads = 1.0");
    let w = run(&text, 120.0);
    let rt = ResponseTime::new(0.0, 1000.0 / 90.0, 20.0);
    assert_within(w.last.p50_ms, rt.quantile_ms(0.5), 0.03, "p50");
    assert_within(w.last.p99_ms, rt.quantile_ms(0.99), 0.03, "p99");
    assert!(w.last.p99_ms > 3.0 * 20.0, "p99 {}", w.last.p99_ms);
}

/// A regression: an overloaded shop (100 req/s on about 60 req/s of pods,
/// a 10 s timeout) run for 1 s reported a p99 of 9.8 s and a timed-out request.
const OVERLOADED: &str = "title = \"min\"\n[run]\nduration_s = 600.0\n[traffic]\nprofile = { kind = \"constant\", rps = 100.0 }\n";

#[test]
fn no_response_is_older_than_the_run_and_none_times_out_before_the_timeout() {
    let timeout_s = scenario(OVERLOADED).topology.pod.timeout_ms / 1000.0;
    assert_eq!(timeout_s, 10.0);
    for until_s in [1.0, 2.0, 5.0, 9.0] {
        let w = run(OVERLOADED, until_s);
        assert!(
            w.last.p99_ms <= until_s * 1000.0,
            "{until_s} s: p99 {} ms",
            w.last.p99_ms
        );
        assert_eq!(
            w.counters.failures[FailureReason::TimedOut],
            0.0,
            "{until_s} s"
        );
        assert!(w.counters.served > 0.0);
    }
    // Once the run has lasted the timeout, the overload's requests time out.
    let w = run(OVERLOADED, 60.0);
    assert!(
        w.counters.failures[FailureReason::TimedOut] > 1000.0,
        "{}",
        w.counters.failures[FailureReason::TimedOut]
    );
    // At the timeout, not past it inside the timeout's histogram bin.
    assert!(
        w.last.p99_ms > 9_000.0 && w.last.p99_ms <= 10_000.0,
        "{}",
        w.last.p99_ms
    );
}
