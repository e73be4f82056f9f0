//! Kubernetes HorizontalPodAutoscaler (autoscaling/v2), exactly as SPEC §1.
//!
//! ```text
//!   HPA manifest ──spec──▶ HpaController ◀── HpaMetrics (pods, custom metrics)
//!                              │ reconcile every sync (15 s)
//!                              ▼
//!                         HpaDecision { replicas_after, limited_by }
//! ```
//!
//! - [`spec`]: the manifest, its API defaults and validation (§1.1, §1.9);
//! - [`calc`]: the replica calculator per metric type (§1.2–§1.6);
//! - [`controller`]: `reconcileAutoscaler`, the legacy and behavior paths (§1.7–§1.10);
//! - [`workload`]: the CPU workload model of the sequence vectors (§1.11);
//! - [`run_options`]: the replay options shared by `scalesim hpa` and the explorer.

pub mod api_versions;
pub mod calc;
pub mod controller;
pub mod json_path;
pub mod load_csv;
pub mod run_options;
pub mod spec;
pub mod workload;
pub mod yaml_doc;

pub use calc::{CalcError, PodSample, PodState, ReplicaCalc, Tolerances};
pub use controller::{
    HpaController, HpaControllerConfig, HpaDecision, HpaMetrics, HpaPod, LimitReason, PodPhase,
    ReadinessEffect,
};
pub use load_csv::{parse_load, parse_load_csv, LoadCurve};
pub use run_options::{describe_spec, HpaRunOptions, KubeVersion, OptionKey, Replay};
pub use spec::{
    parse_manifest, read_manifest, HpaSpec, ManifestError, ManifestRead, PolicyType, Quantity,
    SelectPolicy,
};
pub use workload::{simulate, simulate_cpu, CpuWorkload, OtherLoads};
