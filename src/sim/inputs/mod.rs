//! Inputs (stage 1 of the stepper): the scenario's scheduled events and the
//! learner's actions, kept apart from the world they change.
//!
//! ```text
//!   scenario [[events]] ─┐                         ┌─ effect: ignored, and why (one rule)
//!   learner, link,       ├─▶ queue ─(at_s, seq)─▶ apply ─▶ the world ─▶ SimEvent
//!   question setup ──────┘   names resolved once      └─ injections: what each fault holds, how it ends
//! ```
//!
//! | file           | what it holds                                                         |
//! |----------------|-----------------------------------------------------------------------|
//! | `action.rs`    | the `Action` enum and its parts (serde only), `Action::examples`      |
//! | `anatomy.rs`   | one exhaustive match: lifetime, fault targets held, tier, aim         |
//! | `queue.rs`     | the input queue, typed targets (`ZoneIx`, `RegionIx`), injections     |
//! | `effect.rs`    | why an action changes nothing (`ActionIgnored`), and why none shows   |
//! | `apply.rs`     | the exhaustive dispatcher                                             |
//! | `injections.rs`| how a fault ends: a timed end, a rollback, what each clears           |
//! | `clients.rs`   | the clients' retry policy and breaker as an action changes them       |
//! | `shedding.rs`  | load shedding as an action turns it on or off                         |
//! | `wording.rs`   | `describe`, `name`, fault, mode and resolution words                  |
//! | `code.rs`      | the stable short code of each action in a link                        |
//!
//! No match on `Action` or `FaultKind` here has a `_ =>` arm: a new variant
//! does not compile until each file says what it does with it.

pub mod action;
pub mod anatomy;
pub mod apply;
pub mod clients;
pub mod code;
pub mod effect;
mod injections;
pub mod queue;
pub mod shedding;
pub mod wording;

pub use action::{Action, ActionSource, FaultKind, LatencyTarget, PartitionScope, ScheduledAction};
pub use anatomy::{Aim, Anatomy, FaultTarget, Holds, Lifetime, PodFault, Tier};
pub use apply::apply_input;
pub use queue::{Input, InputQueue, RegionIx, Target, ZoneIx};
pub use wording::{mode_words, resolution_words, retry_policy_words};
