//! A run's knobs and actions checked against its scenario before anything is
//! built: the same rules as a scenario file's (`ranges`, `check_action`,
//! `validate`), every problem named with its field and what is accepted.

use std::collections::BTreeMap;

use super::RunSpec;
use crate::scenario::knobs::{knob, knob_range, KnobDef, KNOBS};
use crate::scenario::ranges::{number_words, value_words};
use crate::scenario::{self, check_input_action, Scenario};

/// Checks knob `key` at `value` for scenario `s`: a knob that exists and applies
/// to `s`, with a finite value in its range (the scenario's `[[knobs]]` narrow
/// it). The error is `field: what is accepted, got …`.
pub fn check_knob(s: &Scenario, key: &str, value: f64) -> Result<&'static KnobDef, String> {
    let k = knob(key).ok_or_else(|| {
        let keys: Vec<&str> = KNOBS.iter().map(|k| k.key).collect();
        format!(
            "there is no knob called \u{201c}{key}\u{201d}; the knobs are {}",
            keys.join(", ")
        )
    })?;
    if (k.read)(s).is_none() {
        let part = match k.field.split('.').next() {
            Some("hpa") => "HPA",
            Some(p) => p,
            None => k.field,
        };
        return Err(format!(
            "{}: does not apply: this scenario has no {part}",
            k.field
        ));
    }
    let (min, max) = knob_range(s, k);
    let whole = !k.choices.is_empty() || k.step.fract() == 0.0;
    if !(value.is_finite() && (min..=max).contains(&value)) || (whole && value.fract() != 0.0) {
        let what = if k.choices.is_empty() {
            format!(
                "{} from {} to {}",
                if whole { "a whole number" } else { "a number" },
                number_words(min),
                number_words(max)
            )
        } else {
            let names: Vec<String> = k
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{i} ({c})"))
                .collect();
            format!("one of {}", names.join(", "))
        };
        return Err(format!(
            "{}: must be {what}, got {}",
            k.field,
            value_words(value)
        ));
    }
    Ok(k)
}

/// `base` with `knobs` turned (by URL key), checked as a scenario file is: the
/// first problem, as `field: message`.
pub fn scenario_with_knobs(
    mut s: Scenario,
    knobs: &BTreeMap<String, f64>,
) -> Result<Scenario, String> {
    for (key, value) in knobs {
        let k = check_knob(&s, key, *value)?;
        (k.write)(&mut s, *value);
    }
    scenario::validate(&s).map_err(|(field, message)| format!("{field}: {message}"))?;
    Ok(s)
}

/// Checks every knob, action and the time of `spec` against its scenario `base`:
/// the scenario with the knobs turned, or every problem, each naming the link's
/// parameter (`k=hmax: hpa.maxReplicas: …`, `a[0].zone: …`, `t: …`).
pub fn check_run(spec: &RunSpec, mut s: Scenario) -> Result<Scenario, Vec<String>> {
    let mut problems = Vec::new();
    for (key, value) in &spec.knobs {
        match check_knob(&s, key, *value) {
            Ok(k) => (k.write)(&mut s, *value),
            Err(e) => problems.push(format!("k={key}: {e}")),
        }
    }
    if problems.is_empty() {
        if let Err((field, message)) = scenario::validate(&s) {
            problems.push(format!("{field}: {message} (with the link's knobs)"));
        }
    }
    let end = s.run.duration_s;
    let late = |what: String, t: f64| {
        format!(
            "{what}: must be from 0 to the run's length, {} s, got {}",
            number_words(end),
            value_words(t)
        )
    };
    for (i, a) in spec.actions.iter().enumerate() {
        let at = format!("a[{i}]");
        if let Err((field, message)) = check_input_action(&a.action, &s, &at) {
            problems.push(format!("{field}: {message}"));
        } else if let Err(m) = scenario::fires_in_run("an action", a.at_s, end, s.run.tick_s) {
            problems.push(format!("a[{i}].at_s: {m}"));
        }
    }
    if !(0.0..=end).contains(&spec.at_s) {
        problems.push(late("t".into(), spec.at_s));
    }
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(problems)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::link::read_link;

    fn check(q: &str) -> Result<Scenario, Vec<String>> {
        let r = read_link(q);
        assert_eq!(r.problems, Vec::<String>::new(), "{q}");
        let spec = r.state.run.unwrap();
        let base = crate::scenario::load_built_in(&spec.scenario)
            .unwrap()
            .unwrap();
        check_run(&spec, base)
    }

    #[test]
    fn a_good_link_passes_with_its_knobs_turned() {
        let s =
            check("s=black-friday&seed=42&k=hmax:30&a=60_sp_10_30_600_60~95_kz_us-east-1b&t=120")
                .unwrap();
        assert_eq!(s.hpa.unwrap().max_replicas, 30);
    }

    #[test]
    fn every_problem_is_named_with_what_is_accepted() {
        let e = check("s=black-friday&a=60_sp_1e308_0_60_0~95_kz_b~96_kr_mars~97_cs_2__&t=1e9")
            .unwrap_err();
        assert_eq!(e.len(), 5, "{e:#?}");
        assert!(e[0].starts_with("a[0].multiplier: must be from 0 to 1,000 \u{d7} (at most a thousandfold surge), got 1e308"), "{}", e[0]);
        assert!(e[1].starts_with("a[1].zone: there is no zone \u{201c}b\u{201d} in this scenario; its zones are us-east-1a, us-east-1b, us-east-1c"), "{}", e[1]);
        assert!(
            e[2].starts_with("a[2].region: there is no region \u{201c}mars\u{201d}"),
            "{}",
            e[2]
        );
        assert!(
            e[3].starts_with("a[3].fraction: must be from 0 to 1 (fraction)"),
            "{}",
            e[3]
        );
        assert!(
            e[4].starts_with("t: must be from 0 to the run's length"),
            "{}",
            e[4]
        );
    }

    #[test]
    fn a_knob_out_of_its_range_or_not_applying_is_refused() {
        let e = check("s=black-friday&k=hmax:1e9").unwrap_err();
        assert!(
            e[0].starts_with("k=hmax: hpa.maxReplicas: must be a whole number from 3 to 60, got "),
            "{e:?}"
        );
        assert!(e[0].ends_with("got 1,000,000,000"), "{e:?}");
        let e = check("s=black-friday&k=hmax:7.5").unwrap_err();
        assert!(e[0].contains("a whole number"), "{e:?}");
        // Knobs that pass one by one may still break a rule between fields.
        let e = check("s=black-friday&k=hmin:40,hmax:30");
        if let Err(e) = e {
            assert!(
                e[0].contains("with the link's knobs") || e[0].starts_with("k="),
                "{e:?}"
            );
        }
        let mut s = crate::scenario::load_built_in("black-friday")
            .unwrap()
            .unwrap();
        s.hpa = None;
        let e = check_knob(&s, "hmax", 10.0).err().unwrap_or_default();
        assert_eq!(
            e,
            "hpa.maxReplicas: does not apply: this scenario has no HPA"
        );
        let s = crate::scenario::load_built_in("black-friday")
            .unwrap()
            .unwrap();
        assert!(check_knob(&s, "hmax", f64::NAN)
            .err()
            .unwrap_or_default()
            .ends_with("got nan"));
        let knobs = BTreeMap::from([("hmax".to_string(), f64::INFINITY)]);
        assert!(scenario_with_knobs(s, &knobs)
            .unwrap_err()
            .ends_with("got inf"));
    }

    #[test]
    fn an_action_after_the_run_is_refused() {
        let e = check("s=first-spike&a=1e12_kp_1_").unwrap_err();
        assert!(
            e[0].starts_with("a[0].at_s: an action at 1,000,000,000,000 s never takes effect"),
            "{e:?}"
        );
    }
}
