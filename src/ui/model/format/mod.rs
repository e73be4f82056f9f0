//! Numbers in words for learners: grouped thousands, rates, money, durations.

mod numbers;

pub use numbers::{compact, duration_words, grouped, line_figure, money, with_unit};
