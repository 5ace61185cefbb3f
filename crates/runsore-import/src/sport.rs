//! Sport names from files and exports mapped onto the model's sports.

use runsore_model::Sport;

/// Maps a sport name as files and exports write it (FIT profile names, TCX `Sport`, GPX `<type>`,
/// Strava's activity types) to a [`Sport`]. Unknown names are kept as [`Sport::Other`].
pub fn sport_from_name(name: &str) -> Sport {
    let l = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    match l.as_str() {
        // Strava writes its activity-type number in GPX <type>.
        "9" | "trail_run" | "virtual_run" | "indoor_running" | "treadmill_running" | "jogging" => {
            Sport::Running
        }
        "1" | "e_bike_ride" | "ebikeride" | "mountain_bike_ride" | "gravel_ride" | "e_biking"
        | "mountain_biking" | "road_biking" | "indoor_cycling" => Sport::Cycling,
        "10" | "4" | "indoor_walking" | "speed_walking" | "casual_walking" => Sport::Walking,
        "lap_swimming" | "open_water_swimming" => Sport::Swimming,
        _ => Sport::from_label(&l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, want) in [
            ("running", Sport::Running),
            ("Running", Sport::Running),
            ("Run", Sport::Running),
            ("Trail Run", Sport::Running),
            ("9", Sport::Running),
            ("Biking", Sport::Cycling),
            ("Ride", Sport::Cycling),
            ("hiking", Sport::Walking),
            ("generic", Sport::Unknown),
            ("Other", Sport::Other("other".into())),
            ("snorkeling", Sport::Other("snorkeling".into())),
        ] {
            assert_eq!(sport_from_name(name), want, "{name}");
        }
    }
}
