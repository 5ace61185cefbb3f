//! One full assessment (ranking, triage, red flags, explanations, advice and question ranking)
//! over the whole knowledge base, for a sparse and a full intake. Goal: 50 microseconds or less.
//! Then the 86 worked cases in turn, as `bench/web-load.sh` sends them, assessed and serialised
//! to JSON as `POST /api/assess` answers (the time is for all 86), and with the findings a
//! store's runs add merged into each intake.

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
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/vignettes.json"))
            .expect("the worked cases are JSON");
    let intakes: Vec<_> = cases
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|case| parse_intake(&case["intake"].to_string()).expect("valid intake"))
        .collect();
    c.bench_function("assess_86_worked_cases", |b| {
        b.iter(|| {
            for intake in &intakes {
                black_box(assess(kb, black_box(intake), &derived));
            }
        })
    });
    // The same cases with what a store's runs add (as `bench/web-load.sh`'s 3,000-run store
    // gives): the findings merged into each intake before it is read.
    let runs: DerivedEvidence = serde_json::from_value(serde_json::json!({"findings": [
        {"field": "hours_since_run", "value": 20.5, "because": "your run ended 20 hours ago", "run_id": 198},
        {"field": "run.hot", "value": false, "because": "24 C on your run", "run_id": 198},
        {"field": "run.heavy_sweating", "value": false, "because": "about 1.2 L of sweat", "run_id": 198},
        {"field": "run.downhill", "value": true, "because": "descended 405 m", "run_id": 198},
        {"field": "training.weekly_increase_pct", "value": -17, "because": "60 km against 72 km", "run_id": null}
    ]}))
    .expect("derived evidence");
    c.bench_function("assess_86_worked_cases_with_runs_evidence", |b| {
        b.iter(|| {
            for intake in &intakes {
                black_box(assess(kb, black_box(intake), &runs));
            }
        })
    });
    let mut out = Vec::with_capacity(64 * 1024);
    c.bench_function("assess_and_serialise_86_worked_cases", |b| {
        b.iter(|| {
            for intake in &intakes {
                out.clear();
                runsore_triage::to_json_writer(&mut out, &assess(kb, black_box(intake), &derived))
                    .expect("serialises");
                black_box(&out);
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
