//! One question's form, by kind: options to pick, a number with its unit,
//! items to order or sort into buckets, knobs and actions to set, or text.

use leptos::prelude::*;

use super::configure_form::ConfigureForm;
use crate::model::interview::{display_order, kind_word, place};
use scalesim::grade::session::Session;
use scalesim::grade::Question;
use scalesim::scenario::Scenario;

/// The form of question `index` of `scenario`, writing into `session`.
#[component]
pub fn QuestionForm(
    scenario: StoredValue<Scenario>,
    index: usize,
    /// The question (read by the sheet).
    question: Question,
    session: RwSignal<Session>,
    nav: super::InterviewNav,
    name: String,
) -> impl IntoView {
    let q = question;
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
                                            let at = picks.partition_point(|p| *p < i);
                                            picks.insert(at, i);
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
                    <span>{if unit.is_empty() { "Your answer (a number)".to_string() } else { format!("Your answer in {unit} (another unit works too, e.g. \u{201c}12 {unit}\u{201d})") }}</span>
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
            let sequence = o.buckets.is_empty();
            // Items in a fixed shuffled order: the key's order is not shown.
            let shown = display_order(&id, n);
            let items = o.items.clone();
            // A sequence: a select per position, naming the item there; buckets: a select per item.
            let rows: Vec<(String, Vec<(usize, String)>)> = if sequence {
                (0..n)
                    .map(|p| {
                        let choices = shown.iter().map(|&i| (i, items[i].clone())).collect();
                        (format!("Position {}", p + 1), choices)
                    })
                    .collect()
            } else {
                shown
                    .iter()
                    .map(|&i| {
                        let choices = o.buckets.iter().cloned().enumerate().collect();
                        (items[i].clone(), choices)
                    })
                    .collect()
            };
            rows.into_iter()
                .enumerate()
                .map(|(row, (label, choices))| {
                    // The answer's slot this row writes: a position, or the shown item's index.
                    let slot = if sequence { row } else { shown[row] };
                    let (id, id2) = (id.clone(), id.clone());
                    view! {
                        <label class="field order-item">
                            <span>{label}</span>
                            <select
                                prop:value=move || session.with(|s| {
                                    s.answers.get(&id2).and_then(|a| a.order.as_ref()).and_then(|o| o.get(slot).copied()).filter(|v| *v != usize::MAX).map_or(String::new(), |v| v.to_string())
                                })
                                on:change=move |ev| {
                                    let Ok(v) = event_target_value(&ev).parse::<usize>() else { return };
                                    session.update(|s| {
                                        let order = s.answer_mut(&id).order.get_or_insert_with(|| vec![usize::MAX; n]);
                                        place(order, slot, v, sequence);
                                    });
                                }
                            >
                                <option value="">"choose\u{2026}"</option>
                                {choices.into_iter().map(|(i, text)| view! { <option value=i.to_string()>{text}</option> }).collect_view()}
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
                "A live drill: the run plays at {}\u{d7} and the fault strikes at a moment you do not know, between {} and {}. Act with the playground's controls; press Finish when the system is steady again, then go back to the interview page for your grade. Your time to mitigate and the error budget burned are compared with nobody acting and with the reference playbook, on the same seed.",
                d.speed,
                scalesim::sim::events::clock(d.fault_window_s.0),
                scalesim::sim::events::clock(d.fault_window_s.1),
            );
            view! {
                <p class="note">{text}</p>
                <button type="button" on:click=move |_| nav.start_drill(&name, &d.id)>"Start the drill"</button>
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
