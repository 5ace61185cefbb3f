//! Fills a store with many copies of one real watch file for bench/web-load.sh: copy k is moved
//! k days back from `--end` (so the newest run is recent and the charts have weeks to show), with
//! its own content hash, so a store of years of daily runs with their samples is built in
//! seconds.
//!
//! Usage: bench_store STORE.db COUNT FILE [END_UTC]

use std::process::ExitCode;

use runsore_import::Decoded;
use runsore_store::{FileRecord, Store};

const DAY: i64 = 86_400;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [store, count, file, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench_store STORE.db COUNT FILE [END_UTC]");
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
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench_store: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let run = match runsore_import::decode(file, &bytes) {
        Ok(Decoded::Runs(mut runs)) if !runs.is_empty() => runs.remove(0),
        Ok(_) => {
            eprintln!("bench_store: {file}: no run in the file");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("bench_store: {e}");
            return ExitCode::from(2);
        }
    };
    let Some(start) = run.best_summary().start_utc else {
        eprintln!("bench_store: {file}: the run has no start time");
        return ExitCode::from(2);
    };
    let store = match Store::open(store) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench_store: {e}");
            return ExitCode::from(2);
        }
    };
    // Runs at 07:00 UTC on each day, the newest on `end`'s day.
    let last = end.div_euclid(DAY) * DAY + 7 * 3600;
    let mut stored = 0usize;
    for k in 0..count {
        let shift = last - k * DAY - start;
        let mut copy = run.clone();
        for s in &mut copy.samples {
            s.t += shift as f64;
        }
        for summary in std::iter::once(&mut copy.summary).chain(copy.device_summary.as_mut()) {
            summary.start_utc = summary.start_utc.map(|t| t + shift);
        }
        copy.source = format!("bench/{k:05}.fit");
        copy.content_hash = format!("{}-{k}", run.content_hash);
        let record = FileRecord {
            source: copy.source.clone(),
            format: copy.format,
            content_hash: copy.content_hash.clone(),
            size_bytes: bytes.len() as u64,
            imported_utc: end,
        };
        match store.insert_file(&record, std::slice::from_ref(&copy)) {
            Ok(outcome) => stored += outcome.inserted().len(),
            Err(e) => {
                eprintln!("bench_store: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{stored} runs stored ({} samples each)", run.samples.len());
    ExitCode::SUCCESS
}
