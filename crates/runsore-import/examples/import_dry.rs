//! Baselines for bench/import.sh, on one core: `inflate` lists the sources and gunzips each
//! (the work no importer can avoid); `decode` also decodes them into runs, without a store.
//!
//! Usage: import_dry inflate|decode PATH...

use std::path::PathBuf;
use std::time::Instant;

use runsore_import::{DEFAULT_MAX_INFLATED, Decoded, decode_source, gunzip, is_gzip, sources};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let t = Instant::now();
    let (mut files, mut bytes, mut runs, mut samples, mut failed) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for src in sources(&paths) {
        let Ok(src) = src else {
            failed += 1;
            continue;
        };
        files += 1;
        match mode.as_str() {
            "inflate" => {
                let n = if is_gzip(&src.bytes) {
                    gunzip(&src.bytes, DEFAULT_MAX_INFLATED).map_or(0, |b| b.len())
                } else {
                    src.bytes.len()
                };
                bytes += n as u64;
            }
            "decode" => match decode_source(&src) {
                Ok(Decoded::Runs(r)) => {
                    runs += r.len() as u64;
                    samples += r.iter().map(|r| r.samples.len() as u64).sum::<u64>();
                }
                Ok(Decoded::NotActivity { .. }) => {}
                Err(_) => failed += 1,
            },
            _ => {
                eprintln!("usage: import_dry inflate|decode PATH...");
                std::process::exit(2);
            }
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "mode={mode} files={files} inflated_bytes={bytes} runs={runs} samples={samples} failed={failed} seconds={s:.3}"
    );
}
