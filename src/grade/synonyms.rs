//! The shared synonyms: phrases that name a concept in any scenario, added to
//! the scenario's own phrases for a concept with the same id. One table, so a
//! phrasing a learner uses is accepted everywhere once it is accepted once.

/// (concept id, phrases). Phrases are matched like a concept's own: plurals
/// folded, one typo forgiven in words of six letters or more.
pub const SHARED: [(&str, &[&str]); 16] = [
    (
        "backoff",
        &[
            "backoff",
            "back off",
            "backing off",
            "exponential delay",
            "increasing delay",
        ],
    ),
    (
        "jitter",
        &[
            "jitter",
            "randomized delay",
            "random delay",
            "randomised delay",
            "spread the retries",
        ],
    ),
    (
        "circuit_breaker",
        &["circuit breaker", "breaker", "fail fast", "stop calling"],
    ),
    (
        "retry_budget",
        &[
            "retry budget",
            "cap retries",
            "limit retries",
            "retry limit",
            "max retries",
        ],
    ),
    (
        "idempotency",
        &[
            "idempotent",
            "idempotency key",
            "idempotency",
            "deduplicate",
            "dedupe",
        ],
    ),
    (
        "prescale",
        &[
            "pre-scale",
            "prescale",
            "pre scale",
            "scale ahead",
            "scale up before",
            "warm up capacity",
            "scheduled scaling",
            "scale in advance",
        ],
    ),
    (
        "headroom",
        &[
            "headroom",
            "spare capacity",
            "buffer capacity",
            "over-provision",
            "overprovision",
            "pause pod",
        ],
    ),
    (
        "error_budget",
        &["error budget", "budget burn", "burn rate"],
    ),
    (
        "stale_read",
        &["stale read", "stale data", "replication lag", "out of date"],
    ),
    (
        "strong_consistency",
        &[
            "strong consistency",
            "strongly consistent",
            "linearizable",
            "serializable",
            "quorum",
        ],
    ),
    (
        "eventual_consistency",
        &[
            "eventual consistency",
            "eventually consistent",
            "asynchronous replication",
            "async replication",
        ],
    ),
    ("cache", &["cache", "caching", "redis", "memcached"]),
    (
        "queue",
        &[
            "queue",
            "message queue",
            "kafka",
            "buffer the writes",
            "asynchronous processing",
        ],
    ),
    (
        "load_shedding",
        &[
            "load shedding",
            "shed load",
            "drop low priority",
            "reject excess",
            "rate limit",
        ],
    ),
    (
        "canary",
        &[
            "canary",
            "gradual rollout",
            "staged rollout",
            "progressive delivery",
        ],
    ),
    ("rollback", &["rollback", "roll back", "revert"]),
];

/// The shared phrases for concept `id` (empty when it has none).
pub fn shared(id: &str) -> &'static [&'static str] {
    SHARED
        .iter()
        .find(|(k, _)| *k == id)
        .map_or(&[], |(_, p)| p)
}
