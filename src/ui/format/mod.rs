//! Numbers in words for learners: grouped thousands, rates, money, durations.

mod numbers;

pub use numbers::{duration_words, grouped, money};
