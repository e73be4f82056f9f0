//! The interview questions of the seed documents, by id. A scenario's
//! `covers = [...]` names the ones it grades; a test checks that every id is
//! covered by some built-in scenario.

/// Every seed interview question id, with a few words on what it asks.
pub const SEED_QUESTIONS: [(&str, &str); 37] = [
    ("004-I-1", "migrating a legacy payment system"),
    ("004-I-2", "+30 ms of auth latency: the trade-off"),
    ("004-II-1", "sticky sessions as a stop-gap"),
    ("004-II-2", "$50k/month of Redis against +15 ms"),
    ("004-III-1", "the retry storm after an auth outage"),
    ("004-III-2", "nearest or home region for a shared document"),
    (
        "004-V-1",
        "a flash-sale push at 12:00 with 4-minute autoscaling",
    ),
    ("004-V-2", "+40 % cost with flat traffic"),
    ("004-VI-1", "ticket booking without double-selling"),
    ("004-VI-2", "stale dashboards after expanding to Asia"),
    ("002-latency", "debugging a p99 rise"),
    ("002-chaos-programme", "a chaos engineering programme"),
    ("002-pages", "alert fatigue"),
    ("002-event-prep", "preparing for a 10x event"),
    ("002-budget", "error budget, burn rate and budget policy"),
    ("002-canary", "canary stages and rollback triggers"),
    ("002-capacity", "the capacity model"),
    ("002-autoscale", "request-based scaling and cooldowns"),
    (
        "002-chaos-experiment",
        "hypothesis, blast radius and abort conditions",
    ),
    ("002-load-tests", "load, stress, soak and spike tests"),
    ("002-capstone-netflix", "capstone: a streaming service"),
    ("002-capstone-twitter", "capstone: a social timeline"),
    ("003-scale-server", "scaling a server"),
    ("003-spikes", "handling traffic spikes"),
    ("003-sla", "SLAs and what they promise"),
    ("003-paper-math", "back-of-the-envelope capacity maths"),
    ("003-paytm", "a payments app under a festival rush"),
    ("003-chess", "an online chess service"),
    ("003-cores", "single-threaded runtimes and cores"),
    ("001-timeline", "the Black Friday response timeline"),
    (
        "001-math",
        "pods, connections, partitions, cache and CDN arithmetic",
    ),
    ("001-limits", "limits and the 1M to 10M plan"),
    ("001-cost", "cost per user"),
    (
        "000-plan",
        "the sales-event plan: +300 % traffic, 50 % headroom, a 400 % stress test",
    ),
    ("000-shaping", "checkout before browsing"),
    ("000-consistency", "ACID and BASE per data class"),
    ("000-carbon", "power-down and carbon-aware scheduling"),
];

/// Whether `id` is a seed interview question id.
pub fn is_seed_question(id: &str) -> bool {
    SEED_QUESTIONS.iter().any(|(k, _)| *k == id)
}

/// Every id, for messages.
pub fn seed_question_ids() -> Vec<&'static str> {
    SEED_QUESTIONS.iter().map(|(k, _)| *k).collect()
}
