//! Every value a knob accepts lies inside the scenario range table: the page checks
//! each knob against its own range and does not walk the whole scenario again
//! (`scenario::validate` on wasm32), so a knob whose range reached past the table
//! would let a value through that a scenario file could not hold.

use scalesim::scenario::knobs::{knob_range, KNOBS};
use scalesim::scenario::ranges::check_all;
use scalesim::scenario::{load_built_in, BUILT_IN_NAMES};

#[test]
fn every_knob_value_of_every_built_in_is_inside_the_range_table() {
    let mut checked = 0;
    for name in BUILT_IN_NAMES {
        let base = load_built_in(name).expect("a built-in").expect("valid");
        for k in &KNOBS {
            if (k.read)(&base).is_none() {
                continue;
            }
            let (min, max) = knob_range(&base, k);
            for v in [min, (min + max) / 2.0, max] {
                let mut s = base.clone();
                (k.write)(&mut s, v);
                if let Err(e) = check_all(&s, "") {
                    panic!(
                        "{name}: knob {} = {v} leaves the range table: {}: {}",
                        k.field, e.path, e.message
                    );
                }
                checked += 1;
            }
        }
    }
    // 27 built-ins, most with an HPA: far more than a handful of values were tried.
    assert!(checked > 300, "only {checked} knob values checked");
}
