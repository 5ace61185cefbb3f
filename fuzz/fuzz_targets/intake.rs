//! Fuzzes the intake parser (`parse_intake`), then the engine on every intake it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(intake) = runsore_triage::parse_intake(text) {
        runsore_fuzz::assess_and_check(&intake);
    }
});
