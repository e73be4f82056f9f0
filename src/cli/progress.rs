//! Progress of a long run on standard error: after [`QUIET_S`] of wall time, how
//! much of the run is simulated, how long it took and about how long is left.
//! On a terminal one line is rewritten each second; in a log a line is written
//! every [`LOG_EVERY_S`]. Standard output (the summary) is not touched, and a
//! short run prints nothing.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::figures::duration_words;
use crate::sim::{run_until, World};

/// Wall time before the first progress line [s]: shorter runs stay silent. The
/// environment variable `SCALESIM_PROGRESS_AFTER_S` sets another (0: from the start).
pub const QUIET_S: f64 = 2.0;
/// Wall time between progress lines when standard error is not a terminal [s].
pub const LOG_EVERY_S: f64 = 10.0;

/// One progress line: "simulated 12 days of 400 days (3.0 %) in 5 s; about 2.7 min left".
pub fn line(done_s: f64, total_s: f64, wall_s: f64) -> String {
    let share = if total_s > 0.0 { done_s / total_s } else { 1.0 };
    format!(
        "simulated {} of {} ({:.1} %) in {}{}",
        duration_words(done_s),
        duration_words(total_s),
        100.0 * share,
        duration_words(wall_s),
        left_words(share, wall_s)
    )
}

/// "; about 2.7 min left" at `share` of the work done in `wall_s` [s]; nothing before a start.
fn left_words(share: f64, wall_s: f64) -> String {
    if share > 0.0 {
        format!(
            "; about {} left",
            duration_words(wall_s * (1.0 - share) / share)
        )
    } else {
        String::new()
    }
}

/// A progress line for work measured as a share: "judged 40.0 % of its runs in 6 s;
/// about 9 s left".
pub fn share_line(share: f64, wall_s: f64) -> String {
    format!(
        "judged {:.1} % of its runs in {}{}",
        100.0 * share,
        duration_words(wall_s),
        left_words(share, wall_s)
    )
}

/// Writes progress lines to standard error, as the module doc says.
pub struct Meter {
    start: Instant,
    next: Duration,
    every: Duration,
    terminal: bool,
    shown: bool,
}

impl Meter {
    /// A meter whose clock starts now.
    pub fn start() -> Meter {
        let terminal = std::io::stderr().is_terminal();
        Meter {
            start: Instant::now(),
            next: Duration::from_secs_f64(
                std::env::var("SCALESIM_PROGRESS_AFTER_S")
                    .ok()
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| v.is_finite() && *v >= 0.0 && *v < 1e9)
                    .unwrap_or(QUIET_S),
            ),
            every: Duration::from_secs_f64(if terminal { 1.0 } else { LOG_EVERY_S }),
            terminal,
            shown: false,
        }
    }

    /// Shows `text()` if a line is due; `text` gets the wall time [s].
    pub fn tick(&mut self, text: impl FnOnce(f64) -> String) {
        let wall = self.start.elapsed();
        if wall < self.next {
            return;
        }
        let text = text(wall.as_secs_f64());
        let mut err = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(err, "\r\x1b[2Kscalesim: {text}")
        } else {
            writeln!(err, "scalesim: {text}")
        };
        let _ = err.flush();
        self.shown = true;
        self.next = wall + self.every;
    }
}

impl Drop for Meter {
    /// Ends the rewritten terminal line, so what follows starts on its own.
    fn drop(&mut self) {
        if self.shown && self.terminal {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// Runs `w` to `until_s` [s of simulated time] like [`run_until`], writing
/// progress to standard error as the module doc says.
pub fn run_with_progress(w: &mut World, until_s: f64) {
    let mut meter = Meter::start();
    let from_s = w.now_s;
    let total_s = until_s - from_s;
    // A thousandth of the run at a time, at least one tick: the clock is read
    // between slices, never inside the tick loop.
    let slice_s = (total_s / 1000.0).max(w.scenario.run.tick_s);
    while w.now_s < until_s - 1e-9 {
        run_until(w, (w.now_s + slice_s).min(until_s));
        let done_s = w.now_s - from_s;
        meter.tick(|wall_s| line(done_s, total_s, wall_s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_gives_the_share_the_time_taken_and_the_time_left() {
        assert_eq!(
            line(12.0 * 86_400.0, 400.0 * 86_400.0, 5.0),
            "simulated 12 days of 400 days (3.0 %) in 5 s; about 2.7 min left"
        );
        assert_eq!(
            line(0.0, 600.0, 3.0),
            "simulated 0 s of 10 min (0.0 %) in 3 s"
        );
    }

    #[test]
    fn a_run_with_progress_ends_where_run_until_does() {
        let s = crate::scenario::load_built_in("reference")
            .unwrap()
            .unwrap();
        let (mut a, mut b) = (World::new(&s, 3).unwrap(), World::new(&s, 3).unwrap());
        run_with_progress(&mut a, 300.0);
        run_until(&mut b, 300.0);
        assert_eq!(a.now_s, b.now_s);
        assert_eq!(a.snapshot(), b.snapshot());
    }
}
