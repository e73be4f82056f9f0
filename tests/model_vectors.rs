//! Checks every vector in tests/data/vectors.json whose model does not start
//! with `k8s.hpa` (the HPA has its own tests) against the pure models of
//! docs/models.md (cluster autoscaler to capacity), with each vector's tolerance rule:
//!
//! - `"1e-9 relative"`, `"1e-12 relative"`, `"1e-9 absolute"`: as written;
//! - `"exact (rational)"`: the rational value compared at 1e-12 relative (our
//!   arithmetic is f64; the rationals have no exact binary form);
//! - absent: integers, booleans and strings exactly; floats at 1e-12 relative.
//!
//! A vector whose model has no checker fails the test: none is silently skipped.

use scalesim::sim::capacity::{
    compound_growth_rps, instances_needed, instances_needed_n_plus_1, linear_cpu_headroom,
    round_half_up,
};
use scalesim::sim::cluster_autoscaler::{
    is_scale_down_candidate_by_utilization, node_utilization, scale_up_timing_s, CaConfig,
    CaIntent, ClusterAutoscaler, ClusterView, NodeGroupView, PendingPodView,
};
use scalesim::sim::consistency_math::{p_stale_read, quorum, read_after_write, ReadFrom};
use scalesim::sim::queueing::{
    fluid_backlog_requests, is_stable, littles_law_in_system, littles_law_max_throughput_rps, mm1,
    mm1_response_quantile_s, mm1_wait_quantile_s, mmc,
};
use scalesim::sim::resilience::backoff::{
    decorrelated_jitter_ms, equal_jitter_ms, expo_ms, full_jitter_ms,
};
use scalesim::sim::resilience::circuit_breaker::{
    HystrixBreaker, HystrixConfig, Resilience4jBreaker, Resilience4jConfig, SlidingWindowType,
    HYSTRIX_HALF_OPEN_TRIAL_REQUESTS,
};
use scalesim::sim::resilience::token_bucket::TokenBucket;
use scalesim::sim::slo::{allowed_failed_requests, error_budget};
use serde_json::{json, Map, Value};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/vectors.json"
));

#[derive(Clone, Copy, Debug)]
enum Tolerance {
    Relative(f64),
    Absolute(f64),
}

fn tolerance_of(v: &Value) -> Tolerance {
    match v.get("tolerance").and_then(Value::as_str) {
        None => Tolerance::Relative(1e-12),
        Some(t) if t.starts_with("exact") => Tolerance::Relative(1e-12),
        Some(t) => {
            let mut parts = t.split_whitespace();
            let x: f64 = parts
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("tolerance {t}"));
            match parts.next() {
                Some("relative") => Tolerance::Relative(x),
                Some("absolute") => Tolerance::Absolute(x),
                other => panic!("unknown tolerance kind {other:?} in {t}"),
            }
        }
    }
}

fn close(got: f64, want: f64, tol: Tolerance) -> bool {
    if got == want {
        return true;
    }
    match tol {
        Tolerance::Relative(r) => (got - want).abs() <= r * want.abs().max(f64::MIN_POSITIVE),
        Tolerance::Absolute(a) => (got - want).abs() <= a,
    }
}

/// Compare `got` with `want` recursively; integers in `want` must match exactly.
fn check(path: &str, got: &Value, want: &Value, tol: Tolerance) {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            if want.is_i64() || want.is_u64() {
                assert_eq!(g, w, "{path}: got {g}, want exactly {w}");
            } else {
                assert!(close(g, w, tol), "{path}: got {g:?}, want {w:?} ({tol:?})");
            }
        }
        // A quantity with no finite value (ρ ≥ 1): the vector describes it in words.
        (Value::Null, Value::String(w)) => {
            assert!(w.starts_with("unbounded"), "{path}: got no value, want {w}")
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                check(&format!("{path}[{i}]"), g, w, tol);
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k}: not computed"));
                check(&format!("{path}.{k}"), gv, wv, tol);
            }
            for k in g.keys() {
                assert!(w.contains_key(k), "{path}.{k}: computed but not expected");
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

fn f(inputs: &Value, key: &str) -> f64 {
    inputs[key]
        .as_f64()
        .unwrap_or_else(|| panic!("input {key}"))
}

fn u(inputs: &Value, key: &str) -> u32 {
    inputs[key]
        .as_u64()
        .unwrap_or_else(|| panic!("input {key}")) as u32
}

fn f_list(inputs: &Value, key: &str) -> Vec<f64> {
    inputs[key]
        .as_array()
        .unwrap_or_else(|| panic!("input {key}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Keep only the computed keys the vector expects among alternatives (e.g. a
/// model answering either form of Little's law).
fn pick(mut computed: Map<String, Value>, expected: &Value) -> Value {
    let want = expected.as_object().unwrap();
    computed.retain(|k, _| want.contains_key(k));
    Value::Object(computed)
}

fn ca_scale_down_candidate(i: &Value) -> Value {
    let mib = |k: &str| (f(i, k) * 1024.0).round() as i64;
    let util = node_utilization(
        f(i, "cpu_requests_m") as i64,
        f(i, "cpu_allocatable_m") as i64,
        mib("mem_requests_gib"),
        mib("mem_allocatable_gib"),
    );
    json!({
        "utilization": util,
        "is_scale_down_candidate_by_utilization":
            is_scale_down_candidate_by_utilization(util, f(i, "scale_down_utilization_threshold")),
    })
}

fn ca_scale_up_timing(i: &Value) -> Value {
    let config = CaConfig {
        provisioning_delay_s: f(i, "provisioning_latency_s"),
        ..CaConfig::default()
    };
    let marked = f(i, "pod_marked_unschedulable_t");
    let (request_by, _) =
        scale_up_timing_s(marked, config.scan_interval_s, config.provisioning_delay_s);
    // Run the reconciler at the latest scan that must notice the pod.
    let mut ca = ClusterAutoscaler::new(config);
    let groups = [NodeGroupView {
        id: 0,
        zone: 0,
        min_nodes: 0,
        max_nodes: 10,
        nodes_current: 0,
        node_cpu_allocatable_m: 4000,
        node_mem_allocatable_mib: 16384,
    }];
    let pending = [PendingPodView {
        cpu_request_m: 500,
        mem_request_mib: 512,
        zone: None,
        since_s: marked,
    }];
    let intent = ca.reconcile(
        request_by,
        &ClusterView {
            groups: &groups,
            nodes: &[],
            pending: &pending,
            pods: &[],
        },
    );
    let CaIntent::ScaleUp { ready_at_s, .. } = intent else {
        panic!("expected a scale-up, got {intent:?}")
    };
    json!({ "scale_up_request_by_t_max": request_by, "pod_schedulable_on_new_node_t_example": ready_at_s })
}

fn error_budget_vector(i: &Value) -> Value {
    let slo = f(i, "slo_pct");
    if let Some(requests) = i.get("requests_in_period").and_then(Value::as_u64) {
        return json!({ "allowed_failed_requests": allowed_failed_requests(slo, requests) });
    }
    let b = error_budget(slo, f(i, "period_days"));
    json!({ "error_budget_fraction": b.fraction, "allowed_bad_minutes": b.allowed_bad_minutes })
}

fn mmc_vector(i: &Value) -> Value {
    let q = mmc(
        u(i, "servers_c"),
        f(i, "arrival_rate_lambda_per_s"),
        f(i, "service_rate_mu_per_s_per_server"),
    )
    .expect("stable");
    let p = f(i, "percentile");
    json!({
        "offered_load_erlangs_a": q.offered_load_erlangs,
        "utilization_rho": q.rho,
        "P_wait_erlang_c": q.p_wait,
        "mean_wait_Wq_s": q.mean_wait_s,
        "mean_queue_len_Lq": q.mean_queue_len,
        "mean_response_W_s": q.mean_response_s,
        "mean_in_system_L": q.mean_in_system,
        "wait_p99_s": q.wait_quantile_s(p),
        "response_p99_s": q.response_quantile_s(p),
    })
}

fn mm1_vector(i: &Value) -> Value {
    let (lambda, mu, p) = (
        f(i, "arrival_rate_lambda_per_s"),
        f(i, "service_rate_mu_per_s"),
        f(i, "percentile"),
    );
    let q = mm1(lambda, mu).expect("stable");
    json!({
        "utilization_rho": q.rho,
        "P_wait": q.rho,
        "mean_wait_Wq_s": q.mean_wait_s,
        "mean_response_W_s": q.mean_response_s,
        "mean_queue_len_Lq": q.mean_queue_len,
        "mean_in_system_L": q.mean_in_system,
        "wait_p99_s": mm1_wait_quantile_s(lambda, mu, p),
        "response_p99_s": mm1_response_quantile_s(lambda, mu, p),
    })
}

fn stability_vector(i: &Value) -> Value {
    let (c, lambda, mu) = (
        u(i, "servers_c"),
        f(i, "arrival_rate_lambda_per_s"),
        f(i, "service_rate_mu_per_s_per_server"),
    );
    json!({
        "utilization_rho": lambda / (f64::from(c) * mu),
        "steady_state_exists": is_stable(c, lambda, mu),
        "mean_wait": mmc(c, lambda, mu).map(|q| q.mean_wait_s),
        "fluid_backlog_after_horizon_requests": fluid_backlog_requests(c, lambda, mu, f(i, "horizon_s")),
    })
}

fn littles_law_vector(i: &Value) -> Value {
    let mut m = Map::new();
    if i.get("throughput_lambda_per_s").is_some() {
        let l = littles_law_in_system(
            f(i, "throughput_lambda_per_s"),
            f(i, "mean_time_in_system_W_s"),
        );
        m.insert("mean_number_in_system_L".into(), json!(l));
    }
    if i.get("concurrency_limit_L").is_some() {
        let x =
            littles_law_max_throughput_rps(f(i, "concurrency_limit_L"), f(i, "mean_latency_W_s"));
        m.insert("max_throughput_lambda_per_s".into(), json!(x));
    }
    Value::Object(m)
}

fn backoff_vector(id: &str, i: &Value) -> Value {
    let (base, cap) = (f(i, "base_ms"), f(i, "cap_ms"));
    let draws = i
        .get("uniform01_draws")
        .map(|_| f_list(i, "uniform01_draws"));
    let sleeps: Vec<f64> = if id.contains("decorrelated") {
        let mut prev = f(i, "initial_sleep_ms");
        draws
            .expect("draws")
            .iter()
            .map(|&d| {
                prev = decorrelated_jitter_ms(base, cap, prev, d);
                prev
            })
            .collect()
    } else {
        let ns: Vec<u32> = f_list(i, "attempts_n").iter().map(|&n| n as u32).collect();
        let draw = |k: usize| draws.as_ref().expect("draws")[k];
        ns.iter()
            .enumerate()
            .map(|(k, &n)| {
                if id.contains("full") {
                    full_jitter_ms(base, cap, n, draw(k))
                } else if id.contains("equal") {
                    equal_jitter_ms(base, cap, n, draw(k))
                } else {
                    assert!(
                        draws.is_none(),
                        "{id}: draws given for plain exponential backoff"
                    );
                    expo_ms(base, cap, n)
                }
            })
            .collect()
    };
    json!({ "sleep_ms": sleeps })
}

/// resilience4j defaults under their config names, with and without a unit suffix.
fn resilience4j_defaults() -> Map<String, Value> {
    let d = Resilience4jConfig::default();
    let window = match d.sliding_window_type {
        SlidingWindowType::CountBased => "COUNT_BASED",
        SlidingWindowType::TimeBased => "TIME_BASED",
    };
    let mut m = Map::new();
    for (k, v) in [
        ("failureRateThreshold", json!(d.failure_rate_threshold_pct)),
        (
            "failureRateThreshold_pct",
            json!(d.failure_rate_threshold_pct),
        ),
        (
            "slowCallRateThreshold",
            json!(d.slow_call_rate_threshold_pct),
        ),
        (
            "slowCallRateThreshold_pct",
            json!(d.slow_call_rate_threshold_pct),
        ),
        (
            "slowCallDurationThreshold_s",
            json!(d.slow_call_duration_threshold_s),
        ),
        (
            "waitDurationInOpenState_s",
            json!(d.wait_duration_in_open_state_s),
        ),
        (
            "permittedNumberOfCallsInHalfOpenState",
            json!(d.permitted_number_of_calls_in_half_open_state),
        ),
        ("minimumNumberOfCalls", json!(d.minimum_number_of_calls)),
        ("slidingWindowType", json!(window)),
        ("slidingWindowSize", json!(d.sliding_window_size)),
        (
            "maxWaitDurationInHalfOpenState_s",
            json!(d.max_wait_duration_in_half_open_state_s),
        ),
        (
            "automaticTransitionFromOpenToHalfOpenEnabled",
            json!(d.automatic_transition_from_open_to_half_open_enabled),
        ),
    ] {
        m.insert(k.into(), v);
    }
    m
}

fn resilience4j_vector(i: &Value, expected: &Value) -> Value {
    if i.get("calls").is_none() {
        return pick(resilience4j_defaults(), expected);
    }
    let window = match i["slidingWindowType"].as_str().unwrap_or("COUNT_BASED") {
        "COUNT_BASED" => SlidingWindowType::CountBased,
        "TIME_BASED" => SlidingWindowType::TimeBased,
        other => panic!("window type {other}"),
    };
    let d = Resilience4jConfig::default();
    let opt_f = |k: &str, dv: f64| i.get(k).and_then(Value::as_f64).unwrap_or(dv);
    let opt_u = |k: &str, dv: u32| i.get(k).and_then(Value::as_u64).map_or(dv, |x| x as u32);
    let config = Resilience4jConfig {
        failure_rate_threshold_pct: opt_f("failureRateThreshold_pct", d.failure_rate_threshold_pct),
        slow_call_rate_threshold_pct: opt_f(
            "slowCallRateThreshold_pct",
            d.slow_call_rate_threshold_pct,
        ),
        slow_call_duration_threshold_s: opt_f(
            "slowCallDurationThreshold_s",
            d.slow_call_duration_threshold_s,
        ),
        wait_duration_in_open_state_s: opt_f(
            "waitDurationInOpenState_s",
            d.wait_duration_in_open_state_s,
        ),
        permitted_number_of_calls_in_half_open_state: opt_u(
            "permittedNumberOfCallsInHalfOpenState",
            d.permitted_number_of_calls_in_half_open_state,
        ),
        minimum_number_of_calls: opt_u("minimumNumberOfCalls", d.minimum_number_of_calls),
        sliding_window_type: window,
        sliding_window_size: opt_u("slidingWindowSize", d.sliding_window_size),
        automatic_transition_from_open_to_half_open_enabled: i
            .get("automaticTransitionFromOpenToHalfOpenEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        max_wait_duration_in_half_open_state_s: opt_f(
            "maxWaitDurationInHalfOpenState_s",
            d.max_wait_duration_in_half_open_state_s,
        ),
    };
    let mut cb = Resilience4jBreaker::new(config);
    let mut trace = Vec::new();
    for call in i["calls"].as_array().expect("calls") {
        let t = call["t"].as_f64().unwrap();
        let outcome = call["outcome"].as_str().unwrap();
        let duration = call
            .get("duration_s")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let permitted = cb.try_acquire_permission(t);
        if permitted {
            cb.on_result(t, outcome == "F", duration);
            trace.push(json!({ "t": call["t"], "permitted": true, "outcome": outcome, "state_after": cb.state().as_str() }));
        } else {
            trace.push(
                json!({ "t": call["t"], "permitted": false, "state_after": cb.state().as_str() }),
            );
        }
    }
    json!({ "trace": trace })
}

fn hystrix_vector(i: &Value, expected: &Value) -> Value {
    let d = HystrixConfig::default();
    let mut m = Map::new();
    m.insert(
        "metricsRollingStatisticalWindow_ms".into(),
        json!(d.metrics_rolling_statistical_window_ms),
    );
    m.insert(
        "metricsRollingStatisticalWindowBuckets".into(),
        json!(d.metrics_rolling_statistical_window_buckets),
    );
    m.insert(
        "circuitBreakerRequestVolumeThreshold".into(),
        json!(d.circuit_breaker_request_volume_threshold),
    );
    m.insert(
        "circuitBreakerErrorThresholdPercentage".into(),
        json!(d.circuit_breaker_error_threshold_percentage),
    );
    m.insert(
        "circuitBreakerSleepWindowInMilliseconds".into(),
        json!(d.circuit_breaker_sleep_window_ms),
    );
    m.insert(
        "executionTimeoutInMilliseconds".into(),
        json!(d.execution_timeout_ms),
    );
    m.insert(
        "half_open_trial_requests".into(),
        json!(HYSTRIX_HALF_OPEN_TRIAL_REQUESTS),
    );
    if let Some(calls) = i.get("calls").and_then(Value::as_array) {
        let mut h = HystrixBreaker::new(d);
        let mut trace = Vec::new();
        for call in calls {
            let t = call["t"].as_f64().unwrap();
            let outcome = call["outcome"].as_str().unwrap();
            if h.allow_request(t) {
                h.on_result(t, outcome == "F");
                trace.push(json!({ "t": call["t"], "permitted": true, "outcome": outcome, "state_after": h.state().as_str() }));
            } else {
                trace.push(json!({ "t": call["t"], "permitted": false, "state_after": h.state().as_str() }));
            }
        }
        m.insert("trace".into(), json!(trace));
        m.insert("state_after".into(), json!(h.state().as_str()));
    }
    pick(m, expected)
}

fn token_bucket_vector(i: &Value, expected: &Value) -> Value {
    let mut tb = TokenBucket::new(
        f(i, "rate_tokens_per_s"),
        f(i, "burst_capacity") as u64,
        i["initially_full"].as_bool().unwrap_or(true),
    );
    let cost = i
        .get("cost_per_request")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let mut decisions = Vec::new();
    let mut allowed_at = Vec::new();
    for t in f_list(i, "request_times_s") {
        if tb.try_take(t, cost) {
            allowed_at.push(json!(t));
            decisions.push(json!({ "t": t, "allowed": true, "tokens_after": tb.tokens_at(t) }));
        } else {
            decisions
                .push(json!({ "t": t, "allowed": false, "tokens_available": tb.tokens_at(t) }));
        }
    }
    let mut m = Map::new();
    m.insert("decisions".into(), json!(decisions));
    m.insert("allowed_count".into(), json!(allowed_at.len()));
    m.insert("allowed_at_t".into(), json!(allowed_at));
    pick(m, expected)
}

fn quorum_vector(i: &Value) -> Value {
    let q = quorum(u(i, "N"), u(i, "R"), u(i, "W"));
    json!({
        "read_write_quorums_overlap": q.read_write_overlap,
        "min_overlap_replicas": q.min_overlap_replicas,
        "write_write_overlap_W_gt_N_over_2": q.write_write_overlap,
        "writes_tolerate_unavailable_replicas": q.writes_tolerate_unavailable,
        "reads_tolerate_unavailable_replicas": q.reads_tolerate_unavailable,
    })
}

fn replication_lag_vector(i: &Value, expected: &Value) -> Value {
    let mut m = Map::new();
    if let Some(reads) = i.get("reads").and_then(Value::as_array) {
        let (w, lag) = (
            f(i, "write_committed_on_leader_t_ms"),
            f(i, "async_replication_lag_ms"),
        );
        let results: Vec<&str> = reads
            .iter()
            .map(|r| {
                let from = match r["from"].as_str().unwrap() {
                    "leader" => ReadFrom::Leader,
                    "follower" => ReadFrom::Follower,
                    other => panic!("read from {other}"),
                };
                read_after_write(w, lag, r["t_ms"].as_f64().unwrap(), from).as_str()
            })
            .collect();
        m.insert("read_results".into(), json!(results));
    }
    if i.get("replica_lags_ms").is_some() {
        let p = p_stale_read(
            &f_list(i, "replica_lags_ms"),
            f(i, "read_delay_after_write_ms"),
        );
        m.insert("P_stale_read".into(), json!(p));
    }
    pick(m, expected)
}

fn linear_cpu_vector(i: &Value) -> Value {
    let h = linear_cpu_headroom(
        f(i, "current_rps"),
        u(i, "instances"),
        f(i, "current_cpu_utilization"),
        f(i, "target_cpu_utilization"),
    );
    json!({
        "rps_per_instance_now": h.rps_per_instance_now,
        "rps_per_instance_at_target": h.rps_per_instance_at_target,
        "max_rps_at_target": h.max_rps_at_target,
        "headroom_rps": h.headroom_rps,
    })
}

fn compound_growth_vector(i: &Value) -> Value {
    let (rps0, g) = (f(i, "current_rps"), f(i, "monthly_growth"));
    let months: Vec<u32> = f_list(i, "months").iter().map(|&m| m as u32).collect();
    let exact: Vec<f64> = months
        .iter()
        .map(|&m| compound_growth_rps(rps0, g, m))
        .collect();
    let rounded: Vec<i64> = exact.iter().map(|&x| round_half_up(x)).collect();
    json!({
        "rps_exact": exact,
        "rps_rounded": rounded,
        "rps_at_6_months_rounded": round_half_up(compound_growth_rps(rps0, g, 6)),
        "rps_at_12_months_rounded": round_half_up(compound_growth_rps(rps0, g, 12)),
    })
}

/// Instances per month. Inputs are the vector's own, or, for `same_as`, those of the
/// named vector; when that one is not in the file, the capacity setup it stands for (docs/models.md#capacity):
/// the per-instance rate at target of the `capacity.linear_cpu` vector and the
/// growth of the `capacity.compound_growth` vector.
fn instances_needed_vector(i: &Value, all: &[Value], expected: &Value) -> Value {
    let by_model = |m: &str| {
        all.iter()
            .find(|v| v["model"] == m)
            .map(|v| v["inputs"].clone())
    };
    let mut inputs = i.clone();
    if let Some(other) = i.get("same_as").and_then(Value::as_str) {
        if let Some(v) = all.iter().find(|v| v["id"] == other) {
            inputs = v["inputs"].clone();
        }
    }
    let growth = by_model("capacity.compound_growth").expect("a compound growth vector");
    let get = |k: &str| {
        inputs
            .get(k)
            .or_else(|| growth.get(k))
            .cloned()
            .unwrap_or_else(|| panic!("{k}"))
    };
    let rps0 = get("current_rps").as_f64().unwrap();
    let g = get("monthly_growth").as_f64().unwrap();
    let months: Vec<u32> = get("months")
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_u64().unwrap() as u32)
        .collect();
    let per_instance = match inputs
        .get("rps_per_instance_at_target")
        .and_then(Value::as_f64)
    {
        Some(x) => x,
        None => {
            let lin = by_model("capacity.linear_cpu").expect("a linear cpu vector");
            linear_cpu_headroom(
                f(&lin, "current_rps"),
                u(&lin, "instances"),
                f(&lin, "current_cpu_utilization"),
                f(&lin, "target_cpu_utilization"),
            )
            .rps_per_instance_at_target
        }
    };
    let rps = |m: u32| compound_growth_rps(rps0, g, m);
    let mut m = Map::new();
    m.insert(
        "instances_needed".into(),
        json!(months
            .iter()
            .map(|&k| instances_needed(rps(k), per_instance))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "instances_needed_n_plus_1".into(),
        json!(months
            .iter()
            .map(|&k| instances_needed_n_plus_1(rps(k), per_instance))
            .collect::<Vec<_>>()),
    );
    pick(m, expected)
}

fn compute(v: &Value, all: &[Value]) -> Option<Value> {
    let id = v["id"].as_str().unwrap();
    let i = &v["inputs"];
    let e = &v["expected"];
    Some(match v["model"].as_str().unwrap() {
        "k8s.cluster_autoscaler.scale_down_candidate" => ca_scale_down_candidate(i),
        "k8s.cluster_autoscaler.scale_up_timing" => ca_scale_up_timing(i),
        "sre.error_budget" => error_budget_vector(i),
        "queueing.mmc" => mmc_vector(i),
        "queueing.mm1" => mm1_vector(i),
        "queueing.stability" => stability_vector(i),
        "queueing.littles_law" => littles_law_vector(i),
        "retry.backoff" => backoff_vector(id, i),
        "resilience.circuit_breaker.resilience4j" => resilience4j_vector(i, e),
        "resilience.circuit_breaker.hystrix" => hystrix_vector(i, e),
        "ratelimit.token_bucket" => token_bucket_vector(i, e),
        "consistency.quorum" => quorum_vector(i),
        "consistency.replication_lag" => replication_lag_vector(i, e),
        "capacity.linear_cpu" => linear_cpu_vector(i),
        "capacity.compound_growth" => compound_growth_vector(i),
        "capacity.instances_needed" => instances_needed_vector(i, all, e),
        _ => return None,
    })
}

#[test]
fn every_non_hpa_vector_matches_its_model() {
    let all: Vec<Value> = serde_json::from_str(VECTORS).expect("vectors.json parses");
    let ours: Vec<&Value> = all
        .iter()
        .filter(|v| !v["model"].as_str().unwrap().starts_with("k8s.hpa"))
        .collect();
    let mut checked = 0;
    let mut unknown = Vec::new();
    for v in &ours {
        let id = v["id"].as_str().unwrap();
        match compute(v, &all) {
            Some(got) => {
                check(id, &got, &v["expected"], tolerance_of(v));
                checked += 1;
            }
            None => unknown.push(format!("{id} ({})", v["model"])),
        }
    }
    assert!(unknown.is_empty(), "vectors with no checker: {unknown:?}");
    assert_eq!(checked, ours.len(), "every non-HPA vector is checked");
    // The committed public file holds 34 of them (every group but the HPA's).
    assert!(checked >= 34, "checked {checked}");
}
