//! `scalesim grade SCENARIO --answers FILE [--json]` grades an answers file
//! and prints the debrief; `scalesim grade SCENARIO --check` runs the
//! scenario's own answers (reference scores 100 %, weak fails, explain samples
//! earn exactly their concepts) and fails when one does not hold.
//!
//! ```text
//!   answers.toml ──toml──▶ { id → Answer } ──grade_answer × questions──▶ debrief (text or JSON)
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::progress::Meter;
use super::run::read_scenario;
use crate::grade::judge::{figure, seeds_text, with_unit};
use crate::grade::{
    check_answer, check_scenario_with, grade_answer_with, Answer, Question, QuestionGrade, Verdict,
};
use crate::scenario::ranges::value_words;
use crate::scenario::toml_lines::TomlLines;
use crate::scenario::Scenario;
use crate::sim::events::{clock, counted};

/// Parsed command line of `grade`.
struct GradeArgs {
    scenario: String,
    answers: Option<String>,
    json: bool,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<GradeArgs, String> {
    let mut r = GradeArgs {
        scenario: String::new(),
        answers: None,
        json: false,
        check: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--answers" => {
                let path = it.next().cloned().ok_or("--answers needs a file")?;
                if path.trim().is_empty() {
                    return Err("--answers expects a file path, got an empty one".into());
                }
                r.answers = Some(path);
            }
            "--json" => r.json = true,
            "--check" => r.check = true,
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s if r.scenario.is_empty() => r.scenario = s.to_string(),
            s => {
                return Err(format!(
                    "unexpected {} after the scenario `{}` (usage: scalesim grade SCENARIO --answers ANSWERS.toml [--json])",
                    if s.is_empty() {
                        "empty argument".to_string()
                    } else {
                        format!("argument `{s}`")
                    },
                    r.scenario
                ))
            }
        }
    }
    if r.scenario.is_empty() {
        return Err("missing SCENARIO (a file, or a built-in name such as flash-sale)".into());
    }
    if r.check == r.answers.is_some() {
        return Err("give either --answers FILE or --check".into());
    }
    Ok(r)
}

/// Reads an answers file: a table per question id, every answer checked
/// ([`check_answer`]) before anything is graded. Errors name the file, the line
/// and the field; an id the scenario does not have lists the ids.
pub fn read_answers(
    file: &str,
    text: &str,
    scenario: &Scenario,
) -> Result<BTreeMap<String, Answer>, String> {
    let lines = TomlLines::parse(text);
    if let Some((path, line, v)) = lines.as_ref().and_then(TomlLines::first_non_finite) {
        return Err(format!(
            "{file}:{line}: {}: must be a finite number, got {}; {}",
            by_question(&path),
            value_words(v),
            finite_hint(&path, scenario)
        ));
    }
    // A question's answer is one table: `[[id]]` (a list of tables) or
    // `id = [..]` would otherwise be read field by field as a list.
    if let Ok(top) = toml::from_str::<toml::Table>(text) {
        for (id, v) in &top {
            let written = match v {
                toml::Value::Array(items) if items.iter().all(toml::Value::is_table) => {
                    format!("[[{id}]] (double brackets) makes a list of tables")
                }
                toml::Value::Array(_) => format!("[{id}] is a list"),
                _ => continue,
            };
            let line = lines
                .as_ref()
                .and_then(|t| t.line_of(&format!("\"{id}\"")))
                .map_or(String::new(), |l| format!(":{l}"));
            return Err(format!(
                "{file}{line}: {written}; a question's answer is one table: write [{id}] with single brackets on a line of its own, then its fields below it"
            ));
        }
    }
    let answers: BTreeMap<String, Answer> =
        serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
            let e = crate::scenario::read_error(file, text, lines.as_ref(), &e);
            let field = e
                .field
                .as_deref()
                .map_or(String::new(), |p| format!("{}: ", by_question(p)));
            match e.line {
                Some(l) => format!("{file}:{l}: {field}{}", e.message),
                None => format!("{file}: {field}{}", e.message),
            }
        })?;
    let line_of = |path: &str| {
        lines
            .as_ref()
            .and_then(|t| t.line_of(path))
            .map_or(String::new(), |l| format!(":{l}"))
    };
    let questions = scenario.questions().map_err(|e| format!("{file}: {e}"))?;
    for (id, answer) in &answers {
        let Some(q) = questions.iter().find(|q| q.id() == id) else {
            let ids: Vec<&str> = questions.iter().map(Question::id).collect();
            return Err(format!(
                "{file}{}: there is no question \u{201c}{id}\u{201d} in this scenario; questions: {}",
                line_of(&format!("\"{id}\"")),
                ids.join(", ")
            ));
        };
        check_answer(scenario, q, answer).map_err(|p| {
            let (path, shown) = if p.field.is_empty() {
                (format!("\"{id}\""), format!("[{id}]"))
            } else {
                (
                    format!("\"{id}\".{}", p.field),
                    format!("[{id}] {}", p.field),
                )
            };
            format!("{file}{}: {shown}: {}", line_of(&path), p.message)
        })?;
    }
    Ok(answers)
}

/// What a non-finite number at `path` of an answers file should be instead:
/// the answer with its unit (`value`), a knob value in its range, a time in
/// seconds, or else a finite number.
fn finite_hint(path: &str, scenario: &Scenario) -> String {
    let shown = by_question(path);
    let (id, field) = shown
        .strip_prefix('[')
        .and_then(|s| s.split_once(']'))
        .map_or(("", ""), |(id, rest)| (id, rest.trim()));
    let question = scenario
        .questions()
        .ok()
        .and_then(|qs| qs.into_iter().find(|q| q.id() == id));
    if field == "value" {
        if let Some(Question::Numeric(n)) = &question {
            let unit = n.unit.trim();
            return if unit.is_empty() {
                "give the answer as a finite number, such as value = 12".into()
            } else {
                format!(
                    "give the answer as a finite number with its unit, such as value = \"{}\"",
                    with_unit("12", unit)
                )
            };
        }
        return "give the answer as a finite number with its unit, such as value = \"12 pods\""
            .into();
    }
    if let Some(knob) = field
        .strip_prefix("knobs.")
        .map(|k| k.trim_matches('"'))
        .and_then(crate::scenario::knobs::knob_by_field)
    {
        // The knob's range refusal says what it takes, with its unit.
        if let Err(e) = crate::grade::judge::check_knob(scenario, knob.field, f64::NAN) {
            if let Some((_, span)) = e.split_once("outside ") {
                return format!("give the knob a finite number, {span}");
            }
        }
        return "give the knob a finite number".into();
    }
    if field.ends_with("at_s") {
        return "give the action's time as a finite number of seconds".into();
    }
    "give a finite number".into()
}

/// A path in an answers file as the debrief names it: `plan.actions[1].at_s` →
/// `[plan] actions[1].at_s` (the question's table, then the field in it).
fn by_question(path: &str) -> String {
    let (id, rest) = match path.strip_prefix('"') {
        Some(quoted) => match quoted.split_once('"') {
            Some((id, rest)) => (id, rest),
            None => (quoted, ""),
        },
        None => match path.find(['.', '[']) {
            Some(i) => path.split_at(i),
            None => (path, ""),
        },
    };
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if rest.is_empty() {
        format!("[{id}]")
    } else {
        format!("[{id}] {rest}")
    }
}

/// Runs `scalesim grade …` and returns what it prints.
pub fn run(args: &[String]) -> Result<String, String> {
    let a = parse_args(args)?;
    let scenario = read_scenario(&a.scenario)?;
    let questions = scenario
        .questions()
        .map_err(|e| format!("{}: {e}", a.scenario))?;
    if questions.is_empty() {
        return Err(format!("{}: this scenario has no questions", a.scenario));
    }
    if a.check {
        return check(&a.scenario, &scenario, a.json);
    }
    let file = a.answers.expect("checked in parse_args");
    let text = super::input::read_text(&file, "an answers file (TOML, a table per question id)")?;
    let answers = read_answers(&file, &text, &scenario)?;
    let mut grades = Vec::new();
    for q in &questions {
        let g = match answers.get(q.id()) {
            Some(ans) => {
                let mut meter = Meter::start();
                let mut show = |share: f64| {
                    meter.tick(|wall_s| {
                        format!(
                            "question {}: {}",
                            q.id(),
                            super::progress::share_line(share, wall_s)
                        )
                    });
                };
                Some(
                    grade_answer_with(&scenario, q, ans, &mut show)
                        .map_err(|e| format!("{file}: {e}"))?,
                )
            }
            None => None,
        };
        grades.push((q, g));
    }
    // Folded from +0: a float sum of nothing is -0, printed "-0".
    let max: f64 = questions.iter().map(|q| q.points()).fold(0.0, |a, b| a + b);
    let got: f64 = grades
        .iter()
        .filter_map(|(_, g)| g.as_ref().map(|g| g.grade.points))
        .fold(0.0, |a, b| a + b);
    if a.json {
        // Every question, answered or not, so a reader sees what was skipped.
        let list = grades
            .iter()
            .map(|(q, g)| match g {
                Some(g) => {
                    let mut v = serde_json::to_value(g).map_err(|e| e.to_string())?;
                    if let Some(o) = v.as_object_mut() {
                        o.insert("answered".into(), true.into());
                    }
                    Ok(v)
                }
                None => Ok(serde_json::json!({
                    "id": q.id(),
                    "kind": q.kind(),
                    "answered": false,
                    "grade": { "points": 0.0, "max": q.points(), "feedback": ["not answered"] },
                })),
            })
            .collect::<Result<Vec<serde_json::Value>, String>>()?;
        let mut v = serde_json::json!({
            "scenario": scenario.title,
            "points": got,
            "max": max,
            "percent": if max > 0.0 { 100.0 * got / max } else { 0.0 },
            "questions": list,
        });
        // 10 significant digits, as in series.csv: no float noise.
        crate::figures::round_json_numbers(&mut v);
        return serde_json::to_string_pretty(&v)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string());
    }
    let mut o = String::new();
    let _ = writeln!(o, "{}\n", scenario.title);
    for (q, g) in &grades {
        let _ = writeln!(o, "[{}] {}: {}", q.id(), q.kind(), q.prompt());
        match g {
            None => {
                let _ = writeln!(o, "  not answered: 0 / {}\n", figure(q.points()));
            }
            Some(g) => {
                debrief(&mut o, g);
                // An explain question's model answer is in its feedback already.
                let shown = g.grade.feedback.iter().any(|f| f.ends_with(q.solution()));
                if !q.solution().is_empty() && !shown {
                    let _ = writeln!(o, "  solution: {}", q.solution());
                }
                if !q.source().is_empty() {
                    let _ = writeln!(o, "  from: {}", q.source());
                }
                let _ = writeln!(o);
            }
        }
    }
    let _ = writeln!(
        o,
        "total: {} / {} points ({:.0} %)",
        figure(got),
        figure(max),
        if max > 0.0 { 100.0 * got / max } else { 0.0 }
    );
    Ok(o)
}

/// One question's debrief lines.
fn debrief(o: &mut String, g: &QuestionGrade) {
    let _ = writeln!(
        o,
        "  {} / {} points ({:.0} %)",
        figure(g.grade.points),
        figure(g.grade.max),
        g.grade.percent()
    );
    if let Some(c) = &g.configure {
        for r in &c.rows {
            let mark = match r.verdict {
                Verdict::Pass => "met",
                Verdict::Partial => "half",
                Verdict::Fail => "MISSED",
            };
            let _ = writeln!(
                o,
                "  {mark:<6} {}{}: {} (worst) vs {}; {}\u{2013}{}; {}",
                r.label,
                if r.gate { " [gate]" } else { "" },
                r.worst
                    .map_or("-".into(), |w| with_unit(&figure(w), &r.unit)),
                r.bound,
                clock(r.window_s.0),
                clock(r.window_s.1),
                seeds_text(r)
            );
        }
    }
    // An explain grade's feedback lists every concept, found or missed, with
    // what matched: the found ones are not listed again.
    for f in &g.grade.feedback {
        if g.configure.is_none() || f.contains("gate") {
            let _ = writeln!(o, "  - {f}");
        }
    }
}

fn check(name: &str, scenario: &Scenario, json: bool) -> Result<String, String> {
    let mut meter = Meter::start();
    let lines = check_scenario_with(scenario, &mut |what, share| {
        meter.tick(|wall_s| format!("{what}: {}", super::progress::share_line(share, wall_s)));
    })?;
    let failed = lines.iter().filter(|l| !l.ok).count();
    let mut o = String::new();
    if json {
        o = serde_json::to_string_pretty(&lines).map_err(|e| e.to_string())? + "\n";
    } else {
        let _ = writeln!(o, "{} ({name})", scenario.title);
        for l in &lines {
            let _ = writeln!(
                o,
                "  {} [{}] {}: {}",
                if l.ok { "ok  " } else { "FAIL" },
                l.question,
                l.what,
                l.detail
            );
        }
        let _ = writeln!(
            o,
            "{}, {failed} failed; covers {}",
            counted(lines.len() as u64, "check", "checks"),
            scenario.covers.join(", ")
        );
    }
    if failed > 0 {
        Err(format!(
            "{o}{name}: {} failed",
            counted(failed as u64, "check", "checks")
        ))
    } else {
        Ok(o)
    }
}
