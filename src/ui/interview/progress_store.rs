//! Saved progress in localStorage: read once (an older schema migrated, its text
//! copied aside first; unreadable text kept aside; never wiped), written after
//! every submitted attempt.

use leptos::prelude::*;

use scalesim::grade::progress::{self, Attempt, Loaded, Progress, PROGRESS_VERSION};

/// localStorage key of the progress (the schema version is inside it).
pub const PROGRESS_KEY: &str = "scalesim.progress";
/// Prefix of the keys unreadable progress is kept aside under.
pub const KEPT_PREFIX: &str = "scalesim.progress.unreadable.";
/// Prefix of the keys progress in an older schema is kept under (then the
/// schema number and the time) before the new schema is saved over it.
pub const OLDER_PREFIX: &str = "scalesim.progress.schema";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The learner's progress as a signal, and what happened reading it.
#[derive(Clone, Copy)]
pub struct ProgressStore {
    /// Every attempt.
    pub progress: RwSignal<Progress>,
    /// A message about the stored progress (migrated, kept aside, not saved).
    pub notice: RwSignal<Option<String>>,
    /// True when unreadable progress could not be copied aside: then nothing
    /// is written over it.
    locked: RwSignal<bool>,
}

impl ProgressStore {
    /// Reads the stored progress. Unreadable text is copied under
    /// [`KEPT_PREFIX`] with the time and reported; nothing is deleted.
    pub fn open() -> ProgressStore {
        let stored = storage().and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten());
        let mut locked = false;
        let (p, notice) = match progress::load(stored.as_deref()) {
            Loaded::Fresh => (Progress::default(), None),
            Loaded::Read(p) => (p, None),
            // The older text is copied aside before the new format is saved over it.
            Loaded::Migrated { progress, from } => {
                let key = format!("{OLDER_PREFIX}{from}.{}", js_sys::Date::now() as u64);
                let kept = stored.as_deref().unwrap_or_default();
                let saved = storage().is_some_and(|s| s.set_item(&key, kept).is_ok());
                locked = !saved;
                let msg = if saved {
                    format!("Your saved progress was updated from schema {from} to {PROGRESS_VERSION}; the old copy is kept under \u{201c}{key}\u{201d} in this browser's storage.")
                } else {
                    format!("Your saved progress (schema {from}) was read, but no copy of it could be kept, so new attempts will not be saved over it; export it to keep them.")
                };
                (progress, Some(msg))
            }
            Loaded::Unreadable { kept, why } => {
                let key = format!("{KEPT_PREFIX}{}", js_sys::Date::now() as u64);
                let saved = storage().is_some_and(|s| s.set_item(&key, &kept).is_ok());
                locked = !saved;
                let msg = if saved {
                    format!("Your saved progress could not be read ({why}). It is kept unchanged under \u{201c}{key}\u{201d} in this browser's storage; new attempts start a fresh record.")
                } else {
                    format!("Your saved progress could not be read ({why}). It was left where it is; new attempts will not be saved over it.")
                };
                (
                    Progress {
                        version: PROGRESS_VERSION,
                        attempts: Vec::new(),
                    },
                    Some(msg),
                )
            }
        };
        ProgressStore {
            progress: RwSignal::new(p),
            notice: RwSignal::new(notice),
            locked: RwSignal::new(locked),
        }
    }

    /// Adds an attempt and saves.
    pub fn add(&self, a: Attempt) {
        self.progress.update(|p| {
            p.version = PROGRESS_VERSION;
            p.attempts.push(a);
        });
        self.save();
    }

    /// Writes the progress to localStorage; a failure is reported, not thrown.
    pub fn save(&self) {
        if self.locked.get_untracked() {
            return;
        }
        let text = self.progress.with_untracked(progress::save);
        let ok = storage().is_some_and(|s| s.set_item(PROGRESS_KEY, &text).is_ok());
        if !ok {
            self.notice.set(Some(
                "Your progress could not be saved in this browser (storage is full or blocked); export it to keep it.".into(),
            ));
        }
    }
}
