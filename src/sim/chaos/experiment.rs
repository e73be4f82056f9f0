//! A chaos experiment as it is written down before it runs, in the shape of the
//! classic template (docs/models.md#chaos-experiments; the Principles of Chaos
//! Engineering, Chaos Toolkit's steady-state hypothesis, method and rollbacks):
//!
//! ```text
//!   hypothesis     what should stay true, in words
//!   steady_state   probes with tolerances over the engine's measures
//!                  (error_rate_pct max 0.1, p99_ms max 200, served_rps near 1000 ± 10 %)
//!   method         faults at times after the method starts ({ at_s, action })
//!   blast_radius   the share of traffic exposed; a zone or a region the faults stay in
//!   abort          conditions that stop the method and roll it back
//!                  (error_rate_pct max 5; error_rate_pct max 0.1 within_s 60: "no failover
//!                  after 60 s"); the learner's Abort button is always one
//! ```

use serde::{Deserialize, Serialize};

use crate::sim::inputs::{Action, ScheduledAction};
use crate::sim::series::Series;

fn sixty() -> f64 {
    60.0
}

fn thirty() -> f64 {
    30.0
}

fn hundred() -> f64 {
    100.0
}

/// What a probe or an abort condition measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Failed requests out of settled ones (served + failed) over the trailing
    /// `window_s` [%].
    ErrorRatePct,
    /// A recorded series' mean over the trailing `window_s` (its unit).
    Series(Series),
}

impl Measure {
    /// Reads a measure's name: `error_rate_pct`, or a series column (`p99_ms`,
    /// `served_rps`). Errors list the names.
    pub fn parse(name: &str) -> Result<Measure, String> {
        Measure::of(name).ok_or_else(|| {
            let names: Vec<&str> = crate::grade::probe::measured_series()
                .map(Series::column)
                .collect();
            format!(
                "there is no measure `{name}`; use error_rate_pct or a series: {}",
                names.join(", ")
            )
        })
    }

    /// The measure named `name`, if there is one (no error text built).
    pub fn of(name: &str) -> Option<Measure> {
        if name == "error_rate_pct" {
            return Some(Measure::ErrorRatePct);
        }
        match Series::from_column(name) {
            Some(Series::Time) | None => None,
            Some(s) => Some(Measure::Series(s)),
        }
    }

    /// The unit of the measure named `name` ("" for a name that is none), without
    /// reading it as [`Measure::parse`] does (no error text built).
    pub fn unit_of(name: &str) -> &'static str {
        if name == "error_rate_pct" {
            "%"
        } else {
            Series::from_column(name).map_or("", Series::unit)
        }
    }

    /// Its unit ("%", "ms", "req/s").
    pub fn unit(self) -> &'static str {
        match self {
            Measure::ErrorRatePct => "%",
            Measure::Series(s) => s.unit(),
        }
    }
}

/// A bound on a measure: at most `max`, at least `min`, or within `tolerance_pct` of
/// `near`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bound {
    /// The measure's name (`error_rate_pct`, `p99_ms`, `served_rps`, any series).
    pub probe: String,
    /// Highest value within bounds.
    #[serde(default)]
    pub max: Option<f64>,
    /// Lowest value within bounds.
    #[serde(default)]
    pub min: Option<f64>,
    /// The value the measure should stay near.
    #[serde(default)]
    pub near: Option<f64>,
    /// How far from `near` is still near [% of `near`] (default 10).
    #[serde(default)]
    pub tolerance_pct: Option<f64>,
}

impl Bound {
    /// The band `[low, high]` the bound allows.
    pub fn band(&self) -> (f64, f64) {
        if let Some(n) = self.near {
            let t = n.abs() * self.tolerance_pct.unwrap_or(10.0) / 100.0;
            return (n - t, n + t);
        }
        (
            self.min.unwrap_or(f64::NEG_INFINITY),
            self.max.unwrap_or(f64::INFINITY),
        )
    }

    /// Whether `v` is within the band.
    pub fn holds(&self, v: f64) -> bool {
        let (lo, hi) = self.band();
        v >= lo && v <= hi
    }

    /// The bound in words: "error_rate_pct ≤ 0.1 %", "served_rps ≈ 1000 req/s ± 10 %".
    pub fn words(&self, unit: &str) -> String {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        if let Some(n) = self.near {
            return format!(
                "{} ≈ {}{unit} ± {} %",
                self.probe,
                num(n),
                num(self.tolerance_pct.unwrap_or(10.0))
            );
        }
        match (self.min, self.max) {
            (Some(lo), Some(hi)) => format!("{} in {}..{}{unit}", self.probe, num(lo), num(hi)),
            (Some(lo), None) => format!("{} ≥ {}{unit}", self.probe, num(lo)),
            (None, Some(hi)) => format!("{} ≤ {}{unit}", self.probe, num(hi)),
            (None, None) => format!("{} (no bound)", self.probe),
        }
    }

    fn validate(&self, at: &str) -> Result<Measure, (String, String)> {
        let m = Measure::parse(&self.probe).map_err(|e| (format!("{at}.probe"), e))?;
        let bounds = [self.max, self.min, self.near];
        if bounds.iter().all(Option::is_none) {
            return Err((
                at.to_string(),
                "has no bound: give max, min or near (with tolerance_pct)".into(),
            ));
        }
        if self.near.is_some() && (self.max.is_some() || self.min.is_some()) {
            return Err((
                at.to_string(),
                "gives near with max or min: use one or the other".into(),
            ));
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max) {
            if lo > hi {
                return Err((
                    format!("{at}.min"),
                    format!("is {lo}, above max {hi}: no value is within bounds"),
                ));
            }
        }
        if self.tolerance_pct.is_some() && self.near.is_none() {
            return Err((format!("{at}.tolerance_pct"), "applies to near only".into()));
        }
        Ok(m)
    }
}

/// Something a number reads well as: 0.1, 1000, 2.5.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// An abort condition: a bound that, broken, stops the experiment. Files write its fields
/// flat (`{ probe, max, for_s }`), read through [`AbortConditionFields`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "AbortConditionFields", into = "AbortConditionFields")]
pub struct AbortCondition {
    /// The bound (`probe`, `max` / `min` / `near`).
    pub bound: Bound,
    /// Abort once the bound has been broken this long without a break [s] (default 0:
    /// at once).
    pub for_s: f64,
    /// Instead of at any time, check once, this long after the method starts: abort if
    /// the bound is broken then [s] ("no failover after 60 s": the error rate is still
    /// over 0.1 % at 60 s).
    pub within_s: Option<f64>,
}

/// An abort condition as a file writes it: the bound's fields and its timing, flat
/// (a plain struct: serde's `flatten` would buffer every field, in code the page
/// carries).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbortConditionFields {
    /// See [`Bound::probe`].
    pub probe: String,
    /// See [`Bound::max`].
    #[serde(default)]
    pub max: Option<f64>,
    /// See [`Bound::min`].
    #[serde(default)]
    pub min: Option<f64>,
    /// See [`Bound::near`].
    #[serde(default)]
    pub near: Option<f64>,
    /// See [`Bound::tolerance_pct`].
    #[serde(default)]
    pub tolerance_pct: Option<f64>,
    /// See [`AbortCondition::for_s`] [s].
    #[serde(default)]
    pub for_s: f64,
    /// See [`AbortCondition::within_s`] [s].
    #[serde(default)]
    pub within_s: Option<f64>,
}

impl From<AbortConditionFields> for AbortCondition {
    fn from(f: AbortConditionFields) -> Self {
        Self {
            bound: Bound {
                probe: f.probe,
                max: f.max,
                min: f.min,
                near: f.near,
                tolerance_pct: f.tolerance_pct,
            },
            for_s: f.for_s,
            within_s: f.within_s,
        }
    }
}

impl From<AbortCondition> for AbortConditionFields {
    fn from(a: AbortCondition) -> Self {
        Self {
            probe: a.bound.probe,
            max: a.bound.max,
            min: a.bound.min,
            near: a.bound.near,
            tolerance_pct: a.bound.tolerance_pct,
            for_s: a.for_s,
            within_s: a.within_s,
        }
    }
}

impl AbortCondition {
    /// The condition in words: "error_rate_pct > 5 % for 10 s",
    /// "error_rate_pct not back to ≤ 0.1 % 60 s after the method started".
    pub fn words(&self, unit: &str) -> String {
        let b = &self.bound;
        let u = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        let broken = match (b.near, b.min, b.max) {
            (Some(_), _, _) => format!("{} outside {}", b.probe, b.words(unit)),
            (None, Some(lo), Some(hi)) => {
                format!("{} outside {}..{}{u}", b.probe, num(lo), num(hi))
            }
            (None, Some(lo), None) => format!("{} < {}{u}", b.probe, num(lo)),
            (None, None, Some(hi)) => format!("{} > {}{u}", b.probe, num(hi)),
            (None, None, None) => format!("{} (no bound)", b.probe),
        };
        match self.within_s {
            Some(s) => format!(
                "{} not back to {} {} s after the method started",
                b.probe,
                b.words(unit)
                    .trim_start_matches(b.probe.as_str())
                    .trim_start(),
                num(s)
            ),
            None if self.for_s > 0.0 => format!("{broken} for {} s", num(self.for_s)),
            None => broken,
        }
    }
}

/// Where the experiment's faults may reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlastRadius {
    /// Share of the traffic exposed to the experiment [%] (default 100): the world
    /// shows the exposed traffic; the whole service pays this share of its failures
    /// beyond the steady state (a feature flag, or Netflix ChAP's experiment group).
    #[serde(default = "hundred")]
    pub traffic_pct: f64,
    /// The one zone the faults may touch (each step must aim at it).
    #[serde(default)]
    pub zone: Option<String>,
    /// The one region the faults may touch.
    #[serde(default)]
    pub region: Option<String>,
}

impl Default for BlastRadius {
    fn default() -> Self {
        Self {
            traffic_pct: hundred(),
            zone: None,
            region: None,
        }
    }
}

/// `[[experiments]]`: one chaos experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentSpec {
    /// Its name, as the `run_experiment` action and `scalesim chaos --experiment` give it.
    pub name: String,
    /// A short title for the panel (default: the name).
    #[serde(default)]
    pub title: String,
    /// What should stay true, in words.
    pub hypothesis: String,
    /// How long the steady state is checked before the method starts [s] (default 60):
    /// the method runs only if every probe holds.
    #[serde(default = "sixty")]
    pub steady_s: f64,
    /// How long the probes are watched after the method starts [s]; then the faults
    /// still in force are rolled back and the verdict given.
    pub duration_s: f64,
    /// The window every measure is read over [s] (default 30): the error rate is failed
    /// over settled requests in it, a series its mean over it.
    #[serde(default = "thirty")]
    pub window_s: f64,
    /// The steady state: bounds that should hold throughout.
    pub steady_state: Vec<Bound>,
    /// The faults, at times after the method starts.
    pub method: Vec<ScheduledAction>,
    /// Where the faults may reach.
    #[serde(default)]
    pub blast_radius: BlastRadius,
    /// What stops the experiment early.
    #[serde(default)]
    pub abort: Vec<AbortCondition>,
}

impl ExperimentSpec {
    /// Its title, or its name without one.
    pub fn title(&self) -> &str {
        if self.title.is_empty() {
            &self.name
        } else {
            &self.title
        }
    }

    /// The rules the range table cannot state, `at` naming it (`experiments[0]`):
    /// (field path, message). `zones` pairs each zone's name with its region's;
    /// `regions` are the regions' names.
    pub fn validate(
        &self,
        at: &str,
        zones: &[(String, String)],
        regions: &[String],
    ) -> Result<(), (String, String)> {
        if self.name.trim().is_empty() {
            return Err((format!("{at}.name"), "is empty".into()));
        }
        if self.steady_state.is_empty() {
            return Err((
                format!("{at}.steady_state"),
                "is empty: say what should hold, such as { probe = \"error_rate_pct\", max = 0.1 }"
                    .into(),
            ));
        }
        if self.method.is_empty() {
            return Err((
                format!("{at}.method"),
                "is empty: give at least one fault, such as { at_s = 0, action = { kind = \"kill_pods\", count = 1 } }".into(),
            ));
        }
        for (i, b) in self.steady_state.iter().enumerate() {
            b.validate(&format!("{at}.steady_state[{i}]"))?;
        }
        for (i, a) in self.abort.iter().enumerate() {
            a.bound.validate(&format!("{at}.abort[{i}]"))?;
        }
        for (i, step) in self.method.iter().enumerate() {
            if step.at_s > self.duration_s {
                return Err((
                    format!("{at}.method[{i}].at_s"),
                    format!(
                        "is {} s, after the experiment ends ({} s after the method starts)",
                        step.at_s, self.duration_s
                    ),
                ));
            }
        }
        let b = &self.blast_radius;
        if let Some(z) = &b.zone {
            if !zones.iter().any(|(n, _)| n == z) {
                let names: Vec<&str> = zones.iter().map(|(n, _)| n.as_str()).collect();
                return Err((
                    format!("{at}.blast_radius.zone"),
                    format!(
                        "\u{201c}{z}\u{201d} is not a zone; the zones are {}",
                        names.join(", ")
                    ),
                ));
            }
        }
        if let Some(r) = &b.region {
            if !regions.contains(r) {
                return Err((
                    format!("{at}.blast_radius.region"),
                    format!(
                        "\u{201c}{r}\u{201d} is not a region; the regions are {}",
                        regions.join(", ")
                    ),
                ));
            }
        }
        for (i, step) in self.method.iter().enumerate() {
            if let Some(why) = outside_radius(&step.action, b, zones) {
                return Err((format!("{at}.method[{i}].action"), why));
            }
        }
        Ok(())
    }
}

/// Why `action` reaches beyond the blast radius `b`, if it does: with a zone or a region
/// named, every step must aim inside it (a zone of that region, for a region). `zones`
/// pairs each zone with its region.
fn outside_radius(action: &Action, b: &BlastRadius, zones: &[(String, String)]) -> Option<String> {
    use crate::sim::inputs::Aim;
    let (zone, region) = (b.zone.as_deref(), b.region.as_deref());
    if zone.is_none() && region.is_none() {
        return None;
    }
    let region_of = |z: &str| zones.iter().find(|(n, _)| n == z).map(|(_, r)| r.as_str());
    let inside = match action.anatomy().aim {
        Aim::Zone(z) => {
            zone.is_none_or(|want| want == z)
                && region.is_none_or(|want| region_of(z) == Some(want))
        }
        Aim::Region(r) => zone.is_none() && region == Some(r),
        // A pod or a node named by id is where it is: the scenario cannot say which zone.
        Aim::Pod(_) | Aim::Node(_) => true,
        Aim::Anywhere | Aim::Shard(_) => false,
    };
    (!inside).then(|| {
        format!(
            "reaches beyond the blast radius ({}): aim it at a zone inside it, or widen the radius",
            radius_words(b)
        )
    })
}

/// The blast radius in words: "5 % of the traffic", "zone a", "region eu-west".
pub fn radius_words(b: &BlastRadius) -> String {
    let mut parts = Vec::new();
    if b.traffic_pct < 100.0 {
        parts.push(format!("{} % of the traffic", num(b.traffic_pct)));
    }
    if let Some(z) = &b.zone {
        parts.push(format!("zone {z}"));
    }
    if let Some(r) = &b.region {
        parts.push(format!("region {r}"));
    }
    if parts.is_empty() {
        "the whole service".into()
    } else {
        parts.join(", ")
    }
}
