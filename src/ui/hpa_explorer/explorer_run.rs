//! One explorer run: manifest + load curve + options → the per-sync decisions,
//! through the engine's HPA ([`crate::sim::hpa`]), as `scalesim hpa` does.

use crate::sim::hpa::spec::MetricSourceType;
use crate::sim::hpa::{
    parse_manifest, simulate_cpu, CpuWorkload, HpaController, HpaControllerConfig, HpaDecision,
};

use super::parse_load_csv;

/// What the learner typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerInput {
    /// The manifest (YAML or JSON; a full object or its spec).
    pub manifest: String,
    /// The load curve CSV.
    pub load_csv: String,
    /// CPU request per pod [millicores].
    pub cpu_request_m: i64,
    /// Time from creation to Ready [s].
    pub ready_delay_s: f64,
    /// Simulated time after the last step [s].
    pub tail_s: f64,
}

/// The decisions, and the curve they answered.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerRun {
    /// minReplicas–maxReplicas in words.
    pub summary: String,
    /// The load steps.
    pub steps: Vec<(f64, i64)>,
    /// One row per sync.
    pub rows: Vec<HpaDecision>,
}

/// Longest run the explorer simulates [s] (a week of 15 s syncs).
const MAX_UNTIL_S: f64 = 7.0 * 86_400.0;
/// Most pods the explorer models.
const MAX_PODS: i32 = 10_000;

/// Runs the explorer. Every problem is an error message naming the field; never a panic.
pub fn explore(input: &ExplorerInput) -> Result<ExplorerRun, String> {
    let spec = parse_manifest(&input.manifest).map_err(|e| format!("Manifest: {e}"))?;
    for (i, m) in spec.metrics.iter().enumerate() {
        let cpu = m.source_type == MetricSourceType::Resource
            && m.resource.as_ref().is_some_and(|r| r.name == "cpu");
        if !cpu {
            return Err(format!(
                "Manifest: spec.metrics[{i}]: the explorer simulates CPU demand only; use a Resource cpu metric (got {:?})",
                m.source_type
            ));
        }
    }
    if spec.max_replicas > MAX_PODS {
        return Err(format!(
            "Manifest: spec.maxReplicas: the explorer models at most {MAX_PODS} pods"
        ));
    }
    if input.cpu_request_m <= 0 {
        return Err("CPU request per pod must be above 0 millicores".into());
    }
    if !(0.0..=3600.0).contains(&input.ready_delay_s) {
        return Err("Ready delay must be between 0 and 3600 s".into());
    }
    let steps = parse_load_csv(&input.load_csv)?;
    let last_t = steps.last().map_or(0.0, |s| s.0);
    let until_s = (last_t + input.tail_s.max(0.0)).min(MAX_UNTIL_S);
    let summary = format!(
        "HPA {}\u{2013}{} pods",
        spec.min_replicas, spec.max_replicas
    );
    let initial = spec.min_replicas;
    let mut hpa = HpaController::new(spec, HpaControllerConfig::default());
    let workload = CpuWorkload {
        demand_steps: steps.clone(),
        initial_replicas: initial,
        cpu_request_m: input.cpu_request_m,
        cpu_limit_m: None,
        ready_delay_s: input.ready_delay_s,
        t_start_s: 0.0,
        until_s,
        sync_period_s: 15.0,
    };
    let rows = simulate_cpu(&mut hpa, &workload);
    Ok(ExplorerRun {
        summary,
        steps,
        rows,
    })
}
