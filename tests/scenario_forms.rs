//! The web app loads the built-in scenarios from the JSON that build.rs makes of
//! their TOML; the CLI parses the TOML. Both must give the same scenario.

use scalesim::scenario::{
    built_in_intro, built_in_title, load, load_built_in, BUILT_INS, BUILT_IN_JSON, BUILT_IN_NAMES,
};

#[test]
fn every_built_in_gives_the_same_scenario_from_its_json_as_from_its_toml() {
    let mut checked = 0;
    for (name, toml_text) in BUILT_INS {
        let from_toml = load(&format!("{name}.toml"), toml_text).unwrap();
        let from_json = load_built_in(name)
            .unwrap_or_else(|| panic!("{name} has no JSON form"))
            .unwrap();
        assert_eq!(from_json, from_toml, "{name}");
        assert_eq!(
            built_in_title(name),
            Some(from_toml.title.clone()),
            "{name}"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        BUILT_IN_JSON.len(),
        "every JSON form has a TOML built-in"
    );
    assert!(checked >= 9);
}

#[test]
fn an_unknown_built_in_is_none_and_the_toml_suffix_is_optional() {
    assert!(load_built_in("no-such-scenario").is_none());
    assert_eq!(
        load_built_in("black-friday.toml").unwrap().unwrap(),
        load_built_in("black-friday").unwrap().unwrap()
    );
}

#[test]
fn the_picker_names_every_built_in_in_order_and_each_says_what_it_is_for() {
    let names: Vec<&str> = BUILT_INS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, BUILT_IN_NAMES);
    for name in BUILT_IN_NAMES {
        let intro = built_in_intro(name).unwrap();
        let s = load_built_in(name).unwrap().unwrap();
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
    assert!(built_in_intro("nope").is_none());
}
