//! A scenario's `[[questions]]`: one enum over the kinds, read by the `kind`
//! field, and the checks a question definition must pass before anyone
//! answers it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    ChoiceQuestion, ConfigureQuestion, DrillQuestion, ExplainQuestion, NumericQuestion,
    OrderQuestion, Quantity,
};
use crate::scenario::knobs::knob_by_field;

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

    /// Checks what serde cannot. Errors name the field (`questions.<id>.options`).
    /// `end_s` is the scenario's run length [s].
    pub fn validate(&self, declared_knobs: &[&str], end_s: f64) -> Result<(), (String, String)> {
        let id = self.id();
        let err = |field: &str, msg: String| Err((format!("questions.{id}.{field}"), msg));
        if id.is_empty() {
            return err("id", "every question needs an id".into());
        }
        if !(self.points().is_finite() && self.points() > 0.0) {
            return err("points", format!("must be > 0, got {}", self.points()));
        }
        match self {
            Question::Choice(q) => {
                let right = q.options.iter().filter(|o| o.correct).count();
                if q.options.len() < 2 {
                    return err("options", "needs at least two options".into());
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
                        format!("must be \u{2265} 0, got {}", q.tolerance),
                    );
                }
                if q.partial
                    .is_some_and(|p| !(p.is_finite() && p >= q.tolerance))
                {
                    return err("partial", "must be \u{2265} tolerance".into());
                }
                if let Some(a) = &q.answer_from {
                    if let Err(e) = a.probe() {
                        return err("answer_from", e);
                    }
                }
            }
            Question::Order(q) => {
                if q.items.len() < 2 {
                    return err("items", "needs at least two items".into());
                }
                if !q.buckets.is_empty()
                    && (q.key.len() != q.items.len() || q.key.iter().any(|b| *b >= q.buckets.len()))
                {
                    return err(
                        "key",
                        "needs one bucket index per item, each < the number of buckets".into(),
                    );
                }
            }
            Question::Configure(q) => {
                if q.checks.is_empty() {
                    return err("checks", "needs at least one check".into());
                }
                if q.seeds.is_empty() {
                    return err("seeds", "needs at least one seed".into());
                }
                for c in &q.checks {
                    if let Err(e) = c.probe() {
                        return err("checks.probe", e);
                    }
                    let end = q.duration_s.unwrap_or(end_s);
                    let to = c.to_s.unwrap_or(end);
                    if !(c.from_s.is_finite()
                        && to.is_finite()
                        && 0.0 <= c.from_s
                        && c.from_s < to
                        && to <= end)
                    {
                        return err(
                            "checks.to_s",
                            format!(
                                "check \u{201c}{}\u{201d}: its window {}\u{2013}{} s must lie inside the run (0\u{2013}{end} s) and end after it starts",
                                c.label, c.from_s, to
                            ),
                        );
                    }
                    if c.max.is_some() == c.min.is_some() {
                        return err(
                            "checks.max",
                            format!(
                                "check \u{201c}{}\u{201d}: give exactly one of `max` and `min`",
                                c.label
                            ),
                        );
                    }
                }
                let fields = q.knobs.iter().map(String::as_str).chain(
                    q.reference
                        .knobs
                        .keys()
                        .chain(q.weak.knobs.keys())
                        .map(String::as_str),
                );
                for f in fields {
                    if knob_by_field(f).is_none() {
                        return err("knobs", format!("there is no knob \u{201c}{f}\u{201d}"));
                    }
                    if q.knobs.is_empty() && !declared_knobs.contains(&f) {
                        return err(
                            "knobs",
                            format!("knob \u{201c}{f}\u{201d} is not in the scenario's [[knobs]]"),
                        );
                    }
                }
            }
            Question::Explain(q) => {
                if q.concepts.is_empty() {
                    return err("concepts", "needs at least one concept".into());
                }
                for s in &q.samples {
                    if let Some(c) = s
                        .concepts
                        .iter()
                        .find(|c| !q.concepts.iter().any(|k| &k.id == *c))
                    {
                        return err("samples", format!("sample \u{201c}{}\u{201d} names concept \u{201c}{c}\u{201d}, which the question does not have", s.label));
                    }
                }
            }
            Question::Drill(q) => {
                let (a, b) = q.fault_window_s;
                if !(a.is_finite() && b.is_finite() && 0.0 <= a && a <= b) {
                    return err(
                        "fault_window_s",
                        format!("must be 0 \u{2264} from \u{2264} to, got ({a}, {b})"),
                    );
                }
                if !(q.hold_s.is_finite() && q.hold_s > 0.0) {
                    return err("hold_s", format!("must be > 0, got {}", q.hold_s));
                }
                if q.steady.is_empty() {
                    return err("steady", "needs at least one rule".into());
                }
                if !(q.speed.is_finite() && q.speed > 0.0) {
                    return err("speed", format!("must be > 0, got {}", q.speed));
                }
            }
        }
        Ok(())
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
        let wrap = |e: serde_json::Error| D::Error::custom(format!("question {id} ({kind}): {e}"));
        Ok(match kind.as_str() {
            "choice" => Question::Choice(serde_json::from_value(v).map_err(wrap)?),
            "numeric" => Question::Numeric(serde_json::from_value(v).map_err(wrap)?),
            "order" => Question::Order(serde_json::from_value(v).map_err(wrap)?),
            "configure" => Question::Configure(serde_json::from_value(v).map_err(wrap)?),
            "explain" => Question::Explain(serde_json::from_value(v).map_err(wrap)?),
            "drill" => Question::Drill(serde_json::from_value(v).map_err(wrap)?),
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
