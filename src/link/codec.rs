//! The URL codec: a [`RunSpec`] plus page options as a short query string.
//!
//! ```text
//!   ?s=black-friday&seed=42&k=hmax:30,pause:4&a=60_sp_10_30_600_60~95_kz_us-east-1b&t=120
//!      scenario      seed    knobs             actions: t_code_args, `~` between   shared at
//! ```
//!
//! Numbers use Rust's shortest round-trip formatting, so a decoded run is the
//! same run bit for bit. Names are percent-encoded. Anything unknown is an error
//! that says what is wrong; the page then shows the scenario picker.

use std::collections::BTreeMap;

use super::{EmbedParts, RunSpec, TimedAction};
use crate::scenario::knobs::knob;
pub use crate::sim::inputs::code::finite_number;
use crate::sim::inputs::code::{self, escape, exact, unescape};

/// Which page view is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// The simulator.
    #[default]
    Playground,
    /// The HPA explorer.
    HpaExplorer,
}

/// Everything the URL holds.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlState {
    /// The run (absent: the page opens on the picker's default).
    pub run: Option<RunSpec>,
    /// `embed=1`: compact layout for iframes.
    pub embed: bool,
    /// `show=diagram,charts,actions`: the parts an embed shows (all by default).
    pub show: EmbedParts,
    /// The view.
    pub view: View,
    /// `drill=ID`: the run's scenario's drill question to play (a link from
    /// the interview page, `interview.html`).
    pub drill: Option<String>,
}

/// Reads action `index` of the link (`t_code_args`); errors start with
/// `a[index]` and name the field.
fn decode_action(index: usize, text: &str) -> Result<TimedAction, String> {
    let at = format!("a[{index}]");
    let (t_text, rest) = text.split_once('_').unwrap_or((text, ""));
    let at_s = finite_number(t_text)
        .and_then(|t| {
            if t >= 0.0 {
                Ok(t)
            } else {
                Err(format!("must be 0 or more seconds, got {t}"))
            }
        })
        .map_err(|e| format!("{at}.at_s: {e}"))?;
    if rest.split('_').next().is_none_or(str::is_empty) {
        return Err(format!(
            "{at}: \u{201c}{text}\u{201d} has no action after its time"
        ));
    }
    let action = code::decode_action(&at, rest)?;
    Ok(TimedAction { at_s, action })
}

/// An action as its link code (`rt_4_e_f_1`): what a page keeps of it.
pub fn action_code(a: &crate::sim::inputs::Action) -> String {
    code::encode(a)
}

/// The action of link code `text` (`rt_4_e_f_1`); errors start with `at`.
pub fn action_of_code(at: &str, text: &str) -> Result<crate::sim::inputs::Action, String> {
    code::decode_action(at, text)
}

/// The query string (without `?`) of `state`.
pub fn encode_query(state: &UrlState) -> String {
    let mut parts = Vec::new();
    if let Some(run) = &state.run {
        parts.push(format!("s={}", escape(&run.scenario)));
        parts.push(format!("seed={}", run.seed));
        if !run.knobs.is_empty() {
            let k: Vec<String> = run
                .knobs
                .iter()
                .map(|(k, v)| format!("{}:{}", escape(k), exact(*v)))
                .collect();
            parts.push(format!("k={}", k.join(",")));
        }
        if !run.actions.is_empty() {
            let a: Vec<String> = run
                .actions
                .iter()
                .map(|a| format!("{}_{}", exact(a.at_s), code::encode(&a.action)))
                .collect();
            parts.push(format!("a={}", a.join("~")));
        }
        if run.at_s > 0.0 {
            parts.push(format!("t={}", exact(run.at_s)));
        }
    }
    match state.view {
        View::HpaExplorer => parts.push("view=hpa".into()),
        View::Playground => {}
    }
    if let Some(id) = &state.drill {
        parts.push(format!("drill={}", escape(id)));
    }
    if state.embed {
        parts.push("embed=1".into());
        if !state.show.is_all() {
            parts.push(format!("show={}", state.show.to_query()));
        }
    }
    parts.join("&")
}

/// What a link falls back to when part of it cannot apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fallback {
    /// The link applies, less the parts named in the problems (a page option).
    Whole,
    /// The link's scenario opens with its seed from T+0:00, without the link's
    /// knobs, actions and time (a replay without one of them is another run).
    FromStart,
    /// The page opens its default scenario (the link names no scenario it knows).
    DefaultScenario,
}

/// A link as read: what applies, what could not and what the page does instead.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRead {
    /// The state that applies (with [`Fallback::FromStart`], the run has no
    /// knobs, actions or time; with [`Fallback::DefaultScenario`], no run).
    pub state: UrlState,
    /// Each problem, naming the link's parameter (`a[0].multiplier: …`) and
    /// what it accepts, in the order of the link.
    pub problems: Vec<String>,
    /// What the page does about them.
    pub fallback: Fallback,
}

/// Reads a query string (with or without `?`), part by part: a part that cannot
/// be read is named in [`LinkRead::problems`] and the rest still applies where it
/// makes sense ([`Fallback`]). Never fails.
pub fn read_link(query: &str) -> LinkRead {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut problems = Vec::new();
    let mut fallback = Fallback::Whole;
    let mut scenario = None;
    let mut seed = None;
    let mut knobs = BTreeMap::new();
    let mut actions = Vec::new();
    let mut at_s = 0.0;
    let mut embed = false;
    let mut show = None;
    let mut view = View::Playground;
    let mut drill = None;
    let mut action_index = 0;
    // A problem in the run's parts: the scenario opens from the start without them.
    let mut run_problem = |problems: &mut Vec<String>, e: String| {
        problems.push(e);
        fallback = fallback.max(Fallback::FromStart);
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "s" => match unescape(value) {
                Ok(s) => scenario = Some(s),
                Err(e) => problems.push(format!("s: {e}")),
            },
            "seed" => match value.parse::<u64>() {
                Ok(v) => seed = Some(v),
                Err(_) => run_problem(
                    &mut problems,
                    format!(
                        "seed: must be a whole number from 0 to {}, got \u{201c}{value}\u{201d}",
                        u64::MAX
                    ),
                ),
            },
            "k" => {
                for kv in value.split(',').filter(|p| !p.is_empty()) {
                    match read_knob(kv) {
                        Ok((k, v)) => {
                            knobs.insert(k, v);
                        }
                        Err(e) => run_problem(&mut problems, e),
                    }
                }
            }
            "a" => {
                for a in value.split('~').filter(|p| !p.is_empty()) {
                    match decode_action(action_index, a) {
                        Ok(a) => actions.push(a),
                        Err(e) => run_problem(&mut problems, e),
                    }
                    action_index += 1;
                }
            }
            "t" => match finite_number(value) {
                Ok(t) if t >= 0.0 => at_s = t,
                Ok(t) => run_problem(
                    &mut problems,
                    format!("t: must be 0 or more seconds, got {t}"),
                ),
                Err(e) => run_problem(&mut problems, format!("t: {e}")),
            },
            "drill" => match unescape(value) {
                Ok(d) => drill = Some(d),
                Err(e) => problems.push(format!("drill: {e}")),
            },
            "embed" => embed = value == "1" || value == "true",
            // The embed's parts; naming them asks for the embed.
            "show" => {
                embed = true;
                match unescape(value).and_then(|v| EmbedParts::parse(&v)) {
                    Ok(parts) => show = Some(parts),
                    Err(e) => problems.push(format!("{e}; every part is shown")),
                }
            }
            "view" => match value {
                "hpa" => view = View::HpaExplorer,
                "" | "play" => view = View::Playground,
                other => problems.push(format!(
                    "view: there is no view called \u{201c}{other}\u{201d}; the views are play, hpa"
                )),
            },
            other => problems.push(format!(
                "the link has an unknown part \u{201c}{other}\u{201d}; it is ignored"
            )),
        }
    }
    let has_run_parts = seed.is_some() || !knobs.is_empty() || !actions.is_empty() || at_s > 0.0;
    let run = match scenario {
        Some(scenario) => match crate::scenario::built_in_seed(&scenario) {
            // A hand-written link may leave the seed out: the scenario's own seed runs.
            Some(own_seed) => Some(RunSpec {
                scenario,
                seed: seed.unwrap_or(own_seed),
                knobs,
                actions,
                at_s,
                injected: Vec::new(),
            }),
            None => {
                problems.push(format!(
                    "there is no scenario called \u{201c}{scenario}\u{201d}; the scenarios are {}",
                    crate::scenario::built_in_names()
                ));
                fallback = Fallback::DefaultScenario;
                None
            }
        },
        None if has_run_parts || fallback == Fallback::FromStart => {
            problems.push("the link has run settings but no scenario (s=…)".into());
            fallback = Fallback::DefaultScenario;
            None
        }
        None => None,
    };
    let run = match fallback {
        Fallback::Whole => run,
        Fallback::FromStart => run.map(|r| RunSpec::fresh(&r.scenario, r.seed)),
        Fallback::DefaultScenario => None,
    };
    if drill.is_some() && run.is_none() {
        if fallback == Fallback::Whole {
            problems.push("the link names a drill but no scenario (s=…)".into());
        }
        drill = None;
    }
    LinkRead {
        state: UrlState {
            run,
            embed,
            show: show.unwrap_or_default(),
            view,
            drill,
        },
        problems,
        fallback,
    }
}

/// Reads one knob of `k=key:value,…`.
fn read_knob(kv: &str) -> Result<(String, f64), String> {
    let (k, v) = kv
        .split_once(':')
        .ok_or_else(|| format!("k: knob \u{201c}{kv}\u{201d} has no value (key:value)"))?;
    let k = unescape(k).map_err(|e| format!("k: {e}"))?;
    let def = knob(&k).ok_or_else(|| {
        let keys: Vec<&str> = crate::scenario::knobs::KNOBS
            .iter()
            .map(|k| k.key)
            .collect();
        format!(
            "k: there is no knob called \u{201c}{k}\u{201d}; the knobs are {}",
            keys.join(", ")
        )
    })?;
    let v = finite_number(v).map_err(|e| format!("{} (k={k}): {e}", def.field))?;
    Ok((k, v))
}

/// Reads a query string (with or without `?`) strictly: the first problem
/// [`read_link`] finds is the error. An empty query is a valid state with no run.
pub fn decode_query(query: &str) -> Result<UrlState, String> {
    let read = read_link(query);
    match read.problems.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(read.state),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn problems(q: &str) -> (Vec<String>, Fallback) {
        let r = read_link(q);
        (r.problems, r.fallback)
    }

    #[test]
    fn a_written_link_reads_back_the_same() {
        let q = "s=black-friday&seed=42&k=hmax:30&a=60_sp_10_30_600_60~95_kz_us-east-1b&t=120";
        let r = read_link(q);
        assert_eq!(r.problems, Vec::<String>::new());
        assert_eq!(r.fallback, Fallback::Whole);
        assert_eq!(encode_query(&r.state), q);
    }

    #[test]
    fn numbers_that_are_not_finite_are_named_with_their_field() {
        for (q, words) in [
            (
                "s=black-friday&a=60_sp_nan_0_60_0",
                "a[0].multiplier: must be a finite number, got nan",
            ),
            (
                "s=black-friday&a=60_sp_inf_0_60_0",
                "a[0].multiplier: must be a finite number, got inf",
            ),
            (
                "s=black-friday&a=60_sp_10_0_-infinity_0",
                "a[0].hold_s: must be a finite number, got -inf",
            ),
            (
                "s=black-friday&a=NaN_cf",
                "a[0].at_s: must be a finite number, got nan",
            ),
            (
                "s=black-friday&a=5_cf~-3_cf",
                "a[1].at_s: must be 0 or more seconds, got -3",
            ),
            (
                "s=black-friday&k=hmax:NaN",
                "hpa.maxReplicas (k=hmax): must be a finite number, got nan",
            ),
            (
                "s=black-friday&t=inf",
                "t: must be a finite number, got inf",
            ),
            (
                "s=black-friday&a=60_sp_ten_0_60_0",
                "a[0].multiplier: \u{201c}ten\u{201d} is not a number",
            ),
            (
                "s=black-friday&a=60_kp_1.5_",
                "a[0].count: must be a whole number, got \u{201c}1.5\u{201d}",
            ),
        ] {
            let (p, fallback) = problems(q);
            assert_eq!(p, vec![words.to_string()], "{q}");
            assert_eq!(fallback, Fallback::FromStart, "{q}");
        }
    }

    #[test]
    fn unknown_and_truncated_codes_are_named_and_the_scenario_opens_from_the_start() {
        let r = read_link("s=black-friday&seed=9&k=hmax:30&a=60_sp_10~95_zz_1~100_kz_&t=120");
        assert_eq!(
            r.problems,
            vec![
                "a[0]: too few values: it ends before its ramp_up_s (was the link cut short?)",
                "a[1]: unknown action \u{201c}zz\u{201d} (a link from a newer Scalesim?)",
                "a[2].zone: is empty; it needs a name",
            ]
        );
        assert_eq!(r.fallback, Fallback::FromStart);
        // The scenario and seed stay; knobs, actions and time go.
        assert_eq!(r.state.run, Some(RunSpec::fresh("black-friday", 9)));
        let (p, _) = problems("s=black-friday&a=60");
        assert_eq!(
            p,
            vec!["a[0]: \u{201c}60\u{201d} has no action after its time"]
        );
        let (p, _) = problems("s=black-friday&a=60_mn_3_4");
        assert_eq!(p, vec!["a[0]: too many values"]);
        let (p, _) = problems("s=black-friday&k=hmax");
        assert!(p[0].contains("has no value"), "{p:?}");
        let (p, _) = problems("s=black-friday&k=zz:3");
        assert!(
            p[0].starts_with(
                "k: there is no knob called \u{201c}zz\u{201d}; the knobs are hmin, hmax"
            ),
            "{p:?}"
        );
        let (p, _) = problems("s=black-friday&seed=-1");
        assert!(
            p[0].starts_with("seed: must be a whole number from 0 to"),
            "{p:?}"
        );
    }

    #[test]
    fn page_options_that_cannot_apply_are_ignored_and_the_run_stays() {
        let r = read_link("s=zone-outage&seed=7&a=60_cf&show=diagram,graphs&view=nope&zap=1");
        assert_eq!(r.fallback, Fallback::Whole);
        assert_eq!(r.problems.len(), 3, "{:?}", r.problems);
        assert!(r.problems[0].contains("\u{201c}graphs\u{201d}"));
        assert!(r.problems[1].starts_with("view: there is no view called"));
        assert!(r.problems[2].contains("unknown part \u{201c}zap\u{201d}; it is ignored"));
        let run = r.state.run.unwrap();
        assert_eq!(run.actions.len(), 1);
        assert!(r.state.embed && r.state.show.is_all());
    }

    #[test]
    fn an_unknown_scenario_opens_the_default_one() {
        let r = read_link("s=nope&seed=1&a=5_zz&drill=x");
        assert_eq!(r.fallback, Fallback::DefaultScenario);
        assert_eq!(r.state.run, None);
        assert_eq!(r.state.drill, None);
        assert!(r
            .problems
            .last()
            .unwrap()
            .contains("no scenario called \u{201c}nope\u{201d}; the scenarios are"));
        let r = read_link("seed=1");
        assert_eq!(r.fallback, Fallback::DefaultScenario);
        assert!(r.problems[0].contains("no scenario"));
        assert_eq!(decode_query("").unwrap().run, None);
        assert!(decode_query("s=%zz").is_err());
    }

    #[test]
    fn garbage_never_panics() {
        for q in [
            "%",
            "s=%",
            "s=%f",
            "s=%ff%fe",
            "a=~~~",
            "s=black-friday&a=_",
            "s=black-friday&a=__",
            "s=black-friday&a=1e400_cf",
            "s=black-friday&a=1_j_%7B",
            "s=black-friday&a=1_j_%7B%22kind%22%3A1%7D",
            "s=black-friday&k=:,:",
            "s=black-friday&k=%ZZ:1",
            "&&&==&",
            "s=black-friday&a=1_kp_99999999999_",
            "s=black-friday&a=1_co_300",
            "s=black-friday&t=-0",
            "s=first-spike&a=\u{e9}_cf",
        ] {
            let r = read_link(q);
            assert!(r.problems.iter().all(|p| !p.is_empty()), "{q}");
            // What is kept holds only finite numbers.
            if let Some(run) = &r.state.run {
                assert!(
                    run.at_s.is_finite() && run.knobs.values().all(|v| v.is_finite()),
                    "{q}"
                );
            }
        }
    }
}
