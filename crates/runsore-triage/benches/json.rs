//! How the API's JSON is written: the 86 worked cases' assessments, made once, written by
//! `serde_json`, by `sonic-rs` (SIMD string escaping) and by `runsore_triage::to_json_vec`
//! (`sonic-rs` with each condition's unchanged information copied from JSON written once), as
//! `POST /api/assess` writes them. The time is for all 86. A serializer of our own (session 10)
//! took 117,000 instructions an answer under callgrind against `sonic-rs`'s 121,000 and
//! `serde_json`'s 189,000, and was no faster in time than `sonic-rs`: not worth 700 lines.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use runsore_model::DerivedEvidence;
use runsore_triage::{assess, knowledge, parse_intake};

fn bench(c: &mut Criterion) {
    let kb = knowledge();
    let derived = DerivedEvidence::default();
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/vignettes.json"))
            .expect("the worked cases are JSON");
    let assessments: Vec<_> = cases
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|case| {
            let intake = parse_intake(&case["intake"].to_string()).expect("valid intake");
            assess(kb, &intake, &derived)
        })
        .collect();
    // The three write the same bytes: checked once here, so that the comparison is of equal work.
    for a in &assessments {
        let mut ours = Vec::new();
        runsore_triage::to_json_vec(&mut ours, a).expect("serialises");
        assert_eq!(ours, serde_json::to_vec(a).expect("serialises"));
        assert_eq!(ours, sonic_rs::to_vec(a).expect("serialises"));
    }
    let mut out = Vec::with_capacity(64 * 1024);
    let mut group = c.benchmark_group("write_86_assessments");
    group.bench_function("serde_json", |b| {
        b.iter(|| {
            for a in &assessments {
                out.clear();
                serde_json::to_writer(&mut out, black_box(a)).expect("serialises");
                black_box(&out);
            }
        })
    });
    group.bench_function("sonic_rs", |b| {
        b.iter(|| {
            for a in &assessments {
                out.clear();
                sonic_rs::to_writer(&mut out, black_box(a)).expect("serialises");
                black_box(&out);
            }
        })
    });
    group.bench_function("sonic_rs_with_kept_json", |b| {
        b.iter(|| {
            for a in &assessments {
                out.clear();
                runsore_triage::to_json_vec(&mut out, black_box(a)).expect("serialises");
                black_box(&out);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
