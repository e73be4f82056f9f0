//! Online SLO tracker: budget over a rolling period, burn rates, multiwindow
//! multi-burn-rate alerts (SRE Workbook ch. 5 Table 5-8), policy tier
//! (docs/models.md#slo-and-burn-rates).
//!
//! ```text
//!   each tick: (good, valid) ──▶ fine ring  (10 s buckets, windows ≤ 6 h: 5 m, 30 m, 1 h, 6 h)
//!                            └─▶ coarse ring (1 min buckets, longer windows: 3 d, the 30 d period)
//!   alert pair fires ⇔ burn(long) > rate AND burn(short) > rate; same severity pairs OR-ed
//! ```
//!
//! The same tracker serves an availability SLI (good = successful requests) and
//! a latency SLI (good = requests under the threshold); the caller feeds it.
//!
//! **Resolution.** A window of W s covers between W − w and W s of data, where
//! w is its bucket width (10 s or 60 s). A 100 % outage after steady traffic
//! fires the 14.4×/1 h page within one fine bucket of the exact 51.84 s.
//!
//! **Memory.** Fixed at creation: ⌈6 h/10 s⌉ = 2160 fine slots and
//! ⌈max(period, longest window)/60 s⌉ coarse slots (43 200 for 30 d, ≈ 0.7 MB).
//! `record` is O(windows) amortized and never allocates.
//!
//! **Budget basis.** The budget in events is (1 − SLO) × the valid events of the
//! period. Until a full period has been observed, the period's valid events are
//! estimated as the average valid rate so far × period, so a 100 % outage spends
//! the 99.9 %/30 d budget in 43.2 minutes whatever the run length.
//!
//! **Incidents** (for the 20 % postmortem rule): a run of ticks whose error ratio
//! exceeds 1 − SLO, ended by `incident_merge_gap_s` of ticks at or below it.

use super::budget::{error_budget_fraction, DAY_S};
use super::policy::{GooglePolicyStatus, PolicyTier, ReleaseDecision, TierThresholds};
use super::window::BucketRing;
use serde::{Deserialize, Serialize};

/// Fine-ring bucket width [s], for windows up to [`FINE_MAX_WINDOW_S`].
pub const FINE_BUCKET_S: f64 = 10.0;
/// Longest window kept on the fine ring [s] (6 h).
pub const FINE_MAX_WINDOW_S: f64 = 6.0 * 3600.0;
/// Coarse-ring bucket width [s].
pub const COARSE_BUCKET_S: f64 = 60.0;
/// Most alert rules a tracker holds (one bit each in [`AlertChanges`]).
pub const MAX_RULES: usize = 32;

/// Alert severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Severity {
    Page,
    Ticket,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Page => "page",
            Severity::Ticket => "ticket",
        }
    }
}

/// One long/short window pair of a multiwindow burn-rate alert.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnAlertRule {
    pub severity: Severity,
    pub long_window_s: f64,
    pub short_window_s: f64,
    /// Burn-rate threshold (×), exceeded strictly by both windows to fire.
    pub burn_rate: f64,
}

impl BurnAlertRule {
    /// Workbook Table 5-8 for 99.9 % over 30 days: page 14.4× 1 h/5 m, page 6× 6 h/30 m, ticket 1× 3 d/6 h.
    pub fn workbook_table_5_8() -> Vec<BurnAlertRule> {
        vec![
            BurnAlertRule {
                severity: Severity::Page,
                long_window_s: 3600.0,
                short_window_s: 300.0,
                burn_rate: 14.4,
            },
            BurnAlertRule {
                severity: Severity::Page,
                long_window_s: 21_600.0,
                short_window_s: 1800.0,
                burn_rate: 6.0,
            },
            BurnAlertRule {
                severity: Severity::Ticket,
                long_window_s: 3.0 * DAY_S,
                short_window_s: 21_600.0,
                burn_rate: 1.0,
            },
        ]
    }
}

/// SLO target, compliance period and alert rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloConfig {
    /// SLO target [%], e.g. 99.9.
    pub target_pct: f64,
    /// Rolling compliance period [s], e.g. 30 d.
    pub period_s: f64,
    pub alerts: Vec<BurnAlertRule>,
    /// Graded-tier convention thresholds (docs/models.md#error-budget-policy).
    pub tiers: TierThresholds,
    /// A single incident above this budget fraction requires a postmortem (Workbook: 0.2).
    pub postmortem_incident_fraction: f64,
    /// Quiet time that ends an incident [s].
    pub incident_merge_gap_s: f64,
    /// Budget already spent in the period before the tracker starts [fraction of the
    /// budget]: a month that has gone badly so far.
    #[serde(default)]
    pub spent_before_fraction: f64,
}

impl Default for SloConfig {
    fn default() -> Self {
        Self {
            target_pct: 99.9,
            period_s: 30.0 * DAY_S,
            alerts: BurnAlertRule::workbook_table_5_8(),
            tiers: TierThresholds::default(),
            postmortem_incident_fraction: 0.2,
            incident_merge_gap_s: 300.0,
            spent_before_fraction: 0.0,
        }
    }
}

/// Alert transitions of one `record` call, one bit per rule index. Plain data: no allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AlertChanges {
    /// Bit i set: rule i started firing.
    pub fired: u32,
    /// Bit i set: rule i stopped firing.
    pub resolved: u32,
}

impl AlertChanges {
    pub fn is_empty(&self) -> bool {
        self.fired == 0 && self.resolved == 0
    }
    pub fn fired(&self, rule: usize) -> bool {
        self.fired & (1 << rule) != 0
    }
    pub fn resolved(&self, rule: usize) -> bool {
        self.resolved & (1 << rule) != 0
    }
    /// Rule indices that fired, in order.
    pub fn fired_rules(&self) -> impl Iterator<Item = usize> + '_ {
        (0..MAX_RULES).filter(|&i| self.fired(i))
    }
    /// Rule indices that resolved, in order.
    pub fn resolved_rules(&self) -> impl Iterator<Item = usize> + '_ {
        (0..MAX_RULES).filter(|&i| self.resolved(i))
    }
}

/// Where a window's sums live.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
enum WindowRef {
    Fine(usize),
    Coarse(usize),
}

/// An incident for the postmortem rule.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Start [s].
    pub start_s: f64,
    /// Last tick with an error ratio above the budget [s].
    pub last_bad_s: f64,
    /// Bad events during the incident.
    pub bad_events: f64,
}

/// Online SLO tracker. See the module doc for resolution and memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloTracker {
    config: SloConfig,
    budget_fraction: f64,
    fine: BucketRing,
    coarse: BucketRing,
    /// The alert rules' distinct windows, shortest first [s].
    windows: Vec<f64>,
    /// Where each of `windows` lives.
    window_refs: Vec<WindowRef>,
    /// Burn rate over each of `windows` at the last record [×].
    window_burns: Vec<f64>,
    /// (long, short) indices into `windows`, per rule.
    rule_windows: Vec<(usize, usize)>,
    period_window: WindowRef,
    firing: Vec<bool>,
    /// Simulated time recorded so far [s].
    observed_s: f64,
    /// Time of the last record [s].
    now_s: f64,
    current_incident: Option<Incident>,
    /// The latest incident that spent more than the postmortem fraction.
    postmortem_incident: Option<Incident>,
}

impl SloTracker {
    /// A tracker for `config`. Panics if it has more than [`MAX_RULES`] rules.
    pub fn new(config: SloConfig) -> Self {
        assert!(
            config.alerts.len() <= MAX_RULES,
            "at most {MAX_RULES} alert rules"
        );
        let mut fine_w: Vec<f64> = Vec::new();
        let mut coarse_w: Vec<f64> = Vec::new();
        let mut place = |w: f64| {
            let list = if w <= FINE_MAX_WINDOW_S {
                &mut fine_w
            } else {
                &mut coarse_w
            };
            if !list.contains(&w) {
                list.push(w);
            }
        };
        for r in &config.alerts {
            place(r.long_window_s);
            place(r.short_window_s);
        }
        place(config.period_s);
        let fine = BucketRing::with_span(FINE_BUCKET_S, &fine_w, FINE_MAX_WINDOW_S);
        let coarse = BucketRing::new(COARSE_BUCKET_S, &coarse_w);
        let find = |w: f64| match fine.find(w) {
            Some(i) => WindowRef::Fine(i),
            None => WindowRef::Coarse(coarse.find(w).expect("window placed on a ring")),
        };
        let mut windows: Vec<f64> = Vec::new();
        for r in &config.alerts {
            for w in [r.long_window_s, r.short_window_s] {
                if !windows.contains(&w) {
                    windows.push(w);
                }
            }
        }
        windows.sort_by(f64::total_cmp);
        let window_refs = windows.iter().map(|&w| find(w)).collect();
        let index = |w: f64| windows.iter().position(|&x| x == w).expect("window listed");
        let rule_windows = config
            .alerts
            .iter()
            .map(|r| (index(r.long_window_s), index(r.short_window_s)))
            .collect();
        let period_window = find(config.period_s);
        Self {
            window_burns: vec![0.0; windows.len()],
            windows,
            window_refs,
            budget_fraction: error_budget_fraction(config.target_pct),
            firing: vec![false; config.alerts.len()],
            config,
            fine,
            coarse,
            rule_windows,
            period_window,
            observed_s: 0.0,
            now_s: 0.0,
            current_incident: None,
            postmortem_incident: None,
        }
    }

    pub fn config(&self) -> &SloConfig {
        &self.config
    }

    /// 1 − SLO.
    pub fn budget_fraction(&self) -> f64 {
        self.budget_fraction
    }

    /// Total slots of the rings' buffers: fixed at creation (memory stays flat).
    pub fn buffer_slots(&self) -> usize {
        self.fine.capacity()
            + self.coarse.capacity()
            + self.firing.capacity()
            + self.rule_windows.capacity()
            + self.windows.capacity()
            + self.window_refs.capacity()
            + self.window_burns.capacity()
    }

    fn sums(&self, w: WindowRef) -> (f64, f64) {
        match w {
            WindowRef::Fine(i) => self.fine.window(i),
            WindowRef::Coarse(i) => self.coarse.window(i),
        }
    }

    fn burn_of(&self, (good, valid): (f64, f64)) -> f64 {
        if valid <= 0.0 {
            return 0.0;
        }
        let bad = (valid - good).max(0.0);
        if self.budget_fraction <= 0.0 {
            return if bad > 0.0 { f64::INFINITY } else { 0.0 };
        }
        bad / valid / self.budget_fraction
    }

    /// Record one tick of `dt_s` [s] ending at `now_s` [s] with `good` of `valid`
    /// events. Returns the alert transitions; allocation-free.
    pub fn record(&mut self, now_s: f64, dt_s: f64, good: f64, valid: f64) -> AlertChanges {
        let good = if good.is_finite() { good.max(0.0) } else { 0.0 };
        let valid = if valid.is_finite() {
            valid.max(good)
        } else {
            good
        };
        let mid = now_s - 0.5 * dt_s.max(0.0);
        self.fine.add(mid, good, valid);
        self.coarse.add(mid, good, valid);
        if dt_s.is_finite() && dt_s > 0.0 {
            self.observed_s += dt_s;
        }
        self.now_s = now_s;
        self.track_incident(now_s, dt_s, valid - good, valid);
        for k in 0..self.window_refs.len() {
            self.window_burns[k] = self.burn_of(self.sums(self.window_refs[k]));
        }
        let mut changes = AlertChanges::default();
        for i in 0..self.rule_windows.len() {
            let (long, short) = self.rule_windows[i];
            let rate = self.config.alerts[i].burn_rate;
            let on = self.window_burns[long] > rate && self.window_burns[short] > rate;
            if on != self.firing[i] {
                self.firing[i] = on;
                if on {
                    changes.fired |= 1 << i;
                } else {
                    changes.resolved |= 1 << i;
                }
            }
        }
        changes
    }

    fn track_incident(&mut self, now_s: f64, dt_s: f64, bad: f64, valid: f64) {
        let over = valid > 0.0 && bad / valid > self.budget_fraction;
        if over {
            let inc = self.current_incident.get_or_insert(Incident {
                start_s: now_s - dt_s.max(0.0),
                last_bad_s: now_s,
                bad_events: 0.0,
            });
            inc.last_bad_s = now_s;
            inc.bad_events += bad;
            let inc = *inc;
            if self.spent_fraction_of(inc.bad_events) > self.config.postmortem_incident_fraction {
                self.postmortem_incident = Some(inc);
            }
        } else if let Some(inc) = self.current_incident {
            if now_s - inc.last_bad_s >= self.config.incident_merge_gap_s {
                self.current_incident = None;
            }
        }
    }

    /// Budget in events for the period: (1 − SLO) × expected valid events.
    fn budget_events(&self) -> f64 {
        let (_, valid) = self.sums(self.period_window);
        let observed = self.observed_s.min(self.config.period_s);
        let expected = if observed <= 0.0 {
            0.0
        } else if observed >= self.config.period_s {
            valid
        } else {
            valid / observed * self.config.period_s
        };
        self.budget_fraction * expected
    }

    fn spent_fraction_of(&self, bad: f64) -> f64 {
        let budget = self.budget_events();
        if bad <= 0.0 {
            0.0
        } else if budget <= 0.0 {
            f64::INFINITY
        } else {
            bad / budget
        }
    }

    /// Burn rate over the trailing `window_s` [s] (0 with no valid events).
    /// O(1) for a configured window, else a direct sum over its buckets.
    pub fn burn_rate(&self, window_s: f64) -> f64 {
        if let Some(i) = self.fine.find(window_s) {
            return self.burn_of(self.fine.window(i));
        }
        if let Some(i) = self.coarse.find(window_s) {
            return self.burn_of(self.coarse.window(i));
        }
        if window_s <= FINE_MAX_WINDOW_S {
            self.burn_of(self.fine.sum_last(window_s))
        } else {
            self.burn_of(self.coarse.sum_last(window_s))
        }
    }

    /// The alert rules' distinct windows, shortest first [s]
    /// (Table 5-8: 5 min, 30 min, 1 h, 6 h, 3 d).
    pub fn windows(&self) -> &[f64] {
        &self.windows
    }

    /// The burn rate over each of [`Self::windows`] as of the last record [×]:
    /// computed once per record, without allocating.
    pub fn window_burn_rates(&self) -> &[f64] {
        &self.window_burns
    }

    /// Indices into [`Self::windows`] of rule `rule`'s (long, short) windows.
    pub fn rule_window_indices(&self, rule: usize) -> Option<(usize, usize)> {
        self.rule_windows.get(rule).copied()
    }

    /// Budget spent over the rolling period, unclamped (2.0 = twice the budget).
    pub fn budget_spent_ratio(&self) -> f64 {
        let (good, valid) = self.sums(self.period_window);
        self.config.spent_before_fraction.max(0.0) + self.spent_fraction_of((valid - good).max(0.0))
    }

    /// Budget consumed over the rolling period, in [0, 1].
    pub fn budget_consumed_fraction(&self) -> f64 {
        self.budget_spent_ratio().clamp(0.0, 1.0)
    }

    /// Budget remaining over the rolling period, in [0, 1].
    pub fn budget_remaining_fraction(&self) -> f64 {
        1.0 - self.budget_consumed_fraction()
    }

    /// Budget remaining expressed as minutes of full outage [min]
    /// (remaining fraction × (1 − SLO) × period): 43.2 at the start of a 99.9 %/30 d SLO.
    pub fn budget_remaining_minutes(&self) -> f64 {
        self.budget_remaining_fraction() * self.budget_fraction * self.config.period_s / 60.0
    }

    /// Whether alert rule `rule` is firing.
    pub fn alert_firing(&self, rule: usize) -> bool {
        self.firing.get(rule).copied().unwrap_or(false)
    }

    /// Whether any rule of `severity` is firing (pairs of one severity are OR-ed).
    pub fn severity_firing(&self, severity: Severity) -> bool {
        self.config
            .alerts
            .iter()
            .zip(&self.firing)
            .any(|(r, &f)| f && r.severity == severity)
    }

    /// Graded tier — a CONVENTION, see [`super::policy`].
    pub fn policy_tier(&self) -> PolicyTier {
        self.config.tiers.tier(self.budget_remaining_fraction())
    }

    /// Google's binary example policy: freeze when the budget over the window is
    /// exhausted; postmortem when a single incident in the window spent > 20 %.
    pub fn google_policy(&self) -> GooglePolicyStatus {
        let releases = if self.budget_spent_ratio() >= 1.0 {
            ReleaseDecision::Freeze
        } else {
            ReleaseDecision::Ship
        };
        let postmortem_required = self
            .postmortem_incident
            .is_some_and(|i| self.now_s - i.last_bad_s <= self.config.period_s);
        GooglePolicyStatus {
            releases,
            postmortem_required,
        }
    }

    /// The incident in progress, if any.
    pub fn current_incident(&self) -> Option<Incident> {
        self.current_incident
    }

    /// Fraction of the budget the incident in progress has spent so far.
    pub fn current_incident_spent_fraction(&self) -> f64 {
        self.current_incident
            .map_or(0.0, |i| self.spent_fraction_of(i.bad_events))
    }

    /// Time until the remaining budget is gone at the burn rate of `window_s` [s]:
    /// remaining × period / burn. `None` when the burn rate is zero.
    pub fn time_to_exhaustion_s(&self, window_s: f64) -> Option<f64> {
        let burn = self.burn_rate(window_s);
        if burn > 0.0 {
            Some(self.budget_remaining_fraction() * self.config.period_s / burn)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steady(
        t: &mut SloTracker,
        from_s: u32,
        to_s: u32,
        rps: f64,
        error_ratio: f64,
    ) -> Vec<(u32, AlertChanges)> {
        let mut out = Vec::new();
        for s in from_s + 1..=to_s {
            let c = t.record(f64::from(s), 1.0, rps * (1.0 - error_ratio), rps);
            if !c.is_empty() {
                out.push((s, c));
            }
        }
        out
    }

    #[test]
    fn a_full_outage_fires_the_fast_page_after_about_51_84_s_and_resolves_after_the_errors_stop() {
        let mut t = SloTracker::new(SloConfig::default());
        assert!(steady(&mut t, 0, 7200, 100.0, 0.0).is_empty());
        let changes = steady(&mut t, 7200, 7800, 100.0, 1.0);
        let (fired_at, _) = *changes
            .iter()
            .find(|(_, c)| c.fired(0))
            .expect("the fast page fires");
        let after = f64::from(fired_at - 7200);
        assert!(
            (after - 51.84).abs() <= FINE_BUCKET_S,
            "fired after {after} s"
        );
        assert!(t.alert_firing(0) && t.severity_firing(Severity::Page));
        let changes = steady(&mut t, 7800, 9000, 100.0, 0.0);
        let resolved_at = changes
            .iter()
            .find(|(_, c)| c.resolved(0))
            .map(|(s, _)| *s)
            .unwrap();
        let after = f64::from(resolved_at - 7800);
        assert!(
            after > 200.0 && after <= 300.0 + FINE_BUCKET_S,
            "resolved after {after} s"
        );
    }

    #[test]
    fn a_full_outage_spends_the_30_day_budget_in_43_2_minutes() {
        let mut t = SloTracker::new(SloConfig::default());
        steady(&mut t, 0, 3600, 50.0, 0.0);
        steady(&mut t, 3600, 3600 + 2592 / 2, 50.0, 1.0);
        assert!((t.budget_consumed_fraction() - 0.5).abs() < 1e-9);
        assert!((t.budget_remaining_minutes() - 21.6).abs() < 1e-9);
        assert_eq!(t.policy_tier(), PolicyTier::SlowerDeployments);
        assert!(t.google_policy().postmortem_required);
        assert_eq!(t.google_policy().releases, ReleaseDecision::Ship);
        steady(&mut t, 3600 + 1296, 3600 + 2592 + 1, 50.0, 1.0);
        assert_eq!(t.budget_remaining_fraction(), 0.0);
        assert_eq!(t.policy_tier(), PolicyTier::BudgetExhausted);
        assert_eq!(t.google_policy().releases, ReleaseDecision::Freeze);
    }

    #[test]
    fn time_to_exhaustion_follows_the_burn_rate() {
        let mut t = SloTracker::new(SloConfig::default());
        steady(&mut t, 0, 3600, 100.0, 0.002);
        let burn = t.burn_rate(3600.0);
        assert!((burn - 2.0).abs() < 1e-6);
        let tte = t.time_to_exhaustion_s(3600.0).unwrap();
        let expected = t.budget_remaining_fraction() * 30.0 * DAY_S / burn;
        assert!((tte - expected).abs() < 1e-6);
        assert!(SloTracker::new(SloConfig::default())
            .time_to_exhaustion_s(3600.0)
            .is_none());
    }

    #[test]
    fn memory_of_the_tracker_does_not_grow_over_a_simulated_30_days() {
        let mut t = SloTracker::new(SloConfig::default());
        let before = t.buffer_slots();
        let month = 30 * 86_400;
        for s in 1..=month {
            let bad = if s % 1000 == 0 { 5.0 } else { 0.0 };
            let _ = t.record(f64::from(s), 1.0, 100.0 - bad, 100.0);
        }
        assert_eq!(t.buffer_slots(), before);
        assert!(t.budget_consumed_fraction() > 0.0 && t.budget_consumed_fraction() < 1.0);
        // 5 bad in 100 000 events per 1000 s: error ratio 5e-5, 5 % of budget.
        assert!((t.budget_consumed_fraction() - 0.05).abs() < 1e-3);
    }

    #[test]
    fn any_window_up_to_six_hours_can_be_asked_even_if_no_rule_uses_it() {
        let rule = BurnAlertRule {
            severity: Severity::Page,
            long_window_s: 3600.0,
            short_window_s: 300.0,
            burn_rate: 14.4,
        };
        let mut t = SloTracker::new(SloConfig {
            alerts: vec![rule],
            ..SloConfig::default()
        });
        steady(&mut t, 0, 3600, 100.0, 0.01);
        steady(&mut t, 3600, 6 * 3600, 100.0, 0.0);
        assert_eq!(t.burn_rate(3600.0), 0.0);
        assert!((t.burn_rate(6.0 * 3600.0) - 10.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn the_alert_table_has_five_windows_from_5_minutes_to_3_days() {
        let t = SloTracker::new(SloConfig::default());
        assert_eq!(t.windows(), &[300.0, 1800.0, 3600.0, 21_600.0, 3.0 * DAY_S]);
        assert_eq!(t.window_burn_rates().len(), 5);
        assert_eq!(t.rule_window_indices(0), Some((2, 0)));
        assert_eq!(t.rule_window_indices(2), Some((4, 3)));
    }

    #[test]
    fn a_constant_error_rate_burns_the_same_in_every_window_once_they_are_full() {
        let mut t = SloTracker::new(SloConfig::default());
        // 0.5 % errors against a 0.1 % budget: 5× in every window after 3 days.
        steady(&mut t, 0, 3 * 86_400 + 600, 20.0, 0.005);
        for (w, b) in t.windows().iter().zip(t.window_burn_rates()) {
            assert!((b - 5.0).abs() < 1e-6, "window {w} s burns {b}×");
            assert!((t.burn_rate(*w) - b).abs() < 1e-9);
        }
    }

    #[test]
    fn a_burst_shows_in_the_short_windows_first() {
        let mut t = SloTracker::new(SloConfig::default());
        steady(&mut t, 0, 86_400, 100.0, 0.0);
        // Two minutes at 10 % errors.
        steady(&mut t, 86_400, 86_400 + 120, 100.0, 0.1);
        let b = t.window_burn_rates().to_vec();
        assert!(b[0] > 0.0, "the 5 min window sees it");
        for k in 1..b.len() {
            assert!(
                b[k] < b[k - 1],
                "window {k} burns {} ≥ the shorter one's {}",
                b[k],
                b[k - 1]
            );
        }
        // 12 000 requests, 1 200 bad, over 5 min of 30 000: ratio 0.04 → 40×.
        assert!((b[0] - 40.0).abs() < 1.0, "{}", b[0]);
        // Ten minutes later the burst has left the 5 min window but not the hour.
        steady(&mut t, 86_400 + 120, 86_400 + 720, 100.0, 0.0);
        let b = t.window_burn_rates();
        assert_eq!(b[0], 0.0);
        assert!(b[2] > 0.0);
    }

    #[test]
    fn a_slow_burn_raises_the_ticket_but_no_page() {
        let mut t = SloTracker::new(SloConfig::default());
        steady(&mut t, 0, 4 * 86_400, 10.0, 0.002);
        assert!(t.alert_firing(2));
        assert!(!t.severity_firing(Severity::Page));
    }
}
