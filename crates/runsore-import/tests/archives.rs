//! Exports as runners download them: a Strava archive (activities.csv + activities/*.fit.gz,
//! *.gpx, *.tcx.gz), a Garmin archive (a zip of FIT files inside the export zip) and an unzipped
//! folder, all built from the bundled test data; every run must come out, with the csv's names.

use std::path::PathBuf;

use runsore_import::{Decoded, ImportError, Source, decode_source, sources};
use runsore_model::{Run, Sport};
use runsore_testkit::{gzip, zip_of};

/// A file of this crate's test data.
fn data(rel: &str) -> Vec<u8> {
    runsore_testkit::test_data(env!("CARGO_MANIFEST_DIR"), rel)
}

/// Strava's header, with its repeated "Elapsed Time" and "Distance" columns.
const CSV_HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Perceived Exertion";

fn csv_row(id: u32, date: &str, name: &str, ty: &str, file: &str, rpe: &str) -> String {
    format!(
        "{id},\"{date}\",\"{name}\",{ty},,1000,5.0,170,50,false,,,{file},,,1000,900,5000.0,4.0,{rpe}"
    )
}

fn strava_entries() -> Vec<(&'static str, Vec<u8>)> {
    let csv = [
        CSV_HEADER.to_owned(),
        csv_row(
            1,
            "Jun 11, 2017, 2:34:09 PM",
            "Short, fast run",
            "Run",
            "activities/1.fit.gz",
            "8",
        ),
        csv_row(
            2,
            "Jul 29, 2017, 2:46:35 PM",
            "Casual stroll",
            "Walk",
            "activities/2.gpx",
            "",
        ),
        csv_row(
            3,
            "Feb 28, 2018, 4:28:50 PM",
            "Treadmill \"\"tempo\"\"",
            "Run",
            "activities/3.tcx.gz",
            "6",
        ),
        // A manual activity has no file; it must not confuse the join.
        csv_row(4, "Mar 1, 2018, 7:00:00 AM", "Manual", "Run", "", ""),
    ]
    .join("\n");
    vec![
        ("activities.csv", csv.into_bytes()),
        (
            "activities/1.fit.gz",
            gzip(&data("fit/fitparse__garmin-fenix-5-run.fit")),
        ),
        ("activities/2.gpx", data("gpx/gpxrs__garmin-activity.gpx")),
        ("activities/3.tcx.gz", data("tcx/runv__activity.tcx.gz")),
        ("profile.csv", b"not an activity".to_vec()),
        ("media/photo.jpg", vec![0xFF, 0xD8, 0xFF]),
    ]
}

fn all_runs(paths: &[PathBuf]) -> (Vec<(Source, Vec<Run>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for s in sources(paths) {
        match s {
            Ok(src) => match decode_source(&src) {
                Ok(Decoded::Runs(runs)) => out.push((src, runs)),
                Ok(Decoded::NotActivity { reason }) => errors.push(reason),
                Err(e) => errors.push(e.to_string()),
            },
            Err(e) => errors.push(e.to_string()),
        }
    }
    (out, errors)
}

fn check_strava(found: &[(Source, Vec<Run>)]) {
    let want = [
        (
            "activities/1.fit.gz",
            "Short, fast run",
            Sport::Running,
            Some(8.0),
        ),
        ("activities/2.gpx", "Casual stroll", Sport::Walking, None),
        (
            "activities/3.tcx.gz",
            "Treadmill \"tempo\"",
            Sport::Running,
            Some(6.0),
        ),
    ];
    assert_eq!(
        found.len(),
        want.len(),
        "{:?}",
        found.iter().map(|f| f.0.name()).collect::<Vec<_>>()
    );
    for ((src, runs), (entry, name, sport, rpe)) in found.iter().zip(want) {
        assert!(src.name().ends_with(entry), "{} vs {entry}", src.name());
        assert_eq!(runs.len(), 1, "{entry}");
        let r = &runs[0];
        assert_eq!(r.name.as_deref(), Some(name), "{entry}");
        assert_eq!(r.sport, sport, "{entry}");
        assert_eq!(r.rpe, rpe, "{entry}");
        assert!(r.source.ends_with(entry), "{}", r.source);
        assert!(!r.samples.is_empty(), "{entry}");
    }
}

#[test]
fn strava_zip_runs_carry_csv_names_types_and_exertion() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("export_12345.zip");
    std::fs::write(&zip_path, zip_of(&strava_entries())).unwrap();
    let (found, errors) = all_runs(std::slice::from_ref(&zip_path));
    assert!(errors.is_empty(), "{errors:?}");
    check_strava(&found);

    // Decoding is deterministic, so a re-import finds the same content hashes.
    let (again, _) = all_runs(&[zip_path]);
    let hashes = |f: &[(Source, Vec<Run>)]| {
        f.iter()
            .flat_map(|(_, r)| r.iter().map(|r| r.content_hash.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(hashes(&found), hashes(&again));
}

#[test]
fn unzipped_strava_folder_joins_activities_csv() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in strava_entries() {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let (found, errors) = all_runs(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    check_strava(&found);
}

#[test]
fn garmin_export_nested_uploaded_files_zip() {
    let fits = [
        "fit/fitparse__garmin-fenix-5-run.fit",
        "fit/muktihari__activity_multisport.fit",
        "fit/garminjs__HrmPluginTestActivity.fit",
    ];
    let inner: Vec<(&str, Vec<u8>)> = vec![
        ("fenix5_run.fit", data(fits[0])),
        ("fr945_multisport.fit", data(fits[1])),
        ("fr955_walk.fit", data(fits[2])),
    ];
    let outer = zip_of(&[
        (
            "DI_CONNECT/DI-Connect-User/user_profile.json",
            b"{}".to_vec(),
        ),
        (
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
            zip_of(&inner),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garmin_export.zip");
    std::fs::write(&path, outer).unwrap();
    let (found, errors) = all_runs(&[path]);
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<String> = found.iter().map(|(s, _)| s.name()).collect();
    assert_eq!(found.len(), 3, "{names:?}");
    for ((src, _), (inner_name, _)) in found.iter().zip(&inner) {
        let want = format!("UploadedFiles_0-_Part1.zip!{inner_name}");
        assert!(src.name().ends_with(&want), "{} vs {want}", src.name());
    }
    // The multisport file gives one run per session: bike then trail run.
    let sports: Vec<Sport> = found[1].1.iter().map(|r| r.sport.clone()).collect();
    assert_eq!(sports, vec![Sport::Cycling, Sport::Running]);
}

#[test]
fn unsafe_and_oversize_entries_are_clean_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.zip");
    let big = vec![0u8; 2 * 1024 * 1024];
    std::fs::write(
        &path,
        zip_of(&[
            ("../../evil.fit", data("fit/fitparse__Activity.fit")),
            ("/abs/evil.gpx", data("gpx/gpxrs__wahoo_example.gpx")),
            ("big.fit", big),
            ("ok.fit", data("fit/fitparse__Activity.fit")),
        ]),
    )
    .unwrap();
    let items: Vec<Result<Source, ImportError>> = sources(std::slice::from_ref(&path))
        .max_entry_size(1024 * 1024)
        .collect();
    let errs: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].contains("unsafe name") && errs[0].contains("../../evil.fit"),
        "{errs:?}"
    );
    assert!(errs[1].contains("unsafe name"), "{errs:?}");
    assert!(errs[2].contains("larger than 1048576 bytes"), "{errs:?}");
    let ok: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(Source::name)
        .collect();
    assert_eq!(ok.len(), 1);
    assert!(ok[0].ends_with("hostile.zip!ok.fit"), "{ok:?}");
    // Nothing was written next to the archive.
    assert!(!dir.path().join("evil.fit").exists());
    assert!(!dir.path().parent().unwrap().join("evil.fit").exists());
}

#[test]
fn damaged_zip_and_missing_path_are_reported_and_listing_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.zip");
    std::fs::write(&broken, b"PK\x03\x04 this is not really a zip").unwrap();
    let good = dir.path().join("run.fit");
    std::fs::write(&good, data("fit/fitparse__Activity.fit")).unwrap();
    let missing = dir.path().join("nope.fit");
    let items: Vec<_> = sources(&[broken, missing, good]).collect();
    assert_eq!(items.len(), 3);
    let e0 = items[0].as_ref().unwrap_err().to_string();
    assert!(
        e0.contains("broken.zip") && e0.contains("not a readable zip"),
        "{e0}"
    );
    let e1 = items[1].as_ref().unwrap_err().to_string();
    assert!(e1.contains("nope.fit"), "{e1}");
    assert!(items[2].is_ok());
}

#[test]
fn inflate_gives_the_first_runs_hash_before_decoding() {
    let gz = data("tcx/runv__activity.tcx.gz");
    let opts = runsore_import::DecodeOptions::default();
    let inf = runsore_import::inflate("a.tcx.gz", &gz, &opts).unwrap();
    let Decoded::Runs(runs) = runsore_import::decode("a.tcx.gz", &gz).unwrap() else {
        panic!("not runs")
    };
    assert_eq!(runs[0].content_hash, inf.hash);
    assert_eq!(
        runsore_import::decode_inflated(&inf).unwrap(),
        Decoded::Runs(runs)
    );
    // Multi-session files: every run has its own hash, the first one the file's.
    let fit = data("fit/muktihari__activity_multisport.fit");
    let Decoded::Runs(runs) = runsore_import::decode("m.fit", &fit).unwrap() else {
        panic!("not runs")
    };
    assert_eq!(runs[0].content_hash, runsore_import::content_hash(&fit, 0));
    assert_ne!(runs[0].content_hash, runs[1].content_hash);
}
