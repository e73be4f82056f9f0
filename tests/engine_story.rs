//! Story tests: the built-in scenarios' narratives (a Black Friday spike, the gap between pods
//! and nodes, an outage against the SLO, pre-scaling), replayed by the engine, with asserts after each beat.

mod fixtures;
use fixtures::steady;
use scalesim::scenario::{built_in, load, Scenario};
use scalesim::sim::events::{KillCause, Scaler, SimEvent};
use scalesim::sim::inputs::{Action, LatencyTarget};
use scalesim::sim::series::Series;
use scalesim::sim::topology::{PodKind, PodState};
use scalesim::sim::{run_until, step, World};

fn scenario(name: &str) -> Scenario {
    load(name, built_in(name).unwrap()).unwrap()
}

fn scalings(w: &World) -> Vec<(f64, i32, i32, String)> {
    w.events
        .iter()
        .filter_map(|e| match e {
            SimEvent::Scaled {
                t_s,
                from,
                to,
                by: Scaler::Hpa,
                limited_by,
                ..
            } => Some((*t_s, *from, *to, limited_by.words().unwrap_or_default())),
            _ => None,
        })
        .collect()
}

#[test]
fn black_friday_hpa_adds_five_pods_at_the_first_sync_that_sees_the_spike() {
    // The Black Friday timeline: 30 s into the spike, the HPA sees CPU above 70 % and adds 5 pods (3 → 8).
    let s = scenario("black-friday");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 60.0);
    assert_eq!(w.spec_replicas, 3, "before the spike the HPA keeps 3 pods");
    run_until(&mut w, 91.0);
    let first = scalings(&w)[0].clone();
    assert_eq!((first.1, first.2), (3, 8), "{first:?}");
    assert!(
        first.0 > 60.0 && first.0 <= 90.0,
        "the first sync after T+0 scales: {first:?}"
    );
    assert!(first.3.contains("5-pods-per-30 s"), "{first:?}");
}

#[test]
fn black_friday_reaches_max_replicas_in_about_a_minute_and_a_half_and_never_exceeds_it() {
    let s = scenario("black-friday");
    let mut w = World::new(&s, 1).unwrap();
    let mut reached = None;
    while w.now_s < 1200.0 {
        step(&mut w);
        assert!(w.spec_replicas <= 20 && w.spec_replicas >= 3);
        if reached.is_none() && w.spec_replicas == 20 {
            reached = Some(w.now_s);
        }
    }
    let t = reached.expect("the HPA reaches maxReplicas 20");
    assert!(
        t - 60.0 <= 120.0,
        "20 pods asked for {} s after T+0",
        t - 60.0
    );
    // Each step up is at most max(50 %, 5 pods) of the count 30 s earlier.
    for (_, from, to, _) in scalings(&w).iter().filter(|s| s.2 > s.1) {
        assert!(*to <= (*from + 5).max(from + from / 2 + 1), "{from} → {to}");
    }
}

#[test]
fn black_friday_pods_go_pending_and_the_cluster_autoscaler_adds_nodes() {
    // The Black Friday timeline: 2 minutes into the spike, the cluster autoscaler adds 3 nodes for the pending pods.
    let s = scenario("black-friday");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 600.0);
    let pending_at = w.events.iter().find_map(|e| match e {
        SimEvent::PodsPending { t_s, .. } => Some(*t_s),
        _ => None,
    });
    let requested: u32 = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::NodesRequested { count, t_s, .. } if *t_s < 240.0 => Some(*count),
            _ => None,
        })
        .sum();
    assert!(
        pending_at.is_some(),
        "12 pod slots fill up: pods go Pending"
    );
    assert!(
        (3..=5).contains(&requested),
        "nodes requested in the first 3 min: {requested}"
    );
    assert_eq!(
        w.ready_app_pods(),
        20,
        "all 20 pods run once the nodes are up"
    );
    let mut zones: Vec<u16> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::NodesRequested { zone, .. } => Some(*zone),
            _ => None,
        })
        .collect();
    zones.sort_unstable();
    zones.dedup();
    assert!(
        zones.len() >= 2,
        "balanced over similar zone groups: {zones:?}"
    );
}

#[test]
fn black_friday_scales_back_down_slowly_after_the_sale() {
    // The Black Friday timeline: 2 hours later, traffic is back to normal and the pods go back to 3.
    let s = scenario("black-friday");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 10_800.0);
    let end_of_sale = 60.0 + 7200.0;
    let downs: Vec<_> = scalings(&w)
        .into_iter()
        .filter(|s| s.2 < s.1 && s.0 > end_of_sale)
        .collect();
    assert!(!downs.is_empty());
    // The 5-minute scale-down stabilization window holds the first step.
    assert!(downs[0].0 >= end_of_sale + 300.0, "{downs:?}");
    // The policy removes at most max(25 %, 2 pods) per 5 minutes.
    for (_, from, to, _) in &downs {
        let allowed = (from - 2).min((f64::from(*from) * 0.75) as i32);
        assert!(*to >= allowed, "{from} → {to}");
    }
    for pair in downs.windows(2) {
        assert!(pair[1].0 - pair[0].0 >= 300.0, "{downs:?}");
    }
    assert_eq!(w.spec_replicas, 3, "back to minReplicas");
    assert!(w.events.iter().any(|e| matches!(
        e,
        SimEvent::NodeRemoved { t_s, .. } if *t_s > end_of_sale
    )));
}

fn pending_pod_seconds(s: &Scenario) -> (f64, f64) {
    let mut w = World::new(s, 4).unwrap();
    let mut pending = 0.0;
    while w.now_s < 1200.0 {
        step(&mut w);
        pending += w
            .pods
            .iter()
            .filter(|p| p.kind == PodKind::App && p.state == PodState::Pending)
            .count() as f64;
    }
    (pending, w.counters.failed())
}

#[test]
fn pods_stay_pending_for_minutes_while_nodes_provision() {
    // The HPA–CA gap: a new node takes 3–5 minutes, and meanwhile the pods are Pending and
    // the service degrades (docs/models.md#cluster-autoscaler).
    let s = scenario("hpa-vs-ca-gap");
    let mut w = World::new(&s, 4).unwrap();
    let mut longest = 0.0f64;
    let mut since: Option<f64> = None;
    while w.now_s < 1200.0 {
        step(&mut w);
        if w.pending_app_pods() > 0 {
            let t0 = *since.get_or_insert(w.now_s);
            longest = longest.max(w.now_s - t0);
        } else {
            since = None;
        }
    }
    assert!(longest >= 180.0, "pods pending for {longest} s");
    assert!(w.counters.failed() > 0.0, "the service degrades meanwhile");
}

#[test]
fn pause_pods_give_their_room_to_app_pods_at_once() {
    // Pause pods: app pods preempt the placeholders at once (docs/models.md#cluster-autoscaler).
    let plain = scenario("hpa-vs-ca-gap");
    let mut with_pause = plain.clone();
    with_pause.pause_pods.count = 6;
    let (pending_plain, failed_plain) = pending_pod_seconds(&plain);
    let (pending_pause, failed_pause) = pending_pod_seconds(&with_pause);
    assert!(
        pending_pause < pending_plain / 2.0,
        "pending pod-seconds: {pending_pause} with pause pods vs {pending_plain} without"
    );
    assert!(
        failed_pause < failed_plain,
        "errors: {failed_pause} with pause pods vs {failed_plain} without"
    );
    let mut w = World::new(&with_pause, 4).unwrap();
    run_until(&mut w, 600.0);
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, SimEvent::PausePodPreempted { .. })));
}

#[test]
fn killing_a_zone_moves_its_traffic_to_the_survivors_after_the_health_check_delay() {
    let s = steady("[[events]]\nat_s = 100.0\naction = { kind = \"kill_zone\", zone = \"b\" }\n");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 100.0);
    assert_eq!(w.counters.failed(), 0.0, "healthy before the kill");
    run_until(&mut w, 105.0);
    assert!(
        w.last.errors_rps > 500.0,
        "a third of the traffic still goes to the dead zone: {} req/s fail",
        w.last.errors_rps
    );
    run_until(&mut w, 150.0);
    assert!(w.last.errors_rps < 1.0, "{}", w.last.errors_rps);
    assert!((w.last.served_rps - 1800.0).abs() < 1.0);
    let detected: Vec<f64> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::PodOutOfRotation { after_s, .. } => Some(*after_s),
            _ => None,
        })
        .collect();
    assert_eq!(detected.len(), 2, "both pods of zone b leave rotation");
    for d in detected {
        // 3 failed checks 10 s apart: 20–30 s after the kill.
        assert!((20.0..=30.0).contains(&d), "detected after {d} s");
    }
    assert!(w.pods.iter().all(|p| p.zone != 1 || p.node == u32::MAX));
}

#[test]
fn same_seed_gives_the_same_series_and_a_different_seed_does_not() {
    fn hash(seed: u64) -> u64 {
        let s = scenario("black-friday");
        let mut w = World::new(&s, seed).unwrap();
        run_until(&mut w, 900.0);
        fixtures::series_hash(&w)
    }
    assert_eq!(hash(1), hash(1));
    assert_ne!(hash(1), hash(2));
}

#[test]
fn requests_are_conserved_every_tick() {
    let s = scenario("black-friday");
    let mut w = World::new(&s, 3).unwrap();
    w.push_action(
        200.0,
        Action::KillPods {
            count: 3,
            zone: None,
        },
    )
    .unwrap();
    w.push_action(
        300.0,
        Action::KillZone {
            zone: "us-east-1a".into(),
        },
    )
    .unwrap();
    while w.now_s < 900.0 {
        step(&mut w);
        let gap = w.counters.conservation_gap();
        assert!(
            gap.abs() <= 1e-9 * w.counters.arrived.max(1.0),
            "t = {}: gap {gap}",
            w.now_s
        );
    }
}

#[test]
fn a_full_outage_fires_the_fast_page_in_about_52_seconds() {
    // docs/models.md#slo-and-burn-rates: a 100 % outage fires the 14.4×/1 h alert after 0.001 × 3600 × 14.4 = 51.84 s.
    let s = scalesim::scenario::load(
        "steady.toml",
        &fixtures::steady_toml(
            1200.0,
            "[[events]]\nat_s = 1000.0\naction = { kind = \"bad_release\", error_rate = 1.0 }\n",
        ),
    )
    .unwrap();
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 1200.0);
    let fired = w.events.iter().find_map(|e| match e {
        SimEvent::AlertFired { t_s, alert } if alert.contains("14.4") => Some(*t_s),
        _ => None,
    });
    let after = fired.expect("the fast page fires") - 1000.0;
    assert!(
        (45.0..=60.0).contains(&after),
        "fired {after} s after the outage"
    );
}

#[test]
fn a_memory_leak_ends_in_an_oom_kill_and_a_restart() {
    let s = steady(
        "[[events]]\nat_s = 10.0\naction = { kind = \"memory_leak\", mib_per_s = 10.0, pods = 1 }\n",
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 200.0);
    assert!(w.events.iter().any(|e| matches!(
        e,
        SimEvent::PodKilled {
            cause: KillCause::OutOfMemory,
            ..
        }
    )));
    assert!(w.pods.iter().any(|p| p.restarts >= 1));
}

#[test]
fn injected_latency_shows_in_the_median() {
    let mut w = World::new(&steady(""), 1).unwrap();
    run_until(&mut w, 100.0);
    let before = w.last.p50_ms;
    w.push_action(
        100.0,
        Action::InjectLatency {
            target: LatencyTarget::Service,
            ms: 200.0,
            duration_s: Some(100.0),
        },
    )
    .unwrap();
    run_until(&mut w, 190.0);
    assert!(
        (w.last.p50_ms - before - 200.0).abs() < 30.0,
        "{before} → {}",
        w.last.p50_ms
    );
    run_until(&mut w, 300.0);
    assert!(w.last.p50_ms < before + 10.0, "cleared after its duration");
}

#[test]
fn a_killed_pod_loses_its_sticky_sessions() {
    let s = steady(
        "[balancer]\nsticky = { fraction = 0.8, session_s = 600.0, requests_per_session = 50.0 }\n",
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 300.0);
    w.push_action(
        300.0,
        Action::KillPods {
            count: 1,
            zone: None,
        },
    )
    .unwrap();
    run_until(&mut w, 301.0);
    assert!(
        w.counters.sessions_lost > 100.0,
        "{}",
        w.counters.sessions_lost
    );
}

#[test]
fn scheduled_prescaling_raises_the_floor_before_the_event() {
    let mut s = scenario("black-friday");
    s.prescale
        .scheduled
        .push(scalesim::sim::settings::ScheduledMinimum {
            from_s: 0.0,
            until_s: 600.0,
            min_replicas: 12,
        });
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 59.0);
    assert_eq!(w.spec_replicas, 12, "12 pods before T+0");
    assert!(w.events.iter().any(|e| matches!(
        e,
        SimEvent::BoundsChanged {
            min_replicas: 12,
            ..
        }
    )));
}

#[test]
fn predictive_prescaling_remembers_yesterdays_peak() {
    let s = load(
        "p.toml",
        r#"
title = "predictive"
[run]
duration_s = 172800.0
[topology]
initial_replicas = 3
[topology.pod]
cpu_request_m = 1000
[traffic]
noise = false
profile = { kind = "diurnal", mean_rps = 1000.0, amplitude = 0.8, period_s = 86400.0, peak_at_s = 43200.0 }
classes = [{ name = "web", share = 1.0, cpu_ms = 2.0 }]
[hpa]
minReplicas = 2
maxReplicas = 30
[prescale.predictive]
lead_s = 1800.0
"#,
    )
    .unwrap();
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 86_400.0 + 43_200.0 - 1800.0);
    // Tomorrow's noon peak is 1,800 req/s × 2 ms = 3.6 cores: 6 pods at 70 %.
    assert!(w.prescale_min >= 5, "floor {}", w.prescale_min);
    assert!(w.series.get(Series::MinReplicas).iter().any(|m| *m >= 5.0));
}

#[test]
fn the_world_survives_a_serde_round_trip() {
    let s = scenario("black-friday");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 120.0);
    let json = serde_json::to_string(&w).unwrap();
    let mut back: World = serde_json::from_str(&json).unwrap();
    assert_eq!(back.now_s, w.now_s);
    assert_eq!(back.counters, w.counters);
    run_until(&mut back, 240.0);
    assert!(back.counters.arrived > w.counters.arrived);
}

/// Two regions, three zones each, 12 pods, 3,000 req/s split 50/50 by the GSLB.
fn two_regions(extra: &str) -> Scenario {
    let text = format!(
        r#"
title = "two regions"
[topology]
initial_replicas = 12
regions = [{{ name = "east", zones = ["e1", "e2", "e3"] }}, {{ name = "west", zones = ["w1", "w2", "w3"] }}]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 1
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 2000
[traffic]
noise = false
profile = {{ kind = "constant", rps = 3000.0 }}
classes = [{{ name = "web", share = 1.0, cpu_ms = 1.0 }}]
[cluster_autoscaler]
enabled = false
{extra}
"#
    );
    load("regions.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn killing_a_region_fails_over_to_the_other_region_with_cross_region_latency() {
    let s = two_regions(
        "[[events]]\nat_s = 100.0\naction = { kind = \"kill_region\", region = \"west\" }\n",
    );
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 100.0);
    let p50_before = w.last.p50_ms;
    run_until(&mut w, 200.0);
    assert!(
        w.last.errors_rps < 1.0,
        "failed over: {}",
        w.last.errors_rps
    );
    assert!((w.last.served_rps - 3000.0).abs() < 1.0);
    // Half the users now cross regions (about 70 ms).
    assert!(
        w.last.p50_ms > p50_before + 20.0,
        "p50 {p50_before} → {}",
        w.last.p50_ms
    );
    assert!(
        w.counters.failures.refused() > 0.0,
        "requests failed until the health checks noticed"
    );
}

#[test]
fn without_cross_zone_balancing_each_zone_serves_its_own_users() {
    let s = two_regions("[balancer]\ncross_zone = false\n");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 50.0);
    // 12 pods over 6 zones: 2 per zone, 500 req/s per zone, 250 per pod.
    for p in &w.pods {
        assert!((p.routed - 250.0).abs() < 1e-6, "{}", p.routed);
    }
    assert!(w.last.p50_ms < 5.0, "no cross-zone hop: {}", w.last.p50_ms);
}

#[test]
fn cooldowns_hold_the_hpa_between_scale_ups() {
    let mut s = scenario("black-friday");
    s.cooldown.scale_up_s = 180.0;
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 400.0);
    let ups: Vec<f64> = scalings(&w)
        .iter()
        .filter(|s| s.2 > s.1)
        .map(|s| s.0)
        .collect();
    assert!(ups.len() >= 2, "{ups:?}");
    for pair in ups.windows(2) {
        assert!(pair[1] - pair[0] >= 180.0, "{ups:?}");
    }
}

#[test]
fn the_vpa_recommends_the_p95_of_usage_plus_a_margin() {
    let mut w = World::new(&steady(""), 1).unwrap();
    run_until(&mut w, 600.0);
    let r = w.control.vpa.recommend().expect("a recommendation");
    // 1,800 req/s × 1.5 ms over 6 pods = 450m each.
    assert!((r.cpu_p95_m - 450.0).abs() < 60.0, "{r:?}");
    assert!((r.cpu_request_m / r.cpu_p95_m - 1.15).abs() < 1e-9);
}

#[test]
fn spot_nodes_cost_less_per_hour_than_on_demand() {
    let on_demand = steady("");
    let mut spot = steady("");
    spot.topology.nodes.price_class = scalesim::sim::topology::PriceClass::Spot;
    let cost = |s: &Scenario| {
        let mut w = World::new(s, 1).unwrap();
        run_until(&mut w, 3600.0);
        w.cost.total_usd
    };
    let (a, b) = (cost(&on_demand), cost(&spot));
    assert!((a - 3.0 * 0.192).abs() < 1e-9, "3 nodes for an hour: {a}");
    assert!((b - a * 0.6).abs() < 1e-9, "{b}");
}

#[test]
fn an_action_naming_an_unknown_zone_is_refused() {
    let mut w = World::new(&steady(""), 1).unwrap();
    let e = w
        .push_action(
            10.0,
            Action::KillZone {
                zone: "atlantis".into(),
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("atlantis"));
}

#[test]
fn the_snapshot_shows_zones_nodes_pods_and_the_budget() {
    let mut w = World::new(&scenario("black-friday"), 1).unwrap();
    run_until(&mut w, 150.0);
    let s = w.snapshot();
    assert_eq!(s.zones.len(), 3);
    assert_eq!(s.nodes.len(), w.nodes.len());
    assert_eq!(s.pods.len(), w.pods.len());
    assert_eq!(s.replicas, w.spec_replicas);
    assert!(s.budget_remaining_pct < 100.0, "the spike burnt budget");
    assert!(!s.alerts_firing.is_empty());
    assert!(s.hpa_last.is_some());
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"budget_remaining_pct\""));
}

#[test]
fn least_outstanding_requests_steers_around_a_slow_pod_that_round_robin_keeps_feeding() {
    let run = |alg: &str| {
        let s = steady(&format!(
            "[balancer]\nalgorithm = \"{alg}\"\n[[events]]\nat_s = 60.0\naction = {{ kind = \"cpu_stress\", fraction = 0.9, pods = 1 }}\n"
        ));
        let mut w = World::new(&s, 1).unwrap();
        run_until(&mut w, 300.0);
        (w.counters.failed(), w.last.p99_ms)
    };
    let (rr_failed, rr_p99) = run("round_robin");
    let (lor_failed, lor_p99) = run("least_outstanding");
    let (p2c_failed, _) = run("power_of_two");
    assert!(rr_failed > 0.0, "round robin overloads the stressed pod");
    assert!(lor_failed < rr_failed / 2.0, "{lor_failed} vs {rr_failed}");
    assert!(p2c_failed < rr_failed / 2.0, "{p2c_failed} vs {rr_failed}");
    assert!(lor_p99 < rr_p99, "{lor_p99} vs {rr_p99}");
}

#[test]
fn pre_scaling_a_minute_before_the_sale_serves_the_spike_without_errors() {
    // Pre-scaling raises capacity before the known event (docs/models.md#pre-scaling).
    let plain = scenario("black-friday");
    let mut pre = plain.clone();
    pre.prescale
        .scheduled
        .push(scalesim::sim::settings::ScheduledMinimum {
            from_s: 0.0,
            until_s: 7260.0,
            min_replicas: 20,
        });
    let failed = |s: &Scenario| {
        let mut w = World::new(s, 1).unwrap();
        run_until(&mut w, 1200.0);
        w.counters.failed()
    };
    assert!(
        failed(&plain) > 100_000.0,
        "reactive scaling drops requests"
    );
    assert_eq!(failed(&pre), 0.0, "12 pods ready at T+0 carry 10,000 req/s");
}

#[test]
fn percentiles_follow_the_m_m_1_response_time_of_each_pod() {
    // 1,800 req/s over 6 pods of 1 core at 1.5 ms a request: ρ = 300/666.7 = 0.45,
    // T = 1 ms of cross-zone hops (2/3 × 1.5 ms) + Exp(mean 1.5 ms / 0.55).
    let mut w = World::new(&steady(""), 1).unwrap();
    run_until(&mut w, 120.0);
    let mean = 1.5 / (1.0 - 0.45);
    let hop = 2.0 / 3.0 * 1.5;
    for (got, k) in [
        (w.last.p50_ms, std::f64::consts::LN_2),
        (w.last.p95_ms, 20f64.ln()),
        (w.last.p99_ms, 100f64.ln()),
    ] {
        let want = hop + mean * k;
        assert!((got - want).abs() / want < 0.13, "{got} vs {want}");
    }
}

#[test]
fn sticky_sessions_keep_new_pods_underloaded_after_a_scale_up() {
    let s = steady("[balancer]\nsticky = { fraction = 0.8, session_s = 1800.0, requests_per_session = 50.0 }\n");
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 600.0);
    w.push_action(600.0, Action::SetReplicas { replicas: 12 })
        .unwrap();
    run_until(&mut w, 700.0);
    let (old, new): (Vec<_>, Vec<_>) = w
        .pods
        .iter()
        .zip(w.pod_times.iter())
        .filter(|(p, _)| p.in_lb)
        .partition(|(_, t)| t.created_s < 1.0);
    let (old, new): (Vec<_>, Vec<_>) = (
        old.into_iter().map(|(p, _)| p).collect(),
        new.into_iter().map(|(p, _)| p).collect(),
    );
    assert_eq!((old.len(), new.len()), (6, 6));
    let mean = |v: &[&scalesim::sim::topology::Pod]| {
        v.iter().map(|p| p.routed).sum::<f64>() / v.len() as f64
    };
    assert!(
        mean(&new) < 0.5 * mean(&old),
        "new pods {} req/tick vs old {}",
        mean(&new),
        mean(&old)
    );
}

#[test]
fn the_cluster_autoscaler_only_asks_for_nodes_while_pods_are_still_pending() {
    // Regression: the CA once scanned before the scheduler, so in the tick a new node
    // became ready it still saw the pods that node was about to take and asked for more.
    let s = scenario("hpa-vs-ca-gap");
    let mut w = World::new(&s, 4).unwrap();
    while w.now_s < 1500.0 {
        let before = w.events.len();
        step(&mut w);
        let asked = w.events[before..]
            .iter()
            .any(|e| matches!(e, SimEvent::NodesRequested { .. }));
        if asked {
            let pending = w
                .pods
                .iter()
                .filter(|p| p.state == PodState::Pending)
                .count();
            assert!(
                pending > 0,
                "nodes requested at t = {} for no pending pod",
                w.now_s
            );
        }
    }
}

#[test]
fn after_a_pre_scaling_window_the_hpa_scales_down_as_kubernetes_does() {
    // first-spike's HPA: scale-down policies 25 % and 2 pods per 300 s (selectPolicy
    // Max). Pre-scaling patches minReplicas to 10 from 600 s to 1,200 s; at the first
    // sync after it the load asks for ~3 pods, and kube's limit is
    // min(int(10 × 0.75), 10 − 2) = 7 pods: 10 → 7 in one sync, not 10 → 9 → 8 → 7.
    let text = format!(
        "{}\n[[prescale.scheduled]]\nfrom_s = 600.0\nuntil_s = 1200.0\nmin_replicas = 10\n",
        built_in("first-spike").unwrap()
    );
    let s = load("first-spike-prescaled", &text).unwrap();
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 1300.0);
    let rows = scalings(&w);
    let raise = rows.iter().find(|r| r.0 == 600.0).expect("raised at 600 s");
    assert_eq!((raise.1, raise.2), (3, 10), "{rows:?}");
    assert_eq!(raise.3, "raised to the pre-scaling floor of minReplicas");
    let down = rows
        .iter()
        .find(|r| r.0 >= 1200.0)
        .expect("a scale-down after the window");
    assert_eq!((down.1, down.2), (10, 7), "{rows:?}");
    assert!(down.3.contains("25 %-per-300 s"), "{}", down.3);
}

#[test]
fn a_pre_scaling_floor_under_the_hpas_own_minimum_changes_and_logs_nothing() {
    // first-spike's minReplicas is 3: a floor of 2 is already met.
    let text = format!(
        "{}\n[[prescale.scheduled]]\nfrom_s = 600.0\nuntil_s = 1200.0\nmin_replicas = 2\n",
        built_in("first-spike").unwrap()
    );
    let s = load("first-spike-low-floor", &text).unwrap();
    let mut w = World::new(&s, 1).unwrap();
    run_until(&mut w, 1300.0);
    let bounds: Vec<&SimEvent> = w
        .events
        .iter()
        .filter(|e| matches!(e, SimEvent::BoundsChanged { .. }))
        .collect();
    assert!(bounds.is_empty(), "{bounds:?}");
}

#[test]
fn the_vpa_recommends_the_same_request_whatever_the_tick() {
    // 1,800 req/s × 1.5 ms over 6 pods: 450m each; p95 × 1.15 ≈ 518m. Each sample
    // is a pod's mean usage since the last sync, as metrics-server reports a rate,
    // so 20 ms ticks (a few requests each) do not widen the p95.
    let mut got = Vec::new();
    for tick in ["0.02", "1.0", "60.0"] {
        let text = fixtures::steady_toml(600.0, "")
            .replace("noise = false", "noise = true")
            .replace(
                "[run]\n",
                &format!("[run]\ntick_s = {tick}\nlatency_window_s = 60.0\n"),
            );
        let s = load("steady-noisy.toml", &text).unwrap();
        let mut w = World::new(&s, 3).unwrap();
        run_until(&mut w, 600.0);
        let r = w.control.vpa.recommend().expect("sampled");
        got.push((tick, r.cpu_request_m));
    }
    // Within the histogram's bin (8 per octave: 9 %) of 518m, and of each other.
    for (tick, m) in &got {
        assert!(
            (m / 517.5 - 1.0).abs() < 0.09,
            "tick {tick} s: {m}m ({got:?})"
        );
        assert!(
            (m / got[1].1 - 1.0).abs() < 0.01,
            "tick {tick} s: {m}m ({got:?})"
        );
    }
}
