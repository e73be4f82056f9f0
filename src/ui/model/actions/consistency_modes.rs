//! The consistency modes by name, and the mode every data class shares (the
//! "all classes" control shows it, or "mixed").

use scalesim::sim::consistency::{ConsistencyMode, DataClass};
use scalesim::sim::inputs::mode_words;

/// The modes, in the order the controls list them.
pub const MODES: [ConsistencyMode; 3] = [
    ConsistencyMode::Strong,
    ConsistencyMode::Causal,
    ConsistencyMode::Eventual,
];

/// The mode named `text` ("eventual").
pub fn mode_named(text: &str) -> Option<ConsistencyMode> {
    MODES.into_iter().find(|m| mode_words(*m) == text)
}

/// The mode every class of `modes` shares, or `None` when they differ.
pub fn common_mode(modes: &[(DataClass, ConsistencyMode)]) -> Option<ConsistencyMode> {
    let first = modes.first()?.1;
    modes.iter().all(|(_, m)| *m == first).then_some(first)
}
