//! Behaviour lock: the series of every built-in scenario on two seeds and the
//! event log of replayed links (as stored, `events`, and as the learner reads
//! it, `log`), as hashes recorded in
//! `tests/fixtures/behaviour_lock.txt`. A refactor that keeps behaviour keeps
//! every line; a change that means to alter behaviour re-records them with
//! `SCALESIM_RECORD=1 cargo test --release --test behaviour_lock` and says why
//! in its commit.

mod fixtures;

use scalesim::link::check_run;
use scalesim::link::read_link;
use scalesim::scenario::{built_in, load, BUILT_INS};
use scalesim::sim::{run_until, World};

const LOCK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/behaviour_lock.txt"
);

/// Links a learner could share: knobs, a spike, a zone kill, faults.
const LINKS: &[&str] = &[
    "s=black-friday&seed=42&k=hmax:30&a=60_sp_10_30_600_60~95_kz_us-east-1b&t=120",
    "s=zone-outage&seed=7&a=120_kp_3_~300_il_s_250_600~900_cs_0.5__300",
];

/// FNV-1a over bytes, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The hash of the event log: every event as JSON, in order.
fn events_hash(w: &World) -> u64 {
    w.events.iter().fold(0xcbf2_9ce4_8422_2325, |h, e| {
        fnv(h, serde_json::to_string(e).unwrap().as_bytes())
    })
}

/// The hash of the event log as the learner reads it: every event's line in
/// words, in order (independent of how events are stored or serialized).
fn log_hash(w: &World) -> u64 {
    let zones: Vec<String> = w.zones.iter().map(|z| z.name.clone()).collect();
    w.events.iter().fold(0xcbf2_9ce4_8422_2325, |h, e| {
        fnv(h, e.describe_with(&zones).as_bytes())
    })
}

fn scenario_lines() -> Vec<String> {
    let mut out = Vec::new();
    for (name, text) in BUILT_INS {
        let s = load(name, text).unwrap_or_else(|e| panic!("{e}"));
        for seed in [1, 2] {
            let mut w = World::new(&s, seed).unwrap();
            run_until(&mut w, s.run.duration_s);
            out.push(format!(
                "{name} seed {seed} series {:016x} events {:016x} log {:016x}",
                fixtures::series_hash(&w),
                events_hash(&w),
                log_hash(&w)
            ));
        }
    }
    out
}

fn link_lines() -> Vec<String> {
    LINKS
        .iter()
        .map(|q| {
            let r = read_link(q);
            assert!(r.problems.is_empty(), "{q}: {:?}", r.problems);
            let spec = r.state.run.expect("a run");
            let base = load(&spec.scenario, built_in(&spec.scenario).unwrap()).unwrap();
            let s = check_run(&spec, base).unwrap_or_else(|p| panic!("{q}: {p:?}"));
            let mut w = World::new(&s, spec.seed).unwrap();
            for a in &spec.actions {
                w.push_action(a.at_s, a.action.clone()).unwrap();
            }
            run_until(&mut w, s.run.duration_s);
            format!(
                "link {q} series {:016x} events {:016x} log {:016x}",
                fixtures::series_hash(&w),
                events_hash(&w),
                log_hash(&w)
            )
        })
        .collect()
}

#[test]
fn every_built_in_and_replayed_link_behaves_as_recorded() {
    let mut lines = scenario_lines();
    lines.extend(link_lines());
    let now = lines.join("\n") + "\n";
    if std::env::var_os("SCALESIM_RECORD").is_some() {
        std::fs::write(LOCK, &now).unwrap();
        return;
    }
    let recorded =
        std::fs::read_to_string(LOCK).expect("record the lock first (see the module doc)");
    let changed: Vec<(&str, &str)> = recorded
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert!(
        changed.is_empty() && recorded.lines().count() == now.lines().count(),
        "behaviour changed:\n{changed:#?}"
    );
}
