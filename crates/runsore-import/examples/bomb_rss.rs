//! Peak memory of the import path on a decompression bomb, for `/usr/bin/time -v`: writes a bomb
//! to a temporary file, lists it with `sources` and decodes every entry with `decode_source`, as
//! the CLI does for one file, and prints what happened to each.
//!
//! Usage: bomb_rss gzip|zip|nested|double|plain [MIB] [--write DIR]
//! MIB: how far the bomb inflates (default 320). `double` is the worst case under the caps: a zip
//! entry that inflates to MIB (keep it under 256) of gzip, which inflates to MIB again, so both
//! caps are nearly full at once. `plain` imports a small GPX file: the baseline to subtract.
//! `--write DIR` only writes the file into DIR and exits; `bomb_rss import PATH` then imports it,
//! so that building the bomb (which holds a `double` bomb's 250 MiB of gzip) is not in the peak.

use std::io::Write;
use std::path::PathBuf;
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
    if mode == "import" {
        let path = PathBuf::from(std::env::args().nth(2).expect("import PATH"));
        import(&path);
        return;
    }
    let (name, bytes) = match mode.as_str() {
        "gzip" => ("bomb.fit.gz", gzip_zeros(mib)),
        // Claims 1000 bytes, so only the read cap stops it.
        "zip" => ("bomb.zip", zip_of(&[Entry::zeros("liar.fit", mib, 1000)])),
        // A zip entry that is small in the zip but a gzip bomb: the zip cap and then the gzip cap.
        "nested" => (
            "bomb.zip",
            zip_of(&[Entry::stored("a/bomb.fit.gz", gzip_zeros(mib))]),
        ),
        "double" => ("double.zip", double(mib)),
        "plain" => ("plain.gpx", GPX.to_vec()),
        _ => {
            eprintln!(
                "usage: bomb_rss gzip|zip|nested|double|plain [MIB] [--write DIR] | import PATH"
            );
            std::process::exit(2);
        }
    };
    if args.next().as_deref() == Some("--write") {
        let dir = PathBuf::from(args.next().expect("--write DIR"));
        let path = dir.join(format!("{mode}-{name}"));
        std::fs::write(&path, &bytes).expect("write the bomb");
        println!("{}", path.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).expect("write the bomb");
    drop(bytes);
    import(&path);
    println!(
        "mode={mode} file_bytes={} inflates_to_mib={}",
        std::fs::metadata(&path).map_or(0, |m| m.len()),
        if mode == "plain" { 0 } else { mib },
    );
}

/// A zip whose one entry, `a/double.fit.gz`, is `mib` MiB of gzip made of stored (uncompressed)
/// blocks of zeros: the zip entry inflates to `mib` MiB and so does the gzip inside it.
fn double(mib: usize) -> Vec<u8> {
    let zeros = vec![0u8; 1 << 20];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    for _ in 0..mib {
        gz.write_all(&zeros).expect("gzip in memory");
    }
    let gz = gz.finish().expect("gzip in memory");
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("a/double.fit.gz", opts)
        .expect("zip in memory");
    z.write_all(&gz).expect("zip in memory");
    z.finish().expect("zip in memory").into_inner()
}

/// Lists and decodes everything in `path` as the CLI does for one file, printing each outcome.
fn import(path: &std::path::Path) {
    let t = Instant::now();
    for item in sources(&[path.to_path_buf()]) {
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
    println!("seconds={:.2}", t.elapsed().as_secs_f64());
}
