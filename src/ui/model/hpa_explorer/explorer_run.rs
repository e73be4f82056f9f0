//! One explorer run: manifest + load curve + the `scalesim hpa` options → the per-sync
//! decisions, through [`read_manifest`] and [`HpaRunOptions::replay`], the very functions the
//! CLI calls.

use scalesim::sim::hpa::spec::MetricTargetType;
use scalesim::sim::hpa::{
    describe_spec, parse_load, read_manifest, HpaDecision, HpaRunOptions, LoadCurve, OptionKey,
};

/// What the learner typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerInput {
    /// The manifest (YAML or JSON; a full object or its spec, any autoscaling version, several
    /// documents or a `kind: List`).
    pub manifest: String,
    /// The HPA to take when the manifest holds several (`metadata.name`); blank = the only one.
    pub name: String,
    /// The load curve CSV.
    pub load_csv: String,
    /// The CLI's options, with the CLI's defaults.
    pub options: HpaRunOptions,
}

/// The decisions, and the curve they answered.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerRun {
    /// The manifest in one line (the CLI's first line).
    pub summary: String,
    /// The CPU load steps `(t_s, millicores)` (empty without a CPU column).
    pub steps: Vec<(f64, i64)>,
    /// The whole load curve, every column.
    pub load: LoadCurve,
    /// What was read and assumed: document picked, version converted, Kubernetes version and
    /// tolerance (the CLI's `# ` lines).
    pub notes: Vec<String>,
    /// One row per sync.
    pub rows: Vec<HpaDecision>,
    /// The CPU target of the first metric [% of request], when it is a Utilization target.
    pub target_pct: Option<i32>,
}

/// Most syncs the explorer lists (the CLI allows more; a table this long is unreadable).
pub const MAX_EXPLORER_SYNCS: f64 = 20_000.0;
/// Most pods the explorer models.
const MAX_PODS: i32 = 10_000;

/// The options from the fields as typed, `(key, text)`; a blank field keeps the default.
/// The error names the flag and its field, as the CLI's does.
pub fn options_from_fields(fields: &[(OptionKey, String)]) -> Result<HpaRunOptions, String> {
    let mut o = HpaRunOptions::default();
    for (k, text) in fields {
        if !text.trim().is_empty() {
            k.set(&mut o, text)
                .map_err(|e| format!("{}: {e}", k.label()))?;
        }
    }
    Ok(o)
}

/// Runs the explorer. Every problem is an error message naming the field; never a panic.
pub fn explore(input: &ExplorerInput) -> Result<ExplorerRun, String> {
    let name = Some(input.name.trim()).filter(|n| !n.is_empty());
    let manifest = read_manifest(&input.manifest, name)
        .map_err(|e| format!("Manifest: {e}").replace("--name NAME", "the HPA name field"))?;
    let spec = manifest.spec;
    if spec.max_replicas > MAX_PODS || input.options.initial_replicas.unwrap_or(0) > MAX_PODS {
        return Err(format!(
            "Manifest: spec.maxReplicas: the explorer models at most {MAX_PODS} pods (the CLI: 100000)"
        ));
    }
    let load = parse_load("load curve", &input.load_csv)?;
    if input.options.syncs_for(load.last_t()) > MAX_EXPLORER_SYNCS {
        return Err(format!(
            "--until-s / --sync-period-s: the explorer lists at most {MAX_EXPLORER_SYNCS} syncs; the CLI lists more"
        ));
    }
    let target_pct = spec
        .metrics
        .first()
        .and_then(|m| m.resource.as_ref())
        .and_then(|r| match r.target.target_type {
            MetricTargetType::Utilization => r.target.average_utilization,
            MetricTargetType::Value | MetricTargetType::AverageValue => None,
        });
    let summary = describe_spec(&spec);
    let replay = input
        .options
        .replay(spec, &load, "load curve")
        .map_err(|e| match e.starts_with("spec.") {
            true => format!("Manifest: {e}"),
            false => e,
        })?;
    let mut notes = manifest.notes;
    notes.extend(replay.notes);
    Ok(ExplorerRun {
        summary,
        steps: load.cpu_steps(),
        load,
        notes,
        rows: replay.rows,
        target_pct,
    })
}
