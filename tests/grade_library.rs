//! The graded library: every built-in scenario's own answers hold
//! (`scalesim grade --check` on each), every seed interview question is
//! covered, and answers files are read with errors that say where.

use scalesim::cli::grade::read_answers;
use scalesim::grade::seed_questions::SEED_QUESTIONS;
use scalesim::grade::{check_scenario, grade_answer, Question};
use scalesim::scenario::{load, BUILT_INS};

fn built_ins() -> Vec<(&'static str, scalesim::scenario::Scenario)> {
    BUILT_INS
        .iter()
        .map(|(n, t)| (*n, load(n, t).unwrap_or_else(|e| panic!("{e}"))))
        .collect()
}

#[test]
fn every_built_in_passes_its_own_check() {
    for (name, s) in built_ins() {
        if s.raw_questions.is_empty() {
            continue;
        }
        let lines = check_scenario(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let failed: Vec<_> = lines.iter().filter(|l| !l.ok).collect();
        assert!(failed.is_empty(), "{name}: {failed:#?}");
        assert!(
            !s.covers.is_empty(),
            "{name} has questions but covers no seed question"
        );
    }
}

#[test]
fn every_seed_question_is_covered_by_a_built_in() {
    let all = built_ins();
    let missing: Vec<&str> = SEED_QUESTIONS
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !all.iter().any(|(_, s)| s.covers.iter().any(|c| c == id)))
        .collect();
    assert!(missing.is_empty(), "not covered yet: {missing:?}");
}

#[test]
fn an_answers_file_grades_and_its_errors_say_where() {
    let (_, s) = built_ins()
        .into_iter()
        .find(|(n, _)| *n == "flash-sale")
        .expect("flash-sale is built in");
    // Reactive scaling only: the plan is answered with no actions and fails.
    let text = "[predict]\npicks = [1]\n\n[plan]\n";
    let answers = read_answers("a.toml", text, &s).unwrap();
    let questions = s.questions().unwrap();
    let plan = questions.iter().find(|q| q.id() == "plan").unwrap();
    let g = grade_answer(&s, plan, &answers["plan"]).unwrap();
    assert!(g.grade.percent() < 50.0, "{:?}", g.grade);
    let c = g.configure.as_ref().unwrap();
    let first = &c.rows[0];
    assert!(
        first.worst.unwrap() > 100_000.0,
        "errors 12:00-12:04: {first:?}"
    );
    assert_eq!(first.window_s, (3600.0, 3840.0));
    // The same plan with minReplicas raised at 11:30 passes on every seed.
    let text = "[plan]\nactions = [{ at_s = 1800.0, action = { kind = \"set_min_replicas\", replicas = 40 } }]\n";
    let answers = read_answers("a.toml", text, &s).unwrap();
    let g = grade_answer(&s, plan, &answers["plan"]).unwrap();
    assert_eq!(g.grade.percent(), 100.0, "{:?}", g.grade.feedback);
    assert!(matches!(plan, Question::Configure(_)));
    // Errors: a misspelt field with its line, an unknown question with the ids.
    let e = read_answers("a.toml", "[predict]\npick = [1]\n", &s).unwrap_err();
    assert!(e.starts_with("a.toml:") && e.contains("pick"), "{e}");
    let e = read_answers("a.toml", "[nope]\npicks = [1]\n", &s).unwrap_err();
    assert!(
        e.starts_with("a.toml:1:") && e.contains("predict, plan, why"),
        "{e}"
    );
    // A knob the question does not offer is refused by name.
    // The file is refused at its line; the same answer from the page is refused by
    // grade_answer with the field.
    let text = "[plan]\nknobs = { \"hpa.minReplicas\" = 40 }\n";
    let e = read_answers("a.toml", text, &s).unwrap_err();
    assert!(
        e.starts_with("a.toml:2: [plan] knobs.\"hpa.minReplicas\": ")
            && e.contains("hpa.maxReplicas"),
        "{e}"
    );
    let mut answer = scalesim::grade::Answer::default();
    answer.knobs.insert("hpa.minReplicas".into(), 40.0);
    let e = grade_answer(&s, plan, &answer).unwrap_err();
    assert!(
        e.starts_with("knobs.\"hpa.minReplicas\": ") && e.contains("hpa.maxReplicas"),
        "{e}"
    );
}

#[test]
fn a_drill_reads_alone_as_it_reads_among_the_questions() {
    for (name, s) in built_ins() {
        let questions = s.questions().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            s.question_ids(),
            questions.iter().map(|q| q.id()).collect::<Vec<_>>(),
            "{name}"
        );
        let points: f64 = questions.iter().map(|q| q.points()).sum();
        assert!((s.question_points() - points).abs() < 1e-9, "{name}");
        for q in &questions {
            match q {
                Question::Drill(d) => assert_eq!(&s.drill_question(&d.id).unwrap(), d, "{name}"),
                other => assert!(s.drill_question(other.id()).is_err(), "{name}"),
            }
        }
    }
    let s = scalesim::scenario::load_built_in("chaos-drill")
        .unwrap()
        .unwrap();
    let e = s.drill_question("nope").unwrap_err();
    assert!(e.contains("no drill called \u{201c}nope\u{201d}"), "{e}");
}
