//! Times compiling each phrase rule's expressions (pattern, then requires/blocks/before/after),
//! slowest first: where the reader's start-up goes, since reading itself takes under a millisecond.
//!
//! `cargo run --release -p runsore-story --example cost`

use std::time::Instant;
fn main() {
    let t = Instant::now();
    let v = &*runsore_story::vocab::VOCABULARY;
    println!("vocabulary {:?}", t.elapsed());
    let mut costs = Vec::new();
    let t0 = Instant::now();
    for r in &v.rules {
        let t = Instant::now();
        let _ = r.pattern.get();
        let p = t.elapsed();
        let t = Instant::now();
        for l in [&r.requires, &r.blocks, &r.before_not, &r.after_not]
            .into_iter()
            .flatten()
        {
            let _ = l.get();
        }
        costs.push((p, t.elapsed(), r.id.clone()));
    }
    println!("all rules {:?}", t0.elapsed());
    let t = Instant::now();
    for q in &v.quantities {
        let _ = q.pattern.get();
    }
    println!("quantities {:?}", t.elapsed());
    costs.sort_by_key(|c| std::cmp::Reverse(c.0 + c.1));
    for c in costs.iter().take(25) {
        println!("{:>10?} {:>10?} {}", c.0, c.1, c.2);
    }
}
