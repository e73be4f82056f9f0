//! The diagram's selection as context: the component the learner clicked or
//! pressed Enter on, which the inspector shows. Provided once by the page's
//! root; the diagram's layers set it and the inspector reads it.

use leptos::prelude::*;

use crate::model::diagram::Selection;

/// What is selected (`None`: nothing, the inspector is closed). `Copy`.
#[derive(Clone, Copy)]
pub struct Selected(RwSignal<Option<Selection>>);

impl Selected {
    /// Nothing selected yet.
    pub fn new() -> Selected {
        Selected(RwSignal::new(None))
    }

    /// What is selected, tracked.
    pub fn get(&self) -> Option<Selection> {
        self.0.get()
    }

    /// Selects `selection` (`None`: closes the inspector).
    pub fn set(&self, selection: Option<Selection>) {
        self.0.set(selection)
    }
}

/// The selection provided by the page's root; panics outside it.
#[inline(never)]
pub fn use_selected() -> Selected {
    expect_context::<Selected>()
}

impl Default for Selected {
    fn default() -> Self {
        Selected::new()
    }
}
