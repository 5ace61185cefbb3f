//! Fuzzes the reader of Strava's `activities.csv` (headers in any language, repeated columns,
//! localised dates), which the archive target rarely reaches inside a valid zip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = runsore_import::archive::parse_activities_csv(data, "export/") {
        for meta in rows.values() {
            assert!(
                meta.rpe.is_none_or(|r| (1.0..=10.0).contains(&r)),
                "{meta:?}"
            );
        }
    }
    for line in String::from_utf8_lossy(data).lines() {
        let _ = runsore_import::archive::parse_local_date(line);
    }
});
