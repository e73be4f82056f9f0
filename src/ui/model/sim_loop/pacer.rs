//! Fixed-step pacing: how many ticks a frame owes, and whether the sim keeps up.
//!
//! ```text
//!   wall Δt × speed ──▶ debt [sim s] ──÷ tick──▶ steps owed ──time budget──▶ steps run
//!                                                   owed > run ⇒ debt dropped, "behind"
//! ```

/// The fixed-step accumulator.
#[derive(Clone, Debug, PartialEq)]
pub struct Pacer {
    /// Simulated time owed [s].
    pub debt_s: f64,
    /// Longest wall gap one frame may account for [s] (a hidden tab does not owe hours).
    pub max_frame_s: f64,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer {
            debt_s: 0.0,
            max_frame_s: 0.25,
        }
    }
}

impl Pacer {
    /// Adds `wall_dt_s` of wall time at `speed` and returns the whole ticks owed.
    pub fn owe(&mut self, wall_dt_s: f64, speed: f64, tick_s: f64) -> u64 {
        self.debt_s += wall_dt_s.clamp(0.0, self.max_frame_s) * speed;
        (self.debt_s / tick_s).floor().max(0.0) as u64
    }

    /// Records that `ran` of `owed` ticks ran. Returns false when the frame ran
    /// out of time: the rest of the debt is dropped, so the sim slows down
    /// instead of spiralling.
    pub fn paid(&mut self, ran: u64, owed: u64, tick_s: f64) -> bool {
        if ran < owed {
            self.debt_s = 0.0;
            false
        } else {
            self.debt_s -= ran as f64 * tick_s;
            true
        }
    }
}

/// The achieved speed, smoothed, and whether it falls short of the asked one.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct KeepUp {
    /// Smoothed simulated seconds per wall second.
    pub achieved: f64,
    /// Wall time spent short of the asked speed [s].
    pub short_for_s: f64,
}

impl KeepUp {
    /// Smoothing time constant [s].
    const TAU_S: f64 = 0.5;

    /// Records a frame of `wall_dt_s` that advanced `sim_dt_s` while `speed` was
    /// asked and whether the frame paid its debt. Returns true while the sim has
    /// been short for over half a second.
    pub fn record(&mut self, wall_dt_s: f64, sim_dt_s: f64, speed: f64, kept_up: bool) -> bool {
        if wall_dt_s > 0.0 {
            let a = (wall_dt_s / Self::TAU_S).min(1.0);
            self.achieved += a * (sim_dt_s / wall_dt_s - self.achieved);
        }
        if kept_up {
            self.short_for_s = 0.0;
        } else {
            self.short_for_s += wall_dt_s;
        }
        self.short_for_s > 0.5 && self.achieved < 0.9 * speed
    }
}
