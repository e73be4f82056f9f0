//! Property tests over random protection policies and faults (issue 14): retries with
//! any backoff, jitter, budget and deadline on every edge, breakers, rate limits and
//! shedding, under random outages. No panic, no NaN or infinity, attempts and requests
//! conserved every tick, and the same seed gives the same run.

mod fixtures;
use proptest::prelude::*;
use scalesim::scenario::load;
use scalesim::sim::{step, World};

/// One random policy table for `edge` ("client", "database", "external", "consumer").
fn retry(edge: &'static str) -> impl Strategy<Value = String> {
    (
        1u32..=5,
        prop::sample::select(vec!["none", "constant", "exponential"]),
        prop::sample::select(vec!["none", "full", "equal", "decorrelated"]),
        10.0f64..3000.0,
        any::<bool>(),
        prop::option::of(100.0f64..20_000.0),
        prop::sample::select(vec![
            "[\"timeout\", \"server_error\", \"unavailable\"]",
            "[\"timeout\", \"server_error\", \"unavailable\", \"rate_limited\", \"circuit_open\"]",
            "[\"server_error\"]",
        ]),
    )
        .prop_map(move |(attempts, backoff, jitter, base, budget, deadline, on)| {
            let mut t = format!(
                "[retry.{edge}]\nmax_attempts = {attempts}\nbackoff = \"{backoff}\"\njitter = \"{jitter}\"\nbase_ms = {base}\ncap_ms = {}\nretry_on = {on}\n",
                base * 20.0
            );
            if budget {
                t += "budget = { percent_can_retry = 20.0 }\n";
            }
            if let Some(d) = deadline {
                t += &format!("deadline_ms = {d}\n");
            }
            t
        })
}

fn breaker(edge: &'static str) -> impl Strategy<Value = String> {
    (
        10.0f64..90.0,
        1.0f64..30.0,
        1.0f64..200.0,
        1.0f64..60.0,
        1.0f64..50.0,
        any::<bool>(),
        10.0f64..100.0,
    )
        .prop_map(move |(threshold, window, minimum, wait, trials, fallback, slow)| {
            let fallback = fallback && edge != "client" && edge != "cache";
            format!(
                "[breaker.{edge}]\nfailure_rate_threshold_pct = {threshold}\nsliding_window_s = {window}\nminimum_calls = {minimum}\nwait_in_open_s = {wait}\npermitted_calls_in_half_open = {trials}\nfallback = {fallback}\nslow_call_rate_threshold_pct = {slow}\nslow_call_duration_threshold_ms = 500.0\n"
            )
        })
}

fn front() -> impl Strategy<Value = String> {
    (
        prop::option::of((100.0f64..5000.0, any::<bool>())),
        prop::option::of(30.0f64..99.0),
        prop::option::of(1.0f64..500.0),
    )
        .prop_map(|(limit, shed, queue)| {
            let mut t = String::new();
            if let Some((rps, edge)) = limit {
                let at = if edge { "edge" } else { "load_balancer" };
                t += &format!(
                    "[rate_limit]\nat = \"{at}\"\nlimit_rps = {rps}\nclasses = [{{ name = \"browse\", limit_rps = {} }}]\n",
                    rps / 2.0
                );
            }
            if let Some(cpu) = shed {
                t += &format!("[shedding]\ncpu_threshold_pct = {cpu}\n");
                if let Some(q) = queue {
                    t += &format!("queue_threshold = {q}\n");
                }
            }
            t
        })
}

/// A shop with a database, Kafka and an external dependency behind `hops` edges, and
/// random outages of each; `tables` are appended.
fn scenario(rps: f64, hops: u32, outages: &[(f64, usize)], tables: &str) -> String {
    let kinds = [
        "{ kind = \"dependency_down\", duration_s = 60.0 }",
        "{ kind = \"dependency_slow\", extra_ms = 2500.0, duration_s = 60.0 }",
        "{ kind = \"fail_primary\" }",
        "{ kind = \"disk_full\", duration_s = 60.0 }",
        "{ kind = \"bad_release\", error_rate = 0.8, duration_s = 60.0 }",
        "{ kind = \"kill_pods\", count = 3 }",
        "{ kind = \"cache_down\", duration_s = 60.0 }",
    ];
    let mut events = String::new();
    for (at, k) in outages {
        events += &format!(
            "[[events]]\nat_s = {at}\naction = {}\n",
            kinds[k % kinds.len()]
        );
    }
    format!(
        r#"
title = "Protected shop"
[run]
duration_s = 400.0
[topology]
initial_replicas = 4
regions = [{{ name = "r", zones = ["a", "b"] }}]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 2
[topology.pod]
memory_per_queued_kib = 64.0
[traffic]
noise = true
profile = {{ kind = "constant", rps = {rps} }}
[[traffic.classes]]
name = "browse"
share = 3.0
cpu_ms = 2.0
reads = 1.0
[[traffic.classes]]
name = "checkout"
share = 1.0
priority = 5
cpu_ms = 4.0
reads = 1.0
writes = 1.0
publishes = 1.0
external_calls = 1.0
[cache]
keys = 20000
ops_limit_per_shard = 400.0
[database]
replicas = 1
[kafka]
[external]
hops = {hops}
{events}{tables}"#
    )
}

fn run_hash(text: &str, seed: u64) -> Result<(u64, World), TestCaseError> {
    let s = load("protected.toml", text).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let mut w = World::new(&s, seed).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    while w.now_s < s.run.duration_s - 1e-9 {
        step(&mut w);
        let c = &w.counters;
        let scale = 1.0 + c.arrived + c.retried;
        prop_assert!(
            c.conservation_gap().abs() < 1e-6 * scale,
            "attempts not conserved at {} s: {}",
            w.now_s,
            c.conservation_gap()
        );
        let pending = w.client_retries.as_ref().map_or(0.0, |r| r.pending);
        prop_assert!(
            c.request_gap(pending).abs() < 1e-6 * scale,
            "requests not conserved at {} s: {}",
            w.now_s,
            c.request_gap(pending)
        );
    }
    Ok((fixtures::series_hash(&w), w))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_protection_policies_keep_the_engine_sound(
        rps in 50.0f64..3000.0,
        hops in 1u32..=4,
        outages in prop::collection::vec((0.0f64..350.0, 0usize..7), 0..4),
        client in prop::option::of(retry("client")),
        database in prop::option::of(retry("database")),
        external in prop::option::of(retry("external")),
        consumer in prop::option::of(retry("consumer")),
        cache in prop::option::of(retry("cache")),
        client_breaker in prop::option::of(breaker("client")),
        db_breaker in prop::option::of(breaker("database")),
        ext_breaker in prop::option::of(breaker("external")),
        cache_breaker in prop::option::of(breaker("cache")),
        front in front(),
        seed in 0u64..1000,
    ) {
        let tables: String = [client, database, external, consumer, cache, client_breaker, db_breaker, ext_breaker, cache_breaker, Some(front)]
            .into_iter()
            .flatten()
            .collect();
        let text = scenario(rps, hops, &outages, &tables);
        let (a, w) = run_hash(&text, seed)?;
        let (b, _) = run_hash(&text, seed)?;
        prop_assert_eq!(a, b, "the same seed gave two runs");
        prop_assert!(w.counters.failures.total().is_finite());
    }
}
