//! Whether a recorded activity could have happened: its distance, duration and average speed
//! against what people do in its sport. An implausible run (a GPX whose points jump across the
//! globe: 10,677,377 km in 10 minutes) is kept, flagged, and left out of every figure over time,
//! so it can never turn into advice such as "keep any single run under 11745131 km".

use crate::bounds;
use crate::run::Sport;

/// The limits of one sport: the longest distance and the fastest average speed of one session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SportLimits {
    /// Metres in one session.
    pub max_distance_m: f64,
    /// Average metres per second over a session of a minute or more.
    pub max_speed_mps: f64,
}

/// The limits for `sport`. Generous: they refuse what no one does, not what is rare (the fastest
/// marathons average under 6 m/s, the longest single-stage runs are near 1,000 km).
pub fn limits(sport: &Sport) -> SportLimits {
    match sport {
        Sport::Running => SportLimits {
            max_distance_m: 1_000_000.0,
            max_speed_mps: 7.0,
        },
        Sport::Walking => SportLimits {
            max_distance_m: 1_000_000.0,
            max_speed_mps: 4.0,
        },
        Sport::Swimming => SportLimits {
            max_distance_m: 100_000.0,
            max_speed_mps: 3.0,
        },
        // Cycling, anything else and files that do not say: up to a fast bike.
        Sport::Cycling | Sport::Other(_) | Sport::Unknown => SportLimits {
            max_distance_m: bounds::DISTANCE_M.max,
            max_speed_mps: 25.0,
        },
    }
}

/// Why an activity of `sport` covering `distance_m` in `duration_s` cannot be real, or `None`
/// when it could be. Unknown figures are not held against it.
pub fn implausible(
    sport: &Sport,
    distance_m: Option<f64>,
    duration_s: Option<f64>,
) -> Option<String> {
    let l = limits(sport);
    let what = sport.label();
    if let Some(d) = distance_m {
        if !d.is_finite() || d < 0.0 {
            return Some(format!("its distance ({d}) is not a distance"));
        }
        if d > l.max_distance_m {
            return Some(format!(
                "{:.0} km is beyond any {what} session (at most {:.0} km)",
                d / 1000.0,
                l.max_distance_m / 1000.0
            ));
        }
    }
    if let Some(s) = duration_s
        && !bounds::DURATION_S.contains(s)
    {
        return Some(format!(
            "its duration ({s:.0} s) is beyond a week or not a duration"
        ));
    }
    if let (Some(d), Some(s)) = (distance_m, duration_s)
        && s >= 60.0
        && d / s > l.max_speed_mps
    {
        return Some(format!(
            "an average of {:.1} km/h is beyond any {what} session (at most {:.0} km/h)",
            d / s * 3.6,
            l.max_speed_mps * 3.6
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_track_across_the_globe_is_implausible_whatever_the_sport() {
        for sport in [Sport::Running, Sport::Unknown, Sport::Cycling] {
            let why = implausible(&sport, Some(10_677_377_000.0), Some(600.0));
            assert!(why.is_some(), "{sport:?}");
        }
    }

    #[test]
    fn real_sessions_are_plausible() {
        let cases = [
            (Sport::Running, 42_195.0, 2.0 * 3600.0),
            (Sport::Running, 160_000.0, 20.0 * 3600.0),
            (Sport::Running, 400.0, 55.0),
            (Sport::Cycling, 180_000.0, 5.0 * 3600.0),
            (Sport::Walking, 20_000.0, 4.0 * 3600.0),
            (Sport::Unknown, 10_000.0, 3000.0),
        ];
        for (sport, d, s) in cases {
            assert_eq!(implausible(&sport, Some(d), Some(s)), None, "{sport:?}");
        }
    }

    #[test]
    fn each_sport_has_its_own_speed() {
        // 30 km/h for an hour: a ride, not a run.
        assert!(implausible(&Sport::Running, Some(30_000.0), Some(3600.0)).is_some());
        assert!(implausible(&Sport::Cycling, Some(30_000.0), Some(3600.0)).is_none());
        assert!(implausible(&Sport::Running, None, Some(1e12)).is_some());
        assert!(implausible(&Sport::Running, Some(f64::INFINITY), None).is_some());
    }
}
