//! The stable short code of every action in a shared link: `kz_us-east-1b`,
//! `sp_10_30_600_60` (a code and its fields, `_` between). A code never changes
//! when an action is reworded ([`super::wording`]): links made today decode
//! the same tomorrow (`tests/fixtures/action_codes.txt` holds a list of them).
//! Numbers use Rust's shortest round-trip formatting, so a decoded action is the
//! same action bit for bit; names are percent-encoded. Functions are
//! `#[inline]`: cold code the page calls, optimized for size in the web crate.

use super::action::{Action, FaultKind, LatencyTarget, PartitionScope};
use super::wording::mode_words;
use crate::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass};
use crate::sim::protection::{BackoffKind, CallEdge};
use crate::sim::resilience::backoff::Jitter;

/// A name percent-encoded for a link: letters, digits, `-` and `.` stay.
pub fn escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads a percent-encoded name (`+` is a space).
pub fn unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad escape in \u{201c}{text}\u{201d}"))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("\u{201c}{text}\u{201d} is not UTF-8"))
}

/// A number in a link: Rust's shortest round-trip form, so it reads back bit for bit.
pub fn exact(x: f64) -> String {
    format!("{x}")
}

fn opt_num(x: Option<f64>) -> String {
    x.map(exact).unwrap_or_default()
}

fn opt_u32(x: Option<u32>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn opt_name(x: &Option<String>) -> String {
    x.as_deref().map(escape).unwrap_or_default()
}

fn latency_code(t: LatencyTarget) -> &'static str {
    match t {
        LatencyTarget::Service => "s",
        LatencyTarget::CrossZone => "z",
        LatencyTarget::CrossRegion => "r",
    }
}

/// The URL code of a fault kind: a letter for the first ones, the serde name
/// ("consumers_stopped", escaped) for the rest, as links have always written them.
fn fault_code(f: FaultKind) -> &'static str {
    match f {
        FaultKind::Latency => "l",
        FaultKind::CpuStress => "c",
        FaultKind::MemoryLeak => "m",
        FaultKind::BadRelease => "b",
        FaultKind::All => "a",
        FaultKind::Partition => "partition",
        FaultKind::PacketLoss => "packet%5Floss",
        FaultKind::CacheDown => "cache%5Fdown",
        FaultKind::ReplicaLag => "replica%5Flag",
        FaultKind::ClockSkew => "clock%5Fskew",
        FaultKind::DnsFailure => "dns%5Ffailure",
        FaultKind::ConsumersStopped => "consumers%5Fstopped",
        FaultKind::DiskFull => "disk%5Ffull",
        FaultKind::Dependency => "dependency",
    }
}

/// The fault kind of URL code `code`.
fn fault_of(code: &str) -> Result<FaultKind, String> {
    FaultKind::ALL
        .into_iter()
        .find(|f| fault_code(*f) == code || unescape(fault_code(*f)).is_ok_and(|n| n == code))
        .ok_or_else(|| {
            format!(
                "unknown fault \u{201c}{}\u{201d}",
                unescape(code).unwrap_or_default()
            )
        })
}

/// The short code of a partition's scope.
fn scope_code(s: PartitionScope) -> &'static str {
    match s {
        PartitionScope::Zones => "z",
        PartitionScope::Regions => "r",
    }
}

/// The short code of a conflict resolution ("lww").
fn resolution_code(r: ConflictResolution) -> &'static str {
    match r {
        ConflictResolution::LastWriterWins => "lww",
        ConflictResolution::Crdt => "crdt",
        ConflictResolution::ApplicationMerge => "merge",
    }
}

/// The conflict resolution of code `text`.
fn resolution_of(text: &str) -> Result<ConflictResolution, String> {
    [
        ConflictResolution::LastWriterWins,
        ConflictResolution::Crdt,
        ConflictResolution::ApplicationMerge,
    ]
    .into_iter()
    .find(|r| resolution_code(*r) == text)
    .ok_or_else(|| format!("unknown conflict resolution \u{201c}{text}\u{201d}"))
}

/// The short code of a backoff ("e" exponential).
fn backoff_code(b: BackoffKind) -> &'static str {
    match b {
        BackoffKind::None => "n",
        BackoffKind::Constant => "c",
        BackoffKind::Exponential => "e",
    }
}

/// The short code of a jitter ("f" full).
fn jitter_code(j: Jitter) -> &'static str {
    match j {
        Jitter::None => "n",
        Jitter::Full => "f",
        Jitter::Equal => "e",
        Jitter::Decorrelated => "d",
    }
}

/// The short code of a call edge ("" for the clients', so older links read the same).
fn edge_code(e: CallEdge) -> &'static str {
    match e {
        CallEdge::Client => "",
        CallEdge::Database => "db",
        CallEdge::External => "ex",
        CallEdge::Consumer => "co",
        CallEdge::Cache => "ca",
    }
}

/// The call edge of code `text` (absent: the clients').
fn edge_of(text: Option<&str>) -> Result<CallEdge, String> {
    let text = text.unwrap_or_default();
    [
        CallEdge::Client,
        CallEdge::Database,
        CallEdge::External,
        CallEdge::Consumer,
        CallEdge::Cache,
    ]
    .into_iter()
    .find(|e| edge_code(*e) == text)
    .ok_or_else(|| {
        format!("unknown call edge \u{201c}{text}\u{201d}; the edges are db, ex, co, ca")
    })
}

/// The backoff of code `text`.
fn backoff_of(text: &str) -> Result<BackoffKind, String> {
    [
        BackoffKind::None,
        BackoffKind::Constant,
        BackoffKind::Exponential,
    ]
    .into_iter()
    .find(|b| backoff_code(*b) == text)
    .ok_or_else(|| format!("unknown backoff \u{201c}{text}\u{201d}; the backoffs are n, c, e"))
}

/// The jitter of code `text`.
fn jitter_of(text: &str) -> Result<Jitter, String> {
    [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ]
    .into_iter()
    .find(|j| jitter_code(*j) == text)
    .ok_or_else(|| format!("unknown jitter \u{201c}{text}\u{201d}; the jitters are n, f, e, d"))
}

/// A switch in a link: `1` on, `0` off.
fn switch_of(at: &str, name: &str, text: &str) -> Result<bool, String> {
    match text {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(format!(
            "{at}.{name}: must be 1 (on) or 0 (off), got \u{201c}{other}\u{201d}"
        )),
    }
}

/// The consistency mode named `text` ("eventual").
fn mode_of(text: &str) -> Result<ConsistencyMode, String> {
    [
        ConsistencyMode::Strong,
        ConsistencyMode::Causal,
        ConsistencyMode::Eventual,
    ]
    .into_iter()
    .find(|m| mode_words(*m) == text)
    .ok_or_else(|| format!("unknown consistency mode \u{201c}{text}\u{201d}"))
}

/// The data class named `text` ("cart"); empty is every class.
fn class_of(text: &str) -> Result<Option<DataClass>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    DataClass::ALL
        .into_iter()
        .find(|c| c.as_str() == text)
        .map(Some)
        .ok_or_else(|| format!("unknown data class \u{201c}{text}\u{201d}"))
}

/// One action as `code_arg_arg…`.
pub fn encode(a: &Action) -> String {
    let fields: Vec<String> = match a {
        Action::KillPods { count, zone } => vec!["kp".into(), count.to_string(), opt_name(zone)],
        Action::KillNode { zone } => vec!["kn".into(), opt_name(zone)],
        Action::KillPodId { pod } => vec!["kpi".into(), pod.to_string()],
        Action::KillNodeId { node } => vec!["kni".into(), node.to_string()],
        Action::KillZone { zone } => vec!["kz".into(), escape(zone)],
        Action::RestoreZone { zone } => vec!["rz".into(), escape(zone)],
        Action::KillRegion { region } => vec!["kr".into(), escape(region)],
        Action::RestoreRegion { region } => vec!["rr".into(), escape(region)],
        Action::InjectLatency {
            target,
            ms,
            duration_s,
        } => vec![
            "il".into(),
            latency_code(*target).into(),
            exact(*ms),
            opt_num(*duration_s),
        ],
        Action::CpuStress {
            fraction,
            pods,
            duration_s,
        } => vec![
            "cs".into(),
            exact(*fraction),
            opt_u32(*pods),
            opt_num(*duration_s),
        ],
        Action::MemoryLeak {
            mib_per_s,
            pods,
            duration_s,
        } => vec![
            "ml".into(),
            exact(*mib_per_s),
            opt_u32(*pods),
            opt_num(*duration_s),
        ],
        Action::BadRelease {
            error_rate,
            extra_latency_ms,
            duration_s,
        } => vec![
            "br".into(),
            exact(*error_rate),
            exact(*extra_latency_ms),
            opt_num(*duration_s),
        ],
        Action::Restore { fault } => vec!["re".into(), fault_code(*fault).into()],
        Action::Spike {
            multiplier,
            ramp_up_s,
            hold_s,
            ramp_down_s,
        } => vec![
            "sp".into(),
            exact(*multiplier),
            exact(*ramp_up_s),
            exact(*hold_s),
            exact(*ramp_down_s),
        ],
        Action::SetMinReplicas { replicas } => vec!["mn".into(), replicas.to_string()],
        Action::SetMaxReplicas { replicas } => vec!["mx".into(), replicas.to_string()],
        Action::SetReplicas { replicas } => vec!["sr".into(), replicas.to_string()],
        Action::SetPausePods { count } => vec!["pp".into(), count.to_string()],
        // `cm_cart_eventual`; `cm__strong` for every class.
        Action::SetConsistency { class, mode } => vec![
            "cm".into(),
            class.map(|c| c.as_str().to_string()).unwrap_or_default(),
            mode_words(*mode).into(),
        ],
        // `cr_cart_crdt`; `cr__lww` for every class.
        Action::SetResolution { class, resolution } => vec![
            "cr".into(),
            class.map(|c| c.as_str().to_string()).unwrap_or_default(),
            resolution_code(*resolution).into(),
        ],
        Action::Partition {
            between,
            minority_replicas,
            minority_clients,
            duration_s,
        } => vec![
            "pt".into(),
            scope_code(*between).into(),
            minority_replicas.to_string(),
            exact(*minority_clients),
            opt_num(*duration_s),
        ],
        Action::PacketLoss {
            fraction,
            duration_s,
        } => vec!["pl".into(), exact(*fraction), opt_num(*duration_s)],
        Action::CacheFlush => vec!["cf".into()],
        Action::CacheDown { duration_s } => vec!["cd".into(), opt_num(*duration_s)],
        Action::SetCoalescing { on } => vec!["co".into(), u8::from(*on).to_string()],
        Action::FailPrimary { shard } => vec!["fp".into(), shard.to_string()],
        Action::ReplicaLagSpike {
            ms,
            duration_s,
            shard,
        } => vec![
            "rl".into(),
            exact(*ms),
            exact(*duration_s),
            shard.to_string(),
        ],
        Action::ClockSkew { ms, duration_s } => {
            vec!["ck".into(), exact(*ms), opt_num(*duration_s)]
        }
        Action::DnsFailure { duration_s } => vec!["dn".into(), opt_num(*duration_s)],
        Action::StopConsumers { duration_s } => vec!["sc".into(), opt_num(*duration_s)],
        Action::DiskFull { duration_s } => vec!["df".into(), opt_num(*duration_s)],
        Action::DependencySlow {
            extra_ms,
            tail_factor,
            duration_s,
        } => vec![
            "ds".into(),
            exact(*extra_ms),
            exact(*tail_factor),
            opt_num(*duration_s),
        ],
        Action::DependencyErrors {
            error_rate,
            duration_s,
        } => vec!["de".into(), exact(*error_rate), opt_num(*duration_s)],
        Action::DependencyDown { duration_s } => vec!["dd".into(), opt_num(*duration_s)],
        Action::CdnPurge => vec!["cp".into()],
        Action::AddReplica => vec!["ar".into()],
        Action::ResizeDatabase { workers } => vec!["rd".into(), workers.to_string()],
        Action::SetHotKeyShare { share } => vec!["hk".into(), exact(*share)],
        // `rt_4_e_f_1`: attempts, backoff, jitter, budget on; then the edge unless the
        // clients' (`rt_3_n_n_0_ex`).
        Action::SetClientRetries {
            edge,
            max_attempts,
            backoff,
            jitter,
            budget,
        } => with_edge(
            vec![
                "rt".into(),
                max_attempts.to_string(),
                backoff_code(*backoff).into(),
                jitter_code(*jitter).into(),
                u8::from(*budget).to_string(),
            ],
            *edge,
        ),
        Action::SetClientBreaker { edge, on } => {
            with_edge(vec!["bk".into(), u8::from(*on).to_string()], *edge)
        }
        // `ff_recommendations_0`: the flag's name, then on.
        Action::SetFeatureFlag { name, on } => {
            vec!["ff".into(), escape(name), u8::from(*on).to_string()]
        }
        Action::SetShedding { on } => vec!["sh".into(), u8::from(*on).to_string()],
        Action::Rollout { version } => vec!["ro".into(), escape(version)],
        Action::Canary { version } => vec!["cn".into(), escape(version)],
        Action::BlueGreen { version } => vec!["bg".into(), escape(version)],
        Action::SwitchBack => vec!["sb".into()],
        Action::RestorePrimary { shard } => vec!["rp".into(), shard.to_string()],
        Action::RunExperiment { name } => vec!["xr".into(), escape(name)],
        Action::AbortExperiment => vec!["xa".into()],
    };
    fields.join("_")
}

/// A number typed in a link or a field: Rust's reading of it, finite only
/// (`parse::<f64>` also reads "NaN", "inf" and "infinity").
pub fn finite_number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) => Err(format!(
            "must be a finite number, got {}",
            crate::scenario::ranges::value_words(v)
        )),
        Err(_) if text.trim().is_empty() => Err("is empty: it needs a number".into()),
        Err(_) => Err(format!("\u{201c}{text}\u{201d} is not a number")),
    }
}

/// Reads the fields of one action; errors name the field (`a[0].multiplier`).
struct Fields<'a> {
    /// Where the action is in the link (`a[0]`).
    at: String,
    rest: std::vec::IntoIter<&'a str>,
}

impl<'a> Fields<'a> {
    fn next(&mut self, name: &str) -> Result<&'a str, String> {
        self.rest.next().ok_or_else(|| {
            format!(
                "{}: too few values: it ends before its {name} (was the link cut short?)",
                self.at
            )
        })
    }
    fn f64(&mut self, name: &str) -> Result<f64, String> {
        let t = self.next(name)?;
        finite_number(t).map_err(|e| format!("{}.{name}: {e}", self.at))
    }
    fn opt_f64(&mut self, name: &str) -> Result<Option<f64>, String> {
        let t = self.next(name)?;
        if t.is_empty() {
            return Ok(None);
        }
        finite_number(t)
            .map(Some)
            .map_err(|e| format!("{}.{name}: {e}", self.at))
    }
    fn int<T: std::str::FromStr>(&mut self, name: &str) -> Result<T, String> {
        let t = self.next(name)?;
        t.parse::<T>().map_err(|_| {
            format!(
                "{}.{name}: must be a whole number, got \u{201c}{t}\u{201d}",
                self.at
            )
        })
    }
    fn opt_u32(&mut self, name: &str) -> Result<Option<u32>, String> {
        let t = self.next(name)?;
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u32>().map(Some).map_err(|_| {
            format!(
                "{}.{name}: must be a whole number, got \u{201c}{t}\u{201d}",
                self.at
            )
        })
    }
    fn name(&mut self, name: &str) -> Result<String, String> {
        let t = self.next(name)?;
        if t.is_empty() {
            return Err(format!("{}.{name}: is empty; it needs a name", self.at));
        }
        unescape(t).map_err(|e| format!("{}.{name}: {e}", self.at))
    }
    fn opt_name(&mut self, name: &str) -> Result<Option<String>, String> {
        let t = self.next(name)?;
        if t.is_empty() {
            Ok(None)
        } else {
            unescape(t)
                .map(Some)
                .map_err(|e| format!("{}.{name}: {e}", self.at))
        }
    }
    fn done(mut self) -> Result<(), String> {
        match self.rest.next() {
            None => Ok(()),
            Some(_) => Err(format!("{}: too many values", self.at)),
        }
    }
}

/// `parts` with the code of `edge` last, unless it is the clients' edge.
fn with_edge(mut parts: Vec<String>, edge: CallEdge) -> Vec<String> {
    if !edge.is_client() {
        parts.push(edge_code(edge).into());
    }
    parts
}

/// The action of link code `text` (`rt_4_e_f_1`: a code, then its fields, `_` between);
/// errors start with `at`. A link made before every action had a code holds the action
/// as JSON (`j_%7B…`): it is turned into its code first ([`legacy_json_code`]). The one
/// caller of [`decode`] (the pages read links and scenario actions through it), so the
/// wasm has one copy of the decoder.
pub fn decode_action(at: &str, text: &str) -> Result<Action, String> {
    let legacy;
    let text = match text.strip_prefix("j_") {
        Some(json) => {
            let json = unescape(json).map_err(|e| format!("{at}: {e}"))?;
            legacy = legacy_json_code(at, &json)?;
            legacy.as_str()
        }
        None => text,
    };
    let mut parts = text.split('_');
    let code = parts
        .next()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| format!("{at}: no action in \u{201c}{text}\u{201d}"))?;
    decode(at, code, parts.collect())
}

/// The actions a link could hold as JSON (`j_…`: links made from 2026-11-24 to 11-30,
/// when the data tier's actions had no short code): their `kind`, their code and their
/// fields in code order.
const LEGACY_JSON: &[(&str, &str, &[&str])] = &[
    ("set_consistency", "cm", &["class", "mode"]),
    ("set_resolution", "cr", &["class", "resolution"]),
    (
        "partition",
        "pt",
        &[
            "between",
            "minority_replicas",
            "minority_clients",
            "duration_s",
        ],
    ),
    ("packet_loss", "pl", &["fraction", "duration_s"]),
    ("cache_flush", "cf", &[]),
    ("cache_down", "cd", &["duration_s"]),
    ("set_coalescing", "co", &["on"]),
    ("fail_primary", "fp", &["shard"]),
    ("replica_lag_spike", "rl", &["ms", "duration_s", "shard"]),
    ("clock_skew", "ck", &["ms", "duration_s"]),
    ("dns_failure", "dn", &["duration_s"]),
    ("stop_consumers", "sc", &["duration_s"]),
    ("disk_full", "df", &["duration_s"]),
    (
        "dependency_slow",
        "ds",
        &["extra_ms", "tail_factor", "duration_s"],
    ),
    ("dependency_errors", "de", &["error_rate", "duration_s"]),
    ("dependency_down", "dd", &["duration_s"]),
    ("cdn_purge", "cp", &[]),
    ("add_replica", "ar", &[]),
    ("resize_database", "rd", &["workers"]),
    ("set_hot_key_share", "hk", &["share"]),
];

/// One field of a legacy JSON action as its code part: a number in its shortest form, a
/// switch as 1 or 0, a name as the code spells it (the serde names of modes and classes
/// are their codes; a resolution and a partition scope are shortened), null or absent as
/// empty. The code reader then checks it.
fn legacy_part(key: &str, v: Option<&serde_json::Value>) -> Result<String, String> {
    use serde_json::Value;
    Ok(match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Bool(b)) => u8::from(*b).to_string(),
        Some(Value::Number(n)) => n.as_f64().map(exact).unwrap_or_default(),
        Some(Value::String(text)) => escape(match (key, text.as_str()) {
            ("resolution", "last_writer_wins") => "lww",
            ("resolution", "application_merge") => "merge",
            ("between", "zones") => "z",
            ("between", "regions") => "r",
            (_, other) => other,
        }),
        Some(Value::Array(_) | Value::Object(_)) => return Err(format!("{key} is not a value")),
    })
}

/// The link code of an action a link held as JSON (`{"kind":"cache_flush"}` gives `cf`):
/// its fields in code order, so a link made before every action had a short code still
/// opens and the pages carry no reader of action tables; natively, any action's JSON
/// reads. Errors start with `at`.
pub fn legacy_json_code(at: &str, json: &str) -> Result<String, String> {
    let bad = |e: String| format!("{at}: \u{201c}{json}\u{201d} cannot be read: {e}");
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    let kind = value
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    let Some((_, code, fields)) = LEGACY_JSON.iter().find(|(k, _, _)| *k == kind) else {
        #[cfg(not(target_arch = "wasm32"))]
        return serde_json::from_str::<Action>(json)
            .map(|a| encode(&a))
            .map_err(|e| bad(e.to_string()));
        #[cfg(target_arch = "wasm32")]
        return Err(bad(format!(
            "\u{201c}{kind}\u{201d} is not an action a JSON link held"
        )));
    };
    let mut parts = vec![code.to_string()];
    for key in fields.iter() {
        parts.push(legacy_part(key, value.get(*key)).map_err(bad)?);
    }
    Ok(parts.join("_"))
}

/// Reads one action from its `code` and its fields `rest` (the parts after
/// the code); errors start with `at` (`a[0]`) and name the field.
fn decode(at: &str, code: &str, rest: Vec<&str>) -> Result<Action, String> {
    let mut f = Fields {
        at: at.to_string(),
        rest: rest.into_iter(),
    };
    let action = match code {
        "kp" => Action::KillPods {
            count: f.int("count")?,
            zone: f.opt_name("zone")?,
        },
        "kn" => Action::KillNode {
            zone: f.opt_name("zone")?,
        },
        "kpi" => Action::KillPodId { pod: f.int("pod")? },
        "kni" => Action::KillNodeId { node: f.int("node")? },
        "kz" => Action::KillZone { zone: f.name("zone")? },
        "rz" => Action::RestoreZone { zone: f.name("zone")? },
        "kr" => Action::KillRegion { region: f.name("region")? },
        "rr" => Action::RestoreRegion { region: f.name("region")? },
        "il" => Action::InjectLatency {
            target: match f.next("target")? {
                "s" => LatencyTarget::Service,
                "z" => LatencyTarget::CrossZone,
                "r" => LatencyTarget::CrossRegion,
                other => {
                    return Err(format!(
                        "{at}.target: unknown latency target \u{201c}{other}\u{201d}; the targets are s, z, r"
                    ))
                }
            },
            ms: f.f64("ms")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "cs" => Action::CpuStress {
            fraction: f.f64("fraction")?,
            pods: f.opt_u32("pods")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "ml" => Action::MemoryLeak {
            mib_per_s: f.f64("mib_per_s")?,
            pods: f.opt_u32("pods")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "br" => Action::BadRelease {
            error_rate: f.f64("error_rate")?,
            extra_latency_ms: f.f64("extra_latency_ms")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "re" => Action::Restore {
            fault: fault_of(f.next("fault")?).map_err(|e| format!("{at}.fault: {e}"))?,
        },
        "sp" => Action::Spike {
            multiplier: f.f64("multiplier")?,
            ramp_up_s: f.f64("ramp_up_s")?,
            hold_s: f.f64("hold_s")?,
            ramp_down_s: f.f64("ramp_down_s")?,
        },
        "mn" => Action::SetMinReplicas { replicas: f.int("replicas")? },
        "mx" => Action::SetMaxReplicas { replicas: f.int("replicas")? },
        "sr" => Action::SetReplicas { replicas: f.int("replicas")? },
        "pp" => Action::SetPausePods { count: f.int("count")? },
        "cm" => Action::SetConsistency {
            class: class_of(f.next("class")?).map_err(|e| format!("{at}.class: {e}"))?,
            mode: mode_of(f.next("mode")?).map_err(|e| format!("{at}.mode: {e}"))?,
        },
        "cr" => Action::SetResolution {
            class: class_of(f.next("class")?).map_err(|e| format!("{at}.class: {e}"))?,
            resolution: resolution_of(f.next("resolution")?).map_err(|e| format!("{at}.resolution: {e}"))?,
        },
        "pt" => Action::Partition {
            between: match f.next("between")? {
                "z" => PartitionScope::Zones,
                "r" => PartitionScope::Regions,
                other => {
                    return Err(format!(
                        "{at}.between: unknown partition scope \u{201c}{other}\u{201d}; the scopes are z, r"
                    ))
                }
            },
            minority_replicas: f.int("minority_replicas")?,
            minority_clients: f.f64("minority_clients")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "pl" => Action::PacketLoss {
            fraction: f.f64("fraction")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "cf" => Action::CacheFlush,
        "cd" => Action::CacheDown {
            duration_s: f.opt_f64("duration_s")?,
        },
        "co" => Action::SetCoalescing {
            on: f.int::<u8>("on")? == 1,
        },
        "fp" => Action::FailPrimary { shard: f.int("shard")? },
        "rl" => Action::ReplicaLagSpike {
            ms: f.f64("ms")?,
            duration_s: f.f64("duration_s")?,
            shard: f.int("shard")?,
        },
        "ck" => Action::ClockSkew {
            ms: f.f64("ms")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "dn" => Action::DnsFailure {
            duration_s: f.opt_f64("duration_s")?,
        },
        "sc" => Action::StopConsumers {
            duration_s: f.opt_f64("duration_s")?,
        },
        "df" => Action::DiskFull {
            duration_s: f.opt_f64("duration_s")?,
        },
        "ds" => Action::DependencySlow {
            extra_ms: f.f64("extra_ms")?,
            tail_factor: f.f64("tail_factor")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "de" => Action::DependencyErrors {
            error_rate: f.f64("error_rate")?,
            duration_s: f.opt_f64("duration_s")?,
        },
        "dd" => Action::DependencyDown {
            duration_s: f.opt_f64("duration_s")?,
        },
        "cp" => Action::CdnPurge,
        "ar" => Action::AddReplica,
        "rd" => Action::ResizeDatabase { workers: f.int("workers")? },
        "hk" => Action::SetHotKeyShare { share: f.f64("share")? },
        "rt" => Action::SetClientRetries {
            max_attempts: f.int("max_attempts")?,
            backoff: backoff_of(f.next("backoff")?).map_err(|e| format!("{at}.backoff: {e}"))?,
            jitter: jitter_of(f.next("jitter")?).map_err(|e| format!("{at}.jitter: {e}"))?,
            budget: switch_of(at, "budget", f.next("budget")?)?,
            edge: edge_of(f.rest.next()).map_err(|e| format!("{at}.edge: {e}"))?,
        },
        "bk" => Action::SetClientBreaker {
            on: switch_of(at, "on", f.next("on")?)?,
            edge: edge_of(f.rest.next()).map_err(|e| format!("{at}.edge: {e}"))?,
        },
        "ff" => Action::SetFeatureFlag {
            name: f.name("name")?,
            on: switch_of(at, "on", f.next("on")?)?,
        },
        "sh" => Action::SetShedding {
            on: switch_of(at, "on", f.next("on")?)?,
        },
        "ro" => Action::Rollout {
            version: f.name("version")?,
        },
        "cn" => Action::Canary {
            version: f.name("version")?,
        },
        "bg" => Action::BlueGreen {
            version: f.name("version")?,
        },
        "sb" => Action::SwitchBack,
        "rp" => Action::RestorePrimary { shard: f.int("shard")? },
        "xr" => Action::RunExperiment {
            name: f.name("name")?,
        },
        "xa" => Action::AbortExperiment,
        // Links made before every action had a short code: the action's JSON.
        other => {
            return Err(format!(
                "{at}: unknown action \u{201c}{other}\u{201d} (a link from a newer Scalesim?)"
            ))
        }
    };
    f.done()?;
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_a_json_link_held_reads_through_the_code_reader() {
        let mut seen = 0;
        for a in Action::examples() {
            let json = serde_json::to_string(&a).unwrap();
            let kind = serde_json::from_str::<serde_json::Value>(&json).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string();
            if LEGACY_JSON.iter().any(|(k, _, _)| *k == kind) {
                let code = legacy_json_code("a[0]", &json).unwrap();
                assert_eq!(decode_action("a[0]", &code).unwrap(), a, "{json}");
                let link = format!("j_{}", escape(&json));
                assert_eq!(decode_action("a[0]", &link).unwrap(), a, "{link}");
                seen += 1;
            }
        }
        assert!(seen >= LEGACY_JSON.len(), "{seen} legacy examples");
        let link = format!(
            "j_{}",
            escape(r#"{"kind":"set_consistency","mode":"sometimes"}"#)
        );
        let err = decode_action("a[0]", &link).unwrap_err();
        assert!(err.contains("sometimes"), "{err}");
    }
}
