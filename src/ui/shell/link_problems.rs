//! What a link could not do: each part that did not apply, named with what it
//! accepts (the CLI's words), and what the page opened instead.

use leptos::prelude::*;

use scalesim::link::Fallback;

/// The problems of the link the page was opened with.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkNotice {
    /// Each problem: `parameter: what is wrong and what is accepted`.
    pub problems: Vec<String>,
    /// What the page did instead.
    pub fallback: Fallback,
    /// The title of the scenario that opened from T+0:00 ([`Fallback::FromStart`]).
    pub opened: Option<String>,
}

impl LinkNotice {
    /// The notice for `problems`, the page having done `fallback` on scenario `name`.
    pub fn of(problems: Vec<String>, fallback: Fallback, name: Option<&str>) -> LinkNotice {
        LinkNotice {
            problems,
            fallback,
            opened: name.map(|n| {
                scalesim::scenario::built_in_title(n)
                    .unwrap_or(n)
                    .to_string()
            }),
        }
    }

    /// The heading.
    fn title(&self) -> &'static str {
        match self.fallback {
            Fallback::Whole => "Part of this link was ignored:",
            Fallback::FromStart | Fallback::DefaultScenario => "This link could not be replayed:",
        }
    }

    /// What the page did instead, in a sentence.
    fn then(&self) -> String {
        match self.fallback {
            Fallback::Whole => "The rest of the link applies.".into(),
            Fallback::FromStart => format!(
                "{} opens from T+0:00 without the link's actions, knobs and time.",
                self.opened.as_deref().unwrap_or("The scenario")
            ),
            Fallback::DefaultScenario => "The default scenario is loaded instead.".into(),
        }
    }
}

/// `a[0].zone: there is no zone …` as the parameter (when the text starts with
/// one) and the rest.
fn split_parameter(problem: &str) -> (Option<&str>, &str) {
    match problem.split_once(": ") {
        Some((p, rest)) if !p.is_empty() && !p.contains(' ') => (Some(p), rest),
        Some(_) | None => (None, problem),
    }
}

/// The link's problems and what opened instead; nothing when the link applied.
#[component]
pub fn LinkProblems(notice: RwSignal<Option<LinkNotice>>) -> impl IntoView {
    move || {
        notice.get().map(|n| {
            let items = n
                .problems
                .iter()
                .map(|p| {
                    let (param, rest) = split_parameter(p);
                    let rest = rest.to_string();
                    view! {
                        <li>
                            {param.map(|p| view! { <code>{p.to_string()}</code>": " })}
                            {rest}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="link-error" role="alert">
                    <strong>{n.title()}</strong>
                    <ul class="link-problems">{items}</ul>
                    <p class="link-then">{n.then()}</p>
                </div>
            }
        })
    }
}
