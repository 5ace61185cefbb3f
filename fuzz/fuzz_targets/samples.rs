//! Fuzzes every decoder against its budget: whatever the bytes, the samples decoded are at most
//! `MAX_SAMPLES` per file and, for FIT, one per `MIN_RECORD_BYTES` of the inflated input (a record
//! without values once turned each byte into a sample). The first byte picks the format's name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsore_import::{DecodeOptions, Decoded, MAX_SAMPLES, fit::MIN_RECORD_BYTES};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.fit", "fuzz.gpx", "fuzz.tcx", "fuzz.fit.gz"][usize::from(pick % 4)];
    let opts = DecodeOptions {
        max_inflated: 8 << 20,
    };
    let Ok(inflated) = runsore_import::inflate(name, bytes, &opts) else {
        return;
    };
    let Ok(Decoded::Runs(runs)) = runsore_import::decode_inflated(&inflated) else {
        return;
    };
    let samples: usize = runs.iter().map(|r| r.samples.len()).sum();
    assert!(samples <= MAX_SAMPLES, "{samples} samples from one file");
    if runs.iter().all(|r| r.format == runsore_model::Format::Fit) {
        let budget = inflated.data.len() / MIN_RECORD_BYTES;
        assert!(
            samples <= budget,
            "{samples} samples from {} bytes of FIT",
            inflated.data.len()
        );
    }
});
