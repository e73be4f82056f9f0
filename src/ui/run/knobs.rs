//! The scenario's knobs: HPA bounds and target, behaviour policies, pause pods,
//! pre-scaling, LB algorithm and stickiness. A knob rewrites the scenario before
//! the world is built, so turning one re-simulates the run from t = 0.

use crate::scenario::Scenario;
use crate::sim::balancer::{LbAlgorithm, StickyConfig};
use crate::sim::hpa::spec::{
    HpaBehavior, HpaScalingPolicy, HpaScalingRules, MetricSourceType, MetricTargetType, PolicyType,
    SelectPolicy,
};
use crate::sim::settings::ScheduledMinimum;

/// One knob: a short URL key, a label, its range and how it reads and writes a scenario.
#[derive(Clone, Copy)]
pub struct KnobDef {
    /// Key in the URL (`hmax`).
    pub key: &'static str,
    /// Label shown to the learner.
    pub label: &'static str,
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
    /// Step of the input.
    pub step: f64,
    /// Names of the values, for choice knobs (index = value).
    pub choices: &'static [&'static str],
    /// The scenario's value; `None` when the knob does not apply (no HPA).
    pub read: fn(&Scenario) -> Option<f64>,
    /// Sets the value.
    pub write: fn(&mut Scenario, f64),
}

fn cpu_target(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    hpa.metrics.iter().find_map(|m| {
        let r = m.resource.as_ref()?;
        (m.source_type == MetricSourceType::Resource
            && r.name == "cpu"
            && r.target.target_type == MetricTargetType::Utilization)
            .then_some(f64::from(r.target.average_utilization?))
    })
}

fn set_cpu_target(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        for m in hpa.metrics.iter_mut() {
            if let Some(r) = m.resource.as_mut() {
                if r.name == "cpu" && r.target.target_type == MetricTargetType::Utilization {
                    r.target.average_utilization = Some(v as i32);
                }
            }
        }
    }
}

fn scale_up_pods(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    let pods = hpa
        .behavior
        .as_ref()
        .and_then(|b| b.scale_up.as_ref())
        .and_then(|r| r.policies.as_ref())
        .and_then(|p| p.iter().find(|p| p.policy_type == PolicyType::Pods))
        .map_or(4, |p| p.value);
    Some(f64::from(pods))
}

fn set_scale_up_pods(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        let behavior = hpa.behavior.get_or_insert_with(HpaBehavior::default);
        let rules = behavior
            .scale_up
            .get_or_insert_with(HpaScalingRules::default);
        rules.select_policy = Some(SelectPolicy::Max);
        rules.policies = Some(vec![HpaScalingPolicy {
            policy_type: PolicyType::Pods,
            value: v as i32,
            period_seconds: 15,
        }]);
    }
}

fn down_window(s: &Scenario) -> Option<f64> {
    let hpa = s.hpa.as_ref()?;
    let w = hpa
        .behavior
        .as_ref()
        .and_then(|b| b.scale_down.as_ref())
        .and_then(|r| r.stabilization_window_seconds)
        .unwrap_or(300);
    Some(f64::from(w))
}

fn set_down_window(s: &mut Scenario, v: f64) {
    if let Some(hpa) = s.hpa.as_mut() {
        let behavior = hpa.behavior.get_or_insert_with(HpaBehavior::default);
        behavior
            .scale_down
            .get_or_insert_with(HpaScalingRules::default)
            .stabilization_window_seconds = Some(v as i32);
    }
}

fn prescale(s: &Scenario) -> Option<f64> {
    Some(
        s.prescale
            .scheduled
            .iter()
            .find(|m| m.from_s <= 0.0)
            .map_or(0.0, |m| f64::from(m.min_replicas)),
    )
}

fn set_prescale(s: &mut Scenario, v: f64) {
    s.prescale.scheduled.retain(|m| m.from_s > 0.0);
    if v >= 1.0 {
        s.prescale.scheduled.insert(
            0,
            ScheduledMinimum {
                from_s: 0.0,
                until_s: s.run.duration_s,
                min_replicas: v as i32,
            },
        );
    }
}

const LB_ALGORITHMS: [LbAlgorithm; 4] = [
    LbAlgorithm::RoundRobin,
    LbAlgorithm::LeastOutstanding,
    LbAlgorithm::Weighted,
    LbAlgorithm::PowerOfTwo,
];

/// Every knob, in display order.
pub const KNOBS: [KnobDef; 9] = [
    KnobDef {
        key: "hmin",
        label: "HPA min replicas",
        min: 1.0,
        max: 100.0,
        step: 1.0,
        choices: &[],
        read: |s| s.hpa.as_ref().map(|h| f64::from(h.min_replicas)),
        write: |s, v| {
            if let Some(h) = s.hpa.as_mut() {
                h.min_replicas = v as i32;
            }
        },
    },
    KnobDef {
        key: "hmax",
        label: "HPA max replicas",
        min: 1.0,
        max: 200.0,
        step: 1.0,
        choices: &[],
        read: |s| s.hpa.as_ref().map(|h| f64::from(h.max_replicas)),
        write: |s, v| {
            if let Some(h) = s.hpa.as_mut() {
                h.max_replicas = v as i32;
            }
        },
    },
    KnobDef {
        key: "htgt",
        label: "HPA CPU target [%]",
        min: 10.0,
        max: 100.0,
        step: 5.0,
        choices: &[],
        read: cpu_target,
        write: set_cpu_target,
    },
    KnobDef {
        key: "hup",
        label: "Scale-up policy: pods added per 15 s",
        min: 1.0,
        max: 50.0,
        step: 1.0,
        choices: &[],
        read: scale_up_pods,
        write: set_scale_up_pods,
    },
    KnobDef {
        key: "hdw",
        label: "Scale-down stabilization window [s]",
        min: 0.0,
        max: 3600.0,
        step: 30.0,
        choices: &[],
        read: down_window,
        write: set_down_window,
    },
    KnobDef {
        key: "pause",
        label: "Pause pods (over-provisioning)",
        min: 0.0,
        max: 40.0,
        step: 1.0,
        choices: &[],
        read: |s| Some(f64::from(s.pause_pods.count)),
        write: |s, v| s.pause_pods.count = v as u32,
    },
    KnobDef {
        key: "pre",
        label: "Pre-scaling: min replicas for the whole run (0 = off)",
        min: 0.0,
        max: 100.0,
        step: 1.0,
        choices: &[],
        read: prescale,
        write: set_prescale,
    },
    KnobDef {
        key: "lb",
        label: "Load balancer algorithm",
        min: 0.0,
        max: 3.0,
        step: 1.0,
        choices: &[
            "round robin",
            "least outstanding requests",
            "weighted",
            "power of two choices",
        ],
        read: |s| {
            LB_ALGORITHMS
                .iter()
                .position(|a| *a == s.balancer.algorithm)
                .map(|i| i as f64)
        },
        write: |s, v| s.balancer.algorithm = LB_ALGORITHMS[(v as usize).min(3)],
    },
    KnobDef {
        key: "sticky",
        label: "Sticky sessions: share of requests [%] (0 = off)",
        min: 0.0,
        max: 100.0,
        step: 10.0,
        choices: &[],
        read: |s| {
            Some(
                s.balancer
                    .sticky
                    .as_ref()
                    .map_or(0.0, |c| c.fraction * 100.0),
            )
        },
        write: |s, v| {
            s.balancer.sticky = (v > 0.0).then(|| StickyConfig {
                fraction: v / 100.0,
                ..s.balancer.sticky.clone().unwrap_or_default()
            })
        },
    },
];

/// The knob with URL key `key`.
pub fn knob(key: &str) -> Option<&'static KnobDef> {
    KNOBS.iter().find(|k| k.key == key)
}
