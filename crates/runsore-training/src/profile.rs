//! The runner's profile: body mass, sex, heart-rate anchors. Every field is optional.

use runsore_model::Sex;
use serde::{Deserialize, Serialize};

/// What the runner told runsore about themselves (`runsore profile`). `None` means unknown; the
/// analytics then estimate from the data or assume a stated default, and say which.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Sex, for the TRIMP constant and the potassium adequate intake.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Body mass in kilograms, for the sweat estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_mass_kg: Option<f64>,
    /// Height in centimetres, for the body surface area (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<f64>,
    /// Age in years, for an age-predicted maximum heart rate when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Maximum heart rate in beats per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_max: Option<f64>,
    /// Resting heart rate in beats per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_rest: Option<f64>,
    /// Local offset from UTC in seconds, used for runs whose file does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_s: Option<i32>,
}

/// A profile value out of its plausible range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The field's name, e.g. `hr_max`.
    pub field: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl Profile {
    /// Checks the ranges, returning every problem. The analytics ignore an out-of-range value
    /// (as if unknown) rather than fail; the edges call this to tell the runner.
    pub fn validate(&self) -> Vec<ProfileError> {
        let mut errors = Vec::new();
        let mut check = |field: &'static str, value: Option<f64>, lo: f64, hi: f64| {
            if let Some(v) = value
                && !(v.is_finite() && (lo..=hi).contains(&v))
            {
                errors.push(ProfileError {
                    field,
                    message: format!("must be {lo} to {hi}, got {v}"),
                });
            }
        };
        check("body_mass_kg", self.body_mass_kg, 25.0, 250.0);
        check("height_cm", self.height_cm, 100.0, 250.0);
        check("age", self.age.map(f64::from), 10.0, 100.0);
        check("hr_max", self.hr_max, 100.0, 230.0);
        check("hr_rest", self.hr_rest, 25.0, 110.0);
        check(
            "utc_offset_s",
            self.utc_offset_s.map(f64::from),
            -14.0 * 3600.0,
            14.0 * 3600.0,
        );
        if let (Some(max), Some(rest)) = (self.hr_max, self.hr_rest)
            && rest >= max
        {
            errors.push(ProfileError {
                field: "hr_rest",
                message: format!("must be below hr_max ({max}), got {rest}"),
            });
        }
        errors
    }

    /// The profile with every invalid value dropped, so that the analytics never see one.
    pub fn sanitized(&self) -> Profile {
        let mut p = self.clone();
        for error in self.validate() {
            match error.field {
                "body_mass_kg" => p.body_mass_kg = None,
                "height_cm" => p.height_cm = None,
                "age" => p.age = None,
                "hr_max" => p.hr_max = None,
                // A resting rate at or above the maximum: drop both, neither can be trusted.
                "hr_rest" => {
                    p.hr_rest = None;
                    if self.hr_rest.is_some_and(|r| (25.0..=110.0).contains(&r)) {
                        p.hr_max = None;
                    }
                }
                "utc_offset_s" => p.utc_offset_s = None,
                _ => {}
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_are_reported_and_dropped() {
        let p = Profile {
            body_mass_kg: Some(-3.0),
            hr_max: Some(150.0),
            hr_rest: Some(160.0),
            ..Profile::default()
        };
        let fields: Vec<_> = p.validate().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["body_mass_kg", "hr_rest", "hr_rest"]);
        // The resting rate is out of range on its own, so only it is dropped.
        let s = p.sanitized();
        assert_eq!(
            (s.body_mass_kg, s.hr_max, s.hr_rest),
            (None, Some(150.0), None)
        );
        // Both plausible but inconsistent: neither is trusted.
        let q = Profile {
            hr_max: Some(100.0),
            hr_rest: Some(105.0),
            ..Profile::default()
        }
        .sanitized();
        assert_eq!((q.hr_max, q.hr_rest), (None, None));
    }
}
