//! A configure question's form: the knobs it lets the learner set (read from
//! the question, else the scenario's `[[knobs]]`), and, when it allows
//! actions, a schedule of scaling actions at simulated times.

use leptos::prelude::*;

use scalesim::grade::session::Session;
use scalesim::grade::ConfigureQuestion;
use scalesim::scenario::knobs::{knob_by_field, knob_range};
use scalesim::scenario::Scenario;
use scalesim::sim::inputs::{Action, ScheduledAction};

/// The scaling actions a learner may schedule here, by label.
const ACTION_KINDS: [&str; 4] = [
    "set minReplicas to",
    "set maxReplicas to",
    "scale the Deployment to",
    "set pause pods to",
];

/// The action of menu entry `kind` with amount `n`: a scaling action, or one
/// of the question's fixed actions (`fixed[kind - 4]`, amount ignored).
fn action_of(kind: usize, n: f64, fixed: &[Action]) -> Option<Action> {
    let n = n.max(0.0).round();
    Some(match kind {
        0 => Action::SetMinReplicas { replicas: n as i32 },
        1 => Action::SetMaxReplicas { replicas: n as i32 },
        2 => Action::SetReplicas { replicas: n as i32 },
        3 => Action::SetPausePods { count: n as u32 },
        k => return fixed.get(k - ACTION_KINDS.len()).cloned(),
    })
}

fn describe(a: &ScheduledAction) -> String {
    format!(
        "{}: {}",
        scalesim::sim::events::clock(a.at_s),
        a.action.describe()
    )
}

/// Parses "1:30:00", "30:00" or "1800" into seconds.
fn parse_clock(text: &str) -> Option<f64> {
    let mut s = 0.0;
    for part in text.trim().split(':') {
        let v: f64 = part.trim().parse().ok()?;
        if !(v.is_finite() && v >= 0.0) {
            return None;
        }
        s = s * 60.0 + v;
    }
    Some(s)
}

/// Knob inputs and the action schedule of `question`.
#[component]
pub fn ConfigureForm(
    scenario: StoredValue<Scenario>,
    question: ConfigureQuestion,
    session: RwSignal<Session>,
) -> impl IntoView {
    let id = question.id.clone();
    let fields: Vec<String> = if question.knobs.is_empty() {
        scenario.with_value(|s| s.knobs.iter().map(|k| k.field.clone()).collect())
    } else {
        question.knobs.clone()
    };
    let knobs = fields
        .into_iter()
        .filter_map(|f| {
            let k = knob_by_field(&f)?;
            let (min, max) = scenario.with_value(|s| knob_range(s, k));
            let label = scenario.with_value(|s| {
                s.knobs
                    .iter()
                    .find(|d| d.field == f)
                    .map(|d| d.label.clone())
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| k.label.to_string())
            });
            let now = scenario.with_value(|s| (k.read)(s)).unwrap_or(min);
            let (id, id2, f2) = (id.clone(), id.clone(), f.clone());
            Some(view! {
                <label class="field">
                    <span>{format!("{label} ({min}\u{2013}{max})")}</span>
                    <input
                        type="number"
                        min=min
                        max=max
                        step=k.step
                        prop:value=move || session.with(|s| s.answers.get(&id2).and_then(|a| a.knobs.get(&f2).copied()).unwrap_or(now).to_string())
                        on:change=move |ev| {
                            let Ok(v) = event_target_value(&ev).parse::<f64>() else { return };
                            session.update(|s| {
                                let a = s.answer_mut(&id);
                                if v == now {
                                    a.knobs.remove(&f);
                                } else {
                                    a.knobs.insert(f.clone(), v);
                                }
                            });
                        }
                    />
                </label>
            })
        })
        .collect_view();
    let actions = question.allow_actions.then(|| {
        let kind = RwSignal::new(0usize);
        let amount = RwSignal::new(String::new());
        let at = RwSignal::new(String::new());
        let error = RwSignal::new(None::<String>);
        let (id_add, id_list) = (id.clone(), id.clone());
        let fixed = question.menu();
        let fixed_add = fixed.clone();
        let add = move |_| {
            let Some(at_s) = parse_clock(&at.get_untracked()) else {
                return error.set(Some("the time is h:mm:ss from the run's start, e.g. 0:30:00".into()));
            };
            let k = kind.get_untracked();
            let n = if k < ACTION_KINDS.len() {
                let Ok(n) = amount.get_untracked().trim().parse::<f64>() else {
                    return error.set(Some("a scaling action needs an amount: a whole number".into()));
                };
                n
            } else {
                0.0
            };
            let Some(action) = action_of(k, n, &fixed_add) else { return };
            error.set(None);
            session.update(|s| {
                let a = s.answer_mut(&id_add);
                // In time order, after any action at the same time.
                let i = a.actions.partition_point(|x| x.at_s <= at_s);
                a.actions.insert(i, ScheduledAction { at_s, action });
            });
        };
        view! {
            <div class="action-schedule">
                <p class="note">"Scheduled actions (T+0:00:00 is the run's start):"</p>
                <ul>
                    {move || {
                        let list = session.with(|s| s.answers.get(&id_list).map(|a| a.actions.clone()).unwrap_or_default());
                        let id = id_list.clone();
                        list.into_iter().enumerate().map(|(i, a)| {
                            let id = id.clone();
                            view! {
                                <li>
                                    {describe(&a)}
                                    " "
                                    <button class="small" on:click=move |_| session.update(|s| { let v = &mut s.answer_mut(&id).actions; if i < v.len() { v.remove(i); } })>
                                        "Remove"
                                    </button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
                <div class="action-add">
                    <label class="field"><span>"At (h:mm:ss)"</span>
                        <input type="text" placeholder="e.g. 0:30:00" prop:value=move || at.get() on:input=move |ev| at.set(event_target_value(&ev)) />
                    </label>
                    <label class="field"><span>"Action"</span>
                        <select on:change=move |ev| kind.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {ACTION_KINDS.iter().map(|k| k.to_string()).chain(fixed.iter().map(|a| a.describe())).enumerate().map(|(i, k)| view! { <option value=i.to_string()>{k}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field"><span>"Amount (scaling actions)"</span>
                        <input type="number" min="0" step="1" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                    </label>
                    <button on:click=add>"Add action"</button>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </div>
        }
    });
    view! {
        <div class="configure-form">
            <div class="knob-grid">{knobs}</div>
            {actions}
        </div>
    }
}
