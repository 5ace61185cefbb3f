//! Decompression bombs at full size: a gzip and zip entries that inflate to hundreds of MiB are
//! refused at the default cap ([`DEFAULT_MAX_INFLATED`], 256 MiB) with a clean per-file error, and
//! the rest of the batch still comes out. The bombs are built in memory by repeating one deflate
//! block, so building a 320 MiB bomb costs what compressing 2 MiB costs.

use std::io::Read;

use runsore_import::{
    DEFAULT_MAX_INFLATED, DecodeErrorKind, Decoded, ImportError, decode, decode_source, sources,
};

/// A file of this crate's test data.
fn data(rel: &str) -> Vec<u8> {
    runsore_testkit::test_data(env!("CARGO_MANIFEST_DIR"), rel)
}

#[path = "support/bombs.rs"]
mod bombs;

use bombs::{BOMB_MIB, Entry, MIB, gzip_zeros, zip_of};

#[test]
fn the_bomb_builder_builds_what_it_says() {
    // Without this, a broken builder would make the tests below pass for the wrong reason.
    let g = gzip_zeros(3);
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&g[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out.len(), 3 * MIB);
    assert!(out.iter().all(|&b| b == 0));
    assert!(gzip_zeros(BOMB_MIB).len() < MIB, "a bomb is small");
}

#[test]
fn gzip_bomb_of_320_mib_is_refused_at_the_default_cap() {
    let bomb = gzip_zeros(BOMB_MIB);
    let err = decode("bomb.fit.gz", &bomb).unwrap_err();
    assert_eq!(err.file, "bomb.fit.gz");
    assert_eq!(
        err.kind,
        DecodeErrorKind::TooLarge {
            limit: DEFAULT_MAX_INFLATED
        }
    );
    assert!(
        err.to_string()
            .contains("inflates to more than 268435456 bytes; refused"),
        "{err}"
    );
}

#[test]
fn zip_bombs_are_refused_per_entry_and_the_rest_of_the_batch_imports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    let gpx = data("gpx/gpxrs__wahoo_example.gpx");
    let inner = zip_of(&[Entry::zeros("inner.fit", BOMB_MIB, (BOMB_MIB * MIB) as u32)]);
    std::fs::write(
        &path,
        zip_of(&[
            // Says how big it is: refused from the header, before inflating anything.
            Entry::zeros("honest.fit", BOMB_MIB, (BOMB_MIB * MIB) as u32),
            // Claims 1000 bytes: refused while inflating, at the cap.
            Entry::zeros("liar.fit", BOMB_MIB, 1000),
            // Small in the zip, a bomb once gunzipped: refused by the decoder.
            Entry::stored("activities/bomb.gpx.gz", gzip_zeros(BOMB_MIB)),
            // A bomb one zip down.
            Entry::stored("UploadedFiles_0.zip", inner),
            Entry::stored("activities/ok.gpx", gpx.clone()),
        ]),
    )
    .unwrap();
    let mut outcomes = Vec::new();
    for item in sources(std::slice::from_ref(&path)) {
        outcomes.push(match item {
            Err(ImportError::TooLarge { entry, limit, .. }) => {
                assert_eq!(limit, DEFAULT_MAX_INFLATED);
                format!("too large: {entry}")
            }
            Err(e) => format!("error: {e}"),
            Ok(src) => match decode_source(&src) {
                Ok(Decoded::Runs(r)) => format!("runs: {} {}", src.name(), r.len()),
                Ok(Decoded::NotActivity { reason }) => format!("not activity: {reason}"),
                Err(e) => format!("{e}"),
            },
        });
    }
    let want = [
        "too large: honest.fit",
        "liar.fit",
        "export.zip!activities/bomb.gpx.gz: gzip: inflates to more than 268435456 bytes",
        "too large: inner.fit",
        "runs: ",
    ];
    assert_eq!(outcomes.len(), want.len(), "{outcomes:#?}");
    for (got, want) in outcomes.iter().zip(want) {
        assert!(
            got.contains(want),
            "got {got:?}, want {want:?}; all: {outcomes:#?}"
        );
    }
    // The liar is refused, whatever the zip reader calls it, and never handed on as a file.
    assert!(!outcomes[1].starts_with("runs") && !outcomes[1].starts_with("not activity"));
    assert!(
        outcomes[4].ends_with("export.zip!activities/ok.gpx 1"),
        "{}",
        outcomes[4]
    );
}
