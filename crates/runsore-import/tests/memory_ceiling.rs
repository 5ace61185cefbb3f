//! The memory ceilings of `docs/limits.md`, asserted: peak resident memory is measured around one
//! decode (Linux: `/proc/self/clear_refs` resets the peak, `VmHWM` reads it). Its own binary
//! without the test harness, so no other test shares the process while it measures.

use std::io::Write;

use runsore_import::{MAX_SAMPLES, decode};
use runsore_testkit::{fit_file, growth};

const MIB: u64 = 1 << 20;

/// Ceiling of one FIT file decoded at the sample cap (docs/limits.md).
const FIT_AT_CAP_MIB: u64 = 192;
/// Ceiling of the issue's bomb: the 256 MiB inflate cap plus a little, never the 26 GB it took.
const FIT_BOMB_MIB: u64 = 300;
/// Ceiling of a gzipped GPX or TCX of one point more than the cap (37 MB and 25 MB of text):
/// the inflated text plus the samples read before the cap refuses it.
const XML_OVER_CAP_MIB: u64 = 256;

fn records(fields: &[(u8, u8, u8)], each: &[u8], n: usize) -> Vec<u8> {
    let mut d = vec![0x40, 0, 0, 20, 0, 1, 253, 4, 0x86, 0];
    d.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    d.extend_from_slice(&[0x40, 0, 0, 20, 0, fields.len() as u8]);
    for (n, size, base) in fields {
        d.extend_from_slice(&[*n, *size, *base]);
    }
    for i in 0..n {
        d.push(0x80 | (i % 32) as u8);
        d.extend_from_slice(each);
    }
    fit_file(&d)
}

/// `head`, then `point` one time more than the sample cap, then `tail`.
fn xml_points(head: &str, point: &str, tail: &str) -> Vec<u8> {
    let mut s = String::with_capacity(head.len() + point.len() * (MAX_SAMPLES + 1) + tail.len());
    s.push_str(head);
    for _ in 0..=MAX_SAMPLES {
        s.push_str(point);
    }
    s.push_str(tail);
    s.into_bytes()
}

fn main() {
    let at_cap = records(&[(3, 1, 2)], &[150], MAX_SAMPLES - 1);
    let used = growth(|| {
        let d = decode("long.fit", &at_cap).expect("decodes");
        drop(d);
    });
    println!(
        "FIT at the cap ({MAX_SAMPLES} samples): {} MiB (ceiling {FIT_AT_CAP_MIB})",
        used / MIB
    );
    assert!(used <= FIT_AT_CAP_MIB * MIB, "{} MiB", used / MIB);

    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&records(&[], &[], 255 << 20)).unwrap();
    let bomb = e.finish().unwrap();
    let used = growth(|| {
        let err = decode("bomb.fit.gz", &bomb).expect_err("refused");
        assert!(err.to_string().contains("records without values"), "{err}");
    });
    println!(
        "FIT bomb ({} KB gzipped, 255 MiB inflated): {} MiB (ceiling {FIT_BOMB_MIB})",
        bomb.len() / 1000,
        used / MIB
    );
    assert!(used <= FIT_BOMB_MIB * MIB, "{} MiB", used / MIB);
    for (name, text) in [
        (
            "huge.gpx.gz",
            xml_points(
                r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>"#,
                r#"<trkpt lat="51.0" lon="0.0"></trkpt>"#,
                "</trkseg></trk></gpx>",
            ),
        ),
        (
            "huge.tcx.gz",
            xml_points(
                r#"<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-01T10:00:00Z</Id><Lap StartTime="2024-05-01T10:00:00Z"><Track>"#,
                "<Trackpoint></Trackpoint>",
                "</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
            ),
        ),
    ] {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&text).unwrap();
        let (inflated, file) = (text.len(), e.finish().unwrap());
        drop(text);
        let used = growth(|| {
            let err = decode(name, &file).expect_err("refused");
            assert!(err.to_string().contains("samples"), "{err}");
        });
        println!(
            "{name} ({} KB gzipped, {} MB inflated, one point over the cap): {} MiB (ceiling \
             {XML_OVER_CAP_MIB})",
            file.len() / 1000,
            inflated / 1_000_000,
            used / MIB
        );
        assert!(used <= XML_OVER_CAP_MIB * MIB, "{name}: {} MiB", used / MIB);
    }
    println!("memory ceilings hold");
}
