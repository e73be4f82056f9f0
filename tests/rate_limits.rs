//! Token-bucket rate limits at the load balancer and the edge
//! (docs/models.md#rate-limits): a surge past the limit is refused with 429 while the
//! pods stay within their capacity, per-class buckets shape one class and spare
//! another, and 429s burn the error budget only when the SLO counts them.

use scalesim::scenario::load;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::series::Series;
use scalesim::sim::World;

mod fixtures;

/// A shop of 6 pods of one core (5 ms a request: 1,200 req/s flat out), 600 req/s of
/// browse and checkout (4 : 1), a 4× surge from 120 s to 420 s, no autoscaling;
/// `extra` is appended.
fn shop(extra: &str) -> String {
    format!(
        r#"
title = "Shop"
[run]
duration_s = 600.0
seed = 1
[topology]
initial_replicas = 6
regions = [{{ name = "r", zones = ["a", "b", "c"] }}]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 1
max_per_zone = 1
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 1000
queue_limit = 2000.0
timeout_ms = 2000.0
[traffic]
noise = false
profile = {{ kind = "product", parts = [
  {{ kind = "constant", rps = 600.0 }},
  {{ kind = "spike", multiplier = 4.0, start_s = 120.0, ramp_up_s = 0.0, hold_s = 300.0, ramp_down_s = 0.0 }},
] }}
[[traffic.classes]]
name = "browse"
share = 4.0
cpu_ms = 5.0
[[traffic.classes]]
name = "checkout"
share = 1.0
cpu_ms = 5.0
[cluster_autoscaler]
enabled = false
{extra}
"#
    )
}

fn run(text: &str) -> World {
    fixtures::run_text("shop.toml", text, &[], None)
}

fn budget_used_pct(w: &World) -> f64 {
    100.0 - w.series.latest[Series::BudgetRemainingPct.index()]
}

const LIMIT: &str = "[rate_limit]\nlimit_rps = 1000.0\nburst = 1000.0\n";

#[test]
fn a_rate_limit_refuses_the_surge_with_429_and_the_pods_stay_healthy() {
    let open = run(&shop(""));
    let limited = run(&shop(LIMIT));
    // The surge (2,400 req/s) overruns 1,200 req/s of pods: timeouts without a limit.
    assert!(open.counters.failures[FailureReason::TimedOut] > 10_000.0);
    // With a limit of 1,000 req/s: 1,400 req/s refused for 300 s (less the first
    // second's burst), and nothing else fails.
    let refused = limited.counters.failures[FailureReason::RateLimited];
    assert!(
        (refused - (1400.0 * 300.0 - 1000.0)).abs() < 2_000.0,
        "{refused}"
    );
    let other = limited.counters.failures.total() - refused;
    assert!(other < 1.0, "{other} other failures");
    assert!(limited.peaks.p99_ms < 200.0, "{} ms", limited.peaks.p99_ms);
    assert!((limited.series.peaks[Series::RateLimitedRps.index()] - 1400.0).abs() < 1e-6);
    // 429s are not valid events of the availability SLI by default.
    assert!(
        budget_used_pct(&limited) < 0.01,
        "{}",
        budget_used_pct(&limited)
    );
    assert!(budget_used_pct(&open) > 20.0, "{}", budget_used_pct(&open));
    let counted = run(&shop(&format!("{LIMIT}[slo]\ncount_rate_limited = true\n")));
    assert!(
        budget_used_pct(&counted) > 20.0,
        "{}",
        budget_used_pct(&counted)
    );
}

#[test]
fn a_class_bucket_shapes_browse_and_spares_checkout() {
    let per_class = "[rate_limit]\n[[rate_limit.classes]]\nname = \"browse\"\nlimit_rps = 600.0\n";
    let w = run(&shop(per_class));
    // Browse surges to 1,920 req/s and is held at 600; checkout's 480 all pass: 1,080
    // req/s, inside the pods' 1,200.
    let refused = w.counters.failures[FailureReason::RateLimited];
    assert!((refused - 1320.0 * 300.0).abs() < 2_000.0, "{refused}");
    let other = w.counters.failures.total() - refused;
    assert!(other < 1.0, "{other}");
    let r = w.rate_limiter.as_ref().unwrap();
    assert_eq!(r.refused[1], 0.0, "checkout is never refused");
    let mid = fixtures::run_text("shop.toml", &shop(per_class), &[], Some(200.0));
    let rows = scalesim::sim::snapshot::class_refusals(&mid);
    assert_eq!(
        (rows[0].class.as_str(), rows[1].rate_limited_rps),
        ("browse", 0.0)
    );
    assert!((rows[0].rate_limited_rps - 1320.0).abs() < 1e-6, "{rows:?}");
    // The class knob turns browse's bucket to 1,000 req/s: 920 req/s refused in the surge.
    let mut knobbed = scalesim::scenario::load("shop.toml", &shop(per_class)).unwrap();
    scalesim::scenario::knobs::apply_knobs(
        &mut knobbed,
        [("rate_limit.classes[0].limit_rps", 1000.0)],
    )
    .unwrap();
    let mut w = World::new(&knobbed, 1).unwrap();
    scalesim::sim::run_until(&mut w, 200.0);
    let rows = scalesim::sim::snapshot::class_refusals(&w);
    assert!((rows[0].rate_limited_rps - 920.0).abs() < 1e-6, "{rows:?}");
}

#[test]
fn an_edge_limit_counts_what_the_cdn_would_serve_and_a_bad_class_is_named() {
    let edge = "[rate_limit]\nat = \"edge\"\nlimit_rps = 1000.0\n";
    let w = run(&shop(edge));
    assert!(w.counters.failures[FailureReason::RateLimited] > 100_000.0);
    let bad = "[rate_limit]\n[[rate_limit.classes]]\nname = \"search\"\nlimit_rps = 5.0\n";
    let err = load("shop.toml", &shop(bad)).unwrap_err().to_string();
    assert!(
        err.contains("rate_limit.classes[0].name") && err.contains("browse, checkout"),
        "{err}"
    );
    let none = load("shop.toml", &shop("[rate_limit]\nat = \"edge\"\n"))
        .unwrap_err()
        .to_string();
    assert!(none.contains("sets no limit"), "{none}");
}

#[test]
fn clients_retry_a_429_only_when_told_to() {
    let retry = |on: &str| {
        format!("{LIMIT}[retry.client]\nmax_attempts = 3\nbackoff = \"none\"\nretry_on = [{on}]\n")
    };
    let quiet = run(&shop(&retry("\"server_error\"")));
    let loud = run(&shop(&retry("\"rate_limited\"")));
    assert_eq!(quiet.counters.retried, 0.0);
    assert!(
        loud.counters.retried > 100_000.0,
        "{}",
        loud.counters.retried
    );
}

/// The shop with checkout at priority 5 and browse at 1, and `[shedding]`.
fn prioritised(shedding: &str) -> String {
    shop(shedding).replace(
        "name = \"checkout\"\nshare = 1.0\n",
        "name = \"checkout\"\nshare = 1.0\npriority = 5\n",
    )
}

const SHED: &str = "[shedding]\ncpu_threshold_pct = 85.0\n";

#[test]
fn shedding_browse_keeps_checkout_whole_at_four_times_the_load() {
    let open = run(&prioritised(""));
    let shedding = run(&prioritised(SHED));
    let s = shedding.shedder.as_ref().unwrap();
    // Checkout (480 req/s in the surge) is never shed; browse (1,920 req/s) takes the
    // rest of 85 % of 1,200 req/s.
    assert_eq!(s.shed_total[1], 0.0, "checkout shed");
    let browse_shed = s.shed_total[0];
    assert!(browse_shed > 250_000.0, "{browse_shed}");
    let other =
        shedding.counters.failures.total() - shedding.counters.failures[FailureReason::Shed];
    // Checkout's availability: 144,000 checkout requests in the surge, and at most
    // their share (1 in 5) of the failures that are not shedding.
    let checkout = 480.0 * 300.0;
    assert!(other / 5.0 < 0.001 * checkout, "{other} other failures");
    // The first tick of the surge queues a second of work before the shedder sees
    // the CPU: the p99 jumps, but stays under the 2 s timeout, and settles within
    // the surge.
    assert!(
        shedding.peaks.p99_ms < 2000.0,
        "{} ms",
        shedding.peaks.p99_ms
    );
    let w = fixtures::run_text("shop.toml", &prioritised(SHED), &[], Some(400.0));
    // 85 % busy pods of 5 ms requests: a p99 near 155 ms.
    assert!(
        w.series.latest[Series::P99Ms.index()] < 250.0,
        "{}",
        w.series.latest[Series::P99Ms.index()]
    );
    // Without shedding every class times out alike.
    assert!(open.counters.failures[FailureReason::TimedOut] > 100_000.0);
    assert!(shedding.series.peaks[Series::ShedRps.index()] > 1000.0);
}
