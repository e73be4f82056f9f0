//! The load curve: a header `t_s,cpu_m,…` with one column per metric (see
//! `scalesim::sim::hpa::load_csv`), or rows `t_s,demand_m` (total CPU demand in millicores from
//! `t_s` until the next row), the same format as `scalesim hpa --load`.

use scalesim::sim::hpa::LoadCurve;

/// Parses a load curve typed in the explorer; errors name the line and the
/// column (`load curve:7: demand_m "abc" …`), exactly as the CLI's do.
pub fn parse_load_csv(text: &str) -> Result<Vec<(f64, i64)>, String> {
    scalesim::sim::hpa::parse_load_csv("load curve", text)
}

/// The CSV text of `steps`, with a header.
pub fn to_csv(steps: &[(f64, i64)]) -> String {
    let mut out = String::from("t_s,demand_m\n");
    for (t, d) in steps {
        out.push_str(&format!("{t},{d}\n"));
    }
    out
}

/// `steps` with demand `demand_m` from `t_s` on: replaces a step at the same
/// time or inserts one in order.
pub fn set_step(steps: &[(f64, i64)], t_s: f64, demand_m: i64) -> Vec<(f64, i64)> {
    let mut out: Vec<(f64, i64)> = steps.iter().copied().filter(|(t, _)| *t != t_s).collect();
    let at = out.partition_point(|(t, _)| *t < t_s);
    out.insert(at, (t_s, demand_m));
    out
}

/// `load` as CSV with the CPU demand `demand_m` [millicores] from `t_s` on (a row at that time
/// is set, or one is inserted with the other columns left empty, so they keep their values);
/// `None` when the load has no CPU column.
pub fn set_cpu_step(load: &LoadCurve, t_s: f64, demand_m: i64) -> Option<String> {
    let col = load.cpu_column()?;
    let mut out = load.clone();
    let at = out.rows.partition_point(|(t, _)| *t < t_s);
    match out.rows.get_mut(at) {
        Some((t, values)) if *t == t_s => values[col] = Some(demand_m as f64),
        Some(_) | None => {
            let mut values = vec![None; out.columns.len()];
            values[col] = Some(demand_m as f64);
            out.rows.insert(at, (t_s, values));
        }
    }
    Some(out.to_csv())
}
