//! The outcome of grading one question.

use serde::Serialize;

/// Points earned out of `max`, with what the learner should read about it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grade {
    /// Points earned, in [0, max].
    pub points: f64,
    /// Points the question is worth (> 0).
    pub max: f64,
    /// One line per thing the learner got right or wrong, in plain words.
    pub feedback: Vec<String>,
}

impl Grade {
    /// `share` of `max` points (clamped to [0, 1]; NaN counts as 0).
    pub fn of_share(share: f64, max: f64, feedback: Vec<String>) -> Grade {
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        Grade {
            points: share * max,
            max,
            feedback,
        }
    }

    /// The score as a percentage [0, 100].
    pub fn percent(&self) -> f64 {
        if self.max > 0.0 {
            100.0 * self.points / self.max
        } else {
            0.0
        }
    }
}
