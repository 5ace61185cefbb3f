//! The `runsore` binary as a person (or a script) uses it: real processes, a real SQLite file in
//! a temporary folder, real watch files from the import crate's test data.

mod common;

use std::path::{Path, PathBuf};

use common::{ok_json as stdout_json, run};
use serde_json::{Value, json};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runsore-import/tests/data")
        .join(path)
}

fn db(dir: &tempfile::TempDir) -> String {
    dir.path().join("runsore.db").display().to_string()
}

/// Every kind of bad intake: exit code 2, nothing on stdout, and a message naming the problem.
/// `runsore --db DB --now NOW check --intake - --no-runs ARGS` with `intake` on standard input;
/// its output, which must be a success.
fn check_at(db: &str, now: &str, args: &[&str], intake: &str) -> std::process::Output {
    let mut all = vec![
        "--db",
        db,
        "--now",
        now,
        "check",
        "--intake",
        "-",
        "--no-runs",
    ];
    all.extend_from_slice(args);
    let out = run(&all, intake);
    assert!(
        out.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A check-in saved at `now` (no runs); the JSON result.
fn saved_check(db: &str, now: &str, intake: &Value) -> Value {
    stdout_json(&check_at(
        db,
        now,
        &["--json", "--save"],
        &intake.to_string(),
    ))
}

/// A follow-up of the open episode at `now` (no runs); the JSON result.
fn follow_up(db: &str, now: &str, answers: &Value) -> Value {
    stdout_json(&check_at(
        db,
        now,
        &["--json", "--follow-up"],
        &answers.to_string(),
    ))
}

#[test]
fn bad_intake_exits_2_and_names_the_field() {
    let cases: &[(&str, &[&str])] = &[
        (
            "{\"where\": [\"buttock\"],\n \"pain\": ",
            &["malformed", "line 2"],
        ),
        (r#"{"wher": ["buttock"]}"#, &["`wher`", "`where`"]),
        (r#"{"run": {"minuts": 30}}"#, &["run.minuts", "run.minutes"]),
        (r#"{"pain": "bad"}"#, &["pain"]),
        (r#"{"pain": 11}"#, &["pain"]),
        (r#"{"where": ["elbow"]}"#, &["where"]),
        (r#"{"age": 5}"#, &["age"]),
        ("[1, 2]", &[]),
    ];
    for (input, words) in cases {
        let out = run(&["check", "--intake", "-", "--json", "--no-runs"], input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{input}: {stderr}");
        assert!(out.stdout.is_empty(), "{input}: stdout not empty");
        for w in *words {
            assert!(stderr.contains(w), "{input}: {stderr:?} lacks {w:?}");
        }
    }
    let out = run(&["check", "--intake", "/no/such/file.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.json"));
    let out = run(&["import", "/no/such/folder"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["check"], "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "no answers and no terminal is bad input"
    );
}

#[test]
fn check_prints_the_contract_and_the_disclaimer() {
    let intake = json!({"where": ["buttock"], "onset": "next_day"});
    let out = stdout_json(&run(
        &["check", "--intake", "-", "--json", "--no-runs"],
        &intake.to_string(),
    ));
    assert!(
        ["self_care", "see_doctor", "urgent", "emergency"]
            .contains(&out["triage"].as_str().unwrap())
    );
    let probs = common::sum(&out, "conditions", "probability");
    assert!((probs - 1.0).abs() < 0.02, "probabilities sum to {probs}");
    let first = &out["questions"][0];
    assert!(first["field"].is_string() && first["text"].is_string());
    assert!(
        out["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not a diagnosis")
    );

    let text = run(
        &["check", "--intake", "-", "--no-runs"],
        &intake.to_string(),
    );
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("not a diagnosis"));
}

#[test]
fn story_fills_the_intake_and_says_what_it_understood() {
    let story = "Ran a hot half marathon on water only. Both glutes cramped up in the last few miles and I feel weak all over. No dark urine.";
    let out = stdout_json(&run(
        &["check", "--story", "-", "--json", "--no-runs"],
        story,
    ));
    assert_eq!(out["understood"]["run"]["hot"], json!(true));
    // A danger sign of the safety screen denied in words is shown as read but stays unknown, so
    // the screen still asks it: a misread denial must not hide an emergency sign.
    assert_eq!(out["understood"].get("dark_urine"), None);
    let from = out["understood_from"].as_array().expect("understood_from");
    assert!(
        from.iter()
            .any(|s| s["field"] == json!("dark_urine") && s["value"] == json!(false)),
        "{from:?}"
    );
    let questions = out["questions"].to_string();
    assert!(questions.contains("dark_urine"), "{questions}");
}

/// Issue 6: a DOMS episode walked over four simulated days; the triage rises when the course
/// goes wrong (worse after the usual peak), and history shows the course.
#[test]
fn issue_6_doms_episode_over_four_days_escalates_when_off_course() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let first = json!({
        "where": ["buttock"], "sides": "both", "onset": "next_day", "feels": ["stiff", "aching"],
        "tender_to_touch": true, "pain": 4, "hours_since_run": 24, "swelling": false,
        "can_bear_weight": true, "sudden": false, "dark_urine": false,
        "run": {"minutes": 110, "distance_km": 18, "intensity": "steady", "unaccustomed": true}
    });
    let day1 = saved_check(&db, "2026-05-04T08:00:00Z", &first);
    assert_eq!(day1["conditions"][0]["id"], "doms");
    assert_eq!(day1["triage"], "self_care");

    let follow = |now: &str, answers: Value| follow_up(&db, now, &answers);
    let day2 = follow(
        "2026-05-05T08:00:00Z",
        json!({"trend": "worse", "pain": 5, "dark_urine": false}),
    );
    assert_eq!(
        day2["follow_up"]["status"], "on_course",
        "worse at 48 h is the usual DOMS peak"
    );
    assert_eq!(day2["triage"], "self_care");
    let day3 = follow(
        "2026-05-06T08:00:00Z",
        json!({"trend": "better", "pain": 3, "dark_urine": false}),
    );
    assert_eq!(day3["triage"], "self_care");
    let day4 = follow(
        "2026-05-08T08:00:00Z",
        json!({"trend": "worse", "pain": 6, "dark_urine": false}),
    );
    assert_eq!(day4["follow_up"]["status"], "worse");
    assert_eq!(day4["triage"], "see_doctor");
    let message = day4["follow_up"]["message"].as_str().unwrap();
    assert!(
        message.contains("worse: this is not the usual course of"),
        "{message}"
    );

    // A red flag at follow-up wins over any course.
    let flag = follow(
        "2026-05-08T20:00:00Z",
        // (Dark urine counts within 3 days of the run in contract v2; this is day 4.)
        json!({"trend": "same", "dark_urine": false, "chest_pain": true}),
    );
    assert_eq!(flag["triage"], "emergency");

    // A quick soreness note between check-ins lands in the open episode.
    let logged = stdout_json(&run(
        &[
            "--db",
            &db,
            "--json",
            "--now",
            "2026-05-09T08:00:00Z",
            "log",
            "3",
            "--where",
            "buttock",
        ],
        "",
    ));
    assert_eq!(logged["logged"], 3);
    let bad = run(&["--db", &db, "log", "4", "--where", "elbow"], "");
    assert_eq!(bad.status.code(), Some(2));

    // Gone: the episode closes and the runner gets a way back to running.
    let gone = follow(
        "2026-05-10T08:00:00Z",
        json!({"trend": "gone", "pain": 0, "dark_urine": false}),
    );
    assert_eq!(gone["follow_up"]["status"], "resolved");
    assert!(
        gone["back_to_running"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "{gone}"
    );

    let history = stdout_json(&run(&["--db", &db, "history", "--json"], ""));
    let checkins = history[0]["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 6);
    assert_eq!(checkins[3]["triage"], "see_doctor");
    assert_eq!(history[0]["soreness"][0]["level"], 3);
    assert!(history[0]["closed"].is_string(), "the episode closed");
}

/// Red-flag answers are never carried into a follow-up: a rule reads `can_bear_weight` as
/// `!can_bear_weight`, and the follow-up asks it again rather than keeping the earlier "yes"
/// (severe pain: a picture where not standing is possible, so it is asked itself, not the limp in
/// its place).
#[test]
fn follow_up_asks_can_bear_weight_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let first = json!({
        "where": ["groin"], "onset": "gradual_weeks", "pain": 7, "days_since_onset": 14,
        "can_bear_weight": true
    });
    let day1 = saved_check(&db, "2026-05-04T08:00:00Z", &first);
    let asks = |v: &Value| {
        v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["field"] == "can_bear_weight")
    };
    assert!(!asks(&day1), "answered at the first check: {day1}");
    let day2 = follow_up(
        &db,
        "2026-05-05T08:00:00Z",
        &json!({"trend": "same", "pain": 7}),
    );
    assert!(asks(&day2), "asked again at the follow-up: {day2}");
    let q = day2["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["field"] == "can_bear_weight")
        .unwrap();
    assert_eq!(q["red_flag"], true, "{q}");
}

#[test]
fn follow_up_without_an_episode_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["--db", &db(&dir), "check", "--follow-up", "--intake", "-"],
        r#"{"trend":"better"}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("runsore check"));
}

/// A follow-up's result reads like a check's: the course first, then the short result (one
/// screen, no list of sources) unless `--full` is asked for; both end with the disclaimer.
#[test]
fn follow_up_output_is_short_unless_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let first = r#"{"where":["buttock"],"onset":"next_day","hours_since_run":24,"pain":4,
        "feels":["stiff"],"can_bear_weight":true}"#;
    check_at(&db, "2026-05-04T08:00:00Z", &["--save"], first);
    let follow = |extra: &[&str]| {
        let mut args = vec!["--follow-up"];
        args.extend_from_slice(extra);
        let answers = r#"{"trend":"better","pain":2,"can_bear_weight":true}"#;
        String::from_utf8(check_at(&db, "2026-05-06T08:00:00Z", &args, answers).stdout).unwrap()
    };
    let short = follow(&[]);
    assert!(short.starts_with("Follow-up, on course"), "{short}");
    assert!(
        !short.contains("doi.org"),
        "no sources by default:\n{short}"
    );
    assert!(short.contains("--full"), "{short}");
    let disclaimer = runsore_triage::knowledge().disclaimer.trim();
    assert!(short.trim_end().ends_with(disclaimer), "{short}");
    // A later follow-up with --full (the first did not close the episode: pain is not gone).
    let full = follow(&["--full"]);
    assert!(full.contains("doi.org"), "{full}");
    assert!(full.len() > short.len());
}

/// Issue 3: files of every format into a real SQLite file; a second import changes nothing; the
/// JSON rows carry null for what is unknown, never 0; bad files are reported and the rest go on.
#[test]
fn import_twice_changes_nothing_and_runs_list_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let files = [
        data("fit/fitparse__2013-02-06-12-11-14.fit"),
        data("gpx/gpxrs__garmin-activity.gpx"),
        data("tcx/runv__activity.tcx.gz"),
        data("fit/fitparse__Settings.fit"),
    ];
    let garbage = dir.path().join("garbage.gpx");
    std::fs::write(&garbage, b"\x00\x01 this is not xml").unwrap();
    let mut args = vec!["--db", db.as_str(), "--json", "import"];
    let names: Vec<String> = files
        .iter()
        .chain([&garbage])
        .map(|p| p.display().to_string())
        .collect();
    args.extend(names.iter().map(String::as_str));
    let out = run(&args, "");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad file in the batch sets exit code 2"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 5 files could not be imported"));
    let first: Value = serde_json::from_slice(&out.stdout).expect("the summary is still printed");
    assert_eq!(first["files"], 5);
    assert_eq!(first["files_imported"], 3, "{first}");
    assert_eq!(
        first["skipped"].as_array().unwrap().len(),
        1,
        "the settings file is skipped"
    );
    let failed = first["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["file"].as_str().unwrap().contains("garbage.gpx"));

    let again: Value = serde_json::from_slice(&run(&args, "").stdout).unwrap();
    assert_eq!(again["runs_imported"], 0);
    assert_eq!(again["already_present"], 3);

    let runs = stdout_json(&run(&["--db", &db, "--json", "runs"], ""));
    let runs = runs.as_array().unwrap();
    assert_eq!(
        runs.len(),
        first["runs_imported"].as_u64().unwrap() as usize
    );
    for r in runs {
        for key in [
            "id",
            "source",
            "sport",
            "start",
            "elapsed_s",
            "moving_s",
            "distance_m",
            "ascent_m",
            "descent_m",
            "avg_hr",
            "max_hr",
        ] {
            assert!(r.get(key).is_some(), "run lacks {key}: {r}");
        }
        for key in ["avg_hr", "max_hr", "distance_m"] {
            assert_ne!(r[key], json!(0), "{key} is 0 rather than null: {r}");
        }
        assert!(r["start"].as_str().unwrap().ends_with('Z'));
    }
    let fr110 = runs
        .iter()
        .find(|r| r["source"].as_str().unwrap().contains("2013-02-06"))
        .unwrap();
    assert_eq!(fr110["sport"], "running");
    assert_eq!(fr110["start"], "2013-02-06T12:11:14Z");
    let shown = stdout_json(&run(
        &[
            "--db",
            &db,
            "--json",
            "runs",
            "show",
            &fr110["id"].to_string(),
        ],
        "",
    ));
    assert_eq!(shown["id"], fr110["id"]);
    let missing = run(&["--db", &db, "runs", "show", "99999"], "");
    assert_eq!(missing.status.code(), Some(2));
}

/// Issue 4: runs from a real file become evidence that changes the assessment, and the
/// explanation names the run.
#[test]
fn issue_4_imported_runs_feed_the_engine_and_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let file = data("fit/fitparse__2013-02-06-12-11-14.fit")
        .display()
        .to_string();
    stdout_json(&run(&["--db", &db, "--json", "import", &file], ""));
    let intake = json!({"where": ["buttock"], "onset": "next_day"}).to_string();
    let now = "2013-02-07T13:00:00Z";
    let with = stdout_json(&run(
        &[
            "--db", &db, "--now", now, "check", "--intake", "-", "--json",
        ],
        &intake,
    ));
    let without = stdout_json(&run(
        &[
            "--db",
            &db,
            "--now",
            now,
            "check",
            "--intake",
            "-",
            "--json",
            "--no-runs",
        ],
        &intake,
    ));
    let from_runs = with["from_runs"].as_array().unwrap();
    assert!(!from_runs.is_empty(), "no evidence from the stored run");
    assert!(from_runs.iter().any(|f| f["field"] == "hours_since_run"));
    assert!(
        from_runs
            .iter()
            .all(|f| f["because"].as_str().is_some_and(|b| !b.is_empty()))
    );
    assert_ne!(
        with["conditions"], without["conditions"],
        "the run changed nothing"
    );
}

/// Issue 6: export then restore into an empty store gives identical data.
#[test]
fn issue_6_export_then_restore_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(&dir);
    let file = data("fit/fitparse__2013-02-06-12-11-14.fit")
        .display()
        .to_string();
    stdout_json(&run(&["--db", &db, "--json", "import", &file], ""));
    let intake = json!({"where": ["buttock"], "onset": "next_day", "pain": 3}).to_string();
    stdout_json(&run(
        &[
            "--db",
            &db,
            "--now",
            "2013-02-07T13:00:00Z",
            "check",
            "--intake",
            "-",
            "--json",
            "--save",
        ],
        &intake,
    ));
    let out1 = dir.path().join("out1");
    stdout_json(&run(
        &[
            "--db",
            &db,
            "--json",
            "export",
            "--out",
            &out1.display().to_string(),
        ],
        "",
    ));

    let db2 = dir.path().join("second.db").display().to_string();
    // `runsore import` of the export restores it, as `runsore restore` does.
    let restored = stdout_json(&run(
        &[
            "--db",
            &db2,
            "--json",
            "import",
            &out1.join("runsore-export.json").display().to_string(),
        ],
        "",
    ));
    assert_eq!(restored["runs"], 1);
    let out2 = dir.path().join("out2");
    stdout_json(&run(
        &[
            "--db",
            &db2,
            "--json",
            "export",
            "--out",
            &out2.display().to_string(),
        ],
        "",
    ));
    let a: Value =
        serde_json::from_slice(&std::fs::read(out1.join("runsore-export.json")).unwrap()).unwrap();
    let b: Value =
        serde_json::from_slice(&std::fs::read(out2.join("runsore-export.json")).unwrap()).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        std::fs::read_to_string(out1.join("runs.csv")).unwrap(),
        std::fs::read_to_string(out2.join("runs.csv")).unwrap()
    );
}

/// `check --schema` prints the repository's `schema/intake.schema.json`, and `check --help`
/// points at it, so a runner holding only the binary can still write an intake.
#[test]
fn check_prints_the_committed_schema_and_its_help_points_at_it() {
    let out = run(&["check", "--schema"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/intake.schema.json"),
    )
    .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
    let help = run(&["check", "--help"], "");
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("schema/intake.schema.json"), "{help}");
    assert!(help.contains("--schema"), "{help}");
}
