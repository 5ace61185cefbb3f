//! The memory ceiling of a whole CLI import of the issue's hostile files, asserted on the real
//! binary in a child process: `runsore import` runs under `prlimit --data`, so a heap beyond the
//! ceiling fails its allocation and aborts (exit 134, as the FIT bomb once did) instead of
//! passing. The ceiling is in docs/limits.md.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The heap (RLIMIT_DATA) one `runsore import` of the hostile folder may use, in MiB.
const IMPORT_CEILING_MIB: u64 = 1024;

/// A FIT file of one timed record, then `n` one-byte records without values (the issue's bomb).
fn fit_bomb(n: usize) -> Vec<u8> {
    let mut d = vec![0x40, 0, 0, 20, 0, 1, 253, 4, 0x86, 0];
    d.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    d.extend_from_slice(&[0x40, 0, 0, 20, 0, 0]);
    for i in 0..n {
        d.push(0x80 | (i % 32) as u8);
    }
    runsore_testkit::fit_file(&d)
}

/// The issue's zip: `entries` bare GPX files of 100,000 points each (27 hours at one a second).
fn gpx_zip(entries: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for k in 0..entries {
        zip.start_file(format!("activities/{k}.gpx"), opts).unwrap();
        let start = common::DAY0 - 30 * 86_400 + k as i64 * 2 * 86_400;
        let mut s = String::from(
            r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><type>running</type><trkseg>"#,
        );
        for i in 0..100_000 {
            s.push_str(&format!(
                r#"<trkpt lat="{:.6}" lon="0.001"><ele>10</ele><time>{}</time></trkpt>"#,
                51.0 + i as f64 * 2e-5,
                common::rfc3339(start + i)
            ));
        }
        s.push_str("</trkseg></trk></gpx>");
        zip.write_all(s.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A GPX of one point more than the sample cap, gzipped.
fn huge_gpx_gz() -> Vec<u8> {
    let mut s =
        String::from(r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>"#);
    for _ in 0..=runsore_import::MAX_SAMPLES {
        s.push_str(r#"<trkpt lat="51.0" lon="0.0"></trkpt>"#);
    }
    s.push_str("</trkseg></trk></gpx>");
    runsore_testkit::gzip(s.as_bytes())
}

fn hostile_folder(dir: &Path) {
    std::fs::write(
        dir.join("bomb.fit.gz"),
        runsore_testkit::gzip(&fit_bomb(255 << 20)),
    )
    .unwrap();
    std::fs::write(dir.join("export.zip"), gpx_zip(8)).unwrap();
    std::fs::write(dir.join("huge.gpx.gz"), huge_gpx_gz()).unwrap();
    std::fs::write(
        dir.join("easy.gpx"),
        common::gpx(common::DAY0, 8.0, 140, |_| 40.0),
    )
    .unwrap();
}

#[test]
fn a_cli_import_of_the_hostile_files_stays_under_its_memory_ceiling() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    hostile_folder(&files);
    let db = dir.path().join("store.db");
    let out = Command::new("prlimit")
        .arg(format!("--data={}", IMPORT_CEILING_MIB << 20))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_runsore"))
        .arg("--db")
        .arg(&db)
        .args(["--json", "import"])
        .arg(&files)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs runsore");
    // prlimit execs runsore in its own process: its peak resident size, read while it runs
    // (VmHWM only grows), is printed for docs/limits.md; the limit above is the assertion.
    let pid = out.id().to_string();
    let watcher = std::thread::spawn(move || {
        let mut peak_kib = 0u64;
        while let Some(kib) = runsore_testkit::peak_kib_of(&pid) {
            peak_kib = peak_kib.max(kib);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        peak_kib
    });
    let out = out.wait_with_output().expect("runsore ends");
    println!(
        "peak resident size of `runsore import` of the hostile folder: {} MiB (heap limit {} MiB)",
        watcher.join().expect("watcher") / 1024,
        IMPORT_CEILING_MIB
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 2: some files were refused; never a signal or an abort for lack of memory.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for refused in ["bomb.fit.gz", "huge.gpx.gz"] {
        assert!(
            stdout.contains(refused) || stderr.contains(refused),
            "{refused} not named: {stdout} {stderr}"
        );
    }
    let runs = common::runsore()
        .arg("--db")
        .arg(&db)
        .args(["--json", "runs", "--limit", "100"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        9,
        "the easy run and the zip's eight are stored: {listed}"
    );
}
