//! The archive ceiling of `docs/limits.md`, asserted: importing an export archive holds one
//! entry's runs at a time, so peak memory does not grow with the number of entries (8 entries
//! once held 6.5 GB at once). Peak resident memory is reset and read through `/proc/self`; its own
//! binary without the test harness, so nothing else shares the process while it measures.

use std::io::Write;

use runsore_testkit::growth;
use runsore_web::Backend;

const MIB: u64 = 1 << 20;

/// A GPX run of `n` one-second points, offset by `k` so each entry is a different file.
fn gpx(n: usize, k: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>"#,
    );
    let start = 1_700_000_000 + k as i64 * 86_400;
    for i in 0..n {
        let t = time::OffsetDateTime::from_unix_timestamp(start + i as i64).unwrap();
        let t = t
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        s.push_str(&format!(
            r#"<trkpt lat="{:.6}" lon="0.001"><ele>10</ele><time>{t}</time></trkpt>"#,
            51.0 + i as f64 * 2e-5
        ));
    }
    s.push_str("</trkseg></trk></gpx>");
    s
}

fn zip_of(entries: usize, points: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for k in 0..entries {
        zip.start_file(format!("activities/{k}.gpx"), opts).unwrap();
        zip.write_all(gpx(points, k).as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn main() {
    let points = 100_000;
    let one = zip_of(1, points);
    let eight = zip_of(8, points);
    let import = |bytes: &[u8]| {
        let backend = Backend::in_memory().unwrap();
        let outcome = backend.import("export.zip", bytes).expect("imports");
        assert!(outcome.imported >= 1, "{outcome:?}");
    };
    // Warm the allocator and the knowledge base once, so neither is counted below.
    import(&one);
    let g1 = growth(|| import(&one));
    let g8 = growth(|| import(&eight));
    println!(
        "archive import: 1 entry {} MiB, 8 entries {} MiB ({points} points each)",
        g1 / MIB,
        g8 / MIB
    );
    assert!(
        g8 <= 2 * g1 + 16 * MIB,
        "memory grew with the number of entries: {} MiB for 8 against {} MiB for 1",
        g8 / MIB,
        g1 / MIB
    );
    println!("the archive ceiling holds");
}
