//! Times the reader's start-up phases: parsing the vocabulary and context files, building the
//! vocabulary and the context from them, and the first and a second read.
//!
//! `cargo run --release -p runsore-story --example startup`

use std::time::Instant;

use runsore_story::context::{CONTEXT_TOML, ContextFile};
use runsore_story::vocab::{VOCABULARY_TOML, VocabularyFile};

fn main() {
    let story = "Ran my first 18 km yesterday, far longer than usual and mostly downhill. This \
        morning both glutes are stiff and sore to touch. No dark urine, I can walk fine, no numbness.";
    // The files alone, parsed as the reader parses them (a copy, so the timings below are cold).
    let t = Instant::now();
    let _: VocabularyFile = toml::from_str(VOCABULARY_TOML).expect("vocabulary parses");
    let vocab_toml = t.elapsed();
    let t = Instant::now();
    let _: ContextFile = toml::from_str(CONTEXT_TOML).expect("context parses");
    let context_toml = t.elapsed();
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
    let compiled = v.lazies().iter().filter(|l| l.is_compiled()).count();
    println!(
        "vocabulary {vocab:?} (its TOML {vocab_toml:?}), context {context:?} (its TOML \
         {context_toml:?}), first read {first:?}, second read {second:?}; rules tried {}/{}, \
         quantities {}/{}, expressions compiled {compiled}/{}, modifiers {}",
        r.iter().filter(|x| **x).count(),
        r.len(),
        q.iter().filter(|x| **x).count(),
        q.len(),
        v.lazies().len(),
        c.modifiers.len()
    );
}
