//! Inputs without end or that never arrive: `--story /dev/zero` and a FIFO given to `import` end
//! with a clear error (exit 2) instead of reading until memory runs out or waiting forever.

mod common;

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn runsore(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    let mut cmd = common::runsore();
    cmd.arg("--db")
        .arg(dir.path().join("store.db"))
        .args(args)
        .stdin(Stdio::null());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(cmd.output().unwrap());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("runsore ended instead of hanging")
}

#[test]
fn a_story_without_end_is_refused_at_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    let out = runsore(&dir, &["check", "--story", "/dev/zero"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than 64 KiB"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_fifo_given_to_import_is_reported_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("run.fit");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = runsore(&dir, &["import", fifo.to_str().unwrap()]);
    let all =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(all.contains("not a regular file"), "{all}");
    assert_ne!(out.status.code(), Some(0), "{all}");
}

#[test]
fn a_ten_megabyte_story_is_refused_at_its_bound_not_read_for_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story.txt");
    let sentence = "my left buttock has ached since the long downhill run on sunday. ";
    std::fs::write(&story, sentence.repeat(10_000_000 / sentence.len())).unwrap();
    let out = runsore(&dir, &["check", "--story", story.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("longer than 64 KiB"), "{stderr}");
    assert!(stderr.contains("story.txt"), "names the file: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_huge_value_through_check_save_is_refused_and_nothing_is_saved() {
    // The same value that once took `runsore serve` down, through the CLI's way in.
    let dir = tempfile::tempdir().unwrap();
    for hours in ["1e300", "1e10"] {
        let intake = dir.path().join("intake.json");
        std::fs::write(
            &intake,
            format!(r#"{{"where":["buttock"],"pain":4,"hours_since_run":{hours}}}"#),
        )
        .unwrap();
        let out = runsore(
            &dir,
            &[
                "check",
                "--intake",
                intake.to_str().unwrap(),
                "--save",
                "--no-runs",
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{hours}: {stderr}");
        assert!(stderr.contains("hours_since_run"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = runsore(&dir, &["--json", "history"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}
