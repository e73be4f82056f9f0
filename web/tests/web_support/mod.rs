//! What the web package's tests share (`mod web_support;`; the browser tests
//! and the model's native tests): the built-in scenarios' JSON, handed to the
//! page's scenario store. The page fetches it from `dist/scenarios/`, which
//! the test runner does not serve.

#![allow(dead_code)]

use scalesim::scenario::BUILT_IN_NAMES;
use scalesim_web::model::run::add_scenario_json;

macro_rules! built_in_json {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../www/scenarios/", $name, ".json")))),*]
    };
}

/// (name, JSON text) of every built-in scenario, from `www/scenarios/`.
pub const BUILT_IN_JSON: &[(&str, &str)] = built_in_json!(
    "first-spike",
    "black-friday",
    "capacity-model",
    "reference",
    "hpa-vs-ca-gap",
    "zone-outage",
    "retry-storm",
    "retry-amplification",
    "chaos-drill",
    "chaos-experiment",
    "consistency-tradeoff",
    "kafka-burst",
    "cache-stampede",
    "flash-sale",
    "ticket-booking",
    "asia-dashboards",
    "shopstar-sale",
    "cost-creep",
    "error-budget",
    "canary-rollout",
    "p99-debugging",
    "request-scaling",
    "event-prep-10x",
    "capstone-streaming",
    "platform-limits",
    "paytm-festival",
    "node-cores",
    "chess-service",
    "sla-zones",
);

/// Puts every built-in scenario in the page's store, as if it had been fetched.
pub fn load_built_ins() {
    let names: Vec<&str> = BUILT_IN_JSON.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, BUILT_IN_NAMES,
        "list every built-in scenario in web/tests/web_support/mod.rs"
    );
    for (name, json) in BUILT_IN_JSON {
        add_scenario_json(name, json).unwrap_or_else(|e| panic!("{e}"));
    }
}
