//! Load shedding by priority at the load balancer: when the fleet is saturated, the
//! lowest-priority classes are refused first (docs/models.md#load-shedding).
//!
//! ```text
//!   budget = cpu_threshold · pods · limit · dt − queued work over the queue bound
//!   offered work ≤ budget ─▶ every class passes
//!   else: classes by priority, highest first, each takes its CPU work from the budget;
//!         the class that does not fit passes in part, the ones below are shed (503)
//! ```
//!
//! The budget is the pods in rotation at the threshold (the last tick's fleet); it holds
//! while the surge lasts, so shedding does not flap as a trigger on the measured CPU
//! would (shed, the CPU falls under the threshold, stop, the surge floods in, shed).
//!
//! This is the "criticality" of the SRE book's chapter on handling overload and of
//! Envoy's overload manager read over aggregate flows: a backend out of capacity
//! rejects the least critical requests first, so checkout keeps its latency while
//! browse is refused. Classes of equal priority are shed alike. A shed request fails
//! at once with a 503, which clients retry as "unavailable".

use serde::{Deserialize, Serialize};

fn default_cpu_threshold() -> f64 {
    90.0
}

/// `[shedding]`: when to shed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheddingPolicy {
    /// The share of the fleet's CPU (of the pods' limit) the classes may use [%]
    /// (default 90): work offered past it is shed, lowest priority first.
    #[serde(default = "default_cpu_threshold")]
    pub cpu_threshold_pct: f64,
    /// Queued requests per pod in rotation the fleet may hold [requests]: the queued
    /// work over it is taken off the budget, to drain it. None: CPU only.
    #[serde(default)]
    pub queue_threshold: Option<f64>,
}

impl Default for SheddingPolicy {
    fn default() -> Self {
        Self {
            cpu_threshold_pct: default_cpu_threshold(),
            queue_threshold: None,
        }
    }
}

/// The fleet as the shedder sees it at the start of a tick (the last tick's figures).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FleetLoad {
    /// Ready app pods in rotation.
    pub pods: u32,
    /// Their CPU as they can use it now: each one's limit, less while it warms up or
    /// is stressed [millicores].
    pub capacity_m: f64,
    /// Requests queued on them [requests].
    pub queued: f64,
    /// Mean CPU per queued request [ms].
    pub mean_cpu_ms: f64,
}

/// The shedder in the World.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shedder {
    /// The policy.
    pub policy: SheddingPolicy,
    /// Shed this tick, per class [requests].
    pub shed: Vec<f64>,
    /// Shed since the start, per class [requests].
    pub shed_total: Vec<f64>,
    /// Each class's priority (by class index).
    priorities: Vec<u8>,
    /// Class indexes by priority, highest first.
    order: Vec<usize>,
}

impl Shedder {
    /// A shedder for classes of `priorities` (by class index).
    pub fn new(policy: SheddingPolicy, priorities: &[u8]) -> Self {
        // Highest priority first; equal priorities keep their order (and are shed
        // alike). An insertion sort: a handful of classes, and no generic sort in the
        // page's wasm.
        let mut order: Vec<usize> = Vec::with_capacity(priorities.len());
        for c in 0..priorities.len() {
            let at = order
                .iter()
                .position(|o| priorities[*o] < priorities[c])
                .unwrap_or(order.len());
            order.insert(at, c);
        }
        Self {
            policy,
            shed: vec![0.0; priorities.len()],
            shed_total: vec![0.0; priorities.len()],
            priorities: priorities.to_vec(),
            order,
        }
    }

    /// One tick of `dt` seconds: sheds from `class_arrivals` (per class, CPU cost
    /// `cpu_ms`) what the fleet cannot take, by the classes' priorities; returns the
    /// requests shed.
    pub fn admit(
        &mut self,
        class_arrivals: &mut [f64],
        cpu_ms: &[f64],
        fleet: &FleetLoad,
        dt: f64,
    ) -> f64 {
        self.shed.iter_mut().for_each(|s| *s = 0.0);
        if fleet.pods == 0 {
            return 0.0;
        }
        let capacity_m = fleet.capacity_m;
        let threshold = self.policy.cpu_threshold_pct / 100.0;
        let per_pod_queue = fleet.queued / f64::from(fleet.pods);
        // CPU-ms the classes may use this tick: the threshold's share of the fleet,
        // less the queued work over the bound.
        let over = self
            .policy
            .queue_threshold
            .map_or(0.0, |q| (per_pod_queue - q).max(0.0))
            * f64::from(fleet.pods);
        let mut budget = (threshold * capacity_m * dt - over * fleet.mean_cpu_ms).max(0.0);
        let offered: f64 = class_arrivals.iter().zip(cpu_ms).map(|(n, c)| n * c).sum();
        if offered <= budget {
            return 0.0;
        }
        let mut shed = 0.0;
        let mut i = 0;
        while i < self.order.len() {
            // The classes of this priority, together.
            let p = self.priorities[self.order[i]];
            let mut j = i;
            let mut work = 0.0;
            while j < self.order.len() && self.priorities[self.order[j]] == p {
                let c = self.order[j];
                work += class_arrivals[c] * cpu_ms[c];
                j += 1;
            }
            let k = if work <= budget {
                1.0
            } else if work > 0.0 {
                budget / work
            } else {
                1.0
            };
            budget = (budget - work * k).max(0.0);
            for &c in &self.order[i..j] {
                let out = class_arrivals[c] * (1.0 - k);
                self.shed[c] = out;
                self.shed_total[c] += out;
                class_arrivals[c] -= out;
                shed += out;
            }
            i = j;
        }
        shed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fleet() -> FleetLoad {
        FleetLoad {
            pods: 10,
            capacity_m: 10.0 * 1000.0,
            queued: 0.0,
            mean_cpu_ms: 5.0,
        }
    }

    #[test]
    fn load_within_the_budget_sheds_nothing() {
        // 10 pods of one core at 90 %: 9,000 CPU-ms a second; 1,500 requests of 5 ms fit.
        let mut s = Shedder::new(SheddingPolicy::default(), &[1, 5]);
        let mut a = [1200.0, 300.0];
        assert_eq!(s.admit(&mut a, &[5.0, 5.0], &fleet(), 1.0), 0.0);
        assert_eq!(a, [1200.0, 300.0]);
        assert!(s.shed.iter().all(|x| *x == 0.0));
    }

    #[test]
    fn a_saturated_fleet_sheds_the_lowest_priority_first() {
        // 10 pods of one core at 90 %: 9,000 CPU-ms a second, 1,800 requests of 5 ms.
        let mut s = Shedder::new(SheddingPolicy::default(), &[1, 5]);
        let mut a = [4000.0, 1000.0];
        let shed = s.admit(&mut a, &[5.0, 5.0], &fleet(), 1.0);
        assert_eq!(a, [800.0, 1000.0], "checkout whole, browse what is left");
        assert_eq!(shed, 3200.0);
        assert_eq!(s.shed, vec![3200.0, 0.0]);
        // Past even checkout's share: browse all shed, checkout in part.
        let mut a = [4000.0, 4000.0];
        s.admit(&mut a, &[5.0, 5.0], &fleet(), 1.0);
        assert_eq!(a, [0.0, 1800.0]);
    }

    #[test]
    fn equal_priorities_are_shed_alike_and_a_deep_queue_takes_its_work_off() {
        let policy = SheddingPolicy {
            cpu_threshold_pct: 90.0,
            queue_threshold: Some(100.0),
        };
        let mut s = Shedder::new(policy, &[3, 3]);
        let mut a = [2000.0, 2000.0];
        let mut f = fleet();
        f.queued = 10.0 * 160.0; // 60 a pod over the bound: 600 requests, 3,000 CPU-ms
        s.admit(&mut a, &[5.0, 5.0], &f, 1.0);
        assert!(
            (a[0] - 600.0).abs() < 1e-9 && (a[1] - 600.0).abs() < 1e-9,
            "{a:?}"
        );
    }
}
