//! One batch of hostile files next to one good file, as `runsore import FOLDER` meets them: every
//! hostile file gives its own clear error naming it, and the good file is still imported. Adds
//! to tests/hostile.rs (single files through `decode`) the listing side: zero-byte files and zip
//! entries, zips nested past the limit, truncated zips, deep nesting and entities in TCX, a gzip
//! inside a gzip.

use runsore_import::{Decoded, decode_source, sources};
use runsore_testkit::{gzip, zip_of};

/// A file of this crate's test data.
fn data(rel: &str) -> Vec<u8> {
    runsore_testkit::test_data(env!("CARGO_MANIFEST_DIR"), rel)
}

/// A 14-byte FIT header declaring `size` bytes of data, then a few bytes.
fn fit_claiming(size: u32) -> Vec<u8> {
    let mut h = vec![14, 0x10, 0x52, 0x08];
    h.extend_from_slice(&size.to_le_bytes());
    h.extend_from_slice(b".FIT");
    h.extend_from_slice(&[0, 0, 0x40, 0, 0, 0]);
    h
}

#[test]
fn each_hostile_file_fails_alone_and_the_good_one_imports() {
    let good_fit = data("fit/fitparse__Activity.fit");
    let deep_tcx = format!(
        "<TrainingCenterDatabase>{}{}</TrainingCenterDatabase>",
        "<Activities>".repeat(100_000),
        "</Activities>".repeat(100_000)
    );
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE t [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..=12 {
        let prev = format!("&l{};", i - 1);
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">\n", prev.repeat(10)));
    }
    laughs.push_str("]>\n<TrainingCenterDatabase><Activities><Activity Sport=\"&l12;\">");
    laughs.push_str("<Id>&l12;</Id></Activity></Activities></TrainingCenterDatabase>");
    let nested4 = zip_of(&[(
        "l2.zip",
        zip_of(&[(
            "l3.zip",
            zip_of(&[("l4.zip", zip_of(&[("run.fit", good_fit.clone())]))]),
        )]),
    )]);
    let valid_zip = zip_of(&[("a.fit", good_fit.clone()), ("b.fit", good_fit.clone())]);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("empty.fit", Vec::new()),
        (
            "garbage.gpx",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect(),
        ),
        ("deep.tcx", deep_tcx.into_bytes()),
        ("laughs.tcx", laughs.into_bytes()),
        (
            "twice.gpx.gz",
            gzip(&gzip(&data("gpx/gpxrs__wahoo_example.gpx"))),
        ),
        ("claims4gb.fit", fit_claiming(0xFFFF_FFF0)),
        ("nested.zip", nested4),
        ("emptyentry.zip", zip_of(&[("e.gpx", Vec::new())])),
        ("cut.zip", valid_zip[..valid_zip.len() / 2].to_vec()),
        ("zz-good.fit", good_fit),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let mut outcomes: Vec<String> = Vec::new();
    for item in sources(&[dir.path().to_path_buf()]) {
        outcomes.push(match item {
            Err(e) => format!("listing: {e}"),
            Ok(src) => match decode_source(&src) {
                Ok(Decoded::Runs(r)) => format!("runs: {} {}", src.name(), r.len()),
                Ok(Decoded::NotActivity { reason }) => {
                    format!("not activity: {} {reason}", src.name())
                }
                Err(e) => format!("decode: {e}"),
            },
        });
    }
    // (file, what its outcome must say); folders are listed in name order.
    let want = [
        ("claims4gb.fit", "decode: ", "declares 4294967280 bytes"),
        ("cut.zip", "listing: ", "not a readable zip archive"),
        ("deep.tcx", "", "deep.tcx"),
        ("empty.fit", "decode: ", "empty file (0 bytes)"),
        ("emptyentry.zip!e.gpx", "decode: ", "empty file (0 bytes)"),
        ("garbage.gpx", "decode: ", "gpx: not a GPX file"),
        ("laughs.tcx", "", "laughs.tcx"),
        (
            "nested.zip!l2.zip!l3.zip!l4.zip",
            "listing: ",
            "zips nested deeper than 3 levels",
        ),
        ("twice.gpx.gz", "decode: ", "gpx: not a GPX file"),
        ("zz-good.fit", "runs: ", " 1"),
    ];
    assert_eq!(outcomes.len(), want.len(), "{outcomes:#?}");
    for (got, (file, kind, says)) in outcomes.iter().zip(want) {
        assert!(
            got.starts_with(kind) && got.contains(file) && got.contains(says),
            "{file}: got {got:?}, want {kind}...{says}; all: {outcomes:#?}"
        );
    }
    // Deep nesting and entities end as a clean outcome, never as runs built from expansions.
    for o in &outcomes[..] {
        assert!(o.len() < 1000, "an outcome grew: {} bytes", o.len());
    }
}
