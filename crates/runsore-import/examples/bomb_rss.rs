//! Peak memory of the import path on a decompression bomb, for `/usr/bin/time -v`: writes a bomb
//! to a temporary file, lists it with `sources` and decodes every entry with `decode_source`, as
//! the CLI does for one file, and prints what happened to each.
//!
//! Usage: bomb_rss gzip|zip|nested|plain [MIB]   (MIB: how far the bomb inflates, default 320)
//! `plain` imports a small GPX file: the baseline to subtract.

use std::time::Instant;

use runsore_import::{Decoded, decode_source, sources};

#[path = "../tests/support/bombs.rs"]
mod bombs;

use bombs::{Entry, gzip_zeros, zip_of};

const GPX: &[u8] = include_bytes!("../tests/data/gpx/gpxrs__wahoo_example.gpx");

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(320);
    let (name, bytes) = match mode.as_str() {
        "gzip" => ("bomb.fit.gz", gzip_zeros(mib)),
        // Claims 1000 bytes, so only the read cap stops it.
        "zip" => ("bomb.zip", zip_of(&[Entry::zeros("liar.fit", mib, 1000)])),
        // A zip entry that is small in the zip but a gzip bomb: the zip cap and then the gzip cap.
        "nested" => (
            "bomb.zip",
            zip_of(&[Entry::stored("a/bomb.fit.gz", gzip_zeros(mib))]),
        ),
        "plain" => ("plain.gpx", GPX.to_vec()),
        _ => {
            eprintln!("usage: bomb_rss gzip|zip|nested|plain [MIB]");
            std::process::exit(2);
        }
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).expect("write the bomb");
    let t = Instant::now();
    for item in sources(std::slice::from_ref(&path)) {
        let outcome = match item {
            Err(e) => format!("listing error: {e}"),
            Ok(src) => match decode_source(&src) {
                Ok(Decoded::Runs(r)) => format!("{}: {} run(s)", src.name(), r.len()),
                Ok(Decoded::NotActivity { reason }) => format!("{}: {reason}", src.name()),
                Err(e) => format!("decode error: {e}"),
            },
        };
        println!("{outcome}");
    }
    println!(
        "mode={mode} file_bytes={} inflates_to_mib={} seconds={:.2}",
        bytes.len(),
        if mode == "plain" { 0 } else { mib },
        t.elapsed().as_secs_f64()
    );
}
