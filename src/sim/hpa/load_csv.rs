//! Load curves for the HPA explorer (`scalesim hpa --load` and the web view):
//! rows `t_s,demand_m`, the total CPU demand [millicores] from `t_s` [s] until
//! the next row.

/// Parses LOAD.csv: rows `t_s,demand_m`, an optional header, blank lines and `#` comments.
pub fn parse_load_csv(name: &str, text: &str) -> Result<Vec<(f64, i64)>, String> {
    let mut steps: Vec<(f64, i64)> = Vec::new();
    let mut seen_row = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 2 {
            return Err(format!(
                "{name}:{line_no}: expected 2 columns `t_s,demand_m`, found {}",
                fields.len()
            ));
        }
        let first_row = !seen_row;
        seen_row = true;
        let t: f64 = match fields[0].parse::<f64>() {
            Ok(t) => t,
            Err(_)
                if first_row
                    && fields[0].parse::<f64>().is_err()
                    && fields[1].parse::<f64>().is_err() =>
            {
                continue; // header
            }
            Err(_) => {
                return Err(format!(
                    "{name}:{line_no}: t_s {:?} is not a number",
                    fields[0]
                ));
            }
        };
        if !t.is_finite() || t < 0.0 {
            return Err(format!(
                "{name}:{line_no}: t_s {:?} must be a finite number of seconds ≥ 0",
                fields[0]
            ));
        }
        let demand: i64 = match fields[1].parse::<i64>() {
            Ok(d) => d,
            Err(_) if fields[1].parse::<f64>().is_ok() => {
                return Err(format!(
                    "{name}:{line_no}: demand_m {:?} must be a whole number of millicores",
                    fields[1]
                ));
            }
            Err(_) => {
                return Err(format!(
                    "{name}:{line_no}: demand_m {:?} is not a number",
                    fields[1]
                ));
            }
        };
        if demand < 0 {
            return Err(format!(
                "{name}:{line_no}: demand_m {demand} must not be negative"
            ));
        }
        if let Some(&(prev, _)) = steps.last() {
            if t <= prev {
                return Err(format!(
                    "{name}:{line_no}: t_s {t} must be after the previous row's {prev}"
                ));
            }
        }
        steps.push((t, demand));
    }
    if steps.is_empty() {
        return Err(format!("{name}: no rows; expected lines `t_s,demand_m`"));
    }
    Ok(steps)
}
