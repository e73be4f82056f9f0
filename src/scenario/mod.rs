//! Scenario files: the TOML schema, its validation and the built-in library.
//!
//! ```text
//!   scenario.toml ──toml + serde──▶ Scenario ──validate──▶ World::new(&scenario, seed)
//!        │ error? ──▶ ScenarioError { file, line, field, message }
//!   built-ins ──toml_to_json──▶ www/scenarios/*.json ──fetch + serde_json──▶ Scenario
//!                                                        (the web app: no TOML parser)
//! ```
//!
//! Every field, unit and default is documented in `docs/scenario-format.md`.
//! The `[hpa]` table uses the real Kubernetes field names: it is the `spec` of an
//! autoscaling/v2 HorizontalPodAutoscaler.

use crate::sim::balancer::BalancerConfig;
use crate::sim::cost::CostConfig;
use crate::sim::data::cache::CacheConfig;
use crate::sim::data::cdn::CdnConfig;
use crate::sim::data::database::DatabaseConfig;
use crate::sim::data::external::ExternalConfig;
use crate::sim::geo::GslbConfig;
use crate::sim::hpa::HpaSpec;
use crate::sim::inputs::ScheduledAction;
use crate::sim::settings::{
    ClusterAutoscalerSettings, CooldownSettings, PausePodSettings, PrescaleSettings, RunSettings,
    SloSettings,
};
use crate::sim::tiers::config::{ConsistencySection, KafkaSection};
use crate::sim::topology::TopologyConfig;
use crate::sim::traffic::TrafficConfig;
use serde::{Deserialize, Serialize};

mod action_check;
pub mod knobs;
pub mod map_only;
pub mod numbers;
pub mod ranges;
pub mod serde_words;
pub use action_check::{check_action, check_input_action, check_tier};
use ranges::MAX_NODES;
#[cfg(not(target_arch = "wasm32"))]
pub mod toml_lines;

/// Directory, relative to the crate root, that holds the built-in scenarios.
pub const BUILT_IN_DIR: &str = "scenarios";

/// The names of the built-in scenarios, in the picker's order (the first is the
/// page's first view).
pub const BUILT_IN_NAMES: [&str; 29] = [
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
];

/// The built-in scenarios: (name, TOML text), in [`BUILT_IN_NAMES`]'s order.
/// Native only: the page fetches their JSON form ([`BUILT_IN_JSON_DIR`]) and
/// carries no TOML.
#[cfg(not(target_arch = "wasm32"))]
pub const BUILT_INS: [(&str, &str); 29] = [
    (
        "first-spike",
        include_str!("../../scenarios/first-spike.toml"),
    ),
    (
        "black-friday",
        include_str!("../../scenarios/black-friday.toml"),
    ),
    (
        "capacity-model",
        include_str!("../../scenarios/capacity-model.toml"),
    ),
    ("reference", include_str!("../../scenarios/reference.toml")),
    (
        "hpa-vs-ca-gap",
        include_str!("../../scenarios/hpa-vs-ca-gap.toml"),
    ),
    (
        "zone-outage",
        include_str!("../../scenarios/zone-outage.toml"),
    ),
    (
        "retry-storm",
        include_str!("../../scenarios/retry-storm.toml"),
    ),
    (
        "retry-amplification",
        include_str!("../../scenarios/retry-amplification.toml"),
    ),
    (
        "chaos-drill",
        include_str!("../../scenarios/chaos-drill.toml"),
    ),
    (
        "chaos-experiment",
        include_str!("../../scenarios/chaos-experiment.toml"),
    ),
    (
        "consistency-tradeoff",
        include_str!("../../scenarios/consistency-tradeoff.toml"),
    ),
    (
        "kafka-burst",
        include_str!("../../scenarios/kafka-burst.toml"),
    ),
    (
        "cache-stampede",
        include_str!("../../scenarios/cache-stampede.toml"),
    ),
    (
        "flash-sale",
        include_str!("../../scenarios/flash-sale.toml"),
    ),
    (
        "ticket-booking",
        include_str!("../../scenarios/ticket-booking.toml"),
    ),
    (
        "asia-dashboards",
        include_str!("../../scenarios/asia-dashboards.toml"),
    ),
    (
        "shopstar-sale",
        include_str!("../../scenarios/shopstar-sale.toml"),
    ),
    (
        "cost-creep",
        include_str!("../../scenarios/cost-creep.toml"),
    ),
    (
        "error-budget",
        include_str!("../../scenarios/error-budget.toml"),
    ),
    (
        "canary-rollout",
        include_str!("../../scenarios/canary-rollout.toml"),
    ),
    (
        "p99-debugging",
        include_str!("../../scenarios/p99-debugging.toml"),
    ),
    (
        "request-scaling",
        include_str!("../../scenarios/request-scaling.toml"),
    ),
    (
        "event-prep-10x",
        include_str!("../../scenarios/event-prep-10x.toml"),
    ),
    (
        "capstone-streaming",
        include_str!("../../scenarios/capstone-streaming.toml"),
    ),
    (
        "platform-limits",
        include_str!("../../scenarios/platform-limits.toml"),
    ),
    (
        "paytm-festival",
        include_str!("../../scenarios/paytm-festival.toml"),
    ),
    (
        "node-cores",
        include_str!("../../scenarios/node-cores.toml"),
    ),
    (
        "chess-service",
        include_str!("../../scenarios/chess-service.toml"),
    ),
    ("sla-zones", include_str!("../../scenarios/sla-zones.toml")),
];

include!(concat!(env!("OUT_DIR"), "/built_in_catalog.rs"));

/// Folder, relative to the crate root, of the built-in scenarios as JSON, one
/// `<name>.json` per TOML file. Trunk copies it to `dist/scenarios/`, where the
/// web app fetches a scenario when it opens (it carries no TOML parser and no
/// scenario text). Generated from the TOML:
/// `SCALESIM_WRITE_JSON=1 cargo test --test scenario_json` writes it, and
/// without the variable the same test fails when it is out of date.
pub const BUILT_IN_JSON_DIR: &str = "www/scenarios";

/// The URL of the built-in scenario `name`'s JSON, relative to the page (the
/// page may be served from any sub-path).
pub fn built_in_json_url(name: &str) -> String {
    format!("scenarios/{name}.json")
}

/// A scenario's TOML text as JSON text (pretty, with a final newline): the
/// whole document converted generically (toml → JSON values), so a field the
/// schema gains later is carried over too, except that every action is written as its
/// link code (`"kp_3"`), the one form the pages read. Native only: it makes the files of
/// [`BUILT_IN_JSON_DIR`].
#[cfg(not(target_arch = "wasm32"))]
pub fn toml_to_json(file: &str, text: &str) -> Result<String, ScenarioError> {
    let value: toml::Value = toml::from_str(text).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: e.span().map(|s| toml_lines::line_at(text, s.start)),
        field: None,
        message: e.message().to_string(),
    })?;
    let mut value = serde_json::to_value(&value).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: None,
        field: None,
        message: e.to_string(),
    })?;
    // The whole document: events, questions' answers, experiments' methods, and any
    // section that holds actions later.
    actions_as_codes(&mut value);
    let mut json = serde_json::to_string_pretty(&value).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: None,
        field: None,
        message: e.to_string(),
    })?;
    json.push('\n');
    Ok(json)
}

/// Writes every action under `v` as its link code (`{ kind = "kill_pods", count = 3 }`
/// becomes `"kp_3"`): an event's or an answer's `action` (beside its `at_s`), a drill's
/// `fault` and a configure question's `offer`. The pages read actions in this form only
/// (see [`crate::sim::inputs::Action`]'s `Deserialize`). An action that does not read is
/// left as written, for the loader to refuse with its field.
#[cfg(not(target_arch = "wasm32"))]
fn actions_as_codes(v: &mut serde_json::Value) {
    use serde::Deserialize;
    let as_code = |a: &mut serde_json::Value| {
        if let Ok(action) = <crate::sim::inputs::Action as Deserialize>::deserialize(&*a) {
            *a = serde_json::Value::String(crate::sim::inputs::code::encode(&action));
        }
    };
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(actions_as_codes),
        serde_json::Value::Object(map) => {
            let timed = map.contains_key("at_s");
            for (key, item) in map.iter_mut() {
                match key.as_str() {
                    "action" if timed => as_code(item),
                    "fault" => as_code(item),
                    "offer" => {
                        if let serde_json::Value::Array(offers) = item {
                            offers.iter_mut().for_each(as_code);
                        }
                    }
                    _ => actions_as_codes(item),
                }
            }
        }
        serde_json::Value::Null
        | serde_json::Value::Bool(_)
        | serde_json::Value::Number(_)
        | serde_json::Value::String(_) => {}
    }
}

/// How many zones the topology has, over all regions.
fn zone_count(s: &Scenario) -> usize {
    s.topology.regions.iter().map(|r| r.zones.len()).sum()
}

/// The refusal of an empty scenario file: what it needs at least.
fn empty_file(file: &str) -> ScenarioError {
    ScenarioError {
        file: file.to_string(),
        line: None,
        field: None,
        message: "the file is empty: a scenario needs at least `title = \"…\"` and a \
                  `[traffic]` table with a `profile` (see docs/scenario-format.md)"
            .into(),
    }
}

/// Parses and validates a scenario from its JSON form ([`toml_to_json`]).
/// `file` names it in errors. This is how the web app reads the built-ins; for
/// a built-in it gives the same `Scenario` as [`load`] of the TOML (tested).
pub fn load_json(file: &str, json: &str) -> Result<Scenario, ScenarioError> {
    if json.trim().is_empty() {
        return Err(empty_file(file));
    }
    let read = |json: &str| -> Result<Scenario, serde_json::Error> {
        use serde::Deserialize;
        let mut d = serde_json::Deserializer::from_str(json);
        let s = Scenario::deserialize(map_only::MapOnly(&mut d))?;
        d.end()?;
        Ok(s)
    };
    let s = read(json).map_err(|e| ScenarioError {
        file: file.to_string(),
        line: (e.line() > 0).then_some(e.line()),
        field: None,
        message: e.to_string(),
    })?;
    validate(&s).map_err(|(field, message)| ScenarioError {
        file: file.to_string(),
        line: None,
        field: Some(field),
        message,
    })?;
    Ok(s)
}

/// The built-in scenario `name` (with or without `.toml`), parsed from its
/// TOML and validated; None when there is no such built-in. Native only: the
/// web app fetches the JSON form and reads it with [`load_json`].
#[cfg(not(target_arch = "wasm32"))]
pub fn load_built_in(name: &str) -> Option<Result<Scenario, ScenarioError>> {
    let name = name.trim_end_matches(".toml");
    built_in(name).map(|text| load(&format!("{name}.toml"), text))
}

/// What a learner reads when a scenario opens: its title, what it is about,
/// what to watch and what to try first, and its default seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Intro {
    /// Title.
    pub title: String,
    /// A paragraph on what happens.
    pub description: String,
    /// Learning goals.
    pub goals: Vec<String>,
    /// The first thing to do, one sentence ([`Scenario::try_first`]).
    pub try_first: String,
    /// The seed a link without `seed=` runs with ([`RunSettings::seed`]).
    pub seed: u64,
}

impl Intro {
    /// The introduction of scenario `s`.
    pub fn of(s: &Scenario) -> Intro {
        Intro {
            title: s.title.clone(),
            description: s.description.clone(),
            goals: s.goals.clone(),
            try_first: s.try_first.clone(),
            seed: s.run.seed,
        }
    }
}

/// The title of the built-in scenario `name` (with or without `.toml`),
/// known without loading it (build.rs reads it from the TOML).
pub fn built_in_title(name: &str) -> Option<&'static str> {
    catalog_entry(name).map(|(_, title, _)| *title)
}

/// The seed of the built-in scenario `name` (`[run] seed`, or the default):
/// what a link without `seed=` runs with, known without loading it.
pub fn built_in_seed(name: &str) -> Option<u64> {
    catalog_entry(name).map(|(_, _, seed)| seed.unwrap_or_else(|| RunSettings::default().seed))
}

fn catalog_entry(name: &str) -> Option<&'static (&'static str, &'static str, Option<u64>)> {
    let name = name.trim_end_matches(".toml");
    BUILT_IN_CATALOG.iter().find(|(n, _, _)| *n == name)
}

/// The built-in interview scenarios in the picker's order: (name, the seed
/// question ids they cover, how many questions), known without loading them.
pub fn interview_catalog() -> Vec<(&'static str, &'static [&'static str], usize)> {
    BUILT_IN_NAMES
        .iter()
        .filter_map(|n| BUILT_IN_INTERVIEWS.iter().find(|(m, _, _)| m == n).copied())
        .collect()
}

/// Whether built-in `name` has interview questions.
pub fn is_interview(name: &str) -> bool {
    BUILT_IN_INTERVIEWS.iter().any(|(n, _, _)| *n == name)
}

/// The names of the built-in scenarios, in the picker's order, for messages
/// ("black-friday, capacity-model, …").
pub fn built_in_names() -> String {
    BUILT_IN_NAMES.join(", ")
}

/// The text of the built-in scenario `name` (without `.toml`).
#[cfg(not(target_arch = "wasm32"))]
pub fn built_in(name: &str) -> Option<&'static str> {
    BUILT_INS
        .iter()
        .find(|(n, _)| *n == name.trim_end_matches(".toml"))
        .map(|(_, t)| *t)
}

/// A knob the learner may turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Knob {
    /// Dotted path of the field it sets ("hpa.maxReplicas").
    pub field: String,
    /// Label.
    #[serde(default)]
    pub label: String,
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
}

/// A scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Title.
    pub title: String,
    /// A paragraph on what happens.
    #[serde(default)]
    pub description: String,
    /// Learning goals.
    #[serde(default)]
    pub goals: Vec<String>,
    /// The first thing a learner should try, in one sentence ("Press Play,
    /// then Trigger spike at 10×: watch desired replicas climb"). Shown when
    /// the scenario opens.
    #[serde(default)]
    pub try_first: String,
    /// Seed passages it comes from ("001 Traffic Spike Scenario").
    #[serde(default)]
    pub seeds: Vec<String>,
    /// Seed interview question ids it grades (`"004-V-1"`; see
    /// [`crate::grade::seed_questions`]).
    #[serde(default)]
    pub covers: Vec<String>,
    /// Simulated parts of its questions still to come, one line each ("the
    /// retry storm as a drill: needs retries in the engine's protection stage").
    #[serde(default)]
    pub to_come: Vec<String>,
    /// Interview questions, in the order they are asked, as written: read
    /// with [`Scenario::questions`] (all, checked) or
    /// [`Scenario::drill_question`] (one drill). Kept unparsed so a page that
    /// never grades carries none of the question readers; [`load`] checks
    /// them (with the file's lines), [`load_json`] does not.
    #[serde(default, rename = "questions")]
    pub raw_questions: Vec<serde_json::Value>,
    /// Tick, duration, seed, recording.
    #[serde(default)]
    pub run: RunSettings,
    /// Regions, zones, nodes and the pod spec.
    #[serde(default)]
    pub topology: TopologyConfig,
    /// Load profile and request classes.
    pub traffic: TrafficConfig,
    /// The load balancer.
    #[serde(default)]
    pub balancer: BalancerConfig,
    /// Scheduled events.
    #[serde(default)]
    pub events: Vec<ScheduledAction>,
    /// SLOs.
    #[serde(default)]
    pub slo: SloSettings,
    /// The HPA spec (Kubernetes field names); no HPA when absent.
    #[serde(default)]
    pub hpa: Option<HpaSpec>,
    /// The cluster autoscaler.
    #[serde(default)]
    pub cluster_autoscaler: ClusterAutoscalerSettings,
    /// Pause pods.
    #[serde(default)]
    pub pause_pods: PausePodSettings,
    /// Pre-scaling.
    #[serde(default)]
    pub prescale: PrescaleSettings,
    /// Cooldowns on top of the HPA.
    #[serde(default)]
    pub cooldown: CooldownSettings,
    /// Prices.
    #[serde(default)]
    pub cost: CostConfig,
    /// Knobs the learner may turn.
    #[serde(default)]
    pub knobs: Vec<Knob>,
    /// The CDN in front of the origin; none when absent.
    #[serde(default)]
    pub cdn: Option<CdnConfig>,
    /// The cache (cache-aside) in front of the database; none when absent.
    #[serde(default)]
    pub cache: Option<CacheConfig>,
    /// The database; none when absent.
    #[serde(default)]
    pub database: Option<DatabaseConfig>,
    /// The Kafka topic, its consumer group and their HPA; none when absent.
    #[serde(default)]
    pub kafka: Option<KafkaSection>,
    /// Consistency modes of the replicated store; none when absent.
    #[serde(default)]
    pub consistency: Option<ConsistencySection>,
    /// The global server load balancer over the regions; none when absent.
    #[serde(default)]
    pub gslb: Option<GslbConfig>,
    /// The external dependency (payment provider); none when absent.
    #[serde(default)]
    pub external: Option<ExternalConfig>,
    /// Client retry policies per call edge (docs/scenario-format.md#retry); none retry.
    #[serde(default)]
    pub retry: crate::sim::protection::RetrySection,
    /// Circuit breakers per call edge; none when absent.
    #[serde(default)]
    pub breaker: crate::sim::protection::BreakerSection,
    /// Token-bucket rate limits at the edge or the load balancer (429s); none when absent.
    #[serde(default)]
    pub rate_limit: Option<crate::sim::protection::RateLimitPolicy>,
    /// Load shedding by class priority at the load balancer; none when absent.
    #[serde(default)]
    pub shedding: Option<crate::sim::protection::SheddingPolicy>,
    /// Feature flags a learner or an event turns off to degrade gracefully.
    #[serde(default)]
    pub flags: Vec<crate::sim::protection::FeatureFlag>,
    /// The version running at the start and how a rollout replaces it.
    #[serde(default)]
    pub deployment: crate::sim::rollout::DeploymentSpec,
    /// Releases a rollout can move to, and how each behaves.
    #[serde(default)]
    pub versions: Vec<crate::sim::rollout::VersionSpec>,
    /// How the `canary` action releases a version: stages and rollback triggers.
    #[serde(default)]
    pub canary: crate::sim::rollout::canary::CanarySpec,
    /// How the `blue_green` action releases a version: the switch and the standby.
    #[serde(default)]
    pub blue_green: crate::sim::rollout::blue_green::BlueGreenSpec,
    /// Chaos experiments the `run_experiment` action can run.
    #[serde(default)]
    pub experiments: Vec<crate::sim::chaos::ExperimentSpec>,
}

impl Scenario {
    /// Its interview questions, read and checked ([`validate_questions`]).
    pub fn questions(&self) -> Result<Vec<crate::grade::Question>, String> {
        let questions = self
            .raw_questions
            .iter()
            .map(|v| {
                <crate::grade::Question as serde::Deserialize>::deserialize(v)
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        // The page reads only the built-ins, whose questions the native tests
        // load through this check (tests/grade_library.rs): the wasm leaves it
        // out (about 9 KB of gzipped wasm, over the page's 600 KB budget).
        #[cfg(not(target_arch = "wasm32"))]
        validate_questions(self, &questions)
            .map_err(|(field, message)| format!("{field}: {message}"))?;
        Ok(questions)
    }

    /// The ids of its questions, in order, read without parsing them.
    pub fn question_ids(&self) -> Vec<&str> {
        self.raw_questions
            .iter()
            .map(|v| {
                v.get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
            })
            .collect()
    }

    /// The points its questions are worth together, read without parsing them:
    /// a question's `points` (default 1), a configure question's its checks'
    /// (as [`crate::grade::Question::points`]).
    pub fn question_points(&self) -> f64 {
        let points = |v: &serde_json::Value| {
            v.get("points")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(1.0)
        };
        let configure = |v: &serde_json::Value| {
            v.get("kind").and_then(serde_json::Value::as_str) == Some("configure")
        };
        self.raw_questions
            .iter()
            .map(
                |v| match v.get("checks").and_then(serde_json::Value::as_array) {
                    Some(checks) if configure(v) => checks.iter().map(points).sum(),
                    _ => points(v),
                },
            )
            .sum()
    }

    /// Its drill question `id`, read and checked alone (the playground page
    /// plays one from a link and carries no other question reader).
    pub fn drill_question(&self, id: &str) -> Result<crate::grade::DrillQuestion, String> {
        let missing = || format!("{} has no drill called \u{201c}{id}\u{201d}", self.title);
        let v = self
            .raw_questions
            .iter()
            .find(|v| {
                v.get("id").and_then(serde_json::Value::as_str) == Some(id)
                    && v.get("kind").and_then(serde_json::Value::as_str) == Some("drill")
            })
            .ok_or_else(missing)?;
        let mut map = v.as_object().cloned().ok_or_else(missing)?;
        map.remove("kind");
        let q: crate::grade::DrillQuestion = serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| format!("question {id} (drill): {e}"))?;
        // Natively, the rules every question kind keeps. The pages read only the
        // built-ins' JSON, whose questions `load` validated from the TOML (a test keeps
        // the two equal): the question rules and their units stay out of their wasm.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let declared: Vec<&str> = self.knobs.iter().map(|k| k.field.as_str()).collect();
            crate::grade::Question::Drill(q.clone())
                .validate(&declared, self.run.duration_s)
                .map_err(|(field, message)| format!("question {id}: {field}: {message}"))?;
        }
        Ok(q)
    }
}

/// The scenario file's questions, typed: how [`load`] reads them, so an error
/// names its line.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Deserialize)]
struct TypedQuestions {
    #[serde(default)]
    questions: Vec<crate::grade::Question>,
}

/// A scenario that cannot be loaded: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// File name (as given to [`load`]).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(not(target_arch = "wasm32"))]
/// A question's error names the field inside it (`question q (drill) at
/// `fault_window_s`: …`, see `grade::question`): the message without it, and the
/// field, to be added to the question's own path.
fn question_field(raw: &str) -> (String, Option<&str>) {
    let Some((head, rest)) = raw.split_once(") at `") else {
        return (raw.to_string(), None);
    };
    let Some((field, tail)) = rest.split_once("`: ") else {
        return (raw.to_string(), None);
    };
    if !head.starts_with("question ") {
        return (raw.to_string(), None);
    }
    (format!("{head}): {tail}"), Some(field))
}

/// A serde error reading `text` (file `file`) as the place a person fixes: the
/// field's path and line. serde tracks the path down to the table it was reading
/// (`events[2].action`: inline tables and tagged enums are read whole); the key,
/// variant or number the message names is then looked for inside it, and a
/// missing field is named inside its table.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn read_error(
    file: &str,
    text: &str,
    lines: Option<&toml_lines::TomlLines>,
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> ScenarioError {
    let inner = e.inner();
    let (raw, inside) = question_field(inner.message().trim_end());
    let span_line = inner.span().map(|s| toml_lines::line_at(text, s.start));
    let tracked = match inside {
        Some(field) => format!("{}.{field}", e.path()),
        None => e.path().to_string(),
    };
    // A file that is not TOML (a duplicate table, a bad header) stops serde
    // wherever the parser failed: its tracked path names the field before, not
    // the fault. (Read again only on this error path.)
    let syntax = lines.is_none() || toml::from_str::<toml::Table>(text).is_err();
    let base = Some(tracked)
        .filter(|p| !syntax && p != "." && !p.is_empty())
        .or_else(|| {
            inner
                .span()
                .and_then(|s| lines.and_then(|l| l.path_at(s.start)))
        });
    let line_of = |path: &str| lines.and_then(|l| l.line_of(path));
    let missing = raw
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    // The first `…` of the message: an unknown key or variant, or the number
    // that is of the wrong type.
    let token = [
        ("unknown field `", '`'),
        ("unknown variant `", '`'),
        ("there is no kind `", '`'),
        ("integer `", '`'),
        ("floating point `", '`'),
        ("invalid type: string \"", '"'),
    ]
    .iter()
    .find_map(|(m, end)| raw.split_once(m).map(|(_, rest)| (rest, *end)))
    .and_then(|(rest, end)| rest.split(end).next());
    // The fields serde expected there: `expected one of `a`, `b``.
    let expected: Vec<&str> = raw
        .split_once("expected ")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    // serde names no key of a map keyed by an enum (`consistency.classes.?`):
    // the written key whose table holds the token or lacks the missing field.
    let base = match (base, lines) {
        (Some(b), Some(l)) if b.contains('?') => {
            Some(l.name_map_keys(&b, token, missing, &expected))
        }
        (b, _) => b,
    };
    let found = base
        .as_deref()
        .zip(token)
        .and_then(|(p, t)| lines.and_then(|l| l.find_under(p, t, &expected)));
    let (field, line) = match (found, missing, base) {
        (Some(path), _, _) => {
            let line = line_of(&path).or(span_line);
            (Some(path), line)
        }
        // (A missing field's own line does not exist: its table's is given.)
        (None, Some(name), Some(table)) => {
            let line = line_of(&table).or(span_line);
            (Some(format!("{table}.{name}")), line)
        }
        (None, Some(name), None) => (Some(name.to_string()), span_line),
        (None, None, Some(path)) => {
            let line = line_of(&path).or(span_line);
            (Some(path), line)
        }
        // The file does not parse as a whole (a number too large for any
        // integer): the key or element whose value starts where serde points, read
        // from the text with its tables' and arrays' indices; a nesting too deep is
        // the statement's (`traffic.profile`), not its deepest part's.
        (None, None, None) => (
            inner
                .span()
                .and_then(|s| toml_lines::place_at(text, s.start))
                .map(|p| {
                    if raw.starts_with("recursion limit") {
                        p.statement
                    } else {
                        p.path
                    }
                }),
            span_line,
        ),
    };
    // The number as written, for a refusal that quotes it (`1e1`, a 20-digit integer).
    // (serde may point at its first character only: the token is read on from there.)
    let written = inner
        .span()
        .and_then(|s| text.get(s.start..))
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || "+-._".contains(c)))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|w| {
            !w.is_empty()
                && w.len() <= 40
                && w.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
                && w.chars()
                    .all(|c| c.is_ascii_digit() || "+-._eE".contains(c))
        });
    let range = field
        .as_deref()
        .and_then(ranges::table_key)
        .and_then(|k| ranges::range_of(&k))
        .map(ranges::FieldRange::words);
    let mut message = serde_words::plain_written(&raw, range.as_deref(), written);
    if raw.starts_with("recursion limit") && field.as_deref().is_some_and(|f| f.contains("profile"))
    {
        message = format!("{message}; {}", serde_words::profile_nesting());
    }
    ScenarioError {
        file: file.to_string(),
        line,
        field,
        message,
    }
}

/// Parses and validates a scenario. `file` names it in errors. Native only: the
/// web app reads the built-ins' JSON form with [`load_json`].
#[cfg(not(target_arch = "wasm32"))]
pub fn load(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    load_lasting(file, text, None)
}

/// [`load`] for a run that may last longer than the file says (`--duration`,
/// `at_least_s` [s]): the events and windows are checked against the longer
/// run, so an event the longer run reaches is accepted; the scenario keeps
/// its own `run.duration_s`. For `scalesim run`, which grades nothing (a
/// question's windows are checked against the longer run too).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_lasting(
    file: &str,
    text: &str,
    at_least_s: Option<f64>,
) -> Result<Scenario, ScenarioError> {
    if text.trim().is_empty() {
        return Err(empty_file(file));
    }
    let lines = toml_lines::TomlLines::parse(text);
    if let Some((path, line, v)) = lines.as_ref().and_then(|l| l.first_non_finite()) {
        return Err(ScenarioError {
            file: file.to_string(),
            line: Some(line),
            field: Some(path),
            message: format!(
                "must be a finite number, got {} (TOML allows nan and inf; a scenario does not)",
                ranges::value_words(v)
            ),
        });
    }
    let line_of_field = |field: &str| lines.as_ref().and_then(|l| l.line_of(field));
    let mut scenario: Scenario = serde_path_to_error::deserialize(toml::Deserializer::new(text))
        .map_err(|e| read_error(file, text, lines.as_ref(), &e))?;
    let own_duration_s = scenario.run.duration_s;
    if let Some(d) = at_least_s.filter(|d| *d > own_duration_s) {
        scenario.run.duration_s = d;
    }
    validate(&scenario).map_err(|(field, message)| ScenarioError {
        file: file.to_string(),
        line: line_of_field(&field),
        field: Some(field),
        message,
    })?;
    let typed: TypedQuestions = serde_path_to_error::deserialize(toml::Deserializer::new(text))
        .map_err(|e| read_error(file, text, lines.as_ref(), &e))?;
    validate_questions(&scenario, &typed.questions).map_err(|(field, message)| ScenarioError {
        file: file.to_string(),
        line: line_of_field(&field),
        field: Some(field),
        message,
    })?;
    scenario.run.duration_s = own_duration_s;
    Ok(scenario)
}

/// The answers a question definition carries, by the table they are written in:
/// a configure question's `reference` and `weak`, a drill's `playbook`.
fn shipped_answers(q: &crate::grade::Question) -> Vec<(&'static str, crate::grade::Answer)> {
    use crate::grade::{Answer, Question};
    match q {
        Question::Configure(c) => [("reference", &c.reference), ("weak", &c.weak)]
            .into_iter()
            .map(|(name, setup)| {
                (
                    name,
                    Answer {
                        knobs: setup.knobs.clone(),
                        actions: setup.actions.clone(),
                        ..Answer::default()
                    },
                )
            })
            .collect(),
        Question::Drill(d) => vec![(
            "playbook",
            Answer {
                actions: d.playbook.clone(),
                ..Answer::default()
            },
        )],
        Question::Choice(_) | Question::Numeric(_) | Question::Order(_) | Question::Explain(_) => {
            Vec::new()
        }
    }
}

/// The fault kind a `restore` of which clears what `a` injects
/// ([`crate::sim::inputs::Lifetime::fault_kind`]). `None` for an action no
/// restore undoes (killing pods, a spike, …).
fn restored_kind(a: &crate::sim::inputs::Action) -> Option<crate::sim::inputs::FaultKind> {
    a.lifetime().fault_kind()
}

/// A fault kind as a scenario file writes it (`bad_release`).
fn fault_kind_name(k: crate::sim::inputs::FaultKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Checks that each `restore` in drill `d`'s playbook clears a fault that is
/// in play: the drill's own `fault`, or one the scenario's `[[events]]`
/// inject (`all` always is). A restore of another kind does nothing, so the
/// reference playbook would mitigate nothing. Errors: (the field inside the
/// question, `playbook[0].action.fault`; the message).
fn playbook_restores_a_fault_in_play(
    s: &Scenario,
    d: &crate::grade::DrillQuestion,
) -> Result<(), (String, String)> {
    use crate::sim::inputs::{Action, FaultKind};
    let own = restored_kind(&d.fault);
    for (j, a) in d.playbook.iter().enumerate() {
        let Action::Restore { fault } = a.action else {
            continue;
        };
        let in_play = fault == FaultKind::All
            || own == Some(fault)
            || s.events
                .iter()
                .any(|e| restored_kind(&e.action) == Some(fault));
        if in_play {
            continue;
        }
        let (own_words, fix) = match own {
            Some(k) => (
                format!(
                    "the drill's fault ({}) is cleared by restoring \u{201c}{}\u{201d}",
                    d.fault.name(),
                    fault_kind_name(k)
                ),
                format!(
                    "restore \u{201c}{}\u{201d} (or \u{201c}all\u{201d})",
                    fault_kind_name(k)
                ),
            ),
            None => (
                format!(
                    "the drill's fault ({}) is not one a restore clears",
                    d.fault.name()
                ),
                "mitigate it with another action".to_string(),
            ),
        };
        return Err((
            format!("playbook[{j}].action.fault"),
            format!(
                "restores \u{201c}{}\u{201d}, a fault not in play: {own_words}, and none of the scenario's events injects a fault it clears; {fix}",
                fault_kind_name(fault)
            ),
        ));
    }
    Ok(())
}

/// Checks scenario `s`'s questions, read: unique ids, then each question's
/// own checks. Returns (field path, message).
pub fn validate_questions(
    s: &Scenario,
    questions: &[crate::grade::Question],
) -> Result<(), (String, String)> {
    let declared: Vec<&str> = s.knobs.iter().map(|k| k.field.as_str()).collect();
    for (i, q) in questions.iter().enumerate() {
        let at = |field: &str| {
            if field.is_empty() {
                format!("questions[{i}]")
            } else {
                format!("questions[{i}].{field}")
            }
        };
        if questions[..i].iter().any(|p| p.id() == q.id()) {
            return Err((
                at("id"),
                format!(
                    "question id \u{201c}{}\u{201d} is used twice; ids must be unique",
                    q.id()
                ),
            ));
        }
        let named = |m: String| format!("question \u{201c}{}\u{201d}: {m}", q.id());
        q.validate(&declared, s.run.duration_s)
            .map_err(|(f, m)| (at(&f), named(m)))?;
        if let Some(seeds) = q.seeds() {
            let own = q.duration_s();
            check_run_length(s, own.unwrap_or(s.run.duration_s), seeds.len()).map_err(
                |(f, m)| {
                    let field = match (f, own) {
                        ("run.duration_s", Some(_)) => at("duration_s"),
                        ("run.duration_s", None) => at("seeds"),
                        (other, _) => other.to_string(),
                    };
                    (field, named(m))
                },
            )?;
        }
        // The answers the question ships with (reference, weak, playbook) pass
        // the same boundary as a learner's.
        for (prefix, answer) in shipped_answers(q) {
            crate::grade::check_answer(s, q, &answer).map_err(|p| {
                let field = match (prefix, p.field.strip_prefix("actions")) {
                    ("playbook", Some(rest)) => format!("playbook{rest}"),
                    (_, _) if p.field.is_empty() => prefix.to_string(),
                    (_, _) => format!("{prefix}.{}", p.field),
                };
                (at(&field), named(p.message))
            })?;
        }
        if let crate::grade::Question::Numeric(n) = q {
            if let Some(setup) = n.answer_from.as_ref().map(|a| &a.setup) {
                knobs::apply_knobs(
                    &mut s.clone(),
                    setup.knobs.iter().map(|(k, v)| (k.as_str(), *v)),
                )
                .map_err(|m| (at("answer_from.setup.knobs"), named(m)))?;
                for (j, a) in setup.actions.iter().enumerate() {
                    let here = format!("answer_from.setup.actions[{j}]");
                    fires_in_run("an action", a.at_s, s.run.duration_s, s.run.tick_s)
                        .map_err(|m| (at(&format!("{here}.at_s")), named(m)))?;
                    let action_at = format!("{here}.action");
                    check_input_action(&a.action, s, &action_at)
                        .map_err(|(f, m)| (at(&f), named(m)))?;
                }
            }
        }
        if let crate::grade::Question::Drill(d) = q {
            check_input_action(&d.fault, s, "fault").map_err(|(f, m)| (at(&f), named(m)))?;
            playbook_restores_a_fault_in_play(s, d).map_err(|(f, m)| (at(&f), named(m)))?;
        }
    }
    // An event after every run's end would never fire: the run, or a question's
    // longer run, must reach it.
    let longest = questions
        .iter()
        .filter_map(crate::grade::Question::duration_s)
        .fold(s.run.duration_s, f64::max);
    for (i, e) in s.events.iter().enumerate() {
        fires_in_run("the event", e.at_s, longest, s.run.tick_s)
            .map_err(|m| (format!("events[{i}].at_s"), m))?;
    }
    for (i, m) in s.prescale.scheduled.iter().enumerate() {
        fires_in_run(
            "a scheduled window starting",
            m.from_s,
            longest,
            s.run.tick_s,
        )
        .map_err(|m| (format!("prescale.scheduled[{i}].from_s"), m))?;
        prescale_window_holds_a_sync(m.from_s, m.until_s, longest, s.run.tick_s)
            .map_err(|m| (format!("prescale.scheduled[{i}].until_s"), m))?;
    }
    Ok(())
}

/// Checks that a pre-scaling window from `from_s` to `until_s` [s] holds an HPA
/// sync inside a run of `duration_s` with `tick_s` ticks: the HPA reads
/// minReplicas only at its syncs ([`crate::sim::control::hpa_loop::first_sync_at_or_after`]),
/// so a window between two of them would raise and lower it unseen.
fn prescale_window_holds_a_sync(
    from_s: f64,
    until_s: f64,
    duration_s: f64,
    tick_s: f64,
) -> Result<(), String> {
    let period = crate::sim::hpa::HpaControllerConfig::default().sync_period_s;
    let sync = crate::sim::control::hpa_loop::first_sync_at_or_after(from_s, tick_s, period);
    if sync < until_s && sync <= last_tick_start_s(duration_s, tick_s) + 1e-9 {
        return Ok(());
    }
    let before = crate::sim::control::hpa_loop::last_sync_before(from_s, tick_s, period);
    let w = ranges::value_words;
    let (around, fix) = match before {
        Some(before) if sync > last_tick_start_s(duration_s, tick_s) + 1e-9 => (
            format!("the last at {} s, the next after the run", w(before)),
            format!("start it by {} s", w(before)),
        ),
        Some(before) => (
            format!("here at {} s and {} s", w(before), w(sync)),
            format!("start it by {} s or end it after {} s", w(before), w(sync)),
        ),
        None => (
            format!("the first at {} s", w(sync)),
            format!("end it after {} s", w(sync)),
        ),
    };
    // Ticks longer than the period sync at every tick.
    let every = if tick_s > period {
        format!(
            "at every tick here ({} s), as ticks are longer than its {} s sync period",
            w(tick_s),
            w(period)
        )
    } else {
        format!("every {} s", w(period))
    };
    Err(format!(
        "is {} s: the window from {} s holds no HPA sync, so the HPA never sees its minReplicas (it reads it at each sync, {every}: {around}); {fix}",
        w(until_s),
        w(from_s),
    ))
}

/// Checks that minReplicas never passes maxReplicas, as the API server checks
/// every HPA update: a pre-scaling floor at most `hpa.maxReplicas`, and the
/// `set_min_replicas` / `set_max_replicas` events, in time order, each within
/// the bounds the earlier ones left. Errors: (field path, message).
fn hpa_bounds_stay_ordered(s: &Scenario, h: &HpaSpec) -> Result<(), (String, String)> {
    for (i, m) in s.prescale.scheduled.iter().enumerate() {
        if m.min_replicas > h.max_replicas {
            return Err((
                format!("prescale.scheduled[{i}].min_replicas"),
                format!(
                    "is {} pods, above hpa.maxReplicas ({}): minReplicas may not pass maxReplicas (the API server refuses it); give at most {}",
                    m.min_replicas, h.max_replicas, h.max_replicas
                ),
            ));
        }
    }
    let mut order: Vec<usize> = (0..s.events.len()).collect();
    // Stable: events at the same time apply in file order, as the engine's queue does.
    crate::sim::ordering::sort_indices(&mut order, &|a, b| {
        s.events[a].at_s.total_cmp(&s.events[b].at_s)
    });
    let (mut min, mut max) = (h.min_replicas, h.max_replicas);
    for i in order {
        let at = |why: String| (format!("events[{i}].action.replicas"), why);
        if let crate::sim::inputs::Action::SetMinReplicas { replicas } = s.events[i].action {
            if replicas > max {
                return Err(at(format!(
                    "is {replicas}, above maxReplicas ({max}) at that time: minReplicas may not pass maxReplicas (the API server refuses it); raise maxReplicas first with set_max_replicas"
                )));
            }
            min = replicas;
        }
        if let crate::sim::inputs::Action::SetMaxReplicas { replicas } = s.events[i].action {
            if replicas < min {
                return Err(at(format!(
                    "is {replicas}, below minReplicas ({min}) at that time: maxReplicas may not fall under minReplicas (the API server refuses it); lower minReplicas first with set_min_replicas"
                )));
            }
            max = replicas;
        }
    }
    Ok(())
}

/// Checks that `runs` runs of scenario `s` lasting `duration_s` [s] each stay
/// within what a run may cost: at most [`ranges::MAX_TICKS`] ticks in all, at most
/// [`ranges::MAX_OBJECT_TICKS`] (pods + nodes + Kafka partitions + database servers) × ticks, and traffic that never
/// passes [`ranges::MAX_RPS`] (each part of a profile is in range; their product
/// or sum must be too). Used for the scenario's run, `--duration` and a question's
/// seeds. Errors: (`run.duration_s` or `traffic.profile`, message).
pub fn check_run_length(
    s: &Scenario,
    duration_s: f64,
    runs: usize,
) -> Result<(), (&'static str, String)> {
    let tick_s = s.run.tick_s;
    let ticks = duration_s / tick_s;
    let of_runs = if runs > 1 {
        format!(" ({runs} runs of {} s)", ranges::value_words(duration_s))
    } else {
        String::new()
    };
    let all_ticks = ticks * runs as f64;
    if all_ticks > ranges::MAX_TICKS {
        return Err((
            "run.duration_s",
            format!(
                "a run takes at most {} ticks (time), and this is {}{of_runs}: with tick_s = {} s, \
                 at most {} s in all",
                ranges::number_words(ranges::MAX_TICKS),
                ranges::value_words(all_ticks.ceil()),
                ranges::value_words(tick_s),
                ranges::number_words((ranges::MAX_TICKS * tick_s).floor())
            ),
        ));
    }
    let most_pods = f64::from(crate::sim::control::hpa_bounds(s).1.max(0))
        .max(f64::from(s.topology.initial_replicas))
        + f64::from(s.pause_pods.count);
    let most_nodes = zone_count(s) as f64
        * f64::from(
            s.topology
                .nodes
                .max_per_zone
                .max(s.topology.nodes.initial_per_zone),
        );
    // The data tier's per-tick objects cost about what a pod does: each Kafka
    // partition, each database shard's primary and replicas.
    let partitions = s
        .kafka
        .as_ref()
        .map_or(0.0, |k| f64::from(k.topic.partitions));
    let shard_servers = s.database.as_ref().map_or(0.0, |d| {
        f64::from(d.sharding.shards.max(1)) * (f64::from(d.replicas) + 1.0)
    });
    let tier = partitions + shard_servers;
    if (most_pods + most_nodes + tier) * all_ticks > ranges::MAX_OBJECT_TICKS {
        let tier_words = match (partitions > 0.0, shard_servers > 0.0) {
            (false, false) => String::new(),
            (true, false) => format!(", {} Kafka partitions", ranges::value_words(partitions)),
            (false, true) => format!(
                ", {} database servers (shards × (replicas + 1))",
                ranges::value_words(shard_servers)
            ),
            (true, true) => format!(
                ", {} Kafka partitions, {} database servers (shards × (replicas + 1))",
                ranges::value_words(partitions),
                ranges::value_words(shard_servers)
            ),
        };
        return Err((
            "run.duration_s",
            format!(
                "{} pods and {} nodes{tier_words} for {} ticks{of_runs} is more work than a run may take \
                 ((pods + nodes + partitions + database servers) × ticks ≤ {}): shorten the run, \
                 lengthen tick_s or lower the counts",
                ranges::value_words(most_pods),
                ranges::value_words(most_nodes),
                ranges::value_words(all_ticks.round()),
                ranges::number_words(ranges::MAX_OBJECT_TICKS)
            ),
        ));
    }
    let peak = s.traffic.profile.peak_over(duration_s);
    if peak > ranges::MAX_RPS {
        return Err((
            "traffic.profile",
            format!(
                "reaches {} req/s during the run (its parts multiplied or added), above \
                 the maximum of {} req/s; lower a rate or a multiplier",
                ranges::value_words(peak.round()),
                ranges::value_words(ranges::MAX_RPS)
            ),
        ));
    }
    Ok(())
}

/// When the last tick of a run of `duration_s` in ticks of `tick_s` starts [s]:
/// the latest time an action or event can take effect ([`crate::sim::step::run_until`]
/// runs ticks while `now < duration − 1e-9`; an input applies at the start of the
/// first tick at or after its time).
pub fn last_tick_start_s(duration_s: f64, tick_s: f64) -> f64 {
    let ticks = ((duration_s - 1e-9) / tick_s).ceil().max(1.0);
    (ticks - 1.0) * tick_s
}

/// Checks that `what` ("an action", "the event") at `at_s` takes effect in a run
/// of `duration_s` with ticks of `tick_s` [s]: finite, from 0 to the start of the
/// last tick ([`last_tick_start_s`]). The error gives the accepted range.
pub fn fires_in_run(what: &str, at_s: f64, duration_s: f64, tick_s: f64) -> Result<(), String> {
    let last = last_tick_start_s(duration_s, tick_s);
    if at_s.is_finite() && at_s >= 0.0 && at_s <= last + 1e-9 {
        return Ok(());
    }
    let why = if at_s.is_finite() && at_s > last && at_s <= duration_s {
        format!(
            "it would apply at the next tick, when the run ({} s) has ended",
            ranges::value_words(duration_s)
        )
    } else {
        format!(
            "outside the run (0 to {} s)",
            ranges::value_words(duration_s)
        )
    };
    Err(format!(
        "{what} at {} s never takes effect: {why}; give a time from 0 to {} s (the last tick starts there)",
        ranges::value_words(at_s),
        ranges::value_words(last)
    ))
}

/// Checks what serde cannot: every number's range (the table in [`ranges`]), then
/// the rules between fields and the names events refer to. Returns (field path with
/// indices, message); the path finds its line in the file.
pub fn validate(s: &Scenario) -> Result<(), (String, String)> {
    // Exact, before the f64 range check: a seed from JSON may pass what TOML holds.
    if s.run.seed > i64::MAX as u64 {
        return Err((
            "run.seed".into(),
            format!(
                "is {}, more than a scenario can hold; expected a whole number {} \
                 (TOML integers are signed 64-bit; `scalesim run --seed` takes up to 2^64 − 1)",
                s.run.seed,
                ranges::range_of("run.seed").map_or_else(String::new, ranges::FieldRange::words)
            ),
        ));
    }
    // Every number against the range table, natively (files, links, answers, the CLI).
    // The page skips this walk (15 KB of gzipped wasm: `Scenario`'s serializer and the
    // walk): it reads only the built-ins' JSON, which a test keeps equal to their
    // validated TOML (tests/scenario_json.rs), and checks what it changes itself: each
    // knob against its range (`link::run_check::check_knob`, `knobs::apply_knobs`;
    // every knob's range is inside the table, tests/knob_ranges.rs) and each action
    // ([`check_action`]).
    #[cfg(not(target_arch = "wasm32"))]
    ranges::check_all(s, "").map_err(|e| (e.path, e.message))?;
    let run = &s.run;
    if run.duration_s < run.tick_s {
        return Err((
            "run.duration_s".into(),
            format!(
                "is {} s, shorter than one tick (tick_s = {} s): a run is at least one tick",
                ranges::value_words(run.duration_s),
                ranges::value_words(run.tick_s)
            ),
        ));
    }
    if run.timeline_zero_s >= run.duration_s {
        return Err((
            "run.timeline_zero_s".into(),
            format!(
                "is {} s, at or after the end of the run (duration_s = {} s): the story's T+0 \
                 must fall inside the run; give a time of at least 0 s and less than {} s",
                ranges::value_words(run.timeline_zero_s),
                ranges::value_words(run.duration_s),
                ranges::value_words(run.duration_s)
            ),
        ));
    }
    if run.latency_window_s / run.tick_s > ranges::MAX_WINDOW_SLOTS {
        return Err((
            "run.latency_window_s".into(),
            format!(
                "holds at most {} ticks (memory: a histogram per tick): with tick_s = {} s, at most {} s",
                ranges::MAX_WINDOW_SLOTS,
                run.tick_s,
                ranges::MAX_WINDOW_SLOTS * run.tick_s
            ),
        ));
    }
    if let Some(problem) = s.traffic.profile.shape_problem("traffic.profile") {
        return Err(problem);
    }
    check_run_length(s, run.duration_s, 1).map_err(|(f, m)| (f.into(), m))?;
    if run.latency_window_s > run.duration_s {
        return Err((
            "run.latency_window_s".into(),
            format!(
                "is {} s, longer than the run (duration_s = {} s); it is 60 s unless written: \
                 write latency_window_s = {} or less in [run]",
                ranges::value_words(run.latency_window_s),
                ranges::value_words(run.duration_s),
                ranges::value_words(run.duration_s)
            ),
        ));
    }
    let topo = &s.topology;
    if topo.regions.is_empty() {
        return Err((
            "topology.regions".into(),
            "needs at least one region, each with at least one zone".into(),
        ));
    }
    unique_names(
        "topology.regions",
        "region",
        topo.regions.iter().map(|r| r.name.as_str()),
    )?;
    unique_names(
        "traffic.classes",
        "request class",
        s.traffic.classes.iter().map(|c| c.name.as_str()),
    )?;
    if let Some(g) = &s.gslb {
        unique_names(
            "gslb.regions",
            "GSLB region",
            g.regions.iter().map(|r| r.name.as_str()),
        )?;
        unique_names(
            "gslb.users",
            "user group",
            g.users.iter().map(|u| u.name.as_str()),
        )?;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, r) in topo.regions.iter().enumerate() {
        if let Some(j) = r.zones.iter().position(|z| z.trim().is_empty()) {
            return Err((
                format!("topology.regions[{i}].zones[{j}]"),
                "is empty; give the zone a name events can refer to (\u{201c}a\u{201d})".into(),
            ));
        }
        if r.zones.is_empty() {
            return Err((
                format!("topology.regions[{i}].zones"),
                "needs at least one zone".into(),
            ));
        }
        for (j, z) in r.zones.iter().enumerate() {
            if seen.contains(&z.as_str()) {
                return Err((
                    format!("topology.regions[{i}].zones[{j}]"),
                    format!("zone \u{201c}{z}\u{201d} appears twice; zone names must be unique"),
                ));
            }
            seen.push(z);
        }
    }
    if let Some(k) = s
        .balancer
        .zone_weights
        .keys()
        .find(|k| !seen.contains(&k.as_str()))
    {
        return Err((
            format!("balancer.zone_weights.{k}"),
            format!(
                "there is no zone \u{201c}{k}\u{201d} in this scenario; its zones are {}",
                seen.join(", ")
            ),
        ));
    }
    if topo.regions.iter().map(|r| r.traffic_share).sum::<f64>() <= 0.0 {
        return Err((
            "topology.regions[0].traffic_share".into(),
            "the regions' traffic shares sum to 0: at least one must be > 0".into(),
        ));
    }
    let pod = &topo.pod;
    if pod.cpu_limit_m < pod.cpu_request_m {
        return Err((
            "topology.pod.cpu_limit_m".into(),
            format!("must be ≥ cpu_request_m ({} m)", pod.cpu_request_m),
        ));
    }
    let nodes = &topo.nodes;
    if nodes.cpu_m < pod.cpu_request_m {
        return Err((
            "topology.nodes.cpu_m".into(),
            format!(
                "a node must fit at least one pod's CPU request ({} m)",
                pod.cpu_request_m
            ),
        ));
    }
    if nodes.memory_mib < pod.memory_request_mib {
        return Err((
            "topology.nodes.memory_mib".into(),
            format!(
                "a node must fit at least one pod's memory request ({} MiB)",
                pod.memory_request_mib
            ),
        ));
    }
    if nodes.min_per_zone > nodes.max_per_zone {
        return Err((
            "topology.nodes.min_per_zone".into(),
            format!("must be ≤ max_per_zone ({})", nodes.max_per_zone),
        ));
    }
    let zones = zone_count(s) as f64;
    if zones * f64::from(nodes.max_per_zone) > MAX_NODES {
        return Err((
            "topology.nodes.max_per_zone".into(),
            format!(
                "{} zones × {} nodes is more than {} nodes in all (memory and time stay bounded)",
                zones, nodes.max_per_zone, MAX_NODES
            ),
        ));
    }
    if let Some((field, msg)) = s.traffic.profile.check() {
        return Err((format!("traffic.profile.{field}"), msg));
    }
    if s.traffic.classes.is_empty() {
        return Err(("traffic.classes".into(), "needs at least one class".into()));
    }
    if let Some(h) = &s.hpa {
        h.validate().map_err(|e| {
            let path = e.path.trim_start_matches("spec.").to_string();
            (format!("hpa.{path}"), e.message)
        })?;
        if let Some((path, message)) = crate::sim::control::hpa_loop::READABLE.unreadable(h) {
            return Err((format!("hpa.{path}"), message));
        }
    }
    for (i, m) in s.prescale.scheduled.iter().enumerate() {
        if m.until_s < m.from_s {
            return Err((
                format!("prescale.scheduled[{i}].until_s"),
                format!(
                    "is {} s, before from_s ({} s): a window must end after it starts",
                    ranges::value_words(m.until_s),
                    ranges::value_words(m.from_s)
                ),
            ));
        }
    }
    for (i, e) in s.events.iter().enumerate() {
        let at = format!("events[{i}].action");
        check_input_action(&e.action, s, &at)?;
    }
    if let Some(h) = &s.hpa {
        hpa_bounds_stay_ordered(s, h)?;
    }
    for (i, id) in s.covers.iter().enumerate() {
        if !crate::grade::seed_questions::is_seed_question(id) {
            return Err((
                format!("covers[{i}]"),
                format!(
                    "\u{201c}{id}\u{201d} is not a seed question id; ids: {}",
                    crate::grade::seed_questions::seed_question_ids().join(", ")
                ),
            ));
        }
    }
    for (i, k) in s.knobs.iter().enumerate() {
        let Some(def) = knobs::knob_by_field(&k.field) else {
            return Err((
                format!("knobs[{i}].field"),
                format!(
                    "there is no knob \u{201c}{}\u{201d}; knobs: {}",
                    k.field,
                    knobs::knob_fields()
                ),
            ));
        };
        if let Some(j) = s.knobs[..i].iter().position(|p| p.field == k.field) {
            return Err((
                format!("knobs[{i}].field"),
                format!(
                    "knob {} is already declared (knobs[{j}]); declare each knob once",
                    k.field
                ),
            ));
        }
        if !(k.min.is_finite() && k.max.is_finite() && k.min <= k.max) {
            return Err((
                format!("knobs[{i}].min"),
                format!(
                    "knob {}: min {} must be \u{2264} max {}",
                    k.field,
                    ranges::value_words(k.min),
                    ranges::value_words(k.max)
                ),
            ));
        }
        if def.step.fract() == 0.0 && (k.min.fract() != 0.0 || k.max.fract() != 0.0) {
            return Err((
                format!(
                    "knobs[{i}].{}",
                    if k.min.fract() != 0.0 { "min" } else { "max" }
                ),
                format!(
                    "knob {} takes whole numbers; give a whole min and max",
                    k.field
                ),
            ));
        }
        // A scenario narrows a knob's range; it cannot widen it.
        for (name, v) in [("min", k.min), ("max", k.max)] {
            if !(def.min..=def.max).contains(&v) {
                return Err((
                    format!("knobs[{i}].{name}"),
                    format!(
                        "knob {} goes from {} to {}; give a {name} inside that range, got {}",
                        k.field,
                        ranges::value_words(def.min),
                        ranges::value_words(def.max),
                        ranges::value_words(v)
                    ),
                ));
            }
        }
    }
    gslb_defaults(s)?;
    validate_tiers(s)
}

/// `[[experiments]]`: each one's own rules, unique names, and every method step read as
/// an event would be (names that exist, numbers in range).
#[cfg(not(target_arch = "wasm32"))]
fn validate_experiments(s: &Scenario) -> Result<(), (String, String)> {
    let zones: Vec<(String, String)> = s
        .topology
        .regions
        .iter()
        .flat_map(|r| r.zones.iter().map(move |z| (z.clone(), r.name.clone())))
        .collect();
    let regions: Vec<String> = s.topology.regions.iter().map(|r| r.name.clone()).collect();
    for (i, e) in s.experiments.iter().enumerate() {
        let at = format!("experiments[{i}]");
        if s.experiments[..i].iter().any(|o| o.name == e.name) {
            return Err((
                format!("{at}.name"),
                format!("\u{201c}{}\u{201d} is used twice", e.name),
            ));
        }
        e.validate(&at, &zones, &regions)?;
        for (j, step) in e.method.iter().enumerate() {
            action_check::check_input_action(&step.action, s, &format!("{at}.method[{j}].action"))?;
        }
    }
    Ok(())
}

/// The data and async tiers' own rules, each beside its config.
fn validate_tiers(s: &Scenario) -> Result<(), (String, String)> {
    crate::sim::rollout::validate(&s.deployment, &s.versions)?;
    s.canary.validate()?;
    // The page reads only the built-ins, whose experiments the native load checks here
    // (tests/scenario_json.rs keeps their JSON equal to the validated TOML); the wasm
    // leaves the check out, as it does the question rules (1.5 KB of gzipped wasm).
    #[cfg(not(target_arch = "wasm32"))]
    validate_experiments(s)?;
    s.retry.validate(s.run.tick_s, s.traffic.classes.len())?;
    s.breaker.validate()?;
    let names = s.traffic.class_names();
    if let Some(r) = &s.rate_limit {
        r.validate(&names)?;
    }
    crate::sim::protection::flags::validate(&s.flags, &names)?;
    for (edge, retry, breaker, present) in [
        (
            "database",
            s.retry.database.is_some(),
            s.breaker.database.is_some(),
            s.database.is_some(),
        ),
        (
            "external",
            s.retry.external.is_some(),
            s.breaker.external.is_some(),
            s.external.is_some(),
        ),
        (
            "cache",
            s.retry.cache.is_some(),
            s.breaker.cache.is_some(),
            s.cache.is_some(),
        ),
    ] {
        // The table that is there is the one named.
        let table = match (retry, breaker) {
            (true, _) => "retry",
            (false, true) => "breaker",
            (false, false) => continue,
        };
        if !present {
            return Err((
                format!("{table}.{edge}"),
                format!("protects the pods' calls to the {edge}, but the scenario has no [{edge}] table"),
            ));
        }
    }
    let consumer_table = match (s.retry.consumer.is_some(), s.breaker.consumer.is_some()) {
        (true, _) => Some("retry.consumer"),
        (false, true) => Some("breaker.consumer"),
        (false, false) => None,
    };
    if let Some(table) = consumer_table.filter(|_| s.kafka.is_none() || s.database.is_none()) {
        return Err((
            table.into(),
            "protects the Kafka consumers' writes to the database, but the scenario needs both a [kafka] and a [database] table".into(),
        ));
    }
    if let Some(cdn) = &s.cdn {
        cdn.validate(s.traffic.classes.len())?;
    }
    if let Some(d) = &s.database {
        d.validate()?;
    }
    if let Some(k) = &s.kafka {
        k.validate()?;
    }
    if let Some(c) = &s.consistency {
        c.validate()?;
    }
    if let Some(g) = &s.gslb {
        let regions: Vec<&str> = s.topology.regions.iter().map(|r| r.name.as_str()).collect();
        g.validate(&regions)?;
    }
    Ok(())
}

/// A `[gslb]` table that leaves out `regions` or `users` gets the defaults (us-east-1,
/// us-west-2, eu-west-1; US and EU users): when those do not fit the scenario, the
/// refusal says they are the defaults, not something the file wrote, and what to write.
fn gslb_defaults(s: &Scenario) -> Result<(), (String, String)> {
    let Some(g) = &s.gslb else { return Ok(()) };
    let default = GslbConfig::default();
    let own: Vec<&str> = s.topology.regions.iter().map(|r| r.name.as_str()).collect();
    let names = |list: &[&str]| match list {
        [] => String::new(),
        [one] => (*one).to_string(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    };
    if g.regions == default.regions {
        let missing: Vec<&str> = g
            .regions
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| !own.contains(n))
            .collect();
        if !missing.is_empty() {
            let all: Vec<&str> = g.regions.iter().map(|r| r.name.as_str()).collect();
            return Err((
                "gslb.regions".into(),
                format!(
                    "is not written, and the default gslb.regions name {}, which this scenario \
                     does not have (its regions: {}); write a [[gslb.regions]] table for each \
                     region the GSLB routes to (name = \"{}\") and a \
                     [[gslb.users]] table per user group, with one latency_ms per region",
                    names(&all),
                    own.join(", "),
                    own.first().copied().unwrap_or("")
                ),
            ));
        }
    }
    if g.users == default.users && g.regions.len() != default.regions.len() {
        let users: Vec<&str> = g.users.iter().map(|u| u.name.as_str()).collect();
        return Err((
            "gslb.users".into(),
            format!(
                "is not written, and the default gslb.users ({}) have latencies to the {} \
                 default regions, while gslb.regions has {}; write a [[gslb.users]] table per \
                 user group with one latency_ms per region of gslb.regions (home_region is an \
                 index into it)",
                names(&users),
                default.regions.len(),
                g.regions.len()
            ),
        ));
    }
    Ok(())
}

/// Checks that every name in the list at `path` is written and used once:
/// events, charts and other tables refer to them by name. `what` names one
/// ("region"). Errors: (`path[i].name`, message).
fn unique_names<'a>(
    path: &str,
    what: &str,
    names: impl Iterator<Item = &'a str>,
) -> Result<(), (String, String)> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in names.enumerate() {
        if name.trim().is_empty() {
            return Err((
                format!("{path}[{i}].name"),
                format!("is empty; give the {what} a name others can refer to"),
            ));
        }
        if let Some(j) = seen.iter().position(|p| *p == name) {
            return Err((
                format!("{path}[{i}].name"),
                format!(
                    "{what} \u{201c}{name}\u{201d} is already {path}[{j}]; names must be unique"
                ),
            ));
        }
        seen.push(name);
    }
    Ok(())
}

/// Parses a duration [s]: plain seconds (`86400`), or numbers each with a unit
/// (`d`, `h`, `m`, `s`, `ms`) in a row as Go's `time.ParseDuration` and kubectl
/// write them (`90s`, `1.5h`, `1h30m`, `2d12h`), read by the same rules as an
/// answer's time (`grade::units::time_parts_s`). Errors: anything else, units
/// out of order or repeated, or a total that is not above 0.
pub fn parse_duration_s(text: &str) -> Result<f64, String> {
    let refuse = || format!("`{text}` is not a duration (try 86400, 90m, 1h30m or 24h)");
    let t = text.trim();
    if let Ok(v) = t.parse::<f64>() {
        return Some(v)
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(refuse);
    }
    // The units largest first, each once: as a learner's answer reads them.
    let total = crate::grade::units::time_parts_s(t)
        .filter(|(_, _, in_order)| *in_order)
        .map(|(total, _, _)| total)
        .ok_or_else(refuse)?;
    Some(total)
        .filter(|v| v.is_finite() && *v > 0.0)
        .ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_scenario_loads() {
        for (name, text) in BUILT_INS {
            load(name, text).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn durations_accept_seconds_minutes_and_hours() {
        assert_eq!(parse_duration_s("86400"), Ok(86_400.0));
        assert_eq!(parse_duration_s("90m"), Ok(5400.0));
        assert_eq!(parse_duration_s("24h"), Ok(86_400.0));
        assert_eq!(parse_duration_s("1h30m"), Ok(5400.0));
        assert_eq!(parse_duration_s("2d12h"), Ok(216_000.0));
        assert_eq!(parse_duration_s("1m30.5s"), Ok(90.5));
        assert_eq!(parse_duration_s("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration_s("1500ms"), Ok(1.5));
        // As an answer's time is read: spaces between the parts.
        assert_eq!(parse_duration_s("1h 30m"), Ok(5400.0));
        for bad in ["soon", "1h1h", "30m1h", "h", "1x", "-5m", "0s", "1e999", ""] {
            assert!(parse_duration_s(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unknown_field_is_named_with_its_line() {
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\nnoize = true\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert_eq!(e.field.as_deref(), Some("traffic.noize"), "{e}");
        assert!(e.to_string().starts_with("bad.toml:4"), "{e}");
    }

    #[test]
    fn a_wrong_type_is_named_with_its_line() {
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[topology.pod]\ncpu_request_m = \"lots\"\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert_eq!(
            e.field.as_deref(),
            Some("topology.pod.cpu_request_m"),
            "{e}"
        );
        assert!(
            e.message.ends_with(
                "is the text \"lots\"; expected a whole number from 1 to 1,024,000 millicores"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_profile_whose_parts_multiply_past_the_maximum_rate_is_refused() {
        let text = "title = \"x\"\n[run]\nduration_s = 600.0\n[traffic]\nprofile = { kind = \"product\", parts = [\n  { kind = \"constant\", rps = 1e6 },\n  { kind = \"spike\", multiplier = 1000.0, start_s = 60.0, ramp_up_s = 10.0, hold_s = 10.0, ramp_down_s = 10.0 },\n] }\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("traffic.profile"), "{e}");
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.starts_with("reaches 1,000,000,000 req/s"), "{e}");
        // The same spike after the run ends never raises the rate: accepted.
        let late = text.replace("start_s = 60.0", "start_s = 6000.0");
        assert!(load("ok.toml", &late).is_ok());
    }

    #[test]
    fn a_data_tier_field_out_of_range_is_named_with_its_line() {
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[kafka.topic]\npartitions = 12\nbroker_limit_eps = -5.0\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(
            e.field.as_deref(),
            Some("kafka.topic.broker_limit_eps"),
            "{e}"
        );
        assert_eq!(e.line, Some(6), "{e}");
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[consistency]\nmode = \"sloppy\"\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert_eq!(e.field.as_deref(), Some("consistency.mode"), "{e}");
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[kafka.hpa]\nminReplicas = 1\nmaxReplicas = 0\n";
        let e = load("bad.toml", text).unwrap_err();
        assert!(e.field.as_deref().unwrap().starts_with("kafka.hpa."), "{e}");
    }

    #[test]
    fn a_value_out_of_range_is_named_with_its_line() {
        let text = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[slo]\navailability_target = 99.9\n";
        let e = load("bad.toml", text).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("slo.availability_target"), "{e}");
        assert_eq!(e.line, Some(5), "{e}");
    }
}
