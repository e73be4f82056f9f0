//! Feature flags for graceful degradation: turning a feature off drops the requests it
//! makes or makes them cheaper (docs/models.md#feature-flags-and-degraded-mode).
//!
//! ```text
//!   [[flags]] name = "recommendations", class = "recommendations", cpu_factor_off = 0
//!   on (default):  the class as the traffic defines it
//!   off:           cpu_factor_off = 0    the page no longer sends the class's requests
//!                  0 < cpu_factor_off < 1 each request costs that share of its CPU (a lighter page)
//! ```
//!
//! Seed 004's degraded mode for a flash sale: switch off recommendations and heavy
//! graphics so the core transaction loop has the capacity. A dropped request is not a
//! failure: nobody asked for it.

use serde::{Deserialize, Serialize};

/// `[[flags]]`: one feature and what turning it off does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureFlag {
    /// The flag's name, as actions name it.
    pub name: String,
    /// The request class it governs (`traffic.classes[].name`).
    pub class: String,
    /// The class's CPU per request while the flag is off, as a share of its own
    /// [0..1); 0 (the default) drops its requests altogether.
    #[serde(default)]
    pub cpu_factor_off: f64,
    /// Whether the scenario starts with it on (default true).
    #[serde(default = "on")]
    pub on: bool,
}

fn on() -> bool {
    true
}

/// The rules the range table cannot state, against the classes; errors are (field, message).
pub fn validate(flags: &[FeatureFlag], class_names: &[&str]) -> Result<(), (String, String)> {
    for (i, f) in flags.iter().enumerate() {
        if !class_names.contains(&f.class.as_str()) {
            return Err((
                format!("flags[{i}].class"),
                format!(
                    "is \"{}\", not a request class; the classes are {}",
                    f.class,
                    class_names.join(", ")
                ),
            ));
        }
        if flags[..i].iter().any(|o| o.name == f.name) {
            return Err((
                format!("flags[{i}].name"),
                format!("names \"{}\" twice: one flag per name", f.name),
            ));
        }
    }
    Ok(())
}

/// The flags in the World: each one's state, and per class what they make of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Flags {
    /// The scenario's flags.
    pub flags: Vec<FeatureFlag>,
    /// Per traffic class: its CPU factor (1 with every flag on, 0 dropped).
    pub class_factor: Vec<f64>,
    /// Requests dropped by flags that are off, since the start [requests].
    pub dropped: f64,
    /// Each flag's class index.
    class_of: Vec<usize>,
}

impl Flags {
    /// The scenario's flags over the traffic's classes (validated).
    pub fn new(flags: Vec<FeatureFlag>, class_names: &[&str]) -> Self {
        let class_of = flags
            .iter()
            .map(|f| class_names.iter().position(|n| *n == f.class).unwrap_or(0))
            .collect();
        let mut me = Self {
            flags,
            class_factor: vec![1.0; class_names.len()],
            dropped: 0.0,
            class_of,
        };
        me.refresh();
        me
    }

    /// The flag named `name`, if the scenario has it.
    pub fn get(&self, name: &str) -> Option<&FeatureFlag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Turns flag `name` on or off; false when there is no such flag.
    pub fn set(&mut self, name: &str, on: bool) -> bool {
        let Some(f) = self.flags.iter_mut().find(|f| f.name == name) else {
            return false;
        };
        f.on = on;
        self.refresh();
        true
    }

    fn refresh(&mut self) {
        self.class_factor.iter_mut().for_each(|x| *x = 1.0);
        for (f, c) in self.flags.iter().zip(&self.class_of) {
            if !f.on {
                if let Some(x) = self.class_factor.get_mut(*c) {
                    *x *= f.cpu_factor_off;
                }
            }
        }
    }

    /// Stage 2: drops the arrivals of classes their flags turned off; returns them.
    pub fn drop_off(&mut self, class_arrivals: &mut [f64]) -> f64 {
        let mut dropped = 0.0;
        for (n, k) in class_arrivals.iter_mut().zip(&self.class_factor) {
            if *k == 0.0 {
                dropped += *n;
                *n = 0.0;
            }
        }
        self.dropped += dropped;
        dropped
    }

    /// The CPU factor of class `c` (1 when no flag touches it).
    #[inline]
    pub fn factor(&self, c: usize) -> f64 {
        self.class_factor.get(c).copied().unwrap_or(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(name: &str, class: &str, k: f64) -> FeatureFlag {
        FeatureFlag {
            name: name.into(),
            class: class.into(),
            cpu_factor_off: k,
            on: true,
        }
    }

    #[test]
    fn a_flag_off_drops_its_class_or_lightens_it() {
        let mut f = Flags::new(
            vec![flag("recs", "recs", 0.0), flag("media", "browse", 0.5)],
            &["browse", "recs", "checkout"],
        );
        assert_eq!(f.class_factor, vec![1.0, 1.0, 1.0]);
        assert!(f.set("recs", false) && f.set("media", false));
        assert_eq!(f.class_factor, vec![0.5, 0.0, 1.0]);
        let mut a = [100.0, 50.0, 10.0];
        assert_eq!(f.drop_off(&mut a), 50.0);
        assert_eq!(a, [100.0, 0.0, 10.0]);
        assert!(!f.set("nope", false));
        f.set("recs", true);
        assert_eq!(f.factor(1), 1.0);
    }

    #[test]
    fn flags_name_known_classes_once() {
        let e = validate(&[flag("a", "x", 0.0)], &["browse"]).unwrap_err();
        assert_eq!(e.0, "flags[0].class");
        let e = validate(
            &[flag("a", "browse", 0.0), flag("a", "browse", 0.5)],
            &["browse"],
        )
        .unwrap_err();
        assert_eq!(e.0, "flags[1].name");
    }
}
