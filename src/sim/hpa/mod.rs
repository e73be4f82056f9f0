//! Kubernetes HorizontalPodAutoscaler (autoscaling/v2), ported from the controller's source
//! with its integer truncations and float arithmetic (docs/models.md#hpa).
//!
//! ```text
//!   HPA manifest ──spec──▶ HpaController ◀── HpaMetrics (pods, custom metrics)
//!                              │ reconcile every sync (15 s)
//!                              ▼
//!                         HpaDecision { replicas_after, limited_by }
//! ```
//!
//! - [`spec`]: the manifest, its API defaults and validation;
//! - [`calc`]: the replica calculator per metric type;
//! - [`controller`]: `reconcileAutoscaler`, the legacy and behavior paths;
//! - [`workload`]: the CPU workload model of the sequence vectors
//!   (docs/models.md#hpa-workload-model);
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
