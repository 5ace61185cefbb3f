//! The runs' views are read again only for the runs that changed: after runs are added, removed
//! (also one whose id a new run then takes) or edited by hand, and after a check-in, every figure
//! a long-running app derives equals what an app that reads every run afresh derives.

#[path = "../benches/support/generate.rs"]
mod generate;

use std::path::Path;

use runsore_app::{App, parse_intake};

const DAY: i64 = 86_400;
/// 2026-05-04T08:00:00Z.
const NOW: i64 = 1_777_881_600;
const INTAKE: &str = r#"{"where":["buttock"],"sides":"both","onset":"next_day","feels":["stiff"],"pain":4,"hours_since_run":26}"#;

/// Every figure the app derives from the runs at `NOW`, as JSON.
fn figures(app: &App) -> serde_json::Value {
    let intake = parse_intake(INTAKE).expect("a valid intake");
    serde_json::json!({
        "report": app.check_report(intake, NOW, true).expect("a report"),
        "training": *app.training(NOW).expect("charts"),
        "counts": app.activity_counts(NOW).expect("counts"),
        "pacing": app.pacing(NOW).expect("pacing"),
    })
}

/// Checks the long-running app against one that reads every run afresh.
fn same_as_fresh(kept: &App, path: &Path, after: &str) {
    let fresh = App::open(path).expect("a second app");
    let (kept, fresh) = (figures(kept), figures(&fresh));
    assert!(
        kept == fresh,
        "after {after}: the kept figures differ from a fresh reading"
    );
}

#[test]
fn figures_kept_across_changes_equal_a_fresh_reading() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("runs.db");
    let writer = runsore_store::Store::open(&path).expect("a store");
    generate::fill(&writer, 30, NOW - 2 * DAY).expect("runs stored");
    let app = App::open(&path).expect("the app");
    let before = figures(&app);
    same_as_fresh(&app, &path, "the first reading");

    // A check-in moves the store's revision, not the runs.
    let checked = app
        .assess(parse_intake(INTAKE).expect("valid"), NOW, true)
        .expect("assessed");
    app.save_checkin(&checked, NOW).expect("saved");
    same_as_fresh(&app, &path, "a check-in");

    // Runs added by another connection (the CLI importing while the web app runs).
    for seed in 1..=3 {
        let (record, run) = generate::evening_run(NOW.div_euclid(DAY) - seed as i64, seed);
        writer.insert_file(&record, &[run]).expect("stored");
    }
    same_as_fresh(&app, &path, "three runs added");
    assert_ne!(figures(&app), before, "the new runs changed the figures");

    // The newest run removed, and another run stored under its id.
    let raw = rusqlite::Connection::open(&path).expect("a raw connection");
    let newest: i64 = raw
        .query_row("SELECT max(id) FROM runs", [], |r| r.get(0))
        .expect("the newest id");
    raw.execute(
        "DELETE FROM files WHERE id = (SELECT file_id FROM runs WHERE id = ?1)",
        [newest],
    )
    .expect("removed");
    same_as_fresh(&app, &path, "a run removed");
    let (record, run) = generate::evening_run(NOW.div_euclid(DAY) - 1, 99);
    let id = writer
        .insert_file(&record, &[run])
        .expect("stored")
        .inserted()[0];
    assert_eq!(id.0, newest, "the new run took the removed run's id");
    same_as_fresh(&app, &path, "a new run under a removed run's id");

    // A run edited in place (by hand: runsore never does): its figures are read again.
    raw.execute(
        "UPDATE runs SET rpe = 9, samples = (SELECT samples FROM runs WHERE id = 1), \
         sample_count = (SELECT sample_count FROM runs WHERE id = 1) WHERE id = ?1",
        [newest],
    )
    .expect("edited");
    same_as_fresh(&app, &path, "a run edited in place");

    // The profile, set by another connection.
    writer
        .set_profile(&runsore_store::Profile {
            birth_year: Some(1980),
            ..Default::default()
        })
        .expect("profile");
    same_as_fresh(&app, &path, "the profile set");
}

/// What `POST /api/assess` answers from without reading the store (`check_report_kept`) follows
/// every commit: after runs added or a check-in saved by another connection (the CLI writing
/// while the web app runs) it is not answered from the kept reading until the store is read
/// again, and then it equals a fresh app's report.
#[test]
fn the_kept_report_follows_every_commit() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("runs.db");
    let writer = runsore_store::Store::open(&path).expect("a store");
    generate::fill(&writer, 10, NOW - 2 * DAY).expect("runs stored");
    let app = App::open(&path).expect("the app");
    let intake = parse_intake(INTAKE).expect("a valid intake");
    let report = |app: &App| {
        serde_json::to_value(
            app.check_report(intake.clone(), NOW, true)
                .expect("a report"),
        )
        .expect("JSON")
    };
    let kept = |app: &App| {
        app.check_report_kept(&intake, NOW)
            .map(|r| serde_json::to_value(r).expect("JSON"))
    };
    let first = report(&app);
    for _ in 0..3 {
        assert_eq!(
            kept(&app).as_ref(),
            Some(&first),
            "kept while nothing commits"
        );
    }
    for seed in 1..=3 {
        let (record, run) = generate::evening_run(NOW.div_euclid(DAY) - seed as i64, seed);
        writer.insert_file(&record, &[run]).expect("stored");
        assert_eq!(kept(&app), None, "run {seed} added by another connection");
        let now = report(&app);
        assert_ne!(now, first, "the new run changes the report");
        assert_eq!(kept(&app).as_ref(), Some(&now));
        assert_eq!(now, report(&App::open(&path).expect("a fresh app")));
    }
    let raw = rusqlite::Connection::open(&path).expect("a raw connection");
    raw.execute("UPDATE revision SET n = n + 1 WHERE id = 1", [])
        .expect("a commit");
    assert_eq!(
        kept(&app),
        None,
        "a commit that changes nothing the report reads"
    );
}
