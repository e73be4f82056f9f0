//! The data of the "response time against utilization" chart, computed by the
//! engine's M/M/1 model ([`scalesim::sim::queueing`]).

use scalesim::sim::queueing::{mm1, mm1_response_quantile_s};

/// One point of the curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// Utilization ρ [%].
    pub utilization_pct: f64,
    /// Mean response time [ms].
    pub mean_ms: f64,
    /// 99th-percentile response time [ms].
    pub p99_ms: f64,
}

/// The curve plus the figures its caption quotes.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueingCurve {
    /// Service time of one request [ms].
    pub service_ms: f64,
    pub points: Vec<CurvePoint>,
    /// Mean wait at 80 % utilization, in service times.
    pub wait_at_80_in_service_times: f64,
    /// Mean wait at 90 % utilization, in service times.
    pub wait_at_90_in_service_times: f64,
}

/// Samples the M/M/1 curve for a server with `service_ms` per request, from
/// 0 % to `max_pct` utilization in `steps` steps.
pub fn queueing_curve(service_ms: f64, max_pct: f64, steps: usize) -> QueueingCurve {
    let mu = 1000.0 / service_ms;
    let points = (0..=steps)
        .filter_map(|i| {
            let pct = max_pct * i as f64 / steps as f64;
            let lambda = mu * pct / 100.0;
            let q = mm1(lambda, mu)?;
            let p99 = mm1_response_quantile_s(lambda, mu, 0.99)?;
            Some(CurvePoint {
                utilization_pct: pct,
                mean_ms: q.mean_response_s * 1e3,
                p99_ms: p99 * 1e3,
            })
        })
        .collect();
    let wait_in_service_times =
        |rho: f64| mm1(rho * mu, mu).map_or(f64::INFINITY, |q| q.mean_wait_s * mu);
    QueueingCurve {
        service_ms,
        points,
        wait_at_80_in_service_times: wait_in_service_times(0.8),
        wait_at_90_in_service_times: wait_in_service_times(0.9),
    }
}
