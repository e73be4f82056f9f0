//! Bad inputs a newcomer wrote, one or more per kind: each bad input
//! is refused at the line that wrote it, naming the field by its full path and
//! saying what would be accepted; the fixes' right values are the expectations.

mod fixtures;
use fixtures::refusals::{assert_refused, line_of, refusal};
use scalesim::scenario::{built_in, load};

/// The flash-sale scenario with `from` replaced by `to` (once; it must be there).
fn flash_sale_with(from: &str, to: &str) -> String {
    let text = built_in("flash-sale").expect("flash-sale is built in");
    assert!(text.contains(from), "flash-sale has no {from:?}");
    text.replacen(from, to, 1)
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
    // A seed past what TOML holds: its table and the range a file can hold.
    let text = format!("{head}[run]\nseed = 99999999999999999999\n");
    assert_refused(
        &text,
        "seed = 9",
        "run.seed",
        &[
            "is written 99999999999999999999, more than TOML's largest whole number",
            "from 0 to 9,223,372,036,854,775,807",
        ],
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

#[test]
fn a_misplaced_key_or_text_inside_a_profile_part_names_that_part() {
    // `rps` belongs to the constant part, not the spike: the spike's line.
    let text = flash_sale_with(
        "{ kind = \"spike\", multiplier = 10.0,",
        "{ kind = \"spike\", rps = 3.0, multiplier = 10.0,",
    );
    assert_refused(
        &text,
        "rps = 3.0",
        "traffic.profile.parts[1].rps",
        &["unknown field `rps`"],
    );
    let text = flash_sale_with("rps = 800.0", "rps = \"800\"");
    assert_refused(
        &text,
        "rps = \"800\"",
        "traffic.profile.parts[0].rps",
        &[
            "is the text \"800\"",
            "a number from 0 to 100,000,000 req/s",
        ],
    );
}

#[test]
fn a_misspelt_key_in_a_data_tier_table_is_refused() {
    let head = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    for (table, key) in [
        ("[cache]", "ttl"),
        ("[cdn]", "pop"),
        ("[database]", "read_latency"),
        ("[database.pool]", "pool_size"),
        ("[database.sharding]", "shard"),
        ("[external]", "timeout"),
    ] {
        let text = format!("{head}{table}\n{key} = 5\n");
        let e = refusal(&text);
        assert!(
            e.message.contains(&format!("unknown field `{key}`")),
            "{table}: {e}"
        );
        assert_eq!(e.line, Some(5), "{table}: {e}");
    }
}

#[test]
fn the_hpas_bounds_from_an_action_are_at_least_one_and_need_an_hpa() {
    let text = flash_sale_with("replicas = 40 }", "replicas = 0 }");
    assert_refused(
        &text,
        "replicas = 0 }",
        "questions[1].reference.actions[0].action.replicas",
        &["at least 1 pod"],
    );
    let head = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    let text = format!(
        "{head}[[events]]\nat_s = 1.0\naction = {{ kind = \"set_min_replicas\", replicas = 5 }}\n"
    );
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("events[0].action.kind"), "{e}");
    assert!(e.message.contains("[hpa]"), "{e}");
}

#[test]
fn a_drill_or_numeric_key_that_cannot_be_measured_is_refused_at_load() {
    let text = built_in("black-friday")
        .unwrap()
        .replacen("to_s = 121.0", "to_s = 0.0", 1);
    let e = refusal(&text);
    assert_eq!(
        e.field.as_deref(),
        Some("questions[0].answer_from.to_s"),
        "{e}"
    );
    assert!(e.message.contains("must lie inside the run"), "{e}");
}

#[test]
fn a_drills_steady_state_names_a_series_and_a_bound() {
    let base = built_in("chaos-drill").unwrap();
    for (rule, words) in [
        (
            "{ series = \"p99\", max = 250.0 }",
            "there is no series \u{201c}p99\u{201d}",
        ),
        ("{ series = \"p99_ms\" }", "give `max`, `min` or both"),
        (
            "{ series = \"p99_ms\", min = 300.0, max = 250.0 }",
            "min \u{2264} max",
        ),
    ] {
        let text = base.replacen("{ series = \"p99_ms\", max = 250.0 }", rule, 1);
        let e = refusal(&text);
        assert_eq!(e.line, Some(line_of(&text, rule)), "{e}");
        assert!(
            e.field
                .as_deref()
                .is_some_and(|f| f.ends_with(".steady[0].series") || f.ends_with(".steady[0].max")),
            "{e}"
        );
        assert!(e.message.contains(words), "{e}");
    }
}

#[test]
fn definitions_that_cannot_work_are_refused_at_load() {
    let head = "title = \"x\"\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    // A run shorter than one tick.
    let text = format!("{head}[run]\nduration_s = 0.5\n");
    assert_refused(
        &text,
        "duration_s = 0.5",
        "run.duration_s",
        &["shorter than one tick"],
    );
    // A run of 1e-300 s says so in short words, not 300 zeros.
    let text = format!("{head}[run]\nduration_s = 1e-300\n");
    let e = refusal(&text);
    assert!(e.to_string().len() < 200, "{e}");
    // A knob's range in whole numbers.
    let text = flash_sale_with("max = 40.0", "max = 30.5");
    assert_refused(&text, "max = 30.5", "knobs[1].max", &["whole numbers"]);
    // A whole-number field written 1000.0 says how to write it.
    let text = format!("{head}[topology.pod]\ncpu_request_m = 1000.0\n");
    assert_refused(
        &text,
        "cpu_request_m",
        "topology.pod.cpu_request_m",
        &["with a decimal point", "write a whole number (1000)"],
    );
}

#[test]
fn an_order_key_without_buckets_and_a_concept_without_phrases_are_refused() {
    let text = built_in("black-friday").unwrap().replacen(
        "buckets = [\"T+0 to T+1 min\", \"T+1 to T+5 min\", \"T+5 min to T+2 h\", \"T+2 h to T+2 h 05\", \"T+2 h 05 to T+2 h 35\"]\n",
        "",
        1,
    );
    let e = refusal(&text);
    assert!(
        e.field.as_deref().is_some_and(|f| f.ends_with(".key")),
        "{e}"
    );
    assert!(e.message.contains("no buckets"), "{e}");
    // (A concept with shared synonyms may list none of its own: "jitter" has some.)
    let text = flash_sale_with(
        "id = \"jitter\", label = \"spread the clients' calls (jitter or a waiting room)\", phrases = [\"waiting room\", \"stagger\", \"spread the push\"]",
        "id = \"spread\", label = \"spread the clients' calls\", phrases = []",
    )
    .replace("\"jitter\", \"scale_down\"]", "\"spread\", \"scale_down\"]");
    let e = refusal(&text);
    assert_eq!(
        e.field.as_deref(),
        Some("questions[2].concepts[2].phrases"),
        "{e}"
    );
}

#[test]
fn a_wrong_type_inside_a_question_is_found_at_its_own_line() {
    // A choice's `correct` written as text: its own line, inside the options.
    let text = built_in("asia-dashboards").expect("built in").replacen(
        "correct = true",
        "correct = \"yes\"",
        1,
    );
    assert_refused(
        &text,
        "correct = \"yes\"",
        "questions[0].options[1].correct",
        &["is the text \"yes\"; expected true or false"],
    );
    // A window of one number: the window's own line, named by its field.
    let text = built_in("chaos-drill").expect("built in").replacen(
        "fault_window_s = [60.0, 150.0]",
        "fault_window_s = [60]",
        1,
    );
    assert_refused(
        &text,
        "fault_window_s = [60]",
        "questions[3].fault_window_s",
        &["question abort (drill): has 1 value", "a list of 2"],
    );
}

#[test]
fn a_key_inside_a_map_keyed_by_name_is_found_under_that_name() {
    let base = built_in("consistency-tradeoff").expect("built in");
    // serde cannot name the class (the map is keyed by an enum): the file can.
    let text = base.replacen("mode = \"causal\"", "mode = \"causl\"", 1);
    assert_refused(
        &text,
        "mode = \"causl\"",
        "consistency.classes.inventory.mode",
        &["unknown variant `causl`"],
    );
    let text = base.replacen(
        "[consistency.classes.inventory]\n",
        "[consistency.classes.inventory]\nx = 1\n",
        1,
    );
    assert_refused(
        &text,
        "x = 1",
        "consistency.classes.inventory.x",
        &["unknown field `x`", "`mode` or `resolution`"],
    );
}

#[test]
fn a_load_test_of_no_length_says_why_a_ramp_may_have_one() {
    let text = built_in("capacity-model").expect("built in").replacen(
        "start_s = 300.0, duration_s = 3600.0",
        "start_s = 300.0, duration_s = 0",
        1,
    );
    assert_refused(
        &text,
        "duration_s = 0",
        "traffic.profile.duration_s",
        &["a load test must last longer than 0 s (a ramp may take 0 s: a step)"],
    );
}

#[test]
fn a_request_timeout_is_within_what_the_latency_histogram_holds() {
    for bad in [
        "timeout_ms = 1e-9",
        "timeout_ms = 0.5",
        "timeout_ms = 3600000.0",
    ] {
        let text = flash_sale_with("timeout_ms = 2000.0", bad);
        assert_refused(
            &text,
            bad,
            "topology.pod.timeout_ms",
            &["must be from 1 to 500,000 ms"],
        );
    }
}

/// The first-spike scenario with `from` replaced by `to` (once; it must be there).
fn first_spike_with(from: &str, to: &str) -> String {
    let text = built_in("first-spike").expect("first-spike is built in");
    assert!(text.contains(from), "first-spike has no {from:?}");
    text.replacen(from, to, 1)
}

#[test]
fn a_seed_is_documented_and_refused_as_a_file_can_hold_it() {
    // 2^64 − 1 does not fit a TOML integer; the refusal says what does.
    let text = first_spike_with("seed = 1\n", "seed = 18446744073709551615\n");
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("run.seed"), "{e}");
    assert_eq!(
        e.message,
        "is written 18446744073709551615, more than TOML's largest whole number \
         (9,223,372,036,854,775,807: TOML integers are signed 64-bit); expected a whole number \
         from 0 to 9,223,372,036,854,775,807"
    );
    // The largest a file can hold runs; the range says so.
    let top = first_spike_with("seed = 1\n", "seed = 9223372036854775807\n");
    assert_eq!(load("t.toml", &top).unwrap().run.seed, i64::MAX as u64);
    let r = scalesim::scenario::ranges::range_of("run.seed").unwrap();
    assert_eq!(r.words(), "from 0 to 9,223,372,036,854,775,807");
    assert!(
        r.why.contains("TOML integers are signed 64-bit"),
        "{}",
        r.why
    );
    // JSON can carry a larger seed: refused exactly, not rounded to 2^63.
    let mut s = load("t.toml", &top).unwrap();
    s.run.seed = i64::MAX as u64 + 1;
    let (field, message) = scalesim::scenario::validate(&s).unwrap_err();
    assert_eq!(field, "run.seed");
    assert!(
        message.starts_with("is 9223372036854775808, more than"),
        "{message}"
    );
    // A pod id in an action is the same kind of number.
    for key in ["pod", "node"] {
        let r = scalesim::scenario::ranges::range_of(&format!("events[].action.{key}")).unwrap();
        assert_eq!(r.words(), "from 0 to 9,223,372,036,854,775,807 id");
    }
}

#[test]
fn an_integer_too_large_for_toml_is_named_by_its_full_path_with_its_range() {
    // Inside an inline table, the key whose value it is.
    let text = first_spike_with(
        "[run]\ntick_s = 1.0\nduration_s = 3600.0\nseed = 1\n",
        "run = { tick_s = 1.0, seed = 18446744073709551615 }\n",
    );
    assert_refused(
        &text,
        "run = {",
        "run.seed",
        &[
            "is written 18446744073709551615",
            "from 0 to 9,223,372,036,854,775,807",
        ],
    );
    // In the second [[traffic.classes]]: its index, and the field's range.
    let text = first_spike_with(
        "name = \"checkout\"\n",
        "name = \"checkout\"\nreads = 99999999999999999999\n",
    );
    let classes = text.matches("[[traffic.classes]]").count();
    assert!(classes >= 2, "first-spike has {classes} classes");
    let e = refusal(&text);
    assert_eq!(e.line, Some(line_of(&text, "reads = 9")), "{e}");
    assert_eq!(e.field.as_deref(), Some("traffic.classes[1].reads"), "{e}");
    assert!(
        e.message
            .ends_with("expected a whole number from 0 to 1,000 per request"),
        "{e}"
    );
    // An element of an array inside an inline table.
    let text = first_spike_with(
        "profile = { kind = \"constant\", rps = 1000.0 }",
        "profile = { kind = \"sum\", parts = [{ kind = \"constant\", rps = 1.0 }, { kind = \"constant\", rps = 99999999999999999999 }] }",
    );
    let e = refusal(&text);
    assert_eq!(
        e.field.as_deref(),
        Some("traffic.profile.parts[1].rps"),
        "{e}"
    );
}

#[test]
fn a_gslb_table_without_regions_says_the_defaults_do_not_fit() {
    // reference.toml's region is region-1; the GSLB's default regions are not.
    let text = format!(
        "{}\n[gslb]\ndns_ttl_s = 30\n",
        built_in("reference").expect("reference is built in")
    );
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("gslb.regions"), "{e}");
    assert_eq!(e.line, Some(line_of(&text, "[gslb]")), "{e}");
    assert!(
        e.message.starts_with(
            "is not written, and the default gslb.regions name us-east-1, us-west-2 and \
             eu-west-1, which this scenario does not have (its regions: region-1); write a \
             [[gslb.regions]] table"
        ),
        "{e}"
    );
    // Regions written, users left to the defaults (three latencies each): said too.
    let text = format!(
        "{}\n[gslb]\n[[gslb.regions]]\nname = \"region-1\"\neu = false\nweight = 1.0\n",
        built_in("reference").expect("reference is built in")
    );
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("gslb.users"), "{e}");
    assert!(
        e.message
            .starts_with("is not written, and the default gslb.users (US users and EU users)"),
        "{e}"
    );
}

#[test]
fn a_profile_nested_past_the_toml_readers_limit_says_the_limit() {
    // 40 profiles nest (79 tables and arrays); 41 do not.
    let nested = |n: usize| {
        let mut p = String::from("{ kind = \"constant\", rps = 1.0 }");
        for _ in 1..n {
            p = format!("{{ kind = \"sum\", parts = [{p}] }}");
        }
        format!("title = \"x\"\n[run]\nduration_s = 60.0\n[traffic]\nprofile = {p}\n")
    };
    assert!(load("t.toml", &nested(40)).is_ok());
    let text = nested(41);
    assert_refused(
        &text,
        "profile = ",
        "traffic.profile",
        &[
            "nests inline tables and arrays 80 deep, past the TOML reader's limit of 79",
            "at most 40 profiles nest",
            "at most 3 levels: sum → product → parts",
        ],
    );
    assert!(!refusal(&text).message.contains("recursion limit exceeded"));
}

#[test]
fn a_timeline_zero_at_or_after_the_runs_end_is_refused() {
    // The story's T+0 must be inside the run.
    let text = first_spike_with("seed = 1\n", "seed = 1\ntimeline_zero_s = 34560000\n");
    assert_refused(
        &text,
        "timeline_zero_s",
        "run.timeline_zero_s",
        &[
            "is 34,560,000 s, at or after the end of the run (duration_s = 3,600 s)",
            "at least 0 s and less than 3,600 s",
        ],
    );
    let at_end = first_spike_with("seed = 1\n", "seed = 1\ntimeline_zero_s = 3600.0\n");
    assert_eq!(
        refusal(&at_end).field.as_deref(),
        Some("run.timeline_zero_s")
    );
    let inside = first_spike_with("seed = 1\n", "seed = 1\ntimeline_zero_s = 3599.0\n");
    let mut s = load("t.toml", &inside).unwrap();
    // `scalesim run --duration` shortening the run: validate refuses it the same way.
    s.run.duration_s = 60.0;
    let (field, message) = scalesim::scenario::validate(&s).unwrap_err();
    assert_eq!(field, "run.timeline_zero_s");
    assert!(message.contains("duration_s = 60 s"), "{message}");
}

#[test]
fn the_data_tiers_objects_count_in_the_work_limit() {
    // 100,000 partitions for 400 days: about 10 hours of engine time.
    let text = built_in("kafka-burst").expect("built in").replacen(
        "duration_s = 3600.0",
        "duration_s = 34560000.0",
        1,
    );
    let text = match text.find("partitions = ") {
        Some(at) => {
            let end = at + text[at..].find('\n').unwrap();
            format!("{}partitions = 100000{}", &text[..at], &text[end..])
        }
        None => panic!("kafka-burst has partitions"),
    };
    let e = refusal(&text);
    assert_eq!(e.field.as_deref(), Some("run.duration_s"), "{e}");
    assert!(e.message.contains("100,000 Kafka partitions"), "{e}");
}

#[test]
fn a_bound_computed_from_ticks_reads_without_float_noise() {
    // The last tick of a 3 s run at 0.3 s ticks starts at 2.7 s (9 × 0.3).
    let text = "title = \"t\"\n[run]\ntick_s = 0.3\nduration_s = 3.0\nlatency_window_s = 3.0\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[[events]]\nat_s = 2.70000001\naction = { kind = \"kill_pods\", count = 1 }\n";
    let e = refusal(text);
    assert!(e.message.contains("from 0 to 2.7 s"), "{e}");
}

#[test]
fn a_prescale_window_no_hpa_sync_falls_in_is_refused_with_the_syncs_around_it() {
    // The HPA syncs every 15 s (0, 15, 30, …, 90, 105 s): 91–104 s holds none.
    let base = "title = \"x\"\n[run]\nduration_s = 600.0\ntick_s = 1.0\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    let text =
        format!("{base}[[prescale.scheduled]]\nfrom_s = 91.0\nuntil_s = 104.0\nmin_replicas = 5\n");
    assert_refused(
        &text,
        "until_s = 104.0",
        "prescale.scheduled[0].until_s",
        &[
            "holds no HPA sync",
            "every 15 s: here at 90 s and 105 s",
            "start it by 90 s or end it after 105 s",
        ],
    );
    // 91–106 s holds the sync at 105 s.
    let ok =
        format!("{base}[[prescale.scheduled]]\nfrom_s = 91.0\nuntil_s = 106.0\nmin_replicas = 5\n");
    assert!(load("ok.toml", &ok).is_ok());
    // 10 s ticks: the sync for 45 s comes at the 50 s tick, so 31–46 s (15 s long) holds none.
    let coarse = base.replace("tick_s = 1.0", "tick_s = 10.0");
    let text = format!(
        "{coarse}[[prescale.scheduled]]\nfrom_s = 31.0\nuntil_s = 46.0\nmin_replicas = 5\n"
    );
    assert_refused(
        &text,
        "until_s = 46.0",
        "prescale.scheduled[0].until_s",
        &["here at 30 s and 50 s"],
    );
    // 60 s ticks are longer than the 15 s period: a sync at every tick.
    let minute = base.replace("tick_s = 1.0", "tick_s = 60.0");
    let text = format!(
        "{minute}[[prescale.scheduled]]\nfrom_s = 130.0\nuntil_s = 170.0\nmin_replicas = 5\n"
    );
    assert_refused(
        &text,
        "until_s = 170.0",
        "prescale.scheduled[0].until_s",
        &["at every tick here (60 s), as ticks are longer than its 15 s sync period: here at 120 s and 180 s"],
    );
    // A window in the run's last seconds, after its last sync.
    let text = format!(
        "{base}[[prescale.scheduled]]\nfrom_s = 592.0\nuntil_s = 600.0\nmin_replicas = 5\n"
    );
    assert_refused(
        &text,
        "until_s = 600.0",
        "prescale.scheduled[0].until_s",
        &[
            "the last at 585 s, the next after the run",
            "start it by 585 s",
        ],
    );
}

#[test]
fn min_replicas_never_passes_max_replicas_in_a_floor_or_in_events_in_time_order() {
    let base = "title = \"x\"\n[run]\nduration_s = 600.0\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n[hpa]\nminReplicas = 3\nmaxReplicas = 20\n";
    let text = format!(
        "{base}[[prescale.scheduled]]\nfrom_s = 0.0\nuntil_s = 300.0\nmin_replicas = 100\n"
    );
    assert_refused(
        &text,
        "min_replicas = 100",
        "prescale.scheduled[0].min_replicas",
        &["above hpa.maxReplicas (20)", "give at most 20"],
    );
    let ev = |at: &str, kind: &str, n: u32| {
        format!("[[events]]\nat_s = {at}\naction = {{ kind = \"{kind}\", replicas = {n} }}\n")
    };
    // Refused: minReplicas 1000 over a maximum of 20.
    let text = format!("{base}{}", ev("60.0", "set_min_replicas", 1000));
    assert_refused(
        &text,
        "replicas = 1000",
        "events[0].action.replicas",
        &["above maxReplicas (20) at that time", "set_max_replicas"],
    );
    // Accepted: the maximum is raised first, even when written after.
    let text = format!(
        "{base}{}{}",
        ev("60.0", "set_min_replicas", 30),
        ev("30.0", "set_max_replicas", 40)
    );
    assert!(load("ok.toml", &text).is_ok());
    // Refused: a maximum under the minimum in force.
    let text = format!(
        "{base}{}{}",
        ev("30.0", "set_min_replicas", 10),
        ev("60.0", "set_max_replicas", 5)
    );
    assert_refused(
        &text,
        "replicas = 5",
        "events[1].action.replicas",
        &["below minReplicas (10) at that time"],
    );
}

#[test]
fn a_table_written_twice_is_refused_at_its_second_header_not_the_field_before() {
    let text = "title = \"x\"\n[run]\nduration_s = 60.0\n[run]\nseed = 1\n[traffic]\nprofile = { kind = \"constant\", rps = 10.0 }\n";
    let e = refusal(text);
    assert_eq!(e.field.as_deref(), Some("run"), "{e}");
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("duplicate key `run`"), "{e}");
}
