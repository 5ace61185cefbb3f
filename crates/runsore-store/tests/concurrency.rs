//! Concurrent use: an import, a web-style reader/writer and a check-in writer on one store file
//! at once, each with its own connection. Nothing may fail with "database is locked" and no
//! write may be lost. Bounded: each thread does a fixed amount of work.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::{RUNS_PER_FILE, T0, write_files};
use runsore_store::{CheckInKind, NewCheckIn, NewSoreness, RunFilter, Store};
use serde_json::json;

const FILES: usize = 120;
const READS: usize = 150;
const EPISODES: usize = 40;

#[test]
fn an_import_the_web_app_and_check_ins_share_one_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.db");
    // Every thread opens its own store at the same time, the first one creating it.
    let start = Arc::new(Barrier::new(3));

    let import = {
        let (path, start) = (path.clone(), start.clone());
        thread::spawn(move || {
            // Reach the barrier even when opening fails, so no thread waits forever.
            let store = Store::open(&path);
            start.wait();
            let store = store.expect("import opens");
            write_files(&store, FILES).expect("import never sees a locked store")
        })
    };

    let web = {
        let (path, start) = (path.clone(), start.clone());
        thread::spawn(move || {
            // Reach the barrier even when opening fails, so no thread waits forever.
            let store = Store::open(&path);
            start.wait();
            let store = store.expect("web opens");
            let mut max_seen = 0;
            for i in 0..READS {
                let listed = store
                    .list_runs(&RunFilter {
                        limit: Some(20),
                        ..Default::default()
                    })
                    .expect("list while importing");
                let all = store.run_count().expect("count while importing");
                assert!(all >= max_seen, "a committed run disappeared");
                max_seen = all;
                assert!(listed.len() <= 20);
                if let Some(r) = listed.first() {
                    store.get_run(r.id).expect("read while importing");
                }
                store
                    .log_soreness(&NewSoreness {
                        at_utc: T0 + i as i64,
                        level: (i % 11) as u8,
                        regions: vec![],
                        note: None,
                        episode_id: None,
                    })
                    .expect("write while importing");
            }
        })
    };

    let checkins = {
        let (path, start) = (path.clone(), start.clone());
        thread::spawn(move || {
            // Reach the barrier even when opening fails, so no thread waits forever.
            let store = Store::open(&path);
            start.wait();
            let store = store.expect("check-ins open");
            for i in 0..EPISODES {
                let at = T0 + 1_000_000 + i as i64 * 100;
                let episode = store.open_episode(at, None).expect("open episode");
                let recent = store
                    .list_runs(&RunFilter {
                        limit: Some(3),
                        ..Default::default()
                    })
                    .expect("recent runs");
                store
                    .add_checkin(&NewCheckIn {
                        at_utc: at,
                        kind: CheckInKind::Assessment,
                        episode_id: Some(episode.id),
                        kb_version: "1".into(),
                        intake: json!({}),
                        evidence: json!({}),
                        result: json!({"i": i}),
                        run_ids: recent.iter().map(|r| r.id).collect(),
                    })
                    .expect("check-in");
                store
                    .close_episode(episode.id, at + 50, None)
                    .expect("close episode");
            }
        })
    };

    let inserted = import.join().expect("import thread");
    web.join().expect("web thread");
    checkins.join().expect("check-in thread");

    let store = Store::open(&path).expect("reopen");
    assert_eq!(inserted, FILES * RUNS_PER_FILE);
    assert_eq!(store.run_count().expect("count"), FILES * RUNS_PER_FILE);
    let soreness = store
        .soreness_between(i64::MIN, i64::MAX)
        .expect("soreness");
    assert_eq!(soreness.len(), READS);
    let episodes = store.list_episodes().expect("episodes");
    assert_eq!(episodes.len(), EPISODES);
    assert!(
        episodes
            .iter()
            .all(|e| e.checkins.len() == 1 && !e.episode.is_open())
    );
    store.integrity_check().expect("integrity");
}
