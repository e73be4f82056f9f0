//! The retry controls, their pure part: what a call edge's client does now (the users'
//! clients, or the pods towards a dependency), as the controls show it, and the action
//! one change sends (`set_client_retries`, `set_client_breaker` with the edge).
//!
//! ```text
//!   snapshot (RetryView, breaker) or EdgeView ─▶ ClientPolicy ─┬─ shown by the controls
//!   a control changed ─▶ ClientChange ─────────────────────────┴─▶ ClientPolicy::action ─▶ Action
//! ```

use scalesim::scenario::ranges::range_of;
use scalesim::sim::inputs::Action;
use scalesim::sim::protection::{BackoffKind, CallEdge};
use scalesim::sim::resilience::backoff::Jitter;
use scalesim::sim::snapshot::RetryView;

/// The backoffs, in the order the control lists them.
pub const BACKOFFS: [BackoffKind; 3] = [
    BackoffKind::None,
    BackoffKind::Constant,
    BackoffKind::Exponential,
];

/// The jitters, in the order the control lists them.
pub const JITTERS: [Jitter; 4] = [
    Jitter::None,
    Jitter::Full,
    Jitter::Equal,
    Jitter::Decorrelated,
];

/// The range-table key of the attempts a learner may set.
const ATTEMPTS_KEY: &str = "events[].action.max_attempts";

/// What a call edge's client does now, as the controls show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientPolicy {
    /// Whose calls: the users' clients or the pods' (consumers') towards a dependency.
    pub edge: CallEdge,
    /// Attempts at most, the first included (1: no retries).
    pub max_attempts: u32,
    /// How the sleep between attempts grows.
    pub backoff: BackoffKind,
    /// Jitter on the sleep.
    pub jitter: Jitter,
    /// A retry budget caps the retries.
    pub budget: bool,
    /// The edge's circuit breaker is on.
    pub breaker: bool,
}

/// One control changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientChange {
    /// Max attempts.
    MaxAttempts(u32),
    /// Backoff.
    Backoff(BackoffKind),
    /// Jitter.
    Jitter(Jitter),
    /// Retry budget on or off.
    Budget(bool),
    /// Circuit breaker on or off.
    Breaker(bool),
}

impl ClientPolicy {
    /// The clients of a snapshot: their retry policy (`None`: one attempt, and the
    /// scenario format's defaults, exponential backoff without jitter, if they start to
    /// retry) and whether their breaker is on.
    pub fn of(edge: CallEdge, retries: Option<&RetryView>, breaker: bool) -> ClientPolicy {
        match retries {
            Some(r) => ClientPolicy {
                edge,
                max_attempts: r.max_attempts,
                backoff: r.backoff,
                jitter: r.jitter,
                budget: r.budget,
                breaker,
            },
            None => ClientPolicy {
                edge,
                max_attempts: 1,
                backoff: BackoffKind::Exponential,
                jitter: Jitter::None,
                budget: false,
                breaker,
            },
        }
    }

    /// The action `change` sends: the new value with the rest of the policy as it is.
    pub fn action(self, change: ClientChange) -> Action {
        let retries = |p: ClientPolicy| Action::SetClientRetries {
            edge: p.edge,
            max_attempts: p.max_attempts,
            backoff: p.backoff,
            jitter: p.jitter,
            budget: p.budget,
        };
        match change {
            ClientChange::MaxAttempts(n) => retries(ClientPolicy {
                max_attempts: n,
                ..self
            }),
            ClientChange::Backoff(backoff) => retries(ClientPolicy { backoff, ..self }),
            ClientChange::Jitter(jitter) => retries(ClientPolicy { jitter, ..self }),
            ClientChange::Budget(budget) => retries(ClientPolicy { budget, ..self }),
            ClientChange::Breaker(on) => Action::SetClientBreaker {
                edge: self.edge,
                on,
            },
        }
    }

    /// The fieldset's legend: whose calls it sets.
    pub fn legend(self) -> &'static str {
        match self.edge {
            CallEdge::Client => "Clients",
            CallEdge::Database => "Pods \u{2192} database",
            CallEdge::External => "Pods \u{2192} dependency",
            CallEdge::Consumer => "Consumers \u{2192} database",
            CallEdge::Cache => "Pods \u{2192} cache",
        }
    }

    /// Whether the edge can have a circuit breaker (the consumers have none: a write
    /// that fails every attempt is dead-lettered).
    pub fn has_breaker(self) -> bool {
        self.edge != CallEdge::Consumer
    }

    /// Whether the jitter control means anything: with no backoff there is no sleep
    /// to spread.
    pub fn jitter_applies(self) -> bool {
        self.backoff != BackoffKind::None
    }
}

/// The backoff named `text` ("exponential").
pub fn backoff_named(text: &str) -> Option<BackoffKind> {
    BACKOFFS.into_iter().find(|b| b.words() == text)
}

/// The jitter named `text` ("full").
pub fn jitter_named(text: &str) -> Option<Jitter> {
    JITTERS.into_iter().find(|j| j.words() == text)
}

/// The attempts typed in the field: a whole number within the range table's
/// `events[].action.max_attempts`, or why not, in the words of a refused link.
pub fn attempts_typed(text: &str) -> Result<u32, String> {
    let v = scalesim::link::finite_number(text).map_err(|e| format!("Max attempts {e}"))?;
    let range = range_of(ATTEMPTS_KEY).ok_or("Max attempts: no range for the field")?;
    if v.fract() != 0.0 || !range.admits(v) {
        return Err(format!(
            "Max attempts must be a whole number {} ({}), got {}",
            range.words(),
            range.why,
            scalesim::scenario::ranges::value_words(v)
        ));
    }
    Ok(v as u32)
}
