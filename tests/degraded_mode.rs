//! Graceful degradation (docs/models.md#feature-flags-and-degraded-mode) and shedding as
//! actions: a flash-sale surge that the pods cannot carry; switching recommendations off
//! (a feature flag, as seed 004's degraded mode) or turning load shedding on keeps
//! checkout served.

use scalesim::scenario::load;
use scalesim::sim::failure::FailureReason;
use scalesim::sim::inputs::Action;
use scalesim::sim::World;

mod fixtures;

/// 10 pods of one core; recommendations (6 ms, priority 1), browse (4 ms, priority 3)
/// and checkout (8 ms, priority 9) at 4 : 4 : 2 of 1,000 req/s (5.2 cores), and a 2.5×
/// surge from 120 s to 420 s (13 cores); `extra` appended.
fn sale(extra: &str) -> String {
    format!(
        r#"
title = "Sale"
[run]
duration_s = 600.0
seed = 1
[topology]
initial_replicas = 10
regions = [{{ name = "r", zones = ["a", "b"] }}]
[topology.nodes]
cpu_m = 4000
initial_per_zone = 3
max_per_zone = 3
[topology.pod]
cpu_request_m = 1000
cpu_limit_m = 1000
queue_limit = 5000.0
timeout_ms = 3000.0
[traffic]
noise = false
profile = {{ kind = "product", parts = [
  {{ kind = "constant", rps = 1000.0 }},
  {{ kind = "spike", multiplier = 2.5, start_s = 120.0, ramp_up_s = 0.0, hold_s = 300.0, ramp_down_s = 0.0 }},
] }}
[[traffic.classes]]
name = "recommendations"
share = 4.0
priority = 1
cpu_ms = 6.0
[[traffic.classes]]
name = "browse"
share = 4.0
priority = 3
cpu_ms = 4.0
[[traffic.classes]]
name = "checkout"
share = 2.0
priority = 9
cpu_ms = 8.0
[cluster_autoscaler]
enabled = false
[[flags]]
name = "recommendations"
class = "recommendations"
[[flags]]
name = "rich_media"
class = "browse"
cpu_factor_off = 0.5
{extra}
"#
    )
}

fn run(text: &str, actions: &[(f64, Action)]) -> World {
    fixtures::run_text("sale.toml", text, actions, None)
}

fn off(name: &str) -> Action {
    Action::SetFeatureFlag {
        name: name.into(),
        on: false,
    }
}

#[test]
fn switching_recommendations_off_carries_the_surge_and_drops_no_order() {
    let melt = run(&sale(""), &[]);
    assert!(
        melt.counters.failures.total() > 50_000.0,
        "{}",
        melt.counters.failures.total()
    );
    // Degraded mode at the surge: recommendations off (1,000 req/s × 6 ms less) and
    // lighter pages (browse at half its CPU): 2.5 × (0.4 × 2 + 0.2 × 8) = 6 cores.
    let degraded = run(
        &sale(""),
        &[(120.0, off("recommendations")), (120.0, off("rich_media"))],
    );
    let failed = degraded.counters.failures.total();
    assert!(failed < 100.0, "{failed} failed in degraded mode");
    // The requests the page no longer sends are not failures: 1,000 req/s in the 300 s
    // of the surge, 400 req/s in the 180 s after it.
    let dropped = 1000.0 * 300.0 + 400.0 * 180.0;
    assert!(
        (degraded.flags.dropped - dropped).abs() < 1.0,
        "{}",
        degraded.flags.dropped
    );
    let words: Vec<String> = degraded.events.iter().map(|e| e.describe()).collect();
    assert!(
        words
            .iter()
            .any(|l| l.contains("feature recommendations off: degraded mode")),
        "{words:?}"
    );
}

#[test]
fn a_flag_as_a_scenario_event_and_an_unknown_flag_is_named() {
    let event = "[[events]]\nat_s = 120.0\naction = { kind = \"set_feature_flag\", name = \"recommendations\", on = false }\n";
    let w = run(&sale(event), &[]);
    assert!(
        (w.flags.dropped - 372_000.0).abs() < 1.0,
        "{}",
        w.flags.dropped
    );
    let bad = "[[events]]\nat_s = 120.0\naction = { kind = \"set_feature_flag\", name = \"recs\", on = false }\n";
    let err = load("sale.toml", &sale(bad)).unwrap_err().to_string();
    assert!(
        err.contains("recs") && err.contains("recommendations, rich_media"),
        "{err}"
    );
}

#[test]
fn shedding_turned_on_by_a_learner_refuses_recommendations_first() {
    let w = run(&sale(""), &[(60.0, Action::SetShedding { on: true })]);
    let s = w.shedder.as_ref().unwrap();
    assert!(s.shed_total[0] > 100_000.0, "{:?}", s.shed_total);
    assert_eq!(s.shed_total[2], 0.0, "checkout is never shed");
    let other = w.counters.failures.total() - w.counters.failures[FailureReason::Shed];
    assert!(other < 1_000.0, "{other}");
    // All classes alike: turning it on changes nothing, and the log says why.
    let same = sale("")
        .replace("priority = 1\n", "priority = 3\n")
        .replace("priority = 9\n", "priority = 3\n");
    let w = run(&same, &[(60.0, Action::SetShedding { on: true })]);
    assert!(w.shedder.is_none());
    assert!(w
        .events
        .iter()
        .any(|e| e.describe().contains("the same priority")));
}

/// The pods' cost is the mix that reaches them: once shedding refuses the heavy class,
/// the pods are charged for what they serve, and the CPU they report (the HPA's
/// signal) is the budget's.
#[test]
fn the_pods_cost_is_the_mix_that_reaches_them() {
    // Shedding: the classes that reach the pods set the cost, and the CPU the pods
    // report is the budget's (the HPA sees it).
    let w = fixtures::run_text(
        "sale.toml",
        &sale(""),
        &[(60.0, Action::SetShedding { on: true })],
        Some(300.0),
    );
    assert!(w.last.shed_rps > 0.0);
    assert!(
        w.last.cpu_utilization_pct > 85.0,
        "{} %",
        w.last.cpu_utilization_pct
    );
}

/// flash-sale's degrade question (seed 004's degraded mode, the push unannounced): the
/// flags and shedding are both needed. Shedding alone keeps checkout whole but refuses
/// most of the sale; the flags alone leave every class to queue while the HPA grows.
#[test]
fn flash_sale_degrade_needs_the_flags_and_shedding_together() {
    use scalesim::cli::grade::read_answers;
    use scalesim::grade::grade_answer;
    use scalesim::scenario::built_in;

    let s = load("flash-sale", built_in("flash-sale").unwrap()).unwrap();
    let questions = s.questions().unwrap();
    let q = questions.iter().find(|q| q.id() == "degrade").unwrap();
    let flags = r#"
  { at_s = 3600.0, action = { kind = "set_feature_flag", name = "recommendations", on = false } },
  { at_s = 3600.0, action = { kind = "set_feature_flag", name = "light_pages", on = false } },
  { at_s = 5160.0, action = { kind = "set_feature_flag", name = "recommendations", on = true } },
  { at_s = 5160.0, action = { kind = "set_feature_flag", name = "light_pages", on = true } },
"#;
    let grade = |text: &str| {
        let answers = read_answers("a.toml", text, &s).unwrap_or_else(|e| panic!("{e}"));
        let g = grade_answer(&s, q, &answers["degrade"]).unwrap();
        (g.grade.percent(), g.configure.unwrap().rows)
    };
    let (nothing, _) = grade("[degrade]\n");
    assert!(nothing < 50.0, "reactive scaling alone: {nothing} %");
    let (shed_only, rows) = grade(
        "[degrade]\nknobs = { \"shedding.cpu_threshold_pct\" = 85.0, \"balancer.slow_start_s\" = 60.0 }\n",
    );
    assert!(shed_only <= 50.0, "shedding alone: {shed_only} %");
    assert!(
        rows[0].worst.unwrap() < 1.0,
        "checkout is kept whole: {rows:?}"
    );
    assert!(
        rows[1].worst.unwrap() < 60.0,
        "most of the sale is shed: {rows:?}"
    );
    let (flags_only, rows) = grade(&format!(
        "[degrade]\nknobs = {{ \"balancer.slow_start_s\" = 60.0 }}\nactions = [{flags}]\n"
    ));
    assert!(flags_only <= 50.0, "flags alone: {flags_only} %");
    assert!(rows[0].worst.unwrap() > 100_000.0, "{rows:?}");
}
