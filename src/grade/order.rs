//! Order questions: put items in sequence (scored by the share of pairs in the
//! right order), or sort them into buckets (scored by the share placed right),
//! e.g. what to do at T-4 weeks, T-2 weeks, T-1 week and T-1 day.

use serde::{Deserialize, Serialize};

use super::Grade;

/// A question whose answer is an order, or a bucket per item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderQuestion {
    /// Stable id within the scenario ("q3").
    pub id: String,
    /// The question.
    pub prompt: String,
    /// The items; without `buckets`, in the right order.
    pub items: Vec<String>,
    /// Bucket names, in order ("T-4 weeks", …); empty for a sequence.
    #[serde(default)]
    pub buckets: Vec<String>,
    /// With `buckets`: the right bucket of each item (index into `buckets`).
    #[serde(default)]
    pub key: Vec<usize>,
    /// The seed passage it comes from.
    #[serde(default)]
    pub source: String,
    /// The worked solution, shown after grading.
    #[serde(default)]
    pub solution: String,
    /// Points the question is worth.
    #[serde(default = "super::one_point")]
    pub points: f64,
}

/// Grades `given` against `q`: for a sequence, the item indices in the
/// learner's order (a permutation); with buckets, the learner's bucket for
/// each item. Errors: the wrong length, an index out of range, a repeat.
pub fn grade_order(q: &OrderQuestion, given: &[usize]) -> Result<Grade, String> {
    let n = q.items.len();
    if given.len() != n {
        let what = if q.buckets.is_empty() {
            format!(
                "every item number (0 to {}) once, in your order",
                n.saturating_sub(1)
            )
        } else {
            format!(
                "one bucket number (0 to {}) per item, in the items' order",
                q.buckets.len().saturating_sub(1)
            )
        };
        return Err(format!(
            "{}: it has {n} items and {} numbers are given; give {what}",
            q.id,
            given.len()
        ));
    }
    // The page marks an item not placed yet with usize::MAX.
    let unplaced = given.iter().filter(|g| **g == usize::MAX).count();
    if unplaced > 0 {
        return Err(format!(
            "{}: place every item ({} of {n} placed)",
            q.id,
            n - unplaced
        ));
    }
    if q.buckets.is_empty() {
        let mut seen = vec![false; n];
        for &i in given {
            match seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                Some(_) => return Err(format!("{}: item {i} is placed twice", q.id)),
                None => {
                    return Err(format!(
                        "{}: there is no item {i}: its {n} items are numbered 0 to {}",
                        q.id,
                        n - 1
                    ))
                }
            }
        }
        let pairs = n * n.saturating_sub(1) / 2;
        let right = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .filter(|&(a, b)| given[a] < given[b])
            .count();
        let mut feedback: Vec<String> =
            vec![format!("{right} of {pairs} pairs in the right order")];
        feedback.extend(
            q.items
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{}. {t}", i + 1)),
        );
        let share = if pairs == 0 {
            1.0
        } else {
            right as f64 / pairs as f64
        };
        return Ok(Grade::of_share(share, q.points, feedback));
    }
    if q.key.len() != n {
        return Err(format!(
            "{}: the key names {} buckets for {} items",
            q.id,
            q.key.len(),
            n
        ));
    }
    if let Some(b) = given.iter().find(|&&b| b >= q.buckets.len()) {
        return Err(format!(
            "{}: there is no bucket {b}: its {} buckets are numbered 0 to {}",
            q.id,
            q.buckets.len(),
            q.buckets.len().saturating_sub(1)
        ));
    }
    let mut feedback = Vec::new();
    let mut right = 0;
    for (i, item) in q.items.iter().enumerate() {
        let want = &q.buckets[q.key[i]];
        if given[i] == q.key[i] {
            right += 1;
            feedback.push(format!("right \u{2014} {item}: {want}"));
        } else {
            feedback.push(format!(
                "wrong \u{2014} {item}: {want}, not {}",
                q.buckets[given[i]]
            ));
        }
    }
    let share = if n == 0 { 1.0 } else { right as f64 / n as f64 };
    Ok(Grade::of_share(share, q.points, feedback))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq() -> OrderQuestion {
        OrderQuestion {
            solution: String::new(),
            source: String::new(),
            id: "steps".into(),
            prompt: "In which order?".into(),
            items: ["a", "b", "c", "d"].map(String::from).to_vec(),
            buckets: Vec::new(),
            key: Vec::new(),
            points: 1.0,
        }
    }

    #[test]
    fn a_sequence_scores_the_share_of_pairs_in_order() {
        let g = |o: &[usize]| grade_order(&seq(), o).unwrap().percent();
        assert_eq!(g(&[0, 1, 2, 3]), 100.0);
        assert_eq!(g(&[3, 2, 1, 0]), 0.0);
        assert!((g(&[1, 0, 2, 3]) - 500.0 / 6.0).abs() < 1e-9);
        assert!(grade_order(&seq(), &[0, 0, 1, 2])
            .unwrap_err()
            .contains("twice"));
        assert!(grade_order(&seq(), &[0, 1])
            .unwrap_err()
            .contains("4 items"));
    }

    #[test]
    fn buckets_score_the_share_placed_right() {
        let q = OrderQuestion {
            buckets: ["T-4 weeks", "T-1 day"].map(String::from).to_vec(),
            key: vec![0, 0, 1, 1],
            ..seq()
        };
        assert_eq!(grade_order(&q, &[0, 0, 1, 1]).unwrap().percent(), 100.0);
        let g = grade_order(&q, &[0, 1, 1, 1]).unwrap();
        assert_eq!(g.percent(), 75.0);
        assert!(
            g.feedback[1].contains("T-4 weeks, not T-1 day"),
            "{:?}",
            g.feedback
        );
        assert!(grade_order(&q, &[0, 2, 1, 1])
            .unwrap_err()
            .contains("no bucket 2"));
    }
}
