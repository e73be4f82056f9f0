//! State lanes: a state series (a circuit breaker's 0 closed, 0.5 half-open, 1 open)
//! drawn as a band under a chart instead of a line, as a state timeline. The page's
//! live charts and the CLI's SVG figures draw the same runs.
//!
//! ```text
//!   t:  10  20  30  40  50        point i covers (t[i−1], t[i]] (the first from 0)
//!   v:   0   1   1  .5   0   ──▶  runs: (10, 30, 1.0), (30, 40, 0.5)
//! ```

/// A run of one state: from, to [s] and its level (0..1; a thinned point's mean
/// shades between half-open and open).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateRun {
    /// Start [s].
    pub from_s: f64,
    /// End [s].
    pub to_s: f64,
    /// Level: 0.5 half-open, 1 open, a mean between.
    pub level: f64,
}

/// Levels below this are closed (no band) [0..1].
const CLOSED: f64 = 1e-6;

/// The runs of `values` over times `t_s` (the end of each point) where the level is
/// above closed, neighbours at the same level merged. Points whose time or value is
/// not finite are left out.
pub fn state_runs(t_s: &[f64], values: &[f64]) -> Vec<StateRun> {
    let mut out: Vec<StateRun> = Vec::new();
    let mut from = 0.0;
    for (t, v) in t_s.iter().copied().zip(values.iter().copied()) {
        if !t.is_finite() {
            continue;
        }
        let level = if v.is_finite() {
            v.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if level > CLOSED {
            match out.last_mut() {
                Some(r) if r.to_s == from && (r.level - level).abs() < 1e-9 => r.to_s = t,
                _ => out.push(StateRun {
                    from_s: from,
                    to_s: t,
                    level,
                }),
            }
        }
        from = t;
    }
    out
}

/// The opacity a run is filled with: pale half-open, near solid open [0..1].
pub fn fill_opacity(level: f64) -> f64 {
    0.15 + 0.75 * level.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_equal_neighbours_and_skip_closed_points() {
        let t = [10.0, 20.0, 30.0, 40.0, 50.0];
        let v = [0.0, 1.0, 1.0, 0.5, 0.0];
        assert_eq!(
            state_runs(&t, &v),
            vec![
                StateRun {
                    from_s: 10.0,
                    to_s: 30.0,
                    level: 1.0
                },
                StateRun {
                    from_s: 30.0,
                    to_s: 40.0,
                    level: 0.5
                },
            ]
        );
        assert_eq!(state_runs(&t, &[0.0; 5]), vec![]);
        // The first point covers the time from 0; bad values count as closed.
        let runs = state_runs(&[5.0, f64::NAN, 15.0], &[1.0, 1.0, f64::INFINITY]);
        assert_eq!(
            runs,
            vec![StateRun {
                from_s: 0.0,
                to_s: 5.0,
                level: 1.0
            }]
        );
        assert!(fill_opacity(0.5) < fill_opacity(1.0));
    }
}
