//! What the CLI tests share: the `runsore` binary run as a person runs it, `runsore serve` as a
//! real process, and generated watch files (real GPX text, written to a folder).

#![allow(dead_code)] // each test file uses its own part

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The `runsore` binary, with no store or clock taken from the environment.
pub fn runsore() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runsore"));
    cmd.env_remove("RUNSORE_DB")
        .env_remove("RUNSORE_NOW")
        .env_remove("RUNSORE_TOKEN");
    cmd
}

/// `runsore --db DB`, at the fixed time `now` (RFC 3339) when one is given.
pub fn runsore_on(db: &Path, now: Option<&str>) -> Command {
    let mut cmd = runsore();
    cmd.arg("--db").arg(db);
    if let Some(now) = now {
        cmd.args(["--now", now]);
    }
    cmd
}

/// Runs `runsore ARGS` with `stdin` and returns the output.
pub fn run(args: &[&str], stdin: &str) -> Output {
    run_command(runsore(), args, stdin)
}

/// Runs `runsore --db DB [--now NOW] ARGS` with `stdin`; the JSON it printed, which must be a
/// success.
pub fn cli_json(db: &Path, now: Option<&str>, args: &[&str], stdin: &str) -> Value {
    ok_json(&run_command(runsore_on(db, now), args, stdin))
}

/// Runs `cmd ARGS` with `stdin` and returns the output.
pub fn run_command(mut cmd: Command, args: &[&str], stdin: &str) -> Output {
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runsore starts");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(stdin.as_bytes())
        .expect("runsore reads its input");
    child.wait_with_output().expect("runsore ends")
}

/// The JSON a successful run printed; a failure shows its exit code and standard error.
pub fn ok_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// 2025-04-01T00:00:00Z.
pub const DAY0: i64 = 1_743_465_600;

pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// A GPX run heading north at 5:30 per km, one point every 10 s, with heart rate; `elevation`
/// gives the height at each kilometre mark.
pub fn gpx(start: i64, km: f64, hr: u8, elevation: impl Fn(f64) -> f64) -> String {
    let speed = 1000.0 / 330.0;
    let points = (km * 1000.0 / speed / 10.0).round() as i64;
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="runsore test" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><type>running</type><trkseg>
"#,
    );
    for i in 0..=points {
        let metres = i as f64 * 10.0 * speed;
        let _ = writeln!(
            s,
            r#"<trkpt lat="{:.7}" lon="-3.2000000"><ele>{:.1}</ele><time>{}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"#,
            55.9 + metres / 111_320.0,
            elevation(metres / 1000.0),
            rfc3339(start + i * 10),
        );
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s
}

/// The sum of `key` over the objects of the array `list` in `v` (a week's kilometres, the
/// causes' probabilities).
pub fn sum(v: &Value, list: &str, key: &str) -> f64 {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {v}"))
        .iter()
        .map(|x| x[key].as_f64().unwrap_or_else(|| panic!("no {key} in {x}")))
        .sum()
}

/// A folder `watch` in `dir` holding [`history`]'s GPX files.
pub fn watch_folder(dir: &Path) -> std::path::PathBuf {
    let files = dir.join("watch");
    std::fs::create_dir(&files).unwrap();
    history(&files);
    files
}

/// A store `store.db` in `dir` with the watch files of `files` imported by `runsore import`.
pub fn imported(dir: &Path, files: &Path) -> std::path::PathBuf {
    let db = dir.join("store.db");
    let path = files.to_str().expect("a UTF-8 path");
    cli_json(&db, None, &["--json", "import", path], "");
    db
}

/// Five weeks of easy 8 km runs every other day on gentle rolling ground, a first half marathon
/// (up 350 m over the first 8 km, down 350 m over the last 6 km) on day 36 at 08:00, and a
/// 2.3 km shake-out jog that evening at 18:00.
pub fn history(dir: &Path) {
    for d in (0..35).step_by(2) {
        let text = gpx(DAY0 + d * 86_400 + 7 * 3600, 8.0, 138, |k| {
            40.0 + 8.0 * (k * 1.5).sin()
        });
        std::fs::write(dir.join(format!("easy-{d:02}.gpx")), text).unwrap();
    }
    let half = gpx(DAY0 + 36 * 86_400 + 8 * 3600, 21.1, 162, |k| {
        if k < 8.0 {
            40.0 + 350.0 * k / 8.0
        } else if k < 15.1 {
            390.0
        } else {
            390.0 - 350.0 * ((k - 15.1) / 6.0).min(1.0)
        }
    });
    std::fs::write(dir.join("half-marathon.gpx"), half).unwrap();
    let jog = gpx(DAY0 + 36 * 86_400 + 18 * 3600, 2.3, 125, |_| 40.0);
    std::fs::write(dir.join("shake-out.gpx"), jog).unwrap();
}

/// A `runsore serve` process on a port of its own, killed when the test ends, however it ends.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Kept open: a closed pipe must not be what the server meets.
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `runsore --db DB [--now NOW] serve --port 0`, as a person does, reads the address it
/// prints and waits until it listens there.
pub fn serve(db: &Path, now: Option<&str>) -> Server {
    let mut child = runsore_on(db, now)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("runsore serve starts");
    let mut reader = BufReader::new(child.stdout.take().expect("a pipe"));
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .expect("the server's first line");
    let addr = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&addr).is_err() {
        assert!(
            Instant::now() < deadline,
            "the server never listened on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        addr,
        _stdout: reader,
    }
}

impl Server {
    /// One request with a JSON body over a fresh connection; the whole reply.
    pub fn request(&self, method: &str, path: &str, body: &str) -> runsore_testkit::Reply {
        runsore_testkit::http(
            &self.addr,
            &format!("{method} {path} HTTP/1.0\r\nContent-Type: application/json"),
            body.as_bytes(),
        )
    }

    /// POSTs JSON; the status and the JSON answered.
    pub fn post(&self, path: &str, body: &str) -> (u16, Value) {
        let reply = self.request("POST", path, body);
        (reply.status, reply.json())
    }

    /// One request that must succeed (2xx); the JSON answered.
    pub fn json(&self, method: &str, path: &str, body: &str) -> Value {
        let reply = self.request(method, path, body);
        assert!(
            (200..300).contains(&reply.status),
            "{method} {path}: {}\n{:.400}",
            reply.status,
            reply.body
        );
        reply.json()
    }
}
