//! The Deployment controller's rolling update, one sync at a time, over ReplicaSets
//! (Kubernetes `pkg/controller/deployment/rolling.go` and `util/deployment_util.go`;
//! docs/models.md#rolling-update).
//!
//! ```text
//!   maxSurge s (rounded up from a %), maxUnavailable u (rounded down; both 0 → u = 1)
//!   scale up:   new ← new + min(desired + s − Σ replicas, desired − new)     (if > 0)
//!   else down:  budget = Σ replicas − (desired − u) − (new − new.available)
//!               old RSs' unavailable replicas first (oldest RS first), then
//!               available ones while Σ available > desired − u
//! ```
//!
//! Replica counts are the ReplicaSets' `spec.replicas`, not live pods: a pod draining
//! after its ReplicaSet scaled down counts for nothing here, which is why a rolling
//! update can hold more live pods (and database connections) than `desired + s`.

use serde::{Deserialize, Serialize};

/// A count or a share of the desired replicas, as `maxSurge` and `maxUnavailable` take
/// it: `2` or `"25%"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntOrPercent {
    /// A number of pods.
    Count(u32),
    /// A share of the desired replicas, written `"25%"` [%].
    Percent(f64),
}

impl Serialize for IntOrPercent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrPercent::Count(n) => s.serialize_u32(*n),
            IntOrPercent::Percent(p) => s.serialize_str(&format!("{p}%")),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrPercent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntOrPercentVisitor)
    }
}

/// Reads a whole number of pods or a `"N%"` share, with one message for anything else.
struct IntOrPercentVisitor;

fn not_int_or_percent<E: serde::de::Error>(what: &str) -> E {
    E::custom(format!(
        "{what} is neither a whole number of pods (0 or more) nor a share such as \"25%\" (0 to 100 %)"
    ))
}

impl serde::de::Visitor<'_> for IntOrPercentVisitor {
    type Value = IntOrPercent;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a whole number of pods or a share such as \"25%\"")
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<IntOrPercent, E> {
        u32::try_from(n)
            .map(IntOrPercent::Count)
            .map_err(|_| not_int_or_percent(&n.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<IntOrPercent, E> {
        u64::try_from(n)
            .map_err(|_| not_int_or_percent(&n.to_string()))
            .and_then(|n| self.visit_u64(n))
    }

    fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<IntOrPercent, E> {
        Err(not_int_or_percent(&x.to_string()))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<IntOrPercent, E> {
        text.strip_suffix('%')
            .and_then(|n| n.trim().parse::<f64>().ok())
            .filter(|p| p.is_finite() && (0.0..=100.0).contains(p))
            .map(IntOrPercent::Percent)
            .ok_or_else(|| not_int_or_percent(&format!("\"{text}\"")))
    }
}

impl IntOrPercent {
    /// Pods for `desired` replicas, a share rounded up (`round_up`, maxSurge) or down
    /// (maxUnavailable), as `intstr.GetScaledValueFromIntOrPercent` does.
    pub fn pods(self, desired: i32, round_up: bool) -> i32 {
        match self {
            IntOrPercent::Count(n) => n.min(i32::MAX as u32) as i32,
            IntOrPercent::Percent(p) => {
                let x = p / 100.0 * f64::from(desired.max(0));
                // A share that lands on a whole number stays it (25 % of 20 is 5).
                let x = (x * 1e9).round() / 1e9;
                (if round_up { x.ceil() } else { x.floor() }) as i32
            }
        }
    }
}

/// `(maxSurge, maxUnavailable)` in pods for `desired` replicas: surge rounded up,
/// unavailable rounded down, and unavailable 1 when both come to 0 (Kubernetes'
/// `ResolveFenceposts`, so a rollout can always move).
pub fn resolve_fenceposts(
    surge: IntOrPercent,
    unavailable: IntOrPercent,
    desired: i32,
) -> (i32, i32) {
    let s = surge.pods(desired, true);
    let u = unavailable.pods(desired, false);
    if s == 0 && u == 0 {
        (0, 1)
    } else {
        (s, u)
    }
}

/// A ReplicaSet as the controller reads it: its spec and how many of its pods are
/// available (ready for `minReadySeconds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSet {
    /// The version its pods run (an index into the scenario's versions).
    pub version: u8,
    /// `spec.replicas` [pods].
    pub replicas: i32,
    /// `status.availableReplicas` [pods].
    pub available: i32,
}

/// A scaling event mid-rollout (the HPA changed `desired`): the sets are resized in
/// proportion to their replicas so that together they ask for `desired + surge`, the
/// rounding left to the newest set, as Kubernetes' `scale` does (`sync.go`,
/// `GetProportion`). The old versions keep their share of the new capacity: a rollout of
/// a crashing version does not take the HPA's new pods. Returns the change in replicas.
pub fn scale_proportionally(
    desired: i32,
    surge: i32,
    new: &mut ReplicaSet,
    old: &mut [ReplicaSet],
) -> i32 {
    let total: i32 = new.replicas + old.iter().map(|r| r.replicas).sum::<i32>();
    let target = desired.max(0) + surge;
    let change = target - total;
    if change == 0 || total <= 0 {
        return 0;
    }
    let mut given = 0;
    for r in old.iter_mut().filter(|r| r.replicas > 0) {
        // Each set's share, towards zero (Kubernetes rounds the proportion).
        let share = (i64::from(r.replicas) * i64::from(change) / i64::from(total)) as i32;
        let share = share.max(-r.replicas);
        r.replicas += share;
        given += share;
    }
    new.replicas = (new.replicas + change - given).max(0);
    change
}

/// What one sync changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncStep {
    /// The new ReplicaSet scaled up to this many replicas.
    ScaledUp(i32),
    /// The old ReplicaSets scaled down by this many replicas in all.
    ScaledDown(i32),
    /// Nothing could move (waiting for pods to become available).
    Waiting,
}

/// One sync of a rolling update towards `desired` replicas of `new`, with `old`
/// ordered oldest first: scale the new ReplicaSet up within `surge`, or, when it did
/// not scale, the old ones down within `unavailable` (their unavailable replicas
/// first). `surge` and `unavailable` come from [`resolve_fenceposts`].
pub fn sync(
    desired: i32,
    surge: i32,
    unavailable: i32,
    new: &mut ReplicaSet,
    old: &mut [ReplicaSet],
) -> SyncStep {
    let desired = desired.max(0);
    let total = |new: &ReplicaSet, old: &[ReplicaSet]| {
        new.replicas + old.iter().map(|r| r.replicas).sum::<i32>()
    };
    // reconcileNewReplicaSet
    if new.replicas > desired {
        new.replicas = desired;
        return SyncStep::ScaledUp(desired);
    }
    if new.replicas < desired {
        let room = desired + surge - total(new, old);
        let up = room.min(desired - new.replicas);
        if up > 0 {
            new.replicas += up;
            return SyncStep::ScaledUp(new.replicas);
        }
    }
    // reconcileOldReplicaSets
    if old.iter().all(|r| r.replicas == 0) {
        return SyncStep::Waiting;
    }
    let min_available = desired - unavailable;
    let new_unavailable = (new.replicas - new.available).max(0);
    let max_scaled_down = total(new, old) - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return SyncStep::Waiting;
    }
    // Unhealthy replicas first: removing them costs no availability.
    let mut cleaned = 0;
    for r in old.iter_mut() {
        if cleaned >= max_scaled_down {
            break;
        }
        let unhealthy = (r.replicas - r.available).max(0);
        let n = unhealthy.min(max_scaled_down - cleaned);
        r.replicas -= n;
        cleaned += n;
    }
    // Then available ones, while more than the minimum stay available.
    let available = new.available + old.iter().map(|r| r.available.min(r.replicas)).sum::<i32>();
    let mut scaled = 0;
    let budget = (available - min_available).max(0);
    for r in old.iter_mut() {
        if scaled >= budget {
            break;
        }
        let n = r.replicas.min(budget - scaled);
        r.replicas -= n;
        scaled += n;
    }
    match cleaned + scaled {
        0 => SyncStep::Waiting,
        n => SyncStep::ScaledDown(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rs(version: u8, replicas: i32, available: i32) -> ReplicaSet {
        ReplicaSet {
            version,
            replicas,
            available,
        }
    }

    #[test]
    fn shares_round_as_kubernetes_rounds_them() {
        let p = IntOrPercent::Percent(25.0);
        assert_eq!(resolve_fenceposts(p, p, 10), (3, 2));
        assert_eq!(resolve_fenceposts(p, p, 20), (5, 5));
        assert_eq!(resolve_fenceposts(p, p, 1), (1, 0));
        // Both 0: one pod may be unavailable, or nothing could move.
        let zero = IntOrPercent::Count(0);
        assert_eq!(resolve_fenceposts(zero, zero, 10), (0, 1));
        assert_eq!(resolve_fenceposts(zero, IntOrPercent::Count(1), 20), (0, 1));
    }

    #[test]
    fn a_rollout_surges_then_trades_old_pods_for_available_new_ones() {
        // 20 replicas, 25 % / 25 %: 5 surge pods, 5 may be unavailable.
        let (s, u) =
            resolve_fenceposts(IntOrPercent::Percent(25.0), IntOrPercent::Percent(25.0), 20);
        let mut new = rs(1, 0, 0);
        let mut old = [rs(0, 20, 20)];
        // First sync: 5 new pods on top of 20 old.
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledUp(5));
        // No room to surge; the new ones are not available, so 25 − 15 − 5 = 5 old go.
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledDown(5));
        assert_eq!(old[0].replicas, 15);
        old[0].available = 15;
        // Room again: 5 more new pods.
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledUp(10));
        // Nothing available among the new: 25 − 15 − 10 = 0, wait.
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::Waiting);
        new.available = 10;
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledDown(10));
        assert_eq!(old[0].replicas, 5);
    }

    #[test]
    fn the_kubernetes_crash_loop_example_holds_the_old_pods() {
        // rolling.go's case 1: 10 replicas, maxUnavailable 2, maxSurge 3; the new pods
        // crash-loop. 13 − 8 − 5 = 0: the old ones are not scaled down.
        let mut new = rs(1, 5, 0);
        let mut old = [rs(0, 8, 7)];
        assert_eq!(sync(10, 3, 2, &mut new, &mut old), SyncStep::Waiting);
        assert_eq!(old[0].replicas, 8);
    }

    #[test]
    fn no_surge_and_one_unavailable_replaces_one_pod_at_a_time() {
        let (s, u) = resolve_fenceposts(IntOrPercent::Count(0), IntOrPercent::Count(1), 20);
        let mut new = rs(1, 0, 0);
        let mut old = [rs(0, 20, 20)];
        // Cannot surge: one old pod goes, then one new pod comes.
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledDown(1));
        old[0].available = 19;
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::ScaledUp(1));
        assert_eq!(sync(20, s, u, &mut new, &mut old), SyncStep::Waiting);
        assert_eq!(new.replicas + old[0].replicas, 20);
    }

    #[test]
    fn a_scaling_event_mid_rollout_resizes_every_set_in_proportion() {
        // 3 old pods and 1 new (crashing) at desired 3, surge 1; the HPA asks for 8 with
        // surge 2: 6 more, the old set takes 3 × 6 / 4 = 4 of them, the new one the rest.
        let mut new = rs(1, 1, 0);
        let mut old = [rs(0, 3, 3)];
        assert_eq!(scale_proportionally(8, 2, &mut new, &mut old), 6);
        assert_eq!((old[0].replicas, new.replicas), (7, 3));
        // And back down to 4 (surge 1): 5 fewer, 7 × −5 / 10 = −3 from the old set.
        assert_eq!(scale_proportionally(4, 1, &mut new, &mut old), -5);
        assert_eq!((old[0].replicas, new.replicas), (4, 1));
    }

    #[test]
    fn a_percent_is_read_and_a_bad_one_is_refused() {
        let v: IntOrPercent = serde_json::from_str("\"25%\"").unwrap();
        assert_eq!(v, IntOrPercent::Percent(25.0));
        let v: IntOrPercent = serde_json::from_str("3").unwrap();
        assert_eq!(v, IntOrPercent::Count(3));
        assert!(serde_json::from_str::<IntOrPercent>("\"25\"").is_err());
        assert!(serde_json::from_str::<IntOrPercent>("\"150%\"").is_err());
    }
}
