//! Numbers with units, as a learner types them ("250 ms", "0.25 s",
//! "1,200 rps", "1200 req/s", "35 %"), brought to one base unit per dimension
//! so equivalent answers compare equal.

use serde::{Deserialize, Serialize};

/// What a quantity measures; each has one base unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Time [s].
    Time,
    /// A rate [per second]: req/s, rps, events/s, msg/s.
    Rate,
    /// A share [%].
    Percent,
    /// A plain count or ratio (pods, nodes, partitions, ×), no unit.
    Count,
    /// Money [$].
    Money,
    /// Mass [kg] (of CO2, say).
    Mass,
    /// Energy [kWh].
    Energy,
}

/// Every dimension, in the order messages list them.
const DIMENSIONS: [Dimension; 7] = [
    Dimension::Time,
    Dimension::Rate,
    Dimension::Percent,
    Dimension::Count,
    Dimension::Money,
    Dimension::Mass,
    Dimension::Energy,
];

impl Dimension {
    /// What a quantity of it is, for a sentence: "a time", "an amount of money".
    pub fn noun(self) -> &'static str {
        match self {
            Dimension::Time => "a time",
            Dimension::Rate => "a rate",
            Dimension::Percent => "a percentage",
            Dimension::Count => "a count",
            Dimension::Money => "an amount of money",
            Dimension::Mass => "a mass",
            Dimension::Energy => "an amount of energy",
        }
    }

    /// The units [`Quantity::parse_or`] reads for it, for a refusal.
    pub fn units(self) -> &'static str {
        match self {
            Dimension::Time => {
                "ms, s, m or min, h or d, in parts (1h30m, 43m12s) or on a clock (0:43:12, 43:12)"
            }
            Dimension::Rate => "req/s (also rps, qps, /s, events/s, msg/s, ops/s, queries/s, calls/s) or req/min (rpm)",
            Dimension::Percent => "% or percent",
            Dimension::Count => {
                "a bare number, or the number and what it counts (13 pods, 3 nodes, 2 replicas, 40 requests, \u{2026}), or \u{d7}"
            }
            Dimension::Money => "$ (\u{201c}$1,200\u{201d}) or usd",
            Dimension::Mass => "g, kg or t (of CO2 or not)",
            Dimension::Energy => "Wh, kWh or MWh",
        }
    }
}

/// What may be written instead of an unknown unit: the units of `expected`
/// (the question's dimension), or of every dimension.
fn accepted_units(expected: Option<Dimension>) -> String {
    const MULTIPLIERS: &str =
        "a k, M or B after the number multiplies it (\u{201c}8k req/s\u{201d}, \u{201c}1.2 M\u{201d})";
    match expected {
        Some(d) => format!(
            "the answer is {}: write {}; {MULTIPLIERS}",
            d.noun(),
            d.units()
        ),
        None => {
            let all: Vec<String> = DIMENSIONS
                .iter()
                .map(|d| format!("{}: {}", d.noun(), d.units()))
                .collect();
            format!("units: {}; {MULTIPLIERS}", all.join("; "))
        }
    }
}

/// Things counted: "3 consumers" and "3 consumer" are the count 3.
const COUNTED: [&str; 32] = [
    "pod",
    "node",
    "partition",
    "instance",
    "server",
    "consumer",
    "connection",
    "process",
    "user",
    "game",
    "session",
    "request",
    "write",
    "read",
    "replica",
    "core",
    "vcpu",
    "broker",
    "shard",
    "worker",
    "machine",
    "thread",
    "message",
    "key",
    "seat",
    "alert",
    "page",
    "order",
    "region",
    "zone",
    "call",
    "attempt",
];

/// Counted nouns that name the same things: a Kubernetes replica is a pod;
/// an instance, server or machine is whatever runs the service (a pod or a
/// node); a read or a write is a request.
const SAME_COUNTED: [&[&str]; 5] = [
    &["pod", "replica", "instance", "server", "machine", "worker"],
    &["node", "instance", "server", "machine"],
    &["core", "vcpu"],
    &["request", "read", "write"],
    &["consumer", "worker", "process"],
];

/// The thing `unit` (lower case) counts, singular: "nodes" → "node".
fn noun(unit: &str) -> Option<&'static str> {
    [unit.strip_suffix("es"), unit.strip_suffix('s'), Some(unit)]
        .into_iter()
        .flatten()
        .find_map(|one| COUNTED.iter().find(|c| **c == one).copied())
}

/// What a number or unit counts when it names it: "13 nodes" and "nodes"
/// count "node"; a bare number, "13 ×" or another unit name nothing.
pub(super) fn counted_noun(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let rest = if t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        split_number(t).1
    } else {
        t
    };
    let (_, _, rest) = multiplier(rest);
    noun(&rest.trim().to_lowercase())
}

/// Whether the counted nouns `a` and `b` count the same things ("pod" and
/// "replica" do, "pod" and "node" do not).
pub(super) fn same_counted(a: &str, b: &str) -> bool {
    a == b
        || SAME_COUNTED
            .iter()
            .any(|group| group.contains(&a) && group.contains(&b))
}

/// A counted noun in the plural: "nodes", "processes".
pub(super) fn plural(noun: &str) -> String {
    if noun.ends_with('s') {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// `t` split after the number it starts with: ("1,200.5", " rps").
fn split_number(t: &str) -> (&str, &str) {
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E')))
        .map_or(t.len(), |(i, _)| i);
    t.split_at(end)
}

/// A time written in parts, from the largest down ("43m12s", "1h 30m",
/// "2m30.5s"), or on a clock (h:mm:ss or mm:ss: "0:43:12", "43:12") [s].
/// None when `t` is written neither way (a single part, "5m", is a number
/// and its unit); an error when it is a time written out of order.
fn duration_s(t: &str) -> Option<Result<f64, String>> {
    if t.contains(':')
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'))
    {
        return Some(clock_s(t).ok_or_else(|| {
            format!(
                "\u{201c}{t}\u{201d} is not a clock time: write h:mm:ss or mm:ss (\u{201c}0:43:12\u{201d}, \u{201c}43:12\u{201d})"
            )
        }));
    }
    let (total, parts, in_order) = time_parts_s(t)?;
    match (parts, in_order) {
        (0 | 1, _) => None,
        (_, true) => Some(Ok(total)),
        (_, false) => Some(Err(format!(
            "\u{201c}{t}\u{201d} mixes the parts of a time: write them largest first, each once (\u{201c}1h30m\u{201d}, \u{201c}43m12s\u{201d})"
        ))),
    }
}

/// A time written as numbers each with a unit, as Go's `time.ParseDuration`
/// and kubectl write them ("1h30m", "43m12s", "2d 12h", "90m"; spaces
/// allowed): (total [s], parts, whether the units go largest first, each
/// once). Units: d, h (hr), m (min), s (sec), ms; "m" is minutes ("M" is a
/// million). `None` when `t` is not written so. Shared by answers and the
/// CLI's `--duration` (`scenario::parse_duration_s`).
pub(crate) fn time_parts_s(t: &str) -> Option<(f64, usize, bool)> {
    let mut rest = t.trim();
    let mut total = 0.0;
    let mut parts = 0;
    let mut last: Option<usize> = None;
    let mut in_order = true;
    while !rest.is_empty() {
        let n_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..n_end].parse().ok()?;
        rest = rest[n_end..].trim_start();
        let u_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let (rank, factor) = match &rest[..u_end] {
            "d" => (0, 86_400.0),
            "h" | "hr" => (1, 3600.0),
            "m" | "min" => (2, 60.0),
            "s" | "sec" => (3, 1.0),
            "ms" => (4, 1e-3),
            _ => return None,
        };
        in_order &= last.is_none_or(|r| rank > r);
        last = Some(rank);
        total += n * factor;
        parts += 1;
        rest = rest[u_end..].trim_start();
    }
    Some((total, parts, in_order))
}

/// h:mm:ss or mm:ss [s]: minutes and seconds of two digits under 60, a
/// fraction only on the seconds.
fn clock_s(t: &str) -> Option<f64> {
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let (first, tail) = parts.split_first()?;
    if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut total: f64 = first.parse().ok()?;
    for (i, p) in tail.iter().enumerate() {
        let whole = p.split_once('.').map_or(*p, |(w, _)| w);
        let fraction_ok = !p.contains('.') || i + 1 == tail.len();
        if whole.len() != 2 || !fraction_ok || p.ends_with('.') {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        if v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

/// A value in the base unit of its dimension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantity {
    /// Value in the base unit (s, per s, %, count, $).
    pub value: f64,
    /// What it measures.
    pub dimension: Dimension,
}

/// `(dimension, factor to the base unit)` of `unit` (lower case, trimmed).
fn unit_of(unit: &str) -> Option<(Dimension, f64)> {
    Some(match unit {
        "ms" | "millisecond" | "milliseconds" => (Dimension::Time, 1e-3),
        "s" | "sec" | "secs" | "second" | "seconds" => (Dimension::Time, 1.0),
        // "m" as `--duration` and Go durations read it ("1h30m"); "M" after a
        // number is a million (`multiplier`).
        "m" | "min" | "mins" | "minute" | "minutes" => (Dimension::Time, 60.0),
        "h" | "hr" | "hour" | "hours" => (Dimension::Time, 3600.0),
        "d" | "day" | "days" => (Dimension::Time, 86400.0),
        "req/s" | "rps" | "qps" | "requests/s" | "/s" | "events/s" | "msg/s" | "ops/s"
        | "queries/s" | "calls/s" => (Dimension::Rate, 1.0),
        "req/min" | "rpm" | "/min" => (Dimension::Rate, 1.0 / 60.0),
        "%" | "percent" => (Dimension::Percent, 1.0),
        "" | "x" | "×" | "times" => (Dimension::Count, 1.0),
        "$" | "usd" | "dollar" | "dollars" => (Dimension::Money, 1.0),
        "g" | "gram" | "grams" => (Dimension::Mass, 1e-3),
        "kg" | "kilogram" | "kilograms" => (Dimension::Mass, 1.0),
        "t" | "tonne" | "tonnes" | "ton" | "tons" => (Dimension::Mass, 1e3),
        "wh" => (Dimension::Energy, 1e-3),
        "kwh" => (Dimension::Energy, 1.0),
        "mwh" => (Dimension::Energy, 1e3),
        other => {
            // "kg co2", "kgco2e": a mass of CO2.
            if let Some(mass) = ["co2e", "co2"].iter().find_map(|g| other.strip_suffix(g)) {
                return unit_of(mass.trim()).filter(|(d, _)| *d == Dimension::Mass);
            }
            noun(other).map(|_| (Dimension::Count, 1.0))?
        }
    })
}

/// A multiplier written after the number ("8k", "1.2 M", "3 million"): its
/// factor, the word as written ("" when none) and the rest.
fn multiplier(unit: &str) -> (f64, &'static str, &str) {
    let u = unit.trim_start();
    for (word, m) in [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("k", 1e3),
        ("K", 1e3),
        ("M", 1e6),
        ("B", 1e9),
    ] {
        if let Some(rest) = u.strip_prefix(word) {
            // Only as a word of its own: "8k rps", "8k/s", "8k"; not "kg" or "Mbps".
            if rest.is_empty() || rest.starts_with([' ', '/']) {
                return (m, word, rest.trim_start());
            }
        }
    }
    (1.0, "", unit)
}

impl Quantity {
    /// `value` in `unit`; an error names a unit it does not know.
    pub fn new(value: f64, unit: &str) -> Result<Quantity, String> {
        let u = unit.trim().to_lowercase();
        let (dimension, factor) = unit_of(&u).ok_or_else(|| {
            format!(
                "unknown unit \u{201c}{}\u{201d}; {}",
                unit.trim(),
                accepted_units(None)
            )
        })?;
        if !value.is_finite() {
            return Err(format!(
                "{} is not a finite number (too large, or not a number)",
                crate::scenario::ranges::value_words(value)
            ));
        }
        if !(value * factor).is_finite() {
            return Err(format!(
                "{} {} is too large to be a number",
                crate::scenario::ranges::value_words(value),
                unit.trim()
            ));
        }
        Ok(Quantity {
            // + 0.0: "-0 pods" is zero pods, printed without a sign.
            value: value * factor + 0.0,
            dimension,
        })
    }

    /// A learner's text ("250 ms", "$1,200", "1,200rps", "35%"): the number,
    /// thousands separators allowed, then the unit (a leading "$" is money).
    pub fn parse(text: &str) -> Result<Quantity, String> {
        Quantity::parse_or(text, "")
    }

    /// Like [`Quantity::parse`], but a bare number is in `unit` (a learner
    /// who types "43.2" to "how many minutes" means minutes). A comma is a
    /// thousands separator only before exactly three digits: "43,2" is
    /// refused with the number it probably means.
    pub fn parse_or(text: &str, unit: &str) -> Result<Quantity, String> {
        let t = text.trim();
        let (money, t) = match t.strip_prefix('$') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, t),
        };
        if !money {
            if let Some(seconds) = duration_s(t) {
                return seconds.and_then(|s| Quantity::new(s, "s"));
            }
        }
        let (number, rest) = split_number(t);
        let groups: Vec<&str> = number.split(',').collect();
        if groups.len() > 1
            && groups[1..]
                .iter()
                .any(|g| g.split(['.', 'e', 'E']).next().is_none_or(|d| d.len() != 3))
        {
            return Err(format!(
                "\u{201c}{text}\u{201d} has a comma where a decimal point belongs: write {}",
                number.replace(',', ".")
            ));
        }
        let value: f64 = number
            .replace(',', "")
            .parse()
            .map_err(|_| format!("\u{201c}{text}\u{201d} does not start with a number"))?;
        if !value.is_finite() {
            return Err(format!(
                "\u{201c}{text}\u{201d} is too large to be a number"
            ));
        }
        let (times, word, rest) = multiplier(rest);
        if !(value * times).is_finite() {
            return Err(format!(
                "\u{201c}{text}\u{201d} is too large to be a number"
            ));
        }
        let written = rest.trim();
        // The question's own unit says which units it takes.
        let expected = (!unit.trim().is_empty())
            .then(|| unit_of(&unit.trim().to_lowercase()).map(|(d, _)| d))
            .flatten();
        if word == "M" && written.is_empty() && !money && expected == Some(Dimension::Time) {
            // "43.2 M" to "how many minutes": a million minutes is not meant.
            return Err(format!(
                "\u{201c}{}\u{201d}: M means million; write m or min for minutes (\u{201c}{number} min\u{201d})",
                text.trim()
            ));
        }
        if !money && !written.is_empty() && unit_of(&written.to_lowercase()).is_none() {
            return Err(format!(
                "unknown unit \u{201c}{written}\u{201d}; {}",
                accepted_units(expected)
            ));
        }
        let unit = if money {
            "$"
        } else if written.is_empty() {
            unit
        } else {
            written
        };
        Quantity::new(value * times, unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m_is_minutes_as_in_durations_and_capital_m_a_million() {
        assert_eq!(Quantity::parse("5 m"), Quantity::parse("300 s"));
        assert_eq!(Quantity::parse("5m"), Quantity::parse("5 min"));
        assert_eq!(Quantity::parse_or("5", "m"), Quantity::parse("5 min"));
        assert_eq!(Quantity::parse("5 M"), Quantity::parse("5000000"));
    }

    #[test]
    fn equivalent_units_give_equal_quantities() {
        assert_eq!(Quantity::parse("250 ms"), Quantity::parse("0.25 s"));
        assert_eq!(Quantity::parse("1,200 rps"), Quantity::parse("1200 req/s"));
        assert_eq!(Quantity::parse("72000 req/min"), Quantity::parse("1200rps"));
        assert_eq!(Quantity::parse("35%").unwrap().value, 35.0);
        assert_eq!(
            Quantity::parse("$50,000").unwrap().dimension,
            Dimension::Money
        );
        assert_eq!(Quantity::parse("12").unwrap().dimension, Dimension::Count);
        assert!(Quantity::parse("12 parsecs")
            .unwrap_err()
            .contains("parsecs"));
        assert!(Quantity::parse("lots").unwrap_err().contains("number"));
        assert!(Quantity::new(f64::NAN, "s").is_err());
        assert_eq!(Quantity::parse("3 consumers"), Quantity::parse("3"));
        assert_eq!(Quantity::parse("1 process"), Quantity::parse("1 processes"));
        assert_eq!(Quantity::parse("8k rps"), Quantity::parse("8000 req/s"));
        assert_eq!(
            Quantity::parse("1.5 million users"),
            Quantity::parse("1500000")
        );
        assert_eq!(Quantity::parse("160 kg"), Quantity::parse("0.16 t"));
        assert_eq!(
            Quantity::parse("160 kg CO2").unwrap().dimension,
            Dimension::Mass
        );
        assert_eq!(Quantity::parse("2 kWh"), Quantity::parse("2000 Wh"));
        assert!(Quantity::parse("3 bananas").is_err());
        assert_eq!(
            Quantity::parse_or("43.2", "min"),
            Quantity::parse("43.2 min")
        );
        assert_eq!(
            Quantity::parse_or("43.2 s", "min"),
            Quantity::parse("43.2 s")
        );
        assert!(Quantity::parse("43,2 min")
            .unwrap_err()
            .contains("write 43.2"));
        assert_eq!(Quantity::parse("1,234.5 s").unwrap().value, 1234.5);
        assert!(Quantity::parse("1e309").unwrap_err().contains("too large"));
        assert_eq!(Quantity::parse("3 d"), Quantity::parse("72 h"));
    }

    #[test]
    fn a_time_in_parts_or_on_a_clock_is_a_time() {
        let t = |text: &str| Quantity::parse_or(text, "min");
        for text in ["43m12s", "43m 12s", "0:43:12", "43:12", "43.2"] {
            assert_eq!(t(text), Quantity::parse("2592 s"), "{text}");
        }
        assert_eq!(t("1h30m"), Quantity::parse("90 min"));
        assert_eq!(t("1h 30m 15.5s"), Quantity::parse("5415.5 s"));
        assert_eq!(t("2s500ms"), Quantity::parse("2.5 s"));
        assert!(t("30m1h").unwrap_err().contains("largest first"));
        assert!(t("1:75").unwrap_err().contains("not a clock time"));
        assert!(t("1:2:3:4").unwrap_err().contains("not a clock time"));
        assert!(t("1.1.6")
            .unwrap_err()
            .contains("does not start with a number"));
        assert!(t("1h30").is_err());
        // "M" is a million, not minutes: refused only where minutes are likely meant.
        let e = t("43.2 M").unwrap_err();
        assert!(
            e.contains("M means million; write m or min for minutes"),
            "{e}"
        );
        assert!(t("43.2M").is_err());
        assert_eq!(
            Quantity::parse_or("1.2 M", "req/s"),
            Quantity::parse("1200000 rps")
        );
        assert_eq!(Quantity::parse("5 M"), Quantity::parse("5000000"));
    }

    #[test]
    fn a_counted_noun_is_what_the_number_counts() {
        assert_eq!(counted_noun("13 nodes"), Some("node"));
        assert_eq!(counted_noun("pods"), Some("pod"));
        assert_eq!(counted_noun("1.2k processes"), Some("process"));
        assert_eq!(counted_noun("13"), None);
        assert_eq!(counted_noun("13 \u{d7}"), None);
        assert_eq!(counted_noun("events/s"), None);
        assert!(same_counted("pod", "replica") && same_counted("instance", "server"));
        assert!(!same_counted("pod", "node"));
        assert_eq!(plural("process"), "processes");
    }

    #[test]
    fn an_unknown_unit_lists_the_units_the_answer_takes() {
        let e = Quantity::parse_or("0.013 kpods", "pods").unwrap_err();
        assert!(
            e.starts_with("unknown unit \u{201c}kpods\u{201d}; the answer is a count: write a bare number, or the number and what it counts (13 pods,"),
            "{e}"
        );
        assert!(e.contains("8k req/s"), "{e}");
        let e = Quantity::parse_or("250 parsecs", "ms").unwrap_err();
        assert!(
            e.starts_with("unknown unit \u{201c}parsecs\u{201d}; the answer is a time: write ms, s, m or min, h or d, in parts (1h30m, 43m12s) or on a clock (0:43:12, 43:12);"),
            "{e}"
        );
        // No unit to go by (an author's unit, or a bare parse): every unit.
        for e in [
            Quantity::new(1.0, "furlongs").unwrap_err(),
            Quantity::parse("3 bananas").unwrap_err(),
        ] {
            assert!(
                e.contains("a time: ms, s, m or min, h or d")
                    && e.contains("an amount of energy: Wh"),
                "{e}"
            );
        }
    }
}
