//! A global server load balancer (GSLB) as a per-tick component: weighted,
//! latency or geographic routing across regions, failover and its lost writes
//! (docs/models.md#gslb-and-dns).
//!
//! ```text
//!   user group g ──resolver cache (TTL)──▶ answer: share per region
//!        │                                      │
//!        │         GSLB view of region health ◀─┘ (health checks: interval × threshold)
//!        ▼
//!   region r alive  → served, latency[g][r]       region r dead → failed (cached answer)
//!   EU group, no EU region up: Refuse → failed     Break → moved, counted as violations
//! ```
//!
//! Detection: a region that dies is taken out of the answers after
//! `health_check_interval_s × unhealthy_threshold`; clients still hold the old answer
//! until their DNS cache expires, and the caches expire evenly over `dns_ttl_s`, so the
//! traffic moves linearly over one TTL. A DNS failure fails the clients whose cache has
//! expired (a share rising linearly over one TTL). When a region is failed over, the writes
//! it took during the cross-region replication lag are lost (the RPO), and counted.

use serde::{Deserialize, Serialize};

/// How the GSLB picks regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GslbPolicy {
    /// Each user group goes to its lowest-latency healthy region.
    Latency,
    /// Each user group goes to its home region, else to its nearest healthy one.
    Geography,
    /// Every group is split over the healthy regions by their weights.
    Weighted,
}
crate::named_enum!(GslbPolicy {
    Latency = "latency",
    Geography = "geography",
    Weighted = "weighted",
});

/// The data-sovereignty rule: EU users' data stays in EU regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SovereigntyRule {
    /// No rule.
    Off,
    /// EU users only ever go to EU regions; with none healthy, their requests fail.
    Refuse,
    /// EU users prefer EU regions; with none healthy they fail over anyway, counted as violations.
    Break,
}
crate::named_enum!(SovereigntyRule {
    Off = "off",
    Refuse = "refuse",
    Break = "break",
});

/// A region as the GSLB knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GslbRegion {
    /// Name ("eu-west-1").
    pub name: String,
    /// In the EU jurisdiction.
    pub eu: bool,
    /// Weight of the Weighted policy.
    pub weight: f64,
}

/// A group of users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserGroup {
    /// Name ("EU users").
    pub name: String,
    /// Share of the demand [fraction, normalised over groups].
    pub share: f64,
    /// Their data is EU data.
    pub eu: bool,
    /// Home region index (Geography).
    pub home_region: u32,
    /// Round-trip latency to each region [ms], indexed like `regions`.
    pub latency_ms: Vec<f64>,
}

/// The GSLB's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GslbConfig {
    /// Policy.
    pub policy: GslbPolicy,
    /// Regions.
    pub regions: Vec<GslbRegion>,
    /// User groups.
    pub users: Vec<UserGroup>,
    /// DNS answer TTL [s].
    pub dns_ttl_s: f64,
    /// Health-check interval [s].
    pub health_check_interval_s: f64,
    /// Failed checks before a region is marked down.
    pub unhealthy_threshold: u32,
    /// Passed checks before a region is marked up again.
    pub healthy_threshold: u32,
    /// The sovereignty rule.
    pub sovereignty: SovereigntyRule,
}

impl GslbConfig {
    /// Checks the GSLB's regions against the topology's `regions` (names) and
    /// each user group's latencies and home region. Errors: (field path, message).
    pub fn validate(&self, regions: &[&str]) -> Result<(), (String, String)> {
        if self.regions.is_empty() || self.users.is_empty() {
            return Err((
                "gslb.regions".into(),
                "needs at least one region and one user group".into(),
            ));
        }
        for (i, r) in self.regions.iter().enumerate() {
            if !regions.contains(&r.name.as_str()) {
                return Err((
                    format!("gslb.regions[{i}].name"),
                    format!(
                        "there is no region \u{201c}{}\u{201d} in topology.regions; its regions are {}",
                        r.name,
                        regions.join(", ")
                    ),
                ));
            }
        }
        for (i, u) in self.users.iter().enumerate() {
            if u.latency_ms.len() != self.regions.len() {
                return Err((
                    format!("gslb.users[{i}].latency_ms"),
                    format!(
                        "user group `{}` needs one latency per GSLB region ({})",
                        u.name,
                        self.regions.len()
                    ),
                ));
            }
            if u.home_region as usize >= self.regions.len() {
                return Err((
                    format!("gslb.users[{i}].home_region"),
                    format!("user group `{}`: no GSLB region {}", u.name, u.home_region),
                ));
            }
        }
        Ok(())
    }
}

impl Default for GslbConfig {
    /// Three regions, us-east-1, us-west-2, eu-west-1; US and EU users (docs/models.md#default-figures).
    fn default() -> Self {
        let region = |name: &str, eu| GslbRegion {
            name: name.into(),
            eu,
            weight: 1.0,
        };
        GslbConfig {
            policy: GslbPolicy::Latency,
            regions: vec![
                region("us-east-1", false),
                region("us-west-2", false),
                region("eu-west-1", true),
            ],
            users: vec![
                UserGroup {
                    name: "US users".into(),
                    share: 0.6,
                    eu: false,
                    home_region: 0,
                    latency_ms: vec![20.0, 60.0, 90.0],
                },
                UserGroup {
                    name: "EU users".into(),
                    share: 0.4,
                    eu: true,
                    home_region: 2,
                    latency_ms: vec![90.0, 150.0, 20.0],
                },
            ],
            dns_ttl_s: 60.0,
            health_check_interval_s: 10.0,
            unhealthy_threshold: 3,
            healthy_threshold: 2,
            sovereignty: SovereigntyRule::Refuse,
        }
    }
}

/// What the GSLB is offered this tick.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GslbInput {
    /// Users' requests [req/s].
    pub demand_rps: f64,
    /// Share of the requests that write [fraction].
    pub write_share: f64,
    /// Cross-region replication lag [ms] (from the database model).
    pub replication_lag_ms: f64,
}

/// What happened in one tick.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GslbTick {
    /// Offered [req/s].
    pub demand_rps: f64,
    /// Sent to live regions [req/s] (per region: [`Gslb::region_rps`]).
    pub routed_rps: f64,
    /// Sent to a dead region by a stale answer or cache [req/s]: errors, reason "region down".
    pub failed_dead_region_rps: f64,
    /// EU requests refused because no EU region is healthy [req/s]: errors, reason "sovereignty".
    pub refused_sovereignty_rps: f64,
    /// Requests with no healthy region at all [req/s]: errors, reason "no region".
    pub no_region_rps: f64,
    /// DNS resolution failures [req/s]: errors, reason "DNS".
    pub dns_failed_rps: f64,
    /// EU requests served outside the EU [req/s] (`Break` only).
    pub sovereignty_violations_rps: f64,
    /// Mean user-to-region latency of the routed requests [ms].
    pub mean_latency_ms: f64,
    /// Regions the GSLB took out of its answers this tick.
    pub failovers: u32,
    /// Writes lost by those failovers (taken within the replication lag) [writes].
    pub rpo_lost_writes: f64,
}

/// Cumulative counts [req].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GslbTotals {
    /// Offered.
    pub demand: f64,
    /// Failed at a dead region.
    pub failed_dead_region: f64,
    /// Refused for sovereignty.
    pub refused_sovereignty: f64,
    /// No region.
    pub no_region: f64,
    /// DNS failures.
    pub dns_failed: f64,
    /// Sovereignty violations.
    pub sovereignty_violations: f64,
    /// Failovers [count].
    pub failovers: u32,
    /// Writes lost by failovers.
    pub rpo_lost_writes: f64,
}

/// The GSLB and its view of the regions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gslb {
    config: GslbConfig,
    /// Actual health.
    up: Vec<bool>,
    /// When the actual health last changed [s].
    changed_s: Vec<f64>,
    /// The GSLB's view.
    seen_up: Vec<bool>,
    /// Per group × region: share in the current answer.
    answer: Vec<f64>,
    /// Per group × region: share clients held before the last change.
    previous: Vec<f64>,
    /// Per group: share refused in the current / previous answer.
    refused: Vec<f64>,
    refused_prev: Vec<f64>,
    /// Per group: the current refusal is for sovereignty.
    refused_sov: Vec<bool>,
    /// When the answers last changed [s].
    answer_changed_s: f64,
    /// DNS failure fault since [s].
    dns_down_since_s: Option<f64>,
    /// Requests each region took last tick [req/s].
    region_rps: Vec<f64>,
    /// Requests each region took just before it died [req/s].
    rps_at_death: Vec<f64>,
    initialized: bool,
    totals: GslbTotals,
    last: GslbTick,
}

impl Gslb {
    /// A GSLB with every region healthy.
    pub fn new(config: GslbConfig) -> Self {
        let r = config.regions.len();
        let g = config.users.len();
        Gslb {
            up: vec![true; r],
            changed_s: vec![f64::MIN; r],
            seen_up: vec![true; r],
            answer: vec![0.0; g * r],
            previous: vec![0.0; g * r],
            refused: vec![0.0; g],
            refused_prev: vec![0.0; g],
            refused_sov: vec![false; g],
            answer_changed_s: f64::MIN,
            dns_down_since_s: None,
            region_rps: vec![0.0; r],
            rps_at_death: vec![0.0; r],
            initialized: false,
            totals: GslbTotals::default(),
            last: GslbTick::default(),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &GslbConfig {
        &self.config
    }

    /// Fault or recovery: region `r` is actually (un)healthy from `now_s` on.
    pub fn set_region_health(&mut self, r: usize, healthy: bool, now_s: f64) {
        if r < self.up.len() && self.up[r] != healthy {
            self.up[r] = healthy;
            self.changed_s[r] = now_s;
            if !healthy {
                self.rps_at_death[r] = self.region_rps[r];
            }
        }
    }

    /// Fault: DNS resolution fails from `now_s` (`false` ends it).
    pub fn set_dns_failure(&mut self, failing: bool, now_s: f64) {
        self.dns_down_since_s = if failing {
            self.dns_down_since_s.or(Some(now_s))
        } else {
            None
        };
    }

    /// Switches the sovereignty rule (the answers are recomputed next tick).
    pub fn set_sovereignty(&mut self, rule: SovereigntyRule) {
        self.config.sovereignty = rule;
        self.initialized = false;
    }

    /// Switches the policy (the answers are recomputed next tick).
    pub fn set_policy(&mut self, policy: GslbPolicy) {
        self.config.policy = policy;
        self.initialized = false;
    }

    /// The GSLB's view: region `r` is in its answers.
    pub fn region_in_rotation(&self, r: usize) -> bool {
        self.seen_up.get(r).copied().unwrap_or(false)
    }

    /// Requests each region took last tick [req/s].
    pub fn region_rps(&self) -> &[f64] {
        &self.region_rps
    }

    /// Cumulative counts.
    pub fn totals(&self) -> GslbTotals {
        self.totals
    }

    /// The last tick's output.
    pub fn last(&self) -> GslbTick {
        self.last
    }

    /// Advances one tick of `dt_s` at `now_s`.
    #[must_use]
    pub fn tick(&mut self, now_s: f64, dt_s: f64, input: &GslbInput) -> GslbTick {
        let dt = dt_s.max(0.0);
        let nr = self.config.regions.len();
        let demand = nonneg(input.demand_rps);
        let mut out = GslbTick {
            demand_rps: demand,
            ..GslbTick::default()
        };

        // Health checks.
        let down_after =
            self.config.health_check_interval_s * f64::from(self.config.unhealthy_threshold);
        let up_after =
            self.config.health_check_interval_s * f64::from(self.config.healthy_threshold);
        let mut changed = !self.initialized;
        for r in 0..nr {
            let since = now_s - self.changed_s[r];
            if self.up[r] != self.seen_up[r] {
                let due = if self.up[r] { up_after } else { down_after };
                if since >= due {
                    self.seen_up[r] = self.up[r];
                    changed = true;
                    if !self.up[r] {
                        out.failovers += 1;
                        out.rpo_lost_writes += self.rps_at_death[r]
                            * input.write_share.clamp(0.0, 1.0)
                            * nonneg(input.replication_lag_ms)
                            / 1000.0;
                    }
                }
            }
        }
        if changed {
            self.reanswer(now_s);
        }

        // Clients move to the new answer as their caches expire.
        let ttl = self.config.dns_ttl_s;
        let old = if ttl > 0.0 {
            (1.0 - (now_s - self.answer_changed_s) / ttl).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let dns_fail = match self.dns_down_since_s {
            Some(since) if ttl > 0.0 => ((now_s - since) / ttl).clamp(0.0, 1.0),
            Some(_) => 1.0,
            None => 0.0,
        };
        let share_sum: f64 = self.config.users.iter().map(|u| nonneg(u.share)).sum();
        self.region_rps.iter_mut().for_each(|x| *x = 0.0);
        let mut lat_sum = 0.0;
        for (g, u) in self.config.users.iter().enumerate() {
            let d = if share_sum > 0.0 {
                demand * nonneg(u.share) / share_sum
            } else {
                0.0
            };
            out.dns_failed_rps += d * dns_fail;
            let rest = d * (1.0 - dns_fail);
            let refused = rest * (old * self.refused_prev[g] + (1.0 - old) * self.refused[g]);
            if self.refused_sov[g] {
                out.refused_sovereignty_rps += refused;
            } else {
                out.no_region_rps += refused;
            }
            for r in 0..nr {
                let f = old * self.previous[g * nr + r] + (1.0 - old) * self.answer[g * nr + r];
                let x = rest * f;
                if x <= 0.0 {
                    continue;
                }
                if !self.up[r] {
                    out.failed_dead_region_rps += x;
                    continue;
                }
                self.region_rps[r] += x;
                out.routed_rps += x;
                lat_sum += x * u.latency_ms.get(r).copied().unwrap_or(0.0);
                if u.eu
                    && !self.config.regions[r].eu
                    && self.config.sovereignty == SovereigntyRule::Break
                {
                    out.sovereignty_violations_rps += x;
                }
            }
        }
        out.mean_latency_ms = if out.routed_rps > 0.0 {
            lat_sum / out.routed_rps
        } else {
            0.0
        };
        let t = &mut self.totals;
        t.demand += demand * dt;
        t.failed_dead_region += out.failed_dead_region_rps * dt;
        t.refused_sovereignty += out.refused_sovereignty_rps * dt;
        t.no_region += out.no_region_rps * dt;
        t.dns_failed += out.dns_failed_rps * dt;
        t.sovereignty_violations += out.sovereignty_violations_rps * dt;
        t.failovers += out.failovers;
        t.rpo_lost_writes += out.rpo_lost_writes;
        self.last = out;
        out
    }

    /// Recomputes every group's answer from the GSLB's view; clients still hold the old one.
    fn reanswer(&mut self, now_s: f64) {
        let nr = self.config.regions.len();
        let ttl = self.config.dns_ttl_s;
        let old = if self.initialized && ttl > 0.0 {
            (1.0 - (now_s - self.answer_changed_s) / ttl).clamp(0.0, 1.0)
        } else {
            0.0
        };
        for g in 0..self.config.users.len() {
            for r in 0..nr {
                let i = g * nr + r;
                self.previous[i] = if self.initialized {
                    old * self.previous[i] + (1.0 - old) * self.answer[i]
                } else {
                    0.0
                };
            }
            self.refused_prev[g] = if self.initialized {
                old * self.refused_prev[g] + (1.0 - old) * self.refused[g]
            } else {
                0.0
            };
            let u = &self.config.users[g];
            let restrict = u.eu && self.config.sovereignty != SovereigntyRule::Off;
            let mut found = self.choose(g, restrict);
            let mut sov = false;
            if !found && restrict {
                sov = self.seen_up.iter().any(|&x| x);
                if self.config.sovereignty == SovereigntyRule::Break {
                    found = self.choose(g, false);
                }
            }
            self.refused[g] = if found { 0.0 } else { 1.0 };
            self.refused_sov[g] = !found && sov;
        }
        self.answer_changed_s = if self.initialized { now_s } else { f64::MIN };
        self.initialized = true;
    }

    /// Fills group `g`'s answer by the policy over healthy (and, if `eu_only`, EU) regions.
    fn choose(&mut self, g: usize, eu_only: bool) -> bool {
        let nr = self.config.regions.len();
        let u = &self.config.users[g];
        let ok = |r: usize| self.seen_up[r] && (!eu_only || self.config.regions[r].eu);
        let row = &mut self.answer[g * nr..(g + 1) * nr];
        row.iter_mut().for_each(|x| *x = 0.0);
        let nearest = (0..nr)
            .filter(|&r| ok(r))
            .fold(None, |best: Option<usize>, r| {
                let l = u.latency_ms.get(r).copied().unwrap_or(f64::INFINITY);
                match best {
                    Some(b) if u.latency_ms.get(b).copied().unwrap_or(f64::INFINITY) <= l => {
                        Some(b)
                    }
                    _ => Some(r),
                }
            });
        match self.config.policy {
            GslbPolicy::Latency => match nearest {
                Some(r) => {
                    row[r] = 1.0;
                    true
                }
                None => false,
            },
            GslbPolicy::Geography => {
                let home = u.home_region as usize;
                let pick = if home < nr && ok(home) {
                    Some(home)
                } else {
                    nearest
                };
                match pick {
                    Some(r) => {
                        row[r] = 1.0;
                        true
                    }
                    None => false,
                }
            }
            GslbPolicy::Weighted => {
                let sum: f64 = (0..nr)
                    .filter(|&r| ok(r))
                    .map(|r| nonneg(self.config.regions[r].weight))
                    .sum();
                if sum <= 0.0 {
                    return false;
                }
                for (r, x) in row.iter_mut().enumerate() {
                    if ok(r) {
                        *x = nonneg(self.config.regions[r].weight) / sum;
                    }
                }
                true
            }
        }
    }
}

/// `x` when finite and positive, else 0.
fn nonneg(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: GslbInput = GslbInput {
        demand_rps: 1_000.0,
        write_share: 0.1,
        replication_lag_ms: 500.0,
    };

    fn run(g: &mut Gslb, from_s: f64, to_s: f64) -> GslbTick {
        let mut t = from_s;
        let mut last = GslbTick::default();
        while t < to_s {
            last = g.tick(t, 1.0, &INPUT);
            t += 1.0;
        }
        last
    }

    #[test]
    fn the_latency_policy_sends_each_group_to_its_nearest_region() {
        let mut g = Gslb::new(GslbConfig::default());
        let out = g.tick(0.0, 1.0, &INPUT);
        assert_eq!(g.region_rps(), &[600.0, 0.0, 400.0]);
        assert!((out.mean_latency_ms - 20.0).abs() < 1e-12);
    }

    #[test]
    fn gslb_fails_over_a_dead_region_after_the_detection_delay_and_one_ttl() {
        let mut g = Gslb::new(GslbConfig::default());
        run(&mut g, 0.0, 10.0);
        g.set_region_health(0, false, 10.0);
        let out = run(&mut g, 10.0, 39.0);
        assert!(g.region_in_rotation(0));
        assert!((out.failed_dead_region_rps - 600.0).abs() < 1e-9);
        let out = g.tick(40.0, 1.0, &INPUT);
        assert_eq!(out.failovers, 1);
        assert!((out.rpo_lost_writes - 600.0 * 0.1 * 0.5).abs() < 1e-9);
        assert!(!g.region_in_rotation(0));
        let out = run(&mut g, 41.0, 101.0);
        assert_eq!(out.failed_dead_region_rps, 0.0);
        assert!((g.region_rps()[1] - 600.0).abs() < 1e-9);
    }

    #[test]
    fn the_weighted_policy_splits_by_weight_and_renormalises_over_the_survivors() {
        let mut cfg = GslbConfig {
            policy: GslbPolicy::Weighted,
            sovereignty: SovereigntyRule::Off,
            dns_ttl_s: 0.0,
            ..GslbConfig::default()
        };
        cfg.regions[0].weight = 2.0;
        let mut g = Gslb::new(cfg);
        let _ = g.tick(0.0, 1.0, &INPUT);
        assert_eq!(g.region_rps(), &[500.0, 250.0, 250.0]);
        g.set_region_health(1, false, 1.0);
        run(&mut g, 1.0, 40.0);
        assert_eq!(g.region_rps(), &[2_000.0 / 3.0, 0.0, 1_000.0 / 3.0]);
    }

    #[test]
    fn the_geography_policy_keeps_users_home_and_falls_back_to_the_nearest_region() {
        let mut g = Gslb::new(GslbConfig {
            policy: GslbPolicy::Geography,
            sovereignty: SovereigntyRule::Off,
            dns_ttl_s: 0.0,
            ..GslbConfig::default()
        });
        let _ = g.tick(0.0, 1.0, &INPUT);
        assert_eq!(g.region_rps(), &[600.0, 0.0, 400.0]);
        g.set_region_health(2, false, 1.0);
        let out = run(&mut g, 1.0, 40.0);
        assert_eq!(g.region_rps(), &[1_000.0, 0.0, 0.0]);
        assert_eq!(
            out.sovereignty_violations_rps, 0.0,
            "no rule, nothing counted"
        );
    }

    #[test]
    fn a_dns_failure_fails_clients_as_their_caches_expire() {
        let mut g = Gslb::new(GslbConfig::default());
        run(&mut g, 0.0, 10.0);
        g.set_dns_failure(true, 10.0);
        let half = run(&mut g, 10.0, 41.0);
        assert!((half.dns_failed_rps - 500.0).abs() < 1e-9);
        let all = run(&mut g, 41.0, 80.0);
        assert_eq!(all.dns_failed_rps, 1_000.0);
        g.set_dns_failure(false, 80.0);
        assert_eq!(g.tick(80.0, 1.0, &INPUT).dns_failed_rps, 0.0);
    }
}
