//! The second newcomer's cases (issue 12), one or more per kind: each bad input
//! is refused at the line that wrote it, naming the field by its full path and
//! saying what would be accepted; the fixes' right values are the expectations.

use scalesim::scenario::{built_in, load, ScenarioError};

/// The flash-sale scenario with `from` replaced by `to` (once; it must be there).
fn flash_sale_with(from: &str, to: &str) -> String {
    let text = built_in("flash-sale").expect("flash-sale is built in");
    assert!(text.contains(from), "flash-sale has no {from:?}");
    text.replacen(from, to, 1)
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    text[..at].matches('\n').count() + 1
}

fn refusal(text: &str) -> ScenarioError {
    match load("t.toml", text) {
        Ok(_) => panic!("loaded, expected a refusal:\n{text}"),
        Err(e) => e,
    }
}

/// Checks the refusal's line (of `needle`), field and words.
fn assert_refused(text: &str, needle: &str, field: &str, words: &[&str]) {
    let e = refusal(text);
    assert_eq!(e.field.as_deref(), Some(field), "{e}");
    assert_eq!(e.line, Some(line_of(text, needle)), "{e}");
    for w in words {
        assert!(e.message.contains(w), "{e}: no \u{201c}{w}\u{201d}");
    }
}

#[test]
fn a_questions_refusal_names_its_index_and_the_line_inside_it() {
    // A wrong stat inside the third check: its own line, not the first [[questions]].
    let text = flash_sale_with(
        "probe = \"p99_ms\", from_s",
        "probe = \"p99_ms\", stat = \"median\", from_s",
    );
    assert_refused(
        &text,
        "stat = \"median\"",
        "questions[1].checks[2].stat",
        &["unknown variant `median`"],
    );
    // A negative check's points.
    let text = flash_sale_with("gate = true, points = 2.0", "gate = true, points = -2.0");
    assert_refused(
        &text,
        "points = -2.0",
        "questions[1].checks[0].points",
        &["question \u{201c}plan\u{201d}", "at most 100 points"],
    );
    // A window past the run's end: the check's own line.
    let text = flash_sale_with("to_s = 3840.0", "to_s = 9840.0");
    assert_refused(
        &text,
        "to_s = 9840.0",
        "questions[1].checks[0].to_s",
        &["0\u{2013}5,400 s"],
    );
}

#[test]
fn a_question_that_would_run_for_hours_is_refused_before_grading() {
    let text = flash_sale_with(
        "allow_actions = true",
        "allow_actions = true\nseeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]",
    );
    assert_refused(
        &text,
        "seeds = [1, 2",
        "questions[1].seeds",
        &["give 1 to 10"],
    );
    let text = flash_sale_with(
        "allow_actions = true",
        "allow_actions = true\nduration_s = 34560000.0",
    );
    assert_refused(
        &text,
        "duration_s = 34560000.0",
        "questions[1].duration_s",
        &["103,680,000", "50,000,000 ticks"],
    );
    let text = flash_sale_with("min_words = 20", "min_words = 100000000");
    assert_refused(
        &text,
        "min_words = 100000000",
        "questions[2].min_words",
        &["at most 500 words"],
    );
}

#[test]
fn a_questions_reference_answer_passes_the_learners_boundary_at_load() {
    let text = flash_sale_with("at_s = 1800.0, action", "at_s = 99999.0, action");
    assert_refused(
        &text,
        "at_s = 99999.0",
        "questions[1].reference.actions[0].at_s",
        &["outside the run", "0 to 5,399 s"],
    );
    let text = flash_sale_with(
        "action = { kind = \"set_min_replicas\", replicas = 40 }",
        "action = { kind = \"kill_zone\", zone = \"zz\" }",
    );
    assert_refused(
        &text,
        "zone = \"zz\"",
        "questions[1].reference.actions[0].action.zone",
        &["its zones are a, b, c"],
    );
}

#[test]
fn an_event_in_the_last_tick_or_after_never_fires_and_is_refused() {
    let base = "title = \"x\"\n[run]\nduration_s = 600.0\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    for (at, why) in [
        ("599.9", "next tick"),
        ("600.0", "next tick"),
        ("5000.0", "outside the run"),
    ] {
        let text = format!(
            "{base}[[events]]\nat_s = {at}\naction = {{ kind = \"kill_pods\", count = 1 }}\n"
        );
        assert_refused(
            &text,
            &format!("at_s = {at}"),
            "events[0].at_s",
            &[why, "from 0 to 599 s"],
        );
    }
    let ok =
        format!("{base}[[events]]\nat_s = 599.0\naction = {{ kind = \"kill_pods\", count = 1 }}\n");
    assert!(load("ok.toml", &ok).is_ok());
    let text = format!(
        "{base}[[prescale.scheduled]]\nfrom_s = 5000.0\nuntil_s = 6000.0\nmin_replicas = 5\n"
    );
    assert_refused(
        &text,
        "from_s = 5000.0",
        "prescale.scheduled[0].from_s",
        &["outside the run"],
    );
}

#[test]
fn an_hpa_metric_the_simulator_does_not_export_is_refused_with_the_readable_names() {
    let text = flash_sale_with(
        "type = \"Resource\"\nresource = { name = \"cpu\", target = { type = \"Utilization\", averageUtilization = 70 } }",
        "type = \"External\"\nexternal = { metric = { name = \"sqs_messages\" }, target = { type = \"AverageValue\", averageValue = \"30\" } }",
    );
    assert_refused(
        &text,
        "sqs_messages",
        "hpa.metrics[0].external.metric.name",
        &["queue_depth, queued_requests"],
    );
}

#[test]
fn a_nested_tables_unknown_key_wrong_number_or_missing_field_is_found_inside_it() {
    let base = "title = \"x\"\n[traffic]\n";
    // Inside a multi-line inline array: the part's own line.
    let text = format!(
        "{base}profile = {{ kind = \"product\", parts = [\n  {{ kind = \"constant\", rps = 10.0 }},\n  \
         {{ kind = \"spike\", multiplierr = 3.0, start_s = 60.0, ramp_up_s = 1.0, hold_s = 1.0, ramp_down_s = 1.0 }},\n] }}\n"
    );
    assert_refused(
        &text,
        "multiplierr",
        "traffic.profile.parts[1].multiplierr",
        &["unknown field"],
    );
    let head = format!("{base}profile = {{ kind = \"constant\", rps = 10.0 }}\n");
    // An [events.action] sub-table: the count's own line and path.
    let text = format!(
        "{head}[[events]]\nat_s = 1.0\n[events.action]\nkind = \"kill_pods\"\ncount = 1.5\n"
    );
    assert_refused(
        &text,
        "count = 1.5",
        "events[0].action.count",
        &["is 1.5", "a whole number from 0 to 100,000 pods"],
    );
    // A missing field: named inside the table that lacks it.
    let text =
        format!("events = [\n  {{ at_s = 1.0, action = {{ kind = \"kill_pods\" }} }},\n]\n{head}");
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("events[0].action.count"), "{e}");
    // An unknown key of [kafka.hpa] carries its table.
    let text = format!("{head}[kafka.hpa]\nminReplica = 1\n");
    assert_refused(
        &text,
        "minReplica",
        "kafka.hpa.minReplica",
        &["minReplicas"],
    );
    // A seed past 2^64 − 1: its table and the range.
    let text = format!("{head}[run]\nseed = 99999999999999999999\n");
    assert_refused(
        &text,
        "seed = 9",
        "run.seed",
        &["too large", "2^64 \u{2212} 1"],
    );
}

#[test]
fn a_profile_that_is_not_traffic_is_refused() {
    let base = "title = \"x\"\n[traffic]\n";
    for (profile, field, words) in [
        ("{ kind = \"sum\", parts = [] }", "traffic.profile.parts", "is empty"),
        ("{ kind = \"product\", parts = [] }", "traffic.profile.parts", "is empty"),
        (
            "{ kind = \"spike\", multiplier = 10.0, start_s = 300.0, ramp_up_s = 0.0, hold_s = 10.0, ramp_down_s = 0.0 }",
            "traffic.profile",
            "is a multiplier",
        ),
        (
            "{ kind = \"sum\", parts = [{ kind = \"constant\", rps = 5.0 }, { kind = \"spike\", multiplier = 2.0, start_s = 1.0, ramp_up_s = 0.0, hold_s = 1.0, ramp_down_s = 0.0 }] }",
            "traffic.profile.parts[1]",
            "a sum adds rates",
        ),
        (
            "{ kind = \"product\", parts = [{ kind = \"constant\", rps = 5.0 }, { kind = \"constant\", rps = 5.0 }] }",
            "traffic.profile.parts[1]",
            "second rate",
        ),
    ] {
        let text = format!("{base}profile = {profile}\n");
        let e = refusal(&text);
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert!(e.message.contains(words), "{e}");
    }
}

#[test]
fn names_are_written_once_and_knobs_narrow_their_range() {
    let head = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    let text = format!("{head}[topology]\nregions = [{{ name = \"r\", zones = [\"a\"] }}, {{ name = \"r\", zones = [\"b\"] }}]\n");
    assert_refused(
        &text,
        "regions = ",
        "topology.regions[1].name",
        &["names must be unique"],
    );
    let text = format!("{head}[topology]\nregions = [{{ name = \"r\", zones = [\"a\", \"\"] }}]\n");
    assert_refused(
        &text,
        "regions = ",
        "topology.regions[0].zones[1]",
        &["is empty"],
    );
    let text = flash_sale_with("max = 40.0", "max = 1e12");
    assert_refused(&text, "max = 1e12", "knobs[1].max", &["goes from 0 to 40"]);
    let text = flash_sale_with(
        "field = \"pause_pods.count\"",
        "field = \"hpa.maxReplicas\"",
    );
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("knobs[1].field"), "{e}");
    assert!(e.message.contains("already declared"), "{e}");
}

#[test]
fn an_action_on_a_tier_the_scenario_lacks_is_refused() {
    let head = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    for (action, tier) in [
        (
            "{ kind = \"partition\", minority_replicas = 1 }",
            "[consistency]",
        ),
        ("{ kind = \"dns_failure\" }", "[gslb]"),
        ("{ kind = \"cache_flush\" }", "[cache]"),
    ] {
        let text = format!("{head}[[events]]\nat_s = 10.0\naction = {action}\n");
        let e = refusal(&text);
        assert_eq!(e.field.as_deref(), Some("events[0].action.kind"), "{e}");
        assert!(e.message.contains(tier), "{e}");
    }
}
