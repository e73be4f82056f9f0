//! Traffic: load profiles composed as a tree, and request classes (stage 2 of
//! [`step()`](super::step()); docs/models.md#traffic).
//!
//! ```text
//!   Product ─┬─ Diurnal(mean 1000 rps, ±50 %)        rate(t) [req/s]
//!            └─ Spike(×10, up 60 s, hold 2 h, down 5 m)   │
//!                                                         ▼
//!            classes: browse 70 % · checkout 10 % · api 20 %  ──▶ Poisson per tick
//! ```
//!
//! A profile is a function of simulated time `t_s` only: it is defined for every t,
//! so a run longer than the scenario simply continues the base shape (a spike is
//! over, a diurnal cycle repeats). Leaves are either rates [req/s] (constant,
//! diurnal, ramp, load tests) or dimensionless multipliers (spike, flash crowd);
//! compose them with `sum` and `product`.

use serde::{Deserialize, Serialize};

/// Shapes of load tests: load, stress, soak, spike (docs/models.md#traffic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadTestShape {
    /// Sustained `peak_rps` for the test's duration ("normal/expected load").
    Load,
    /// Linear climb from `base_rps` to `peak_rps` over the duration, to find the breaking point.
    Stress,
    /// Long sustained `peak_rps` (look for leaks): the same shape as `load`, usually for 24 h.
    Soak,
    /// Triangle burst: up to `peak_rps` at mid-test and back down.
    Spike,
}
crate::named_enum!(LoadTestShape {
    Load = "load",
    Stress = "stress",
    Soak = "soak",
    Spike = "spike",
});

/// A traffic profile: a tree of shapes. Rates are [req/s], multipliers are dimensionless.
/// Tagged by `kind` through [`super::tagged`], like [`Action`](super::inputs::Action).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
pub enum Profile {
    /// A flat rate [req/s].
    Constant {
        /// [req/s]
        rps: f64,
    },
    /// A daily sine: `mean_rps × (1 + amplitude × cos(2π (t − peak_at_s)/period_s))`.
    Diurnal {
        /// Mean rate [req/s].
        mean_rps: f64,
        /// Relative swing, 0..1 (0.5 = ±50 %).
        amplitude: f64,
        /// Cycle length [s], default one day.
        #[serde(default = "day_s")]
        period_s: f64,
        /// Time of the daily peak [s from start].
        #[serde(default)]
        peak_at_s: f64,
    },
    /// Linear change from `from_rps` to `to_rps` between `start_s` and `start_s + duration_s`.
    Ramp {
        /// [req/s] before and at `start_s`.
        from_rps: f64,
        /// [req/s] at and after the end.
        to_rps: f64,
        /// [s]
        start_s: f64,
        /// [s]
        duration_s: f64,
    },
    /// A multiplier: 1 outside the spike, `multiplier` while it holds, linear ramps.
    Spike {
        /// Peak multiplier (10 = ten times the base).
        multiplier: f64,
        /// Start of the ramp-up [s].
        start_s: f64,
        /// Ramp-up time [s] (0 = a step).
        #[serde(default)]
        ramp_up_s: f64,
        /// Time at the peak [s].
        hold_s: f64,
        /// Ramp-down time [s] (0 = a step).
        #[serde(default)]
        ramp_down_s: f64,
    },
    /// A multiplier for a flash crowd: a fast rise to `multiplier`, then an exponential
    /// decay back towards 1 with time constant `decay_s`.
    FlashCrowd {
        /// Peak multiplier.
        multiplier: f64,
        /// [s]
        start_s: f64,
        /// Rise time [s].
        #[serde(default = "flash_rise_s")]
        rise_s: f64,
        /// Decay time constant [s].
        decay_s: f64,
    },
    /// A load test ([`LoadTestShape`]): `base_rps` outside the test window.
    LoadTest {
        /// Which test.
        shape: LoadTestShape,
        /// [req/s] before and after the test.
        base_rps: f64,
        /// [req/s] reached by the test.
        peak_rps: f64,
        /// [s]
        start_s: f64,
        /// [s]
        duration_s: f64,
    },
    /// Sum of the parts' values.
    Sum {
        /// The parts.
        parts: Vec<Profile>,
    },
    /// Product of the parts' values (a rate times multipliers).
    Product {
        /// The parts.
        parts: Vec<Profile>,
    },
}

/// Grid points [`Profile::peak_over`] samples between the breakpoints.
pub const PEAK_GRID: usize = 10_000;

fn day_s() -> f64 {
    86_400.0
}
fn flash_rise_s() -> f64 {
    30.0
}

/// Linear interpolation of `x` in [0, 1] between `a` and `b`.
fn lerp(a: f64, b: f64, x: f64) -> f64 {
    a + (b - a) * x.clamp(0.0, 1.0)
}

// `Profile::serialize` / `Profile::deserialize` below are the derive's inherent
// (remote = "Self") functions, not these trait methods.
impl Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::tagged::serialize(self, serializer, "kind", Profile::serialize)
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::tagged::deserialize(deserializer, "kind", Profile::deserialize)
    }
}

impl Profile {
    /// When a spike's window ends [s]; `None` for a profile with no end of
    /// its own (the learner's spikes are dropped once over).
    pub fn spike_end_s(&self) -> Option<f64> {
        match self {
            Profile::Spike {
                start_s,
                ramp_up_s,
                hold_s,
                ramp_down_s,
                ..
            } => Some(start_s + ramp_up_s + hold_s + ramp_down_s),
            Profile::Constant { .. }
            | Profile::Diurnal { .. }
            | Profile::Ramp { .. }
            | Profile::FlashCrowd { .. }
            | Profile::LoadTest { .. }
            | Profile::Sum { .. }
            | Profile::Product { .. } => None,
        }
    }

    /// Whether it is a rate [req/s] rather than a multiplier (spike, flash
    /// crowd): a sum of rates is a rate; a product is a rate when exactly one
    /// of its parts is.
    pub fn is_rate(&self) -> bool {
        match self {
            Profile::Constant { .. }
            | Profile::Diurnal { .. }
            | Profile::Ramp { .. }
            | Profile::LoadTest { .. } => true,
            Profile::Spike { .. } | Profile::FlashCrowd { .. } => false,
            Profile::Sum { parts } => !parts.is_empty() && parts.iter().all(Profile::is_rate),
            Profile::Product { parts } => parts.iter().filter(|p| p.is_rate()).count() == 1,
        }
    }

    /// The first part written at `path` (`traffic.profile`) that does not make
    /// sense as traffic: an empty sum or product, a sum with a multiplier in it,
    /// a product with no rate or two, or a multiplier alone. Returns (its path,
    /// what to write instead).
    pub fn shape_problem(&self, path: &str) -> Option<(String, String)> {
        let at = |i: usize| format!("{path}.parts[{i}]");
        match self {
            Profile::Constant { .. }
            | Profile::Diurnal { .. }
            | Profile::Ramp { .. }
            | Profile::LoadTest { .. } => None,
            Profile::Spike { .. } | Profile::FlashCrowd { .. } => Some((
                path.to_string(),
                "is a multiplier (1 outside its window), not a rate: put it in a product with a rate, e.g. kind = \"product\", parts = [{ kind = \"constant\", rps = 800 }, this]".into(),
            )),
            Profile::Sum { parts } | Profile::Product { parts } if parts.is_empty() => Some((
                format!("{path}.parts"),
                "is empty: a sum or product needs at least one part".into(),
            )),
            Profile::Sum { parts } => parts.iter().enumerate().find_map(|(i, p)| {
                if p.is_rate() {
                    p.shape_problem(&at(i))
                } else {
                    Some((
                        at(i),
                        "is a multiplier, and a sum adds rates [req/s]: multiply it in a product instead".into(),
                    ))
                }
            }),
            Profile::Product { parts } => {
                let rates: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].is_rate()).collect();
                match rates.as_slice() {
                    [] => Some((
                        format!("{path}.parts"),
                        "has only multipliers: a product needs exactly one rate [req/s] for them to multiply".into(),
                    )),
                    [r] => parts
                        .iter()
                        .enumerate()
                        .find_map(|(i, p)| if i == *r { p.shape_problem(&at(i)) } else { p.multiplier_problem(&at(i)) }),
                    [_, second, ..] => Some((
                        at(*second),
                        "is a second rate: a product multiplies one rate [req/s] by multipliers; add rates in a sum".into(),
                    )),
                }
            }
        }
    }

    /// Like [`Profile::shape_problem`], for a part used as a multiplier.
    fn multiplier_problem(&self, path: &str) -> Option<(String, String)> {
        match self {
            Profile::Spike { .. } | Profile::FlashCrowd { .. } => None,
            Profile::Product { parts } if !parts.is_empty() => parts
                .iter()
                .enumerate()
                .find_map(|(i, p)| p.multiplier_problem(&format!("{path}.parts[{i}]"))),
            Profile::Constant { .. }
            | Profile::Diurnal { .. }
            | Profile::Ramp { .. }
            | Profile::LoadTest { .. }
            | Profile::Sum { .. }
            | Profile::Product { .. } => Some((
                path.to_string(),
                "is a rate where a multiplier belongs".into(),
            )),
        }
    }

    /// The highest value of the profile over `[0, end_s]` [req/s or ×]: the largest of
    /// its values at every part's breakpoints (a spike's corners, a ramp's ends, a
    /// diurnal peak) and on a grid of [`PEAK_GRID`] points. Between two points a
    /// product of ramps can rise a little higher; validation uses this to keep the
    /// rate within its documented maximum, so a small miss is harmless.
    pub fn peak_over(&self, end_s: f64) -> f64 {
        let end_s = end_s.max(0.0);
        let mut corners = Vec::new();
        self.breakpoints(end_s, &mut corners);
        let step = end_s / PEAK_GRID as f64;
        corners
            .into_iter()
            .chain((0..=PEAK_GRID).map(|i| i as f64 * step))
            .filter(|t| (0.0..=end_s).contains(t))
            .map(|t| self.value_at(t))
            .fold(0.0, f64::max)
    }

    /// Pushes the times at which a part's value turns (corners, ends, peaks) up to `end_s`.
    fn breakpoints(&self, end_s: f64, out: &mut Vec<f64>) {
        match self {
            Profile::Constant { .. } => {}
            Profile::Diurnal {
                period_s,
                peak_at_s,
                ..
            } => {
                let period = period_s.max(1.0);
                let first = peak_at_s - (peak_at_s / period).floor() * period;
                let peaks = ((end_s - first) / period).floor().clamp(0.0, 1000.0) as usize;
                out.extend((0..=peaks).map(|k| first + k as f64 * period));
            }
            Profile::Ramp {
                start_s,
                duration_s,
                ..
            }
            | Profile::LoadTest {
                start_s,
                duration_s,
                ..
            } => out.extend([*start_s, start_s + duration_s]),
            Profile::Spike {
                start_s,
                ramp_up_s,
                hold_s,
                ramp_down_s,
                ..
            } => out.extend([
                *start_s,
                start_s + ramp_up_s,
                start_s + ramp_up_s + hold_s,
                start_s + ramp_up_s + hold_s + ramp_down_s,
            ]),
            Profile::FlashCrowd {
                start_s, rise_s, ..
            } => out.extend([*start_s, start_s + rise_s]),
            Profile::Sum { parts } | Profile::Product { parts } => {
                for p in parts {
                    p.breakpoints(end_s, out);
                }
            }
        }
    }

    /// The profile's value at `t_s`: a rate [req/s] or a multiplier. Never negative.
    pub fn value_at(&self, t_s: f64) -> f64 {
        let v = match self {
            Profile::Constant { rps } => *rps,
            Profile::Diurnal {
                mean_rps,
                amplitude,
                period_s,
                peak_at_s,
            } => {
                let phase = std::f64::consts::TAU * (t_s - peak_at_s) / period_s.max(1.0);
                mean_rps * (1.0 + amplitude * libm::cos(phase))
            }
            Profile::Ramp {
                from_rps,
                to_rps,
                start_s,
                duration_s,
            } => {
                if *duration_s <= 0.0 {
                    if t_s < *start_s {
                        *from_rps
                    } else {
                        *to_rps
                    }
                } else {
                    lerp(*from_rps, *to_rps, (t_s - start_s) / duration_s)
                }
            }
            Profile::Spike {
                multiplier,
                start_s,
                ramp_up_s,
                hold_s,
                ramp_down_s,
            } => {
                let dt = t_s - start_s;
                let top = ramp_up_s + hold_s;
                if dt < 0.0 || dt >= top + ramp_down_s {
                    1.0
                } else if dt < *ramp_up_s {
                    lerp(1.0, *multiplier, dt / ramp_up_s)
                } else if dt < top {
                    *multiplier
                } else {
                    lerp(*multiplier, 1.0, (dt - top) / ramp_down_s)
                }
            }
            Profile::FlashCrowd {
                multiplier,
                start_s,
                rise_s,
                decay_s,
            } => {
                let dt = t_s - start_s;
                if dt < 0.0 {
                    1.0
                } else if dt < *rise_s {
                    lerp(1.0, *multiplier, dt / rise_s)
                } else {
                    1.0 + (multiplier - 1.0) * libm::exp(-(dt - rise_s) / decay_s.max(1e-9))
                }
            }
            Profile::LoadTest {
                shape,
                base_rps,
                peak_rps,
                start_s,
                duration_s,
            } => {
                let x = (t_s - start_s) / duration_s.max(1e-9);
                if !(0.0..1.0).contains(&x) {
                    *base_rps
                } else {
                    match shape {
                        LoadTestShape::Load | LoadTestShape::Soak => *peak_rps,
                        LoadTestShape::Stress => lerp(*base_rps, *peak_rps, x),
                        LoadTestShape::Spike => {
                            lerp(*base_rps, *peak_rps, 1.0 - (2.0 * x - 1.0).abs())
                        }
                    }
                }
            }
            Profile::Sum { parts } => parts.iter().map(|p| p.value_at(t_s)).sum(),
            Profile::Product { parts } => parts.iter().map(|p| p.value_at(t_s)).product(),
        };
        if v.is_finite() {
            v.max(0.0)
        } else {
            0.0
        }
    }

    /// Pushes the times in (`a`, `b`) where the value or its slope jumps (a
    /// spike's corners, a ramp's ends, a load test's window) [s].
    pub fn kinks_in(&self, a: f64, b: f64, out: &mut Vec<f64>) {
        let mut push = |t: f64| {
            if t > a && t < b {
                out.push(t);
            }
        };
        match self {
            Profile::Constant { .. } | Profile::Diurnal { .. } => {}
            Profile::Ramp {
                start_s,
                duration_s,
                ..
            } => {
                push(*start_s);
                push(start_s + duration_s);
            }
            Profile::Spike {
                start_s,
                ramp_up_s,
                hold_s,
                ramp_down_s,
                ..
            } => {
                push(*start_s);
                push(start_s + ramp_up_s);
                push(start_s + ramp_up_s + hold_s);
                push(start_s + ramp_up_s + hold_s + ramp_down_s);
            }
            Profile::FlashCrowd {
                start_s, rise_s, ..
            } => {
                push(*start_s);
                push(start_s + rise_s);
            }
            Profile::LoadTest {
                shape,
                start_s,
                duration_s,
                ..
            } => {
                push(*start_s);
                push(start_s + duration_s);
                match shape {
                    LoadTestShape::Spike => push(start_s + duration_s / 2.0),
                    LoadTestShape::Load | LoadTestShape::Soak | LoadTestShape::Stress => {}
                }
            }
            Profile::Sum { parts } | Profile::Product { parts } => {
                for part in parts {
                    part.kinks_in(a, b, out);
                }
            }
        }
    }

    /// The shortest time over which the value curves within [`a`, `b`] [s]: a
    /// sixteenth of a diurnal period, a quarter of a flash crowd's decay while
    /// it lasts; infinite where it is straight (a product of straight parts is
    /// a polynomial Simpson's rule integrates exactly).
    pub fn curve_step_s(&self, a: f64, b: f64) -> f64 {
        match self {
            Profile::Constant { .. }
            | Profile::Ramp { .. }
            | Profile::Spike { .. }
            | Profile::LoadTest { .. } => f64::INFINITY,
            Profile::Diurnal { period_s, .. } => period_s.max(1.0) / 16.0,
            Profile::FlashCrowd {
                start_s,
                rise_s,
                decay_s,
                ..
            } => {
                // After 20 decay times the crowd is gone to within 2e-9.
                let from = start_s + rise_s;
                if b <= from || a >= from + 20.0 * decay_s {
                    f64::INFINITY
                } else {
                    decay_s.max(1e-9) / 4.0
                }
            }
            Profile::Sum { parts } | Profile::Product { parts } => parts
                .iter()
                .map(|p| p.curve_step_s(a, b))
                .fold(f64::INFINITY, f64::min),
        }
    }

    /// A problem with the profile's parameters, as (field, message), or `None`.
    pub fn check(&self) -> Option<(&'static str, String)> {
        let neg = |name: &'static str, v: f64| {
            (!(v.is_finite() && v >= 0.0)).then(|| (name, format!("must be ≥ 0, got {v}")))
        };
        match self {
            Profile::Constant { rps } => neg("rps", *rps),
            Profile::Diurnal {
                mean_rps,
                amplitude,
                period_s,
                ..
            } => neg("mean_rps", *mean_rps)
                .or_else(|| neg("amplitude", *amplitude))
                .or_else(|| {
                    (*period_s <= 0.0).then(|| ("period_s", "must be above 0 s".to_string()))
                }),
            Profile::Ramp {
                from_rps,
                to_rps,
                duration_s,
                ..
            } => neg("from_rps", *from_rps)
                .or_else(|| neg("to_rps", *to_rps))
                .or_else(|| neg("duration_s", *duration_s)),
            Profile::Spike {
                multiplier,
                ramp_up_s,
                hold_s,
                ramp_down_s,
                ..
            } => neg("multiplier", *multiplier)
                .or_else(|| neg("ramp_up_s", *ramp_up_s))
                .or_else(|| neg("hold_s", *hold_s))
                .or_else(|| neg("ramp_down_s", *ramp_down_s)),
            Profile::FlashCrowd {
                multiplier,
                rise_s,
                decay_s,
                ..
            } => neg("multiplier", *multiplier)
                .or_else(|| neg("rise_s", *rise_s))
                .or_else(|| {
                    (*decay_s <= 0.0).then(|| ("decay_s", "must be above 0 s".to_string()))
                }),
            Profile::LoadTest {
                base_rps,
                peak_rps,
                duration_s,
                ..
            } => neg("base_rps", *base_rps)
                .or_else(|| neg("peak_rps", *peak_rps))
                .or_else(|| {
                    (*duration_s <= 0.0).then(|| {
                        (
                            "duration_s",
                            "a load test must last longer than 0 s (a ramp may take 0 s: a step)"
                                .to_string(),
                        )
                    })
                }),
            Profile::Sum { parts } | Profile::Product { parts } => {
                parts.iter().find_map(|p| p.check())
            }
        }
    }
}

/// Most Simpson pieces one tick's mean is taken over (a 60 s tick of a
/// one-minute diurnal cycle takes 16).
const MAX_PIECES: usize = 64;

/// The mean rate over the tick [`a`, `b`) of `profile` times the `spikes`
/// multipliers [req/s]: the arrivals of the tick are this times its length, so
/// a spike shorter than a tick counts for the part of the tick it holds, and a
/// cycle shorter than a tick averages out, instead of one instant standing for
/// the tick. Split at every kink (`kinks`: reused scratch, no allocation once
/// warm), each straight stretch by Simpson's rule (exact for products of up to
/// three straight parts), curved ones in pieces of [`Profile::curve_step_s`].
pub fn tick_mean_rate(
    profile: &Profile,
    spikes: &[Profile],
    a: f64,
    b: f64,
    kinks: &mut Vec<f64>,
) -> f64 {
    let value = |t: f64| {
        let mut v = profile.value_at(t);
        for s in spikes {
            v *= s.value_at(t);
        }
        v
    };
    if b <= a {
        return value(a);
    }
    kinks.clear();
    profile.kinks_in(a, b, kinks);
    for s in spikes {
        s.kinks_in(a, b, kinks);
    }
    kinks.sort_by(f64::total_cmp);
    kinks.push(b);
    let mut integral = 0.0;
    let mut x0 = a;
    for &x1 in kinks.iter() {
        if x1 <= x0 {
            continue;
        }
        // Just inside the stretch: a step at a kink belongs to one side only.
        let step = spikes
            .iter()
            .map(|s| s.curve_step_s(x0, x1))
            .fold(profile.curve_step_s(x0, x1), f64::min);
        let pieces = ((x1 - x0) / step).ceil().clamp(1.0, MAX_PIECES as f64) as usize;
        let h = (x1 - x0) / pieces as f64;
        let edge = h * 1e-9;
        for k in 0..pieces {
            let lo = x0 + h * k as f64;
            let hi = lo + h;
            let mid = 0.5 * (lo + hi);
            integral += h / 6.0 * (value(lo + edge) + 4.0 * value(mid) + value(hi - edge));
        }
        x0 = x1;
    }
    let mean = integral / (b - a);
    if mean.is_finite() {
        mean.max(0.0)
    } else {
        0.0
    }
}

/// A class of requests: its share of the traffic, priority and CPU cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestClass {
    /// Name shown in charts ("browse", "checkout", "api").
    pub name: String,
    /// Share of the total rate (shares are normalised to sum to 1).
    pub share: f64,
    /// Priority: higher is more important (used by load shedding).
    #[serde(default)]
    pub priority: u8,
    /// CPU time one request needs on a warm pod [ms].
    pub cpu_ms: f64,
    /// Data reads one request makes (through the cache when there is one, else the database) [queries].
    #[serde(default)]
    pub reads: f64,
    /// Database writes one request makes [queries].
    #[serde(default)]
    pub writes: f64,
    /// Events one request publishes to the Kafka topic [events].
    #[serde(default)]
    pub publishes: f64,
    /// Calls one request makes to the external dependency (payment provider) [calls].
    #[serde(default)]
    pub external_calls: f64,
}

/// The traffic of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficConfig {
    /// The load profile: total requests [req/s] over time.
    pub profile: Profile,
    /// Seeded Poisson noise on the arrivals per tick (false = the exact expected rate).
    #[serde(default = "yes")]
    pub noise: bool,
    /// Request classes; default one class "web" of 50 ms CPU.
    #[serde(default = "default_classes")]
    pub classes: Vec<RequestClass>,
}

impl TrafficConfig {
    /// The request classes' names, in order (what `[[flags]]`, `[rate_limit]` and the
    /// shedder name a class by).
    pub fn class_names(&self) -> Vec<&str> {
        self.classes.iter().map(|c| c.name.as_str()).collect()
    }
}

fn yes() -> bool {
    true
}

/// One class "web", 50 ms of CPU per request.
pub fn default_classes() -> Vec<RequestClass> {
    vec![RequestClass {
        name: "web".into(),
        share: 1.0,
        priority: 1,
        cpu_ms: 50.0,
        reads: 0.0,
        writes: 0.0,
        publishes: 0.0,
        external_calls: 0.0,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mean of `f` over [a, b] by a fine midpoint sum (the reference).
    fn fine_mean(p: &Profile, spikes: &[Profile], a: f64, b: f64) -> f64 {
        let n = 200_000;
        let h = (b - a) / n as f64;
        (0..n)
            .map(|k| {
                let t = a + h * (k as f64 + 0.5);
                spikes.iter().fold(p.value_at(t), |v, s| v * s.value_at(t))
            })
            .sum::<f64>()
            / n as f64
    }

    #[test]
    fn a_ticks_rate_is_the_profiles_mean_over_the_tick() {
        let rate = Profile::Constant { rps: 1000.0 };
        let spike = |start_s: f64, hold_s: f64| Profile::Spike {
            multiplier: 100.0,
            start_s,
            ramp_up_s: 0.0,
            hold_s,
            ramp_down_s: 0.0,
        };
        let mut kinks = Vec::new();
        // A 40 s spike inside a 60 s tick counts for 40 s of it (the newcomer's
        // case: one sample at the tick's start missed it).
        let m = tick_mean_rate(&rate, &[spike(70.0, 40.0)], 60.0, 120.0, &mut kinks);
        assert!(
            (m - 1000.0 * (20.0 + 100.0 * 40.0) / 60.0).abs() < 1e-6,
            "{m}"
        );
        // A 1 s spike at the tick's start counts for 1 s, not the whole tick.
        let m = tick_mean_rate(&rate, &[spike(60.0, 1.0)], 60.0, 120.0, &mut kinks);
        assert!((m - 1000.0 * (59.0 + 100.0) / 60.0).abs() < 1e-6, "{m}");
        // A cycle shorter than the tick averages to its mean.
        let d = Profile::Diurnal {
            mean_rps: 1000.0,
            amplitude: 1.0,
            period_s: 1.0,
            peak_at_s: 0.0,
        };
        let m = tick_mean_rate(&d, &[], 0.0, 1.0, &mut kinks);
        assert!((m - 1000.0).abs() < 1.0, "{m}");
    }

    #[test]
    fn the_tick_mean_matches_a_fine_sum_for_every_kind() {
        let flash = Profile::FlashCrowd {
            multiplier: 8.0,
            start_s: 13.0,
            rise_s: 3.0,
            decay_s: 7.0,
        };
        let day = Profile::Diurnal {
            mean_rps: 500.0,
            amplitude: 0.6,
            period_s: 120.0,
            peak_at_s: 30.0,
        };
        let profiles = [
            Profile::Ramp {
                from_rps: 10.0,
                to_rps: 90.0,
                start_s: 5.0,
                duration_s: 17.0,
            },
            Profile::LoadTest {
                shape: LoadTestShape::Spike,
                base_rps: 100.0,
                peak_rps: 900.0,
                start_s: 3.0,
                duration_s: 31.0,
            },
            Profile::Product {
                parts: vec![day.clone(), flash.clone()],
            },
            Profile::Sum {
                parts: vec![
                    day,
                    Profile::Product {
                        parts: vec![Profile::Constant { rps: 50.0 }, flash],
                    },
                ],
            },
        ];
        let spikes = [Profile::Spike {
            multiplier: 3.0,
            start_s: 20.0,
            ramp_up_s: 4.0,
            hold_s: 2.5,
            ramp_down_s: 6.0,
        }];
        let mut kinks = Vec::new();
        for p in &profiles {
            for (a, b) in [(0.0, 60.0), (10.0, 11.0), (14.5, 44.5)] {
                let got = tick_mean_rate(p, &spikes, a, b, &mut kinks);
                let want = fine_mean(p, &spikes, a, b);
                assert!(
                    (got - want).abs() <= 1e-4 * want.max(1.0),
                    "{p:?} over [{a}, {b}]: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn a_ten_times_spike_multiplies_the_base_while_it_holds() {
        let p = Profile::Product {
            parts: vec![
                Profile::Constant { rps: 1000.0 },
                Profile::Spike {
                    multiplier: 10.0,
                    start_s: 60.0,
                    ramp_up_s: 0.0,
                    hold_s: 7200.0,
                    ramp_down_s: 0.0,
                },
            ],
        };
        assert_eq!(p.value_at(0.0), 1000.0);
        assert_eq!(p.value_at(60.0), 10_000.0);
        assert_eq!(p.value_at(7259.0), 10_000.0);
        assert_eq!(p.value_at(7260.0), 1000.0);
    }

    #[test]
    fn a_spike_ramps_linearly_up_and_down() {
        let s = Profile::Spike {
            multiplier: 5.0,
            start_s: 0.0,
            ramp_up_s: 100.0,
            hold_s: 100.0,
            ramp_down_s: 100.0,
        };
        assert_eq!(s.value_at(50.0), 3.0);
        assert_eq!(s.value_at(150.0), 5.0);
        assert_eq!(s.value_at(250.0), 3.0);
    }

    #[test]
    fn diurnal_peaks_at_its_peak_time_and_bottoms_half_a_day_later() {
        let d = Profile::Diurnal {
            mean_rps: 100.0,
            amplitude: 0.5,
            period_s: 86_400.0,
            peak_at_s: 3600.0,
        };
        assert!((d.value_at(3600.0) - 150.0).abs() < 1e-9);
        assert!((d.value_at(3600.0 + 43_200.0) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn a_stress_test_climbs_to_the_breaking_point() {
        let s = Profile::LoadTest {
            shape: LoadTestShape::Stress,
            base_rps: 1000.0,
            peak_rps: 5000.0,
            start_s: 0.0,
            duration_s: 100.0,
        };
        assert_eq!(s.value_at(50.0), 3000.0);
        assert_eq!(s.value_at(200.0), 1000.0);
    }

    #[test]
    fn a_flash_crowd_decays_back_to_the_base() {
        let f = Profile::FlashCrowd {
            multiplier: 8.0,
            start_s: 0.0,
            rise_s: 10.0,
            decay_s: 60.0,
        };
        assert_eq!(f.value_at(10.0), 8.0);
        assert!(f.value_at(1000.0) < 1.01);
    }

    #[test]
    fn a_misspelt_profile_field_is_refused() {
        let e = toml::from_str::<Profile>("kind = \"constant\"\nrps = 1.0\nrsp = 2.0").unwrap_err();
        assert!(e.to_string().contains("rsp"), "{e}");
    }

    #[test]
    fn profiles_deserialize_from_toml_trees() {
        let p: Profile = toml::from_str(
            r#"kind = "sum"
            parts = [{ kind = "constant", rps = 10.0 }, { kind = "ramp", from_rps = 0.0, to_rps = 10.0, start_s = 0.0, duration_s = 10.0 }]"#,
        )
        .unwrap();
        assert_eq!(p.value_at(5.0), 15.0);
    }
}
