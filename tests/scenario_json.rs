//! The web app fetches the built-in scenarios as JSON (`www/scenarios/*.json`,
//! copied to `dist/scenarios/` by trunk); the CLI parses their TOML. The JSON
//! is generated from the TOML and committed: this test fails when the two
//! differ, and writes the JSON when asked:
//!
//! ```sh
//! SCALESIM_WRITE_JSON=1 cargo test --test scenario_json
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use scalesim::scenario::{load, load_json, toml_to_json, BUILT_INS, BUILT_IN_JSON_DIR};

const REGENERATE: &str = "SCALESIM_WRITE_JSON=1 cargo test --test scenario_json";

fn json_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(BUILT_IN_JSON_DIR)
}

fn writing() -> bool {
    std::env::var_os("SCALESIM_WRITE_JSON").is_some_and(|v| v != "0" && !v.is_empty())
}

#[test]
fn the_committed_json_of_every_built_in_matches_its_toml() {
    let dir = json_dir();
    if writing() {
        fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, toml_text) in BUILT_INS {
        let want =
            toml_to_json(&format!("{name}.toml"), toml_text).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join(format!("{name}.json"));
        if writing() {
            fs::write(&path, &want).unwrap();
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(have) if have == want => {}
            Ok(_) => stale.push(format!(
                "{BUILT_IN_JSON_DIR}/{name}.json differs from scenarios/{name}.toml"
            )),
            Err(e) => stale.push(format!("{BUILT_IN_JSON_DIR}/{name}.json is missing ({e})")),
        }
    }
    // A JSON file whose TOML is gone (or not a built-in) would be served for nothing.
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if !BUILT_INS.iter().any(|(n, _)| *n == name) {
            if writing() {
                fs::remove_file(&path).unwrap();
            } else {
                stale.push(format!(
                    "{} is not a built-in scenario's JSON",
                    path.display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the scenarios' JSON is out of date:\n  {}\nrun `{REGENERATE}` to regenerate it",
        stale.join("\n  ")
    );
}

#[test]
fn every_built_in_gives_the_same_scenario_from_its_json_as_from_its_toml() {
    if writing() {
        return;
    }
    for (name, toml_text) in BUILT_INS {
        let from_toml = load(&format!("{name}.toml"), toml_text).unwrap();
        let path = json_dir().join(format!("{name}.json"));
        let json = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run `{REGENERATE}`", path.display()));
        let mut from_json =
            load_json(&format!("{name}.json"), &json).unwrap_or_else(|e| panic!("{e}"));
        // The questions are kept as written; the JSON writes their actions as link codes,
        // so they are compared read.
        assert_eq!(from_json.questions(), from_toml.questions(), "{name}");
        for id in from_toml.question_ids() {
            if from_toml.drill_question(id).is_ok() {
                assert_eq!(from_json.drill_question(id), from_toml.drill_question(id));
            }
        }
        from_json.raw_questions.clone_from(&from_toml.raw_questions);
        assert_eq!(from_json, from_toml, "{name}");
    }
    assert!(BUILT_INS.len() >= 10);
}

#[test]
fn a_broken_json_scenario_is_named_in_the_error() {
    // A parse error carries its line (refusals say where).
    let e = load_json("x.json", "{\"title\": 3}").unwrap_err();
    assert!(e.to_string().starts_with("x.json:1: "), "{e}");
    let e = load_json(
        "y.json",
        "{\"title\": \"t\", \"traffic\": {\"profile\": {\"kind\": \"constant\", \"rps\": -1}}}",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("y.json: "), "{e}");
}

/// The pages read an action only as its link code: every `action`, drill `fault` and
/// configure `offer` in every built-in's JSON is a string, wherever it stands (events,
/// questions, experiments' methods…). Found natively here, before the browser test does.
#[test]
fn every_action_in_the_built_ins_json_is_a_link_code() {
    fn walk(v: &serde_json::Value, at: &str, bad: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, item) in map {
                    let here = format!("{at}.{k}");
                    let timed_action = k == "action" && map.contains_key("at_s");
                    if (timed_action || k == "fault") && !item.is_string() {
                        bad.push(here.clone());
                    }
                    if k == "offer" {
                        if let Some(items) = item.as_array() {
                            if items.iter().any(|a| !a.is_string()) {
                                bad.push(here.clone());
                            }
                        }
                    }
                    walk(item, &here, bad);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}[{i}]"), bad);
                }
            }
            serde_json::Value::Null
            | serde_json::Value::Bool(_)
            | serde_json::Value::Number(_)
            | serde_json::Value::String(_) => {}
        }
    }
    let mut bad = Vec::new();
    for (name, toml_text) in BUILT_INS {
        let json = toml_to_json(&format!("{name}.toml"), toml_text).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        walk(&v, name, &mut bad);
    }
    assert!(bad.is_empty(), "actions written as tables: {bad:?}");
}
