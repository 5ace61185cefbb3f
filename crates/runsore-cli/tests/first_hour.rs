//! Issue 15, "the terminal": the small things a runner meets in their first hour with the CLI.
//! Each test runs the real binary on a real SQLite file and generated GPX files.

mod common;

use std::process::Output;

fn run(args: &[&str]) -> Output {
    common::runsore()
        .env_remove("RUNSORE_DB")
        .env_remove("RUNSORE_NOW")
        .args(args)
        .output()
        .expect("runsore runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn setup() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("runs");
    std::fs::create_dir(&files).unwrap();
    common::history(&files);
    let db = dir.path().join("runsore.db").display().to_string();
    (dir, db, files.display().to_string())
}

#[test]
fn runs_says_when_it_stops_at_its_limit_and_pages_on() {
    let (_dir, db, files) = setup();
    assert!(run(&["--db", &db, "import", &files]).status.success());
    let (out, _) = text(&run(&["--db", &db, "runs", "--limit", "8"]));
    assert!(out.contains("showing 8 runs (page 1)"), "{out}");
    assert!(out.contains("--page 2"), "{out}");
    let (page3, _) = text(&run(&["--db", &db, "runs", "--limit", "8", "--page", "3"]));
    // 20 runs: pages of 8, 8 and 4; the last says nothing about more.
    assert_eq!(
        page3.lines().filter(|l| l.contains(".gpx")).count(),
        4,
        "{page3}"
    );
    assert!(!page3.contains("more are stored"), "{page3}");
    let json = run(&["--db", &db, "--json", "runs", "--limit", "8"]);
    let (stdout, stderr) = text(&json);
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 8);
    assert!(stderr.contains("more are stored"), "{stderr}");
    // Every run once across the pages.
    let mut ids = Vec::new();
    for page in ["1", "2", "3"] {
        let (s, _) = text(&run(&[
            "--db", &db, "--json", "runs", "--limit", "8", "--page", page,
        ]));
        let rows: serde_json::Value = serde_json::from_str(&s).unwrap();
        ids.extend(rows.as_array().unwrap().iter().map(|r| r["id"].clone()));
    }
    ids.sort_by_key(|v| v.as_i64());
    ids.dedup();
    assert_eq!(ids.len(), 20);
}

#[test]
fn importing_an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("nothing");
    std::fs::create_dir(&empty).unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let out = run(&["--db", &db, "import", &empty.display().to_string()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no files to import"), "{stderr}");
}

#[test]
fn one_run_is_one_run_and_a_failure_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("runs");
    std::fs::create_dir(&files).unwrap();
    let one = common::gpx(common::DAY0 + 7 * 3600, 5.0, 140, |_| 40.0);
    std::fs::write(files.join("one.gpx"), one).unwrap();
    std::fs::write(
        files.join("broken.fit"),
        b"\x0e\x10garbage that is no FIT file at all",
    )
    .unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let out = run(&["--db", &db, "import", &files.display().to_string()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("1 run imported from 1 file"), "{stdout}");
    assert!(
        !stdout.contains("1 runs") && !stdout.contains("1 files"),
        "{stdout}"
    );
    let both = format!("{stdout}{stderr}");
    assert_eq!(both.matches("broken.fit").count(), 1, "{both}");
}

#[test]
fn history_is_in_time_order_with_logs_before_any_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let at = |t: &str| format!("2025-05-0{t}");
    assert!(
        run(&[
            "--db",
            &db,
            "--now",
            &at("1T08:00:00Z"),
            "log",
            "3",
            "--where",
            "glutes"
        ])
        .status
        .success()
    );
    let intake = dir.path().join("intake.json");
    std::fs::write(
        &intake,
        r#"{"where":["buttock"],"onset":"next_day","pain":4}"#,
    )
    .unwrap();
    let intake = intake.display().to_string();
    let check = |t: &str| {
        run(&[
            "--db",
            &db,
            "--now",
            t,
            "check",
            "--intake",
            &intake,
            "--save",
            "--no-runs",
        ])
    };
    assert!(check(&at("2T08:00:00Z")).status.success());
    assert!(
        run(&["--db", &db, "--now", &at("3T08:00:00Z"), "log", "2"])
            .status
            .success()
    );
    assert!(check(&at("4T08:00:00Z")).status.success());
    let (out, _) = text(&run(&["--db", &db, "history"]));
    // The log before the first check-in is shown, and the rows run in time order.
    let days: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim_start().get(..10))
        .filter(|d| d.starts_with("2025-05-0"))
        .collect();
    assert_eq!(
        days,
        ["2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04"],
        "{out}"
    );
    assert!(out.contains("buttock"), "glutes is the buttock: {out}");
}

#[test]
fn the_store_is_named_and_a_future_birth_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let (out, _) = text(&run(&["--db", &db, "profile"]));
    assert!(out.contains(&format!("stored in   {db}")), "{out}");
    let (help, _) = text(&run(&["--help"]));
    assert!(help.contains("runsore.db"), "{help}");
    let out = run(&["--db", &db, "profile", "--birth-year", "2030"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--birth-year"), "{stderr}");
    assert!(
        run(&["--db", &db, "profile", "--birth-year", "1980"])
            .status
            .success()
    );
}

#[test]
fn log_knows_the_runners_words_for_a_region() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("runsore.db").display().to_string();
    let (out, err) = text(&run(&["--db", &db, "log", "4", "--where", "glutes"]));
    assert!(out.contains("(buttock)"), "{out}{err}");
    let bad = run(&["--db", &db, "log", "4", "--where", "elbow"]);
    assert_eq!(bad.status.code(), Some(2));
}
