//! Lists the expressions that reading one story compiles, with what each costs to compile and
//! whether it matched anything: where a short story's start-up goes, and how well the filters
//! keep out expressions that cannot match.
//!
//! `cargo run --release -p runsore-story --example compiled [FILE]` (default: bench/story.txt)

use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/story.txt").into());
    let story = std::fs::read_to_string(&path).expect("story file is readable");
    let v = &*runsore_story::vocab::VOCABULARY;
    let _ = runsore_story::read_story(&story);
    let mut rows = Vec::new();
    for l in v.lazies().into_iter().filter(|l| l.is_compiled()) {
        let t = Instant::now();
        let re = runsore_story::vocab::Re::new(l.source()).expect("compiles");
        let cost = t.elapsed();
        rows.push((cost, re.is_match(&story), l.source().to_string()));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    let total: std::time::Duration = rows.iter().map(|r| r.0).sum();
    let wasted: std::time::Duration = rows.iter().filter(|r| !r.1).map(|r| r.0).sum();
    println!(
        "{} compiled of {}, {total:?} to compile; {} never match the story ({wasted:?})",
        rows.len(),
        v.lazies().len(),
        rows.iter().filter(|r| !r.1).count()
    );
    for (cost, hit, src) in &rows {
        let short: String = src.chars().take(110).collect();
        println!(
            "{cost:>10.2?} {} {short}",
            if *hit { "hit " } else { "miss" }
        );
    }
}
