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

use crate::run::{knob, RunSpec, TimedAction};
use crate::shell::EmbedParts;
use scalesim::sim::actions::{mode_words, Action, FaultKind, LatencyTarget, PartitionScope};
use scalesim::sim::consistency::{ConflictResolution, ConsistencyMode, DataClass};

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

fn escape(text: &str) -> String {
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

fn unescape(text: &str) -> Result<String, String> {
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

fn num(x: f64) -> String {
    format!("{x}")
}

fn opt_num(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
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
    [
        FaultKind::Latency,
        FaultKind::CpuStress,
        FaultKind::MemoryLeak,
        FaultKind::BadRelease,
        FaultKind::All,
        FaultKind::Partition,
        FaultKind::PacketLoss,
        FaultKind::CacheDown,
        FaultKind::ReplicaLag,
        FaultKind::ClockSkew,
        FaultKind::DnsFailure,
        FaultKind::ConsumersStopped,
        FaultKind::DiskFull,
        FaultKind::Dependency,
    ]
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
fn encode_action(a: &Action) -> String {
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
            num(*ms),
            opt_num(*duration_s),
        ],
        Action::CpuStress {
            fraction,
            pods,
            duration_s,
        } => vec![
            "cs".into(),
            num(*fraction),
            opt_u32(*pods),
            opt_num(*duration_s),
        ],
        Action::MemoryLeak {
            mib_per_s,
            pods,
            duration_s,
        } => vec![
            "ml".into(),
            num(*mib_per_s),
            opt_u32(*pods),
            opt_num(*duration_s),
        ],
        Action::BadRelease {
            error_rate,
            extra_latency_ms,
            duration_s,
        } => vec![
            "br".into(),
            num(*error_rate),
            num(*extra_latency_ms),
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
            num(*multiplier),
            num(*ramp_up_s),
            num(*hold_s),
            num(*ramp_down_s),
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
            num(*minority_clients),
            opt_num(*duration_s),
        ],
        Action::PacketLoss {
            fraction,
            duration_s,
        } => vec!["pl".into(), num(*fraction), opt_num(*duration_s)],
        Action::CacheFlush => vec!["cf".into()],
        Action::CacheDown { duration_s } => vec!["cd".into(), opt_num(*duration_s)],
        Action::SetCoalescing { on } => vec!["co".into(), u8::from(*on).to_string()],
        Action::FailPrimary { shard } => vec!["fp".into(), shard.to_string()],
        Action::ReplicaLagSpike {
            ms,
            duration_s,
            shard,
        } => vec!["rl".into(), num(*ms), num(*duration_s), shard.to_string()],
        Action::ClockSkew { ms, duration_s } => {
            vec!["ck".into(), num(*ms), opt_num(*duration_s)]
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
            num(*extra_ms),
            num(*tail_factor),
            opt_num(*duration_s),
        ],
        Action::DependencyErrors {
            error_rate,
            duration_s,
        } => vec!["de".into(), num(*error_rate), opt_num(*duration_s)],
        Action::DependencyDown { duration_s } => vec!["dd".into(), opt_num(*duration_s)],
        Action::CdnPurge => vec!["cp".into()],
        Action::AddReplica => vec!["ar".into()],
        Action::ResizeDatabase { workers } => vec!["rd".into(), workers.to_string()],
        Action::SetHotKeyShare { share } => vec!["hk".into(), num(*share)],
    };
    fields.join("_")
}

/// Reads the fields of one action.
struct Fields<'a> {
    code: &'a str,
    rest: std::vec::IntoIter<&'a str>,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Result<&'a str, String> {
        self.rest
            .next()
            .ok_or_else(|| format!("action \u{201c}{}\u{201d} has too few values", self.code))
    }
    fn f64(&mut self) -> Result<f64, String> {
        let t = self.next()?;
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                format!(
                    "action \u{201c}{}\u{201d}: \u{201c}{t}\u{201d} is not a number",
                    self.code
                )
            })
    }
    fn opt_f64(&mut self) -> Result<Option<f64>, String> {
        let t = self.next()?;
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Some)
            .ok_or_else(|| {
                format!(
                    "action \u{201c}{}\u{201d}: \u{201c}{t}\u{201d} is not a number",
                    self.code
                )
            })
    }
    fn int<T: std::str::FromStr>(&mut self) -> Result<T, String> {
        let t = self.next()?;
        t.parse::<T>().map_err(|_| {
            format!(
                "action \u{201c}{}\u{201d}: \u{201c}{t}\u{201d} is not a whole number",
                self.code
            )
        })
    }
    fn opt_u32(&mut self) -> Result<Option<u32>, String> {
        let t = self.next()?;
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u32>().map(Some).map_err(|_| {
            format!(
                "action \u{201c}{}\u{201d}: \u{201c}{t}\u{201d} is not a whole number",
                self.code
            )
        })
    }
    fn name(&mut self) -> Result<String, String> {
        let t = self.next()?;
        if t.is_empty() {
            return Err(format!("action \u{201c}{}\u{201d} needs a name", self.code));
        }
        unescape(t)
    }
    fn opt_name(&mut self) -> Result<Option<String>, String> {
        let t = self.next()?;
        if t.is_empty() {
            Ok(None)
        } else {
            unescape(t).map(Some)
        }
    }
    fn done(mut self) -> Result<(), String> {
        match self.rest.next() {
            None => Ok(()),
            Some(_) => Err(format!(
                "action \u{201c}{}\u{201d} has too many values",
                self.code
            )),
        }
    }
}

fn decode_action(text: &str) -> Result<TimedAction, String> {
    let mut parts = text.split('_');
    let t_text = parts.next().unwrap_or_default();
    let at_s = t_text
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t >= 0.0)
        .ok_or_else(|| {
            format!("action time \u{201c}{t_text}\u{201d} is not a number of seconds")
        })?;
    let code = parts
        .next()
        .ok_or_else(|| format!("action \u{201c}{text}\u{201d} has no kind"))?;
    let mut f = Fields {
        code,
        rest: parts.collect::<Vec<_>>().into_iter(),
    };
    let action = match code {
        "kp" => Action::KillPods {
            count: f.int()?,
            zone: f.opt_name()?,
        },
        "kn" => Action::KillNode {
            zone: f.opt_name()?,
        },
        "kpi" => Action::KillPodId { pod: f.int()? },
        "kni" => Action::KillNodeId { node: f.int()? },
        "kz" => Action::KillZone { zone: f.name()? },
        "rz" => Action::RestoreZone { zone: f.name()? },
        "kr" => Action::KillRegion { region: f.name()? },
        "rr" => Action::RestoreRegion { region: f.name()? },
        "il" => Action::InjectLatency {
            target: match f.next()? {
                "s" => LatencyTarget::Service,
                "z" => LatencyTarget::CrossZone,
                "r" => LatencyTarget::CrossRegion,
                other => return Err(format!("unknown latency target \u{201c}{other}\u{201d}")),
            },
            ms: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "cs" => Action::CpuStress {
            fraction: f.f64()?,
            pods: f.opt_u32()?,
            duration_s: f.opt_f64()?,
        },
        "ml" => Action::MemoryLeak {
            mib_per_s: f.f64()?,
            pods: f.opt_u32()?,
            duration_s: f.opt_f64()?,
        },
        "br" => Action::BadRelease {
            error_rate: f.f64()?,
            extra_latency_ms: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "re" => Action::Restore {
            fault: fault_of(f.next()?)?,
        },
        "sp" => Action::Spike {
            multiplier: f.f64()?,
            ramp_up_s: f.f64()?,
            hold_s: f.f64()?,
            ramp_down_s: f.f64()?,
        },
        "mn" => Action::SetMinReplicas { replicas: f.int()? },
        "mx" => Action::SetMaxReplicas { replicas: f.int()? },
        "sr" => Action::SetReplicas { replicas: f.int()? },
        "pp" => Action::SetPausePods { count: f.int()? },
        "cm" => Action::SetConsistency {
            class: class_of(f.next()?)?,
            mode: mode_of(f.next()?)?,
        },
        "cr" => Action::SetResolution {
            class: class_of(f.next()?)?,
            resolution: resolution_of(f.next()?)?,
        },
        "pt" => Action::Partition {
            between: match f.next()? {
                "z" => PartitionScope::Zones,
                "r" => PartitionScope::Regions,
                other => return Err(format!("unknown partition scope \u{201c}{other}\u{201d}")),
            },
            minority_replicas: f.int()?,
            minority_clients: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "pl" => Action::PacketLoss {
            fraction: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "cf" => Action::CacheFlush,
        "cd" => Action::CacheDown {
            duration_s: f.opt_f64()?,
        },
        "co" => Action::SetCoalescing {
            on: f.int::<u8>()? == 1,
        },
        "fp" => Action::FailPrimary { shard: f.int()? },
        "rl" => Action::ReplicaLagSpike {
            ms: f.f64()?,
            duration_s: f.f64()?,
            shard: f.int()?,
        },
        "ck" => Action::ClockSkew {
            ms: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "dn" => Action::DnsFailure {
            duration_s: f.opt_f64()?,
        },
        "sc" => Action::StopConsumers {
            duration_s: f.opt_f64()?,
        },
        "df" => Action::DiskFull {
            duration_s: f.opt_f64()?,
        },
        "ds" => Action::DependencySlow {
            extra_ms: f.f64()?,
            tail_factor: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "de" => Action::DependencyErrors {
            error_rate: f.f64()?,
            duration_s: f.opt_f64()?,
        },
        "dd" => Action::DependencyDown {
            duration_s: f.opt_f64()?,
        },
        "cp" => Action::CdnPurge,
        "ar" => Action::AddReplica,
        "rd" => Action::ResizeDatabase { workers: f.int()? },
        "hk" => Action::SetHotKeyShare { share: f.f64()? },
        // Links made before every action had a short code: the action's JSON.
        "j" => {
            let json = unescape(f.next()?)?;
            serde_json::from_str::<Action>(&json)
                .map_err(|e| format!("action \u{201c}{json}\u{201d} cannot be read: {e}"))?
        }
        other => return Err(format!("unknown action \u{201c}{other}\u{201d}")),
    };
    f.done()?;
    Ok(TimedAction { at_s, action })
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
                .map(|(k, v)| format!("{}:{}", escape(k), num(*v)))
                .collect();
            parts.push(format!("k={}", k.join(",")));
        }
        if !run.actions.is_empty() {
            let a: Vec<String> = run
                .actions
                .iter()
                .map(|a| format!("{}_{}", num(a.at_s), encode_action(&a.action)))
                .collect();
            parts.push(format!("a={}", a.join("~")));
        }
        if run.at_s > 0.0 {
            parts.push(format!("t={}", num(run.at_s)));
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

/// Reads a query string (with or without `?`). An empty query is a valid
/// state with no run; anything malformed is an error in plain words.
pub fn decode_query(query: &str) -> Result<UrlState, String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut scenario = None;
    let mut seed = None;
    let mut knobs = BTreeMap::new();
    let mut actions = Vec::new();
    let mut at_s = 0.0;
    let mut embed = false;
    let mut show = None;
    let mut view = View::Playground;
    let mut drill = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "s" => scenario = Some(unescape(value)?),
            "seed" => {
                seed = Some(value.parse::<u64>().map_err(|_| {
                    format!("the seed \u{201c}{value}\u{201d} is not a whole number")
                })?)
            }
            "k" => {
                for kv in value.split(',').filter(|p| !p.is_empty()) {
                    let (k, v) = kv
                        .split_once(':')
                        .ok_or_else(|| format!("knob \u{201c}{kv}\u{201d} has no value"))?;
                    let k = unescape(k)?;
                    if knob(&k).is_none() {
                        return Err(format!("there is no knob called \u{201c}{k}\u{201d}"));
                    }
                    let v = v
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| {
                            format!("knob \u{201c}{k}\u{201d}: \u{201c}{v}\u{201d} is not a number")
                        })?;
                    knobs.insert(k, v);
                }
            }
            "a" => {
                for a in value.split('~').filter(|p| !p.is_empty()) {
                    actions.push(decode_action(a)?);
                }
            }
            "t" => {
                at_s = value
                    .parse::<f64>()
                    .ok()
                    .filter(|t| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| {
                        format!("the time \u{201c}{value}\u{201d} is not a number of seconds")
                    })?
            }
            "drill" => drill = Some(unescape(value)?),
            "embed" => embed = value == "1" || value == "true",
            // The embed's parts; naming them asks for the embed.
            "show" => show = Some(EmbedParts::parse(&unescape(value)?)?),
            "view" => {
                view = match value {
                    "hpa" => View::HpaExplorer,
                    "" | "play" => View::Playground,
                    other => {
                        return Err(format!("there is no view called \u{201c}{other}\u{201d}"))
                    }
                }
            }
            other => {
                return Err(format!(
                    "the link has an unknown part \u{201c}{other}\u{201d}"
                ))
            }
        }
    }
    let has_run_parts = seed.is_some() || !knobs.is_empty() || !actions.is_empty() || at_s > 0.0;
    let run = match scenario {
        Some(scenario) => {
            // A hand-written link may leave the seed out: the scenario's own seed runs.
            let own_seed = scalesim::scenario::built_in_seed(&scenario).ok_or_else(|| {
                format!(
                    "there is no scenario called \u{201c}{scenario}\u{201d}; the scenarios are {}",
                    scalesim::scenario::built_in_names()
                )
            })?;
            Some(RunSpec {
                scenario,
                seed: seed.unwrap_or(own_seed),
                knobs,
                actions,
                at_s,
                injected: Vec::new(),
            })
        }
        None if has_run_parts => return Err("the link has run settings but no scenario".into()),
        None => None,
    };
    if drill.is_some() && run.is_none() {
        return Err("the link names a drill but no scenario".into());
    }
    Ok(UrlState {
        run,
        embed: embed || show.is_some(),
        show: show.unwrap_or_default(),
        view,
        drill,
    })
}
