//! A learner's saved progress: attempts (with their answers, so they can be
//! re-graded) and the best score per scenario, under a versioned schema.
//!
//! ```text
//!   stored text ──load──▶ Read(progress) | Migrated { from } | Unreadable { kept, why } | Fresh
//!   progress + imported ──merge──▶ report { added, duplicates }      progress ──scores_csv──▶ CSV
//! ```
//!
//! Loading never panics and never throws data away: what cannot be read is
//! returned whole in `Unreadable` for the caller to keep aside and report.
//! Migrations run one version at a time ([`migrate_step`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema version this build writes.
pub const PROGRESS_VERSION: u32 = 1;

/// One graded attempt at an interview scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    /// Built-in scenario name.
    pub scenario: String,
    /// When it was submitted (ISO 8601, from the caller's clock).
    pub at: String,
    /// The answers by question id, as the panel recorded them.
    pub answers: BTreeMap<String, Value>,
    /// The score [0, 100].
    pub score_pct: f64,
}

/// Everything saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Schema version ([`PROGRESS_VERSION`]).
    pub version: u32,
    /// Attempts, oldest first.
    pub attempts: Vec<Attempt>,
}

/// What [`load`] found.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded {
    /// Nothing was saved.
    Fresh,
    /// Saved by this schema.
    Read(Progress),
    /// Saved by an older schema and brought up to date.
    Migrated {
        /// The progress, now at [`PROGRESS_VERSION`].
        progress: Progress,
        /// The version it was saved with.
        from: u32,
    },
    /// Could not be read: the text, to keep aside, and why, to tell the learner.
    Unreadable {
        /// The stored text, unchanged.
        kept: String,
        /// What is wrong with it, in plain words.
        why: String,
    },
}

/// Brings `value` from schema `from` to `from + 1`. No older schema exists
/// yet: version 1 is the first, so every step is an error for now.
pub fn migrate_step(from: u32, _value: Value) -> Result<Value, String> {
    // The first schema is 1: a new schema adds its step here (`1 => Ok(…)`).
    Err(match from {
        0 => "progress saved without a version cannot be read".to_string(),
        other => format!("no migration from version {other}"),
    })
}

/// Reads stored progress (`None`: nothing stored). Never panics.
pub fn load(stored: Option<&str>) -> Loaded {
    let Some(text) = stored.filter(|t| !t.trim().is_empty()) else {
        return Loaded::Fresh;
    };
    let unreadable = |why: String| Loaded::Unreadable {
        kept: text.to_string(),
        why,
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return unreadable(format!("the saved progress is not JSON ({e})")),
    };
    let from = value
        .get("version")
        .and_then(Value::as_u64)
        .map_or(0, |v| v.min(u64::from(u32::MAX)) as u32);
    if from > PROGRESS_VERSION {
        return unreadable(format!(
            "the saved progress is from a newer Scalesim (schema {from}; this page reads up to {PROGRESS_VERSION})"
        ));
    }
    let mut value = value;
    let mut at = from;
    while at < PROGRESS_VERSION {
        match migrate_step(at, value) {
            Ok(v) => {
                value = v;
                at += 1;
            }
            Err(why) => return unreadable(why),
        }
    }
    match serde_json::from_value::<Progress>(value) {
        Ok(mut p) if from == PROGRESS_VERSION => {
            p.version = PROGRESS_VERSION;
            Loaded::Read(p)
        }
        Ok(mut p) => {
            p.version = PROGRESS_VERSION;
            Loaded::Migrated { progress: p, from }
        }
        Err(e) => unreadable(format!(
            "the saved progress does not fit schema {PROGRESS_VERSION}: {e}"
        )),
    }
}

/// The text to store.
pub fn save(p: &Progress) -> String {
    serde_json::to_string(p).unwrap_or_default()
}

/// What [`merge`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Attempts that were new.
    pub added: usize,
    /// Attempts already present (same scenario, time and answers), skipped.
    pub duplicates: usize,
}

/// Adds `imported`'s attempts to `into`, skipping those it already holds;
/// keeps attempts ordered by time.
pub fn merge(into: &mut Progress, imported: Progress) -> MergeReport {
    let mut report = MergeReport::default();
    for a in imported.attempts {
        if into.attempts.contains(&a) {
            report.duplicates += 1;
        } else {
            // Inserted in time order (after any attempt at the same time).
            let at = into.attempts.partition_point(|x| x.at <= a.at);
            into.attempts.insert(at, a);
            report.added += 1;
        }
    }
    report
}

/// The best score per scenario [%].
pub fn best_scores(p: &Progress) -> BTreeMap<String, f64> {
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    for a in &p.attempts {
        let b = best.entry(a.scenario.clone()).or_insert(f64::NEG_INFINITY);
        *b = b.max(a.score_pct);
    }
    best
}

/// Scores as CSV for instructors: `scenario,attempts,best_pct,last_pct,last_at`.
pub fn scores_csv(p: &Progress) -> String {
    let mut out = String::from("scenario,attempts,best_pct,last_pct,last_at\n");
    for (scenario, best) in best_scores(p) {
        let mine: Vec<&Attempt> = p
            .attempts
            .iter()
            .filter(|a| a.scenario == scenario)
            .collect();
        let last = mine.last().copied();
        out.push_str(&format!(
            "{},{},{:.1},{:.1},{}\n",
            scenario,
            mine.len(),
            best,
            last.map_or(0.0, |a| a.score_pct),
            last.map_or("", |a| a.at.as_str())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(scenario: &str, at: &str, pct: f64) -> Attempt {
        Attempt {
            scenario: scenario.into(),
            at: at.into(),
            answers: BTreeMap::from([("q1".to_string(), Value::from(2))]),
            score_pct: pct,
        }
    }

    #[test]
    fn saved_progress_reads_back_and_bad_text_is_kept_aside_with_a_reason() {
        let p = Progress {
            version: PROGRESS_VERSION,
            attempts: vec![attempt("flash-sale", "2026-11-30T10:00:00Z", 40.0)],
        };
        assert_eq!(load(Some(&save(&p))), Loaded::Read(p));
        assert_eq!(load(None), Loaded::Fresh);
        assert_eq!(load(Some("  ")), Loaded::Fresh);
        for (text, why) in [
            ("{not json", "not JSON"),
            (
                r#"{"version": 9, "attempts": []}"#,
                "newer Scalesim (schema 9",
            ),
            (r#"{"attempts": []}"#, "without a version"),
            (
                r#"{"version": 1, "attempts": [{"scenario": 3}]}"#,
                "does not fit schema 1",
            ),
        ] {
            match load(Some(text)) {
                Loaded::Unreadable { kept, why: w } => {
                    assert_eq!(kept, text);
                    assert!(w.contains(why), "{text}: {w}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn importing_merges_new_attempts_and_counts_duplicates() {
        let mut mine = Progress {
            version: 1,
            attempts: vec![attempt("a", "2026-11-30T10:00:00Z", 40.0)],
        };
        let theirs = Progress {
            version: 1,
            attempts: vec![
                attempt("a", "2026-11-30T10:00:00Z", 40.0),
                attempt("a", "2026-11-29T09:00:00Z", 90.0),
                attempt("b", "2026-11-30T11:00:00Z", 55.5),
            ],
        };
        let r = merge(&mut mine, theirs);
        assert_eq!(
            r,
            MergeReport {
                added: 2,
                duplicates: 1
            }
        );
        assert_eq!(mine.attempts[0].at, "2026-11-29T09:00:00Z");
        assert_eq!(
            scores_csv(&mine),
            "scenario,attempts,best_pct,last_pct,last_at\n\
             a,2,90.0,40.0,2026-11-30T10:00:00Z\n\
             b,1,55.5,55.5,2026-11-30T11:00:00Z\n"
        );
    }
}
