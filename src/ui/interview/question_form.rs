//! One question's form, by kind: options to pick, a number with its unit,
//! items to order or sort into buckets, knobs and actions to set, or text.

use leptos::prelude::*;

use super::configure_form::ConfigureForm;
use scalesim::grade::session::Session;
use scalesim::grade::Question;
use scalesim::scenario::Scenario;

/// The form of question `index` of `scenario`, writing into `session`.
#[component]
pub fn QuestionForm(
    scenario: StoredValue<Scenario>,
    index: usize,
    session: RwSignal<Session>,
    nav: super::InterviewNav,
    name: String,
) -> impl IntoView {
    let q = scenario.with_value(|s| s.questions[index].clone());
    let id = q.id().to_string();
    let heading = format!("Question {}: {}", index + 1, kind_word(&q));
    let prompt = q.prompt().to_string();
    let dom_id = format!("q-{id}");
    let body = match q {
        Question::Choice(c) => {
            let multiple = c.multiple;
            let name = format!("{dom_id}-options");
            let id = id.clone();
            c.options
                .into_iter()
                .enumerate()
                .map(|(i, o)| {
                    let id = id.clone();
                    let id2 = id.clone();
                    view! {
                        <label class="option">
                            <input
                                type=if multiple { "checkbox" } else { "radio" }
                                name=name.clone()
                                prop:checked=move || session.with(|s| s.answers.get(&id2).and_then(|a| a.picks.as_ref()).is_some_and(|p| p.contains(&i)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    session.update(|s| {
                                        let picks = s.answer_mut(&id).picks.get_or_insert_with(Vec::new);
                                        if !multiple {
                                            picks.clear();
                                        }
                                        picks.retain(|p| *p != i);
                                        if on {
                                            picks.push(i);
                                            picks.sort_unstable();
                                        }
                                    });
                                }
                            />
                            <span>{o.text}</span>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        Question::Numeric(n) => {
            let id2 = id.clone();
            let unit = n.unit.clone();
            view! {
                <label class="field">
                    <span>{format!("Your answer (with its unit, e.g. \u{201c}12 {unit}\u{201d})")}</span>
                    <input
                        type="text"
                        inputmode="decimal"
                        prop:value=move || session.with(|s| s.answers.get(&id2).and_then(|a| a.value.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            session.update(|s| s.answer_mut(&id).value = Some(v));
                        }
                    />
                </label>
            }
            .into_any()
        }
        Question::Order(o) => {
            let n = o.items.len();
            let buckets = o.buckets.clone();
            let slots: Vec<String> = if buckets.is_empty() {
                (1..=n).map(|i| format!("position {i}")).collect()
            } else {
                buckets
            };
            let sequence = o.buckets.is_empty();
            o.items
                .into_iter()
                .enumerate()
                .map(|(item, text)| {
                    let id = id.clone();
                    let id2 = id.clone();
                    let slots = slots.clone();
                    view! {
                        <label class="field order-item">
                            <span>{text}</span>
                            <select
                                prop:value=move || session.with(|s| {
                                    s.answers.get(&id2).and_then(|a| a.order.as_ref()).and_then(|o| slot_of(o, item, sequence)).map_or(String::new(), |v| v.to_string())
                                })
                                on:change=move |ev| {
                                    let Ok(slot) = event_target_value(&ev).parse::<usize>() else { return };
                                    session.update(|s| {
                                        let order = s.answer_mut(&id).order.get_or_insert_with(|| if sequence { (0..n).collect() } else { vec![usize::MAX; n] });
                                        set_slot(order, item, slot, sequence);
                                    });
                                }
                            >
                                <option value="">"choose\u{2026}"</option>
                                {slots.iter().enumerate().map(|(i, label)| view! { <option value=i.to_string()>{label.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        Question::Explain(e) => {
            let id2 = id.clone();
            let min = e.min_words;
            view! {
                <label class="field wide">
                    <span>{format!("Your explanation (at least {min} words)")}</span>
                    <textarea
                        rows="6"
                        prop:value=move || session.with(|s| s.answers.get(&id2).and_then(|a| a.text.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            session.update(|s| s.answer_mut(&id).text = Some(v));
                        }
                    ></textarea>
                </label>
            }
            .into_any()
        }
        Question::Configure(c) => {
            view! { <ConfigureForm scenario=scenario question=c session=session /> }.into_any()
        }
        Question::Drill(d) => {
            let text = format!(
                "A live drill: the run plays at {}\u{d7} and the fault strikes at a moment you do not know, between {} and {}. Act with the playground's controls; press Finish and grade when the system is steady again. Your time to mitigate and the error budget burned are compared with nobody acting and with the reference playbook, on the same seed.",
                d.speed,
                scalesim::sim::events::clock(d.fault_window_s.0),
                scalesim::sim::events::clock(d.fault_window_s.1),
            );
            view! {
                <p class="note">{text}</p>
                <button type="button" on:click=move |_| nav.start_drill(&name, &d)>"Start the drill"</button>
            }
            .into_any()
        }
    };
    view! {
        <fieldset class="question" id=dom_id>
            <legend>{heading}</legend>
            <p class="prompt">{prompt}</p>
            {body}
        </fieldset>
    }
}

/// The kind in a few words, for the legend.
fn kind_word(q: &Question) -> &'static str {
    match q {
        Question::Choice(c) if c.multiple => "pick every right option",
        Question::Choice(_) => "pick one",
        Question::Numeric(_) => "a number",
        Question::Order(o) if o.buckets.is_empty() => "put in order",
        Question::Order(_) => "sort into buckets",
        Question::Configure(_) => "configure and run",
        Question::Explain(_) => "explain",
        Question::Drill(_) => "drill",
    }
}

/// The slot (position or bucket) of `item` in an order answer.
fn slot_of(order: &[usize], item: usize, sequence: bool) -> Option<usize> {
    if sequence {
        order.iter().position(|i| *i == item)
    } else {
        order.get(item).copied().filter(|b| *b != usize::MAX)
    }
}

/// Puts `item` in `slot`: a sequence swaps it with the item there; buckets
/// just record it.
fn set_slot(order: &mut [usize], item: usize, slot: usize, sequence: bool) {
    if slot >= order.len() && sequence {
        return;
    }
    if sequence {
        if let Some(at) = order.iter().position(|i| *i == item) {
            order.swap(at, slot);
        }
    } else if let Some(b) = order.get_mut(item) {
        *b = slot;
    }
}
