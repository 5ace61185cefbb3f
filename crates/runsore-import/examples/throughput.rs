//! Quick single-threaded throughput of the decoder's stages on FIT files given as arguments
//! (best of 15 passes); the criterion bench in benches/ is the reference measurement.

use std::time::Instant;

fn best(reps: usize, mut f: impl FnMut()) -> f64 {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let files: Vec<(String, Vec<u8>)> = std::env::args()
        .skip(1)
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let mb = files.iter().map(|f| f.1.len()).sum::<usize>() as f64 / 1e6;
    let walk = best(15, || {
        for (_, b) in &files {
            let _ = std::hint::black_box(runsore_import::fit::FitFile::decode(b));
        }
    });
    let crc = best(15, || {
        for (_, b) in &files {
            std::hint::black_box(runsore_import::fit::crc16(b));
        }
    });
    let hash = best(15, || {
        for (_, b) in &files {
            std::hint::black_box(runsore_import::content_hash(b, 0));
        }
    });
    let full = best(15, || {
        for (n, b) in &files {
            let _ = std::hint::black_box(runsore_import::decode(n, b));
        }
    });
    println!("{} files, {mb:.2} MB", files.len());
    for (label, t) in [
        ("walk", walk),
        ("crc", crc),
        ("blake3", hash),
        ("full decode", full),
    ] {
        println!("{label:12} {:8.2} ms {:8.1} MB/s", t * 1e3, mb / t);
    }
}
