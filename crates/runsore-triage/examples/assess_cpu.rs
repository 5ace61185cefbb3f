//! CPU time per assessment over the 86 worked cases (and serialised to JSON as the API answers),
//! from the process's own CPU clock rather than the wall clock, so that a busy machine does not
//! inflate it: `cargo run --release -p runsore-triage --example assess_cpu [ROUNDS]`. Build it
//! at two commits and run both in one command to compare.

use std::hint::black_box;

use runsore_model::DerivedEvidence;
use runsore_triage::{assess, knowledge, parse_intake};

/// The process's user and system CPU time so far, in seconds (from `/proc/self/stat`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are the 14th and 15th fields, the 12th and 13th after the name; the clock
    // ticks 100 times a second on Linux.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/vignettes.json")).expect("JSON");
    let intakes: Vec<_> = cases
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| parse_intake(&c["intake"].to_string()).expect("valid intake"))
        .collect();
    let kb = knowledge();
    let derived = DerivedEvidence::default();
    let mut out = Vec::with_capacity(64 * 1024);
    let n = (rounds * intakes.len()) as f64;
    let t0 = cpu_seconds();
    for _ in 0..rounds {
        for intake in &intakes {
            black_box(assess(kb, black_box(intake), &derived));
        }
    }
    let t1 = cpu_seconds();
    for _ in 0..rounds {
        for intake in &intakes {
            out.clear();
            runsore_triage::to_json_writer(&mut out, &assess(kb, black_box(intake), &derived))
                .expect("serialises");
            black_box(&out);
        }
    }
    let t2 = cpu_seconds();
    // Each case's fastest of `rounds` wall-clock timings, summed: on a machine others are
    // building on, a short call often runs undisturbed at least once, so the minimum is steadier
    // than any total (the CPU clock above ticks at 100 Hz and counts time lost to a shared core).
    let mut fastest = vec![f64::INFINITY; intakes.len()];
    for _ in 0..rounds {
        for (i, intake) in intakes.iter().enumerate() {
            let t = std::time::Instant::now();
            black_box(assess(kb, black_box(intake), &derived));
            fastest[i] = fastest[i].min(t.elapsed().as_secs_f64());
        }
    }
    // The JSON alone, as the API writes it: each case's fastest of `rounds`.
    let assessments: Vec<_> = intakes.iter().map(|i| assess(kb, i, &derived)).collect();
    let mut fastest_json = vec![f64::INFINITY; intakes.len()];
    for _ in 0..rounds {
        for (i, a) in assessments.iter().enumerate() {
            let t = std::time::Instant::now();
            out.clear();
            runsore_triage::to_json_writer(&mut out, black_box(a)).expect("serialises");
            black_box(&out);
            fastest_json[i] = fastest_json[i].min(t.elapsed().as_secs_f64());
        }
    }
    println!(
        "{:.1} us CPU per assessment, {:.1} us with its JSON ({} assessments each); fastest of {rounds}: {:.1} us a case on average, its JSON {:.2} us",
        (t1 - t0) / n * 1e6,
        (t2 - t1) / n * 1e6,
        n,
        fastest.iter().sum::<f64>() / intakes.len() as f64 * 1e6,
        fastest_json.iter().sum::<f64>() / intakes.len() as f64 * 1e6
    );
}
