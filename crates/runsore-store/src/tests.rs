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
