//! All training metrics over ten years of daily runs (3,650): the goal is 5 ms or less.

use criterion::{Criterion, criterion_group, criterion_main};
use runsore_model::{Format, Run, RunSummary, Sample, Sport};
use runsore_training::{Day, HrBin, Profile, RunFigures, RunView, derive_evidence, report};
use std::hint::black_box;

const DAY0: i64 = 16_000;
const DAYS: i64 = 3_650;

/// Ten years of one run a day, with heart-rate bins spread over 60 rates and a descent, as the
/// store would hand them over with precomputed figures.
fn ten_years() -> Vec<RunView> {
    (0..DAYS)
        .map(|i| {
            let km = 6.0 + (i % 7) as f64 * 2.0;
            let seconds = km * 330.0;
            let hr_seconds = (120..180)
                .map(|bpm| HrBin {
                    bpm,
                    seconds: seconds / 60.0,
                })
                .collect();
            let mut figures = RunFigures {
                elapsed_s: Some(seconds + 60.0),
                moving_s: Some(seconds),
                distance_m: Some(km * 1000.0),
                avg_hr: Some(150.0),
                max_hr: Some(180.0),
                hr_seconds,
                temp_c: Some(10.0 + (i % 20) as f64),
                ..RunFigures::default()
            };
            figures.descent.metres = Some((i % 11) as f64 * 40.0);
            figures.descent.steep_s = Some((i % 11) as f64 * 60.0);
            RunView {
                id: i,
                start_utc: (DAY0 + i) * 86_400 + 7 * 3600,
                local_offset_s: Some(3600),
                sport: Sport::Running,
                rpe: None,
                figures,
            }
        })
        .collect()
}

/// One hour at 1 Hz with position, elevation and heart rate.
fn one_hour_run() -> Run {
    let samples = (0..3600)
        .map(|i| Sample {
            t: 1_700_000_000.0 + i as f64,
            dist_m: Some(i as f64 * 3.0),
            alt_m: Some(100.0 + ((i as f64) / 300.0).sin() * 30.0),
            hr: Some(140 + (i % 30) as u8),
            temp_c: Some(21),
            ..Sample::default()
        })
        .collect();
    Run {
        source: "bench".into(),
        format: Format::Fit,
        content_hash: String::new(),
        device: None,
        sport: Sport::Running,
        sub_sport: None,
        name: None,
        rpe: None,
        summary: RunSummary {
            start_utc: Some(1_700_000_000),
            ..RunSummary::default()
        },
        device_summary: None,
        samples,
        partial: false,
        warnings: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let runs = ten_years();
    let profile = Profile::default();
    let today = Day(DAY0 + DAYS - 1);
    let now = (DAY0 + DAYS) * 86_400;
    c.bench_function("report over 3,650 runs", |b| {
        b.iter(|| report(black_box(&runs), &profile, today))
    });
    c.bench_function("derive_evidence over 3,650 runs", |b| {
        b.iter(|| derive_evidence(black_box(&runs), &profile, now))
    });
    let run = one_hour_run();
    c.bench_function("per-run figures of a 1 Hz hour", |b| {
        b.iter(|| RunFigures::from_run(black_box(&run)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
