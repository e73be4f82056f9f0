//! Native tests of the web app's model layer (`scalesim_web::model`: no web
//! types): the diagram projection, the URL codec, the pacer, the budget
//! forecast, the chart specs and annotations, the HPA explorer, numbers in
//! words and interview answers. `cargo test -p scalesim-web --test model`.
//! What needs a browser is in `web.rs` and `web_logic.rs`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use scalesim::sim::events::{ScaleLimit, Scaler, SimEvent};
use scalesim::sim::inputs::{Action, ActionSource, FaultKind, LatencyTarget};
use scalesim::sim::protection::CallEdge;
use scalesim::sim::resilience::circuit_breaker::CbState;
use scalesim::sim::series::Series;
use scalesim::sim::snapshot::edge_views;
use scalesim::sim::{run_until, step};
use scalesim_web::model::actions::{attempts_typed, ClientChange, ClientPolicy};
use scalesim_web::model::diagram::{
    flow_edges, shape_of, FlowEnd, NodeShape, Projection, RegionShape, ServiceKind, ServiceShape,
    Shape, ZoneShape,
};
use scalesim_web::model::hpa_explorer::{explore, parse_load_csv, set_step, ExplorerInput};
use scalesim_web::model::run::{build_world, RunSpec, TimedAction, KNOBS};
use scalesim_web::model::sim_loop::{annotations_of, decimate, ChartData, KeepUp, Pacer, Targets};
use scalesim_web::model::slo::budget_forecast;
use scalesim_web::model::url_state::{decode_query, encode_query, EmbedParts, UrlState, View};

mod web_support;

fn shape(pods_per_node: &[&[usize]]) -> Shape {
    let mut id = 1000;
    let zones = pods_per_node
        .iter()
        .enumerate()
        .map(|(zi, nodes)| ZoneShape {
            index: zi as u16,
            name: format!("z{zi}"),
            nodes: nodes
                .iter()
                .enumerate()
                .map(|(ni, n)| NodeShape {
                    id: (zi * 10 + ni) as u64,
                    pods: (0..*n)
                        .map(|_| {
                            id += 1;
                            id
                        })
                        .collect(),
                })
                .collect(),
            unscheduled: if zi == 0 { vec![1, 2, 3] } else { vec![] },
        })
        .collect();
    Shape {
        world: 1,
        front: vec![ServiceShape {
            kind: ServiceKind::LoadBalancer,
            under: None,
        }],
        regions: vec![RegionShape {
            name: "r".into(),
            zones,
        }],
        back: vec![ServiceShape {
            kind: ServiceKind::Database,
            under: None,
        }],
    }
}

#[test]
fn the_projection_nests_pods_in_nodes_in_zones_in_regions_without_overlap() {
    let s = shape(&[&[3, 20], &[7], &[0, 1, 2]]);
    let l = Projection::default().layout(&s);
    let region = l.region("r").unwrap();
    assert_eq!(l.zones.len(), 3);
    for (_, z) in &l.zones {
        assert!(
            region.contains(z),
            "zone {z:?} outside its region {region:?}"
        );
    }
    for (zi, zone) in s.regions[0].zones.iter().enumerate() {
        let zr = l.zone(zi as u16).unwrap();
        for node in &zone.nodes {
            let nr = l.node(node.id).unwrap();
            assert!(zr.contains(&nr), "node outside its zone");
            for p in &node.pods {
                let pr = l.pods.iter().find(|(id, _)| id == p).unwrap().1;
                assert!(nr.contains(&pr), "pod outside its node");
            }
        }
    }
    let all =
        |v: &[(u64, scalesim_web::model::diagram::Rect)]| v.iter().map(|x| x.1).collect::<Vec<_>>();
    for group in [all(&l.pods), all(&l.nodes)] {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }
    for (i, (_, a)) in l.zones.iter().enumerate() {
        for (_, b) in &l.zones[i + 1..] {
            assert!(!a.overlaps(b));
        }
    }
    // Pending pods get their own box inside their zone.
    assert_eq!(l.pending.len(), 1);
    assert!(l.zone(0).unwrap().contains(&l.pending[0].1));
    // Services sit above and below the regions, inside the drawing.
    let lb = l.service(ServiceKind::LoadBalancer).unwrap();
    let db = l.service(ServiceKind::Database).unwrap();
    assert!(lb.y + lb.h <= region.y && db.y >= region.y + region.h);
    assert!(db.y + db.h <= l.height && lb.x >= 0.0 && lb.x + lb.w <= l.width);
}

#[test]
fn the_projection_grows_taller_with_more_pods_and_keeps_its_width() {
    let p = Projection::default();
    let small = p.layout(&shape(&[&[2], &[2]]));
    let big = p.layout(&shape(&[&[60], &[2]]));
    assert!(big.height > small.height);
    assert_eq!(big.width, small.width);
    assert_eq!(
        p.layout(&shape(&[&[60], &[2]])),
        big,
        "the layout is deterministic"
    );
}

#[test]
fn the_shape_of_a_real_world_has_its_zones_nodes_and_pods() {
    web_support::load_built_ins();
    let w = build_world(&RunSpec::fresh("black-friday", 42)).unwrap();
    let snap = w.snapshot();
    let s = shape_of(&snap);
    let zones: usize = s.regions.iter().map(|r| r.zones.len()).sum();
    assert_eq!(zones, snap.zones.len());
    let nodes: usize = s
        .regions
        .iter()
        .flat_map(|r| &r.zones)
        .map(|z| z.nodes.len())
        .sum();
    assert_eq!(nodes, snap.nodes.len());
    let pods: usize = s
        .regions
        .iter()
        .flat_map(|r| &r.zones)
        .map(|z| z.unscheduled.len() + z.nodes.iter().map(|n| n.pods.len()).sum::<usize>())
        .sum();
    assert_eq!(pods, snap.pods.len());
}

/// Edge cases of the URL codec (odd names, float bits, extreme ids), then one
/// example of every variant.
fn every_action() -> Vec<Action> {
    vec![
        Action::KillPods {
            count: 2,
            zone: Some("zone b/ü".into()),
        },
        Action::KillPods {
            count: 1,
            zone: None,
        },
        Action::KillNode { zone: None },
        Action::KillZone {
            zone: "a_b~c".into(),
        },
        Action::RestoreZone { zone: "a".into() },
        Action::KillRegion {
            region: "eu-west 1".into(),
        },
        Action::RestoreRegion {
            region: "eu".into(),
        },
        Action::InjectLatency {
            target: LatencyTarget::CrossZone,
            ms: 12.5,
            duration_s: None,
        },
        Action::InjectLatency {
            target: LatencyTarget::Service,
            ms: 0.1 + 0.2,
            duration_s: Some(300.0),
        },
        Action::CpuStress {
            fraction: 0.3,
            pods: Some(4),
            duration_s: None,
        },
        Action::MemoryLeak {
            mib_per_s: 5.0,
            pods: None,
            duration_s: Some(1e-7),
        },
        Action::BadRelease {
            error_rate: 0.2,
            extra_latency_ms: 100.0,
            duration_s: Some(600.0),
        },
        // The UI's own spike (600 s hold) and the "automatic" replica count (-1).
        Action::Spike {
            multiplier: 10.0,
            ramp_up_s: 30.0,
            hold_s: 600.0,
            ramp_down_s: 60.0,
        },
        Action::SetReplicas { replicas: -1 },
        Action::FailPrimary { shard: 2 },
        Action::StopConsumers {
            duration_s: Some(300.0),
        },
        Action::SetConsistency {
            class: None,
            mode: scalesim::sim::consistency::ConsistencyMode::Eventual,
        },
        Action::SetConsistency {
            class: Some(scalesim::sim::consistency::DataClass::Cart),
            mode: scalesim::sim::consistency::ConsistencyMode::Causal,
        },
        Action::SetConsistency {
            class: Some(scalesim::sim::consistency::DataClass::Recommendations),
            mode: scalesim::sim::consistency::ConsistencyMode::Strong,
        },
        Action::Restore {
            fault: FaultKind::ConsumersStopped,
        },
        Action::KillPodId { pod: u64::MAX },
        Action::KillNodeId { node: 0 },
    ]
    .into_iter()
    // And one of every variant, so a new action cannot miss the URL round trip.
    .chain(Action::examples())
    .collect()
}

#[test]
fn every_action_round_trips_through_the_url_bit_for_bit() {
    let mut knobs = BTreeMap::new();
    knobs.insert("hmax".to_string(), 30.0);
    knobs.insert("htgt".to_string(), 62.5);
    let run = RunSpec {
        scenario: "black-friday".into(),
        seed: u64::MAX,
        knobs,
        actions: every_action()
            .into_iter()
            .enumerate()
            .map(|(i, action)| TimedAction {
                at_s: i as f64 * 1.1 + 1.0 / 3.0,
                action,
            })
            .collect(),
        at_s: 1234.5,
        injected: Vec::new(),
    };
    let state = UrlState {
        run: Some(run),
        embed: true,
        show: EmbedParts {
            diagram: true,
            charts: false,
            actions: true,
        },
        view: View::HpaExplorer,
        drill: None,
    };
    let q = encode_query(&state);
    assert!(
        !q.contains(' ') && !q.contains('#'),
        "unsafe characters in {q}"
    );
    assert_eq!(decode_query(&q).unwrap(), state);
    assert_eq!(decode_query(&format!("?{q}")).unwrap(), state);
}

#[test]
fn a_drill_link_names_its_scenario() {
    let state = decode_query("?s=chaos-drill&drill=abort").unwrap();
    assert_eq!(state.drill.as_deref(), Some("abort"));
    assert_eq!(state.run.as_ref().unwrap().scenario, "chaos-drill");
    assert_eq!(decode_query(&encode_query(&state)).unwrap(), state);
    assert!(decode_query("?drill=abort").is_err());
}

#[test]
fn every_action_has_a_short_code_and_old_json_links_still_open() {
    for action in Action::examples() {
        let q = encode_query(&UrlState {
            run: Some(RunSpec {
                actions: vec![TimedAction {
                    at_s: 5.0,
                    action: action.clone(),
                }],
                ..RunSpec::fresh("black-friday", 1)
            }),
            embed: false,
            show: Default::default(),
            view: View::Playground,
            drill: None,
        });
        assert!(!q.contains("_j_"), "{action:?} has no short code: {q}");
    }
    // A link made before the data-tier actions had codes: their JSON.
    let old = "s=consistency-tradeoff&seed=0&a=5_j_%7B%22kind%22%3A%22cache%5Fflush%22%7D";
    let run = decode_query(old).unwrap().run.unwrap();
    assert_eq!(run.actions[0].action, Action::CacheFlush);
}

#[test]
fn a_short_run_makes_a_short_link() {
    let mut run = RunSpec::fresh("black-friday", 42);
    run.actions.push(TimedAction {
        at_s: 60.0,
        action: Action::Spike {
            multiplier: 10.0,
            ramp_up_s: 30.0,
            hold_s: 600.0,
            ramp_down_s: 60.0,
        },
    });
    run.actions.push(TimedAction {
        at_s: 95.0,
        action: Action::KillZone { zone: "b".into() },
    });
    let q = encode_query(&UrlState {
        run: Some(run),
        embed: false,
        show: EmbedParts::default(),
        view: View::Playground,
        drill: None,
    });
    assert_eq!(q, "s=black-friday&seed=42&a=60_sp_10_30_600_60~95_kz_b");
}

#[test]
fn a_broken_link_gets_an_error_that_says_what_is_wrong() {
    for (q, words) in [
        (
            "s=nope",
            "no scenario called \u{201c}nope\u{201d}; the scenarios are first-spike, black-friday,",
        ),
        ("s=x&seed=abc", "seed"),
        ("s=x&seed=1&a=5_zz_1", "unknown action"),
        ("s=x&seed=1&a=5_kz", "too few"),
        ("s=x&seed=1&a=5_mn_3_4", "too many"),
        (
            "s=x&seed=1&a=x_kz_b",
            "a[0].at_s: \u{201c}x\u{201d} is not a number",
        ),
        ("s=x&seed=1&k=nope:3", "no knob"),
        ("s=x&seed=1&t=-4", "t: must be 0 or more seconds"),
        ("seed=1", "no scenario"),
        ("s=x&seed=1&zap=1", "unknown part"),
        ("s=%zz&seed=1", "bad escape"),
    ] {
        let e = decode_query(q).expect_err(q);
        assert!(e.contains(words), "{q}: {e}");
    }
    assert_eq!(decode_query("").unwrap().run, None);
}

#[test]
fn a_hand_written_link_without_a_seed_runs_the_scenario_with_its_own_seed() {
    web_support::load_built_ins();
    for name in scalesim::scenario::BUILT_IN_NAMES {
        let run = decode_query(&format!("?s={name}")).unwrap().run.unwrap();
        let own = scalesim_web::model::run::loaded_scenario(name)
            .unwrap()
            .run
            .seed;
        assert_eq!((run.scenario.as_str(), run.seed), (name, own));
    }
    // zone-outage's own seed is 7 (scenarios/zone-outage.toml).
    assert_eq!(decode_query("s=zone-outage").unwrap().run.unwrap().seed, 7);
}

#[test]
fn an_unknown_scenario_or_an_out_of_range_knob_cannot_be_built() {
    web_support::load_built_ins();
    assert!(build_world(&RunSpec::fresh("nope", 1))
        .unwrap_err()
        .contains("nope"));
    let mut run = RunSpec::fresh("black-friday", 1);
    run.knobs.insert("hmax".into(), 1e9);
    assert!(build_world(&run)
        .unwrap_err()
        .contains("hpa.maxReplicas: must be a whole number from"));
}

#[test]
fn a_replayed_run_has_the_same_event_log_as_the_live_one() {
    web_support::load_built_ins();
    let spec = RunSpec::fresh("black-friday", 7);
    let mut live = build_world(&spec).unwrap();
    let mut taken = Vec::new();
    for t in 0..400 {
        if t == 70 || t == 130 {
            let action = if t == 70 {
                Action::Spike {
                    multiplier: 3.0,
                    ramp_up_s: 10.0,
                    hold_s: 100.0,
                    ramp_down_s: 10.0,
                }
            } else {
                Action::KillZone {
                    zone: live.zones[1].name.clone(),
                }
            };
            live.push_action(live.now_s, action.clone()).unwrap();
            taken.push(TimedAction {
                at_s: live.now_s,
                action,
            });
        }
        step(&mut live);
    }
    let run = RunSpec {
        actions: taken,
        at_s: live.now_s,
        ..spec
    };
    let q = encode_query(&UrlState {
        run: Some(run),
        embed: false,
        show: EmbedParts::default(),
        view: View::Playground,
        drill: None,
    });
    let replay_spec = decode_query(&q).unwrap().run.unwrap();
    let mut replay = build_world(&replay_spec).unwrap();
    run_until(&mut replay, replay_spec.at_s);
    assert_eq!(replay.now_s, live.now_s);
    assert_eq!(replay.events, live.events);
    assert!(live
        .events
        .iter()
        .any(|e| matches!(e, SimEvent::FaultInjected { .. })));
}

#[test]
fn every_knob_reads_back_what_it_wrote() {
    // Each knob on a built-in where it applies (the database pool needs a database,
    // the dependency's retries a retry policy, the read routing a replicated store).
    web_support::load_built_ins();
    let mut bases: Vec<_> = [
        "black-friday",
        "reference",
        "p99-debugging",
        "canary-rollout",
        "asia-dashboards",
        "chaos-experiment",
    ]
    .iter()
    .map(|n| scalesim_web::model::run::loaded_scenario(n).unwrap())
    .collect();
    // The class rate limit needs a per-class bucket: black-friday with one on browse
    // (the canary's knobs need versions: canary-rollout).
    let mut limited = bases[0].clone();
    limited.rate_limit = Some(scalesim::sim::protection::RateLimitPolicy {
        classes: vec![scalesim::sim::protection::ClassLimit {
            name: "browse".into(),
            limit_rps: 500.0,
            burst: None,
        }],
        ..Default::default()
    });
    // A breaker on every edge, for the breakers' knobs.
    let breaker = Some(scalesim::sim::protection::BreakerPolicy::default());
    limited.breaker = scalesim::sim::protection::BreakerSection {
        client: breaker.clone(),
        database: breaker.clone(),
        external: breaker.clone(),
        cache: breaker.clone(),
        consumer: breaker,
    };
    bases.push(limited);
    let mut checked = 0;
    for k in KNOBS.iter() {
        let mut s = bases
            .iter()
            .find(|b| (k.read)(b).is_some())
            .unwrap_or_else(|| panic!("knob {} applies to no base scenario", k.key))
            .clone();
        let v = (k.min + k.step).min(k.max);
        (k.write)(&mut s, v);
        assert_eq!((k.read)(&s), Some(v), "knob {}", k.key);
        checked += 1;
    }
    assert_eq!(checked, KNOBS.len());
}

#[test]
fn the_pacer_owes_ticks_in_proportion_to_speed_and_drops_debt_it_cannot_pay() {
    let mut p = Pacer::default();
    assert_eq!(p.owe(0.1, 100.0, 1.0), 10);
    assert!(p.paid(10, 10, 1.0));
    assert!(p.debt_s.abs() < 1e-9);
    // A hidden tab (10 s gap) owes at most max_frame_s of wall time.
    assert_eq!(p.owe(10.0, 1.0, 0.05), 5);
    assert!(!p.paid(2, 5, 0.05));
    assert_eq!(p.debt_s, 0.0);
    let mut k = KeepUp::default();
    let mut behind = false;
    for _ in 0..60 {
        behind = k.record(1.0 / 60.0, 1.0, 1000.0, false);
    }
    assert!(behind && k.achieved < 100.0);
    assert!(!k.record(1.0 / 60.0, 1000.0 / 60.0, 1000.0, true));
}

#[test]
fn the_budget_forecast_says_when_the_budget_runs_out() {
    assert_eq!(
        budget_forecast(100.0, 30.0 / 2.1, 30.0),
        "At this rate the 30-day budget is gone in 2.1 days."
    );
    assert!(budget_forecast(50.0, 0.0, 30.0).contains("not burning"));
    assert!(budget_forecast(0.0, 5.0, 30.0).contains("spent"));
    assert!(budget_forecast(80.0, 0.5, 30.0).contains("would last 48 days"));
}

#[test]
fn faults_become_bands_and_actions_and_hpa_decisions_become_markers() {
    let ev = vec![
        SimEvent::FaultInjected {
            t_s: 10.0,
            action: Action::KillZone { zone: "b".into() },
            by: ActionSource::Learner,
        },
        SimEvent::FaultInjected {
            t_s: 20.0,
            action: Action::BadRelease {
                error_rate: 0.1,
                extra_latency_ms: 0.0,
                duration_s: None,
            },
            by: ActionSource::Scenario,
        },
        SimEvent::Scaled {
            t_s: 30.0,
            from: 3,
            to: 7,
            by: Scaler::Hpa,
            utilization_pct: Some(140),
            target_pct: Some(70),
            limited_by: ScaleLimit::None,
        },
        SimEvent::FaultCleared {
            t_s: 40.0,
            fault: FaultKind::BadRelease,
        },
        SimEvent::FaultInjected {
            t_s: 50.0,
            action: Action::RestoreZone { zone: "b".into() },
            by: ActionSource::Learner,
        },
    ];
    let a = annotations_of(&ev);
    assert_eq!(a.bands.len(), 2);
    assert_eq!((a.bands[0].start_s, a.bands[0].end_s), (10.0, Some(50.0)));
    assert_eq!((a.bands[1].start_s, a.bands[1].end_s), (20.0, Some(40.0)));
    assert_eq!(a.actions.len(), 3);
    assert_eq!(a.hpa.len(), 1);
}

#[test]
fn thinned_series_keep_the_last_point_and_at_most_the_limit() {
    web_support::load_built_ins();
    let mut w = build_world(&RunSpec::fresh("black-friday", 1)).unwrap();
    run_until(&mut w, 1000.0);
    let d = decimate(&w.series, 100);
    let t = d.col(Series::Time).unwrap();
    assert!(t.len() <= 101 && t.len() >= 50, "{} points", t.len());
    assert_eq!(t.last(), w.series.get(Series::Time).last());
    assert_eq!(d.cols.len(), Series::ALL.len());
    assert!(ChartData::default().col(Series::KafkaLagMessages).is_none());
}

#[test]
fn the_explorer_gives_the_seed_ramp_and_names_the_field_of_a_bad_manifest() {
    let input = ExplorerInput {
        manifest: include_str!("../../examples/hpa/seed001-hpa.yaml").into(),
        name: String::new(),
        load_csv: include_str!("../../examples/hpa/spike-10x.csv").into(),
        options: scalesim::sim::hpa::HpaRunOptions::default(),
    };
    let run = explore(&input).unwrap();
    let peak = run.rows.iter().map(|r| r.replicas_after).max().unwrap();
    assert_eq!(peak, 20);
    let bad = ExplorerInput {
        manifest: "spec:\n  minReplicas: 2\n  maxReplicas: many\n".into(),
        ..input.clone()
    };
    let e = explore(&bad).unwrap_err();
    assert!(e.contains("maxReplicas"), "{e}");
    for junk in ["", "[", "{{{", "spec: 3", "\u{0}"] {
        assert!(explore(&ExplorerInput {
            manifest: junk.into(),
            ..input.clone()
        })
        .is_err());
    }
    assert!(parse_load_csv("t_s,demand_m\n5,x\n")
        .unwrap_err()
        .contains("load curve:2:"));
    assert_eq!(
        set_step(&[(0.0, 1), (60.0, 2)], 30.0, 9),
        vec![(0.0, 1), (30.0, 9), (60.0, 2)]
    );
}

#[test]
fn the_explorer_replays_every_metric_of_a_helm_file_and_says_the_kubernetes_version() {
    use scalesim_web::model::hpa_explorer::set_cpu_step;
    // Helm output: a Service, then an HPA on CPU and a Pods metric.
    let manifest = "---\nkind: Service\nmetadata: {name: web}\n---\napiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  maxReplicas: 20\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n  - type: Pods\n    pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: \"100\"}}\n";
    let input = ExplorerInput {
        manifest: manifest.into(),
        name: String::new(),
        load_csv: "t_s,cpu_m,rps\n0,1000,2000\n".into(),
        options: scalesim::sim::hpa::HpaRunOptions {
            initial_replicas: Some(2),
            ..Default::default()
        },
    };
    let run = explore(&input).unwrap();
    // CPU asks for 2 pods (50 %), rps for 20 (1000 per pod against 100): the larger wins.
    assert_eq!(run.rows[0].proposal, 20);
    assert!(
        run.notes
            .iter()
            .any(|n| n.starts_with("Kubernetes 1.34 assumed")),
        "{:?}",
        run.notes
    );
    assert!(
        run.notes.iter().any(|n| n.contains("skipped Service web")),
        "{:?}",
        run.notes
    );
    let e = explore(&ExplorerInput {
        load_csv: "t_s,cpu_m\n0,1000\n".into(),
        ..input.clone()
    })
    .unwrap_err();
    assert!(e.contains("no column `rps` for metric \"rps\""), "{e}");
    // Drawing the CPU curve keeps the other columns.
    assert_eq!(
        set_cpu_step(&run.load, 30.0, 500).unwrap(),
        "t_s,cpu_m,rps\n0,1000,2000\n30,500,\n"
    );
}

#[test]
fn the_timeline_words_every_action_with_the_engine_s_plain_words() {
    use scalesim_web::model::sim_loop::LogLine;
    let line = |action: Action| {
        LogLine::of(
            1,
            0,
            &SimEvent::FaultInjected {
                t_s: 45.0,
                action,
                by: ActionSource::Learner,
            },
            &[],
        )
        .text
    };
    assert_eq!(
        line(Action::Spike {
            multiplier: 10.0,
            ramp_up_s: 30.0,
            hold_s: 300.0,
            ramp_down_s: 60.0
        }),
        "T+0:45 Learner: 10\u{d7} traffic spike for 5 min (30 s ramp up, 60 s down)"
    );
    assert_eq!(
        line(Action::KillZone { zone: "b".into() }),
        "T+0:45 Learner: kill zone b: its nodes and pods die"
    );
    for a in every_action() {
        let w = line(a.clone());
        assert_eq!(
            w,
            SimEvent::FaultInjected {
                t_s: 45.0,
                action: a,
                by: ActionSource::Learner
            }
            .describe()
        );
        assert!(!w.contains('{') && !w.contains("Some("), "{w}");
    }
}

#[test]
fn the_burn_table_names_every_window_and_marks_the_ones_over_the_threshold() {
    use scalesim::sim::snapshot::BurnAlertView;
    use scalesim_web::model::slo::{burn_row, burn_words, window_words};
    assert_eq!(
        [300.0, 1800.0, 3600.0, 21_600.0, 259_200.0].map(window_words),
        ["5 min", "30 min", "1 h", "6 h", "3 d"].map(String::from)
    );
    assert_eq!(burn_words(0.0), "0.00\u{d7}");
    assert_eq!(burn_words(14.4), "14.4\u{d7}");
    assert_eq!(burn_words(720.0), "720\u{d7}");
    let row = burn_row(&BurnAlertView {
        name: "page 14.4× 1h/5m".into(),
        page: true,
        threshold: 14.4,
        long_window_s: 3600.0,
        long_burn_rate: 3.2,
        short_window_s: 300.0,
        short_burn_rate: 20.0,
        firing: false,
    });
    assert_eq!(
        row,
        [
            "Page",
            "1 h: 3.20\u{d7}",
            "5 min: 20.0\u{d7} \u{2191}",
            "both above 14.4\u{d7}",
            "quiet"
        ]
        .map(String::from)
    );
}

#[test]
fn the_snapshot_carries_every_alert_window_s_burn_rate_for_the_slo_panel() {
    web_support::load_built_ins();
    let spec = RunSpec {
        scenario: "reference".into(),
        seed: 42,
        knobs: BTreeMap::new(),
        actions: vec![],
        at_s: 0.0,
        injected: Vec::new(),
    };
    let mut w = build_world(&spec).unwrap();
    run_until(&mut w, 60.0);
    let s = w.snapshot();
    let windows: Vec<f64> = s.burn_windows.iter().map(|b| b.window_s).collect();
    assert_eq!(windows, vec![300.0, 1800.0, 3600.0, 21_600.0, 259_200.0]);
    assert_eq!(s.burn_alerts.len(), 3);
    assert!(s.burn_alerts.iter().all(|a| a.threshold >= 1.0));
}

#[test]
fn a_chart_draws_only_when_the_world_holds_what_it_plots_and_otherwise_names_a_scenario_that_does()
{
    web_support::load_built_ins();
    use scalesim_web::model::charts::{gate, ChartGate, Need, CHARTS};
    let snap = |name: &str| build_world(&RunSpec::fresh(name, 7)).unwrap().snapshot();
    let chart = |id: &str| *CHARTS.iter().find(|c| c.id == id).unwrap();
    let data_charts = ["chart-queue", "chart-database", "chart-consistency"];
    // Black Friday has no data tier: every data chart shows its empty state,
    // saying what the scenario lacks and which built-in scenario has it.
    let bf = snap("black-friday");
    for id in data_charts {
        let c = chart(id);
        match gate(&c, Some(&bf), "black-friday") {
            ChartGate::Empty(words) => {
                assert!(words.contains("black-friday"), "{words}");
                assert!(words.contains(c.needs), "{words}");
                assert!(words.contains(c.need.example_scenario()), "{words}");
            }
            ChartGate::Draw => panic!("{id} draws for black-friday"),
        }
    }
    // The charts every world has draw for it, before and after the first snapshot.
    for c in CHARTS.iter().filter(|c| c.need == Need::Nothing) {
        assert_eq!(
            gate(c, Some(&bf), "black-friday"),
            ChartGate::Draw,
            "{}",
            c.id
        );
        assert_eq!(gate(c, None, ""), ChartGate::Draw, "{}", c.id);
    }
    // Worlds with the tier draw the chart.
    for (scenario, id) in [
        ("reference", "chart-queue"),
        ("reference", "chart-database"),
        ("kafka-burst", "chart-queue"),
        ("consistency-tradeoff", "chart-consistency"),
        ("consistency-tradeoff", "chart-database"),
    ] {
        assert_eq!(
            gate(&chart(id), Some(&snap(scenario)), scenario),
            ChartGate::Draw,
            "{id} with {scenario}"
        );
    }
    assert_ne!(
        gate(
            &chart("chart-consistency"),
            Some(&snap("reference")),
            "reference"
        ),
        ChartGate::Draw,
        "reference has no consistency store"
    );
    // The scenario each empty state recommends really has what the chart needs, or
    // (the refusals chart) the learner turns it on there as the empty state says.
    for c in CHARTS.iter() {
        let example = c.need.example_scenario();
        if let Some(how) = c.need.turned_on_by() {
            match gate(c, Some(&snap(example)), example) {
                ChartGate::Empty(words) => assert!(words.contains(how), "{words}"),
                ChartGate::Draw => panic!("{} draws before it is turned on", c.id),
            }
            let mut w = build_world(&RunSpec::fresh(example, 7)).unwrap();
            w.push_action(1.0, Action::SetShedding { on: true })
                .unwrap();
            run_until(&mut w, 3.0);
            assert_eq!(
                gate(c, Some(&w.snapshot()), example),
                ChartGate::Draw,
                "{}",
                c.id
            );
            continue;
        }
        assert_eq!(
            gate(c, Some(&snap(example)), example),
            ChartGate::Draw,
            "{} recommends {example}",
            c.id
        );
    }
}

#[test]
fn axis_labels_are_short_with_k_m_g_suffixes_and_live_figures_carry_their_unit() {
    use scalesim_web::model::format::{compact, with_unit};
    let cases = [
        (0.0, "0"),
        (0.25, "0.25"),
        (2.5, "2.5"),
        (7.0, "7"),
        (450.0, "450"),
        (999.0, "999"),
        (1000.0, "1k"),
        (1500.0, "1.5k"),
        (12_000.0, "12k"),
        (250_000.0, "250k"),
        (999_999.0, "1M"),
        (1_500_000.0, "1.5M"),
        (30_000_000.0, "30M"),
        (2.1e9, "2.1G"),
        (-1500.0, "-1.5k"),
    ];
    for (x, want) in cases {
        assert_eq!(compact(x), want, "{x}");
        assert!(compact(x).len() <= 5, "{x} → {}", compact(x));
    }
    assert_eq!(with_unit(33.2, "%"), "33 %");
    assert_eq!(with_unit(12_345.0, "req/s"), "12,345 req/s");
    assert_eq!(with_unit(2.5, "ms"), "2.5 ms");
    assert_eq!(with_unit(4.2, "$/h"), "$4.20/h");
    assert_eq!(with_unit(1.5, "\u{d7}"), "1.5\u{d7}");
    // Every line of every chart has a unit, so its "Now:" figure carries one.
    for c in scalesim_web::model::charts::CHARTS.iter() {
        for l in c.lines {
            assert!(!l.unit().is_empty(), "{} / {} has no unit", c.id, l.label);
        }
    }
}

#[test]
fn the_reference_diagram_has_data_tier_edges_with_live_rates_and_black_friday_has_none() {
    web_support::load_built_ins();
    let run = |name: &str| {
        let mut w = build_world(&RunSpec::fresh(name, 42)).unwrap();
        run_until(&mut w, 300.0);
        let snap = w.snapshot();
        let layout = Projection::default().layout(&shape_of(&snap));
        let edges = flow_edges(&snap, &edge_views(&w), &layout, w.tick_s);
        (snap, layout, edges)
    };
    use FlowEnd::{Pods, Service as S, Zone};
    use ServiceKind as K;
    let (snap, layout, edges) = run("reference");
    let edge = |from: FlowEnd, to: FlowEnd| {
        edges
            .iter()
            .find(|e| e.from == from && e.to == to)
            .unwrap_or_else(|| panic!("no edge {from:?} → {to:?} in {edges:#?}"))
    };
    let cdn = edge(S(K::Cdn), S(K::LoadBalancer));
    assert_eq!(cdn.unit, "req/s");
    assert!(
        cdn.rate > 0.0 && cdn.rate < snap.last.arrivals_rps,
        "the CDN keeps some traffic at the edge: {}",
        cdn.rate
    );
    let cache = edge(Pods, S(K::Cache));
    assert_eq!(cache.rate, snap.tiers.cache.as_ref().unwrap().ops_per_s);
    assert!(cache.rate > 0.0);
    let misses = edge(S(K::Cache), S(K::Database));
    assert_eq!(misses.unit, "misses/s");
    assert!(misses.rate >= 0.0 && misses.rate < cache.rate);
    let kafka = snap.tiers.kafka.as_ref().unwrap();
    assert_eq!(edge(Pods, S(K::Kafka)).rate, kafka.published_eps);
    assert_eq!(edge(S(K::Kafka), S(K::Consumers)).rate, kafka.consumed_eps);
    assert!(kafka.published_eps > 0.0 && kafka.consumed_eps > 0.0);
    assert_eq!(edge(S(K::Kafka), S(K::Consumers)).unit, "msg/s");
    // With a cache in front, the pods do not query the database directly.
    assert!(!edges
        .iter()
        .any(|e| e.from == Pods && e.to == S(K::Database)));
    // The consumers write what they consume to the database, beside them.
    let writes = edge(S(K::Consumers), S(K::Database));
    assert_eq!((writes.rate, writes.unit), (kafka.consumed_eps, "writes/s"));
    assert_eq!(
        writes.start.1, writes.end.1,
        "the database and the consumers share a row"
    );
    // Every other edge runs down from its source into the top of its target's box.
    for e in edges.iter().filter(|e| e.from != S(K::Consumers)) {
        assert!(e.end.1 > e.start.1, "{e:?} does not run downwards");
        if let S(to) = e.to {
            assert_eq!(e.end, layout.service(to).unwrap().top_centre());
        }
    }
    // The database hangs under the cache, the consumers under the topic.
    let (c, d) = (
        layout.service(K::Cache).unwrap(),
        layout.service(K::Database).unwrap(),
    );
    assert!(d.y > c.y + c.h && (d.x - c.x).abs() < 1e-9);

    // Black Friday has no CDN and no data tier: only the LB's edges to its zones.
    let (bf, _, edges) = run("black-friday");
    assert_eq!(edges.len(), bf.zones.len());
    assert!(edges
        .iter()
        .all(|e| e.from == S(K::LoadBalancer) && matches!(e.to, Zone(_))));
    let routed: f64 = edges.iter().map(|e| e.rate).sum();
    assert!(
        routed > 0.0 && routed <= bf.last.arrivals_rps * 1.0001,
        "{routed} vs {}",
        bf.last.arrivals_rps
    );

    // Without a cache the pods query the database directly.
    let (kb, _, edges) = run("kafka-burst");
    let direct = edges
        .iter()
        .find(|e| e.from == Pods && e.to == S(K::Database))
        .expect("kafka-burst: pods → database");
    let queries: f64 = kb
        .tiers
        .database
        .as_ref()
        .unwrap()
        .shards
        .iter()
        .map(|s| s.queries_per_s)
        .sum();
    let consumed = edges
        .iter()
        .find(|e| e.from == S(K::Consumers) && e.to == S(K::Database))
        .expect("kafka-burst: consumers → database");
    assert!(consumed.rate > 0.0, "the consumers write to the database");
    assert!(
        (direct.rate + consumed.rate - queries).abs() < 1e-6 * queries.max(1.0),
        "the database's queries come from the pods ({}) and the consumers ({}): {queries}",
        direct.rate,
        consumed.rate
    );
}

#[test]
fn a_per_class_consistency_switch_has_a_short_link_code_and_old_json_links_still_open() {
    use scalesim::sim::consistency::{ConsistencyMode, DataClass};
    let mut run = RunSpec::fresh("consistency-tradeoff", 1);
    for (at_s, class, mode) in [
        (30.0, Some(DataClass::Inventory), ConsistencyMode::Eventual),
        (60.0, None, ConsistencyMode::Strong),
    ] {
        run.actions.push(TimedAction {
            at_s,
            action: Action::SetConsistency { class, mode },
        });
    }
    let state = UrlState {
        run: Some(run.clone()),
        embed: false,
        show: EmbedParts::default(),
        view: View::Playground,
        drill: None,
    };
    let q = encode_query(&state);
    assert!(q.contains("30_cm_inventory_eventual"), "{q}");
    assert!(q.contains("60_cm__strong"), "{q}");
    assert_eq!(decode_query(&q).unwrap(), state);
    // A link written before the short code (the action as JSON) opens the same run.
    let json = "?s=consistency-tradeoff&seed=1&a=30_j_%7B%22kind%22%3A%22set%5Fconsistency%22%2C%22class%22%3A%22inventory%22%2C%22mode%22%3A%22eventual%22%7D";
    let old = decode_query(json).unwrap().run.unwrap();
    assert_eq!(old.actions[0], run.actions[0]);
    let err = decode_query("?s=consistency-tradeoff&seed=1&a=30_cm_basket_eventual").unwrap_err();
    assert!(err.contains("basket"), "{err}");
}

#[test]
fn the_all_classes_control_shows_the_shared_mode_or_none_when_classes_differ() {
    web_support::load_built_ins();
    use scalesim::sim::consistency::{ConsistencyMode as M, DataClass as C};
    use scalesim_web::model::actions::{common_mode, mode_named};
    assert_eq!(
        common_mode(&[(C::Cart, M::Strong), (C::Checkout, M::Strong)]),
        Some(M::Strong)
    );
    assert_eq!(
        common_mode(&[(C::Cart, M::Strong), (C::Inventory, M::Causal)]),
        None
    );
    assert_eq!(common_mode(&[]), None);
    assert_eq!(mode_named("eventual"), Some(M::Eventual));
    assert_eq!(mode_named("choose"), None);
    // The consistency-tradeoff store has several classes, not all in one mode.
    let snap = build_world(&RunSpec::fresh("consistency-tradeoff", 1))
        .unwrap()
        .snapshot();
    let modes: Vec<_> = snap
        .tiers
        .consistency
        .unwrap()
        .classes
        .iter()
        .map(|c| (c.class, c.mode))
        .collect();
    assert!(modes.len() > 1);
    assert_eq!(common_mode(&modes), None);
}

#[test]
fn the_data_services_show_their_shards_replicas_and_partitions_inside_their_boxes() {
    web_support::load_built_ins();
    use scalesim_web::model::diagram::{has_parts, part_cells, part_lines, service_actions, Rect};
    let r = Rect {
        x: 100.0,
        y: 50.0,
        w: 130.0,
        h: 40.0,
    };
    let mut w = build_world(&RunSpec::fresh("kafka-burst", 3)).unwrap();
    run_until(&mut w, 30.0);
    let s = w.snapshot();
    let k = s.tiers.kafka.as_ref().unwrap();
    let cells = part_cells(ServiceKind::Kafka, &s, r);
    assert_eq!(cells.len(), k.partitions.len());
    assert!(cells.len() >= 12);
    assert!(cells
        .iter()
        .all(|c| c.x >= r.x && c.x + c.side <= r.x + r.w && c.y + c.side <= r.y + r.h));
    assert!(
        cells.windows(2).all(|p| p[0].x + p[0].side <= p[1].x),
        "cells overlap"
    );
    let most = cells.iter().map(|c| c.fill).fold(0.0, f64::max);
    assert!(
        k.lag_messages < 1.0 || (most - 1.0).abs() < 1e-9,
        "the laggiest partition is full"
    );
    assert_eq!(part_lines(ServiceKind::Kafka, &s).len(), k.partitions.len());
    assert!(part_lines(ServiceKind::Kafka, &s)[0].starts_with("Partition 0: lag "));

    let db = s.tiers.database.as_ref().unwrap();
    let expected: usize = db.shards.iter().map(|x| 1 + x.replicas.len()).sum();
    let cells = part_cells(ServiceKind::Database, &s, r);
    assert_eq!(cells.len(), expected);
    assert_eq!(cells[0].class, "part-primary");
    assert!(part_lines(ServiceKind::Database, &s)[0].starts_with("Shard 0 primary: up"));

    // A failed primary turns its cell red.
    let mut w2 = w.clone();
    w2.push_action(w2.now_s, Action::FailPrimary { shard: 0 })
        .unwrap();
    step(&mut w2);
    step(&mut w2);
    assert_eq!(
        part_cells(ServiceKind::Database, &w2.snapshot(), r)[0].class,
        "part-down"
    );

    // Black Friday has no data tier: nothing to draw.
    let bf = build_world(&RunSpec::fresh("black-friday", 3))
        .unwrap()
        .snapshot();
    assert!(
        part_cells(ServiceKind::Database, &bf, r).is_empty()
            && part_cells(ServiceKind::Kafka, &bf, r).is_empty()
    );
    assert!(has_parts(ServiceKind::Kafka) && !has_parts(ServiceKind::Cache));

    let db_actions: Vec<String> = service_actions(ServiceKind::Database, 2)
        .into_iter()
        .map(|(words, _)| words)
        .collect();
    assert_eq!(
        db_actions,
        [
            "Fail primary of shard 0",
            "Fail primary of shard 1",
            "Add replica"
        ]
        .map(String::from)
    );
}

#[test]
fn an_embed_link_chooses_its_parts_and_names_a_wrong_one() {
    let s = decode_query("s=zone-outage&seed=42&embed=1&show=actions,diagram").unwrap();
    assert!(s.embed);
    assert_eq!(
        s.show,
        EmbedParts {
            diagram: true,
            charts: false,
            actions: true,
        }
    );
    // Written back in the canonical order; every part (the default) is no `show=` at all.
    assert!(encode_query(&s).ends_with("&embed=1&show=diagram,actions"));
    let all = decode_query("s=zone-outage&seed=42&embed=1").unwrap();
    assert!(all.show.is_all() && !encode_query(&all).contains("show="));
    // Naming parts asks for the embed.
    assert!(decode_query("show=charts").unwrap().embed);
    let e = decode_query("embed=1&show=diagram,chart").unwrap_err();
    assert!(
        e.contains("\u{201c}chart\u{201d}") && e.contains("diagram, charts, actions"),
        "{e}"
    );
    let e = decode_query("embed=1&show=").unwrap_err();
    assert!(
        e.contains("no part") && e.contains("diagram, charts, actions"),
        "{e}"
    );
}

#[test]
fn every_zone_has_a_badge_slot_under_it_that_covers_no_zone_node_or_region_title() {
    let p = Projection::default();
    let s = shape(&[&[3, 20], &[7], &[0, 1, 2]]);
    let l = p.layout(&s);
    let region = l.region("r").unwrap();
    assert_eq!(l.badges.len(), l.zones.len());
    for (zi, zone) in &l.zones {
        let slot = l.badge_slot(*zi).unwrap();
        assert!(region.contains(&slot), "slot {slot:?} outside its region");
        assert!(
            slot.y >= zone.bottom(),
            "slot {slot:?} is not under zone {zone:?}"
        );
        assert!(slot.h >= p.badge_h && (slot.w - zone.w).abs() < 1e-9);
        let others = l.zones.iter().map(|z| z.1);
        let others = others.chain(l.nodes.iter().map(|n| n.1));
        for other in others.chain(l.pending.iter().map(|p| p.1)) {
            assert!(!slot.overlaps(&other), "slot {slot:?} covers {other:?}");
        }
        // The region's own title line sits above every zone.
        assert!(slot.y > region.y + p.header);
    }
    for (i, (_, a)) in l.badges.iter().enumerate() {
        for (_, b) in &l.badges[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
}

// ---- Interview mode's logic (src/grade, used by src/ui/interview) ----

#[test]
fn the_interview_answers_grade_and_the_debrief_rows_carry_every_seed() {
    use scalesim::grade::session::{highlight, Session};
    use scalesim::grade::{grade_answer, Judge, Question, Setup};
    web_support::load_built_ins();
    let s = scalesim_web::model::run::loaded_scenario("flash-sale").unwrap();
    let mut session = Session::new("flash-sale");
    assert_eq!(
        session.unanswered(&s),
        vec!["predict", "plan", "why", "degrade"]
    );
    session.answer_mut("predict").picks = Some(vec![1]);
    session.answer_mut("why").text = Some(
        "Autoscaling is reactive and takes four minutes, so I would pre-scale at 11:30 and scale back down after the sale.".into(),
    );
    assert_eq!(session.unanswered(&s), vec!["plan", "degrade"]);
    let questions = s.questions().unwrap();
    let why = questions.iter().find(|q| q.id() == "why").unwrap();
    let g = grade_answer(&s, why, &session.answers["why"]).unwrap();
    let e = g.explain.as_ref().unwrap();
    let runs = highlight(session.answers["why"].text.as_deref().unwrap(), &e.matched);
    assert!(
        runs.iter().any(|(t, c)| t == "reactive" && c.is_some()),
        "{runs:?}"
    );
    // The configure question, judged in slices as the page does: rows per check, a value per seed.
    let Some(Question::Configure(plan)) = questions.iter().find(|q| q.id() == "plan") else {
        panic!("plan is a configure question")
    };
    let mut j = Judge::new(&s, plan, &Setup::default()).unwrap();
    let mut slices = 0;
    while !j.is_done() {
        let p = j.advance(2000).unwrap();
        assert!((0.0..=1.0).contains(&p));
        slices += 1;
    }
    assert!(slices >= 8, "{slices} slices");
    let cg = j.finish().unwrap();
    assert_eq!(cg.rows.len(), plan.checks.len());
    for r in &cg.rows {
        assert_eq!(
            r.measured.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
    assert!(cg.rows[0].worst.unwrap() > 100_000.0, "{:?}", cg.rows[0]);
    assert!(cg.grade.percent() < 50.0);
    let a = session.attempt(&s, &[g], "2026-11-30T12:00:00Z");
    assert_eq!(a.answers.len(), 1);
}

#[test]
fn saved_progress_reads_migrates_or_is_kept_aside() {
    use scalesim::grade::progress::{load, merge, save, Loaded, Progress, PROGRESS_VERSION};
    assert_eq!(load(None), Loaded::Fresh);
    let text = r#"{"version":1,"attempts":[{"scenario":"flash-sale","at":"2026-11-30T12:00:00Z","answers":{"why":{"text":"pre-scale"}},"score_pct":40.0}]}"#;
    let Loaded::Read(p) = load(Some(text)) else {
        panic!("a version-1 record reads")
    };
    assert_eq!(p.attempts.len(), 1);
    assert_eq!(load(Some(&save(&p))), Loaded::Read(p.clone()));
    // Unversioned, newer, or broken: kept whole with a reason, never a panic.
    for bad in [
        r#"{"attempts":[]}"#,
        r#"{"version":99,"attempts":[]}"#,
        "{\"version\":1,\"attempts\":[{",
        "null",
    ] {
        match load(Some(bad)) {
            Loaded::Unreadable { kept, why } => {
                assert_eq!(kept, bad);
                assert!(!why.is_empty());
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let mut mine = Progress {
        version: PROGRESS_VERSION,
        attempts: Vec::new(),
    };
    let r = merge(&mut mine, p.clone());
    assert_eq!((r.added, r.duplicates), (1, 0));
    let r = merge(&mut mine, p);
    assert_eq!((r.added, r.duplicates), (0, 1));
}

#[test]
fn the_chart_data_comes_from_the_engines_queueing_model() {
    let curve = scalesim_web::model::charts::queueing_curve(10.0, 95.0, 95);
    assert_eq!(curve.points.len(), 96);
    assert!((curve.wait_at_80_in_service_times - 4.0).abs() < 1e-9);
    assert!((curve.wait_at_90_in_service_times - 9.0).abs() < 1e-9);
    assert!(curve.points.windows(2).all(|w| w[1].mean_ms > w[0].mean_ms));
}

// ---- The model's pieces the components used to hold (no test needed a browser) ----

#[test]
fn an_options_shuffle_is_a_fixed_permutation_that_never_shows_the_written_order() {
    use scalesim_web::model::interview::display_order;
    for n in 2..12 {
        for id in ["predict", "plan", "why", "q1"] {
            let order = display_order(id, n);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "{id} {n}: {order:?}");
            assert_ne!(order, sorted, "{id} {n}: the written order");
            assert_eq!(display_order(id, n), order, "the same shuffle every time");
        }
    }
    assert_eq!(display_order("x", 1), vec![0]);
    assert!(display_order("x", 0).is_empty());
}

#[test]
fn placing_an_item_swaps_it_in_a_sequence_and_sets_a_bucket() {
    use scalesim_web::model::interview::place;
    let mut order = vec![0, 1, 2, 3];
    place(&mut order, 0, 2, true);
    assert_eq!(order, vec![2, 1, 0, 3]);
    let mut buckets = vec![0, 0, 1];
    place(&mut buckets, 1, 1, false);
    assert_eq!(buckets, vec![0, 1, 1]);
    place(&mut buckets, 9, 1, false);
    assert_eq!(
        buckets,
        vec![0, 1, 1],
        "a slot past the end changes nothing"
    );
}

#[test]
fn every_question_of_a_scenario_has_its_kind_in_words() {
    use scalesim_web::model::interview::kind_word;
    web_support::load_built_ins();
    let s = scalesim_web::model::run::loaded_scenario("flash-sale").unwrap();
    let words: Vec<&str> = s.questions().unwrap().iter().map(kind_word).collect();
    assert!(words.contains(&"configure and run"), "{words:?}");
    assert!(words.iter().all(|w| !w.is_empty()));
}

#[test]
fn every_consistency_mode_reads_back_from_its_name() {
    use scalesim::sim::inputs::mode_words;
    use scalesim_web::model::actions::{mode_named, MODES};
    for m in MODES {
        assert_eq!(mode_named(mode_words(m)), Some(m));
    }
}

#[test]
fn every_service_kind_has_its_own_title_and_page_key_and_its_actions() {
    use scalesim_web::model::diagram::service_actions;
    use std::collections::BTreeSet;
    use ServiceKind as K;
    let all = ServiceKind::ALL;
    for (i, k) in all.iter().enumerate() {
        assert!(!all[..i].contains(k), "{k:?} is listed twice in ALL");
        // The words the page shows and the keys the browser tests select on
        // (`.edge[data-from="lb"]`), as they were when they were strings.
        // Exhaustive: a new kind fails to compile here; add it to ALL too.
        let (title, dom_key) = match k {
            K::LoadBalancer => ("Load balancer", "lb"),
            K::Cdn => ("CDN", "cdn"),
            K::Cache => ("Cache", "cache"),
            K::Database => ("Database", "database"),
            K::Kafka => ("Kafka topic", "kafka"),
            K::Consumers => ("Consumers", "consumers"),
            K::External => ("Dependency", "external"),
        };
        assert_eq!((k.title(), k.dom_key()), (title, dom_key));
        assert_eq!(FlowEnd::Service(*k).dom_key(), dom_key);
        // Every kind has a deliberate list of actions (the load balancer's
        // are its card's own, so its list is empty).
        let actions = service_actions(*k, 2);
        assert_eq!(actions.is_empty(), *k == K::LoadBalancer, "{k:?}");
    }
    let titles: BTreeSet<&str> = all.iter().map(|k| k.title()).collect();
    assert_eq!(titles.len(), all.len(), "two kinds share a title");
    let mut keys: BTreeSet<String> = all.iter().map(|k| k.dom_key().to_string()).collect();
    assert_eq!(keys.len(), all.len(), "two kinds share a page key");
    // The other ends of an edge never read as a service's key.
    for end in [FlowEnd::Pods, FlowEnd::Zone(0), FlowEnd::Zone(12)] {
        assert!(keys.insert(end.dom_key()), "{end:?}");
    }
    assert_eq!(FlowEnd::Pods.dom_key(), "pods");
    assert_eq!(FlowEnd::Zone(3).dom_key(), "zone 3");
}

#[test]
fn the_page_charts_read_from_the_catalogue_are_the_ones_drawn_before_it() {
    // Recorded from the page's own list of charts before the shared catalogue
    // (scalesim::figures::Chart) replaced it: every word, colour and axis.
    let before = [
        "chart-traffic / Traffic and errors / req/s / [arrivals_rps|arrived|0|req/s|Left;served_rps|served|2|req/s|Left;errors_rps|errors|1|req/s|Left] / None / false /  / Nothing / true",
        "chart-replicas / Replicas and nodes (\u{25b2} = HPA decision) / pods, nodes / [replicas_desired|desired replicas|0|pods|Left;pods_ready|ready pods|2|pods|Left;pods_pending|pending pods|1|pods|Left;nodes_ready|nodes ready|3|nodes|Left] / None / true /  / Nothing / true",
        "chart-cpu / CPU utilization against the HPA target / % / [cpu_utilization_pct|CPU|0|%|Left] / CpuTarget / false /  / Nothing / false",
        "chart-latency / Latency against the SLO / ms / [p50_ms|p50|2|ms|Left;p95_ms|p95|0|ms|Left;p99_ms|p99|1|ms|Left] / LatencySlo / false /  / Nothing / true",
        "chart-queue / Queue lag and consumers /  / [kafka_lag_messages|lag|0|messages|Left;kafka_consumers|consumers|2|consumers|Right;consumer_breaker_state|consumers' breaker|3|ratio|Lane] / None / false / Kafka topic with consumers / Kafka / false",
        "chart-database / Database connections and replication lag /  / [db_connections_in_use|connections in use|0|connections|Left;db_replication_lag_ms|replication lag|1|ms|Right] / None / false / database / Database / false",
        "chart-consistency / Stale reads, conflicts and lost writes /  / [stale_read_pct|stale reads|0|%|Left;own_stale_read_pct|of them, own writes|2|%|Left;conflicts|conflicts|1|keys|Right;lost_writes|lost writes|4|writes|Right] / None / false / replicated data store with a consistency mode / Consistency / false",
        "chart-retries / Attempts against first tries, retries, requests given up and the circuit breaker / req/s / [demand_rps|first tries|0|req/s|Left;arrivals_rps|attempts|2|req/s|Left;retries_rps|retries|3|req/s|Left;gave_up_rps|gave up|1|req/s|Left;breaker_state|breaker|4|ratio|Lane] / None / false / clients that retry or break the circuit / Retries / false",
        // Added with issue 14's protection chart.
        "chart-protection / Rate limits, shedding and the dependencies' retries and breakers / req/s / [rate_limited_rps|429 rate limited|4|req/s|Left;shed_rps|shed|1|req/s|Left;db_retries_rps|database retries|3|queries/s|Left;external_retries_rps|dependency retries|5|calls/s|Left;cache_retries_rps|cache retries|0|calls/s|Left;db_breaker_state|database breaker|2|ratio|Lane;external_breaker_state|dependency breaker|6|ratio|Lane;cache_breaker_state|cache breaker|7|ratio|Lane;consumer_breaker_state|consumers' breaker|3|ratio|Lane] / None / false / a rate limit, load shedding, or retries or a breaker on the pods' calls / Protection / false",
        "chart-refusals / Refused per class: rate limited (429, thin) and shed (thick) / req/s / [] / None / false / rate limit or load shedding on / Refusals / false",
        "chart-budget / Error budget remaining / % / [budget_remaining_pct|budget remaining|2|%|Left] / Full / false /  / Nothing / false",
        "chart-burn / Burn rate (1 h) against the alert thresholds / \u{d7} / [burn_rate_1h|burn rate 1 h|1|\u{d7}|Left] / BurnThresholds / false /  / Nothing / false",
        "chart-cost / Cost / $/h / [cost_per_hour_usd|spend rate|3|$/h|Left] / None / false /  / Nothing / false",
    ];
    use scalesim_web::model::charts::CHARTS;
    let now: Vec<String> = CHARTS
        .iter()
        .map(|c| {
            let lines: Vec<String> = c
                .lines
                .iter()
                .map(|l| {
                    format!(
                        "{}|{}|{}|{}|{:?}",
                        l.series.column(),
                        l.label,
                        l.colour,
                        l.unit(),
                        l.place
                    )
                })
                .collect();
            format!(
                "{} / {} / {} / [{}] / {:?} / {} / {} / {:?} / {}",
                c.id,
                c.title,
                c.unit,
                lines.join(";"),
                c.reference,
                c.hpa_marks,
                c.needs,
                c.need,
                c.key
            )
        })
        .collect();
    assert_eq!(now, before);
    for c in CHARTS {
        assert_eq!(c.chart.page().map(|p| p.title), Some(c.title));
    }
}

#[test]
fn pod_and_node_state_words_are_the_classes_the_style_sheet_keys_on() {
    use scalesim::sim::topology::{NodeState, PodState};
    use scalesim_web::model::diagram::{node_state_name, pod_state_name};
    // The words the classes were built from before (lower-cased Debug output).
    let pods = [
        (PodState::Pending, "pending"),
        (PodState::Starting, "starting"),
        (PodState::Warming, "warming"),
        (PodState::Ready, "ready"),
        (PodState::Draining, "draining"),
        (PodState::Dead, "dead"),
    ];
    for (s, word) in pods {
        assert_eq!(pod_state_name(s), word);
    }
    let nodes = [
        (NodeState::Provisioning, "provisioning"),
        (NodeState::Ready, "ready"),
        (NodeState::Dead, "dead"),
    ];
    for (s, word) in nodes {
        assert_eq!(node_state_name(s), word);
    }
}

#[test]
fn a_drill_hands_its_actions_over_as_link_codes_and_an_older_page_s_answer_still_reads() {
    use scalesim::sim::inputs::Action;
    use scalesim_web::model::interview::DrillDone;
    let actions = [
        Action::SetClientRetries {
            edge: scalesim::sim::protection::CallEdge::Client,
            max_attempts: 4,
            backoff: scalesim::sim::protection::BackoffKind::Exponential,
            jitter: scalesim::sim::resilience::backoff::Jitter::Full,
            budget: true,
        },
        Action::SetFeatureFlag {
            name: "rich media".into(),
            on: false,
        },
    ];
    let done = DrillDone {
        scenario: "retry-storm".into(),
        question: "storm".into(),
        seed: 1,
        actions: actions
            .iter()
            .enumerate()
            .map(|(i, a)| (20.0 * i as f64 - 5.0, scalesim::link::action_code(a)))
            .collect(),
        answer: None,
    };
    let text = serde_json::to_string(&done).unwrap();
    assert!(!text.contains("\"answer\""), "{text}");
    let back: DrillDone = serde_json::from_str(&text).unwrap();
    let answer = back.answer().unwrap();
    assert_eq!(answer.actions.len(), 2);
    assert_eq!(answer.actions[0].action, actions[0]);
    assert_eq!(
        (answer.actions[1].at_s, &answer.actions[1].action),
        (15.0, &actions[1])
    );
    // A page from before the codes kept the answer itself.
    let old = r#"{"scenario":"retry-storm","question":"storm","seed":1,"answer":{"actions":[{"at_s":20.0,"action":{"kind":"restore","fault":"bad_release"}}]}}"#;
    let old: DrillDone = serde_json::from_str(old).unwrap();
    assert_eq!(old.answer().unwrap().actions.len(), 1);
    // A code that does not read is named.
    let bad = DrillDone {
        actions: vec![(0.0, "zz_1".into())],
        ..back
    };
    let err = bad.answer().unwrap_err();
    assert!(err.contains("actions[0]"), "{err}");
}

/// The Clients controls on the retry storm: each change sends one action with the rest
/// of the policy as it is; applied in the world, the snapshot shows what the controls
/// then show; the link replays it.
#[test]
fn the_clients_controls_send_one_action_per_change_and_show_what_the_world_then_does() {
    use scalesim::sim::protection::BackoffKind;
    use scalesim::sim::resilience::backoff::Jitter;
    use scalesim::sim::snapshot::Snapshot;
    web_support::load_built_ins();
    let spec = RunSpec::fresh("retry-storm", 1);
    let mut w = build_world(&spec).unwrap();
    let shown = |w: &scalesim::sim::World| {
        let snap = Snapshot::of(w);
        ClientPolicy::of(
            CallEdge::Client,
            snap.client_retries.as_ref(),
            snap.client_breaker.is_some(),
        )
    };
    let at_start = shown(&w);
    assert_eq!(
        at_start,
        ClientPolicy {
            edge: CallEdge::Client,
            max_attempts: 4,
            backoff: BackoffKind::None,
            jitter: Jitter::None,
            budget: false,
            breaker: false,
        }
    );
    run_until(&mut w, 320.0);
    let mut taken = Vec::new();
    for change in [
        ClientChange::Backoff(BackoffKind::Exponential),
        ClientChange::Jitter(Jitter::Full),
        ClientChange::Budget(true),
        ClientChange::Breaker(true),
    ] {
        let action = shown(&w).action(change);
        w.push_action(w.now_s, action.clone()).unwrap();
        taken.push(TimedAction {
            at_s: w.now_s,
            action,
        });
        step(&mut w);
    }
    assert_eq!(
        taken[2].action,
        Action::SetClientRetries {
            edge: CallEdge::Client,
            max_attempts: 4,
            backoff: BackoffKind::Exponential,
            jitter: Jitter::Full,
            budget: true,
        }
    );
    assert_eq!(
        taken[3].action,
        Action::SetClientBreaker {
            edge: CallEdge::Client,
            on: true
        }
    );
    let now = shown(&w);
    assert_eq!(
        (now.jitter, now.budget, now.breaker),
        (Jitter::Full, true, true)
    );
    assert!(now.jitter_applies() && !at_start.jitter_applies());
    // The timeline words, and the same run from the link.
    let words: Vec<String> = w
        .events
        .iter()
        .filter_map(|e| match e {
            SimEvent::FaultInjected { action, .. } => Some(action.describe()),
            _ => None,
        })
        .collect();
    assert!(
        words.iter().any(|d| d
            == "clients now retry up to 3 times (4 attempts), exponential backoff with full jitter, retry budget 20 %"),
        "{words:?}"
    );
    let q = encode_query(&UrlState {
        run: Some(RunSpec {
            actions: taken,
            at_s: w.now_s,
            ..spec
        }),
        embed: false,
        show: EmbedParts::default(),
        view: View::Playground,
        drill: None,
    });
    assert!(q.contains("rt_4_e_f_1") && q.contains("bk_1"), "{q}");
    let replay_spec = decode_query(&q).unwrap().run.unwrap();
    let mut replay = build_world(&replay_spec).unwrap();
    run_until(&mut replay, replay_spec.at_s);
    assert_eq!(replay.events, w.events);
}

#[test]
fn clients_without_a_policy_show_one_attempt_and_only_the_retry_storm_shows_the_controls() {
    web_support::load_built_ins();
    let none = ClientPolicy::of(CallEdge::Client, None, false);
    assert_eq!(none.max_attempts, 1);
    assert_eq!(
        none.action(ClientChange::MaxAttempts(3)),
        Action::SetClientRetries {
            edge: CallEdge::Client,
            max_attempts: 3,
            backoff: scalesim::sim::protection::BackoffKind::Exponential,
            jitter: scalesim::sim::resilience::backoff::Jitter::None,
            budget: false,
        }
    );
    let clients = |name: &str| {
        let s = scalesim_web::model::run::loaded_scenario(name).unwrap();
        Targets::of(&s).retry_edges.contains(&CallEdge::Client)
    };
    assert!(clients("retry-storm"));
    assert!(!clients("first-spike") && !clients("black-friday"));
}

#[test]
fn max_attempts_typed_out_of_range_is_refused_with_what_is_accepted() {
    assert_eq!(attempts_typed("4"), Ok(4));
    assert_eq!(attempts_typed(" 10 "), Ok(10));
    for bad in ["11", "0", "2.5", "1e308"] {
        let e = attempts_typed(bad).unwrap_err();
        assert!(e.contains("from 1 to 10 attempts"), "{bad}: {e}");
    }
    assert!(attempts_typed("NaN").unwrap_err().contains("finite"));
    assert!(attempts_typed("").unwrap_err().contains("empty"));
}

#[test]
fn the_retry_amplification_diagram_draws_the_dependency_its_amplification_and_its_open_breaker() {
    web_support::load_built_ins();
    let spec = RunSpec::fresh("retry-amplification", 4);
    let mut w = build_world(&spec).unwrap();
    let targets = Targets::of(&w.scenario);
    assert_eq!(
        targets.retry_edges,
        vec![CallEdge::Client, CallEdge::External],
        "a fieldset for the shoppers' app and one for the pods' calls"
    );
    let at = |w: &scalesim::sim::World| {
        let snap = w.snapshot();
        let shape = shape_of(&snap);
        assert!(shape.back.iter().any(|s| s.kind == ServiceKind::External));
        let layout = Projection::default().layout(&shape);
        let edges = flow_edges(&snap, &edge_views(w), &layout, w.tick_s);
        edges
            .into_iter()
            .find(|e| e.from == FlowEnd::Pods && e.to == FlowEnd::Service(ServiceKind::External))
            .expect("an edge from the pods to the dependency")
    };
    run_until(&mut w, 200.0);
    let calm = at(&w);
    assert_eq!(calm.unit, "calls/s");
    assert!((calm.amplification - 1.0).abs() < 1e-9 && calm.breaker == Some(CbState::Closed));
    assert!(calm.label().ends_with("calls/s"), "{}", calm.label());
    // Two seconds into the outage every layer multiplies by 3 (27 per pod call).
    run_until(&mut w, 302.0);
    let storm = at(&w);
    assert!(storm.amplification > 26.0, "{}", storm.amplification);
    assert!(storm.label().contains("\u{d7}27"), "{}", storm.label());
    // Then the pods' breaker opens and the edge says so.
    run_until(&mut w, 340.0);
    let open = at(&w);
    assert_eq!(open.breaker, Some(CbState::Open));
    assert!(open.label().ends_with("breaker open"), "{}", open.label());
    // The pods' retries are a control: one attempt, from the edge's policy in force.
    let shown = |w: &scalesim::sim::World| {
        let e = edge_views(w)
            .into_iter()
            .find(|e| e.edge == CallEdge::External)
            .unwrap();
        ClientPolicy::of(CallEdge::External, e.retry.as_ref(), e.breaker.is_some())
    };
    let before = shown(&w);
    assert_eq!((before.max_attempts, before.breaker), (3, true));
    let once = before.action(ClientChange::MaxAttempts(1));
    assert_eq!(
        once,
        Action::SetClientRetries {
            edge: CallEdge::External,
            max_attempts: 1,
            backoff: before.backoff,
            jitter: before.jitter,
            budget: false,
        }
    );
    w.push_action(w.now_s, once).unwrap();
    let off = before.action(ClientChange::Breaker(false));
    w.push_action(w.now_s, off).unwrap();
    step(&mut w);
    let after = shown(&w);
    assert_eq!((after.max_attempts, after.breaker), (1, false));
    run_until(&mut w, 360.0);
    let plain = at(&w);
    assert!(
        (plain.amplification - 1.0).abs() < 1e-9,
        "one attempt on every layer: {}",
        plain.amplification
    );
    assert_eq!(plain.breaker, None);
}

#[test]
fn a_shed_badge_names_the_priorities_shedding_refused() {
    use scalesim::sim::failure::FailureReason;
    use scalesim::sim::snapshot::ClassRefusals;
    use scalesim_web::model::diagram::reason_words;
    let class = |class: &str, priority: u8, shed_rps: f64| ClassRefusals {
        class: class.into(),
        priority,
        rate_limited_rps: 0.0,
        shed_rps,
    };
    let browse_only = [class("checkout", 3, 0.0), class("browse", 1, 840.0)];
    assert_eq!(
        reason_words(FailureReason::Shed, &browse_only),
        "shed (priority 1)"
    );
    let two = [
        class("checkout", 3, 0.0),
        class("search", 2, 12.0),
        class("browse", 1, 840.0),
    ];
    assert_eq!(
        reason_words(FailureReason::Shed, &two),
        "shed (priority 1\u{2013}2)"
    );
    // Nothing shed this tick (the badge lags a tick behind): the engine's words.
    assert_eq!(
        reason_words(FailureReason::Shed, &[]),
        FailureReason::Shed.words()
    );
    assert_eq!(
        reason_words(FailureReason::RateLimited, &two),
        "rate limited (429)"
    );
}

#[test]
fn the_degraded_mode_switches_read_the_flags_and_shedding_and_send_their_actions() {
    use scalesim::sim::protection::FeatureFlag;
    use scalesim_web::model::actions::{flag_action, DegradedMode};
    web_support::load_built_ins();
    let mut s = scalesim_web::model::run::loaded_scenario("first-spike").unwrap();
    let class = s.traffic.classes[0].name.clone();
    s.flags.push(FeatureFlag {
        name: "rich pages".into(),
        class: class.clone(),
        cpu_factor_off: 0.3,
        on: true,
    });
    let mut w = scalesim::sim::World::new(&s, 1).unwrap();
    let m = DegradedMode::of(&w);
    assert!(m.any());
    assert_eq!(m.flags.len(), 1);
    assert_eq!(
        m.flags[0].words,
        format!("rich pages ({class}): off serves it at 30 % of its CPU")
    );
    assert!(m.flags[0].on);
    assert_eq!(m.shedding, Some(false), "its classes have three priorities");
    w.push_action(1.0, flag_action("rich pages", false))
        .unwrap();
    w.push_action(1.0, Action::SetShedding { on: true })
        .unwrap();
    run_until(&mut w, 3.0);
    let m = DegradedMode::of(&w);
    assert!(!m.flags[0].on);
    assert_eq!(m.shedding, Some(true));
    // One class, one priority, no flags: nothing to show.
    let flat = scalesim_web::model::run::loaded_scenario("retry-storm").unwrap();
    let m = DegradedMode::of(&scalesim::sim::World::new(&flat, 1).unwrap());
    assert!(!m.any(), "{m:?}");
}

#[test]
fn a_breaker_line_reads_as_its_state_and_other_lines_as_numbers() {
    use scalesim_web::model::format::line_figure;
    for s in [
        Series::BreakerState,
        Series::DbBreakerState,
        Series::ExternalBreakerState,
        Series::CacheBreakerState,
    ] {
        assert_eq!(line_figure(s, 0.0, "ratio"), "closed");
        assert_eq!(line_figure(s, 0.5, "ratio"), "half-open");
        assert_eq!(line_figure(s, 1.0, "ratio"), "open");
    }
    assert_eq!(
        line_figure(Series::CacheRetriesRps, 4000.0, "calls/s"),
        "4,000 calls/s"
    );
}

#[test]
fn a_chart_draws_the_breaker_lanes_of_the_edges_that_have_a_breaker_or_opened_one() {
    use scalesim::figures::Chart;
    use scalesim_web::model::charts::{shown_lanes, CHARTS};
    let spec = CHARTS
        .iter()
        .find(|c| c.chart == Chart::Protection)
        .unwrap();
    let mut chart = ChartData {
        cols: vec![vec![0.0, 0.0]; Series::ALL.len()],
        ..Default::default()
    };
    let names = |edges: &[CallEdge], chart: &ChartData| -> Vec<&'static str> {
        shown_lanes(spec, chart, edges)
            .iter()
            .map(|l| l.label)
            .collect()
    };
    // The scenario's breakers only; none while nothing ever opened.
    assert_eq!(names(&[CallEdge::Database], &chart), ["database breaker"]);
    assert!(names(&[], &chart).is_empty());
    // A breaker a learner turned on shows once it left closed.
    chart.cols[Series::CacheBreakerState.index()] = vec![0.0, 0.5];
    assert_eq!(
        names(&[CallEdge::Database], &chart),
        ["database breaker", "cache breaker"]
    );
    // Built from the scenario: retry-amplification has a breaker on the dependency edge.
    let s = scalesim::scenario::load_built_in("retry-amplification")
        .unwrap()
        .unwrap();
    assert_eq!(Targets::of(&s).breaker_edges, [CallEdge::External]);
}

#[test]
fn the_refusals_chart_has_a_line_per_class_that_was_refused() {
    use scalesim_web::model::sim_loop::class_lines;
    let text = scalesim::scenario::built_in("flash-sale").unwrap();
    let text = format!(
        "{text}\n[shedding]\ncpu_threshold_pct = 85.0\n[rate_limit]\nclasses = [{{ name = \"recommendations\", limit_rps = 1500.0 }}]\n"
    );
    let s = scalesim::scenario::load("flash-sale.toml", &text).unwrap();
    let mut w = scalesim::sim::World::new(&s, 1).unwrap();
    run_until(&mut w, 3700.0);
    let snap = w.snapshot();
    assert!(snap.refusing);
    let lines = class_lines(
        w.class_refusals.as_ref().unwrap(),
        &w.scenario.traffic.classes,
        300,
    );
    let labels: Vec<&str> = lines.lines.iter().map(|l| l.label.as_str()).collect();
    // Checkout (the highest priority) is never shed; the others are, and the
    // recommendations over their bucket get 429s.
    assert_eq!(
        labels,
        [
            "product_pages (priority 2) shed",
            "recommendations 429",
            "recommendations (priority 1) shed"
        ]
    );
    assert!(
        lines.t.len() <= 301 && lines.t.len() > 100,
        "{}",
        lines.t.len()
    );
    let last = |l: &str| {
        *lines
            .lines
            .iter()
            .find(|x| x.label == l)
            .unwrap()
            .values
            .last()
            .unwrap()
    };
    // The bucket passes 1,500 req/s of recommendations; the rest get 429.
    assert!(last("recommendations (priority 1) shed") <= 1500.0 * 1.05);
    assert!(
        last("recommendations 429") > 500.0,
        "{}",
        last("recommendations 429")
    );
    // A world without a rate limit or shedding records nothing.
    let plain = scalesim::scenario::load_built_in("flash-sale")
        .unwrap()
        .unwrap();
    let mut w = scalesim::sim::World::new(&plain, 1).unwrap();
    run_until(&mut w, 60.0);
    assert!(w.class_refusals.is_none() && !w.snapshot().refusing);
}

#[test]
fn the_release_controls_follow_a_canary_from_start_to_rollback() {
    use scalesim_web::model::actions::{canary_action, rollout_action, Release};
    web_support::load_built_ins();
    // A scenario without versions has no Release controls.
    let bf = scalesim_web::model::run::loaded_scenario("black-friday").unwrap();
    assert!(!Release::of(&scalesim::sim::World::new(&bf, 1).unwrap()).any());
    let s = scalesim_web::model::run::loaded_scenario("canary-rollout").unwrap();
    let mut w = scalesim::sim::World::new(&s, 1).unwrap();
    let r = Release::of(&w);
    assert!(r.any());
    assert_eq!(r.running, "v1.0");
    assert_eq!(r.others(), ["v1.1", "v1.1-fixed"]);
    assert_eq!(r.status, "");
    // The scenario's own canary of v1.1 at T+25:00, then its rollback at 1 %.
    scalesim::sim::run_until(&mut w, 1510.0);
    let r = Release::of(&w);
    assert!(r.canary_running);
    assert_eq!(r.status, "canary of v1.1: stage 1 of 4, 1 % of the traffic");
    assert_eq!(r.running, "v1.0");
    assert_eq!(r.releasing, Some((1, "v1.1".to_string())));
    scalesim::sim::run_until(&mut w, 1700.0);
    let r = Release::of(&w);
    assert!(!r.canary_running);
    assert_eq!(
        r.status,
        "canary of v1.1 rolled back at stage 1: error rate"
    );
    assert_eq!(r.releasing, None);
    assert_eq!(
        canary_action("v1.1-fixed"),
        scalesim::sim::inputs::Action::Canary {
            version: "v1.1-fixed".into()
        }
    );
    assert_eq!(
        rollout_action("v1.1"),
        scalesim::sim::inputs::Action::Rollout {
            version: "v1.1".into()
        }
    );
}

#[test]
fn the_experiments_panel_follows_a_primary_failure_to_its_verdict() {
    use scalesim_web::model::actions::{run_experiment_action, Experiments};
    web_support::load_built_ins();
    let s = scalesim_web::model::run::loaded_scenario("chaos-experiment").unwrap();
    let mut w = scalesim::sim::World::new(&s, 4).unwrap();
    let panel = Experiments::of(&w);
    let names: Vec<&str> = panel.available.iter().map(|(n, _)| n.as_str()).collect();
    // The scenario's own experiment first, then the presets that fit one region.
    assert_eq!(
        names,
        [
            "primary-failover",
            "chaos-monkey",
            "chaos-gorilla",
            "latency-monkey"
        ]
    );
    assert!(!panel.running);
    assert_eq!(panel.status_html, "");
    // The scenario runs its experiment at T+5:00: the steady state is checked first.
    run_until(&mut w, 330.0);
    let p = Experiments::of(&w);
    assert!(p.running);
    let h = &p.status_html;
    assert!(h.contains("<b>Kill the orders primary</b>"), "{h}");
    assert!(
        h.contains("checking the steady state before the method"),
        "{h}"
    );
    assert_eq!(h.matches("<meter ").count(), 3, "{h}");
    assert!(h.contains("<td>error_rate_pct ≤ 0.1 %</td>"), "{h}");
    assert!(
        !h.contains("class=\"broken\""),
        "every bound holds before the method: {h}"
    );
    // The primary dies at T+6:00; the loose abort condition never fires, so the
    // steady state breaks and the verdict is "deviated".
    run_until(&mut w, 700.0);
    let p = Experiments::of(&w);
    assert!(!p.running);
    let h = &p.status_html;
    assert!(h.contains("<p class=\"verdict verdict-deviated\">Verdict: hypothesis refuted: the steady state deviated</p>"), "{h}");
    assert!(
        h.contains("<tr class=\"broken\"><td>error_rate_pct ≤ 0.1 %</td>"),
        "{h}"
    );
    assert!(h.contains("cost "), "{h}");
    // Text from a scenario is escaped.
    let mut s2 = s.clone();
    s2.experiments[0].hypothesis = "<script>alert(1)</script> & more".into();
    let mut w2 = scalesim::sim::World::new(&s2, 4).unwrap();
    run_until(&mut w2, 310.0);
    let h = Experiments::of(&w2).status_html;
    assert!(
        h.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"),
        "{h}"
    );
    assert_eq!(
        run_experiment_action("chaos-gorilla"),
        Action::RunExperiment {
            name: "chaos-gorilla".into()
        }
    );
}

#[test]
fn the_release_controls_follow_a_blue_green_release_and_its_switch_back() {
    use scalesim_web::model::actions::{blue_green_action, Release};
    web_support::load_built_ins();
    let s = scalesim_web::model::run::loaded_scenario("canary-rollout").unwrap();
    let mut w = scalesim::sim::World::new(&s, 1).unwrap();
    w.push_action(60.0, blue_green_action("v1.1-fixed"))
        .unwrap();
    run_until(&mut w, 62.0);
    let r = Release::of(&w);
    assert!(r.blue_green_running && r.canary_running);
    assert_eq!(
        r.status,
        "blue-green: v1.1-fixed starting beside v1.0, no traffic yet"
    );
    assert_eq!(r.releasing, Some((2, "v1.1-fixed".to_string())));
    run_until(&mut w, 200.0);
    assert_eq!(
        Release::of(&w).status,
        "blue-green: v1.1-fixed takes all the traffic; v1.0 on standby"
    );
    w.push_action(200.0, Action::SwitchBack).unwrap();
    run_until(&mut w, 202.0);
    let r = Release::of(&w);
    assert!(!r.blue_green_running);
    assert_eq!(
        r.status,
        "blue-green: switched back from v1.1-fixed by hand"
    );
}
