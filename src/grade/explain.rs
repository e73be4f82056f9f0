//! Explain questions: free text graded deterministically against concepts.
//!
//! ```text
//!   text ──words (lower case, plurals folded), whole numbers, signs (%, $)──▶
//!        each concept's phrases, in order, token for token ("1 %" is not in "99.1 %"),
//!        one typo allowed in words of 6+ letters, not after "no/not/without/never"
//!        ──▶ concepts found once each ──▶ points; a bare keyword list earns nothing
//! ```
//!
//! Length earns nothing: a concept counts once however often it is named.
//! Below `min_words` an answer is "too short to grade", not zero.

use serde::{Deserialize, Serialize};

use super::Grade;

fn twelve() -> usize {
    12
}

/// An idea a good answer contains.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Stable id ("jitter").
    pub id: String,
    /// What the learner reads in the debrief ("jitter spreads the retries").
    pub label: String,
    /// Phrases that name it, any of which counts ("jitter", "randomized delay").
    pub phrases: Vec<String>,
    /// Its weight.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

/// A question answered in the learner's own words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainQuestion {
    /// Stable id within the scenario ("why").
    pub id: String,
    /// The question.
    pub prompt: String,
    /// The ideas graded.
    pub concepts: Vec<Concept>,
    /// Fewer words than this is too short to grade.
    #[serde(default = "twelve")]
    pub min_words: usize,
    /// The model answer, shown after grading.
    #[serde(default)]
    pub model_answer: String,
    /// Labelled sample answers (a strong, a weak, a keyword salad) and the
    /// concepts each must be given exactly (`scalesim grade --check`).
    #[serde(default)]
    pub samples: Vec<Sample>,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
    /// Points the question is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

/// A labelled sample answer and the concepts the grader must find in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// "strong", "weak" or "salad".
    pub label: String,
    /// The answer.
    pub text: String,
    /// Concept ids it earns, exactly (none for a salad).
    #[serde(default)]
    pub concepts: Vec<String>,
}

/// A concept found in the answer: which, by which words, where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// The concept's id.
    pub concept: String,
    /// The words of the answer that named it, as written.
    pub words: String,
    /// Byte range of those words in the answer (for highlighting).
    pub span: (usize, usize),
}

/// The grade of an explain answer, with what was found and what was missed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExplainGrade {
    /// Points and feedback.
    pub grade: Grade,
    /// Concepts found, in the order of the question.
    pub matched: Vec<Match>,
    /// Concepts missed (ids), with the phrases that would have counted in the feedback.
    pub missed: Vec<String>,
}

/// A word of the answer: its folded form and its byte range.
struct Word {
    norm: String,
    span: (usize, usize),
    /// Which sentence or clause it is in (a new one after `.`, `;`, `:`, `!`, `?`).
    clause: usize,
    /// A sign that is a token of its own ("%", "$"): matched like a word, not
    /// counted as one.
    symbol: bool,
}

/// Signs that say what a number is ("1 %" is not "1", "$5" is not "5"): each
/// is a token of its own, so a phrase that writes one matches only where the
/// answer writes it too.
const SYMBOLS: [char; 8] = [
    '%', '\u{2030}', '$', '\u{20ac}', '\u{a3}', '\u{a5}', '\u{d7}', '\u{b0}',
];

/// Lower case, possessive and plural folded ("retries" → "retry", "pods" → "pod").
fn fold(word: &str) -> String {
    // A typographic apostrophe (wouldn’t, user’s) is the typed one.
    let w = word.to_lowercase().replace('\u{2019}', "'");
    let w = w.strip_suffix("'s").unwrap_or(&w).to_string();
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if w.len() > 4 && (w.ends_with("shes") || w.ends_with("ches") || w.ends_with("xes")) {
        return w[..w.len() - 2].to_string();
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_string();
    }
    w
}

/// The tokens of `text`: words, whole numbers ("99.1", "1,000", ".5": a
/// point or comma between digits, or a point before one, is inside the
/// number, so "1" is never found inside "99.1") and [`SYMBOLS`].
fn words(text: &str) -> Vec<Word> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut clause = 0;
    let token = |(s, e): (usize, usize), clause: usize, symbol: bool| Word {
        norm: fold(&text[s..e]),
        span: (s, e),
        clause,
        symbol,
    };
    for (k, &(i, c)) in chars.iter().enumerate() {
        let digit_before = k > 0 && chars[k - 1].1.is_numeric();
        let digit_after = chars.get(k + 1).is_some_and(|&(_, n)| n.is_numeric());
        let in_word = c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        let in_number = matches!(c, '.' | ',') && digit_before && digit_after;
        if in_word || in_number {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(token((s, i), clause, false));
        }
        if c == '.' && digit_after {
            // ".5" is a number of its own, not the 5 of a phrase.
            start = Some(i);
        } else if SYMBOLS.contains(&c) {
            out.push(token((i, i + c.len_utf8()), clause, true));
        } else if matches!(c, '.' | ';' | ':' | '!' | '?') {
            clause += 1;
        }
    }
    if let Some(s) = start {
        out.push(token((s, text.len()), clause, false));
    }
    out
}

/// Levenshtein distance, stopping early once it exceeds 1.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()] <= 1
}

/// Does the answer's word `w` stand for the phrase's word `p`? A typo is
/// forgiven in a long word, never in a number ("99.95" is not "99.995").
fn same_word(w: &str, p: &str) -> bool {
    let numeric = |t: &str| t.chars().any(char::is_numeric);
    w == p || (p.chars().count() >= 6 && !numeric(p) && !numeric(w) && within_one_edit(w, p))
}

/// Words that undo what follows them within three words.
const NEGATIONS: [&str; 10] = [
    "no", "not", "without", "never", "avoid", "nobody", "none", "nothing", "neither", "cannot",
];

/// Whether `norm` (a folded word) negates its clause: one of [`NEGATIONS`] or
/// any "n't" contraction (don't, wouldn't, won't, can't, shouldn't, isn't).
fn negates(norm: &str) -> bool {
    NEGATIONS.contains(&norm) || norm.ends_with("n't")
}

/// Words that carry sentences; an answer almost without them is a keyword list.
const GLUE: [&str; 28] = [
    "the", "a", "an", "to", "of", "and", "because", "so", "is", "are", "when", "if", "then", "it",
    "we", "that", "this", "will", "would", "with", "for", "on", "in", "by", "which", "but", "than",
    "before",
];

/// Grades `text` against `q`. Errors: the answer is too short to grade (the
/// message says how many words it needs).
pub fn grade_explain(q: &ExplainQuestion, text: &str) -> Result<ExplainGrade, String> {
    let ws = words(text);
    // Signs ("%", "$") are matched, not counted as words.
    let count = ws.iter().filter(|w| !w.symbol).count();
    if count < q.min_words {
        return Err(format!(
            "{}: too short to grade ({} words; write at least {})",
            q.id, count, q.min_words
        ));
    }
    let glue = ws
        .iter()
        .filter(|w| GLUE.contains(&w.norm.as_str()))
        .count();
    let salad = (glue as f64) < 0.15 * count as f64;
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    let mut feedback = Vec::new();
    let mut earned = 0.0;
    let total: f64 = q.concepts.iter().map(|c| c.points.max(0.0)).sum();
    for c in &q.concepts {
        let shared = super::synonyms::shared(&c.id);
        let found = c
            .phrases
            .iter()
            .map(String::as_str)
            .chain(shared.iter().copied())
            .find_map(|p| {
                let pw: Vec<String> = words(p).into_iter().map(|w| w.norm).collect();
                if pw.is_empty() || pw.len() > ws.len() {
                    return None;
                }
                (0..=ws.len() - pw.len()).find_map(|i| {
                    let hit = pw.iter().zip(&ws[i..]).all(|(p, w)| same_word(&w.norm, p));
                    // Negation reaches three words back, within the same clause.
                    let negated = ws[..i]
                        .iter()
                        .rev()
                        .filter(|w| !w.symbol)
                        .take(3)
                        .any(|w| w.clause == ws[i].clause && negates(&w.norm));
                    (hit && !negated).then(|| {
                        let span = (ws[i].span.0, ws[i + pw.len() - 1].span.1);
                        Match {
                            concept: c.id.clone(),
                            words: text[span.0..span.1].to_string(),
                            span,
                        }
                    })
                })
            });
        match found {
            Some(m) => {
                earned += c.points.max(0.0);
                feedback.push(format!(
                    "found \u{2014} {}: \u{201c}{}\u{201d}",
                    c.label, m.words
                ));
                matched.push(m);
            }
            None => {
                feedback.push(format!(
                    "missed \u{2014} {}: say it with, for example, \u{201c}{}\u{201d}",
                    c.label,
                    c.phrases.first().map_or("", String::as_str)
                ));
                missed.push(c.id.clone());
            }
        }
    }
    if salad {
        feedback.insert(
            0,
            "this reads as a list of keywords: explain how the ideas connect".into(),
        );
        earned = 0.0;
        // A keyword list earns no concept, so none is shown as found.
        missed = q.concepts.iter().map(|c| c.id.clone()).collect();
        matched.clear();
    }
    if !q.model_answer.is_empty() {
        feedback.push(format!("model answer: {}", q.model_answer));
    }
    let share = if total > 0.0 { earned / total } else { 0.0 };
    Ok(ExplainGrade {
        grade: Grade::of_share(share, q.points, feedback),
        matched,
        missed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry_storm() -> ExplainQuestion {
        let c = |id: &str, phrases: &[&str]| Concept {
            id: id.into(),
            label: id.into(),
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            points: 1.0,
        };
        ExplainQuestion {
            samples: Vec::new(),
            source: String::new(),
            id: "why".into(),
            prompt: "Why did the auth service stay down after it came back?".into(),
            concepts: vec![
                c("backoff", &["exponential backoff", "backoff", "back off"]),
                c("jitter", &["jitter", "randomized delay", "random delay"]),
                c("budget", &["retry budget", "cap retries", "limit retries"]),
                c("breaker", &["circuit breaker"]),
            ],
            min_words: 12,
            model_answer: "…".into(),
            points: 4.0,
        }
    }

    fn ids(g: &ExplainGrade) -> Vec<&str> {
        g.matched.iter().map(|m| m.concept.as_str()).collect()
    }

    #[test]
    fn negation_stops_at_the_end_of_a_sentence() {
        let q = retry_storm();
        let g = grade_explain(&q, "Users see no errors. Backoff with jitter spreads the retries so the auth service recovers and the queue drains before it fills again.").unwrap();
        assert!(
            g.matched.iter().any(|m| m.concept == "backoff"),
            "{:?}",
            g.matched
        );
        let g = grade_explain(&q, "We retry with no backoff and the auth service is flooded by the retries as soon as it comes back, so it falls over again.").unwrap();
        assert!(
            !g.matched.iter().any(|m| m.concept == "backoff"),
            "{:?}",
            g.matched
        );
    }

    #[test]
    fn every_contraction_and_no_one_words_negate() {
        let q = retry_storm();
        for neg in [
            "wouldn't",
            "won't",
            "can't",
            "shouldn't",
            "wouldn\u{2019}t",
            "nobody needs",
            "cannot",
        ] {
            let text = format!(
                "The clients retried at once and we {neg} backoff here, so the auth service was flooded again when it came back up."
            );
            let g = grade_explain(&q, &text).unwrap();
            assert!(!ids(&g).contains(&"backoff"), "{neg}: {:?}", g.matched);
        }
    }

    #[test]
    fn a_strong_answer_finds_each_concept_once_with_its_words() {
        let text = "Every client retried at once, so the recovering service was flattened again. \
                    Exponential backoff with jitter spreads the retries, a retry budget caps the extra load, \
                    and a circuit breaker stops calls while it recovers. Backoff backoff backoff.";
        let g = grade_explain(&retry_storm(), text).unwrap();
        assert_eq!(ids(&g), ["backoff", "jitter", "budget", "breaker"]);
        assert_eq!(g.grade.percent(), 100.0);
        let m = &g.matched[0];
        assert_eq!(&text[m.span.0..m.span.1], "Exponential backoff");
    }

    #[test]
    fn a_weak_answer_misses_and_negation_does_not_count() {
        let text =
            "We should add more servers and retry faster without backoff, because the service \
                    needs more capacity to handle all of the traffic when it comes back.";
        let g = grade_explain(&retry_storm(), text).unwrap();
        assert!(ids(&g).is_empty(), "{:?}", g.matched);
        assert_eq!(g.grade.points, 0.0);
        assert!(g
            .grade
            .feedback
            .iter()
            .any(|l| l.contains("missed") && l.contains("exponential backoff")));
    }

    #[test]
    fn a_keyword_salad_earns_nothing() {
        let text = "backoff jitter retry budget circuit breaker exponential randomized cap limit \
                    retries thundering herd load shedding";
        let g = grade_explain(&retry_storm(), text).unwrap();
        assert_eq!(g.grade.points, 0.0);
        assert!(g.grade.feedback[0].contains("list of keywords"));
    }

    #[test]
    fn plurals_and_one_typo_in_long_words_are_forgiven_but_short_answers_are_not_graded() {
        let text =
            "The fix is to use circuit breakers and a bit of jiter so that the clients do not \
                    come back in one synchronized wave after the outage.";
        let g = grade_explain(&retry_storm(), text).unwrap();
        // "breakers" is a plural; "jiter" is one letter off a 6-letter word.
        assert_eq!(ids(&g), ["jitter", "breaker"]);
        // In a short word a typo makes another word: "cop retries" is not "cap retries".
        let short =
            "The fix is to cop retries so that the clients do not come back in one wave after it.";
        assert!(ids(&grade_explain(&retry_storm(), short).unwrap()).is_empty());
        let typo = "The fix is to use exponentail backoff so that the clients do not come back in one wave after it.";
        assert_eq!(
            ids(&grade_explain(&retry_storm(), typo).unwrap()),
            ["backoff"]
        );
        let e = grade_explain(&retry_storm(), "Use backoff and jitter.").unwrap_err();
        assert!(
            e.contains("too short to grade (4 words; write at least 12)"),
            "{e}"
        );
    }
}
