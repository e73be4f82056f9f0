//! Load curves for the HPA replay (`scalesim hpa --load` and the web explorer): one CSV with a
//! time column and one column per metric of the manifest.
//!
//! ```text
//!   t_s,cpu_m,memory_mib,packets-per-second,queue_depth
//!   0,800,900,1200,0          ◀ from t_s until the next row
//!   60,4000,,5000,300         ◀ an empty cell keeps the previous value
//! ```
//!
//! Columns (see [`column_for`]): `cpu_m` (alias `demand_m`), the total CPU demand [millicores];
//! `memory_mib`, the total memory in use [MiB]; a Pods metric's name, its total over the pods;
//! an Object or External metric's name, the metric's value. Totals are shared evenly by the
//! ready pods. Without a header, two columns are `t_s,cpu_m` (the original format).

use super::spec::{HpaSpec, MetricSourceType, MetricSpec};

/// The column of the CPU demand [millicores, total over the pods].
pub const CPU_COLUMN: &str = "cpu_m";
/// The former name of [`CPU_COLUMN`], still read.
pub const CPU_COLUMN_ALIAS: &str = "demand_m";
/// The column of the memory in use [MiB, total over the pods].
pub const MEMORY_COLUMN: &str = "memory_mib";

/// Most data rows a load curve may hold [rows]: a value every 10 s for 115 days, or every
/// 35 s for the 400 days a replay may last. Memory and time stay linear below it.
pub const MAX_LOAD_ROWS: usize = 1_000_000;
/// Most load columns after `t_s` [columns]: one per metric; an HPA has a handful.
pub const MAX_LOAD_COLUMNS: usize = 64;
/// Latest row time [s]: 400 days, the longest replay.
pub const MAX_LOAD_T_S: f64 = 400.0 * 86_400.0;
/// Largest `cpu_m` value [millicores]: a billion cores.
pub const MAX_CPU_M: f64 = 1e12;
/// Largest `memory_mib` value [MiB]: about 1 EiB in bytes stays far below i64's range.
pub const MAX_MEMORY_MIB: f64 = 1e9;
/// Largest value of any other metric column [the metric's units]: 10^12 (milli-units fit i64).
pub const MAX_METRIC_VALUE: f64 = 1e12;

/// The unit a column's values are in, for a message ("millicores", "MiB",
/// or the metric's own per-pod unit).
pub fn column_unit(col: &str) -> &'static str {
    if col == CPU_COLUMN || col == CPU_COLUMN_ALIAS {
        "millicores"
    } else if col == MEMORY_COLUMN {
        "MiB"
    } else {
        "(the metric's unit, per pod)"
    }
}

/// The largest value column `col` accepts.
pub fn max_value(col: &str) -> f64 {
    if col == CPU_COLUMN || col == CPU_COLUMN_ALIAS {
        MAX_CPU_M
    } else if col == MEMORY_COLUMN {
        MAX_MEMORY_MIB
    } else {
        MAX_METRIC_VALUE
    }
}

/// A parsed load curve: named columns of step values over time.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadCurve {
    /// The column names after `t_s`, as written (`cpu_m` when there is no header).
    pub columns: Vec<String>,
    /// Rows: time [s] and one value per column; `None` = empty cell (the previous value holds).
    pub rows: Vec<(f64, Vec<Option<f64>>)>,
}

impl LoadCurve {
    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The index of the CPU demand column (`cpu_m` or `demand_m`).
    pub fn cpu_column(&self) -> Option<usize> {
        self.column(CPU_COLUMN)
            .or_else(|| self.column(CPU_COLUMN_ALIAS))
    }

    /// The steps `(t_s, value)` of column `index`, empty cells filled with the previous value
    /// (0 before the first one).
    pub fn steps(&self, index: usize) -> Vec<(f64, f64)> {
        let mut last = 0.0;
        self.rows
            .iter()
            .map(|(t, values)| {
                if let Some(v) = values.get(index).copied().flatten() {
                    last = v;
                }
                (*t, last)
            })
            .collect()
    }

    /// The CPU demand steps `(t_s, millicores)`; empty when there is no CPU column.
    pub fn cpu_steps(&self) -> Vec<(f64, i64)> {
        self.cpu_column().map_or_else(Vec::new, |i| {
            self.steps(i)
                .into_iter()
                .map(|(t, v)| (t, v as i64))
                .collect()
        })
    }

    /// The time of the last row [s].
    pub fn last_t(&self) -> f64 {
        self.rows.last().map_or(0.0, |r| r.0)
    }

    /// The CSV text, with a header; `None` cells left empty.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("t_s");
        for c in &self.columns {
            out.push(',');
            out.push_str(c);
        }
        out.push('\n');
        for (t, values) in &self.rows {
            out.push_str(&t.to_string());
            for v in values {
                out.push(',');
                if let Some(v) = v {
                    out.push_str(&v.to_string());
                }
            }
            out.push('\n');
        }
        out
    }
}

/// The column that drives metric `m`: `cpu_m`, `memory_mib`, or the metric's name (Pods,
/// Object, External). `None` for metrics that cannot be driven (ContainerResource, other
/// resources; validation refuses those).
pub fn column_for(m: &MetricSpec) -> Option<String> {
    match m.source_type {
        MetricSourceType::Resource => match m.resource.as_ref()?.name.as_str() {
            "cpu" => Some(CPU_COLUMN.into()),
            "memory" => Some(MEMORY_COLUMN.into()),
            _ => None,
        },
        MetricSourceType::Pods => Some(m.pods.as_ref()?.metric.name.clone()),
        MetricSourceType::Object => Some(m.object.as_ref()?.metric.name.clone()),
        MetricSourceType::External => Some(m.external.as_ref()?.metric.name.clone()),
        MetricSourceType::ContainerResource => None,
    }
}

/// The metric's name as the user knows it: `cpu`, `memory`, or the custom metric's name.
pub fn metric_name(m: &MetricSpec) -> String {
    match m.source_type {
        MetricSourceType::Resource => m.resource.as_ref().map(|r| r.name.clone()),
        MetricSourceType::Pods => m.pods.as_ref().map(|p| p.metric.name.clone()),
        MetricSourceType::Object => m.object.as_ref().map(|o| o.metric.name.clone()),
        MetricSourceType::External => m.external.as_ref().map(|e| e.metric.name.clone()),
        MetricSourceType::ContainerResource => None,
    }
    .unwrap_or_else(|| format!("{:?}", m.source_type))
}

/// Checks that `load` has a column for every metric of `spec`. The error names the metric, the
/// column it needs and the columns found; `file` prefixes it.
pub fn check_columns(file: &str, spec: &HpaSpec, load: &LoadCurve) -> Result<(), String> {
    for (i, m) in spec.metrics.iter().enumerate() {
        let name = metric_name(m);
        let Some(col) = column_for(m) else {
            return Err(format!(
                "spec.metrics[{i}]: metric \"{name}\" cannot be driven by a load column"
            ));
        };
        let found = if col == CPU_COLUMN {
            load.cpu_column().is_some()
        } else {
            load.column(&col).is_some()
        };
        if !found {
            return Err(format!(
                "{file}:1: no column `{col}` for metric \"{name}\" (spec.metrics[{i}], {:?}); columns found: t_s, {}",
                m.source_type,
                load.columns.join(", ")
            ));
        }
    }
    Ok(())
}

/// The columns of `load` that no metric of `spec` reads.
pub fn unused_columns(spec: &HpaSpec, load: &LoadCurve) -> Vec<String> {
    let used: Vec<String> = spec.metrics.iter().filter_map(column_for).collect();
    load.columns
        .iter()
        .filter(|c| {
            let c = if c.as_str() == CPU_COLUMN_ALIAS {
                CPU_COLUMN
            } else {
                c.as_str()
            };
            !used.iter().any(|u| u == c)
        })
        .cloned()
        .collect()
}

/// One CSV field without surrounding spaces and double quotes.
fn field(f: &str) -> &str {
    let f = f.trim();
    f.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(f)
}

/// Parses a load curve. `name` prefixes every error, with the line and the column:
/// `load.csv:4: cpu_m "abc" is not a number`. Blank lines and `#` comments are skipped; a UTF-8
/// byte-order mark and CRLF line ends are accepted. Values: numbers ≥ 0 (whole millicores for
/// `cpu_m`), or empty (the previous value holds); times strictly increasing. Bounds: at most
/// [`MAX_LOAD_ROWS`] rows, [`MAX_LOAD_COLUMNS`] columns, `t_s` ≤ [`MAX_LOAD_T_S`], values ≤
/// [`max_value`]; each refusal names the line, the column and the accepted range. Linear in the
/// text's length.
pub fn parse_load(name: &str, text: &str) -> Result<LoadCurve, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut columns: Option<Vec<String>> = None;
    let mut rows: Vec<(f64, Vec<Option<f64>>)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(field).collect();
        let cols = match &columns {
            Some(c) => c,
            None => {
                if fields[0].parse::<f64>().is_err() {
                    // The header.
                    if fields[0] != "t_s" {
                        return Err(format!(
                            "{name}:{line_no}: the first column must be `t_s` (seconds), found `{}`",
                            fields[0]
                        ));
                    }
                    let names: Vec<String> = fields[1..].iter().map(|f| f.to_string()).collect();
                    if names.len() > MAX_LOAD_COLUMNS {
                        return Err(format!(
                            "{name}:{line_no}: {} load columns; at most {MAX_LOAD_COLUMNS} (one per metric)",
                            names.len()
                        ));
                    }
                    if names.is_empty() {
                        return Err(format!(
                            "{name}:{line_no}: no load column after t_s; expected e.g. `t_s,cpu_m`"
                        ));
                    }
                    for (j, n) in names.iter().enumerate() {
                        if n.is_empty() {
                            return Err(format!("{name}:{line_no}: column {} has no name", j + 2));
                        }
                        if names[..j].contains(n) {
                            return Err(format!("{name}:{line_no}: column `{n}` appears twice"));
                        }
                    }
                    columns = Some(names);
                    continue;
                }
                if fields.len() != 2 {
                    return Err(format!(
                        "{name}:{line_no}: without a header the rows are `t_s,cpu_m`; found {} columns (add a header such as t_s,cpu_m,memory_mib)",
                        fields.len()
                    ));
                }
                columns.insert(vec![CPU_COLUMN.to_string()])
            }
        };
        if fields.len() != cols.len() + 1 {
            return Err(format!(
                "{name}:{line_no}: expected {} columns (t_s,{}), found {}",
                cols.len() + 1,
                cols.join(","),
                fields.len()
            ));
        }
        let t: f64 = fields[0]
            .parse()
            .map_err(|_| format!("{name}:{line_no}: t_s {:?} is not a number", fields[0]))?;
        if !(t.is_finite() && (0.0..=MAX_LOAD_T_S).contains(&t)) {
            return Err(format!(
                "{name}:{line_no}: t_s {:?} must be a number of seconds from 0 to {MAX_LOAD_T_S} (400 days)",
                fields[0]
            ));
        }
        if rows.len() == MAX_LOAD_ROWS {
            return Err(format!(
                "{name}:{line_no}: more than {MAX_LOAD_ROWS} rows; a load curve holds at most {MAX_LOAD_ROWS} (e.g. one every 10 s for 115 days)"
            ));
        }
        if let Some(&(prev, _)) = rows.last() {
            if t <= prev {
                return Err(format!(
                    "{name}:{line_no}: t_s {t} must be after the previous row's {prev}"
                ));
            }
        }
        let mut values = Vec::with_capacity(cols.len());
        for (col, text) in cols.iter().zip(&fields[1..]) {
            if text.is_empty() {
                values.push(None);
                continue;
            }
            let cpu = col == CPU_COLUMN || col == CPU_COLUMN_ALIAS;
            let v: f64 = text
                .parse()
                .map_err(|_| format!("{name}:{line_no}: {col} {text:?} is not a number"))?;
            let max = max_value(col);
            if !(v.is_finite() && (0.0..=max).contains(&v)) {
                return Err(format!(
                    "{name}:{line_no}: {col} {text:?} must be a number from 0 to {max:e} {}",
                    column_unit(col)
                ));
            }
            if cpu && v.fract() != 0.0 {
                return Err(format!(
                    "{name}:{line_no}: {col} {text:?} must be a whole number of millicores"
                ));
            }
            values.push(Some(v));
        }
        rows.push((t, values));
    }
    if rows.is_empty() {
        return Err(format!(
            "{name}: no rows; expected lines `t_s,cpu_m` (or a header naming one column per metric)"
        ));
    }
    Ok(LoadCurve {
        columns: columns.unwrap_or_default(),
        rows,
    })
}

/// Parses a CPU-only load curve: rows `t_s,demand_m` (the CPU column of [`parse_load`]).
pub fn parse_load_csv(name: &str, text: &str) -> Result<Vec<(f64, i64)>, String> {
    let load = parse_load(name, text)?;
    if load.cpu_column().is_none() {
        return Err(format!(
            "{name}:1: no `{CPU_COLUMN}` column; columns found: t_s, {}",
            load.columns.join(", ")
        ));
    }
    Ok(load.cpu_steps())
}
