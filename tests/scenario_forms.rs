//! What the page knows of the built-in scenarios before it fetches one (build.rs
//! reads the titles and seeds from the TOML), and what it shows when one opens.
//! That the JSON the page fetches gives the same scenario as the TOML is
//! checked in `tests/scenario_json.rs`.

use scalesim::scenario::{
    built_in_seed, built_in_title, load_built_in, Intro, BUILT_INS, BUILT_IN_CATALOG,
    BUILT_IN_NAMES,
};

#[test]
fn every_built_in_has_its_title_and_seed_known_before_it_loads() {
    for (name, _) in BUILT_INS {
        let s = load_built_in(name).unwrap().unwrap();
        assert_eq!(built_in_title(name), Some(s.title.as_str()), "{name}");
        assert_eq!(built_in_seed(name), Some(s.run.seed), "{name}");
    }
    assert_eq!(
        BUILT_IN_CATALOG.len(),
        BUILT_INS.len(),
        "every scenarios/*.toml is a built-in"
    );
    // zone-outage's own seed is 7 (scenarios/zone-outage.toml).
    assert_eq!(built_in_seed("zone-outage"), Some(7));
    assert_eq!(built_in_title("nope"), None);
    assert_eq!(built_in_seed("nope"), None);
}

#[test]
fn an_unknown_built_in_is_none_and_the_toml_suffix_is_optional() {
    assert!(load_built_in("no-such-scenario").is_none());
    assert_eq!(
        load_built_in("black-friday.toml").unwrap().unwrap(),
        load_built_in("black-friday").unwrap().unwrap()
    );
    assert_eq!(
        built_in_title("black-friday.toml"),
        built_in_title("black-friday")
    );
}

#[test]
fn the_picker_names_every_built_in_in_order_and_each_says_what_it_is_for() {
    let names: Vec<&str> = BUILT_INS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, BUILT_IN_NAMES);
    for name in BUILT_IN_NAMES {
        let s = load_built_in(name).unwrap().unwrap();
        let intro = Intro::of(&s);
        assert_eq!(intro.title, s.title, "{name}");
        assert_eq!(intro.seed, s.run.seed, "{name}");
        assert!(!intro.description.is_empty(), "{name}: no description");
        assert!(intro.goals.len() >= 2, "{name}: fewer than two goals");
        assert!(
            intro.try_first.len() > 20 && intro.try_first.contains("Play"),
            "{name}: try_first {:?}",
            intro.try_first
        );
    }
}
