//! Tests that need the store's insides: faults injected through the raw connection, damaged rows.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{T0, file, run};

use crate::{RunFilter, RunId, Store, StoreError};

fn store_with_trap() -> Store {
    let store = Store::open_in_memory().expect("open");
    // A temporary trigger makes the insert of any run named "boom" fail, after the file row and
    // any earlier run of the same file were written.
    store
        .conn
        .execute_batch(
            "CREATE TEMP TRIGGER trap BEFORE INSERT ON runs WHEN NEW.source = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .expect("trigger");
    store
}

#[test]
fn a_failure_mid_file_leaves_nothing_behind() {
    let store = store_with_trap();
    let runs = [
        run("ok", T0, 60),
        run("ok", T0 + 600, 60),
        run("boom", T0 + 1200, 60),
    ];
    let err = store
        .insert_file(&file("mixed.fit", T0), &runs)
        .expect_err("the third run fails");
    assert!(
        err.to_string()
            .starts_with("storing mixed.fit: injected failure"),
        "{err}"
    );
    assert_eq!(store.run_count().expect("count"), 0);
    assert!(!store.has_file(&common::hash("mixed.fit")).expect("has"));
    // The failure left no lock or open transaction: the next file goes in.
    let out = store
        .insert_file(&file("next.fit", T0), &runs[..2])
        .expect("next insert");
    assert_eq!(out.inserted().len(), 2);
}

/// Damages one column of the only run with `sql`, then expects `get_run` to name the damage.
fn check_damage(sql: &str, expected: &str) {
    let store = Store::open_in_memory().expect("open");
    let id = store
        .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 30)])
        .expect("insert")
        .inserted()[0];
    store.conn.execute(sql, [id.0]).expect("damage");
    let err = store.get_run(id).expect_err(sql);
    assert!(err.to_string().contains(expected), "{sql}: {err}");
    // Listing reads the same columns (without samples) and fails the same way, not by panic.
    if !sql.contains("samples") && !sql.contains("sample_count") {
        assert!(store.list_runs(&RunFilter::default()).is_err(), "{sql}");
    }
}

#[test]
fn damaged_rows_are_errors_not_panics() {
    for (sql, expected) in [
        (
            "UPDATE runs SET samples = x'0102' WHERE id = ?1",
            "damaged data in the store (runs 1): samples",
        ),
        (
            "UPDATE runs SET samples = x'' WHERE id = ?1",
            "samples end early",
        ),
        (
            "UPDATE runs SET samples = 'text' WHERE id = ?1",
            "reading run 1",
        ),
        (
            "UPDATE runs SET sample_count = 29 WHERE id = ?1",
            "30 samples stored but 29 recorded",
        ),
        (
            "UPDATE runs SET sample_count = -1 WHERE id = ?1",
            "sample count -1",
        ),
        (
            "UPDATE runs SET format = 'xls' WHERE id = ?1",
            "unknown format \"xls\"",
        ),
        (
            "UPDATE runs SET warnings_json = '{' WHERE id = ?1",
            "warnings",
        ),
        (
            "UPDATE runs SET s_avg_hr = 'fast' WHERE id = ?1",
            "reading run 1",
        ),
        (
            "UPDATE runs SET s_local_offset_s = 99999999999 WHERE id = ?1",
            "reading run 1",
        ),
    ] {
        check_damage(sql, expected);
    }
}

#[test]
fn a_damaged_profile_is_an_error() {
    let store = Store::open_in_memory().expect("open");
    store
        .conn
        .execute_batch(
            "PRAGMA ignore_check_constraints = ON; INSERT INTO profile (id, sex) VALUES (1, 'x')",
        )
        .expect("damage");
    let err = store.profile().expect_err("bad sex");
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                table: "profile",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        store.get_run(RunId(1)),
        Err(StoreError::NotFound { .. })
    ));
}

/// A v1 store's data as v1 wrote it; never edit (stores in the wild hold exactly this).
const V1_DATA: &str = "
    INSERT INTO files VALUES (1, 'export.zip!activities/1.fit.gz', 'fit', 'abc123', 5000, 1793000000);
    INSERT INTO runs (id, file_id, idx_in_file, source, format, content_hash, device, sport,
        sub_sport, name, rpe, start_utc, elapsed_s, has_device_summary, s_start_utc,
        s_local_offset_s, s_elapsed_s, s_distance_m, s_avg_hr, d_start_utc, d_elapsed_s,
        d_distance_m, partial, warnings_json, sample_count, samples)
    VALUES (1, 1, 0, 'export.zip!activities/1.fit.gz', 'fit', 'abc123', 'fr255', 'running',
        'trail', 'Hill reps', 7.0, 1793491200, 2.0, 1, 1793491200, 3600, 1.0, 2.9, 141.0,
        1793491200, 2.0, 3.0, 0, '[\"bad crc\"]', 2,
        x'01020180a0bfc6b268d00f01809b92eb0390030201fff2aa0101a22f320100c40401a82d6402019a0200011801');
    INSERT INTO profile (id, body_mass_kg, sex, birth_year, hr_max, hr_rest)
        VALUES (1, 60.5, 'female', 1990, 190.0, 50.0);
";

/// A v2 store's additions as v2 wrote them; never edit.
const V2_DATA: &str = "
    INSERT INTO episodes VALUES (1, 1793500000, 1793900000, 'left glute', 'resolved');
    INSERT INTO checkins VALUES (1, 1, 1793500000, 'assessment', 'kb-1', '{\"soreness\":5}',
        '{\"hours_since_last_run\":24}', '{\"triage\":\"self_care\"}');
    INSERT INTO checkin_runs VALUES (1, 1);
    INSERT INTO soreness_logs VALUES (1, 1, 1793600000, 4, '[\"buttock\"]', NULL);
";

/// A v3 store's additions as v3 wrote them (the revision moved by the writes); never edit.
const V3_DATA: &str = "
    UPDATE revision SET n = 7 WHERE id = 1;
";

/// A v4 store's additions as v4 wrote them (the figures' revision moved by the writes); never
/// edit.
const V4_DATA: &str = "
    UPDATE figures_revision SET n = 5, edits = 1 WHERE id = 1;
";

/// The fixtures in version order: `FIXTURES[i]` is written by a store at version `i + 1`.
const FIXTURES: &[&str] = &[V1_DATA, V2_DATA, V3_DATA, V4_DATA];

/// Checks that the data of every fixture up to `version` reads back through the current API.
fn check_fixture_data(store: &Store, version: i64) {
    let run = store.get_run(RunId(1)).expect("v1 run reads");
    assert_eq!(run.run.source, "export.zip!activities/1.fit.gz");
    assert_eq!(run.run.sport, runsore_model::Sport::Running);
    assert_eq!(run.run.summary.local_offset_s, Some(3600));
    assert_eq!(
        run.run.device_summary.as_ref().and_then(|d| d.distance_m),
        Some(3.0)
    );
    assert_eq!(run.run.warnings, ["bad crc"]);
    let samples = &run.run.samples;
    assert_eq!(samples.len(), 2);
    assert_eq!(
        (samples[0].t, samples[0].lat, samples[0].hr),
        (1_793_491_200.0, Some(51.5), Some(141))
    );
    assert_eq!(
        (samples[1].lon, samples[1].alt_m, samples[1].temp_c),
        (None, Some(30.5), Some(11))
    );
    assert!(store.has_file("abc123").expect("has"));
    let profile = store.profile().expect("profile");
    assert_eq!(profile.sex, Some(runsore_model::Sex::Female));
    assert_eq!(profile.hr_max, Some(190.0));
    let episodes = store.list_episodes().expect("episodes");
    if version >= 2 {
        assert_eq!(episodes.len(), 1);
        let checkin = &episodes[0].checkins[0];
        assert_eq!(checkin.data.run_ids, [RunId(1)]);
        assert_eq!(checkin.data.result["triage"], "self_care");
        assert_eq!(
            episodes[0].soreness[0].data.regions,
            [runsore_model::Region::Buttock]
        );
    } else {
        assert!(episodes.is_empty());
    }
    // Upgraded to v3, a store starts counting from 0; a v3 store keeps its count.
    assert_eq!(
        store.revision().expect("revision"),
        if version >= 3 { 7 } else { 0 }
    );
    // Upgraded to v4, the figures' revision starts from 0 too.
    let figures = store.figures_revision().expect("figures revision");
    assert_eq!(
        (figures.n, figures.edits),
        if version >= 4 { (5, 1) } else { (0, 0) }
    );
}

#[test]
fn every_earlier_schema_version_upgrades_with_its_data() {
    assert_eq!(
        FIXTURES.len() as i64,
        crate::SCHEMA_VERSION,
        "add a fixture for the new version"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for version in 1..=crate::SCHEMA_VERSION {
        let path = dir.path().join(format!("v{version}.db"));
        {
            let mut conn = rusqlite::Connection::open(&path).expect("raw open");
            crate::schema::migrate_to(&mut conn, version).expect("build old version");
            for data in &FIXTURES[..version as usize] {
                conn.execute_batch(data).expect("fixture data");
            }
        }
        let store = Store::open(&path).expect("upgrade");
        assert_eq!(
            store.schema_version().expect("version"),
            crate::SCHEMA_VERSION
        );
        check_fixture_data(&store, version);
        store.integrity_check().expect("integrity");
        // The upgraded store takes new data of every kind.
        store
            .insert_file(&file("new.fit", T0), &[run("new.fit", T0 + 999_999, 10)])
            .expect("insert after upgrade");
        store
            .open_episode(T0 + 2_000_000, None)
            .expect("episode after upgrade");
    }
}

/// FNV-1a, enough to notice an edited migration (carriage returns ignored, so a Windows
/// checkout hashes the same).
fn fnv1a(text: &str) -> u64 {
    text.bytes()
        .filter(|&b| b != b'\r')
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[test]
fn a_deletion_moves_the_revision_and_a_failed_write_does_not() {
    let store = store_with_trap();
    let first = store
        .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 30)])
        .expect("insert")
        .inserted()[0];
    let before = store.revision().expect("revision");
    store
        .insert_file(&file("mixed.fit", T0), &[run("boom", T0 + 600, 30)])
        .expect_err("trapped");
    assert_eq!(store.revision().expect("revision"), before, "rolled back");
    // A deleted run replaced by another under the same id leaves the count and the highest id
    // as they were: only the revision tells the runs changed.
    let fingerprint = store.runs_fingerprint().expect("fingerprint");
    store
        .conn
        .execute("DELETE FROM files", [])
        .expect("delete (cascading to the runs)");
    let after_delete = store.revision().expect("revision");
    assert_ne!(after_delete, before);
    let second = store
        .insert_file(&file("b.fit", T0), &[run("b.fit", T0 + 86_400, 30)])
        .expect("insert")
        .inserted()[0];
    assert_eq!(second, first);
    assert_eq!(store.runs_fingerprint().expect("fingerprint"), fingerprint);
    assert_ne!(store.revision().expect("revision"), after_delete);
}

#[test]
fn the_figures_revision_moves_with_the_runs_and_the_profile_and_counts_edits() {
    let store = Store::open_in_memory().expect("open");
    let figures = |s: &Store| s.figures_revision().expect("figures revision");
    let start = figures(&store);
    let first = store
        .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 30)])
        .expect("insert")
        .inserted()[0];
    let added = figures(&store);
    assert!(added.n > start.n, "an import moves it");
    assert_eq!(added.edits, start.edits, "an import is no edit");

    // A check-in moves the store's revision, never the figures'.
    let revision = store.revision().expect("revision");
    let episode = store.open_episode(T0, None).expect("episode");
    store
        .add_checkin(&crate::NewCheckIn {
            at_utc: T0,
            kind: crate::CheckInKind::Assessment,
            episode_id: Some(episode.id),
            kb_version: "1".into(),
            intake: serde_json::json!({}),
            evidence: serde_json::json!({}),
            result: serde_json::json!({}),
            run_ids: vec![first],
        })
        .expect("check-in");
    assert_ne!(store.revision().expect("revision"), revision);
    assert_eq!(
        figures(&store),
        added,
        "a check-in left the figures' revision"
    );

    store
        .set_profile(&crate::Profile {
            birth_year: Some(1990),
            ..Default::default()
        })
        .expect("profile");
    let profiled = figures(&store);
    assert!(profiled.n > added.n, "the profile moves it");
    assert_eq!(profiled.edits, added.edits);

    store
        .conn
        .execute(
            "UPDATE runs SET name = 'edited by hand' WHERE id = ?1",
            [first.0],
        )
        .expect("edit");
    let edited = figures(&store);
    assert!(
        edited.n > profiled.n && edited.edits > profiled.edits,
        "an edit is counted"
    );

    store
        .conn
        .execute("DELETE FROM files", [])
        .expect("delete (cascading to the runs)");
    let removed = figures(&store);
    assert!(removed.n > edited.n, "a removal moves it");
    assert_eq!(removed.edits, edited.edits, "a removal is no edit");
}

#[test]
fn run_keys_tell_a_run_from_another_under_the_same_id() {
    let store = Store::open_in_memory().expect("open");
    let all = |s: &Store| {
        s.run_keys_between(i64::MIN / 4, i64::MAX / 4)
            .expect("keys")
    };
    store
        .insert_file(
            &file("two.fit", T0),
            &[run("two.fit", T0 + 600, 30), run("two.fit", T0, 30)],
        )
        .expect("insert");
    let keys = all(&store);
    assert_eq!(keys.len(), 2);
    // By start time: the second run of the file starts first.
    assert_eq!(
        keys.iter().map(|k| k.idx_in_file).collect::<Vec<_>>(),
        [1, 0]
    );
    assert_eq!(keys[0].content_hash, keys[1].content_hash);
    let mut read = Vec::new();
    let ids: Vec<RunId> = keys.iter().map(|k| k.id).rev().collect();
    store
        .visit_runs(&[ids[0], RunId(999), ids[1]], |r| read.push(r.id))
        .expect("visit");
    assert_eq!(read, ids, "in the order asked, a missing id skipped");

    // The same id again, for a run of another file.
    store
        .conn
        .execute("DELETE FROM files", [])
        .expect("delete (cascading to the runs)");
    store
        .insert_file(
            &file("other.fit", T0),
            &[run("other.fit", T0 + 600, 30), run("other.fit", T0, 30)],
        )
        .expect("insert");
    let again = all(&store);
    assert_eq!(
        again.iter().map(|k| k.id).collect::<Vec<_>>(),
        keys.iter().map(|k| k.id).collect::<Vec<_>>(),
        "the ids came back"
    );
    assert!(again.iter().all(|k| !keys.contains(k)), "the keys did not");
}

#[test]
fn migrations_are_append_only() {
    // When adding a migration, append its hash; never change an existing one.
    let frozen: &[u64] = &[
        0xb77b_a8e5_bfa6_6cc5,
        0x24c6_1d05_bb40_5b1d,
        0xe970_2560_567b_2320,
        0x462a_4a6c_adef_2baf,
    ];
    let actual: Vec<u64> = crate::schema::MIGRATIONS.iter().map(|m| fnv1a(m)).collect();
    assert_eq!(
        &actual[..frozen.len()],
        frozen,
        "a released migration was edited"
    );
    assert_eq!(
        actual.len(),
        frozen.len(),
        "freeze the new migration: {actual:x?}"
    );
}

/// Damages a check-in, soreness log or episode row with `sql`, then expects listing to fail
/// with a message containing `expected`.
fn check_checkin_damage(sql: &str, expected: &str) {
    let store = Store::open_in_memory().expect("open");
    let e = store.open_episode(T0, None).expect("episode");
    store
        .add_checkin(&crate::NewCheckIn {
            at_utc: T0,
            kind: crate::CheckInKind::Assessment,
            episode_id: Some(e.id),
            kb_version: "1".into(),
            intake: serde_json::json!({}),
            evidence: serde_json::json!({}),
            result: serde_json::json!({}),
            run_ids: vec![],
        })
        .expect("check-in");
    store
        .log_soreness(&crate::NewSoreness {
            at_utc: T0,
            level: 2,
            regions: vec![],
            note: None,
            episode_id: Some(e.id),
        })
        .expect("soreness");
    store
        .conn
        .execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
        .expect("damage");
    let err = store.list_episodes().expect_err(sql);
    assert!(err.to_string().contains(expected), "{sql}: {err}");
    assert!(store.export_all().is_err(), "{sql}");
}

#[test]
fn damaged_check_ins_are_errors_not_panics() {
    for (sql, expected) in [
        (
            "UPDATE checkins SET intake_json = 'not json'",
            "(checkins 1): intake",
        ),
        (
            "UPDATE checkins SET result_json = ''",
            "(checkins 1): result",
        ),
        ("UPDATE checkins SET kind = 'guess'", "kind \"guess\""),
        ("UPDATE checkins SET at_utc = 'noon'", "reading check-ins"),
        (
            "UPDATE soreness_logs SET level = 12",
            "(soreness_logs 1): level 12",
        ),
        (
            "UPDATE soreness_logs SET regions_json = '[\"elbow\"]'",
            "regions: unknown variant",
        ),
        ("UPDATE episodes SET opened_utc = x'00'", "listing episodes"),
    ] {
        check_checkin_damage(sql, expected);
    }
}
