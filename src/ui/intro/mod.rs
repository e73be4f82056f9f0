//! What the open scenario is for: its title, story, learning goals and the
//! first thing to try; and which scenario is on its way.

mod scenario_intro;
mod scenario_loading;

pub use scenario_intro::ScenarioIntro;
pub use scenario_loading::ScenarioLoading;
