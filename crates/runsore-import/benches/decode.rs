//! Decoding throughput on the corpus: runsore's FIT decoder against the fitparser crate in the same
//! run (the goal is at least 50 times fitparser), and the GPX/TCX readers.
//!
//! Reads ../shared/corpus when present (else the bundled tests/data). FIT is measured on the files
//! that fitparser also decodes, so both sides do the same work. Run:
//! `cargo bench -p runsore-import --bench decode`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut c = vec![];
    if let Some(d) = std::env::var_os("RUNSORE_CORPUS") {
        c.push(PathBuf::from(d));
    }
    c.push(manifest.join("../../../shared/corpus"));
    c.push(manifest.join("../../../../shared/corpus"));
    c.into_iter()
        .find(|d| d.join("fit").is_dir())
        .unwrap_or_else(|| manifest.join("tests/data"))
}

fn files(dir: &Path, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["fit", "gpx", "tcx"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            let name = p.to_string_lossy().into_owned();
            if exts.iter().any(|e| name.ends_with(e)) {
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

fn fit(c: &mut Criterion) {
    let dir = corpus();
    let all = files(&dir, &[".fit"]);
    // Both decoders on the same files: those fitparser reads.
    let both: Vec<(String, Vec<u8>)> = all
        .into_iter()
        .filter(|(_, b)| fitparser::from_bytes(b).is_ok())
        .collect();
    let bytes: usize = both.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "fit: {} files, {} bytes, from {}",
        both.len(),
        bytes,
        dir.display()
    );
    let mut g = c.benchmark_group("fit");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("runsore_decode", |b| {
        b.iter(|| {
            for (name, data) in &both {
                let _ = black_box(runsore_import::decode(name, data));
            }
        })
    });
    g.bench_function("runsore_walk_only", |b| {
        b.iter(|| {
            for (_, data) in &both {
                let _ = black_box(runsore_import::fit::FitFile::decode(data));
            }
        })
    });
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("fitparser", |b| {
        b.iter(|| {
            for (_, data) in &both {
                let _ = black_box(fitparser::from_bytes(data));
            }
        })
    });
    g.finish();
}

fn xml(c: &mut Criterion) {
    let dir = corpus();
    for (label, ext) in [("gpx", ".gpx"), ("tcx", ".tcx")] {
        let fs = files(&dir, &[ext]);
        let bytes: usize = fs.iter().map(|(_, b)| b.len()).sum();
        let mut g = c.benchmark_group(label);
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(5));
        g.bench_function("runsore_decode", |b| {
            b.iter(|| {
                for (name, data) in &fs {
                    let _ = black_box(runsore_import::decode(name, data));
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, fit, xml);
criterion_main!(benches);
