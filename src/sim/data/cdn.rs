//! The CDN: edge locations that serve cacheable content near the user.
//!
//! ```text
//!   users ──▶ [ edge PoP × P ] ── hit (≈ 20 ms) ──▶ users
//!                   │ miss / uncacheable / collapsed
//!                   ▼
//!             [ origin: LB → pods ] ── origin latency ──▶ edge ──▶ users
//! ```
//!
//! Each request class has a cacheable share, a TTL and a working set of
//! objects with Zipf-like popularity. Every PoP caches on its own, so a PoP
//! sees 1/P of the class's requests. Per popularity bucket, an object is cold,
//! being fetched from the origin, or cached until its TTL expires
//! ([`key_warmth`](super::key_warmth)): the hit ratio follows from TTL × request
//! rate per object, hot objects are nearly always cached, the long tail rarely.
//! Typical figures (static assets cached 7–30 days, API responses 5–60 min, 70–80 %
//! origin offload, 200 ms → 20–50 ms) come out of these parameters, not out of a set ratio.
//!
//! **Purge.** A purge (or flush) empties every PoP: the hit ratio collapses,
//! the origin sees the surge, then the edge re-warms: the hot objects within
//! a request or two, the tail at the pace of its requests, with the warm-up
//! time constant 1/(r + 1/T) per object. With request collapsing (CloudFront
//! and most CDNs do it) concurrent misses of one object at one PoP share one
//! origin fetch; without it each sends its own.
//!
//! The mechanism is the TTL-cache fill cycle of [`key_warmth`](super::key_warmth);
//! the origin's latency comes from the engine's queueing (docs/models.md#cdn).

use super::key_warmth::KeyWarmth;
use super::popularity::{Popularity, BUCKETS};
use serde::{Deserialize, Serialize};

/// How one request class behaves at the edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EdgeClassConfig {
    /// Share of the class's requests that may be cached [0..1] (checkout: 0).
    pub cacheable_share: f64,
    /// Time to live at the edge [s].
    pub ttl_s: f64,
    /// Distinct cacheable objects [objects].
    pub objects: u64,
    /// Zipf exponent of object popularity.
    pub zipf_s: f64,
}

impl Default for EdgeClassConfig {
    fn default() -> Self {
        EdgeClassConfig {
            cacheable_share: 0.8,
            ttl_s: 600.0,
            objects: 10_000,
            zipf_s: 1.0,
        }
    }
}

/// The CDN's configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CdnConfig {
    /// Points of presence, each with its own cache.
    pub pops: u32,
    /// Latency of a request served at the edge [ms] (typically 20–50 ms).
    pub edge_latency_ms: f64,
    /// Request collapsing: one origin fetch per missing object per PoP.
    pub collapse_requests: bool,
    /// One entry per request class, in the order of the traffic's classes.
    pub classes: Vec<EdgeClassConfig>,
}

impl CdnConfig {
    /// Checks the per-class entries against the scenario's `request_classes`
    /// classes. Errors: (field path, message).
    pub fn validate(&self, request_classes: usize) -> Result<(), (String, String)> {
        if self.classes.len() != request_classes {
            return Err((
                "cdn.classes".into(),
                format!(
                    "needs one entry per request class ({request_classes}), got {}",
                    self.classes.len()
                ),
            ));
        }
        Ok(())
    }
}

impl Default for CdnConfig {
    fn default() -> Self {
        CdnConfig {
            pops: 10,
            edge_latency_ms: 20.0,
            collapse_requests: true,
            classes: vec![EdgeClassConfig::default()],
        }
    }
}

/// One tick's input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CdnInput<'a> {
    /// Requests arriving this tick per class [requests], in the classes' order.
    pub class_arrivals: &'a [f64],
    /// Current latency of the origin [ms], the fetch time of a miss.
    pub origin_latency_ms: f64,
}

/// One tick's output, summed over the classes.
/// Conservation: `requests = edge_hits + to_origin + collapsed`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CdnOutput {
    /// Requests in [requests].
    pub requests: f64,
    /// Served at the edge [requests], latency `edge_latency_ms`.
    pub edge_hits: f64,
    /// Sent to the origin (misses and uncacheable) [requests]; latency
    /// `edge_latency_ms` + the origin's latency. Per class: [`Cdn::origin_by_class`].
    pub to_origin: f64,
    /// Misses that waited for another request's origin fetch [requests];
    /// latency `edge_latency_ms + origin latency`, no origin load.
    pub collapsed: f64,
    /// Edge hits over cacheable requests [0..1].
    pub hit_ratio: f64,
    /// Share of all requests kept off the origin [%].
    pub offload_pct: f64,
    /// Mean latency of all requests [ms], given the input origin latency.
    pub mean_latency_ms: f64,
}

/// The edge state of one class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeClass {
    /// Object popularity.
    pub popularity: Popularity,
    /// Warmth of each popularity bucket, the same at every PoP.
    pub warmth: [KeyWarmth; BUCKETS],
    /// Requests of this class sent to the origin last tick [requests].
    pub to_origin: f64,
    /// Hit ratio of this class's cacheable requests last tick [0..1].
    pub hit_ratio: f64,
}

/// The CDN's state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cdn {
    /// Configuration.
    pub config: CdnConfig,
    /// Per class state.
    pub classes: Vec<EdgeClass>,
    /// Requests per class sent to the origin last tick [requests].
    pub origin_by_class: Vec<f64>,
    /// The last tick's output.
    pub last: CdnOutput,
}

impl Cdn {
    /// A cold CDN.
    pub fn new(config: CdnConfig) -> Self {
        let classes: Vec<EdgeClass> = config
            .classes
            .iter()
            .map(|c| EdgeClass {
                popularity: Popularity::zipf(c.objects, c.zipf_s),
                warmth: [KeyWarmth::default(); BUCKETS],
                to_origin: 0.0,
                hit_ratio: 0.0,
            })
            .collect();
        let n = classes.len();
        Cdn {
            config,
            classes,
            origin_by_class: vec![0.0; n],
            last: CdnOutput::default(),
        }
    }

    /// Fault: purge every object at every PoP.
    pub fn purge(&mut self) {
        for i in 0..self.classes.len() {
            self.purge_class(i);
        }
    }

    /// Purges one class's objects.
    pub fn purge_class(&mut self, class: usize) {
        if let Some(c) = self.classes.get_mut(class) {
            for w in &mut c.warmth {
                w.cached = 0.0;
            }
        }
    }

    /// A view for the UI.
    pub fn snapshot(&self) -> CdnSnapshot {
        CdnSnapshot {
            hit_ratio: self.last.hit_ratio,
            offload_pct: self.last.offload_pct,
            class_hit_ratio: self.classes.iter().map(|c| c.hit_ratio).collect(),
            class_to_origin: self.origin_by_class.clone(),
            edge_latency_ms: self.config.edge_latency_ms,
            mean_latency_ms: self.last.mean_latency_ms,
        }
    }

    /// Requests per class sent to the origin last tick [requests].
    pub fn origin_by_class(&self) -> &[f64] {
        &self.origin_by_class
    }

    /// Advances one tick of `dt_s` [s]. Classes beyond the configured ones pass to the origin.
    #[must_use]
    pub fn tick(&mut self, _now_s: f64, dt_s: f64, input: &CdnInput) -> CdnOutput {
        let dt = dt_s.max(1e-9);
        let pops = f64::from(self.config.pops.max(1));
        let fetch_s = (input.origin_latency_ms.max(0.0) / 1000.0).max(1e-4);
        let collapse = self.config.collapse_requests;
        let mut out = CdnOutput::default();
        let mut cacheable_total = 0.0;
        for (i, slot) in self.origin_by_class.iter_mut().enumerate() {
            *slot = 0.0;
            let n_in = input.class_arrivals.get(i).copied().unwrap_or(0.0).max(0.0);
            let cfg = &self.config.classes[i];
            let st = &mut self.classes[i];
            let cacheable = n_in * cfg.cacheable_share.clamp(0.0, 1.0);
            let mut hits = 0.0;
            let mut fetches = 0.0;
            let mut dup = 0.0;
            // A class with nothing cacheable stays cold: its buckets need no step.
            let buckets = if cfg.cacheable_share > 0.0 {
                BUCKETS
            } else {
                0
            };
            let (beta, expiry) = KeyWarmth::tick_constants(dt, fetch_s, cfg.ttl_s);
            for b in 0..buckets {
                let objs = st.popularity.keys[b];
                if objs <= 0.0 {
                    continue;
                }
                // Each PoP sees 1/P of the requests and caches on its own.
                let r = cacheable * st.popularity.share[b] / dt / (objs * pops);
                let fl = st.warmth[b].step_with(dt, r, beta, expiry, 0.0);
                let copies = objs * pops;
                hits += fl.hits * copies;
                fetches += fl.fetches * copies;
                dup += fl.in_flight_misses * copies;
            }
            let counted = hits + fetches + dup;
            if counted > 0.0 {
                let k = cacheable / counted;
                hits *= k;
                fetches *= k;
                dup *= k;
            }
            let (origin_misses, waiters) = if collapse {
                (fetches, dup)
            } else {
                (fetches + dup, 0.0)
            };
            let to_origin = (n_in - cacheable) + origin_misses;
            *slot = to_origin;
            st.to_origin = to_origin;
            st.hit_ratio = if cacheable > 0.0 {
                hits / cacheable
            } else {
                0.0
            };
            out.requests += n_in;
            out.edge_hits += hits;
            out.to_origin += to_origin;
            out.collapsed += waiters;
            cacheable_total += cacheable;
        }
        for &n in input.class_arrivals.iter().skip(self.classes.len()) {
            out.requests += n.max(0.0);
            out.to_origin += n.max(0.0);
        }
        out.hit_ratio = if cacheable_total > 0.0 {
            out.edge_hits / cacheable_total
        } else {
            0.0
        };
        out.offload_pct = if out.requests > 0.0 {
            100.0 * (1.0 - out.to_origin / out.requests)
        } else {
            0.0
        };
        let edge = self.config.edge_latency_ms.max(0.0);
        out.mean_latency_ms = if out.requests > 0.0 {
            edge + input.origin_latency_ms.max(0.0) * (out.to_origin + out.collapsed) / out.requests
        } else {
            edge
        };
        self.last = out;
        out
    }
}

/// The CDN, for the UI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CdnSnapshot {
    /// Hit ratio of cacheable requests [0..1].
    pub hit_ratio: f64,
    /// Share of requests kept off the origin [%].
    pub offload_pct: f64,
    /// Hit ratio per class [0..1].
    pub class_hit_ratio: Vec<f64>,
    /// Requests per class sent to the origin last tick [requests].
    pub class_to_origin: Vec<f64>,
    /// Edge latency [ms].
    pub edge_latency_ms: f64,
    /// Mean latency of all requests [ms].
    pub mean_latency_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cdn: &mut Cdn, rps: f64, ticks: usize) -> CdnOutput {
        let mut out = CdnOutput::default();
        for i in 0..ticks {
            out = cdn.tick(
                i as f64,
                1.0,
                &CdnInput {
                    class_arrivals: &[rps],
                    origin_latency_ms: 200.0,
                },
            );
        }
        out
    }

    #[test]
    fn a_warm_edge_takes_most_traffic_off_the_origin_and_cuts_latency() {
        let mut cdn = Cdn::new(CdnConfig {
            classes: vec![EdgeClassConfig {
                cacheable_share: 0.85,
                ttl_s: 3600.0,
                objects: 5_000,
                zipf_s: 1.0,
            }],
            ..CdnConfig::default()
        });
        let out = run(&mut cdn, 10_000.0, 3600);
        assert!(out.offload_pct > 70.0 && out.offload_pct < 85.0, "{out:?}");
        assert!(out.mean_latency_ms < 80.0, "{out:?}");
    }

    #[test]
    fn uncacheable_requests_always_reach_the_origin() {
        let mut cdn = Cdn::new(CdnConfig {
            classes: vec![EdgeClassConfig {
                cacheable_share: 0.0,
                ..EdgeClassConfig::default()
            }],
            ..CdnConfig::default()
        });
        let out = run(&mut cdn, 500.0, 100);
        assert_eq!(out.to_origin, 500.0);
        assert_eq!(out.offload_pct, 0.0);
    }

    #[test]
    fn more_pops_split_the_requests_and_lower_the_hit_ratio() {
        let few = CdnConfig {
            pops: 2,
            ..CdnConfig::default()
        };
        let many = CdnConfig {
            pops: 200,
            ..CdnConfig::default()
        };
        let h_few = run(&mut Cdn::new(few), 1000.0, 1200).hit_ratio;
        let h_many = run(&mut Cdn::new(many), 1000.0, 1200).hit_ratio;
        assert!(h_few > h_many + 0.1, "{h_few} {h_many}");
    }
}
