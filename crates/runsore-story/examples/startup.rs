//! Times the reader's start-up phases: the vocabulary, the context, the first and a second read.
//!
//! `cargo run --release -p runsore-story --example startup`

use std::time::Instant;

fn main() {
    let story = "Ran my first 18 km yesterday, far longer than usual and mostly downhill. This \
        morning both glutes are stiff and sore to touch. No dark urine, I can walk fine, no numbness.";
    let t = Instant::now();
    let v = &*runsore_story::vocab::VOCABULARY;
    let vocab = t.elapsed();
    let t = Instant::now();
    let c = &*runsore_story::context::CONTEXT;
    let context = t.elapsed();
    let t = Instant::now();
    let _ = runsore_story::read_story(story);
    let first = t.elapsed();
    let t = Instant::now();
    let _ = runsore_story::read_story(story);
    let second = t.elapsed();
    let (r, q) = v.candidates(story);
    println!(
        "vocabulary {vocab:?}, context {context:?}, first read {first:?}, second read {second:?}; \
         rules tried {}/{}, quantities {}/{}, modifiers {}",
        r.iter().filter(|x| **x).count(),
        r.len(),
        q.iter().filter(|x| **x).count(),
        q.len(),
        c.modifiers.len()
    );
}
