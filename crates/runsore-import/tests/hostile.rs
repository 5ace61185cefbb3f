//! Hostile and broken inputs: each must give a clean error or a partial result, never a panic, a
//! hang or a huge allocation.

use runsore_import::{DecodeOptions, Decoded, decode, decode_with};
use runsore_testkit::gzip_best as gzip;

/// A file of this crate's test data.
fn data(rel: &str) -> Vec<u8> {
    runsore_testkit::test_data(env!("CARGO_MANIFEST_DIR"), rel)
}

/// Decodes and returns the error text, or "ok:<runs>" / "not activity: <reason>".
fn outcome(name: &str, bytes: &[u8]) -> String {
    match decode(name, bytes) {
        Ok(Decoded::Runs(r)) => format!("ok:{}", r.len()),
        Ok(Decoded::NotActivity { reason }) => format!("not activity: {reason}"),
        Err(e) => e.to_string(),
    }
}

fn check(name: &str, bytes: &[u8], want: &str) {
    let got = outcome(name, bytes);
    assert!(
        got.contains(want),
        "{name}: got {got:?}, want it to contain {want:?}"
    );
}

/// A 14-byte FIT header declaring `size` bytes of data.
fn fit_header(size: u32) -> Vec<u8> {
    let mut h = vec![14, 0x10, 0x52, 0x08];
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(b".FIT");
    h.extend_from_slice(&[0, 0]);
    h
}

#[test]
fn small_hostile_inputs() {
    let deep = format!(
        "<gpx>{}{}</gpx>",
        "<a>".repeat(200_000),
        "</a>".repeat(200_000)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.fit", vec![], "empty file (0 bytes)"),
        ("empty.gpx", vec![], "empty file (0 bytes)"),
        (
            "garbage.gpx",
            b"\x00\x01garbage, not xml at all <<<>>>".to_vec(),
            "gpx: not a GPX file",
        ),
        (
            "text.gpx",
            b"just some words".to_vec(),
            "gpx: not a GPX file: no <gpx> element",
        ),
        (
            "other.tcx",
            b"<html><body>hi</body></html>".to_vec(),
            "tcx: not a TCX file",
        ),
        (
            "mystery.bin",
            b"0123456789abcdef".to_vec(),
            "not a FIT, GPX or TCX file",
        ),
        ("short.fit", b".FIT".to_vec(), "fit: not a FIT file"),
        (
            "noheader.fit",
            vec![0x55; 64],
            "fit: not a FIT file: no .FIT signature",
        ),
        (
            "huge.fit",
            fit_header(0xFFFF_FFF0),
            "declares 4294967280 bytes of data",
        ),
        (
            "broken.fit.gz",
            vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3],
            "gzip:",
        ),
        ("deep.gpx", deep.into_bytes(), "not activity: gpx: no track"),
    ];
    for (name, bytes, want) in cases {
        check(name, &bytes, want);
    }
}

#[test]
fn fit_header_claiming_gigabytes_keeps_the_real_data_as_partial() {
    let mut b = data("fit/fitparse__Activity.fit");
    b[4..8].copy_from_slice(&0xC000_0000u32.to_le_bytes());
    match decode("claims3gb.fit", &b).unwrap() {
        Decoded::Runs(runs) => {
            assert_eq!(runs.len(), 1);
            assert!(runs[0].partial);
            assert!(
                runs[0].warnings.iter().any(|w| w.contains("truncated")),
                "{:?}",
                runs[0].warnings
            );
        }
        d => panic!("{d:?}"),
    }
}

#[test]
fn xml_entity_expansion_is_not_performed() {
    // "Billion laughs": a parser that expanded entities would build gigabytes here.
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE gpx [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..=12 {
        let prev = format!("&l{};", i - 1);
        doc.push_str(&format!("<!ENTITY l{i} \"{}\">\n", prev.repeat(10)));
    }
    doc.push_str("]>\n<gpx version=\"1.1\"><trk><name>&l12;</name><trkseg>");
    doc.push_str("<trkpt lat=\"1\" lon=\"2\"><time>2020-01-01T00:00:00Z</time></trkpt>");
    doc.push_str("<trkpt lat=\"1.001\" lon=\"2\"><time>2020-01-01T00:00:10Z</time></trkpt>");
    doc.push_str("</trkseg></trk></gpx>");
    match decode("laughs.gpx", doc.as_bytes()).unwrap() {
        Decoded::Runs(runs) => {
            assert_eq!(runs[0].samples.len(), 2);
            // The unknown entity is dropped, not expanded.
            assert!(runs[0].name.as_deref().unwrap_or("").len() < 100);
        }
        d => panic!("{d:?}"),
    }
}

#[test]
fn gzip_bomb_is_refused_at_the_cap() {
    // 16 MiB of zeros compress to about 16 KB (1000:1); with a 1 MiB cap inflating stops early.
    let bomb = gzip(&vec![0u8; 16 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let opts = DecodeOptions {
        max_inflated: 1024 * 1024,
    };
    let err = decode_with("bomb.fit.gz", &bomb, &opts).unwrap_err();
    assert!(err.to_string().contains("more than 1048576 bytes"), "{err}");
    assert!(err.to_string().starts_with("bomb.fit.gz: "), "{err}");
    // Under the default cap of 256 MiB the same file inflates, and is then not FIT.
    check("bomb.fit.gz", &bomb, "fit: not a FIT file");
}

#[test]
fn every_truncation_and_byte_flip_of_a_fit_file_is_handled() {
    let b = data("fit/fitparse__Activity.fit");
    for len in 0..b.len() {
        let _ = decode("cut.fit", &b[..len]);
    }
    for i in 0..b.len() {
        for x in [0x00u8, 0xFF, 0x40, 0x80] {
            let mut m = b.clone();
            m[i] ^= x;
            let _ = decode("flip.fit", &m);
        }
    }
    // A cut inside the data keeps what came before and says where it broke.
    match decode("cut.fit", &b[..500]).unwrap() {
        Decoded::Runs(r) => {
            assert!(r[0].partial);
            assert!(
                r[0].warnings
                    .iter()
                    .any(|w| w.contains("truncated at byte")),
                "{:?}",
                r[0].warnings
            );
        }
        d => panic!("{d:?}"),
    }
}

#[test]
fn every_truncation_of_xml_files_is_handled() {
    for rel in [
        "gpx/gpxpy__track-with-empty-segment.gpx",
        "tcx/tcxparser__test.tcx",
    ] {
        let b = data(rel);
        let step = (b.len() / 60).max(1);
        for len in (0..b.len()).step_by(step) {
            let _ = decode(rel, &b[..len]);
        }
    }
    let b = data("tcx/tcxparser__test.tcx");
    match decode("cut.tcx", &b[..b.len() / 2]).unwrap() {
        Decoded::Runs(r) => assert!(r[0].partial && r[0].samples.len() > 100),
        d => panic!("{d:?}"),
    }
}
