//! The bounds of every figure that enters runsore, declared once: the intake's numbers, times,
//! and a run's figures. Each edge that takes a value in (the intake parser, the web form, the
//! store's writes and restore, the decoders) checks it against the bound here, so no page, chart
//! or sum downstream ever meets a value that the world cannot produce.
//!
//! The limits are generous on purpose: they refuse what is impossible (a run 1e300 hours ago, a
//! heart rate of a billion), never what is merely unusual (a 30-hour ultra, a year off running).

/// A closed range that a figure must lie in, with the dotted path of the field it guards.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Bound {
    /// The dotted path of the field (`run.minutes`) or the figure's name (`heart rate`).
    pub field: &'static str,
    /// The smallest value allowed.
    pub min: f64,
    /// The largest value allowed.
    pub max: f64,
    /// The unit, in words, for messages.
    pub unit: &'static str,
}

impl Bound {
    /// Whether `v` is a finite number within the bound.
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }

    /// Whether the integer `v` is within the bound.
    pub fn contains_i64(&self, v: i64) -> bool {
        // Every bound is far inside the range where i64 and f64 agree exactly.
        self.contains(v as f64)
    }

    /// `v` when it is within the bound, else `None`: for a figure that may be missing, a value
    /// outside the world's range is treated as not recorded rather than as a huge one.
    pub fn keep(&self, v: f64) -> Option<f64> {
        self.contains(v).then_some(v)
    }

    /// What the field must be, in words: "must be 0 to 8784 hours".
    pub fn describe(&self) -> String {
        format!(
            "must be {} to {}{}",
            number(self.min),
            number(self.max),
            if self.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", self.unit)
            }
        )
    }

    /// The error message for `v`: what the field must be, and what it was.
    pub fn message(&self, v: f64) -> String {
        format!("{}, got {}", self.describe(), number(v))
    }
}

fn number(v: f64) -> String {
    // Rust prints 1e300 with all 301 digits: a huge value is shown in exponent form.
    if !v.is_finite() || v.abs() >= 1e15 {
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Age in years.
pub const AGE: Bound = Bound {
    field: "age",
    min: 10.0,
    max: 100.0,
    unit: "years",
};

/// Pain now, on the 0 to 10 scale.
pub const PAIN: Bound = Bound {
    field: "pain",
    min: 0.0,
    max: 10.0,
    unit: "",
};

/// Hours since the run: up to two years, after which "the last run" no longer explains a pain.
pub const HOURS_SINCE_RUN: Bound = Bound {
    field: "hours_since_run",
    min: 0.0,
    max: 2.0 * 366.0 * 24.0,
    unit: "hours",
};

/// Days since the pain began: up to 20 years of a long-standing complaint.
pub const DAYS_SINCE_ONSET: Bound = Bound {
    field: "days_since_onset",
    min: 0.0,
    max: 20.0 * 366.0,
    unit: "days",
};

/// Minutes of the run: multi-day ultras stay well within a week.
pub const RUN_MINUTES: Bound = Bound {
    field: "run.minutes",
    min: 0.0,
    max: 7.0 * 24.0 * 60.0,
    unit: "minutes",
};

/// Kilometres of the run: the longest single-stage races are about 1000 km.
pub const RUN_DISTANCE_KM: Bound = Bound {
    field: "run.distance_km",
    min: 0.0,
    max: 1_000.0,
    unit: "km",
};

/// The rise in weekly volume, in percent: from stopping altogether to ten times as much.
pub const WEEKLY_INCREASE_PCT: Bound = Bound {
    field: "training.weekly_increase_pct",
    min: -100.0,
    max: 1_000.0,
    unit: "%",
};

/// Every bounded number of the intake, by dotted path.
pub const INTAKE: [Bound; 7] = [
    AGE,
    PAIN,
    HOURS_SINCE_RUN,
    DAYS_SINCE_ONSET,
    RUN_MINUTES,
    RUN_DISTANCE_KM,
    WEEKLY_INCREASE_PCT,
];

/// A moment, in seconds since the Unix epoch: from 1970 to the start of 2200. Check-ins, runs
/// and follow-ups are dated within it; a date outside is a corrupt or hostile value.
pub const TIMESTAMP: Bound = Bound {
    field: "time",
    min: 0.0,
    max: 7_258_118_400.0,
    unit: "seconds since 1970",
};

/// Heart rate of a living runner.
pub const HEART_RATE: Bound = Bound {
    field: "heart rate",
    min: 20.0,
    max: 250.0,
    unit: "beats per minute",
};

/// Altitude: the Dead Sea shore to above Everest's summit.
pub const ALTITUDE_M: Bound = Bound {
    field: "altitude",
    min: -500.0,
    max: 9_000.0,
    unit: "m",
};

/// Air temperature a watch records.
pub const TEMPERATURE_C: Bound = Bound {
    field: "temperature",
    min: -60.0,
    max: 60.0,
    unit: "°C",
};

/// The duration of one activity: a week (a multi-day race recorded as one file).
pub const DURATION_S: Bound = Bound {
    field: "duration",
    min: 0.0,
    max: 7.0 * 86_400.0,
    unit: "s",
};

/// The distance of one activity, in metres: a week-long bike race is under 5000 km.
pub const DISTANCE_M: Bound = Bound {
    field: "distance",
    min: 0.0,
    max: 5_000_000.0,
    unit: "m",
};

/// Ascent or descent of one activity, in metres.
pub const CLIMB_M: Bound = Bound {
    field: "ascent",
    min: 0.0,
    max: 100_000.0,
    unit: "m",
};

/// Perceived exertion.
pub const RPE: Bound = Bound {
    field: "rpe",
    min: 1.0,
    max: 10.0,
    unit: "",
};

/// A probability, as the engine reports it.
pub const PROBABILITY: Bound = Bound {
    field: "probability",
    min: 0.0,
    max: 1.0,
    unit: "",
};

/// Finds the intake bound of a dotted path.
pub fn intake_bound(field: &str) -> Option<Bound> {
    INTAKE.into_iter().find(|b| b.field == field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_refuse_what_is_not_finite_or_out_of_range() {
        assert!(HOURS_SINCE_RUN.contains(26.0));
        for v in [1e300, f64::INFINITY, f64::NAN, -1.0, 1e10] {
            assert!(!HOURS_SINCE_RUN.contains(v), "{v}");
        }
        assert!(!TIMESTAMP.contains_i64(i64::MIN));
        assert!(TIMESTAMP.contains_i64(1_793_491_200));
        assert_eq!(
            HOURS_SINCE_RUN.message(1e300),
            "must be 0 to 17568 hours, got 1e300"
        );
        assert_eq!(HEART_RATE.keep(1e9), None);
    }

    #[test]
    fn every_bound_is_an_ordered_finite_range() {
        for b in INTAKE.iter().chain(&[
            TIMESTAMP,
            HEART_RATE,
            ALTITUDE_M,
            TEMPERATURE_C,
            DURATION_S,
            DISTANCE_M,
            CLIMB_M,
            RPE,
            PROBABILITY,
        ]) {
            assert!(
                b.min.is_finite() && b.max.is_finite() && b.min < b.max,
                "{b:?}"
            );
        }
    }
}
