//! The per-tick hot path does not allocate: a counting global allocator watches
//! a steady run (SLO tracking with every burn-rate window, per-zone failure
//! reasons, a bad release failing requests in every zone).

mod fixtures;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use scalesim::scenario::load;
use scalesim::sim::actions::Action;
use scalesim::sim::{run_until, step, World};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn a_steady_failing_run_steps_without_allocating() {
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
    COUNTING.store(true, Ordering::Relaxed);
    let probe = std::hint::black_box(Box::new(7_u64));
    COUNTING.store(false, Ordering::Relaxed);
    assert_eq!(ALLOCS.swap(0, Ordering::Relaxed), 1);
    drop(probe);
    COUNTING.store(true, Ordering::Relaxed);
    for _ in 0..600 {
        step(&mut w);
    }
    COUNTING.store(false, Ordering::Relaxed);
    let allocs = ALLOCS.load(Ordering::Relaxed);
    let s = w.snapshot();
    assert!(s.zones.iter().all(|z| z.failures_rps.app_error > 0.0));
    assert!(s.burn_windows.iter().all(|b| b.burn_rate > 0.0));
    assert_eq!(
        allocs,
        0,
        "{allocs} allocations in 600 ticks ({} events logged meanwhile)",
        w.events.len() - events
    );
}
