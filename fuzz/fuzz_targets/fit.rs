//! Fuzzes the FIT decoder through `runsore_import::decode` (the name says FIT; gzip is followed).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = runsore_import::decode("fuzz.fit", data);
});
