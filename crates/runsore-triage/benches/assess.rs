//! One full assessment (ranking, triage, red flags, explanations, advice and question ranking)
//! over the whole knowledge base, for a sparse and a full intake. Goal: 50 microseconds or less.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use runsore_model::DerivedEvidence;
use runsore_triage::{assess, knowledge, parse_intake};

fn bench(c: &mut Criterion) {
    let kb = knowledge();
    let derived = DerivedEvidence::default();
    let sparse = parse_intake(r#"{"where":["buttock"],"onset":"next_day"}"#).expect("valid");
    let full = parse_intake(
        r#"{"where":["buttock"],"sides":"both","onset":"next_day","feels":["stiff","aching"],
            "tender_to_touch":true,"pain":4,"hours_since_run":26,"days_since_onset":1,
            "trend":"same","swelling":false,"can_bear_weight":true,"sudden":false,
            "run":{"minutes":110,"distance_km":18,"intensity":"steady","unaccustomed":true}}"#,
    )
    .expect("valid");
    c.bench_function("assess_sparse_with_questions", |b| {
        b.iter(|| assess(kb, black_box(&sparse), &derived))
    });
    c.bench_function("assess_full_with_questions", |b| {
        b.iter(|| assess(kb, black_box(&full), &derived))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
