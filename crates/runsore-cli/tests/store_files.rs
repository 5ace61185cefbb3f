//! The store's file in bad shape: damaged mid-file (refused with exit 2 naming the file; `export`
//! saves what reads, exit 3) and in a read-only folder (read-only commands still work).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn runsore_cmd(db: &Path, args: &[&str]) -> Command {
    let mut cmd = common::runsore();
    cmd.arg("--db").arg(db).args(args).stdin(Stdio::null());
    cmd
}

fn run(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = runsore_cmd(db, args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("runsore starts");
    // runsore may refuse a damaged store and exit before it reads its input: a closed pipe is
    // then the expected end of the write, not a failure of the test.
    match std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), stdin.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin written: {e}"),
        _ => {}
    }
    child.wait_with_output().expect("runsore ends")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A store of the common five weeks of runs (20 real GPX files) and one saved check-in.
fn filled_store(dir: &Path) -> PathBuf {
    let runs = dir.join("runs");
    std::fs::create_dir(&runs).expect("mkdir");
    common::history(&runs);
    let db = dir.join("store").join("runsore.db");
    std::fs::create_dir(db.parent().expect("parent")).expect("mkdir");
    let out = run(&db, &["import", runs.to_str().expect("utf-8")], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let intake = r#"{"where": ["buttock"], "pain": 4, "hours_since_run": 20}"#;
    let out = run(&db, &["check", "--intake", "-", "--json", "--save"], intake);
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

fn runs_json(db: &Path) -> Vec<Value> {
    let out = run(db, &["--json", "runs", "--limit", "1000"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("JSON")
        .as_array()
        .expect("an array")
        .clone()
}

/// Overwrites three pages in the middle of the file with the same pseudo-random bytes each run.
fn damage_mid_file(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let middle = bytes.len() / 4096 / 2;
    assert!(middle >= 4, "a store of {} bytes", bytes.len());
    let mut x: u32 = 2_463_534_242;
    for b in &mut bytes[middle * 4096..(middle + 3) * 4096] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    std::fs::write(path, &bytes).expect("damage");
}

#[test]
fn a_damaged_store_is_refused_by_runs_and_check_and_export_saves_what_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = filled_store(dir.path());
    let stored = runs_json(&db).len();
    assert_eq!(stored, 20);
    damage_mid_file(&db);
    let damaged = std::fs::read(&db).expect("read");

    // Reading and writing commands alike refuse it with exit 2, naming the file.
    let intake = r#"{"where": ["buttock"], "pain": 4}"#;
    for (args, stdin) in [
        (&["runs"][..], ""),
        (&["check", "--intake", "-", "--json"][..], intake),
        (&["history"][..], ""),
    ] {
        let out = run(&db, args, stdin);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(db.to_str().expect("utf-8")),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("damaged"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(std::fs::read(&db).expect("read"), damaged, "left as it was");

    // The export saves every run that reads and names the rest; exit 3 says it is partial.
    let out_dir = dir.path().join("saved");
    let out = run(
        &db,
        &[
            "--json",
            "export",
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
        "",
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("is damaged"), "{stderr}");
    assert!(
        stderr.contains("lost: runs ") || stderr.contains("lost: "),
        "{stderr}"
    );
    assert!(stderr.contains("partial"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("the report as JSON");
    let saved = report["saved"]["runs"].as_u64().expect("saved runs") as usize;
    let lost = report["lost"].as_array().expect("lost rows");
    assert!(!lost.is_empty());
    for row in lost {
        assert!(row["table"].is_string() && row["id"].is_i64(), "{row}");
    }
    assert!(
        saved >= 15,
        "three pages lose a few runs at most: saved {saved} of {stored}"
    );
    assert_eq!(
        std::fs::read(&db).expect("read"),
        damaged,
        "export wrote nothing to it"
    );

    // What was saved restores into a new store.
    let fresh = dir.path().join("fresh.db");
    let export = out_dir.join("runsore-export.json");
    let out = run(&fresh, &["restore", export.to_str().expect("utf-8")], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(runs_json(&fresh).len(), saved);
}

/// The user id this test runs as, from `/proc/self/status`.
fn euid() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux");
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|u| u.parse().ok())
        .expect("a Uid line")
}

/// Runs `cmd` so that file modes bind it: as root, without the capabilities that bypass them
/// (`setpriv` drops them from the bounding set), so that `chmod` means what it says.
fn bound_by_modes(cmd: Command) -> Command {
    if euid() != 0 {
        return cmd;
    }
    let mut wrapped = Command::new("setpriv");
    wrapped
        .args([
            "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--",
        ])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    wrapped.stdin(Stdio::null());
    wrapped
}

fn output(cmd: Command) -> Output {
    let mut cmd = bound_by_modes(cmd);
    cmd.output()
        .expect("starts (as root, this needs util-linux's setpriv)")
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_read_only_data_folder_does_not_block_read_only_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = filled_store(dir.path());
    let folder = db.parent().expect("folder").to_path_buf();
    chmod(&db, 0o444);
    chmod(&folder, 0o555);
    // The folder really is read-only for the commands below (as root too).
    let mut touch = Command::new("touch");
    touch.arg(folder.join("probe"));
    let probe = output(touch);
    assert!(
        !probe.status.success(),
        "the folder should refuse a new file"
    );

    let out_dir = dir.path().join("export");
    let cases: [&[&str]; 5] = [
        &["--json", "runs", "--limit", "1000"],
        &["runs", "show", "1"],
        &["--json", "history"],
        &["--json", "load"],
        &[
            "--json",
            "export",
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
    ];
    let mut listed = None;
    for args in cases {
        let out = output(runsore_cmd(&db, args));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        if args[1] == "runs" {
            listed = Some(serde_json::from_slice::<Value>(&out.stdout).expect("JSON"));
        }
    }
    assert_eq!(listed.expect("listed").as_array().expect("array").len(), 20);
    let export: Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("runsore-export.json")).expect("read"))
            .expect("JSON");
    assert_eq!(export["runs"].as_array().expect("runs").len(), 20);
    assert_eq!(export["checkins"].as_array().expect("check-ins").len(), 1);
    // Nothing was created beside the store.
    let beside: Vec<_> = std::fs::read_dir(&folder)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("runsore.db")]);

    // A command that writes says why it cannot, naming the store.
    let runs = dir.path().join("runs");
    let out = output(runsore_cmd(&db, &["import", runs.to_str().expect("utf-8")]));
    let stderr = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("runsore.db"), "{stderr}");

    chmod(&folder, 0o755);
}

/// A GPX whose points jump across the globe: 20,000 km in ten minutes.
const GLOBE_GPX: &str = r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>
<trkpt lat="51.0" lon="0.0"><time>2025-05-01T10:00:00Z</time></trkpt>
<trkpt lat="-51.0" lon="179.0"><time>2025-05-01T10:05:00Z</time></trkpt>
<trkpt lat="51.0" lon="0.0"><time>2025-05-01T10:10:00Z</time></trkpt>
</trkseg></trk></gpx>"#;

#[test]
fn runs_marks_an_implausible_run_and_says_it_is_left_out_of_the_analytics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).expect("mkdir");
    std::fs::write(files.join("globe.gpx"), GLOBE_GPX).expect("write");
    std::fs::write(
        files.join("easy.gpx"),
        common::gpx(common::DAY0, 8.0, 140, |_| 40.0),
    )
    .expect("write");
    let db = dir.path().join("store.db");
    let out = run(&db, &["import", files.to_str().expect("utf-8")], "");
    assert!(out.status.success(), "{}", text(&out.stderr));

    let rows = runs_json(&db);
    assert_eq!(rows.len(), 2);
    let globe = rows
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("globe.gpx"))
        })
        .expect("the globe run is listed");
    let easy = rows
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("easy.gpx"))
        })
        .expect("the easy run is listed");
    assert_eq!(globe["left_out_of_analytics"], true, "{globe}");
    assert!(
        globe["implausible"]
            .as_str()
            .is_some_and(|w| w.contains("km")),
        "{globe}"
    );
    assert_eq!(easy["left_out_of_analytics"], false, "{easy}");
    assert!(easy["implausible"].is_null(), "{easy}");

    let id = globe["id"].as_i64().expect("id");
    let out = run(&db, &["runs"], "");
    let listing = text(&out.stdout);
    assert!(listing.contains(&format!("!{id}")), "{listing}");
    assert!(
        listing.contains(&format!("run {id} is implausible"))
            && listing.contains("left out of the training figures"),
        "{listing}"
    );
    assert_eq!(listing.matches("is implausible").count(), 1, "{listing}");
    let out = run(&db, &["runs", "show", &id.to_string()], "");
    let shown = text(&out.stdout);
    assert!(shown.contains("flagged   implausible:"), "{shown}");
    let easy_id = easy["id"].as_i64().expect("id").to_string();
    let out = run(&db, &["runs", "show", &easy_id], "");
    assert!(!text(&out.stdout).contains("implausible"));
}
