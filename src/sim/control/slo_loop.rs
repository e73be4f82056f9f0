//! SLO accounting (docs/models.md#slo-and-burn-rates): availability and latency SLIs fed to two
//! [`SloTracker`]s every tick; alert transitions and policy-tier changes become events.
//!
//! ```text
//!   tick: good = served OK, valid = served + failed ─▶ availability tracker ─▶ burn-rate alerts
//!         good = served under the latency threshold ─▶ latency tracker
//!   budget remaining ─▶ policy tier (a graded convention)
//! ```

use super::super::events::SimEvent;
use super::super::slo::{BurnAlertRule, PolicyTier, Severity, SloConfig, SloTracker};
use super::super::world::World;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The SLO trackers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloLoop {
    /// Availability SLI tracker (None when SLOs are off).
    pub availability: Option<SloTracker>,
    /// Latency SLI tracker.
    pub latency: Option<SloTracker>,
    /// The policy tier last reported.
    pub tier: Option<PolicyTier>,
    /// Alert names, by rule index.
    pub alert_names: Vec<String>,
}

fn config(target: f64, days: f64) -> SloConfig {
    SloConfig {
        target_pct: target * 100.0,
        period_s: days * 86_400.0,
        alerts: BurnAlertRule::workbook_table_5_8(),
        ..SloConfig::default()
    }
}

/// A rule's name: "page 14.4× 1h/5m".
pub fn rule_name(r: &BurnAlertRule) -> String {
    let w = |s: f64| {
        if s >= 86_400.0 && s % 86_400.0 == 0.0 {
            format!("{}d", s / 86_400.0)
        } else if s >= 3600.0 && s % 3600.0 == 0.0 {
            format!("{}h", s / 3600.0)
        } else {
            format!("{}m", s / 60.0)
        }
    };
    let sev = match r.severity {
        Severity::Page => "page",
        Severity::Ticket => "ticket",
    };
    format!(
        "{sev} {}× {}/{}",
        r.burn_rate,
        w(r.long_window_s),
        w(r.short_window_s)
    )
}

impl SloLoop {
    /// The trackers for `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let s = &scenario.slo;
        if !s.enabled {
            return Self {
                availability: None,
                latency: None,
                tier: None,
                alert_names: Vec::new(),
            };
        }
        let a = SloConfig {
            spent_before_fraction: s.budget_spent_start_pct / 100.0,
            ..config(s.availability_target, s.window_days)
        };
        let alert_names = a.alerts.iter().map(rule_name).collect();
        Self {
            availability: Some(SloTracker::new(a)),
            latency: Some(SloTracker::new(config(s.latency_target, s.window_days))),
            tier: None,
            alert_names,
        }
    }
}

/// Fills the trackers with a healthy history at `rate_rps` for the longest alert window
/// before t = 0, so alerts and burn rates start from a service that was fine until now
/// (without it, the first bad seconds would be judged against seconds, not hours, of traffic).
pub fn prefill_healthy_history(w: &mut World, rate_rps: f64) {
    let step = 60.0;
    let longest = w
        .control
        .slo
        .availability
        .as_ref()
        .map(|a| {
            a.config()
                .alerts
                .iter()
                .map(|r| r.long_window_s)
                .fold(0.0, f64::max)
        })
        .unwrap_or(0.0);
    let n = (longest / step).ceil() as i64;
    let good = rate_rps * step;
    for k in (0..n).rev() {
        let t = -(k as f64) * step;
        if let Some(a) = w.control.slo.availability.as_mut() {
            let _ = a.record(t, step, good, good);
        }
        if let Some(l) = w.control.slo.latency.as_mut() {
            let _ = l.record(t, step, good, good);
        }
    }
}

/// Records one tick ending at `end_s`.
pub fn record(w: &mut World, end_s: f64, good: f64, valid: f64, fast: f64, served: f64) {
    let dt = w.tick_s;
    let Some(a) = w.control.slo.availability.as_mut() else {
        return;
    };
    let changes = a.record(end_s, dt, good, valid);
    let tier = a.policy_tier();
    if let Some(l) = w.control.slo.latency.as_mut() {
        let _ = l.record(end_s, dt, fast, served);
    }
    if !changes.is_empty() {
        for i in 0..w.control.slo.alert_names.len() {
            if changes.fired(i) {
                let alert = format!("availability {}", w.control.slo.alert_names[i]);
                w.log(SimEvent::AlertFired { t_s: end_s, alert });
            }
            if changes.resolved(i) {
                let alert = format!("availability {}", w.control.slo.alert_names[i]);
                w.log(SimEvent::AlertResolved { t_s: end_s, alert });
            }
        }
    }
    if w.control.slo.tier != Some(tier) {
        let first = w.control.slo.tier.is_none();
        w.control.slo.tier = Some(tier);
        if !first {
            w.log(SimEvent::PolicyTierChanged { t_s: end_s, tier });
        }
    }
}
