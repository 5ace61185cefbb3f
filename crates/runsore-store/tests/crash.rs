//! Crash safety: a writer process is killed with SIGKILL at many points while importing; after
//! each kill the store is intact, every file is wholly present or absent, and finishing the
//! import afterwards leaves no duplicates.
//!
//! This test has its own `main` (harness = false) so that it can re-run its own binary as the
//! writer: it then works under any `cargo test` invocation, without building the example.

mod common;

use std::process::{Child, Command};
use std::time::Duration;

use common::{RUNS_PER_FILE, SAMPLES_PER_RUN, numbered_source, write_files};
use runsore_store::{RunFilter, Store};

/// The variable that turns this binary into the writer, naming its store.
const CHILD_ENV: &str = "RUNSORE_STORE_CRASH_WRITER";
/// Files the writer imports: far more than it can write before the longest delay below.
const FILES: usize = 400;
/// When to kill the writer after starting it, in milliseconds: first during open, then later
/// each time so that every round gets further into the import (each round skips the files
/// already stored, quickly) and kills land at different points of a transaction.
const KILL_AFTER_MS: [u64; 8] = [5, 25, 45, 70, 95, 130, 170, 220];

fn main() {
    if let Ok(path) = std::env::var(CHILD_ENV) {
        let store = Store::open(&path).expect("writer opens the store");
        write_files(&store, FILES).expect("writer imports");
        return;
    }
    crash_safety();
    println!("test crash_safety ... ok");
}

fn spawn_writer(path: &std::path::Path) -> Child {
    let exe = std::env::current_exe().expect("own binary");
    Command::new(exe)
        .env(CHILD_ENV, path)
        .spawn()
        .expect("spawn writer")
}

/// Opens the store after a crash and checks it; returns how many files are present.
fn check_store(path: &std::path::Path, round: usize) -> usize {
    let store = Store::open(path).unwrap_or_else(|e| panic!("round {round}: reopen: {e}"));
    store
        .integrity_check()
        .unwrap_or_else(|e| panic!("round {round}: {e}"));
    let present: Vec<bool> = (0..FILES)
        .map(|i| {
            store
                .has_file(&common::hash(&numbered_source(i)))
                .expect("has")
        })
        .collect();
    let files = present.iter().filter(|p| **p).count();
    // Files are imported in order, one transaction each: the present ones are a prefix.
    assert!(
        present[..files].iter().all(|p| *p),
        "round {round}: a gap in the files"
    );
    let runs = store.list_runs(&RunFilter::default()).expect("list");
    assert_eq!(
        runs.len(),
        files * RUNS_PER_FILE,
        "round {round}: every file with all its runs"
    );
    for r in &runs {
        let full = store
            .get_run(r.id)
            .unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(full.run.samples.len(), SAMPLES_PER_RUN as usize);
    }
    files
}

fn crash_safety() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.db");
    let mut seen = Vec::new();
    let mut last = 0;
    for (round, delay) in KILL_AFTER_MS.into_iter().enumerate() {
        let mut child = spawn_writer(&path);
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL on Unix: no destructor, no rollback, the WAL is left as it was.
        child.kill().expect("kill writer");
        child.wait().expect("reap writer");
        let files = check_store(&path, round);
        assert!(
            files >= last,
            "round {round}: files went from {last} to {files}"
        );
        last = files;
        seen.push(files);
    }
    assert!(
        seen.iter().any(|&n| n > 0 && n < FILES),
        "no kill landed mid-import ({seen:?}); the test exercised nothing"
    );
    // Finishing the import after the crashes completes it, without duplicates.
    for round in ["finish", "re-run"] {
        let status = spawn_writer(&path).wait().expect("writer");
        assert!(status.success(), "{round}: writer failed: {status}");
        assert_eq!(check_store(&path, KILL_AFTER_MS.len()), FILES, "{round}");
    }
    let store = Store::open(&path).expect("open");
    let runs = store.list_runs(&RunFilter::default()).expect("list");
    let mut starts: Vec<Option<i64>> = runs.iter().map(|r| r.run.summary.start_utc).collect();
    starts.sort();
    starts.dedup();
    assert_eq!(starts.len(), FILES * RUNS_PER_FILE, "no duplicate runs");
    println!("files present after each kill: {seen:?}");
}
