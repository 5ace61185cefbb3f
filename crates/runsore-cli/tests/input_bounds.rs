//! Inputs without end or that never arrive: `--story /dev/zero` and a FIFO given to `import` end
//! with a clear error (exit 2) instead of reading until memory runs out or waiting forever.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn runsore(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runsore"));
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
