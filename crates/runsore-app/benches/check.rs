//! What `POST /api/assess` costs the server beside HTTP, on a store of generated runs
//! (`cargo bench -p runsore-app --bench check`): the intake parsed, the check with the runs'
//! evidence kept for the store's revision (as the web app answers it on its async worker), the
//! same through the blocking path (which reads the revision on a pooled connection), and the
//! report serialised as the API sends it. Also what the first request after a change costs:
//! the runs' views read again after a check-in, and after one more run is imported.

#[path = "support/cpu.rs"]
mod cpu;
#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use cpu::ThreadCpu;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use runsore_app::App;

/// A fixed "now", so every run of the bench sees the same runs in its windows.
const NOW: i64 = 1_764_000_000;
const DAY: i64 = 86_400;
/// Runs stored: a year of daily runs, four times the 90 days the evidence reads.
const RUNS: i64 = 365;
const INTAKE: &str = r#"{"where":["buttock"],"sides":"both","onset":"next_day","feels":["stiff","aching"],"tender_to_touch":true,"pain":4,"hours_since_run":26,"days_since_onset":1,"trend":"same","swelling":false,"can_bear_weight":true,"sudden":false,"run":{"minutes":110,"distance_km":18,"intensity":"steady","unaccustomed":true}}"#;

fn bench(c: &mut Criterion<ThreadCpu>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.db");
    {
        let store = runsore_store::Store::open(&path).expect("a new store");
        generate::fill(&store, RUNS, NOW - DAY).expect("runs stored");
    }
    let app = App::open(&path).expect("the store opens");
    let intake = runsore_app::parse_intake(INTAKE).expect("a valid intake");
    let report = app
        .check_report(intake.clone(), NOW, true)
        .expect("a report");
    assert!(
        !report.runs_evidence.is_empty(),
        "the runs must give evidence, or the bench measures an empty store"
    );

    c.bench_function("parse_intake", |b| {
        b.iter(|| runsore_app::parse_intake(black_box(INTAKE)))
    });
    c.bench_function("check_report_kept", |b| {
        b.iter(|| app.check_report_kept(black_box(&intake), NOW))
    });
    c.bench_function("check_report_blocking_path", |b| {
        b.iter(|| app.check_report(black_box(intake.clone()), NOW, true))
    });
    let mut out = Vec::with_capacity(64 * 1024);
    c.bench_function("serialise_report", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, black_box(&report)).expect("serialisable");
            out.len()
        })
    });

    // The first check after a change: a check-in saved (the runs are the ones kept), and one
    // more run imported (only that run is read; every run's samples were read again before).
    let writer = runsore_store::Store::open(&path).expect("a second connection");
    let episode = writer.open_episode(NOW, None).expect("an episode");
    c.bench_function("first_check_after_a_check_in", |b| {
        b.iter_batched(
            || {
                writer
                    .add_checkin(&runsore_store::NewCheckIn {
                        at_utc: NOW,
                        kind: runsore_store::CheckInKind::Assessment,
                        episode_id: Some(episode.id),
                        kb_version: "bench".into(),
                        intake: serde_json::json!({}),
                        evidence: serde_json::json!({}),
                        result: serde_json::json!({}),
                        run_ids: Vec::new(),
                    })
                    .expect("a check-in");
            },
            |()| app.check_report(intake.clone(), NOW, true),
            BatchSize::PerIteration,
        )
    });
    let mut seed = 0;
    c.bench_function("first_check_after_one_run_imported", |b| {
        b.iter_batched(
            || {
                seed += 1;
                let day = NOW.div_euclid(DAY) - 1 - (seed % 60) as i64;
                let (record, run) = generate::evening_run(day, seed);
                writer
                    .insert_file(&record, &[run])
                    .expect("one more run stored");
            },
            |()| app.check_report(intake.clone(), NOW, true),
            BatchSize::PerIteration,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(ThreadCpu)
        .measurement_time(Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
