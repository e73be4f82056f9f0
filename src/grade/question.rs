//! A scenario's `[[questions]]`: one enum over the kinds, read by the `kind`
//! field, and the checks a question definition must pass before anyone
//! answers it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::probe::Probe;
use super::{
    ChoiceQuestion, ConfigureQuestion, DrillQuestion, ExplainQuestion, NumericQuestion,
    OrderQuestion, Quantity,
};
use crate::scenario::knobs::knob_by_field;
use crate::scenario::ranges::{self, value_words};
use crate::sim::series::Series;

/// A question of any kind (`kind = "choice"` … in the scenario file).
#[derive(Clone, Debug, PartialEq)]
pub enum Question {
    /// Pick one or several options.
    Choice(ChoiceQuestion),
    /// A number with a unit.
    Numeric(NumericQuestion),
    /// A sequence, or items into buckets.
    Order(OrderQuestion),
    /// Set the knobs; the simulator judges the run.
    Configure(ConfigureQuestion),
    /// Free text against concepts.
    Explain(ExplainQuestion),
    /// A live incident to mitigate.
    Drill(DrillQuestion),
}

impl Question {
    /// The kind as scenario files name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Question::Choice(_) => "choice",
            Question::Numeric(_) => "numeric",
            Question::Order(_) => "order",
            Question::Configure(_) => "configure",
            Question::Explain(_) => "explain",
            Question::Drill(_) => "drill",
        }
    }

    /// Its id, unique within the scenario.
    pub fn id(&self) -> &str {
        match self {
            Question::Choice(q) => &q.id,
            Question::Numeric(q) => &q.id,
            Question::Order(q) => &q.id,
            Question::Configure(q) => &q.id,
            Question::Explain(q) => &q.id,
            Question::Drill(q) => &q.id,
        }
    }

    /// What the learner is asked.
    pub fn prompt(&self) -> &str {
        match self {
            Question::Choice(q) => &q.prompt,
            Question::Numeric(q) => &q.prompt,
            Question::Order(q) => &q.prompt,
            Question::Configure(q) => &q.prompt,
            Question::Explain(q) => &q.prompt,
            Question::Drill(q) => &q.prompt,
        }
    }

    /// The length of the run it simulates when it sets its own [s]: configure and
    /// drill questions may; the others run nothing.
    pub fn duration_s(&self) -> Option<f64> {
        match self {
            Question::Configure(q) => q.duration_s,
            Question::Drill(q) => q.duration_s,
            Question::Choice(_)
            | Question::Numeric(_)
            | Question::Order(_)
            | Question::Explain(_) => None,
        }
    }

    /// The seeds it is graded on: configure and drill questions run the
    /// simulator once per seed; the others run nothing.
    pub fn seeds(&self) -> Option<&[u64]> {
        match self {
            Question::Configure(q) => Some(&q.seeds),
            Question::Drill(q) => Some(&q.seeds),
            Question::Choice(_)
            | Question::Numeric(_)
            | Question::Order(_)
            | Question::Explain(_) => None,
        }
    }

    /// Points it is worth.
    pub fn points(&self) -> f64 {
        match self {
            Question::Choice(q) => q.points,
            Question::Numeric(q) => q.points,
            Question::Order(q) => q.points,
            Question::Configure(q) => q.points(),
            Question::Explain(q) => q.points,
            Question::Drill(q) => q.points,
        }
    }

    /// The seed passage it comes from.
    pub fn source(&self) -> &str {
        match self {
            Question::Choice(q) => &q.source,
            Question::Numeric(q) => &q.source,
            Question::Order(q) => &q.source,
            Question::Configure(q) => &q.source,
            Question::Explain(q) => &q.source,
            Question::Drill(q) => &q.source,
        }
    }

    /// The worked solution or model answer, shown after grading.
    pub fn solution(&self) -> &str {
        match self {
            Question::Choice(q) => &q.solution,
            Question::Numeric(q) => &q.solution,
            Question::Order(q) => &q.solution,
            Question::Configure(q) => &q.solution,
            Question::Explain(q) => &q.model_answer,
            Question::Drill(q) => &q.solution,
        }
    }

    /// Whether the simulator judges it (configure, drill).
    pub fn is_simulated(&self) -> bool {
        match self {
            Question::Configure(_) | Question::Drill(_) => true,
            Question::Choice(_)
            | Question::Numeric(_)
            | Question::Order(_)
            | Question::Explain(_) => false,
        }
    }

    /// Checks what serde cannot: ranges ([`MAX_POINTS`], [`MAX_QUESTION_SEEDS`],
    /// [`MAX_MIN_WORDS`], a run within [`ranges::MAX_RUN_S`]), windows inside the
    /// run, knobs that exist, and definitions that could not work: a seed
    /// twice, two options of the same text, a numeric key's `unit` of another
    /// dimension than its probe ([`Probe::dimension`]), a check bound outside
    /// what its probe can measure ([`Probe::range`]), a playbook action before
    /// the fault. `end_s` is the scenario's run length [s]; what all its seeds' runs cost together is checked by
    /// [`crate::scenario::validate_questions`]. Errors: (the
    /// field's path inside the question's table, `checks[1].to_s`; the message).
    pub fn validate(&self, declared_knobs: &[&str], end_s: f64) -> Result<(), (String, String)> {
        let err = |field: &str, msg: String| Err((field.to_string(), msg));
        if self.id().is_empty() {
            return err("id", "every question needs an id".into());
        }
        let points_ok = |p: f64| p.is_finite() && p > 0.0 && p <= MAX_POINTS;
        let points_words = |p: f64| {
            format!(
                "is {}; give more than 0 and at most {MAX_POINTS} points (points weigh questions against each other)",
                value_words(p)
            )
        };
        if !matches!(self, Question::Configure(_)) && !points_ok(self.points()) {
            return err("points", points_words(self.points()));
        }
        // A simulated question's runs: its length, and its seeds' total ticks.
        let run_check = |duration_s: Option<f64>, seeds: &[u64]| {
            if seeds.is_empty() || seeds.len() > MAX_QUESTION_SEEDS {
                return err(
                    "seeds",
                    format!(
                        "lists {} seeds; give 1 to {MAX_QUESTION_SEEDS} (each is a whole run when graded)",
                        seeds.len()
                    ),
                );
            }
            if let Some(seed) = repeated(seeds) {
                return err(
                    "seeds",
                    format!(
                        "lists seed {seed} twice; give each seed once (a seed run twice is the same run, so it adds time and no evidence)"
                    ),
                );
            }
            if let Some(d) = duration_s {
                if !(d.is_finite() && d > 0.0 && d <= ranges::MAX_RUN_S) {
                    return err(
                        "duration_s",
                        format!(
                            "is {} s; give more than 0 and at most {} s (400 days)",
                            value_words(d),
                            value_words(ranges::MAX_RUN_S)
                        ),
                    );
                }
            }
            Ok(())
        };
        match self {
            Question::Choice(q) => {
                let right = q.options.iter().filter(|o| o.correct).count();
                if q.options.len() < 2 {
                    return err("options", "needs at least two options".into());
                }
                for (j, o) in q.options.iter().enumerate() {
                    let same = |p: &super::ChoiceOption| {
                        p.text.trim().to_lowercase() == o.text.trim().to_lowercase()
                    };
                    if let Some(first) = q.options[..j].iter().position(same) {
                        return err(
                            &format!("options[{j}].text"),
                            format!(
                                "option {j} \u{201c}{}\u{201d} has the same text as option {first} (compared trimmed, ignoring case), so a learner cannot tell them apart; give each option its own text",
                                o.text.trim()
                            ),
                        );
                    }
                }
                if right == 0 || (!q.multiple && right != 1) {
                    return err(
                        "options",
                        format!(
                            "{right} options are marked correct; a single-answer question needs exactly one, a multiple-answer question at least one"
                        ),
                    );
                }
            }
            Question::Numeric(q) => {
                if q.answer.is_some() == q.answer_from.is_some() {
                    return err(
                        "answer",
                        "give exactly one of `answer` and `answer_from`".into(),
                    );
                }
                if let Err(e) = Quantity::new(1.0, &q.unit) {
                    return err("unit", e);
                }
                if !(q.tolerance.is_finite() && q.tolerance >= 0.0) {
                    return err(
                        "tolerance",
                        format!("must be \u{2265} 0, got {}", value_words(q.tolerance)),
                    );
                }
                if q.partial
                    .is_some_and(|p| !(p.is_finite() && p >= q.tolerance))
                {
                    return err("partial", "must be \u{2265} tolerance".into());
                }
                if let Some(a) = &q.answer_from {
                    let probe = match a.probe() {
                        Ok(p) => p,
                        Err(e) => return err("answer_from.probe", e),
                    };
                    if let Some(m) = unit_mismatch(&q.unit, &a.probe, probe) {
                        return err("unit", m);
                    }
                    if let Some((field, m)) = window_problem(a.from_s, a.to_s, end_s) {
                        return err(
                            &format!("answer_from.{field}"),
                            format!("the key's window {m}"),
                        );
                    }
                    for k in a.setup.knobs.keys() {
                        if knob_by_field(k).is_none() {
                            return err(
                                &format!("answer_from.setup.knobs.\"{k}\""),
                                format!("there is no knob \u{201c}{k}\u{201d}"),
                            );
                        }
                    }
                }
            }
            Question::Order(q) => {
                if q.items.len() < 2 {
                    return err("items", "needs at least two items".into());
                }
                if q.buckets.is_empty() && !q.key.is_empty() {
                    return err(
                        "key",
                        "gives bucket numbers, but the question has no buckets: add `buckets` or drop `key` (a sequence question's answer is the items' written order)".into(),
                    );
                }
                if !q.buckets.is_empty()
                    && (q.key.len() != q.items.len() || q.key.iter().any(|b| *b >= q.buckets.len()))
                {
                    return err(
                        "key",
                        format!(
                            "needs one bucket number per item ({} items), each from 0 to {}",
                            q.items.len(),
                            q.buckets.len() - 1
                        ),
                    );
                }
            }
            Question::Configure(q) => {
                if q.checks.is_empty() {
                    return err("checks", "needs at least one check".into());
                }
                run_check(q.duration_s, &q.seeds)?;
                let end = q.duration_s.unwrap_or(end_s);
                for (j, c) in q.checks.iter().enumerate() {
                    let at = |f: &str| format!("checks[{j}].{f}");
                    let probe = match c.probe() {
                        Ok(p) => p,
                        Err(e) => return err(&at("probe"), e),
                    };
                    if !points_ok(c.points) {
                        return err(&at("points"), points_words(c.points));
                    }
                    if let Some((field, m)) = window_problem(c.from_s, c.to_s, end) {
                        return err(
                            &at(field),
                            format!("check \u{201c}{}\u{201d}: its window {m}", c.label),
                        );
                    }
                    if c.max.is_some() == c.min.is_some() {
                        return err(
                            &at("max"),
                            format!(
                                "check \u{201c}{}\u{201d}: give exactly one of `max` and `min`",
                                c.label
                            ),
                        );
                    }
                    if let Some(b) = c.max.or(c.min).filter(|b| !b.is_finite()) {
                        return err(&at("max"), format!("is {b}; give a finite bound"));
                    }
                    if c.partial.is_some_and(|p| !(p.is_finite() && p >= 0.0)) {
                        return err(&at("partial"), "must be a finite number \u{2265} 0".into());
                    }
                    if let Some((field, m)) = impossible_bound(c, probe) {
                        return err(&at(field), m);
                    }
                }
                let mut seen: Vec<&str> = Vec::new();
                for (j, f) in q.knobs.iter().enumerate() {
                    if seen.contains(&f.as_str()) {
                        return err(
                            &format!("knobs[{j}]"),
                            format!("knob \u{201c}{f}\u{201d} is listed twice"),
                        );
                    }
                    seen.push(f);
                }
                let written = q
                    .knobs
                    .iter()
                    .enumerate()
                    .map(|(j, f)| (format!("knobs[{j}]"), f.as_str()))
                    .chain(
                        q.reference
                            .knobs
                            .keys()
                            .map(|k| (format!("reference.knobs.\"{k}\""), k.as_str())),
                    )
                    .chain(
                        q.weak
                            .knobs
                            .keys()
                            .map(|k| (format!("weak.knobs.\"{k}\""), k.as_str())),
                    );
                for (at, f) in written {
                    if knob_by_field(f).is_none() {
                        return err(&at, format!("there is no knob \u{201c}{f}\u{201d}"));
                    }
                    if q.knobs.is_empty() && !declared_knobs.contains(&f) {
                        return err(
                            &at,
                            format!("knob \u{201c}{f}\u{201d} is not in the scenario's [[knobs]]"),
                        );
                    }
                }
            }
            Question::Explain(q) => {
                if q.concepts.is_empty() {
                    return err("concepts", "needs at least one concept".into());
                }
                if q.min_words > MAX_MIN_WORDS {
                    return err(
                        "min_words",
                        format!(
                            "is {}; give at most {MAX_MIN_WORDS} words (an interview answer is a paragraph or two)",
                            ranges::number_words(q.min_words as f64)
                        ),
                    );
                }
                for (j, c) in q.concepts.iter().enumerate() {
                    if c.phrases.iter().all(|p| p.trim().is_empty())
                        && super::synonyms::shared(&c.id).is_empty()
                    {
                        return err(
                            &format!("concepts[{j}].phrases"),
                            format!(
                                "concept \u{201c}{}\u{201d} has no phrase to find and no shared synonyms (src/grade/synonyms.rs), so no answer could earn it",
                                c.id
                            ),
                        );
                    }
                    if !points_ok(c.points) {
                        return err(&format!("concepts[{j}].points"), points_words(c.points));
                    }
                }
                for (j, s) in q.samples.iter().enumerate() {
                    if let Some(c) = s
                        .concepts
                        .iter()
                        .find(|c| !q.concepts.iter().any(|k| &k.id == *c))
                    {
                        return err(&format!("samples[{j}].concepts"), format!("sample \u{201c}{}\u{201d} names concept \u{201c}{c}\u{201d}, which the question does not have", s.label));
                    }
                }
            }
            Question::Drill(q) => {
                run_check(q.duration_s, &q.seeds)?;
                let run_s = q.duration_s.unwrap_or(end_s);
                let (a, b) = q.fault_window_s;
                if !(a.is_finite() && b.is_finite() && 0.0 <= a && a <= b && b < run_s) {
                    return err(
                        "fault_window_s",
                        format!(
                            "is ({}, {}); give 0 \u{2264} from \u{2264} to, before the run ends at {} s",
                            value_words(a),
                            value_words(b),
                            value_words(run_s)
                        ),
                    );
                }
                if !(q.hold_s.is_finite() && q.hold_s > 0.0 && q.hold_s <= run_s) {
                    return err(
                        "hold_s",
                        format!(
                            "is {} s; give more than 0 and at most the run ({} s)",
                            value_words(q.hold_s),
                            value_words(run_s)
                        ),
                    );
                }
                if q.steady.is_empty() {
                    return err("steady", "needs at least one rule".into());
                }
                for (j, a) in q.playbook.iter().enumerate() {
                    if !(a.at_s.is_finite() && a.at_s >= 0.0) {
                        return err(
                            &format!("playbook[{j}].at_s"),
                            format!(
                                "is {} s; a playbook's actions come at or after the fault (times count from it): give at least 0 s",
                                value_words(a.at_s)
                            ),
                        );
                    }
                }
                for (j, r) in q.steady.iter().enumerate() {
                    if Series::from_column(&r.series).is_none() {
                        let all: Vec<&str> = Series::ALL.map(Series::column).to_vec();
                        return err(
                            &format!("steady[{j}].series"),
                            format!(
                                "there is no series \u{201c}{}\u{201d}; series: {}",
                                r.series,
                                all.join(", ")
                            ),
                        );
                    }
                    let finite = |b: Option<f64>| b.is_none_or(f64::is_finite);
                    let ordered = match (r.min, r.max) {
                        (Some(lo), Some(hi)) => lo <= hi,
                        (None, Some(_)) | (Some(_), None) => true,
                        (None, None) => false,
                    };
                    if !(finite(r.min) && finite(r.max) && ordered) {
                        return err(
                            &format!("steady[{j}].max"),
                            "give `max`, `min` or both (finite, min \u{2264} max): the steady state is the series inside them".into(),
                        );
                    }
                }
                if !(q.speed.is_finite() && q.speed > 0.0 && q.speed <= MAX_DRILL_SPEED) {
                    return err(
                        "speed",
                        format!(
                            "is {}; give more than 0 and at most {MAX_DRILL_SPEED} simulated s per real s (a learner must see the incident to act)",
                            value_words(q.speed)
                        ),
                    );
                }
            }
        }
        Ok(())
    }
}

/// What is wrong with a window from `from_s` to `to_s` (default the end) in a
/// run of `end_s` [s]: (the field to blame, `to_s` or `from_s`; the words after
/// "its window"). `None` when it lies inside the run and ends after it starts.
fn window_problem(from_s: f64, to_s: Option<f64>, end_s: f64) -> Option<(&'static str, String)> {
    let to = to_s.unwrap_or(end_s);
    if from_s.is_finite() && to.is_finite() && 0.0 <= from_s && from_s < to && to <= end_s {
        return None;
    }
    Some((
        if to_s.is_some() { "to_s" } else { "from_s" },
        format!(
            "{}\u{2013}{} s must lie inside the run (0\u{2013}{} s) and end after it starts",
            value_words(from_s),
            value_words(to),
            value_words(end_s)
        ),
    ))
}

/// The first seed `seeds` lists a second time.
fn repeated(seeds: &[u64]) -> Option<u64> {
    seeds
        .iter()
        .enumerate()
        .find_map(|(i, s)| seeds[..i].contains(s).then_some(*s))
}

/// What is wrong with a numeric question in `unit` whose key probe `name`
/// (read as `probe`) measures: another dimension ("pods" for a percentage),
/// or other things counted ("nodes" for pods). A learner's right answer would
/// then be marked wrong and a wrong unit right. `None` when they agree.
fn unit_mismatch(unit: &str, name: &str, probe: Probe) -> Option<String> {
    let asked = Quantity::new(1.0, unit).ok()?.dimension;
    let measured = probe.dimension();
    if asked != measured {
        return Some(format!(
            "is \u{201c}{}\u{201d}, {}, but the key's probe \u{201c}{name}\u{201d} measures {} (in {}), so a learner's right answer would be marked wrong: write {}",
            unit.trim(),
            asked.noun(),
            measured.noun(),
            probe.unit(),
            measured.units()
        ));
    }
    let clash = super::units::counted_noun(unit)
        .zip(super::units::counted_noun(probe.unit()))
        .filter(|(a, m)| !super::units::same_counted(a, m));
    clash.map(|(a, m)| {
        format!(
            "is \u{201c}{}\u{201d}, but the key's probe \u{201c}{name}\u{201d} counts {}, not {}, so a learner's right answer would be marked wrong: write \u{201c}{}\u{201d} or a bare number",
            unit.trim(),
            super::units::plural(m),
            super::units::plural(a),
            probe.unit()
        )
    })
}

/// A check's bound no run could pass: a `min` above the highest value its
/// probe can measure, or a `max` below the lowest ([`Probe::range`]).
/// Returns (the field, `min` or `max`; the message).
fn impossible_bound(c: &super::Check, probe: Probe) -> Option<(&'static str, String)> {
    let (lo, hi) = probe.range();
    let unit = probe.unit();
    let v = |x: f64| super::judge::with_unit(&value_words(x), unit);
    let span = if hi.is_finite() {
        format!("from {} to {}", v(lo), v(hi))
    } else {
        format!("{} or more", v(lo))
    };
    let (field, bound, fix) = match (c.max, c.min) {
        (Some(m), _) if m < lo => ("max", m, format!("give a max of at least {}", v(lo))),
        (_, Some(m)) if m > hi => ("min", m, format!("give a min of at most {}", v(hi))),
        (Some(_) | None, _) => return None,
    };
    Some((
        field,
        format!(
            "check \u{201c}{}\u{201d}: `{field}` is {}, but `{}` measures {span}, so no run could pass; {fix}",
            c.label,
            v(bound),
            c.probe
        ),
    ))
}

/// The most points a question, check or concept is worth.
pub const MAX_POINTS: f64 = 100.0;

/// The most seeds a configure or drill question is graded on.
pub const MAX_QUESTION_SEEDS: usize = 10;

/// The most words an explain question may ask for.
pub const MAX_MIN_WORDS: usize = 500;

/// The fastest a drill plays [simulated s per real s].
pub const MAX_DRILL_SPEED: f64 = 1000.0;

/// One kind's fields read from the question's table; on an error, the path of
/// the field inside the question (`options[1].correct`, empty when it is the
/// question as a whole), found natively by reading its pretty-printed JSON again
/// ([`crate::sim::hpa::json_path`]). The page reads only the built-in questions
/// and keeps one deserializer per kind (a second one is 22 KB of gzipped wasm).
fn typed<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, (String, serde_json::Error)> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let copy = v.clone();
        serde_json::from_value(v).map_err(|e| {
            let pretty = serde_json::to_string_pretty(&copy).unwrap_or_default();
            let field = serde_json::from_str::<T>(&pretty)
                .err()
                .map(|again| crate::sim::hpa::json_path::path_at_line(&pretty, again.line()))
                .unwrap_or_default();
            (field, e)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        serde_json::from_value(v).map_err(|e| (String::new(), e))
    }
}

impl<'de> Deserialize<'de> for Question {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = Map::<String, Value>::deserialize(deserializer)?;
        let kind = match map.remove("kind") {
            Some(Value::String(k)) => k,
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "`kind` must be a string, got {other}"
                )))
            }
            None => {
                return Err(D::Error::custom(format!(
                    "a question needs a `kind`: one of {}",
                    super::QUESTION_KINDS.join(", ")
                )))
            }
        };
        let id = map
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let v = Value::Object(map);
        let wrap = |(field, e): (String, serde_json::Error)| {
            D::Error::custom(if field.is_empty() {
                format!("question {id} ({kind}): {e}")
            } else {
                format!("question {id} ({kind}) at `{field}`: {e}")
            })
        };
        Ok(match kind.as_str() {
            "choice" => Question::Choice(typed(v).map_err(wrap)?),
            "numeric" => Question::Numeric(typed(v).map_err(wrap)?),
            "order" => Question::Order(typed(v).map_err(wrap)?),
            "configure" => Question::Configure(typed(v).map_err(wrap)?),
            "explain" => Question::Explain(typed(v).map_err(wrap)?),
            "drill" => Question::Drill(typed(v).map_err(wrap)?),
            other => {
                return Err(D::Error::custom(format!(
                    "question {id}: there is no kind `{other}`; kinds: {}",
                    super::QUESTION_KINDS.join(", ")
                )))
            }
        })
    }
}

impl Serialize for Question {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let v = match self {
            Question::Choice(q) => serde_json::to_value(q),
            Question::Numeric(q) => serde_json::to_value(q),
            Question::Order(q) => serde_json::to_value(q),
            Question::Configure(q) => serde_json::to_value(q),
            Question::Explain(q) => serde_json::to_value(q),
            Question::Drill(q) => serde_json::to_value(q),
        }
        .map_err(S::Error::custom)?;
        let mut map = Map::new();
        map.insert("kind".into(), Value::String(self.kind().into()));
        if let Value::Object(fields) = v {
            map.extend(fields);
        }
        map.serialize(serializer)
    }
}
