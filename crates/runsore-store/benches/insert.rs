//! Store throughput: importing 3,000 files of one run each into a store on disk, and reading
//! runs back with their samples (`cargo bench -p runsore-store --bench insert`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use runsore_model::Run;
use runsore_store::{RunFilter, Store};

/// Files in the synthetic export: the size of a few years of a Strava archive.
const FILES: usize = 3_000;
/// Samples per run: a 40-minute run at 1 Hz, a typical recording.
const SAMPLES: i64 = 2_400;

fn runs() -> Vec<(runsore_store::FileRecord, Run)> {
    (0..FILES)
        .map(|i| {
            let source = format!("activities/{i}.fit.gz");
            let start = common::T0 + i as i64 * 86_400;
            (
                common::file(&source, 0),
                common::run(&source, start, SAMPLES),
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let files = runs();
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("insert_3000_files_one_transaction_each", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let store = Store::open(dir.path().join("bench.db")).expect("open");
                (dir, store)
            },
            |(dir, store)| {
                for (file, run) in &files {
                    black_box(
                        store
                            .insert_file(file, std::slice::from_ref(run))
                            .expect("insert"),
                    );
                }
                (dir, store)
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("reimport_3000_known_files", |b| {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path().join("bench.db")).expect("open");
        for (file, run) in &files {
            store
                .insert_file(file, std::slice::from_ref(run))
                .expect("insert");
        }
        b.iter(|| {
            for (file, _) in &files {
                black_box(store.has_file(&file.content_hash).expect("has"));
            }
        });
    });
    group.finish();

    let mut group = c.benchmark_group("samples");
    let one = std::slice::from_ref(&files[0].1);
    group.throughput(Throughput::Elements(SAMPLES as u64));
    group.bench_function("encode_one_run", |b| {
        b.iter(|| black_box(runsore_store::EncodedSamples::of(black_box(one))));
    });
    group.finish();

    let mut group = c.benchmark_group("store_read");
    group.sample_size(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("bench.db")).expect("open");
    for (file, run) in files.iter().take(365) {
        store
            .insert_file(file, std::slice::from_ref(run))
            .expect("insert");
    }
    group.throughput(Throughput::Elements(365));
    group.bench_function("runs_between_a_year_with_samples", |b| {
        b.iter(|| black_box(store.runs_between(i64::MIN, i64::MAX).expect("between")));
    });
    group.bench_function("list_runs_a_year", |b| {
        b.iter(|| black_box(store.list_runs(&RunFilter::default()).expect("list")));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
