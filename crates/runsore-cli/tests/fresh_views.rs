//! The web app keeps what it derives from the store (the runs' views, the evidence, pacing, the
//! training charts, the check-ins) for the store's revision, and another process's change shows
//! at once: a `runsore import` or `runsore restore` run while `runsore serve` is up, as real
//! processes, is in the very next answer, the same as the CLI's own.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The morning after the half marathon of [`common::history`].
const NOW: &str = "2025-05-08T09:00:00Z";
const INTAKE: &str = r#"{"where":["buttock"],"onset":"next_day","days_since_onset":0.5,"pain":4,"feels":["stiff","aching"],"tender_to_touch":true}"#;

/// Kills the server when the test ends, however it ends.
struct Server {
    child: Child,
    addr: String,
    /// Kept open: a closed pipe must not be what the server meets.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runsore(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runsore"));
    cmd.arg("--db")
        .arg(db)
        .args(["--now", NOW])
        .env_remove("RUNSORE_TOKEN")
        .env_remove("RUNSORE_DB");
    cmd
}

/// Runs the CLI with `args` (and `stdin`), expecting success; its standard output.
fn cli(db: &Path, args: &[&str], stdin: &str) -> Vec<u8> {
    let mut child = runsore(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn serve(db: &Path) -> Server {
    let mut child = runsore(db)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let addr = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Server {
        child,
        addr,
        _stdout: reader,
    }
}

impl Server {
    /// One request over a fresh connection (HTTP/1.0, so the answer ends with the connection);
    /// the JSON answered.
    fn call(&self, method: &str, path: &str, body: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut stream = loop {
            match TcpStream::connect(&self.addr) {
                Ok(s) => break s,
                Err(e) if Instant::now() > deadline => panic!("cannot connect: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").expect("a header and a body");
        assert!(
            head.starts_with("HTTP/1.0 20"),
            "{method} {path}: {head}\n{body:.400}"
        );
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:.400}"))
    }

    /// What the server shows of the runs: how many, the evidence and pacing of an assessment,
    /// the training charts' distance, and the check-ins.
    fn looks(&self) -> (u64, Value, Value, f64, usize) {
        let runs = self.call("GET", "/api/runs?limit=1", "");
        let assessed = self.call("POST", "/api/assess", INTAKE);
        let training = self.call("GET", "/api/training", "");
        let km: f64 = training["weeks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["distance_km"].as_f64().unwrap())
            .sum();
        let checkins = self.call("GET", "/api/checkins", "");
        (
            runs["total"].as_u64().unwrap(),
            assessed["runs_evidence"].clone(),
            assessed["pacing"].clone(),
            km,
            checkins["checkins"].as_array().unwrap().len(),
        )
    }
}

/// The findings and pacing `runsore check --json` gives for the intake on `db`.
fn cli_check(db: &Path) -> (Value, Value) {
    let out: Value =
        serde_json::from_slice(&cli(db, &["--json", "check", "--intake", "-"], INTAKE)).unwrap();
    (out["runs_evidence"].clone(), out["pacing"].clone())
}

fn assert_shows_the_history(server: &Server, db: &Path, checkins: usize) {
    let (runs, evidence, pacing, km, listed) = server.looks();
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
    let files = dir.path().join("watch");
    std::fs::create_dir(&files).unwrap();
    common::history(&files);
    let db = dir.path().join("store.db");
    let server = serve(&db);
    // Asked twice, so that whatever the server keeps is kept before the store changes.
    for _ in 0..2 {
        let (runs, evidence, _, km, checkins) = server.looks();
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
    let files = dir.path().join("watch");
    std::fs::create_dir(&files).unwrap();
    common::history(&files);
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
    let server = serve(&db);
    for _ in 0..2 {
        let (runs, _, _, km, checkins) = server.looks();
        assert_eq!((runs, km, checkins), (0, 0.0, 0));
    }
    cli(&db, &["restore", export.to_str().unwrap()], "");
    assert_shows_the_history(&server, &db, 1);
}
