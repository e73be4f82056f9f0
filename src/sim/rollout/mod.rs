//! Releases: versions of the application and the Deployment controller's rolling
//! update between them (docs/models.md#rolling-update).
//!
//! ```text
//!   [deployment] version = "v1"          [[versions]] name, error_rate, extra_latency_ms,
//!   max_surge, max_unavailable,                       cpu_factor, leak_mib_per_s, crash_loop
//!   min_ready_s
//!        │ rollout { version = "v2" }
//!        ▼
//!   ReplicaSets (one per version) ──sync every tick──▶ spec.replicas ──▶ pods of that version
//!        a pod serves with its version's behaviour (errors, latency, CPU, leak, crash loop)
//! ```
//!
//! Until the first rollout the Deployment keeps one ReplicaSet, of the starting version,
//! and the world runs exactly as without releases.

pub mod blue_green;
pub mod canary;
pub mod controller;
pub mod rolling;

use serde::{Deserialize, Serialize};

use crate::sim::topology::PodKind;
use crate::sim::world::World;

pub use rolling::{resolve_fenceposts, scale_proportionally, IntOrPercent, ReplicaSet, SyncStep};

/// Most versions a scenario may list (a pod stores its version in a byte).
pub const MAX_VERSIONS: usize = 16;

fn one() -> f64 {
    1.0
}

/// `[[versions]]`: how a release of the application behaves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSpec {
    /// Its name, as `[deployment] version` and the `rollout` action name it ("v2").
    pub name: String,
    /// Share of the requests it serves that fail (a bug) [0..1] (default 0).
    #[serde(default)]
    pub error_rate: f64,
    /// Latency it adds to every request [ms] (default 0).
    #[serde(default)]
    pub extra_latency_ms: f64,
    /// CPU per request against the scenario's [×] (default 1).
    #[serde(default = "one")]
    pub cpu_factor: f64,
    /// Memory its pods leak [MiB/s] (default 0): they are OOM-killed at the limit.
    #[serde(default)]
    pub leak_mib_per_s: f64,
    /// Its pods crash as they start, and restart with Kubernetes' back-off (10 s, doubling
    /// to 5 min): they never become ready (default false).
    #[serde(default)]
    pub crash_loop: bool,
}

impl VersionSpec {
    /// A version that behaves as the scenario's pods do.
    pub fn healthy(name: &str) -> Self {
        Self {
            name: name.to_string(),
            error_rate: 0.0,
            extra_latency_ms: 0.0,
            cpu_factor: 1.0,
            leak_mib_per_s: 0.0,
            crash_loop: false,
        }
    }
}

fn default_version() -> String {
    "v1".into()
}

fn quarter() -> IntOrPercent {
    IntOrPercent::Percent(25.0)
}

/// `[deployment]`: the version running at the start and the rolling-update strategy
/// (Kubernetes' `spec.strategy.rollingUpdate` and `spec.minReadySeconds`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentSpec {
    /// The version the pods run at the start (default "v1"; healthy unless
    /// `[[versions]]` lists it).
    #[serde(default = "default_version")]
    pub version: String,
    /// Pods a rollout may add over the desired count: a number or a share (default "25%",
    /// rounded up).
    #[serde(default = "quarter")]
    pub max_surge: IntOrPercent,
    /// Pods a rollout may leave unavailable: a number or a share (default "25%", rounded
    /// down; when both come to 0, one).
    #[serde(default = "quarter")]
    pub max_unavailable: IntOrPercent,
    /// How long a new pod must stay ready before it counts as available [s] (default 0).
    #[serde(default)]
    pub min_ready_s: f64,
}

impl Default for DeploymentSpec {
    fn default() -> Self {
        Self {
            version: default_version(),
            max_surge: quarter(),
            max_unavailable: quarter(),
            min_ready_s: 0.0,
        }
    }
}

/// The versions a world knows, the starting one first: `[deployment] version` (as
/// `[[versions]]` describes it, or healthy), then the rest of `[[versions]]` in order.
pub fn version_table(deployment: &DeploymentSpec, versions: &[VersionSpec]) -> Vec<VersionSpec> {
    let mut table = Vec::with_capacity(versions.len() + 1);
    table.push(VersionSpec::healthy(&deployment.version));
    for v in versions {
        if v.name == deployment.version {
            table[0] = v.clone();
        } else {
            table.push(v.clone());
        }
    }
    table
}

/// The rules of `[deployment]` and `[[versions]]` the range table cannot state; errors are
/// (field path, message).
pub fn validate(
    deployment: &DeploymentSpec,
    versions: &[VersionSpec],
) -> Result<(), (String, String)> {
    if deployment.version.trim().is_empty() {
        return Err((
            "deployment.version".into(),
            "is empty: name the starting version, such as \"v1\"".into(),
        ));
    }
    if versions.len() > MAX_VERSIONS {
        return Err((
            "versions".into(),
            format!("lists {} versions; at most {MAX_VERSIONS}", versions.len()),
        ));
    }
    for (i, v) in versions.iter().enumerate() {
        if v.name.trim().is_empty() {
            return Err((
                format!("versions[{i}].name"),
                "is empty: give the version a name such as \"v2\"".into(),
            ));
        }
        if versions[..i].iter().any(|o| o.name == v.name) {
            return Err((
                format!("versions[{i}].name"),
                format!("\"{}\" is listed twice", v.name),
            ));
        }
    }
    Ok(())
}

/// Where a rollout stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RolloutState {
    /// The ReplicaSets, oldest first; the last is the one the Deployment rolls to.
    pub sets: Vec<ReplicaSet>,
    /// When the rollout to the last set started [s].
    pub started_s: f64,
    /// Whether the last set has every replica and the others none (logged once).
    pub complete: bool,
    /// The desired replicas the sets were last sized for: a change mid-rollout (the HPA)
    /// resizes them in proportion ([`rolling::scale_proportionally`]).
    #[serde(default)]
    pub desired: i32,
    /// The canary under way, if any ([`canary`]).
    #[serde(default)]
    pub canary: Option<canary::CanaryRun>,
    /// Every canary analysis so far, oldest first (one per interval while a canary runs,
    /// and after a blue-green switch).
    #[serde(default)]
    pub analyses: Vec<canary::CanaryAnalysis>,
    /// The blue-green release under way, if any ([`blue_green`]).
    #[serde(default)]
    pub blue_green: Option<blue_green::BlueGreenRun>,
}

impl RolloutState {
    /// Before the first release: one ReplicaSet, of the starting version, with the
    /// `desired` replicas every live app pod makes up.
    pub fn single(desired: i32, now_s: f64) -> Self {
        Self {
            sets: vec![ReplicaSet {
                version: 0,
                replicas: desired,
                available: 0,
            }],
            started_s: now_s,
            complete: true,
            desired,
            canary: None,
            analyses: Vec::new(),
            blue_green: None,
        }
    }

    /// The two versions the load balancer splits between while a canary or a
    /// blue-green release runs: (stable or blue, canary or green, the second's share of
    /// the traffic [fraction]).
    pub fn traffic_split(&self, canary_spec: &canary::CanarySpec) -> Option<(u8, u8, f64)> {
        if let Some(c) = &self.canary {
            return Some((c.stable, c.version, c.weight(canary_spec)));
        }
        self.blue_green.map(|b| (b.blue, b.version, b.weight()))
    }

    /// The analysis window being filled (stable or blue side, then the new version's).
    pub fn window_mut(&mut self) -> Option<&mut [canary::SideWindow; 2]> {
        if let Some(c) = self.canary.as_mut() {
            return Some(&mut c.window);
        }
        self.blue_green.as_mut().map(|b| &mut b.window)
    }

    /// The version whose pods take no traffic (a staged green, or blue after the
    /// switch): the HPA does not measure them.
    pub fn idle_version(&self) -> Option<u8> {
        self.blue_green.map(|b| b.idle_version())
    }
}

/// What one pass over the app pods finds for a release: live pods per version, the
/// available pods of `version`, and its pods' highest memory and restarts.
#[derive(Clone, Copy, Debug)]
pub struct ReleaseScan {
    /// Live app pods per version.
    pub live: [i32; MAX_VERSIONS],
    /// Pods of the released version ready for at least `min_ready_s`.
    pub available: i32,
    /// Its pods' highest memory against their limit [%].
    pub memory_pct: f64,
    /// One of its pods restarted twice (CrashLoopBackOff).
    pub looping: bool,
}

/// One pass over the app pods for the release of `version` (no allocation).
pub fn scan(w: &World, version: u8) -> ReleaseScan {
    let now = w.now_s;
    let pod_spec = &w.scenario.topology.pod;
    let limit = pod_spec.memory_limit_mib.max(1) as f64;
    let min_ready = w.scenario.deployment.min_ready_s;
    let mut s = ReleaseScan {
        live: [0; MAX_VERSIONS],
        available: 0,
        memory_pct: 0.0,
        looping: false,
    };
    for (p, t) in w.pods.iter().zip(&w.pod_times) {
        if p.kind != PodKind::App || !p.is_live_app() {
            continue;
        }
        s.live[usize::from(p.version).min(MAX_VERSIONS - 1)] += 1;
        if p.version != version {
            continue;
        }
        s.memory_pct = s
            .memory_pct
            .max(100.0 * pod_spec.memory_in_use_mib(p.memory_mib, p.queue) / limit);
        s.looping |= p.restarts >= 2;
        let ready_for = t.last_ready_transition_s.map_or(0.0, |r| now - r);
        if p.state.is_ready() && ready_for >= min_ready {
            s.available += 1;
        }
    }
    s
}
