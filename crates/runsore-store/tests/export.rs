//! Export then import into an empty store gives identical data.

mod common;

use common::{T0, file, run};
use runsore_model::{Region, Sex, Sport};
use runsore_store::{
    CheckInKind, Export, NewCheckIn, NewSoreness, Profile, RunId, Store, StoreError,
};
use serde_json::json;

const DAY: i64 = 86_400;

/// A store with a bit of everything: runs (one file with two runs, one duplicate from another
/// source, one without samples), a profile, a closed and an open episode, check-ins linked to
/// runs, soreness logs in and out of episodes.
fn populated() -> Store {
    let store = Store::open_in_memory().expect("open");
    let two = [run("two.fit", T0, 1800), run("two.fit", T0 + DAY, 2400)];
    let ids = store
        .insert_file(&file("two.fit", T0 + 5), &two)
        .expect("insert")
        .inserted();
    let mut dup = run("strava.gpx", T0 + 2, 1801);
    dup.device_summary = None;
    store
        .insert_file(&file("strava.gpx", T0 + 6), &[dup])
        .expect("insert dup");
    let mut bare = run("bare.tcx", T0 + 3 * DAY, 0);
    bare.sport = Sport::Other("Nordic Walking".into());
    bare.summary.avg_hr = Some(f64::from(0.1f32));
    store
        .insert_file(&file("bare.tcx", T0 + 7), &[bare])
        .expect("insert bare");
    store
        .set_profile(&Profile {
            body_mass_kg: Some(71.3),
            sex: Some(Sex::Male),
            birth_year: Some(1979),
            hr_max: Some(183.0),
            hr_rest: None,
        })
        .expect("profile");
    let e1 = store
        .open_episode(T0 + DAY + 3600, Some("right hip"))
        .expect("episode");
    let new_checkin = |at, episode_id, run_ids: Vec<RunId>| NewCheckIn {
        at_utc: at,
        kind: CheckInKind::Assessment,
        episode_id,
        kb_version: "1.0.0".into(),
        intake: json!({"soreness": 4, "regions": ["side_of_hip"], "note": "ünïcode ✓"}),
        evidence: json!({"longest_run_ratio": 1.3333333333333333, "values": [0.1, 1e-7, 12345.678]}),
        result: json!({"triage": "see_gp_soon", "p": [0.5, 0.25, 0.25]}),
        run_ids,
    };
    store
        .add_checkin(&new_checkin(T0 + DAY + 3600, Some(e1.id), ids.clone()))
        .expect("check-in");
    store
        .log_soreness(&NewSoreness {
            at_utc: T0 + 2 * DAY,
            level: 3,
            regions: vec![Region::SideOfHip],
            note: None,
            episode_id: Some(e1.id),
        })
        .expect("soreness");
    store
        .close_episode(e1.id, T0 + 6 * DAY, Some("better"))
        .expect("close");
    let e2 = store.open_episode(T0 + 9 * DAY, None).expect("episode 2");
    store
        .add_checkin(&new_checkin(T0 + 9 * DAY, Some(e2.id), vec![ids[1]]))
        .expect("check-in");
    store
        .add_checkin(&new_checkin(T0 + 8 * DAY, None, vec![]))
        .expect("loose check-in");
    store
        .log_soreness(&NewSoreness {
            at_utc: T0 + 7 * DAY,
            level: 0,
            regions: vec![],
            note: Some("fine".into()),
            episode_id: None,
        })
        .expect("soreness");
    store
}

fn round_trip(export: &Export, into: &Store) -> Export {
    let text = serde_json::to_string_pretty(export).expect("serialise");
    let parsed: Export = serde_json::from_str(&text).expect("parse");
    into.import_all(&parsed).expect("import");
    into.export_all().expect("export again")
}

#[test]
fn export_then_import_into_an_empty_store_gives_identical_data() {
    let source = populated();
    let first = source.export_all().expect("export");
    assert_eq!(first.files.len(), 3);
    assert_eq!(first.runs.len(), 3, "the duplicate run is not stored");
    assert_eq!(
        (
            first.episodes.len(),
            first.checkins.len(),
            first.soreness.len()
        ),
        (2, 3, 2)
    );
    assert_eq!(first.runs[0].run.samples.len(), 1800);

    let dir = tempfile::tempdir().expect("tempdir");
    let target = Store::open(dir.path().join("restored.db")).expect("open");
    let second = round_trip(&first, &target);
    assert_eq!(second, first);
    assert_eq!(
        serde_json::to_string(&second).expect("json"),
        serde_json::to_string(&first).expect("json")
    );
    // The restored store works as a store: the open episode is current, re-importing a
    // file is recognised, new runs get new ids.
    assert_eq!(
        target.current_episode().expect("current").map(|e| e.id),
        Some(first.episodes[1].id)
    );
    assert!(
        target
            .insert_file(&file("two.fit", T0), &[])
            .expect("reimport")
            .is_already_present()
    );
    let new = target
        .insert_file(&file("new.fit", T0), &[run("new.fit", T0 + 30 * DAY, 10)])
        .expect("new");
    assert!(new.inserted()[0] > first.runs.last().expect("runs").id);
    target.integrity_check().expect("integrity");
}

#[test]
fn an_empty_store_exports_and_imports_too() {
    let empty = Store::open_in_memory()
        .expect("open")
        .export_all()
        .expect("export");
    let again = round_trip(&empty, &Store::open_in_memory().expect("open"));
    assert_eq!(again, empty);
}

#[test]
fn import_refuses_a_store_with_data_and_foreign_files() {
    let export = populated().export_all().expect("export");
    let busy = populated();
    let err = busy.import_all(&export).expect_err("not empty");
    assert_eq!(
        err.to_string(),
        "cannot import an export into a store that already holds 3 files, 3 runs, 2 episodes, \
         3 check-ins, 2 soreness logs, 1 profile"
    );
    let fresh = Store::open_in_memory().expect("open");
    let mut wrong = export.clone();
    wrong.format = "something-else".into();
    assert_eq!(
        fresh.import_all(&wrong).expect_err("format").to_string(),
        "invalid format: \"something-else\" is not a runsore export"
    );
    let mut newer = export.clone();
    newer.version = 2;
    assert!(matches!(
        fresh.import_all(&newer),
        Err(StoreError::Invalid {
            field: "version",
            ..
        })
    ));
}

#[test]
fn a_failed_import_leaves_the_store_empty() {
    let mut export = populated().export_all().expect("export");
    // A check-in pointing at a run that is not in the export.
    export.checkins[0].data.run_ids.push(RunId(999));
    let store = Store::open_in_memory().expect("open");
    let err = store.import_all(&export).expect_err("dangling run");
    assert_eq!(
        err.to_string(),
        "invalid export: a row refers to a file, run or episode that is not in it"
    );
    let after = store.export_all().expect("export");
    assert!(after.runs.is_empty() && after.files.is_empty() && after.checkins.is_empty());
    assert_eq!(after.profile, Profile::default());
    // And the same export, repaired, then goes in.
    export.checkins[0].data.run_ids.pop();
    store.import_all(&export).expect("import");
}

#[test]
fn the_streamed_json_is_the_export_byte_for_byte_and_restores_it() {
    let source = populated();
    let export = source.export_all().expect("export");
    for pretty in [false, true] {
        let mut streamed = Vec::new();
        source
            .export_json(&mut streamed, pretty)
            .expect("export json");
        let whole = if pretty {
            serde_json::to_vec_pretty(&export)
        } else {
            serde_json::to_vec(&export)
        }
        .expect("serialise");
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&whole)
        );
        let target = Store::open_in_memory().expect("open");
        target
            .import_json(streamed.as_slice())
            .expect("import json");
        assert_eq!(target.export_all().expect("export again"), export);
    }
}

fn check_import_json_refused(json: &str, expected: &str) {
    let store = Store::open_in_memory().expect("open");
    let err = store.import_json(json.as_bytes()).expect_err(json);
    assert!(err.to_string().starts_with(expected), "{json}: {err}");
    let after = store.export_all().expect("export");
    assert!(after.runs.is_empty() && after.files.is_empty() && after.profile == Profile::default());
}

#[test]
fn bad_export_json_is_refused_and_nothing_is_written() {
    let mut good = Vec::new();
    populated().export_json(&mut good, false).expect("export");
    let good = String::from_utf8(good).expect("utf-8");
    let cut = &good[..good.len() / 2];
    let late_header = good.replacen(r#""format":"runsore-export","version":1,"#, "", 1)
        + r#"{"format":"runsore-export","version":1}"#;
    let dangling = good.replacen(r#""file_id":1"#, r#""file_id":77"#, 1);
    let cases = [
        ("", "reading the export: EOF while parsing"),
        (
            "[1, 2]",
            "reading the export: invalid type: sequence, expected a runsore export object",
        ),
        (
            r#"{"format":"gpx-thing","version":1,"runs":[]}"#,
            "invalid format: \"gpx-thing\" is not a runsore export",
        ),
        (
            r#"{"format":"runsore-export","version":9,"runs":[]}"#,
            "invalid version: export version 9",
        ),
        (
            r#"{"runs":[]}"#,
            "invalid format: the export does not start with its format and version",
        ),
        (
            r#"{"format":"runsore-export","version":1,"extra":1}"#,
            "reading the export: unknown field `extra`",
        ),
        (
            r#"{"version":1}"#,
            "reading the export: missing field `format`",
        ),
        (cut, "reading the export: EOF while parsing"),
        (&late_header, "invalid format: the export does not start"),
        (
            &dangling,
            "invalid export: a row refers to a file, run or episode that is not in it",
        ),
    ];
    for (json, expected) in cases {
        check_import_json_refused(json, expected);
    }
    let store = populated();
    let err = store.import_json(good.as_bytes()).expect_err("not empty");
    assert!(matches!(err, StoreError::NotEmpty { .. }), "{err}");
}

#[test]
fn a_restored_check_in_at_the_minimum_timestamp_is_refused() {
    // Such a check-in once made `/training` loop over 10^11 chart ticks.
    let mut export = populated().export_all().expect("export");
    export.checkins[0].data.at_utc = i64::MIN;
    let store = Store::open_in_memory().expect("open");
    let err = store.import_all(&export).expect_err("minimum timestamp");
    assert!(err.to_string().starts_with("invalid at_utc"), "{err}");
    assert!(store.export_all().expect("export").checkins.is_empty());

    let mut export = populated().export_all().expect("export");
    export.checkins[0].data.intake = serde_json::json!({"hours_since_run": 1e300});
    let err = store.import_all(&export).expect_err("huge hours");
    assert!(err.to_string().contains("hours_since_run"), "{err}");
}
