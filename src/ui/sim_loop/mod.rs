//! The simulator loop: a `requestAnimationFrame` loop with a fixed-step
//! accumulator that owns the [`World`](scalesim::sim::World) outside the reactive
//! graph and publishes [`Frame`](crate::model::sim_loop::Frame)s (snapshots) at
//! most ~30 times a second. What it publishes and its pacing are in
//! [`crate::model::sim_loop`].

mod engine_speed;
pub mod frame_stats;
mod play_controls;
mod scenario_picker;
mod sim_context;
mod use_sim_loop;

pub use engine_speed::{reference_day_speed, EngineSpeed};
pub use play_controls::PlayControls;
pub use scenario_picker::ScenarioPicker;
pub use sim_context::{
    provide_sim_context, use_commands, use_frames, use_log, use_play_state, use_run, use_status,
    Commands, LogReader, PlayState, ReadOnly, RunReader, SnapshotReader, Status,
};
pub use use_sim_loop::{use_sim_loop, use_sim_loop_with_options, SimLoop, SimLoopOptions, SPEEDS};
