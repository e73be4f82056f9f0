//! The per-tick hot path does not allocate: a counting global allocator watches
//! a steady run (SLO tracking with every burn-rate window, per-zone failure
//! reasons, a bad release failing requests in every zone).

mod fixtures;
use scalesim::sim::failure::FailureReason;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use scalesim::scenario::load;
use scalesim::sim::inputs::Action;
use scalesim::sim::{run_until, step, World};

struct Counting;

thread_local! {
    /// Counting on this thread only: the test harness's own thread allocates when it
    /// reports another test's result, at any moment.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}
static ALLOCS: AtomicU64 = AtomicU64::new(0);

fn counting(on: bool) {
    COUNTING.with(|c| c.set(on));
}

fn counted() -> bool {
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counted() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if counted() {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The counter is global: one test counts at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_steady_failing_run_steps_without_allocating() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let text = fixtures::steady_toml(3600.0, "");
    let scenario = load("steady.toml", &text).unwrap();
    let mut w = World::new(&scenario, 3).unwrap();
    w.push_action(
        100.0,
        Action::BadRelease {
            error_rate: 0.01,
            extra_latency_ms: 0.0,
            duration_s: None,
        },
    )
    .unwrap();
    run_until(&mut w, 200.0);
    let events = w.events.len();
    // The counter counts: one boxed value is one allocation.
    counting(true);
    let probe = std::hint::black_box(Box::new(7_u64));
    counting(false);
    assert_eq!(ALLOCS.swap(0, Ordering::Relaxed), 1);
    drop(probe);
    counting(true);
    for _ in 0..600 {
        step(&mut w);
    }
    counting(false);
    let allocs = ALLOCS.load(Ordering::Relaxed);
    let s = w.snapshot();
    assert!(s
        .zones
        .iter()
        .all(|z| z.failures_rps[FailureReason::Errored] > 0.0));
    assert!(s.burn_windows.iter().all(|b| b.burn_rate > 0.0));
    assert_eq!(
        allocs,
        0,
        "{allocs} allocations in 600 ticks ({} events logged meanwhile)",
        w.events.len() - events
    );
}

#[test]
fn a_run_with_every_data_tier_steps_without_allocating() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Reads through a cache to a database with replicas, writes, publishes to Kafka and
    // external calls: the latency paths, pool groups and response-time shapes (docs/models.md#latency)
    // are built once; ticks reuse them.
    let text = fixtures::steady_toml(3600.0, "")
        .replace(
            "classes = [{ name = \"web\", share = 1.0, cpu_ms = 1.5 }]",
            "noise_classes = []\nclasses = [\n  { name = \"web\", share = 0.7, cpu_ms = 1.5, reads = 2.0 },\n  { name = \"buy\", share = 0.3, cpu_ms = 2.0, reads = 1.0, writes = 1.0, publishes = 1.0, external_calls = 1.0 },\n]",
        )
        .replace("noise = false", "noise = true")
        .replace("noise_classes = []\n", "")
        + "[cache]\nkeys = 100000\n[database]\nreplicas = 2\n[kafka]\n[external]\nhops = 3\n"
        // Every protection: retries and breakers on each edge, rate limits, shedding.
        + "[retry.client]\nmax_attempts = 3\njitter = \"full\"\nbudget = {}\n"
        + "[retry.database]\nmax_attempts = 3\n[retry.external]\nmax_attempts = 3\n[retry.consumer]\nmax_attempts = 2\n"
        + "[retry.cache]\nmax_attempts = 2\n[breaker.cache]\n"
        + "[breaker.client]\n[breaker.database]\n[breaker.external]\nfallback = true\n"
        + "[rate_limit]\nlimit_rps = 1000000.0\nclasses = [{ name = \"buy\", limit_rps = 100000.0 }]\n"
        + "[shedding]\ncpu_threshold_pct = 45.0\n"
        // No SLO: its alerts' names are the only allocation shedding this much brings.
        + "[slo]\nenabled = false\n";
    let scenario = load("data.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let mut w = World::new(&scenario, 3).unwrap();
    run_until(&mut w, 300.0);
    // The breakers change state every minute: the event log grows (amortised, up to
    // `run.max_events`); give it room so only the stepper's own allocations count.
    w.events.reserve(1000);
    let events = w.events.len();
    ALLOCS.store(0, Ordering::Relaxed);
    counting(true);
    for _ in 0..600 {
        step(&mut w);
    }
    counting(false);
    let allocs = ALLOCS.load(Ordering::Relaxed);
    assert!(w.data.paths.as_slice().len() > 2, "{:?}", w.data.paths);
    assert!(w.last.p99_ms > w.last.p50_ms);
    assert!(w.last.shed_rps > 0.0, "the shedder ran and shed");
    assert_eq!(
        allocs,
        0,
        "{allocs} allocations in 600 ticks ({} events logged meanwhile)",
        w.events.len() - events
    );
}
