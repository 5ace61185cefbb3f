//! Figures recomputed from a run's samples: elapsed and moving time, distance, climb, heart rate
//! and temperature. The device's own totals, when a file has them, are kept apart.

use runsore_model::{RunSummary, Sample};

/// Altitude changes smaller than this are treated as noise when summing ascent and descent.
/// GPS altitude wanders by several metres; a dead band of 3 m removes most of that while a real
/// climb is still counted (in steps of at least 3 m).
pub const CLIMB_THRESHOLD_M: f64 = 3.0;

/// Below this speed a sample interval counts as standing still.
pub const MOVING_SPEED_MPS: f64 = 0.5;

/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance between two points in degrees, metres.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Recomputes the summary of a run from its samples (in recorded order).
pub fn summarize(samples: &[Sample]) -> RunSummary {
    let mut s = RunSummary::default();
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return s;
    };
    s.start_utc = Some(first.t.floor() as i64);
    s.elapsed_s = Some((last.t - first.t).max(0.0));

    // Distance along the run: the device's cumulative distance when it has one, else the path.
    let dists: Vec<(usize, f64)> = samples
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.dist_m.map(|d| (i, d)))
        .collect();
    let has_pos = samples.iter().any(|x| x.lat.is_some());
    // Per-sample cumulative distance used for moving time.
    let mut along: Vec<Option<f64>> = vec![None; samples.len()];
    if let (Some(&(_, d0)), Some(&(_, d1))) = (dists.first(), dists.last()) {
        s.distance_m = Some((d1 - d0).max(0.0));
        for &(i, d) in &dists {
            along[i] = Some(d);
        }
    } else if has_pos {
        let mut total = 0.0;
        let mut prev: Option<(f64, f64)> = None;
        for (i, x) in samples.iter().enumerate() {
            if let (Some(lat), Some(lon)) = (x.lat, x.lon) {
                if let Some((plat, plon)) = prev {
                    total += haversine_m(plat, plon, lat, lon);
                }
                prev = Some((lat, lon));
                along[i] = Some(total);
            }
        }
        s.distance_m = Some(total);
    }

    // Moving time: intervals covered at walking pace or faster, judged by distance progress or,
    // failing that, the recorded speed.
    let has_speed = samples.iter().any(|x| x.speed_mps.is_some());
    if s.distance_m.is_some() || has_speed {
        let mut moving = 0.0;
        for i in 1..samples.len() {
            let dt = samples[i].t - samples[i - 1].t;
            if dt <= 0.0 {
                continue;
            }
            let v = match (along[i - 1], along[i]) {
                (Some(a), Some(b)) => Some((b - a) / dt),
                _ => samples[i].speed_mps,
            };
            if v.is_some_and(|v| v >= MOVING_SPEED_MPS) {
                moving += dt;
            }
        }
        s.moving_s = Some(moving);
    }

    let mut ref_alt: Option<f64> = None;
    let (mut up, mut down) = (0.0, 0.0);
    for a in samples.iter().filter_map(|x| x.alt_m) {
        match ref_alt {
            None => ref_alt = Some(a),
            Some(r) if a - r >= CLIMB_THRESHOLD_M => {
                up += a - r;
                ref_alt = Some(a);
            }
            Some(r) if r - a >= CLIMB_THRESHOLD_M => {
                down += r - a;
                ref_alt = Some(a);
            }
            _ => {}
        }
    }
    if ref_alt.is_some() {
        s.ascent_m = Some(up);
        s.descent_m = Some(down);
    }

    // Plain mean over samples with a heart rate, as the reference parsers compute it.
    let (mut n, mut sum, mut max) = (0u64, 0u64, 0u8);
    for hr in samples.iter().filter_map(|x| x.hr).filter(|&h| h > 0) {
        n += 1;
        sum += u64::from(hr);
        max = max.max(hr);
    }
    if n > 0 {
        s.avg_hr = Some(sum as f64 / n as f64);
        s.max_hr = Some(f64::from(max));
    }
    let (mut tn, mut tsum) = (0u64, 0i64);
    for t in samples.iter().filter_map(|x| x.temp_c) {
        tn += 1;
        tsum += i64::from(t);
    }
    if tn > 0 {
        s.avg_temp_c = Some(tsum as f64 / tn as f64);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(t: f64, dist: Option<f64>, alt: Option<f64>, hr: Option<u8>) -> Sample {
        Sample {
            t,
            dist_m: dist,
            alt_m: alt,
            hr,
            ..Default::default()
        }
    }

    #[test]
    fn empty_has_no_figures() {
        assert_eq!(summarize(&[]), RunSummary::default());
    }

    #[test]
    fn figures_from_samples() {
        let s = summarize(&[
            pt(100.0, Some(0.0), Some(10.0), Some(120)),
            pt(110.0, Some(30.0), Some(11.0), Some(140)),
            // Standing still for 60 s.
            pt(170.0, Some(30.0), Some(20.0), None),
            pt(180.0, Some(60.0), Some(12.0), Some(0)),
        ]);
        assert_eq!(s.start_utc, Some(100));
        assert_eq!(s.elapsed_s, Some(80.0));
        assert_eq!(s.distance_m, Some(60.0));
        assert_eq!(s.moving_s, Some(20.0));
        assert_eq!(s.ascent_m, Some(10.0));
        assert_eq!(s.descent_m, Some(8.0));
        assert_eq!(s.avg_hr, Some(130.0));
        assert_eq!(s.max_hr, Some(140.0));
        assert_eq!(s.avg_temp_c, None);
    }

    #[test]
    fn haversine_one_degree_of_latitude() {
        let d = haversine_m(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111_195.0).abs() < 1.0, "{d}");
    }
}
