//! Light and dark themes that follow `prefers-color-scheme` until the learner
//! picks one with the toggle; the choice is kept in localStorage.

mod theme_toggle;
mod use_theme;

pub use theme_toggle::ThemeToggle;
pub use use_theme::{
    use_theme, use_theme_with_options, Theme, ThemeHandle, ThemeOptions, ThemePreference,
};
