//! The runner's profile and local time, as the analytics need them.

use runsore_training::{Profile, RunView};

/// Seconds in a mean Gregorian year, to turn a birth year into an age.
const YEAR_S: i64 = 31_556_952;

/// The training profile from the stored one; the age from the birth year at `now_utc` (the
/// estimated maximum heart rate, and with it the load, depend on it).
pub fn training_profile(p: &runsore_store::Profile, now_utc: i64) -> Profile {
    let year_now = 1970 + now_utc.div_euclid(YEAR_S) as i32;
    Profile {
        sex: p.sex,
        body_mass_kg: p.body_mass_kg,
        age: p.birth_year.and_then(|y| u8::try_from(year_now - y).ok()),
        hr_max: p.hr_max,
        hr_rest: p.hr_rest,
        ..Profile::default()
    }
}

/// The runner's offset from UTC: the latest run's, as its file records it, else UTC.
pub fn local_offset_s(views: &[RunView]) -> i32 {
    views
        .iter()
        .max_by_key(|v| v.start_utc)
        .and_then(|v| v.local_offset_s)
        .unwrap_or(0)
}
