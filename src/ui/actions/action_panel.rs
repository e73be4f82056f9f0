//! Faults and traffic. Each action becomes a marker in the charts and a line
//! in the timeline (the engine logs it when applied).

use leptos::prelude::*;

use super::{
    ClientControls, ConsistencyControls, DegradeControls, ExperimentPanel, ReleaseControls,
    ScenarioJump,
};
use crate::sim_loop::{use_commands, use_frames, use_status};
use scalesim::sim::inputs::{Action, FaultKind, LatencyTarget, PartitionScope};

/// Zone and region names with their status: the buttons that depend on them
/// are rebuilt only when this changes, never once per frame.
#[derive(Clone, Debug, PartialEq, Default)]
struct Places {
    zones: Vec<(String, bool)>,
    regions: Vec<(String, bool)>,
    cache: bool,
    database: bool,
    kafka: bool,
    consistency: bool,
}

fn number_input(
    label: &'static str,
    value: RwSignal<f64>,
    min: f64,
    max: f64,
    step: f64,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type="number"
                min=min
                max=max
                step=step
                prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    // Finite only ("NaN" would pass clamp); out of range is clamped.
                    match scalesim::link::finite_number(&event_target_value(&ev)) {
                        Ok(v) => value.set(v.clamp(min, max)),
                        Err(_) => value.set(value.get_untracked()),
                    }
                }
            />
        </label>
    }
}

/// The action buttons.
#[component]
pub fn ActionPanel() -> impl IntoView {
    let frames = use_frames();
    let sim_status = use_status();
    let commands = use_commands();
    let magnitude = RwSignal::new(10.0);
    let duration = RwSignal::new(600.0);
    // Memo: compared each frame, changes only when a zone or region goes down or up.
    let places = Memo::new(move |_| {
        frames.with(|f| {
            let Some(f) = f else { return Places::default() };
            let zones: Vec<(String, bool)> = f
                .snap
                .zones
                .iter()
                .map(|z| (z.name.clone(), z.alive))
                .collect();
            let regions = f
                .regions
                .iter()
                .map(|r| {
                    (
                        r.clone(),
                        f.snap.zones.iter().any(|z| &z.region == r && z.alive),
                    )
                })
                .collect();
            Places {
                zones,
                regions,
                cache: f.snap.tiers.cache.is_some(),
                database: f.snap.tiers.database.is_some(),
                kafka: f.snap.tiers.kafka.is_some(),
                consistency: f.snap.tiers.consistency.is_some(),
            }
        })
    });
    // Memo: the call edges the scenario gives retries or a breaker; they change only
    // with the scenario, so the retry controls (and their focus) survive a frame.
    let retry_edges = Memo::new(move |_| {
        frames.with(|f| {
            f.as_ref()
                .map(|f| f.targets.retry_edges.clone())
                .unwrap_or_default()
        })
    });
    let restore_all = move || {
        commands.act(Action::Restore {
            fault: FaultKind::All,
        });
        let p = places.get_untracked();
        for (r, alive) in p.regions {
            if !alive {
                commands.act(Action::RestoreRegion { region: r });
            }
        }
        for (z, alive) in places.get_untracked().zones {
            if !alive {
                commands.act(Action::RestoreZone { zone: z });
            }
        }
    };
    view! {
        <div class="action-panel">
            <fieldset class="spike">
                <legend>"Traffic"</legend>
                {number_input("Spike magnitude [\u{d7}]", magnitude, 1.5, 50.0, 0.5)}
                {number_input("Spike duration [s]", duration, 30.0, 7200.0, 30.0)}
                <button
                    class="primary"
                    on:click=move |_| {
                        commands.act(Action::Spike {
                            multiplier: magnitude.get_untracked(),
                            ramp_up_s: 30.0,
                            hold_s: duration.get_untracked(),
                            ramp_down_s: 60.0,
                        })
                    }
                >
                    "Trigger spike"
                </button>
            </fieldset>
            <fieldset>
                <legend>"Break things"</legend>
                <button
                    title="The engine picks a pod (seeded); to kill a particular pod, open its node in the diagram"
                    on:click=move |_| commands.act(Action::KillPods { count: 1, zone: None })
                >
                    "Kill pod"
                </button>
                <button
                    title="The engine picks a ready node (seeded); to kill a particular node, open it in the diagram"
                    on:click=move |_| commands.act(Action::KillNode { zone: None })
                >
                    "Kill node"
                </button>
                {move || {
                    places
                        .get()
                        .zones
                        .into_iter()
                        .map(|(z, alive)| {
                            let z2 = z.clone();
                            if alive {
                                view! { <button on:click=move |_| commands.act(Action::KillZone { zone: z2.clone() })>{format!("Kill zone {z}")}</button> }.into_any()
                            } else {
                                view! { <button on:click=move |_| commands.act(Action::RestoreZone { zone: z2.clone() })>{format!("Restore zone {z}")}</button> }.into_any()
                            }
                        })
                        .collect_view()
                }}
                {move || {
                    places
                        .get()
                        .regions
                        .into_iter()
                        .map(|(r, alive)| {
                            let r2 = r.clone();
                            if alive {
                                view! { <button on:click=move |_| commands.act(Action::KillRegion { region: r2.clone() })>{format!("Kill region {r}")}</button> }.into_any()
                            } else {
                                view! { <button on:click=move |_| commands.act(Action::RestoreRegion { region: r2.clone() })>{format!("Restore region {r}")}</button> }.into_any()
                            }
                        })
                        .collect_view()
                }}
                <button
                    title="200 ms more on every request for 5 minutes"
                    on:click=move |_| commands.act(Action::InjectLatency { target: LatencyTarget::Service, ms: 200.0, duration_s: Some(300.0) })
                >
                    "Inject latency"
                </button>
                <button
                    title="20 % of requests fail and the rest are 100 ms slower, for 10 minutes"
                    on:click=move |_| commands.act(Action::BadRelease { error_rate: 0.2, extra_latency_ms: 100.0, duration_s: Some(600.0) })
                >
                    "Bad release"
                </button>
                <button
                    title="Every pod leaks 5 MiB/s until it is OOM-killed, for 10 minutes"
                    on:click=move |_| commands.act(Action::MemoryLeak { mib_per_s: 5.0, pods: None, duration_s: Some(600.0) })
                >
                    "Memory leak"
                </button>
                <button class="restore" title="Clear every fault and bring dead zones and regions back" on:click=move |_| restore_all()>
                    "Restore"
                </button>
            </fieldset>
            {move || retry_edges.get().into_iter().map(|edge| view! { <ClientControls edge /> }).collect_view()}
            <DegradeControls />
            <ReleaseControls />
            <ExperimentPanel />
            {move || {
                let p = places.get();
                let any = p.cache || p.database || p.kafka || p.consistency;
                if !any {
                    return view! {
                        <fieldset>
                            <legend>"Data tier"</legend>
                            <p class="note">
                                "This scenario has no cache, database or Kafka topic. Partition, Flush cache, Fail primary, "
                                "Stop consumers and Consistency mode come with one of these:"
                            </p>
                            <ScenarioJump scenario="consistency-tradeoff" words="Open a scenario with consistency modes" />
                            <ScenarioJump scenario="kafka-burst" words="Open a scenario with a Kafka queue" />
                        </fieldset>
                    }
                    .into_any();
                }
                view! {
                    <fieldset>
                        <legend>"Data tier"</legend>
                        {p.database.then(|| view! {
                            <button on:click=move |_| commands.act(Action::Partition { between: PartitionScope::Zones, minority_replicas: 1, minority_clients: 0.5, duration_s: Some(300.0) })>"Partition"</button>
                        })}
                        {p.cache.then(|| view! { <button on:click=move |_| commands.act(Action::CacheFlush)>"Flush cache"</button> })}
                        {p.database.then(|| view! { <button on:click=move |_| commands.act(Action::FailPrimary { shard: 0 })>"Fail primary"</button> })}
                        {p.kafka.then(|| view! { <button on:click=move |_| commands.act(Action::StopConsumers { duration_s: Some(300.0) })>"Stop consumers"</button> })}
                        {if p.consistency {
                            view! { <ConsistencyControls /> }.into_any()
                        } else {
                            view! { <ScenarioJump scenario="consistency-tradeoff" words="Open a scenario with consistency modes" /> }.into_any()
                        }}
                    </fieldset>
                }
                .into_any()
            }}
            {move || sim_status.error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p class="action-notice" role="status" class:hidden=move || sim_status.notice.with(Option::is_none)>
                {move || sim_status.notice.get().unwrap_or_default()}
            </p>
        </div>
    }
}
