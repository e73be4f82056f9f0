//! Chart annotations from the event log: fault periods as bands, actions and
//! HPA decisions as markers.

use scalesim::sim::events::{Scaler, SimEvent};
use scalesim::sim::inputs::{Action, FaultKind};

/// A shaded period [s]; `end_s` is `None` while it lasts.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Start [s].
    pub start_s: f64,
    /// End [s], when known.
    pub end_s: Option<f64>,
    /// What it is ("zone b down").
    pub label: String,
    fault: Option<FaultKind>,
    zone: Option<String>,
    region: Option<String>,
}

/// A point in time worth a vertical mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// When [s].
    pub t_s: f64,
    /// What.
    pub label: String,
}

/// Everything the charts shade or mark.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    /// Fault periods.
    pub bands: Vec<Band>,
    /// Actions and scheduled faults.
    pub actions: Vec<Marker>,
    /// HPA scaling decisions.
    pub hpa: Vec<Marker>,
}

fn close(bands: &mut [Band], t_s: f64, pred: impl Fn(&Band) -> bool) {
    for b in bands.iter_mut().filter(|b| b.end_s.is_none()) {
        if pred(b) {
            b.end_s = Some(t_s);
        }
    }
}

/// The annotations of an event log.
pub fn annotations_of(events: &[SimEvent]) -> Annotations {
    let mut a = Annotations::default();
    for e in events {
        match e {
            SimEvent::FaultInjected { t_s, action, .. } => {
                let t = *t_s;
                a.actions.push(Marker {
                    t_s: t,
                    label: action.name().to_string(),
                });
                let mut band = |label: String, end_s, fault, zone, region| {
                    a.bands.push(Band {
                        start_s: t,
                        end_s,
                        label,
                        fault,
                        zone,
                        region,
                    })
                };
                match action {
                    Action::KillZone { zone } => band(
                        format!("zone {zone} down"),
                        None,
                        None,
                        Some(zone.clone()),
                        None,
                    ),
                    Action::KillRegion { region } => band(
                        format!("region {region} down"),
                        None,
                        None,
                        None,
                        Some(region.clone()),
                    ),
                    Action::Spike {
                        ramp_up_s,
                        hold_s,
                        ramp_down_s,
                        ..
                    } => band(
                        "traffic spike".into(),
                        Some(t + ramp_up_s + hold_s + ramp_down_s),
                        None,
                        None,
                        None,
                    ),
                    Action::RestoreZone { zone } => {
                        close(&mut a.bands, t, |b| b.zone.as_ref() == Some(zone))
                    }
                    Action::RestoreRegion { region } => {
                        close(&mut a.bands, t, |b| b.region.as_ref() == Some(region))
                    }
                    other => {
                        let lifetime = other.lifetime();
                        if let Some(kind) = lifetime.fault_kind() {
                            band(
                                other.name().to_string(),
                                lifetime.ends_after_s().map(|d| t + d),
                                Some(kind),
                                None,
                                None,
                            );
                        }
                    }
                }
            }
            SimEvent::FaultCleared { t_s, fault } => close(&mut a.bands, *t_s, |b| {
                b.fault.is_some() && (*fault == FaultKind::All || b.fault == Some(*fault))
            }),
            SimEvent::Scaled {
                t_s,
                by: Scaler::Hpa,
                from,
                to,
                ..
            } => a.hpa.push(Marker {
                t_s: *t_s,
                label: format!("{from} → {to}"),
            }),
            _ => {}
        }
    }
    a
}
