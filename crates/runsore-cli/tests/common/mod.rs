//! What the CLI tests share: the `runsore` binary run as a person runs it, and generated watch
//! files (real GPX text, written to a folder).

#![allow(dead_code)] // each test file uses its own part

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The `runsore` binary, with no store or clock taken from the environment.
pub fn runsore() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runsore"));
    cmd.env_remove("RUNSORE_DB")
        .env_remove("RUNSORE_NOW")
        .env_remove("RUNSORE_TOKEN");
    cmd
}

/// Runs `runsore ARGS` with `stdin` and returns the output.
pub fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = runsore()
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
pub fn ok_json(out: &Output) -> serde_json::Value {
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
