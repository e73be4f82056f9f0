//! What the open scenario is for: its title, story, learning goals and the
//! first thing to try.

mod scenario_intro;

pub use scenario_intro::ScenarioIntro;
