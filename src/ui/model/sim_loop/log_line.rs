//! One line of the timeline: the engine's event in plain words, and its kind.

use scalesim::sim::events::{KillCause, NodeRemoval, Scaler, SimEvent};

/// What an event is about, for colour and for the live region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// The learner's action or a scheduled fault.
    Action,
    /// An autoscaler decision.
    Scaling,
    /// Something broke.
    Failure,
    /// An SLO alert.
    Alert,
    /// Anything else.
    Info,
}

impl LogKind {
    /// CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Action => "action",
            LogKind::Scaling => "scaling",
            LogKind::Failure => "failure",
            LogKind::Alert => "alert",
            LogKind::Info => "info",
        }
    }

    /// The kind of `e`.
    pub fn of(e: &SimEvent) -> LogKind {
        match e {
            SimEvent::FaultInjected { .. }
            | SimEvent::FaultCleared { .. }
            | SimEvent::ActionIgnored { .. } => LogKind::Action,
            SimEvent::Scaled {
                by: Scaler::Hpa, ..
            }
            | SimEvent::Scaled { .. }
            | SimEvent::BoundsChanged { .. }
            | SimEvent::NodesRequested { .. }
            | SimEvent::RolloutStarted { .. }
            | SimEvent::RolloutComplete { .. }
            | SimEvent::CanaryStarted { .. }
            | SimEvent::CanaryStage { .. }
            | SimEvent::CanaryPromoted { .. }
            | SimEvent::BlueGreenStarted { .. }
            | SimEvent::BlueGreenSwitched { .. }
            | SimEvent::BlueGreenRetired { .. }
            | SimEvent::ExperimentStarted { .. }
            | SimEvent::ExperimentMethodStarted { .. }
            | SimEvent::ExperimentEnded { .. } => LogKind::Action,
            SimEvent::PodKilled {
                cause:
                    KillCause::Fault
                    | KillCause::OutOfMemory
                    | KillCause::NodeLost
                    | KillCause::CrashLoop,
                ..
            }
            | SimEvent::NodeRemoved {
                reason: NodeRemoval::Fault,
                ..
            }
            | SimEvent::PodsPending { .. } => LogKind::Failure,
            SimEvent::AlertFired { .. }
            | SimEvent::PolicyTierChanged { .. }
            | SimEvent::BreakerChanged { .. }
            | SimEvent::CanaryRolledBack { .. }
            | SimEvent::BlueGreenSwitchedBack { .. }
            | SimEvent::ExperimentAborted { .. } => LogKind::Alert,
            _ => LogKind::Info,
        }
    }
}

/// A timeline line.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// The world it belongs to (see [`Frame::world`](super::Frame::world)).
    pub world: u64,
    /// Index in the engine's log.
    pub index: usize,
    /// When [s].
    pub t_s: f64,
    /// "T+0:45 HPA: 3 → 7 pods (…)".
    pub text: String,
    /// Kind.
    pub kind: LogKind,
}

impl LogLine {
    /// The line of event number `index` of world `world`.
    pub fn of(world: u64, index: usize, e: &SimEvent, zone_names: &[String]) -> LogLine {
        // The engine's wording: the same line as the CLI's event log.
        LogLine {
            world,
            index,
            t_s: e.t_s(),
            text: e.describe_with(zone_names),
            kind: LogKind::of(e),
        }
    }
}
