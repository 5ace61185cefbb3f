//! Synthetic runs for the store's tests, benches and the crash-writer example.
#![allow(dead_code, reason = "each test binary uses a different part")]

use runsore_model::{Format, Run, RunSummary, Sample, Sport};
use runsore_store::FileRecord;

/// A run of `elapsed` seconds starting at `start`, one sample per second, from `source`.
pub fn run(source: &str, start: i64, elapsed: i64) -> Run {
    let samples: Vec<Sample> = (0..elapsed.max(0))
        .map(|i| {
            let f = i as f64;
            Sample {
                t: (start + i) as f64,
                lat: Some(51.5 + f * 2e-5),
                lon: Some(-0.14 + f * 1e-5),
                alt_m: Some(30.0 + (f / 60.0).sin() * 10.0),
                dist_m: Some(f * 2.9),
                speed_mps: Some(2.9),
                hr: (i % 7 != 3).then_some(140 + (i % 20) as u8),
                cadence: Some(85),
                temp_c: Some(12),
            }
        })
        .collect();
    let summary = RunSummary {
        start_utc: Some(start),
        local_offset_s: Some(3600),
        elapsed_s: Some(elapsed as f64),
        moving_s: Some(elapsed as f64 - 1.5),
        distance_m: Some(elapsed as f64 * 2.9),
        ascent_m: Some(12.25),
        descent_m: None,
        avg_hr: Some(148.125),
        max_hr: Some(159.0),
        avg_temp_c: None,
    };
    Run {
        source: source.to_string(),
        format: Format::Fit,
        content_hash: hash(source),
        device: Some("garmin forerunner 255".into()),
        sport: Sport::Running,
        sub_sport: Some("trail".into()),
        name: Some(format!("morning run {source}")),
        rpe: Some(6.0),
        device_summary: Some(RunSummary {
            distance_m: Some(elapsed as f64 * 2.9 + 3.0),
            ..summary.clone()
        }),
        summary,
        samples,
        partial: false,
        warnings: vec!["bad crc".into()],
    }
}

/// A stand-in content hash for a source name.
pub fn hash(source: &str) -> String {
    format!("hash-of-{source}")
}

/// The file record of a source, imported at `now`.
pub fn file(source: &str, now: i64) -> FileRecord {
    FileRecord {
        source: source.to_string(),
        format: Format::Fit,
        content_hash: hash(source),
        size_bytes: 12_345,
        imported_utc: now,
    }
}

/// 2026-11-01T00:00:00Z.
pub const T0: i64 = 1_793_491_200;

/// Runs per file written by [`write_files`].
pub const RUNS_PER_FILE: usize = 2;
/// Samples per run written by [`write_files`].
pub const SAMPLES_PER_RUN: i64 = 600;

/// The source name of the `i`th file written by [`write_files`].
pub fn numbered_source(i: usize) -> String {
    format!("batch/{i:04}.fit")
}

/// Imports `count` numbered files of two runs each, as an import would; files already present
/// are recognised and skipped. Returns how many runs were newly stored.
pub fn write_files(
    store: &runsore_store::Store,
    count: usize,
) -> Result<usize, runsore_store::StoreError> {
    let mut inserted = 0;
    for i in 0..count {
        let source = numbered_source(i);
        let start = T0 + i as i64 * 86_400;
        let runs = [
            run(&source, start, SAMPLES_PER_RUN),
            run(&source, start + 7_200, SAMPLES_PER_RUN),
        ];
        inserted += store
            .insert_file(&file(&source, T0), &runs)?
            .inserted()
            .len();
    }
    Ok(inserted)
}
