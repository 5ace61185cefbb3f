//! Fills a store with years of generated, real-looking runs for bench/web-load.sh (see
//! `benches/support/generate.rs`).
//!
//! Usage: bench_store STORE.db COUNT [END_UTC]     (END_UTC: yesterday by default)

use std::process::ExitCode;

use runsore_store::Store;

#[path = "../benches/support/generate.rs"]
mod generate;

const DAY: i64 = 86_400;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [store, count, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench_store STORE.db COUNT [END_UTC]");
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<i64>() else {
        eprintln!("bench_store: COUNT must be a whole number, got {count:?}");
        return ExitCode::from(2);
    };
    let end = match rest.first().map(|e| e.parse::<i64>()) {
        None => runsore_app::now_utc() - DAY,
        Some(Ok(e)) => e,
        Some(Err(e)) => {
            eprintln!("bench_store: END_UTC: {e}");
            return ExitCode::from(2);
        }
    };
    let store = match Store::open(store) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench_store: {e}");
            return ExitCode::from(2);
        }
    };
    match generate::fill(&store, count, end) {
        Ok((stored, total_samples)) => {
            println!(
                "{stored} generated runs stored, {total_samples} samples ({} a run on average)",
                total_samples / stored.max(1)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_store: {e}");
            ExitCode::FAILURE
        }
    }
}
