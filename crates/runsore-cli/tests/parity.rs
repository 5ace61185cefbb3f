//! The CLI and the web app give the same answers: every vignette of the test data through
//! `runsore check --intake - --json` and through `POST /api/assess` of a real `runsore serve`
//! process, and a follow-up sequence (day 1; day 6 and worse; then a red flag) through
//! `runsore check --follow-up` and `POST /api/checkins/{id}/followups`; and the runner's words
//! with a relative day through `runsore check --story` and the web's check-in form.

mod common;

use std::path::{Path, PathBuf};

use common::{Server, serve};
use serde_json::{Value, json};

/// `runsore check` with `args`, the intake on standard input; the JSON it prints.
fn cli(db: &Path, now: Option<&str>, args: &[&str], stdin: &str) -> Value {
    common::cli_json(db, now, args, stdin)
}

fn vignette_files() -> Vec<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runsore-triage/tests/data");
    [
        "extra_vignettes.json",
        "reviewer_vignettes.json",
        "reviewer2_vignettes.json",
    ]
    .iter()
    .map(|f| data.join(f))
    .collect()
}

fn fields<'a>(v: &'a Value, list: &str, key: &str) -> Vec<&'a Value> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|x| &x[key])
        .collect()
}

#[test]
fn every_vignette_gets_the_same_assessment_from_the_cli_and_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("web.db"), None);
    let cli_db = dir.path().join("cli.db");
    let mut compared = 0;
    for file in vignette_files() {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in cases {
            let intake = case["intake"].to_string();
            let id = &case["id"];
            let from_cli = cli(
                &cli_db,
                None,
                &["check", "--intake", "-", "--json"],
                &intake,
            );
            let (status, from_web) = server.post("/api/assess", &intake);
            assert_eq!(status, 200, "{id}: {from_web}");
            assert_eq!(from_cli["triage"], from_web["triage"], "{id}: triage");
            assert_eq!(
                fields(&from_cli, "conditions", "id"),
                fields(&from_web, "conditions", "id"),
                "{id}: ranking"
            );
            assert_eq!(
                fields(&from_cli, "questions", "field"),
                fields(&from_web, "questions", "field"),
                "{id}: questions"
            );
            // One assessment type, serialised the same way by both.
            assert_eq!(from_cli, from_web, "{id}: the whole assessment");
            compared += 1;
        }
    }
    assert!(compared >= 150, "only {compared} vignettes compared");
}

#[test]
fn a_follow_up_sequence_is_the_same_through_the_cli_and_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let cli_db = dir.path().join("cli.db");
    let web_db = dir.path().join("web.db");
    let first = json!({
        "where": ["buttock"], "sides": "both", "onset": "next_day", "feels": ["stiff", "aching"],
        "tender_to_touch": true, "pain": 4, "hours_since_run": 24, "can_bear_weight": true,
        "dark_urine": false,
        "run": {"minutes": 110, "distance_km": 18, "intensity": "steady", "unaccustomed": true}
    })
    .to_string();
    let steps = [
        ("2026-05-09T08:00:00Z", json!({"trend": "worse", "pain": 6})),
        (
            "2026-05-09T20:00:00Z",
            json!({"trend": "same", "pain": 6, "fever": true}),
        ),
    ];

    let day1 = "2026-05-04T08:00:00Z";
    let cli_day1 = cli(
        &cli_db,
        Some(day1),
        &["check", "--intake", "-", "--json", "--save"],
        &first,
    );
    let web_day1 = {
        let server = serve(&web_db, Some(day1));
        let (status, body) = server.post("/api/checkins", &first);
        assert_eq!(status, 201, "{body}");
        body
    };
    assert_eq!(cli_day1, web_day1["assessment"], "day 1");
    let id = web_day1["id"].as_i64().unwrap();

    let mut results = Vec::new();
    for (now, answers) in &steps {
        let from_cli = cli(
            &cli_db,
            Some(now),
            &["check", "--follow-up", "--intake", "-", "--json"],
            &answers.to_string(),
        );
        let server = serve(&web_db, Some(now));
        let (status, from_web) = server.post(
            &format!("/api/checkins/{id}/followups"),
            &answers.to_string(),
        );
        assert_eq!(status, 201, "{from_web}");
        assert_eq!(from_cli, from_web, "follow-up at {now}");
        results.push(from_web);
    }
    // Day 6 and worse is off the course of DOMS and calls for a clinician.
    assert_eq!(results[0]["follow_up"]["status"], "worse", "{}", results[0]);
    // Then a red flag wins over the course: fever is at least urgent, and said.
    assert!(
        ["urgent", "emergency"].contains(&results[1]["triage"].as_str().unwrap()),
        "{}",
        results[1]
    );
    assert!(
        !results[1]["red_flags"].as_array().unwrap().is_empty(),
        "{}",
        results[1]
    );
}

/// Fever gives at least urgent through the CLI and the API alike (contract version 2).
#[test]
fn fever_is_at_least_urgent_through_the_cli_and_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("web.db"), None);
    let intake = r#"{"where":["buttock"],"fever":true}"#;
    let from_cli = cli(
        &dir.path().join("cli.db"),
        None,
        &["check", "--intake", "-", "--json"],
        intake,
    );
    let (status, from_web) = server.post("/api/assess", intake);
    assert_eq!(status, 200, "{from_web}");
    for (who, v) in [("cli", &from_cli), ("api", &from_web)] {
        let level = v["triage"].as_str().unwrap();
        assert!(["urgent", "emergency"].contains(&level), "{who}: {level}");
    }
    assert_eq!(from_cli, from_web);
}

impl Server {
    /// The intake the web's check-in form understood from `story`: the form is sent as a
    /// browser sends it (the CSRF cookie and field from the page), and the intake is read from
    /// the next step's address, which carries the whole check-in so far.
    fn story_through_the_form(&self, story: &str) -> Value {
        let page = runsore_testkit::http(&self.addr, "GET /checkin HTTP/1.0", b"");
        assert_eq!(page.status, 200, "{}", page.body);
        let session = runsore_testkit::Session::from_page(page.all("set-cookie"), &page.body);
        let encode = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let form = format!("csrf={}&story={}", encode(&session.token), encode(story));
        let sent = runsore_testkit::http(
            &self.addr,
            &format!(
                "POST /checkin HTTP/1.0\r\nCookie: {}\r\n\
                 Content-Type: application/x-www-form-urlencoded",
                session.cookie
            ),
            form.as_bytes(),
        );
        assert_eq!(sent.status, 303, "{}", sent.body);
        let location = sent.header("location").expect("the next step");
        let intake = location
            .split(['?', '&'])
            .find_map(|kv| kv.strip_prefix("intake="))
            .expect("the check-in's intake in the address");
        let intake = percent_encoding::percent_decode_str(&intake.replace('+', " "))
            .decode_utf8()
            .unwrap()
            .into_owned();
        serde_json::from_str(&intake).unwrap()
    }
}

/// The runner's words are read as at the time of the check by both front ends: "since Sunday"
/// through `runsore check --story` and through the web's check-in form, at the same fixed time,
/// gives the same days since onset (and a different time gives a different count, so the clock
/// is really used).
#[test]
fn a_relative_day_in_the_words_is_the_same_day_through_the_cli_and_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let story = "My right buttock has been sore since Sunday, after a long hilly run.";
    let mut days = Vec::new();
    // A Wednesday and the Friday after.
    for now in ["2026-05-06T10:00:00Z", "2026-05-08T10:00:00Z"] {
        let from_cli = cli(
            &dir.path().join("cli.db"),
            Some(now),
            &["check", "--story", "-", "--json"],
            story,
        );
        let server = serve(&dir.path().join("web.db"), Some(now));
        let from_web = server.story_through_the_form(story);
        let understood = &from_cli["understood"]["days_since_onset"];
        assert!(understood.is_number(), "{now}: {}", from_cli["understood"]);
        assert_eq!(
            understood, &from_web["days_since_onset"],
            "{now}: {from_web}"
        );
        days.push(understood.as_f64().unwrap());
    }
    assert_eq!(
        days,
        [3.0, 5.0],
        "Sunday seen from a Wednesday and a Friday"
    );
}

/// `runsore load` and the web's training charts are one use case: for the same store, profile
/// (the age sets the estimated maximum heart rate, and with it the load) and day they give the
/// same report. Checked the morning after the half marathon, and months later, when both end
/// at the latest run rather than at an empty today.
#[test]
fn the_load_report_is_the_same_through_the_cli_and_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let files = common::watch_folder(dir.path());
    let db = common::imported(dir.path(), &files);
    cli(
        &db,
        None,
        &[
            "--json",
            "profile",
            "--birth-year",
            "1961",
            "--sex",
            "female",
        ],
        "",
    );
    for (now, day) in [
        ("2025-05-08T09:00:00Z", "2025-05-08"),
        ("2025-12-01T09:00:00Z", "2025-05-07"),
    ] {
        let from_cli = cli(&db, Some(now), &["--json", "load"], "");
        let server = serve(&db, Some(now));
        let from_web = server.json("GET", "/api/training", "");
        assert_eq!(from_cli["today"], day, "{now}");
        let km = common::sum(&from_cli, "weeks", "distance_km");
        assert!(km > 50.0, "{now}: the report holds the runs ({km} km)");
        assert_eq!(from_cli, from_web["report"], "{now}: the same report");
    }
}

/// The pacing a check gives (its likely cause is overload) is the load report's pacing for the
/// same store and day, also with half a year of runs behind it (a check reads the runs of the
/// last weeks for its evidence, but pacing must not forget what fitness remembers).
#[test]
fn a_checks_pacing_is_the_load_reports_pacing() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("watch");
    std::fs::create_dir(&files).unwrap();
    // 180 days of runs every third day, longer in the first months, then a long hilly run.
    let start = common::DAY0 - 150 * 86_400;
    for d in (0..180).step_by(3) {
        let km = if d < 90 { 14.0 } else { 7.0 };
        let text = common::gpx(start + d * 86_400 + 7 * 3600, km, 150, |k| {
            40.0 + 5.0 * k.sin()
        });
        std::fs::write(files.join(format!("run-{d:03}.gpx")), text).unwrap();
    }
    let long = common::gpx(start + 181 * 86_400 + 8 * 3600, 21.0, 160, |k| {
        40.0 + 300.0 * (1.0 - (k - 10.5).abs() / 10.5)
    });
    std::fs::write(files.join("long.gpx"), long).unwrap();
    let db = common::imported(dir.path(), &files);
    let now = common::rfc3339(start + 182 * 86_400 + 9 * 3600);
    let intake = r#"{"where":["buttock"],"sides":"both","onset":"next_day","days_since_onset":1,"pain":4,"feels":["stiff","aching"],"tender_to_touch":true}"#;
    let checked = cli(
        &db,
        Some(&now),
        &["--json", "check", "--intake", "-"],
        intake,
    );
    let load = cli(&db, Some(&now), &["--json", "load"], "");
    assert!(checked["pacing"].is_object(), "{checked:#}");
    assert_eq!(checked["pacing"], load["pacing"], "the same pacing");
}
