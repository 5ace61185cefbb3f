//! Runs: insert, read back, de-duplication and filters, on in-memory stores.

mod common;

use common::{T0, file, run};
use runsore_model::{Run, Sample, Sport};
use runsore_store::{InsertOutcome, RunFilter, RunId, RunOutcome, Store, StoreError};

fn store() -> Store {
    Store::open_in_memory().expect("in-memory store opens")
}

fn insert(store: &Store, source: &str, runs: &[Run]) -> InsertOutcome {
    store
        .insert_file(&file(source, T0 + 99_999), runs)
        .expect("insert")
}

/// Samples agree to the stored resolution (see the samples module).
fn assert_samples_close(a: &[Sample], b: &[Sample]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x.t - y.t).abs() < 1e-3);
        for (p, q, tol) in [
            (x.lat, y.lat, 1e-7),
            (x.lon, y.lon, 1e-7),
            (x.alt_m, y.alt_m, 0.006),
            (x.dist_m, y.dist_m, 0.006),
            (x.speed_mps, y.speed_mps, 6e-4),
        ] {
            assert_eq!(p.is_some(), q.is_some());
            if let (Some(p), Some(q)) = (p, q) {
                assert!((p - q).abs() <= tol, "{p} vs {q}");
            }
        }
        assert_eq!((x.hr, x.cadence, x.temp_c), (y.hr, y.cadence, y.temp_c));
    }
}

#[test]
fn a_run_reads_back_as_written() {
    let store = store();
    let mut original = run("a.fit", T0, 3600);
    original.sport = Sport::Other("Stand Up Paddling".into());
    original.partial = true;
    let out = insert(&store, "a.fit", std::slice::from_ref(&original));
    let [id] = out.inserted()[..] else {
        panic!("one run inserted: {out:?}")
    };
    let stored = store.get_run(id).expect("get");
    assert_eq!(stored.id, id);
    assert_eq!(stored.sample_count, 3600);
    assert_samples_close(&original.samples, &stored.run.samples);
    let mut without_samples = stored.run.clone();
    without_samples.samples = original.samples.clone();
    assert_eq!(
        without_samples, original,
        "every field but samples is exact"
    );
    // Reading is stable: a stored run re-stored elsewhere reads back identical.
    let other = Store::open_in_memory().expect("open");
    let mut again = stored.run.clone();
    again.content_hash = "other".into();
    let mut f = file("b.fit", T0);
    f.content_hash = "other".into();
    let id2 = other
        .insert_file(&f, &[again.clone()])
        .expect("insert")
        .inserted()[0];
    assert_eq!(other.get_run(id2).expect("get").run, again);
}

#[test]
fn a_missing_device_summary_stays_missing_and_an_empty_one_stays_empty() {
    let store = store();
    let mut none = run("none.fit", T0, 10);
    none.device_summary = None;
    let mut empty = run("empty.fit", T0 + 86_400, 10);
    empty.device_summary = Some(Default::default());
    for r in [none, empty] {
        let id = insert(&store, &r.source.clone(), std::slice::from_ref(&r)).inserted()[0];
        assert_eq!(
            store.get_run(id).expect("get").run.device_summary,
            r.device_summary
        );
    }
}

#[test]
fn a_run_without_samples_or_start_is_kept() {
    let store = store();
    let mut r = run("bare.gpx", T0, 0);
    r.summary = Default::default();
    r.device_summary = None;
    r.device = None;
    r.sport = Sport::Unknown;
    let id = insert(&store, "bare.gpx", std::slice::from_ref(&r)).inserted()[0];
    assert_eq!(store.get_run(id).expect("get").run, r);
    // No start time: it cannot be a duplicate by time, and is listed last.
    let id2 = insert(&store, "bare2.gpx", std::slice::from_ref(&r)).inserted()[0];
    insert(&store, "dated.fit", &[run("dated.fit", T0, 60)]);
    let listed: Vec<RunId> = store
        .list_runs(&RunFilter::default())
        .expect("list")
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed[1..], [id2, id]);
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let store = store();
    let runs = [run("a.fit", T0, 600), run("a.fit", T0 + 3600, 600)];
    let first = insert(&store, "a.fit", &runs);
    assert_eq!(first.inserted().len(), 2);
    assert!(!first.is_already_present());
    assert!(store.has_file(&common::hash("a.fit")).expect("has"));
    let InsertOutcome::Inserted { file_id, .. } = first else {
        panic!("{first:?}")
    };
    let second = insert(&store, "a.fit", &runs);
    assert_eq!(second, InsertOutcome::AlreadyPresent { file_id });
    assert!(second.is_already_present());
    assert_eq!(store.run_count().expect("count"), 2);
}

/// One case: a stored run of 3600 s at T0, then a run from another file shifted by
/// `start_delta` seconds and lasting `elapsed_delta` seconds more.
fn check_duplicate(start_delta: i64, elapsed_delta: i64, duplicate: bool) {
    let store = store();
    let first = insert(&store, "watch.fit", &[run("watch.fit", T0, 3600)]).inserted()[0];
    let mut other = run("strava.gpx", T0 + start_delta, 3600 + elapsed_delta);
    other.device_summary = None;
    let out = insert(&store, "strava.gpx", &[other]);
    let InsertOutcome::Inserted { runs, .. } = &out else {
        panic!("{out:?}")
    };
    if duplicate {
        assert_eq!(
            runs,
            &[RunOutcome::Duplicate(first)],
            "{start_delta} {elapsed_delta}"
        );
        assert!(out.is_already_present());
        assert_eq!(store.run_count().expect("count"), 1);
    } else {
        assert!(
            matches!(runs[..], [RunOutcome::Inserted(_)]),
            "{start_delta} {elapsed_delta}"
        );
        assert_eq!(store.run_count().expect("count"), 2);
    }
    // The second file is recorded all the same: importing it again is recognised by its hash.
    assert!(insert(&store, "strava.gpx", &[run("strava.gpx", T0, 1)]).is_already_present());
}

#[test]
fn the_same_activity_from_another_source_is_a_duplicate() {
    for (start_delta, elapsed_delta, duplicate) in [
        (0, 0, true),
        (3, -2, true),
        (-5, 5, true),
        (6, 0, false),
        (0, -6, false),
        (-3600, 0, false),
        (600, -600, false),
    ] {
        check_duplicate(start_delta, elapsed_delta, duplicate);
    }
}

#[test]
fn runs_of_one_file_are_all_kept_even_when_they_overlap_each_other() {
    let store = store();
    let out = insert(
        &store,
        "a.fit",
        &[run("a.fit", T0, 60), run("a.fit", T0, 60)],
    );
    assert_eq!(out.inserted().len(), 2);
}

fn check_filter(store: &Store, filter: RunFilter, expected: &[&str]) {
    let got: Vec<String> = store
        .list_runs(&filter)
        .expect("list")
        .into_iter()
        .map(|s| {
            assert!(s.run.samples.is_empty(), "listing leaves samples out");
            s.run.source
        })
        .collect();
    assert_eq!(got, expected, "{filter:?}");
}

#[test]
fn listing_filters_by_date_sport_and_limit() {
    let store = store();
    let day = 86_400;
    for (source, start, sport) in [
        ("d0.fit", T0, Sport::Running),
        ("d1.fit", T0 + day, Sport::Cycling),
        ("d2.fit", T0 + 2 * day, Sport::Running),
        ("d3.fit", T0 + 3 * day, Sport::Other("rowing".into())),
    ] {
        let mut r = run(source, start, 60);
        r.sport = sport;
        insert(&store, source, &[r]);
    }
    let running = Some(Sport::Running);
    let cases = [
        (
            RunFilter::default(),
            vec!["d3.fit", "d2.fit", "d1.fit", "d0.fit"],
        ),
        (
            RunFilter {
                from: Some(T0 + day),
                ..Default::default()
            },
            vec!["d3.fit", "d2.fit", "d1.fit"],
        ),
        (
            RunFilter {
                to: Some(T0 + day),
                ..Default::default()
            },
            vec!["d0.fit"],
        ),
        (
            RunFilter {
                from: Some(T0 + 1),
                to: Some(T0 + 3 * day),
                ..Default::default()
            },
            vec!["d2.fit", "d1.fit"],
        ),
        (
            RunFilter {
                sport: running.clone(),
                ..Default::default()
            },
            vec!["d2.fit", "d0.fit"],
        ),
        (
            RunFilter {
                sport: Some(Sport::Other("rowing".into())),
                ..Default::default()
            },
            vec!["d3.fit"],
        ),
        (
            RunFilter {
                sport: Some(Sport::Swimming),
                ..Default::default()
            },
            vec![],
        ),
        (
            RunFilter {
                limit: Some(2),
                ..Default::default()
            },
            vec!["d3.fit", "d2.fit"],
        ),
        (
            RunFilter {
                limit: Some(0),
                ..Default::default()
            },
            vec![],
        ),
        (
            RunFilter {
                sport: running,
                limit: Some(1),
                to: Some(T0 + 2 * day),
                ..Default::default()
            },
            vec!["d0.fit"],
        ),
    ];
    for (filter, expected) in cases {
        check_filter(&store, filter, &expected);
    }
}

#[test]
fn runs_between_gives_oldest_first_with_samples() {
    let store = store();
    for i in (0..5).rev() {
        let source = format!("r{i}.fit");
        insert(&store, &source, &[run(&source, T0 + i * 86_400, 120)]);
    }
    let got = store
        .runs_between(T0 + 86_400, T0 + 4 * 86_400)
        .expect("between");
    let sources: Vec<&str> = got.iter().map(|s| s.run.source.as_str()).collect();
    assert_eq!(sources, ["r1.fit", "r2.fit", "r3.fit"]);
    assert!(
        got.iter()
            .all(|s| s.run.samples.len() == 120 && s.sample_count == 120)
    );
}

#[test]
fn unknown_ids_and_empty_hashes_are_clear_errors() {
    let store = store();
    let err = store.get_run(RunId(42)).expect_err("no run 42");
    assert!(matches!(
        err,
        StoreError::NotFound {
            what: "run",
            id: 42
        }
    ));
    assert_eq!(err.to_string(), "run 42 not found");
    let mut f = file("x.fit", T0);
    f.content_hash = " ".into();
    let err = store.insert_file(&f, &[]).expect_err("empty hash");
    assert_eq!(err.to_string(), "invalid content_hash: empty for x.fit");
}

#[test]
fn samples_encoded_on_another_thread_insert_the_same() {
    let runs = vec![run("a.fit", T0, 300), run("a.fit", T0 + 900, 300)];
    let worker_runs = runs.clone();
    let encoded = std::thread::spawn(move || runsore_store::EncodedSamples::of(&worker_runs))
        .join()
        .expect("worker");
    assert!(encoded.len_bytes() > 0);
    let (direct, pre) = (store(), store());
    let a = direct
        .insert_file(&file("a.fit", T0), &runs)
        .expect("insert")
        .inserted();
    let b = pre
        .insert_file_encoded(&file("a.fit", T0), &runs, &encoded)
        .expect("insert")
        .inserted();
    for (x, y) in a.into_iter().zip(b) {
        assert_eq!(
            direct.get_run(x).expect("get"),
            pre.get_run(y).expect("get")
        );
    }
    let err = store()
        .insert_file_encoded(&file("a.fit", T0), &runs[..1], &encoded)
        .expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        "invalid encoded samples: 2 encoded for 1 runs of a.fit"
    );
}
