//! The sim loop as typed context: small handles, each for one need, provided
//! once under the page's root ([`provide_sim_context`]) and read by the
//! components with `use_frames()`, `use_commands()`… (each an
//! `expect_context` of the provided handles), instead of the whole
//! [`SimLoop`] as a prop.
//!
//! ```text
//!   App ── use_sim_loop ── provide_sim_context ──▶ use_frames     → SnapshotReader (the published frame: diagram, charts, panels)
//!                                                 use_run        → RunReader      (the run's spec: knobs, picker, intro)
//!                                                 use_play_state → PlayState      (playing, speed, keeping up: play controls)
//!                                                 use_log        → LogReader      (the timeline's lines: event log, announcer)
//!                                                 use_status     → Status         (loading, the last problem, an action's notice)
//!                                                 use_commands   → Commands       (act, open, load, scrub, knobs, play, pause)
//! ```
//!
//! Every handle is `Copy` (signals and the loop are arena handles), so a
//! component keeps it in as many closures as it likes.

use std::sync::Arc;

use leptos::prelude::*;

use super::SimLoop;
use crate::model::run::RunSpec;
use crate::model::sim_loop::{Frame, LogLine};
use scalesim::sim::inputs::Action;

/// One of the loop's signals, readable but not writable by whoever holds it.
/// It wraps the loop's own `RwSignal` (not a `ReadSignal`), so the wasm
/// carries one set of signal code per value type. `Copy`.
pub struct ReadOnly<T: Send + Sync + 'static>(RwSignal<T>);

impl<T: Send + Sync + 'static> Clone for ReadOnly<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for ReadOnly<T> {}

impl<T: Clone + Send + Sync + 'static> ReadOnly<T> {
    /// The value, tracked.
    pub fn get(&self) -> T {
        self.0.get()
    }

    /// The value, untracked.
    pub fn get_untracked(&self) -> T {
        self.0.get_untracked()
    }

    /// `f` of the value, tracked.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.0.with(f)
    }
}

/// The last published frame, read-only: what the diagram, charts and panels draw.
#[derive(Clone, Copy)]
pub struct SnapshotReader(RwSignal<Option<Arc<Frame>>>);

impl SnapshotReader {
    /// `f` of the frame (`None` before a run is loaded), tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Option<Arc<Frame>>) -> R) -> R {
        self.0.with(f)
    }

    /// `f` of the frame, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Option<Arc<Frame>>) -> R) -> R {
        self.0.with_untracked(f)
    }

    /// Simulated time of the frame [s] (0 before a run), tracked.
    pub fn t_s(&self) -> f64 {
        self.with(|f| f.as_ref().map_or(0.0, |f| f.snap.t_s))
    }
}

/// The run on screen (scenario, seed, knobs, actions), read-only.
#[derive(Clone, Copy)]
pub struct RunReader(RwSignal<Option<RunSpec>>);

impl RunReader {
    /// `f` of the run (`None` before one is loaded), tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Option<RunSpec>) -> R) -> R {
        self.0.with(f)
    }

    /// `f` of the run, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Option<RunSpec>) -> R) -> R {
        self.0.with_untracked(f)
    }

    /// The run, tracked.
    pub fn get(&self) -> Option<RunSpec> {
        self.0.get()
    }

    /// The run, untracked.
    pub fn get_untracked(&self) -> Option<RunSpec> {
        self.0.get_untracked()
    }
}

/// How the loop plays: the play controls' state. Only `speed` is the
/// learner's to set; the rest changes through [`Commands`].
#[derive(Clone, Copy)]
pub struct PlayState {
    /// Playing at `speed`.
    pub playing: ReadOnly<bool>,
    /// Asked speed [× real time].
    pub speed: RwSignal<f64>,
    /// Running to the end as fast as the frame budget allows.
    pub to_end: ReadOnly<bool>,
    /// The sim cannot keep up with the asked speed.
    pub behind: ReadOnly<bool>,
    /// Achieved speed, smoothed [× real time].
    pub achieved: ReadOnly<f64>,
}

/// The timeline's lines, oldest first, read-only.
#[derive(Clone, Copy)]
pub struct LogReader(RwSignal<Vec<LogLine>>);

impl LogReader {
    /// `f` of the lines, tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Vec<LogLine>) -> R) -> R {
        self.0.with(f)
    }

    /// `f` of the lines, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Vec<LogLine>) -> R) -> R {
        self.0.with_untracked(f)
    }
}

/// What the page says about the loop, read-only: a scenario on its way, the
/// last problem, and why the last action will show nothing.
#[derive(Clone, Copy)]
pub struct Status {
    /// The title of the scenario being fetched.
    pub loading: ReadOnly<Option<String>>,
    /// The last problem (an action naming an unknown zone, a scenario file
    /// that could not be fetched…); set with [`Commands::report`].
    pub error: ReadOnly<Option<String>>,
    /// Why the learner's last action will show nothing on screen, and what to change.
    pub notice: ReadOnly<Option<String>>,
}

/// What the components may ask of the loop: the commands of [`SimLoop`],
/// without its signals.
#[derive(Clone, Copy)]
pub struct Commands(SimLoop);

impl Commands {
    /// Takes `action` now ([`SimLoop::act`]).
    pub fn act(&self, action: Action) {
        self.0.act(action)
    }

    /// Loads a run, paused ([`SimLoop::load`]).
    pub fn load(&self, spec: RunSpec) -> Result<(), String> {
        self.0.load(spec)
    }

    /// Opens a run, fetching its scenario first if need be ([`SimLoop::open`]).
    pub fn open(&self, spec: RunSpec, then: impl FnOnce(Result<(), String>) + 'static) {
        self.0.open(spec, then)
    }

    /// Runs `f` each time another scenario opens ([`SimLoop::on_new_scenario`]).
    pub fn on_new_scenario(&self, f: impl Fn() + Send + Sync + 'static) {
        self.0.on_new_scenario(f)
    }

    /// The run with the current time, for a shareable link ([`SimLoop::shareable`]).
    pub fn shareable(&self) -> Option<RunSpec> {
        self.0.shareable()
    }

    /// Goes to `t_s` ([`SimLoop::scrub_to`]).
    pub fn scrub_to(&self, t_s: f64) {
        self.0.scrub_to(t_s)
    }

    /// Sets knob `key` or puts it back ([`SimLoop::set_knob`]).
    pub fn set_knob(&self, key: &str, value: Option<f64>) -> Result<(), String> {
        self.0.set_knob(key, value)
    }

    /// Plays at the chosen speed.
    pub fn play(&self) {
        self.0.play()
    }

    /// Pauses.
    pub fn pause(&self) {
        self.0.pause()
    }

    /// One tick forward, paused.
    pub fn step_once(&self) {
        self.0.step_once()
    }

    /// Runs to the end of the scenario.
    pub fn run_to_end(&self) {
        self.0.run_to_end()
    }

    /// Shows `problem` as the page's last problem ([`Status::error`]).
    pub fn report(&self, problem: String) {
        self.0.error.set(Some(problem))
    }
}

/// Every handle of one loop: provided as one context value (one lookup and one
/// monomorphized `expect_context` in the wasm, however many components read
/// it); a component takes the handle it needs with the `use_*` readers below.
#[derive(Clone, Copy)]
struct SimContext {
    frames: SnapshotReader,
    run: RunReader,
    play: PlayState,
    log: LogReader,
    status: Status,
    commands: Commands,
}

/// Provides the handles of `sim` to everything under the current owner.
pub fn provide_sim_context(sim: SimLoop) {
    provide_context(SimContext {
        frames: SnapshotReader(sim.frame),
        run: RunReader(sim.spec),
        play: PlayState {
            playing: ReadOnly(sim.playing),
            speed: sim.speed,
            to_end: ReadOnly(sim.to_end),
            behind: ReadOnly(sim.behind),
            achieved: ReadOnly(sim.achieved),
        },
        log: LogReader(sim.log),
        status: Status {
            loading: ReadOnly(sim.loading),
            error: ReadOnly(sim.error),
            notice: ReadOnly(sim.notice),
        },
        commands: Commands(sim),
    });
}

/// The provided handles; panics outside a page that called [`provide_sim_context`].
#[inline(never)]
fn sim_context() -> SimContext {
    expect_context::<SimContext>()
}

/// The snapshot reader, from context.
pub fn use_frames() -> SnapshotReader {
    sim_context().frames
}

/// The run reader, from context.
pub fn use_run() -> RunReader {
    sim_context().run
}

/// The play state, from context.
pub fn use_play_state() -> PlayState {
    sim_context().play
}

/// The timeline's lines, from context.
pub fn use_log() -> LogReader {
    sim_context().log
}

/// The page's status, from context.
pub fn use_status() -> Status {
    sim_context().status
}

/// The commands, from context.
pub fn use_commands() -> Commands {
    sim_context().commands
}
