//! The web app keeps what it derives from the store (the runs' views, the evidence, pacing, the
//! training charts, the check-ins) for the store's revision, and another process's change shows
//! at once: a `runsore import` or `runsore restore` run while `runsore serve` is up, as real
//! processes, is in the very next answer, the same as the CLI's own.

mod common;

use std::path::Path;

use common::{Server, serve};
use serde_json::Value;

/// The morning after the half marathon of [`common::history`].
const NOW: &str = "2025-05-08T09:00:00Z";
const INTAKE: &str = r#"{"where":["buttock"],"onset":"next_day","days_since_onset":0.5,"pain":4,"feels":["stiff","aching"],"tender_to_touch":true}"#;

/// Runs the CLI at [`NOW`] with `args` (and `stdin`), expecting success; its standard output.
fn cli(db: &Path, args: &[&str], stdin: &str) -> Vec<u8> {
    let out = common::run_command(common::runsore_on(db, Some(NOW)), args, stdin);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What the server shows of the runs: how many, the evidence and pacing of an assessment,
/// the training charts' distance, and the check-ins.
fn looks(server: &Server) -> (u64, Value, Value, f64, usize) {
    let runs = server.json("GET", "/api/runs?limit=1", "");
    let assessed = server.json("POST", "/api/assess", INTAKE);
    let training = server.json("GET", "/api/training", "");
    let km = common::sum(&training, "weeks", "distance_km");
    let checkins = server.json("GET", "/api/checkins", "");
    (
        runs["total"].as_u64().unwrap(),
        assessed["runs_evidence"].clone(),
        assessed["pacing"].clone(),
        km,
        checkins["checkins"].as_array().unwrap().len(),
    )
}

/// The findings and pacing `runsore check --json` gives for the intake on `db`.
fn cli_check(db: &Path) -> (Value, Value) {
    let out: Value =
        serde_json::from_slice(&cli(db, &["--json", "check", "--intake", "-"], INTAKE)).unwrap();
    (out["runs_evidence"].clone(), out["pacing"].clone())
}

fn assert_shows_the_history(server: &Server, db: &Path, checkins: usize) {
    let (runs, evidence, pacing, km, listed) = looks(server);
    assert_eq!(runs, 20, "every imported run is listed");
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["because"].as_str().unwrap().contains("21 km")),
        "the half marathon explains the soreness: {evidence:#}"
    );
    assert!(km > 150.0, "the charts hold the runs: {km} km");
    assert_eq!(listed, checkins);
    assert_eq!(
        (evidence, pacing),
        cli_check(db),
        "the server answers as the CLI does"
    );
}

#[test]
fn a_cli_import_while_the_server_runs_shows_in_the_next_answer() {
    let dir = tempfile::tempdir().unwrap();
    let files = common::watch_folder(dir.path());
    let db = dir.path().join("store.db");
    let server = serve(&db, Some(NOW));
    // Asked twice, so that whatever the server keeps is kept before the store changes.
    for _ in 0..2 {
        let (runs, evidence, _, km, checkins) = looks(&server);
        assert_eq!((runs, km, checkins), (0, 0.0, 0));
        assert_eq!(evidence, Value::Array(Vec::new()));
    }
    cli(&db, &["import", files.to_str().unwrap()], "");
    assert_shows_the_history(&server, &db, 0);
    // A check-in saved by the CLI is in the server's list and charts at once too.
    cli(&db, &["--json", "check", "--intake", "-", "--save"], INTAKE);
    assert_shows_the_history(&server, &db, 1);
}

#[test]
fn a_cli_restore_while_the_server_runs_shows_in_the_next_answer() {
    let dir = tempfile::tempdir().unwrap();
    let files = common::watch_folder(dir.path());
    let full = dir.path().join("full.db");
    cli(&full, &["import", files.to_str().unwrap()], "");
    cli(
        &full,
        &["--json", "check", "--intake", "-", "--save"],
        INTAKE,
    );
    let out = dir.path().join("export");
    cli(&full, &["export", "--out", out.to_str().unwrap()], "");
    let export = out.join("runsore-export.json");

    let db = dir.path().join("restored.db");
    let server = serve(&db, Some(NOW));
    for _ in 0..2 {
        let (runs, _, _, km, checkins) = looks(&server);
        assert_eq!((runs, km, checkins), (0, 0.0, 0));
    }
    cli(&db, &["restore", export.to_str().unwrap()], "");
    assert_shows_the_history(&server, &db, 1);
}
