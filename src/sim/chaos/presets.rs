//! The Simian Army as experiment presets (docs/models.md#chaos-experiments; Netflix's
//! Chaos Monkey, Chaos Gorilla, Chaos Kong and Latency Monkey), built for a scenario's
//! own zones, regions and SLO.
//!
//! ```text
//!   chaos-monkey    kill one random pod                       blast radius: the whole service
//!   chaos-gorilla   take the first zone away for 10 min       blast radius: that zone
//!   chaos-kong      take the first region away for 10 min     blast radius: that region (needs 2)
//!   latency-monkey  +300 ms on every request for 5 min        blast radius: 5 % of the traffic
//!   steady state: error rate ≤ 1 % and p99 ≤ the SLO's latency threshold
//!   abort:        error rate > 5 % for 30 s (latency-monkey: p99 > 4 × the threshold)
//! ```

use super::experiment::{AbortCondition, BlastRadius, Bound, ExperimentSpec};
use crate::scenario::Scenario;
use crate::sim::inputs::{Action, LatencyTarget, ScheduledAction};

/// The presets' names, in the order the page lists them.
pub const PRESETS: [&str; 4] = [
    "chaos-monkey",
    "chaos-gorilla",
    "chaos-kong",
    "latency-monkey",
];

/// The title of preset `name` (the name itself for another).
pub fn title(name: &str) -> &str {
    match name {
        "chaos-monkey" => "Chaos Monkey: kill a random pod",
        "chaos-gorilla" => "Chaos Gorilla: lose a zone",
        "chaos-kong" => "Chaos Kong: lose a region",
        "latency-monkey" => "Latency Monkey: 300 ms more, 5 % of traffic",
        other => other,
    }
}

/// The presets that apply to scenario `s`, without building them: chaos-kong needs two
/// regions, every one a zone.
pub fn available(s: &Scenario) -> impl Iterator<Item = &'static str> + '_ {
    let zoned = s
        .topology
        .regions
        .first()
        .is_some_and(|r| !r.zones.is_empty());
    PRESETS
        .into_iter()
        .filter(move |p| zoned && (*p != "chaos-kong" || s.topology.regions.len() >= 2))
}

fn bound(probe: &str, max: f64) -> Bound {
    Bound {
        probe: probe.into(),
        max: Some(max),
        min: None,
        near: None,
        tolerance_pct: None,
    }
}

fn step(at_s: f64, action: Action) -> ScheduledAction {
    ScheduledAction { at_s, action }
}

/// The preset `name` for scenario `s`; `None` for another name, or for chaos-kong in a
/// scenario of one region.
pub fn preset(name: &str, s: &Scenario) -> Option<ExperimentSpec> {
    let slo_ms = s.slo.latency_threshold_ms;
    let steady = vec![bound("error_rate_pct", 1.0), bound("p99_ms", slo_ms)];
    let errors_abort = vec![AbortCondition {
        bound: bound("error_rate_pct", 5.0),
        for_s: 30.0,
        within_s: None,
    }];
    let zone = s.topology.regions.first()?.zones.first()?.clone();
    let spec = |hypothesis: String,
                duration_s: f64,
                method: Vec<ScheduledAction>,
                blast_radius: BlastRadius,
                abort: Vec<AbortCondition>| ExperimentSpec {
        name: name.into(),
        title: title(name).into(),
        hypothesis,
        steady_s: 60.0,
        duration_s,
        window_s: 30.0,
        steady_state: steady.clone(),
        method,
        blast_radius,
        abort,
    };
    let radius = |zone: Option<String>, region: Option<String>| BlastRadius {
        traffic_pct: 100.0,
        zone,
        region,
    };
    Some(match name {
        "chaos-monkey" => spec(
            format!(
                "When one pod dies, the others carry its share: errors stay under 1 % and p99 under {slo_ms:.0} ms."
            ),
            300.0,
            vec![step(0.0, Action::KillPods { count: 1, zone: None })],
            BlastRadius::default(),
            errors_abort,
        ),
        "chaos-gorilla" => spec(
            format!(
                "When zone {zone} goes dark, the other zones take its traffic: errors stay under 1 % and p99 under {slo_ms:.0} ms."
            ),
            900.0,
            vec![
                step(0.0, Action::KillZone { zone: zone.clone() }),
                step(600.0, Action::RestoreZone { zone: zone.clone() }),
            ],
            radius(Some(zone), None),
            errors_abort,
        ),
        "chaos-kong" => {
            if s.topology.regions.len() < 2 {
                return None;
            }
            let region = s.topology.regions[0].name.clone();
            spec(
                    format!(
                    "When region {region} goes dark, traffic fails over to the others: errors stay under 1 % and p99 under {slo_ms:.0} ms."
                ),
                900.0,
                vec![
                    step(0.0, Action::KillRegion { region: region.clone() }),
                    step(600.0, Action::RestoreRegion { region: region.clone() }),
                ],
                radius(None, Some(region)),
                errors_abort,
            )
        }
        "latency-monkey" => spec(
            format!(
                "With 300 ms more on each request for 5 minutes, timeouts and retries hold: errors stay under 1 % and p99 under {slo_ms:.0} ms."
            ),
            300.0,
            vec![step(
                0.0,
                Action::InjectLatency {
                    target: LatencyTarget::Service,
                    ms: 300.0,
                    duration_s: Some(300.0),
                },
            )],
            BlastRadius {
                traffic_pct: 5.0,
                zone: None,
                region: None,
            },
            vec![AbortCondition {
                bound: bound("p99_ms", 4.0 * slo_ms),
                for_s: 30.0,
                within_s: None,
            }],
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_experiment_of_a_two_region_scenario() {
        let s = crate::scenario::load_built_in("asia-dashboards")
            .expect("a built-in")
            .expect("it loads");
        assert!(s.topology.regions.len() >= 2);
        let zones: Vec<(String, String)> = s
            .topology
            .regions
            .iter()
            .flat_map(|r| r.zones.iter().map(|z| (z.clone(), r.name.clone())))
            .collect();
        let regions: Vec<String> = s.topology.regions.iter().map(|r| r.name.clone()).collect();
        for name in PRESETS {
            let e = preset(name, &s).unwrap_or_else(|| panic!("{name}"));
            e.validate("preset", &zones, &regions)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        assert!(preset("chaos-orangutan", &s).is_none());
        assert_eq!(available(&s).count(), 4);
    }
}
