//! Fuzzes the GPX reader through `runsore_import::decode` (the name says GPX; gzip is followed).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runsore_import::decode("fuzz.gpx", data);
});
