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

/// Distance between two nearby points in degrees, metres: an equirectangular step for the
/// short hops between samples (one cosine instead of haversine's four trigonometric calls; the
/// error is far below GPS noise), haversine for longer jumps.
pub fn step_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (dlat, dlon) = (lat2 - lat1, lon2 - lon1);
    if dlat.abs() > 0.2 || dlon.abs() > 0.2 {
        return haversine_m(lat1, lon1, lat2, lon2);
    }
    let x = dlon.to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = dlat.to_radians();
    EARTH_RADIUS_M * (x * x + y * y).sqrt()
}

/// Recomputes the summary of a run from its samples (in recorded order), in one pass.
pub fn summarize(samples: &[Sample]) -> RunSummary {
    let mut s = RunSummary::default();
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return s;
    };
    s.start_utc = Some(first.t.floor() as i64);
    s.elapsed_s = Some((last.t - first.t).max(0.0));

    // Distance along the run: the device's cumulative distance when it has one, else the path.
    let use_dist = samples.iter().any(|x| x.dist_m.is_some());
    let use_pos = !use_dist && samples.iter().any(|x| x.lat.is_some());
    let has_speed = samples.iter().any(|x| x.speed_mps.is_some());
    let (mut first_d, mut last_d) = (None, None);
    let mut path = 0.0;
    let mut prev_pos: Option<(f64, f64)> = None;
    let mut prev: Option<(f64, Option<f64>)> = None; // time and distance along of the last sample
    let mut moving = 0.0;
    let mut ref_alt: Option<f64> = None;
    let (mut up, mut down) = (0.0, 0.0);
    let (mut n_hr, mut sum_hr, mut max_hr) = (0u64, 0u64, 0u8);
    let (mut n_temp, mut sum_temp) = (0u64, 0i64);
    for x in samples {
        let along = if use_dist {
            if let Some(d) = x.dist_m {
                first_d.get_or_insert(d);
                last_d = Some(d);
            }
            x.dist_m
        } else if let (true, Some(lat), Some(lon)) = (use_pos, x.lat, x.lon) {
            if let Some((plat, plon)) = prev_pos {
                path += step_m(plat, plon, lat, lon);
            }
            prev_pos = Some((lat, lon));
            Some(path)
        } else {
            None
        };
        // Moving time: intervals covered at walking pace or faster, judged by distance progress
        // or, failing that, the recorded speed.
        if let Some((pt, pd)) = prev {
            let dt = x.t - pt;
            if dt > 0.0 {
                let v = match (pd, along) {
                    (Some(a), Some(b)) => Some((b - a) / dt),
                    _ => x.speed_mps,
                };
                if v.is_some_and(|v| v >= MOVING_SPEED_MPS) {
                    moving += dt;
                }
            }
        }
        prev = Some((x.t, along));
        if let Some(a) = x.alt_m {
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
        // Plain mean over samples with a heart rate, as the reference parsers compute it.
        if let Some(hr) = x.hr.filter(|&h| h > 0) {
            n_hr += 1;
            sum_hr += u64::from(hr);
            max_hr = max_hr.max(hr);
        }
        if let Some(t) = x.temp_c {
            n_temp += 1;
            sum_temp += i64::from(t);
        }
    }
    if let (Some(a), Some(b)) = (first_d, last_d) {
        s.distance_m = Some((b - a).max(0.0));
    } else if use_pos {
        s.distance_m = Some(path);
    }
    if s.distance_m.is_some() || has_speed {
        s.moving_s = Some(moving);
    }
    if ref_alt.is_some() {
        s.ascent_m = Some(up);
        s.descent_m = Some(down);
    }
    if n_hr > 0 {
        s.avg_hr = Some(sum_hr as f64 / n_hr as f64);
        s.max_hr = Some(f64::from(max_hr));
    }
    if n_temp > 0 {
        s.avg_temp_c = Some(sum_temp as f64 / n_temp as f64);
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
    fn short_steps_agree_with_haversine() {
        let (a, b) = (
            step_m(60.0, 10.0, 60.001, 10.002),
            haversine_m(60.0, 10.0, 60.001, 10.002),
        );
        assert!((a - b).abs() < 0.001, "{a} {b}");
    }

    #[test]
    fn haversine_one_degree_of_latitude() {
        let d = haversine_m(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111_195.0).abs() < 1.0, "{d}");
    }
}
