//! Capacity planning arithmetic (docs/models.md#capacity), under a stated linear assumption:
//! CPU utilization ∝ RPS per instance, no fixed overhead. Validate with load tests.
//!
//! **Not driven by the stepper**, and used by neither the questions nor the grader:
//! only its vectors in `tests/model_vectors.rs` call it. The capacity-model scenario
//! teaches the same numbers by running the engine.
//!
//! ```text
//!   10 000 rps / 20 instances = 500 rps each at 40 % CPU
//!     └─▶ at a 60 % target: 750 rps each ─▶ 15 000 rps max, 5 000 headroom
//!   rps_m = rps_0 · (1 + g)^m  ─▶ instances_m = ⌈rps_m / 750⌉ (+1 for N+1)
//! ```

/// Linear CPU headroom of a fleet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinearCpuHeadroom {
    /// [req/s] per instance today.
    pub rps_per_instance_now: f64,
    /// [req/s] per instance at the target utilization.
    pub rps_per_instance_at_target: f64,
    /// [req/s] the fleet serves at the target utilization.
    pub max_rps_at_target: f64,
    /// [req/s] left before the target utilization is reached.
    pub headroom_rps: f64,
}

/// Headroom of `instances` serving `current_rps` at `current_cpu_utilization`,
/// scaled linearly to `target_cpu_utilization` (fractions, e.g. 0.4 and 0.6).
pub fn linear_cpu_headroom(
    current_rps: f64,
    instances: u32,
    current_cpu_utilization: f64,
    target_cpu_utilization: f64,
) -> LinearCpuHeadroom {
    let rps_per_instance_now = current_rps / f64::from(instances);
    let rps_per_instance_at_target =
        rps_per_instance_now * target_cpu_utilization / current_cpu_utilization;
    let max_rps_at_target = rps_per_instance_at_target * f64::from(instances);
    LinearCpuHeadroom {
        rps_per_instance_now,
        rps_per_instance_at_target,
        max_rps_at_target,
        headroom_rps: max_rps_at_target - current_rps,
    }
}

/// Compound growth: rps_m = rps_0 · (1 + g)^m [req/s].
pub fn compound_growth_rps(current_rps: f64, monthly_growth: f64, months: u32) -> f64 {
    // Repeated multiplication in a fixed order (no powf), so results are reproducible.
    let mut rps = current_rps;
    for _ in 0..months {
        rps *= 1.0 + monthly_growth;
    }
    rps
}

/// Round half up to an integer (16 105.1 → 16 105, 17 715.61 → 17 716).
pub fn round_half_up(x: f64) -> i64 {
    (x + 0.5).floor() as i64
}

/// Instances needed for `rps` at `rps_per_instance`: ⌈rps / per-instance⌉.
/// A relative guard of 1e-12 keeps exact multiples (15 000 / 750) from rounding up
/// because of floating-point noise.
pub fn instances_needed(rps: f64, rps_per_instance: f64) -> u32 {
    let x = rps / rps_per_instance;
    (x * (1.0 - 1e-12)).ceil().max(0.0) as u32
}

/// Instances with N+1 redundancy (a convention, not a sourced rule): one spare.
pub fn instances_needed_n_plus_1(rps: f64, rps_per_instance: f64) -> u32 {
    instances_needed(rps, rps_per_instance) + 1
}

/// First month (0-based) whose demand exceeds `max_rps`, within `horizon_months`.
pub fn month_capacity_exceeded(
    current_rps: f64,
    monthly_growth: f64,
    max_rps: f64,
    horizon_months: u32,
) -> Option<u32> {
    (0..=horizon_months).find(|&m| compound_growth_rps(current_rps, monthly_growth, m) > max_rps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_20_instance_fleet_is_outgrown_in_month_5() {
        let h = linear_cpu_headroom(10_000.0, 20, 0.4, 0.6);
        assert_eq!(
            month_capacity_exceeded(10_000.0, 0.1, h.max_rps_at_target, 24),
            Some(5)
        );
        assert_eq!(round_half_up(compound_growth_rps(10_000.0, 0.1, 5)), 16_105);
    }

    #[test]
    fn instances_follow_the_spec_table() {
        let want = [14, 15, 17, 18, 20, 22, 24, 26, 29, 32, 35, 39, 42];
        for (m, w) in want.iter().enumerate() {
            assert_eq!(
                instances_needed(compound_growth_rps(10_000.0, 0.1, m as u32), 750.0),
                *w,
                "month {m}"
            );
        }
        assert_eq!(instances_needed(15_000.0, 750.0), 20);
    }
}
