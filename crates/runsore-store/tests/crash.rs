//! Crash safety: a writer process is killed with SIGKILL at many points while importing; after
//! each kill the store is intact, every file is wholly present or absent, and finishing the
//! import afterwards leaves no duplicates.
//!
//! This test has its own `main` (harness = false) so that it can re-run its own binary as the
//! writer: it then works under any `cargo test` invocation, without building the example.

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::{RUNS_PER_FILE, SAMPLES_PER_RUN, numbered_source, write_files};
use runsore_store::{RunFilter, Store};

/// The variable that turns this binary into the writer, naming its store.
const CHILD_ENV: &str = "RUNSORE_STORE_CRASH_WRITER";
/// Files the writer imports.
const FILES: usize = 400;
/// Kill points: once the store holds `files` files (the writer goes on from there), wait
/// `extra_ms` more, then kill. Progress-based rather than purely timed, so that on a slow or
/// busy machine the kills still land mid-import; the extra wait spreads them over the phases
/// of a transaction. The first kill comes while the writer opens (and creates) the store.
const KILLS: [(usize, u64); 8] = [
    (0, 3),
    (30, 0),
    (70, 1),
    (110, 3),
    (160, 7),
    (210, 2),
    (260, 13),
    (330, 5),
];
/// Upper bound on waiting for the writer to reach a kill point.
const PATIENCE: Duration = Duration::from_secs(120);

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
    for (round, (files_before_kill, extra_ms)) in KILLS.into_iter().enumerate() {
        let mut child = spawn_writer(&path);
        let deadline = Instant::now() + PATIENCE;
        // Watch progress through a store of our own (readers never block the writer in WAL).
        let mut watcher = None;
        loop {
            if files_before_kill == 0 {
                break;
            }
            if watcher.is_none() {
                watcher = Store::open(&path).ok();
            }
            let runs = watcher.as_ref().map_or(0, |w| w.run_count().unwrap_or(0));
            if runs / RUNS_PER_FILE >= files_before_kill {
                break;
            }
            assert!(
                child.try_wait().expect("poll writer").is_none(),
                "round {round}: writer stopped early"
            );
            assert!(
                Instant::now() < deadline,
                "round {round}: writer made no progress"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(watcher);
        std::thread::sleep(Duration::from_millis(extra_ms));
        // SIGKILL on Unix: no destructor, no rollback, the WAL is left as it was.
        child.kill().expect("kill writer");
        child.wait().expect("reap writer");
        let files = check_store(&path, round);
        assert!(
            files >= last.max(files_before_kill),
            "round {round}: {files} files after {last} and a kill at {files_before_kill}"
        );
        assert!(
            files < FILES,
            "round {round}: the writer finished before the kill"
        );
        last = files;
        seen.push(files);
    }
    // Finishing the import after the crashes completes it, without duplicates.
    for round in ["finish", "re-run"] {
        let status = spawn_writer(&path).wait().expect("writer");
        assert!(status.success(), "{round}: writer failed: {status}");
        assert_eq!(check_store(&path, KILLS.len()), FILES, "{round}");
    }
    let store = Store::open(&path).expect("open");
    let runs = store.list_runs(&RunFilter::default()).expect("list");
    let mut starts: Vec<Option<i64>> = runs.iter().map(|r| r.run.summary.start_utc).collect();
    starts.sort();
    starts.dedup();
    assert_eq!(starts.len(), FILES * RUNS_PER_FILE, "no duplicate runs");
    println!("files present after each kill: {seen:?}");
}
