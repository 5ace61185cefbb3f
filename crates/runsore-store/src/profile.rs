//! The runner's profile: the few body figures the analytics need.

use runsore_model::Sex;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::Store;
use crate::error::{Result, SqlContext, StoreError};

/// The runner's body figures; `None` where not given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Body mass in kilograms.
    pub body_mass_kg: Option<f64>,
    /// Sex (the TRIMP constant and priors depend on it).
    pub sex: Option<Sex>,
    /// Year of birth (age is derived by the caller from its own clock).
    pub birth_year: Option<i32>,
    /// Maximum heart rate in beats per minute.
    pub hr_max: Option<f64>,
    /// Resting heart rate in beats per minute.
    pub hr_rest: Option<f64>,
}

impl Profile {
    /// Checks that each figure is a plausible measurement (not a medical judgement: a typo
    /// guard, so that 7000 kg or a resting rate above the maximum is refused with its field).
    pub fn validate(&self) -> Result<()> {
        let ranges = [
            ("body_mass_kg", self.body_mass_kg, 20.0, 400.0),
            ("hr_max", self.hr_max, 80.0, 250.0),
            ("hr_rest", self.hr_rest, 20.0, 150.0),
            ("birth_year", self.birth_year.map(f64::from), 1900.0, 2100.0),
        ];
        for (field, value, lo, hi) in ranges {
            if let Some(v) = value
                && !(lo..=hi).contains(&v)
            {
                return Err(StoreError::Invalid {
                    field,
                    reason: format!("{v} is outside {lo}..={hi}"),
                });
            }
        }
        if let (Some(rest), Some(max)) = (self.hr_rest, self.hr_max)
            && rest >= max
        {
            return Err(StoreError::Invalid {
                field: "hr_rest",
                reason: format!("{rest} is not below hr_max {max}"),
            });
        }
        Ok(())
    }
}

fn sex_key(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
    }
}

impl Store {
    /// The stored profile; all `None` when none was set.
    pub fn profile(&self) -> Result<Profile> {
        let ctx = || "reading the profile".to_string();
        let row = self
            .conn
            .query_row(
                "SELECT body_mass_kg, sex, birth_year, hr_max, hr_rest FROM profile WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Option<f64>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<i32>>(2)?,
                        r.get::<_, Option<f64>>(3)?,
                        r.get::<_, Option<f64>>(4)?,
                    ))
                },
            )
            .optional()
            .ctx(ctx)?;
        let Some((body_mass_kg, sex, birth_year, hr_max, hr_rest)) = row else {
            return Ok(Profile::default());
        };
        let sex = match sex.as_deref() {
            None => None,
            Some("female") => Some(Sex::Female),
            Some("male") => Some(Sex::Male),
            Some(other) => {
                return Err(StoreError::Corrupt {
                    table: "profile",
                    id: 1,
                    what: format!("sex {other:?}"),
                });
            }
        };
        Ok(Profile {
            body_mass_kg,
            sex,
            birth_year,
            hr_max,
            hr_rest,
        })
    }

    /// Replaces the profile after [`Profile::validate`].
    pub fn set_profile(&self, profile: &Profile) -> Result<()> {
        profile.validate()?;
        write_profile(&self.conn, profile).ctx(|| "saving the profile".into())
    }
}

pub(crate) fn write_profile(conn: &rusqlite::Connection, p: &Profile) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO profile (id, body_mass_kg, sex, birth_year, hr_max, hr_rest) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET body_mass_kg = ?1, sex = ?2, birth_year = ?3, \
         hr_max = ?4, hr_rest = ?5",
        params![
            p.body_mass_kg,
            p.sex.map(sex_key),
            p.birth_year,
            p.hr_max,
            p.hr_rest
        ],
    )?;
    Ok(())
}
