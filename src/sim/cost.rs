//! Cost: node-hours priced by how the nodes are bought (stage 9 of [`step()`](super::step());
//! docs/models.md#cost).
//!
//! ```text
//!   nodes (provisioning + ready) × $/node-hour[price class] ──▶ $/hour, $/month, $ per 1M requests
//! ```
//!
//! By default spot saves 40 % and reserved 50 % against on-demand.

use super::topology::PriceClass;
use serde::{Deserialize, Serialize};

/// Hours in a billing month (365 × 24 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Prices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostConfig {
    /// On-demand price of one node [$/node-hour].
    pub on_demand_per_node_hour: f64,
    /// Spot discount against on-demand (0.4 = 40 % cheaper).
    pub spot_discount: f64,
    /// Reserved discount against on-demand (0.5 = 50 % cheaper).
    pub reserved_discount: f64,
}

impl Default for CostConfig {
    fn default() -> Self {
        Self {
            on_demand_per_node_hour: 0.192,
            spot_discount: 0.4,
            reserved_discount: 0.5,
        }
    }
}

impl CostConfig {
    /// Price of one node of `class` [$/node-hour].
    pub fn per_node_hour(&self, class: PriceClass) -> f64 {
        let p = self.on_demand_per_node_hour;
        match class {
            PriceClass::OnDemand => p,
            PriceClass::Spot => p * (1.0 - self.spot_discount),
            PriceClass::Reserved => p * (1.0 - self.reserved_discount),
        }
    }
}

/// Cost of a run so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostMeter {
    /// Total spent [$].
    pub total_usd: f64,
    /// Current spend rate [$/hour].
    pub per_hour_usd: f64,
}

impl CostMeter {
    /// Spend at `per_hour_usd` for `dt_s`.
    #[inline]
    pub fn charge(&mut self, per_hour_usd: f64, dt_s: f64) {
        self.per_hour_usd = per_hour_usd;
        self.total_usd += per_hour_usd * dt_s / 3600.0;
    }

    /// The current rate over a month [$/month].
    pub fn per_month_usd(&self) -> f64 {
        self.per_hour_usd * HOURS_PER_MONTH
    }

    /// Cost per million served requests [$], 0 before any.
    pub fn per_million_requests_usd(&self, served: f64) -> f64 {
        if served > 0.0 {
            self.total_usd / served * 1e6
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_and_reserved_nodes_cost_less_than_on_demand() {
        let c = CostConfig::default();
        assert!((c.per_node_hour(PriceClass::Spot) - 0.192 * 0.6).abs() < 1e-12);
        assert!((c.per_node_hour(PriceClass::Reserved) - 0.096).abs() < 1e-12);
    }

    #[test]
    fn a_node_for_a_month_costs_its_hourly_price_times_730() {
        let mut m = CostMeter::default();
        m.charge(0.192, 3600.0);
        assert!((m.total_usd - 0.192).abs() < 1e-12);
        assert!((m.per_month_usd() - 140.16).abs() < 1e-9);
        assert!((m.per_million_requests_usd(1e6) - 0.192).abs() < 1e-12);
    }
}
