//! Budgets that keep one hostile file from taking the import (and the server) down: decoded
//! samples per input byte and per file, a total cap on archives, and paths that are not regular
//! files reported rather than hung on. Each test is named after what it guards.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use runsore_import::{DecodeErrorKind, Decoded, ImportError, MAX_SAMPLES, decode, sources};
use runsore_testkit::{fit_file as fit, gzip};

/// A record definition for local type 0 with (field number, size, base type) triples.
fn record_def(fields: &[(u8, u8, u8)]) -> Vec<u8> {
    let mut d = vec![0x40, 0, 0, 20, 0, fields.len() as u8];
    for (n, size, base) in fields {
        d.extend_from_slice(&[*n, *size, *base]);
    }
    d
}

/// One timed record (timestamp field), then `n` records of `each` more bytes with compressed
/// timestamps, under a definition of the given fields.
fn compressed_records(fields: &[(u8, u8, u8)], each: &[u8], n: usize) -> Vec<u8> {
    let mut d = record_def(&[(253, 4, 0x86)]);
    d.push(0);
    d.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    d.extend(record_def(fields));
    for i in 0..n {
        d.push(0x80 | (i % 32) as u8);
        d.extend_from_slice(each);
    }
    fit(&d)
}

#[test]
fn a_fit_of_valueless_records_fails_with_a_bounded_error() {
    // The issue's 606 KB .fit.gz: a definition with no fields, then one-byte compressed-timestamp
    // records, each byte a sample: 256 MiB of them needed about 26 GB. Here 32 MiB.
    let file = gzip(&compressed_records(&[], &[], 32 << 20));
    let err = decode("bomb.fit.gz", &file).expect_err("refused");
    match &err.kind {
        DecodeErrorKind::Fit(m) => assert!(m.contains("records without values"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_fit_decodes_to_at_most_max_samples() {
    // Two bytes a record (a compressed timestamp and a heart rate) is as small as a real record
    // gets; past MAX_SAMPLES the file is refused rather than held.
    let file = compressed_records(&[(3, 1, 2)], &[150], MAX_SAMPLES + 10);
    let err = decode("long.fit", &file).expect_err("refused");
    assert!(
        err.to_string().contains("more than 1000000 samples"),
        "{err}"
    );
    // Just under the cap still decodes.
    let ok = compressed_records(&[(3, 1, 2)], &[150], 1000);
    assert!(matches!(decode("ok.fit", &ok), Ok(Decoded::Runs(_))));
}

#[test]
fn a_gpx_with_impossible_values_keeps_them_out() {
    let gpx = r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>
        <trkpt lat="51.0" lon="0.0"><ele>1e308</ele><time>2024-05-01T10:00:00Z</time>
          <extensions><hr>1000000000</hr><temp>1e300</temp></extensions></trkpt>
        <trkpt lat="51.001" lon="0.0"><ele>12</ele><time>2024-05-01T10:00:10Z</time>
          <extensions><hr>140</hr></extensions></trkpt>
      </trkseg></trk></gpx>"#;
    let Ok(Decoded::Runs(runs)) = decode("odd.gpx", gpx.as_bytes()) else {
        panic!("decodes")
    };
    let s = &runs[0].samples;
    assert_eq!((s[0].alt_m, s[0].hr, s[0].temp_c), (None, None, None));
    assert_eq!((s[1].alt_m, s[1].hr), (Some(12.0), Some(140)));
}

/// Lists `paths` on another thread; a listing that hangs fails the test instead of the suite.
fn list(paths: Vec<PathBuf>) -> Vec<Result<String, String>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let out: Vec<_> = sources(&paths)
            .map(|s| s.map(|s| s.name()).map_err(|e| e.to_string()))
            .collect();
        let _ = tx.send(out);
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the listing finished instead of hanging")
}

fn mkfifo(path: &std::path::Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success());
}

#[test]
fn fifos_and_devices_are_reported_not_hung_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("run.fit");
    mkfifo(&fifo);
    let got = list(vec![fifo.clone(), PathBuf::from("/dev/zero")]);
    assert_eq!(got.len(), 2, "{got:?}");
    for r in &got {
        let e = r.as_ref().expect_err("an error");
        assert!(e.contains("not a regular file"), "{e}");
    }
    // In a folder: a FIFO named activities.csv once hung the whole import.
    let folder = tempfile::tempdir().unwrap();
    mkfifo(&folder.path().join("activities.csv"));
    mkfifo(&folder.path().join("b.gpx"));
    let got = list(vec![folder.path().to_path_buf()]);
    let text = format!("{got:?}");
    assert!(
        text.contains("activities.csv: not a regular file"),
        "{text}"
    );
    assert!(text.contains("b.gpx: not a regular file"), "{text}");
}

#[test]
fn symlinks_in_a_folder_are_reported_not_skipped_silently() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("elsewhere.gpx")).unwrap();
    let got = list(vec![dir.path().to_path_buf()]);
    let text = format!("{got:?}");
    assert!(text.contains("elsewhere.gpx: a symbolic link"), "{text}");
}

#[test]
fn archive_entries_stop_at_the_total_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..5 {
        zip.start_file(format!("activities/{i}.gpx"), opts).unwrap();
        zip.write_all(&vec![b' '; 1000]).unwrap();
    }
    zip.finish().unwrap();
    let got: Vec<_> = sources(&[path])
        .max_total_size(2500)
        .map(|r| r.map(|s| s.name()))
        .collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(
        got[2],
        Err(ImportError::TotalTooLarge { limit: 2500, .. })
    ));
}

#[test]
fn a_gpx_across_the_globe_is_imported_but_flagged_implausible() {
    let gpx = r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>
        <trkpt lat="51.0" lon="0.0"><time>2024-05-01T10:00:00Z</time></trkpt>
        <trkpt lat="-51.0" lon="179.0"><time>2024-05-01T10:05:00Z</time></trkpt>
        <trkpt lat="51.0" lon="0.0"><time>2024-05-01T10:10:00Z</time></trkpt>
      </trkseg></trk></gpx>"#;
    let Ok(Decoded::Runs(runs)) = decode("globe.gpx", gpx.as_bytes()) else {
        panic!("kept")
    };
    let flagged: Vec<_> = runs[0]
        .warnings
        .iter()
        .filter(|w| w.starts_with(runsore_import::IMPLAUSIBLE))
        .collect();
    assert_eq!(flagged.len(), 1, "{:?}", runs[0].warnings);
}

/// A GPX of `n` points, each with a position and nothing else (37 bytes a point).
pub fn gpx_points(n: usize) -> Vec<u8> {
    let mut s =
        String::from(r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>"#);
    s.reserve(n * 38);
    for _ in 0..n {
        s.push_str(r#"<trkpt lat="51.0" lon="0.0"></trkpt>"#);
    }
    s.push_str("</trkseg></trk></gpx>");
    s.into_bytes()
}

/// A TCX of `n` trackpoints with nothing inside (25 bytes a point).
pub fn tcx_points(n: usize) -> Vec<u8> {
    let mut s = String::from(
        r#"<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-01T10:00:00Z</Id><Lap StartTime="2024-05-01T10:00:00Z"><Track>"#,
    );
    s.reserve(n * 26);
    for _ in 0..n {
        s.push_str("<Trackpoint></Trackpoint>");
    }
    s.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>");
    s.into_bytes()
}

#[test]
fn a_gpx_of_more_points_than_the_cap_is_refused_with_a_clear_error() {
    // About 37 MB of text, 300 KB gzipped: a small upload that would hold a million samples.
    let file = gzip(&gpx_points(MAX_SAMPLES + 1));
    let err = decode("huge.gpx.gz", &file).expect_err("refused");
    assert!(
        err.to_string()
            .contains(&format!("more than {MAX_SAMPLES} samples")),
        "{err}"
    );
    assert!(
        err.to_string().contains("huge.gpx.gz"),
        "names the file: {err}"
    );
}

#[test]
fn a_tcx_of_more_trackpoints_than_the_cap_is_refused_with_a_clear_error() {
    let file = gzip(&tcx_points(MAX_SAMPLES + 1));
    let err = decode("huge.tcx.gz", &file).expect_err("refused");
    assert!(
        err.to_string()
            .contains(&format!("more than {MAX_SAMPLES} samples")),
        "{err}"
    );
    assert!(
        err.to_string().contains("huge.tcx.gz"),
        "names the file: {err}"
    );
}
