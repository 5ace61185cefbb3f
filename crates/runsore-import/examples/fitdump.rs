//! Debug dump of the FIT walker's view of a file.
fn main() {
    for p in std::env::args().skip(1) {
        let b = std::fs::read(&p).unwrap();
        match runsore_import::fit::FitFile::decode(&b) {
            Ok(f) => {
                println!(
                    "{p}: headers={} msgs={} records={} logical={} partial={} warn={:?}",
                    f.headers,
                    f.messages,
                    f.records.len(),
                    f.logical_files,
                    f.partial,
                    f.warnings
                );
                for s in &f.sessions {
                    println!(
                        "  session file={} start={:?} end={:?} el={:?}",
                        s.file, s.start, s.end, s.elapsed_s
                    );
                }
                let n = f.records.len();
                for r in f
                    .records
                    .iter()
                    .take(3)
                    .chain(f.records.iter().skip(n.saturating_sub(3)))
                {
                    println!("  rec file={} ts={}", r.file, r.ts);
                }
            }
            Err(e) => println!("{p}: ERR {e:?}"),
        }
    }
}
