//! Loading the embedded knowledge base, which every start of the command line pays: from the
//! JSON the build script writes (what `knowledge()` does) and from the TOML file itself, in the
//! same run so that the figures read as a ratio.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use runsore_triage::{KNOWLEDGE_JSON, KNOWLEDGE_TOML, KnowledgeBase};

fn load(c: &mut Criterion) {
    c.bench_function("knowledge base from JSON", |b| {
        b.iter(|| KnowledgeBase::from_json(black_box(KNOWLEDGE_JSON)))
    });
    c.bench_function("knowledge base from TOML", |b| {
        b.iter(|| KnowledgeBase::from_toml(black_box(KNOWLEDGE_TOML)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = load
}
criterion_main!(benches);
