//! `use_sim_loop`: owns the world and drives it from `requestAnimationFrame`.
//!
//! ```text
//!   rAF(ts) ──Pacer──▶ n ticks (time-boxed) ──▶ step(world) × n
//!                └─ every ≥ 1/30 s ──▶ Frame { snapshot, thinned series, annotations } ──▶ signals
//! ```
//!
//! The [`World`] lives in a [`StoredValue`] (outside the reactive graph): the
//! loop steps it hundreds of times a frame, and no signal fires per tick. The
//! UI subscribes to the published [`Frame`] only, through the handles of
//! [`super::sim_context`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::frame_stats;
use crate::model::run::{build_world, is_loaded, scenario_of, RunSpec, TimedAction};
use crate::model::sim_loop::{
    annotations_of, class_lines, decimate, Annotations, ChartData, ClassLines, Frame, KeepUp,
    LogLine, Pacer, Targets,
};
use crate::run::fetch_scenario;
use scalesim::sim::events::clock;
use scalesim::sim::inputs::effect::no_visible_effect;
use scalesim::sim::inputs::Action;
use scalesim::sim::world::World;
use scalesim::sim::{run_until, step};

/// The speeds the learner can pick [simulated s per wall s].
pub const SPEEDS: [f64; 5] = [1.0, 10.0, 60.0, 100.0, 1000.0];

/// Options of [`use_sim_loop_with_options`].
#[derive(Clone, Debug)]
pub struct SimLoopOptions {
    /// Most frames published per wall second.
    pub publish_hz: f64,
    /// Most time the loop may spend stepping per animation frame [ms].
    pub frame_budget_ms: f64,
    /// Most points per chart series.
    pub chart_points: usize,
}

impl Default for SimLoopOptions {
    fn default() -> Self {
        SimLoopOptions {
            publish_hz: 30.0,
            frame_budget_ms: 8.0,
            chart_points: 480,
        }
    }
}

/// The loop's private state: the world and the pacing, outside the reactive graph.
struct LoopState {
    world: Option<World>,
    /// Generation of `world`: bumped by every [`SimLoop::load`].
    world_gen: u64,
    /// Bumped by every [`SimLoop::open`]: a fetch that finishes after a later
    /// `open` opens nothing.
    opening: u64,
    pacer: Pacer,
    keep_up: KeepUp,
    last_ts_ms: Option<f64>,
    last_publish_ms: f64,
    seq: u64,
    events_seen: usize,
    annotations: Arc<Annotations>,
    targets: Arc<Targets>,
    zone_names: Vec<String>,
    regions: Vec<String>,
    dirty: bool,
}

/// What [`use_sim_loop`] returns: read the signals, call the methods. `Copy`.
/// The page's root keeps it; the components get narrow handles of it through
/// context ([`super::provide_sim_context`]).
#[derive(Clone, Copy)]
pub struct SimLoop {
    /// The last published frame (`None` before a run is loaded).
    pub frame: RwSignal<Option<Arc<Frame>>>,
    /// The timeline, oldest first.
    pub log: RwSignal<Vec<LogLine>>,
    /// Playing at `speed`.
    pub playing: RwSignal<bool>,
    /// Asked speed [× real time].
    pub speed: RwSignal<f64>,
    /// Running to the end as fast as the frame budget allows.
    pub to_end: RwSignal<bool>,
    /// The sim cannot keep up with the asked speed.
    pub behind: RwSignal<bool>,
    /// Achieved speed, smoothed [× real time].
    pub achieved: RwSignal<f64>,
    /// The run (scenario, seed, knobs, actions).
    pub spec: RwSignal<Option<RunSpec>>,
    /// The last problem (an action naming an unknown zone, a scenario file
    /// that could not be fetched…).
    pub error: RwSignal<Option<String>>,
    /// The title of the scenario being fetched ([`SimLoop::open`]); the run on
    /// screen goes on meanwhile.
    pub loading: RwSignal<Option<String>>,
    /// Why the learner's last action will show nothing on screen, and what to
    /// change ([`no_visible_effect`]); None when it will.
    pub notice: RwSignal<Option<String>>,
    state: StoredValue<LoopState, LocalStorage>,
    chart_points: usize,
}

impl SimLoop {
    fn publish_now(&self, force_log_reset: bool) {
        let points = self.chart_points;
        let live = self.playing.get_untracked() || self.to_end.get_untracked();
        let out = self.state.try_update_value(|s| {
            let w = s.world.as_ref()?;
            s.seq += 1;
            let snap = w.snapshot();
            let reset = force_log_reset || w.events.len() < s.events_seen;
            if reset {
                s.events_seen = 0;
            }
            let new_lines: Vec<LogLine> = w.events[s.events_seen..]
                .iter()
                .enumerate()
                .map(|(i, e)| LogLine::of(s.world_gen, s.events_seen + i, e, &s.zone_names))
                .collect();
            if !new_lines.is_empty() || reset {
                s.annotations = Arc::new(annotations_of(&w.events));
            }
            s.events_seen = w.events.len();
            s.dirty = false;
            let frame = Frame {
                world: s.world_gen,
                seq: s.seq,
                live,
                snap,
                edges: scalesim::sim::snapshot::edge_views(w),
                refusals: scalesim::sim::snapshot::class_refusals(w),
                degraded: crate::model::actions::DegradedMode::of(w),
                release: crate::model::actions::Release::of(w),
                experiments: crate::model::actions::Experiments::of(w),
                chart: Arc::new(ChartData {
                    classes: w
                        .class_refusals
                        .as_ref()
                        .map_or_else(ClassLines::default, |c| {
                            class_lines(c, &w.scenario.traffic.classes, points)
                        }),
                    ..decimate(&w.series, points)
                }),
                annotations: s.annotations.clone(),
                targets: s.targets.clone(),
                regions: s.regions.clone(),
            };
            Some((Arc::new(frame), new_lines, reset))
        });
        if let Some(Some((frame, lines, reset))) = out {
            if reset {
                self.log.set(lines);
            } else if !lines.is_empty() {
                self.log.update(|l| l.extend(lines));
            }
            self.frame.set(Some(frame));
        }
    }

    /// Loads a run: builds its world and replays it up to `spec.at_s`, paused.
    pub fn load(&self, spec: RunSpec) -> Result<(), String> {
        let world = build_world(&spec).and_then(|mut w| {
            if spec.at_s > w.scenario.run.duration_s {
                return Err(format!(
                    "the link is at {} but the run ends at {}",
                    clock(spec.at_s),
                    clock(w.scenario.run.duration_s)
                ));
            }
            run_until(&mut w, spec.at_s);
            Ok(w)
        })?;
        let targets = Arc::new(Targets::of(&world.scenario));
        self.state.update_value(|s| {
            s.zone_names = world.zones.iter().map(|z| z.name.clone()).collect();
            s.regions = world.regions.iter().map(|r| r.name.clone()).collect();
            s.targets = targets;
            s.pacer = Pacer::default();
            s.keep_up = KeepUp::default();
            s.world = Some(world);
            s.world_gen += 1;
        });
        self.playing.set(false);
        self.to_end.set(false);
        self.behind.set(false);
        self.error.set(None);
        self.notice.set(None);
        self.spec.set(Some(RunSpec { at_s: 0.0, ..spec }));
        self.publish_now(true);
        Ok(())
    }

    /// Opens `spec` like [`SimLoop::load`], fetching its scenario first when
    /// the page has not loaded it yet: meanwhile `loading` names it and the run
    /// on screen goes on. `then` gets the outcome, unless another `open` came
    /// first (the later choice wins). On an error nothing changes on screen.
    pub fn open(&self, spec: RunSpec, then: impl FnOnce(Result<(), String>) + 'static) {
        let Some(ticket) = self.state.try_update_value(|s| {
            s.opening += 1;
            s.opening
        }) else {
            return;
        };
        if is_loaded(&spec.scenario) {
            self.loading.set(None);
            then(self.load(spec));
            return;
        }
        let title = scalesim::scenario::built_in_title(&spec.scenario).unwrap_or(&spec.scenario);
        self.loading.set(Some(title.to_string()));
        let sim = *self;
        leptos::task::spawn_local(async move {
            let fetched = fetch_scenario(&spec.scenario).await;
            // The page moved on (a later `open`, or this loop was disposed).
            if sim.state.try_with_value(|s| s.opening) != Some(ticket) {
                return;
            }
            sim.loading.set(None);
            then(fetched.and_then(|_| sim.load(spec)));
        });
    }

    /// Runs `f` each time another scenario opens (not for a new seed or knob
    /// of the same one, nor for the page's first scenario, which may arrive
    /// after a fetch): what belonged to the old world stops applying.
    pub fn on_new_scenario(&self, f: impl Fn() + Send + Sync + 'static) {
        let spec = self.spec;
        // Effect: compares the scenario name with the one it saw last.
        Effect::new(move |prev: Option<Option<String>>| {
            let scenario = spec.with(|s| s.as_ref().map(|s| s.scenario.clone()));
            if let Some(Some(before)) = &prev {
                if scenario.as_ref() != Some(before) {
                    f();
                }
            }
            scenario
        });
    }

    /// Simulated time now [s].
    pub fn now_s(&self) -> f64 {
        self.state
            .with_value(|s| s.world.as_ref().map_or(0.0, |w| w.now_s))
    }

    /// The run as it stands, with the current time, for a shareable link.
    pub fn shareable(&self) -> Option<RunSpec> {
        let now = self.now_s();
        self.spec
            .get_untracked()
            .map(|s| RunSpec { at_s: now, ..s })
    }

    /// Takes `action` now: queued in the world and recorded in the run.
    pub fn act(&self, action: Action) {
        let result = self.state.try_update_value(|s| {
            let w = s.world.as_mut().ok_or("no run is loaded")?;
            let at_s = w.now_s;
            self.notice.set(no_visible_effect(w, &action));
            w.push_action(at_s, action.clone())
                .map_err(|e| e.to_string())?;
            s.dirty = true;
            Ok::<f64, String>(at_s)
        });
        match result {
            Some(Ok(at_s)) => {
                self.spec.update(|s| {
                    if let Some(s) = s {
                        s.actions.push(TimedAction { at_s, action });
                    }
                });
                if !self.playing.get_untracked() {
                    // Apply it at once so a paused learner sees the effect.
                    self.step_once();
                }
            }
            Some(Err(e)) => self.error.set(Some(e.to_string())),
            None => {}
        }
    }

    /// One tick forward, paused.
    pub fn step_once(&self) {
        self.to_end.set(false);
        self.state.update_value(|s| {
            if let Some(w) = s.world.as_mut() {
                if w.now_s < w.scenario.run.duration_s {
                    step(w);
                }
            }
        });
        self.publish_now(false);
    }

    /// Goes to `t_s`: forward by simulating, backward by re-simulating from the seed and the actions.
    pub fn scrub_to(&self, t_s: f64) {
        let Some(spec) = self.spec.get_untracked() else {
            return;
        };
        let now = self.now_s();
        let backward = t_s < now;
        let rebuilt = if backward {
            match build_world(&spec) {
                Ok(w) => Some(w),
                Err(e) => {
                    self.error.set(Some(e));
                    return;
                }
            }
        } else {
            None
        };
        self.state.update_value(|s| {
            if let Some(w) = rebuilt {
                s.world = Some(w);
            }
            if let Some(w) = s.world.as_mut() {
                run_until(w, t_s.min(w.scenario.run.duration_s));
            }
        });
        self.publish_now(backward);
    }

    /// Sets knob `key` (None: back to the scenario's value) and re-simulates to the
    /// current time. A value the scenario refuses (the CLI's checks:
    /// [`scalesim::link::scenario_with_knobs`]) is the error, and the run stays as it was.
    pub fn set_knob(&self, key: &str, value: Option<f64>) -> Result<(), String> {
        let Some(mut spec) = self.spec.get_untracked() else {
            return Ok(());
        };
        match value {
            Some(v) => {
                spec.knobs.insert(key.to_string(), v);
            }
            None => {
                spec.knobs.remove(key);
            }
        }
        scenario_of(&spec)?;
        let playing = self.playing.get_untracked();
        let at_s = self.now_s();
        let loaded = self.load(RunSpec { at_s, ..spec });
        self.playing.set(playing);
        loaded
    }

    /// Plays at the chosen speed.
    pub fn play(&self) {
        self.to_end.set(false);
        self.playing.set(true);
    }

    /// Pauses.
    pub fn pause(&self) {
        self.playing.set(false);
        self.to_end.set(false);
        self.publish_now(false);
    }

    /// Runs to the end of the scenario as fast as the frame budget allows.
    pub fn run_to_end(&self) {
        self.playing.set(true);
        self.to_end.set(true);
    }

    /// One animation frame: step what the pacer owes (time-boxed), publish at most `publish_hz`.
    fn on_frame(&self, ts_ms: f64, options: &SimLoopOptions) {
        let playing = self.playing.get_untracked();
        let to_end = self.to_end.get_untracked();
        let speed = self.speed.get_untracked();
        let perf = window().performance();
        let budget = options.frame_budget_ms;
        let res = self.state.try_update_value(|s| {
            let dt_s = s
                .last_ts_ms
                .map_or(0.0, |l| ((ts_ms - l) / 1000.0).max(0.0));
            s.last_ts_ms = Some(ts_ms);
            let w = s.world.as_mut()?;
            if !(playing || to_end) {
                return Some((false, false, s.keep_up.achieved, s.dirty, 0, 0.0));
            }
            let end = w.scenario.run.duration_s;
            let tick = w.tick_s;
            let owed = if to_end {
                ((end - w.now_s) / tick).ceil().max(0.0) as u64
            } else {
                s.pacer.owe(dt_s, speed, tick)
            };
            let t0 = w.now_s;
            let start = perf.as_ref().map_or(0.0, |p| p.now());
            let mut ran = 0u64;
            while ran < owed && w.now_s < end {
                step(w);
                ran += 1;
                if ran.is_multiple_of(8) {
                    if let Some(p) = perf.as_ref() {
                        if p.now() - start > budget {
                            break;
                        }
                    }
                }
            }
            let finished = w.now_s >= end;
            let kept = to_end || finished || s.pacer.paid(ran, owed, tick);
            let behind = !to_end && s.keep_up.record(dt_s, w.now_s - t0, speed, kept);
            let step_ms = perf.as_ref().map_or(0.0, |p| p.now() - start);
            Some((
                behind,
                finished,
                s.keep_up.achieved,
                ran > 0 || s.dirty,
                ran,
                step_ms,
            ))
        });
        let Some(Some((behind, finished, achieved, changed, steps, step_ms))) = res else {
            return;
        };
        let frame_start = if frame_stats::recording() {
            perf.as_ref().map_or(0.0, |p| p.now()) - step_ms
        } else {
            0.0
        };
        if self.behind.get_untracked() != behind {
            self.behind.set(behind);
        }
        if finished && (playing || to_end) {
            self.playing.set(false);
            self.to_end.set(false);
        }
        let due = self
            .state
            .with_value(|s| ts_ms - s.last_publish_ms >= 1000.0 / options.publish_hz - 1.0);
        if changed && (due || finished) {
            self.state.update_value(|s| s.last_publish_ms = ts_ms);
            if (self.achieved.get_untracked() - achieved).abs() > 0.01 * speed {
                self.achieved.set(achieved);
            }
            let published = perf.as_ref().map_or(0.0, |p| p.now());
            self.publish_now(false);
            if frame_stats::recording() {
                let publish_ms = perf.as_ref().map_or(0.0, |p| p.now()) - published;
                frame_stats::record_frame(frame_start, steps, step_ms, publish_ms);
            }
        } else if frame_stats::recording() {
            frame_stats::record_frame(frame_start, steps, step_ms, 0.0);
        }
    }
}

/// The sim loop with default options.
pub fn use_sim_loop() -> SimLoop {
    use_sim_loop_with_options(SimLoopOptions::default())
}

/// The sim loop. The animation-frame loop stops on cleanup.
pub fn use_sim_loop_with_options(options: SimLoopOptions) -> SimLoop {
    let sim = SimLoop {
        frame: RwSignal::new(None),
        log: RwSignal::new(Vec::new()),
        playing: RwSignal::new(false),
        speed: RwSignal::new(10.0),
        to_end: RwSignal::new(false),
        behind: RwSignal::new(false),
        achieved: RwSignal::new(0.0),
        spec: RwSignal::new(None),
        error: RwSignal::new(None),
        loading: RwSignal::new(None),
        notice: RwSignal::new(None),
        state: StoredValue::new_local(LoopState {
            world: None,
            world_gen: 0,
            opening: 0,
            pacer: Pacer::default(),
            keep_up: KeepUp::default(),
            last_ts_ms: None,
            last_publish_ms: f64::NEG_INFINITY,
            seq: 0,
            events_seen: 0,
            annotations: Arc::new(Annotations::default()),
            targets: Arc::new(Targets::default()),
            zone_names: Vec::new(),
            regions: Vec::new(),
            dirty: false,
        }),
        chart_points: options.chart_points,
    };

    // The self-scheduling rAF callback: it holds itself through `slot` and
    // stops once `stopped` is set by the cleanup.
    type FrameFn = Closure<dyn FnMut(f64)>;
    let slot: Rc<RefCell<Option<FrameFn>>> = Rc::new(RefCell::new(None));
    let stopped = Rc::new(Cell::new(false));
    let request_id = Rc::new(Cell::new(0));
    {
        let slot2 = slot.clone();
        let stopped2 = stopped.clone();
        let id2 = request_id.clone();
        *slot.borrow_mut() = Some(Closure::new(move |ts: f64| {
            if stopped2.get() {
                return;
            }
            sim.on_frame(ts, &options);
            if let Some(cb) = slot2.borrow().as_ref() {
                if let Ok(id) = window().request_animation_frame(cb.as_ref().unchecked_ref()) {
                    id2.set(id);
                }
            }
        }));
    }
    if let Some(cb) = slot.borrow().as_ref() {
        if let Ok(id) = window().request_animation_frame(cb.as_ref().unchecked_ref()) {
            request_id.set(id);
        }
    }
    let keep = SendWrapper::new((slot, stopped, request_id));
    on_cleanup(move || {
        let (slot, stopped, request_id) = keep.take();
        stopped.set(true);
        let _ = window().cancel_animation_frame(request_id.get());
        slot.borrow_mut().take();
    });
    sim
}
