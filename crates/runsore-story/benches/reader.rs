//! The reader's hot paths: a short story, a long one (cost must grow linearly with the text),
//! and compiling the whole vocabulary eagerly (what start-up cost before rules were compiled
//! only when their words occur), each in the same run so that figures read as ratios.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use runsore_story::context::{CONTEXT_JSON, CONTEXT_TOML, ContextFile};
use runsore_story::vocab::{VOCABULARY_TOML, compile};
use runsore_story::{Options, read_story, read_story_at};

const STORY: &str = "Ran my first 18 km yesterday, far longer than usual and mostly downhill. \
    This morning both glutes are stiff and sore to touch. No dark urine, I can walk fine, no \
    numbness. My friend fainted at the finish but I feel fine.";

fn reader(c: &mut Criterion) {
    c.bench_function("read short story", |b| {
        b.iter(|| read_story(black_box(STORY)))
    });
    let options = Options {
        now: Some(time::macros::datetime!(2026-12-02 09:00 UTC)),
        ..Options::default()
    };
    c.bench_function("read short story with a clock", |b| {
        b.iter(|| read_story_at(black_box(STORY), &options))
    });
    // 10 KB and 100 KB: ten times the text should cost about ten times the time.
    let ten_kb = STORY.repeat(10_000 / STORY.len() + 1);
    let hundred_kb = STORY.repeat(100_000 / STORY.len() + 1);
    c.bench_function("read 10 KB", |b| b.iter(|| read_story(black_box(&ten_kb))));
    c.bench_function("read 100 KB", |b| {
        b.iter(|| read_story(black_box(&hundred_kb)))
    });
    // A megabyte: ten times 100 KB should cost about ten times as much.
    let one_mb = STORY.repeat(1_000_000 / STORY.len() + 1);
    c.bench_function("read 1 MB", |b| b.iter(|| read_story(black_box(&one_mb))));
    // What start-up pays for the context: its file parsed from the JSON the build script
    // writes, as the reader does, and from the TOML, then compiled.
    c.bench_function("parse the context file from JSON", |b| {
        b.iter(|| serde_json::from_str::<ContextFile>(black_box(CONTEXT_JSON)))
    });
    c.bench_function("parse the context file from TOML", |b| {
        b.iter(|| toml::from_str::<ContextFile>(black_box(CONTEXT_TOML)))
    });
    c.bench_function("compile the context", |b| {
        b.iter(|| runsore_story::context::compile(black_box(CONTEXT_TOML)))
    });
    c.bench_function("compile the whole vocabulary eagerly", |b| {
        b.iter(|| compile(black_box(VOCABULARY_TOML)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = reader
}
criterion_main!(benches);
