//! The load curve: rows `t_s,demand_m` (total CPU demand in millicores from
//! `t_s` until the next row), the same format as `scalesim hpa --load`.

/// Parses a load curve; errors name the line and the column.
pub fn parse_load_csv(text: &str) -> Result<Vec<(f64, i64)>, String> {
    let mut steps: Vec<(f64, i64)> = Vec::new();
    let mut seen_row = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 2 {
            return Err(format!(
                "load curve line {n}: expected 2 columns `t_s,demand_m`, found {}",
                fields.len()
            ));
        }
        let first = !seen_row;
        seen_row = true;
        let t = match fields[0].parse::<f64>() {
            Ok(t) => t,
            Err(_) if first && fields[1].parse::<f64>().is_err() => continue, // header
            Err(_) => {
                return Err(format!(
                    "load curve line {n}: t_s {:?} is not a number",
                    fields[0]
                ))
            }
        };
        if !t.is_finite() || t < 0.0 {
            return Err(format!(
                "load curve line {n}: t_s must be a finite number of seconds ≥ 0"
            ));
        }
        let d = fields[1].parse::<i64>().map_err(|_| {
            format!(
                "load curve line {n}: demand_m {:?} must be a whole number of millicores",
                fields[1]
            )
        })?;
        if d < 0 {
            return Err(format!(
                "load curve line {n}: demand_m must not be negative"
            ));
        }
        if let Some(&(prev, _)) = steps.last() {
            if t <= prev {
                return Err(format!(
                    "load curve line {n}: t_s {t} must be after the previous row's {prev}"
                ));
            }
        }
        steps.push((t, d));
    }
    if steps.is_empty() {
        return Err("load curve: no rows; expected lines `t_s,demand_m`".into());
    }
    Ok(steps)
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
