//! Opening stores on disk: persistence, refusal of newer and foreign files, the profile.

mod common;

use common::{T0, file, run};
use runsore_model::Sex;
use runsore_store::{Profile, SCHEMA_VERSION, Store, StoreError};

fn sql(path: &std::path::Path, batch: &str) {
    let conn = rusqlite::Connection::open(path).expect("raw open");
    conn.execute_batch(batch).expect("raw sql");
}

#[test]
fn a_store_on_disk_keeps_its_runs_and_is_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("runsore.db");
    {
        let store = Store::open(&path).expect("create");
        store
            .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 60)])
            .expect("insert");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.run_count().expect("count"), 1);
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    store.integrity_check().expect("integrity");
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fk.db");
    let store = Store::open(&path).expect("create");
    store
        .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 5)])
        .expect("insert");
    drop(store);
    // The schema declares the cascade; the store turns enforcement on for every connection.
    let conn = rusqlite::Connection::open(&path).expect("raw");
    conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM files")
        .expect("delete");
    let runs: i64 = conn
        .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
        .expect("count");
    assert_eq!(runs, 0);
}

#[test]
fn a_store_from_a_newer_runsore_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    for journal in ["DELETE", "WAL"] {
        let path = dir.path().join(format!("newer-{journal}.db"));
        sql(
            &path,
            &format!(
                "PRAGMA journal_mode = {journal}; CREATE TABLE future (x); \
                 INSERT INTO future VALUES (1); PRAGMA user_version = {};",
                SCHEMA_VERSION + 1
            ),
        );
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).expect_err("newer store refused");
        assert!(
            matches!(err, StoreError::TooNew { found, supported, .. }
                if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{err}"
        );
        let message = err.to_string();
        assert!(
            message.contains("use a newer runsore (the store was not modified)"),
            "{message}"
        );
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "{journal}: file unchanged"
        );
    }
}

#[test]
fn a_file_that_is_not_a_store_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "this is not a database, just some text that is long enough".repeat(20),
    )
    .expect("write");
    let err = Store::open(&path).expect_err("not sqlite");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("cannot open store {}", path.display())),
        "{message}"
    );
    assert!(message.contains("not a database"), "{message}");
    let missing_dir = dir.path().join("no/such/dir/runsore.db");
    assert!(matches!(
        Store::open(&missing_dir),
        Err(StoreError::Open { .. })
    ));
}

fn check_profile(profile: Profile, expected_error: Option<&str>) {
    let store = Store::open_in_memory().expect("open");
    match (store.set_profile(&profile), expected_error) {
        (Ok(()), None) => assert_eq!(store.profile().expect("get"), profile),
        (Err(e), Some(msg)) => {
            assert_eq!(e.to_string(), msg);
            assert_eq!(
                store.profile().expect("get"),
                Profile::default(),
                "nothing saved"
            );
        }
        (got, want) => panic!("{profile:?}: got {got:?}, wanted error {want:?}"),
    }
}

#[test]
fn the_profile_is_saved_and_checked() {
    let full = Profile {
        body_mass_kg: Some(64.5),
        sex: Some(Sex::Female),
        birth_year: Some(1988),
        hr_max: Some(186.0),
        hr_rest: Some(48.0),
    };
    let cases = [
        (Profile::default(), None),
        (full.clone(), None),
        (
            Profile {
                sex: Some(Sex::Male),
                ..Default::default()
            },
            None,
        ),
        (
            Profile {
                body_mass_kg: Some(7000.0),
                ..Default::default()
            },
            Some("invalid body_mass_kg: 7000 is outside 20..=400"),
        ),
        (
            Profile {
                body_mass_kg: Some(f64::NAN),
                ..Default::default()
            },
            Some("invalid body_mass_kg: NaN is outside 20..=400"),
        ),
        (
            Profile {
                hr_rest: Some(190.0),
                ..full.clone()
            },
            Some("invalid hr_rest: 190 is outside 20..=150"),
        ),
        (
            Profile {
                hr_rest: Some(140.0),
                hr_max: Some(130.0),
                ..full.clone()
            },
            Some("invalid hr_rest: 140 is not below hr_max 130"),
        ),
        (
            Profile {
                birth_year: Some(1066),
                ..full
            },
            Some("invalid birth_year: 1066 is outside 1900..=2100"),
        ),
    ];
    for (profile, error) in cases {
        check_profile(profile, error);
    }
    // Setting again replaces the whole profile.
    let store = Store::open_in_memory().expect("open");
    store
        .set_profile(&Profile {
            hr_max: Some(190.0),
            ..Default::default()
        })
        .expect("set");
    store
        .set_profile(&Profile {
            body_mass_kg: Some(70.0),
            ..Default::default()
        })
        .expect("set");
    assert_eq!(
        store.profile().expect("get"),
        Profile {
            body_mass_kg: Some(70.0),
            ..Default::default()
        }
    );
}

#[test]
fn the_store_can_move_between_threads_and_its_errors_can_cross_them() {
    fn send<T: Send>() {}
    fn send_sync_static<T: Send + Sync + 'static>() {}
    // The web app moves stores into worker threads; anyhow needs Send + Sync errors.
    send::<Store>();
    send_sync_static::<StoreError>();
    let store = Store::open_in_memory().expect("open");
    let count = std::thread::spawn(move || store.run_count().expect("count"))
        .join()
        .expect("thread");
    assert_eq!(count, 0);
}

#[test]
fn the_data_version_moves_when_another_connection_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.db");
    let web = Store::open(&path).expect("web");
    let cli = Store::open(&path).expect("cli");
    let before = web.data_version().expect("version");
    web.open_episode(T0, None).expect("own write");
    assert_eq!(
        web.data_version().expect("version"),
        before,
        "own writes do not count"
    );
    cli.insert_file(&file("a.fit", T0), &[run("a.fit", T0, 5)])
        .expect("insert");
    assert_ne!(web.data_version().expect("version"), before);
}

#[test]
fn the_revision_moves_with_every_change_whichever_connection_makes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.db");
    let web = Store::open(&path).expect("web");
    let cli = Store::open(&path).expect("cli");
    let mut seen = vec![web.revision().expect("revision")];
    let moved = |seen: &mut Vec<i64>, what: &str, web: &Store, cli: &Store| {
        let now = web.revision().expect("revision");
        assert_eq!(
            cli.revision().expect("revision"),
            now,
            "{what}: one number for all"
        );
        assert!(!seen.contains(&now), "{what}: the revision did not move");
        seen.push(now);
    };
    // Reading moves nothing.
    web.run_count().expect("count");
    cli.profile().expect("profile");
    assert_eq!(web.revision().expect("revision"), seen[0]);
    cli.insert_file(&file("a.fit", T0), &[run("a.fit", T0, 5)])
        .expect("insert");
    moved(&mut seen, "an import by the other connection", &web, &cli);
    web.insert_file(&file("b.fit", T0), &[run("b.fit", T0 + 86_400, 5)])
        .expect("insert");
    moved(&mut seen, "an import by this connection", &web, &cli);
    let mut profile = cli.profile().expect("profile");
    profile.birth_year = Some(1980);
    cli.set_profile(&profile).expect("profile");
    moved(&mut seen, "the profile", &web, &cli);
    let episode = cli.open_episode(T0, None).expect("episode");
    moved(&mut seen, "an episode", &web, &cli);
    cli.close_episode(episode.id, T0 + 60, None).expect("close");
    moved(&mut seen, "an episode closed", &web, &cli);
    // The same file again stores nothing, and moves nothing.
    let again = cli
        .insert_file(&file("a.fit", T0), &[run("a.fit", T0, 5)])
        .expect("again");
    assert!(again.is_already_present());
    assert_eq!(
        web.revision().expect("revision"),
        *seen.last().expect("seen")
    );

    // A restore into an empty store moves it too.
    let export = web.export_all().expect("export");
    let restored = Store::open(dir.path().join("restored.db")).expect("fresh");
    let fresh = restored.revision().expect("revision");
    restored.import_all(&export).expect("restore");
    assert_ne!(restored.revision().expect("revision"), fresh);
}

#[test]
fn a_store_damaged_mid_file_is_refused_when_opened() {
    // Random bytes mid-file were once read and written without complaint until `export` failed.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.db");
    {
        let store = Store::open(&path).expect("create");
        for i in 0..60 {
            let name = format!("r{i}.fit");
            store
                .insert_file(
                    &file(&name, T0 + i * 86_400),
                    &[run(&name, T0 + i * 86_400, 600)],
                )
                .expect("insert");
        }
    }
    let mut bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() > 8 * 4096, "{} bytes", bytes.len());
    let mut x: u32 = 2_463_534_242;
    for b in &mut bytes[3 * 4096..6 * 4096] {
        // xorshift: the same "random" bytes every run.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    std::fs::write(&path, &bytes).expect("damage");
    let err = Store::open(&path).expect_err("damage found");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "left as it was");
}
