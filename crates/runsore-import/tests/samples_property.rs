//! The `samples` fuzz target's property, run in the normal test suite over generated inputs: any
//! file decodes to at most `MAX_SAMPLES` samples and, for FIT, at most one per
//! `MIN_RECORD_BYTES` of its inflated bytes (a record without values once turned each byte into a
//! sample: 26 GB for a 606 KB `.fit.gz`). The generator builds FIT streams out of the pieces that
//! attack the budget (definitions with few or no fields, compressed-timestamp headers, noise) and
//! GPX and TCX files of empty points, so the property is exercised in every CI run, not only where
//! libFuzzer is.

use proptest::prelude::*;
use runsore_import::fit::MIN_RECORD_BYTES;
use runsore_import::{DecodeOptions, Decoded, MAX_SAMPLES};

/// The fuzz target's check (fuzz/fuzz_targets/samples.rs), on one named input.
fn check_budget(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let opts = DecodeOptions {
        max_inflated: 8 << 20,
    };
    let Ok(inflated) = runsore_import::inflate(name, bytes, &opts) else {
        return Ok(());
    };
    let Ok(Decoded::Runs(runs)) = runsore_import::decode_inflated(&inflated) else {
        return Ok(());
    };
    let samples: usize = runs.iter().map(|r| r.samples.len()).sum();
    prop_assert!(samples <= MAX_SAMPLES, "{samples} samples from one file");
    if runs.iter().all(|r| r.format == runsore_model::Format::Fit) {
        let budget = inflated.data.len() / MIN_RECORD_BYTES;
        prop_assert!(
            samples <= budget,
            "{samples} samples from {} bytes of FIT",
            inflated.data.len()
        );
    }
    Ok(())
}

/// One piece of a FIT data section.
#[derive(Debug, Clone)]
enum Piece {
    /// A record definition for a local type with (field number, size, base type) fields.
    Def(u8, Vec<(u8, u8, u8)>),
    /// A normal data header for a local type, then bytes.
    Data(u8, Vec<u8>),
    /// `n` compressed-timestamp headers for a local type, each followed by `each` bytes.
    Compressed(u8, u16, Vec<u8>),
    /// Arbitrary bytes.
    Noise(Vec<u8>),
}

fn piece() -> impl Strategy<Value = Piece> {
    let local = 0u8..4;
    let field = (
        prop_oneof![Just(253u8), Just(3), Just(0), Just(1), Just(5), any::<u8>()],
        prop_oneof![Just(1u8), Just(2), Just(4), 0u8..8],
        prop_oneof![Just(0x86u8), Just(2), Just(0x84), Just(0), any::<u8>()],
    );
    prop_oneof![
        (local.clone(), prop::collection::vec(field, 0..4)).prop_map(|(l, f)| Piece::Def(l, f)),
        (local.clone(), prop::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(l, b)| Piece::Data(l, b)),
        (local, 1u16..2000, prop::collection::vec(any::<u8>(), 0..3))
            .prop_map(|(l, n, b)| Piece::Compressed(l, n, b)),
        prop::collection::vec(any::<u8>(), 0..32).prop_map(Piece::Noise),
    ]
}

/// A FIT file (14-byte header, CRC left 0) around the pieces, always starting with a timed
/// record so compressed timestamps have a base.
fn fit_file(pieces: &[Piece]) -> Vec<u8> {
    let mut d = vec![0x40, 0, 0, 20, 0, 1, 253, 4, 0x86, 0];
    d.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    for p in pieces {
        match p {
            Piece::Def(local, fields) => {
                d.extend_from_slice(&[0x40 | local, 0, 0, 20, 0, fields.len() as u8]);
                for (n, size, base) in fields {
                    d.extend_from_slice(&[*n, *size, *base]);
                }
            }
            Piece::Data(local, bytes) => {
                d.push(*local);
                d.extend_from_slice(bytes);
            }
            Piece::Compressed(local, n, each) => {
                for i in 0..*n {
                    d.push(0x80 | (local << 5) | (i % 32) as u8);
                    d.extend_from_slice(each);
                }
            }
            Piece::Noise(bytes) => d.extend_from_slice(bytes),
        }
    }
    runsore_testkit::fit_file(&d)
}

/// A GPX or TCX of `n` points, each empty or timed, cut at `cut` bytes from the end.
fn xml_points(tcx: bool, n: usize, timed: bool, cut: usize) -> Vec<u8> {
    let (head, point, tail) = if tcx {
        (
            r#"<?xml version="1.0"?><TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>2024-05-01T10:00:00Z</Id><Lap StartTime="2024-05-01T10:00:00Z"><Track>"#,
            if timed {
                "<Trackpoint><Time>2024-05-01T10:00:01Z</Time></Trackpoint>"
            } else {
                "<Trackpoint/>"
            },
            "</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
        )
    } else {
        (
            r#"<?xml version="1.0"?><gpx version="1.1" creator="t"><trk><trkseg>"#,
            if timed {
                r#"<trkpt lat="51" lon="0"><time>2024-05-01T10:00:01Z</time></trkpt>"#
            } else {
                "<trkpt/>"
            },
            "</trkseg></trk></gpx>",
        )
    };
    let mut s = String::from(head);
    for _ in 0..n {
        s.push_str(point);
    }
    s.push_str(tail);
    let mut b = s.into_bytes();
    b.truncate(b.len().saturating_sub(cut));
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fit_streams_decode_within_the_sample_budget(
        pieces in prop::collection::vec(piece(), 0..12),
        gz in any::<bool>(),
    ) {
        let file = fit_file(&pieces);
        if gz {
            check_budget("gen.fit.gz", &runsore_testkit::gzip(&file))?;
        } else {
            check_budget("gen.fit", &file)?;
        }
    }

    #[test]
    fn gpx_and_tcx_decode_within_the_sample_budget(
        tcx in any::<bool>(),
        n in 0usize..5000,
        timed in any::<bool>(),
        cut in 0usize..40,
    ) {
        let name = if tcx { "gen.tcx" } else { "gen.gpx" };
        check_budget(name, &xml_points(tcx, n, timed, cut))?;
    }

    #[test]
    fn any_bytes_under_any_name_decode_within_the_sample_budget(
        pick in 0usize..4,
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let name = ["fuzz.fit", "fuzz.gpx", "fuzz.tcx", "fuzz.fit.gz"][pick];
        check_budget(name, &bytes)?;
    }
}
