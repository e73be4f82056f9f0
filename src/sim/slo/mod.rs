//! Service level objectives (docs/models.md#slo-and-burn-rates): error budgets, burn rates, multiwindow
//! burn-rate alerts and error-budget policies.
//!
//! ```text
//!   good/valid per tick ──▶ SloTracker ──▶ budget remaining, burn rates
//!                                     ├──▶ alerts fired/resolved (Table 5-8)
//!                                     └──▶ policy: Google (ship/freeze) + graded convention
//! ```

pub mod budget;
pub mod policy;
pub mod tracker;
pub mod window;

pub use budget::{
    allowed_failed_requests, budget_consumed_at_detection, burn_rate, burn_threshold,
    detection_time_s, error_budget, error_budget_fraction, error_ratio_threshold,
    time_to_exhaust_s, ErrorBudget,
};
pub use policy::{GooglePolicyStatus, PolicyTier, ReleaseDecision, TierThresholds};
pub use tracker::{AlertChanges, BurnAlertRule, Incident, Severity, SloConfig, SloTracker};
