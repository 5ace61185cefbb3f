//! Saving what a damaged store still holds: random bytes mid-file once went unnoticed until an
//! export failed and took everything with it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{T0, file, run};
use runsore_store::{CheckInKind, Export, NewCheckIn, NewSoreness, Store, StoreError, StoredRun};
use serde_json::json;

const DAY: i64 = 86_400;

/// A store of 60 one-run files, an episode with check-ins linked to runs, and soreness logs.
fn fill(path: &Path) -> Export {
    let store = Store::open(path).expect("create");
    let mut run_ids = Vec::new();
    for i in 0..60 {
        let name = format!("r{i}.fit");
        let out = store
            .insert_file(&file(&name, T0 + i * DAY), &[run(&name, T0 + i * DAY, 600)])
            .expect("insert");
        run_ids.extend(out.inserted());
    }
    let episode = store
        .open_episode(T0 + 60 * DAY, Some("left buttock"))
        .expect("episode");
    for (k, runs) in run_ids.chunks(20).enumerate() {
        store
            .add_checkin(&NewCheckIn {
                at_utc: T0 + 60 * DAY + k as i64 * 3600,
                kind: CheckInKind::FollowUp,
                episode_id: Some(episode.id),
                kb_version: "kb-test".into(),
                intake: json!({"version": 1, "regions": ["buttock"], "pain": 4}),
                evidence: json!({}),
                result: json!({"triage": "self_care"}),
                run_ids: runs.to_vec(),
            })
            .expect("check-in");
        store
            .log_soreness(&NewSoreness {
                at_utc: T0 + 60 * DAY + k as i64 * 3600 + 60,
                level: 3,
                regions: vec![runsore_model::Region::Buttock],
                note: None,
                episode_id: Some(episode.id),
            })
            .expect("soreness");
    }
    store.export_all().expect("export")
}

/// Overwrites `n` pages (of 4096 bytes) in the middle of the file with the same pseudo-random
/// bytes every run.
fn damage(path: &Path, n: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    let middle = bytes.len() / 4096 / 2;
    let pages = middle..middle + n;
    assert!(bytes.len() >= pages.end * 4096, "{} bytes", bytes.len());
    let mut x: u32 = 2_463_534_242;
    for b in &mut bytes[pages.start * 4096..pages.end * 4096] {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    std::fs::write(path, &bytes).expect("damage");
}

fn salvage(path: &Path) -> (runsore_store::Salvage, Vec<u8>) {
    let store = Store::open_for_salvage(path).expect("opened for salvage");
    let mut out = Vec::new();
    let report = store.salvage_json(&mut out, false).expect("written");
    (report, out)
}

#[test]
fn a_sound_store_is_salvaged_whole_and_equal_to_its_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sound.db");
    let before = fill(&path);
    let (report, json) = salvage(&path);
    assert!(report.is_complete(), "{:?}", report.lost);
    assert!(report.unlinked.is_empty(), "{:?}", report.unlinked);
    assert_eq!(report.saved.runs, 60);
    let again: Export = serde_json::from_slice(&json).expect("an export");
    assert_eq!(again, before);
}

#[test]
fn export_of_a_damaged_store_saves_every_row_that_reads_and_names_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.db");
    let before = fill(&path);
    damage(&path, 3);
    let untouched = std::fs::read(&path).expect("read");
    assert!(matches!(
        Store::open(&path).expect_err("damage found"),
        StoreError::Damaged { .. }
    ));

    let (report, json) = salvage(&path);
    assert_eq!(
        std::fs::read(&path).expect("read"),
        untouched,
        "nothing written"
    );
    assert!(
        !report.is_complete(),
        "three pages of random bytes lose something"
    );
    // Three pages hold a few runs' samples (about 5 KB each): the other runs are all saved.
    assert!(
        report.saved.runs >= 50,
        "{:?} lost: {:?}",
        report.saved,
        report.lost
    );
    for lost in &report.lost {
        assert!(lost.id.is_some(), "every lost row is named by id: {lost}");
    }

    // Every run saved is the run that was stored; every other run is named as lost.
    let saved: Export = serde_json::from_slice(&json).expect("an export");
    let lost_runs: BTreeSet<i64> = report
        .lost
        .iter()
        .filter(|l| l.table == "runs")
        .filter_map(|l| l.id)
        .collect();
    assert!(!saved.runs.is_empty(), "runs past the damage are saved");
    assert_eq!(saved.runs.len(), report.saved.runs);
    for r in &saved.runs {
        let original: &StoredRun = before.runs.iter().find(|o| o.id == r.id).expect("known id");
        assert_eq!(r, original, "run {} saved as stored", r.id);
    }
    let all: BTreeSet<i64> = before.runs.iter().map(|r| r.id.0).collect();
    let accounted: BTreeSet<i64> = saved.runs.iter().map(|r| r.id.0).chain(lost_runs).collect();
    assert_eq!(accounted, all, "each run is saved or named as lost");

    // What was saved restores into a new store, links to lost runs dropped.
    let fresh = Store::open_in_memory().expect("fresh");
    let counts = fresh
        .import_json(json.as_slice())
        .expect("the salvage restores");
    assert_eq!(counts, report.saved);
    for c in &saved.checkins {
        for r in &c.data.run_ids {
            assert!(
                saved.runs.iter().any(|s| s.id == *r),
                "link to a lost run kept"
            );
        }
    }
}

#[test]
fn a_store_from_a_newer_runsore_is_not_salvaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("newer.db");
    fill(&path);
    let conn = rusqlite::Connection::open(&path).expect("raw");
    conn.pragma_update(None, "user_version", 999).expect("bump");
    drop(conn);
    let err = Store::open_for_salvage(&path).expect_err("refused");
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}
