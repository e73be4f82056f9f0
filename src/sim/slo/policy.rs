//! Error-budget policies: Google's and a graded convention (docs/models.md#error-budget-policy).
//!
//! ```text
//!   budget remaining: 100 % ── 50 % ── 10 % ── 0 %
//!   convention:       deploy │ slower │ freeze │ exhausted      (configurable)
//!   Google (Workbook): ship ─────────────────── │ freeze          (+ postmortem if one incident > 20 %)
//! ```
//!
//! Google's "Example Error Budget Policy" (SRE Workbook) is binary: releases
//! proceed while the service is within its SLO; "if the service has exceeded its
//! error budget for the preceding four-week window, we will halt all changes and
//! releases other than P0 issues or security fixes"; and "if a single incident
//! consumes more than 20 % of error budget over four weeks, then the team must
//! conduct a postmortem". The graded tiers below are an industry **convention**
//! (the wording of the course material the scenarios come from), not from the Workbook.

use serde::{Deserialize, Serialize};

/// Graded error-budget tier — a configurable CONVENTION, not Google's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyTier {
    /// Budget remaining above the slow-down threshold (50 %).
    DeployNormally,
    /// Budget remaining between the freeze and slow-down thresholds (10–50 %).
    SlowerDeployments,
    /// Budget remaining below the freeze threshold (10 %) but not exhausted.
    FeatureFreeze,
    /// No budget left.
    BudgetExhausted,
}

impl PolicyTier {
    /// Heading of the tier, as the convention words it.
    pub fn label(self) -> &'static str {
        match self {
            PolicyTier::DeployNormally => "Error Budget > 50%",
            PolicyTier::SlowerDeployments => "Error Budget 10-50%",
            PolicyTier::FeatureFreeze => "Error Budget < 10%",
            PolicyTier::BudgetExhausted => "Error Budget Exhausted",
        }
    }

    /// What the tier asks of the team, in the convention's words.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            PolicyTier::DeployNormally => {
                &["Deploy normally", "Run experiments", "Add new features"]
            }
            PolicyTier::SlowerDeployments => &[
                "Slower deployments",
                "Extra review for risky changes",
                "Focus on reliability improvements",
            ],
            PolicyTier::FeatureFreeze => &[
                "Feature freeze",
                "Only reliability fixes deployed",
                "Postmortem required for any new issues",
            ],
            PolicyTier::BudgetExhausted => &[
                "All hands on reliability",
                "Executive escalation",
                "No deploys until budget restored",
            ],
        }
    }
}

/// Thresholds of the graded convention, as fractions of budget remaining.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierThresholds {
    /// Below this remaining fraction (and down to `freeze_below_remaining`): slower deployments. Default 0.5.
    pub slower_below_remaining: f64,
    /// Below this remaining fraction: feature freeze. Default 0.1.
    pub freeze_below_remaining: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        Self {
            slower_below_remaining: 0.5,
            freeze_below_remaining: 0.1,
        }
    }
}

impl TierThresholds {
    /// Tier for a remaining budget fraction: > 50 % deploy, 10–50 % slower, < 10 % freeze, ≤ 0 exhausted.
    pub fn tier(&self, remaining_fraction: f64) -> PolicyTier {
        if remaining_fraction <= 0.0 {
            PolicyTier::BudgetExhausted
        } else if remaining_fraction < self.freeze_below_remaining {
            PolicyTier::FeatureFreeze
        } else if remaining_fraction <= self.slower_below_remaining {
            PolicyTier::SlowerDeployments
        } else {
            PolicyTier::DeployNormally
        }
    }
}

/// Release decision of Google's example policy (binary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReleaseDecision {
    /// Within budget: releases proceed.
    Ship,
    /// Budget exhausted over the window: "halt all changes and releases other than P0 issues or security fixes".
    Freeze,
}

/// Google's example error-budget policy applied to the tracker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GooglePolicyStatus {
    pub releases: ReleaseDecision,
    /// A single incident consumed more than 20 % of the budget within the window.
    pub postmortem_required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graded_tiers_follow_the_budget_remaining() {
        let t = TierThresholds::default();
        assert_eq!(t.tier(1.0), PolicyTier::DeployNormally);
        assert_eq!(t.tier(0.51), PolicyTier::DeployNormally);
        assert_eq!(t.tier(0.5), PolicyTier::SlowerDeployments);
        assert_eq!(t.tier(0.1), PolicyTier::SlowerDeployments);
        assert_eq!(t.tier(0.09), PolicyTier::FeatureFreeze);
        assert_eq!(t.tier(0.0), PolicyTier::BudgetExhausted);
        assert_eq!(PolicyTier::FeatureFreeze.actions()[0], "Feature freeze");
    }
}
