//! Fuzzes the story reader: any text gives a valid intake, which the engine then assesses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let u = runsore_story::read_story(&text);
    let problems = u.intake.validate();
    assert!(
        problems.is_empty(),
        "story gave an invalid intake: {problems:?}"
    );
    let _ = runsore_story::render_understood(&u);
    runsore_fuzz::assess_and_check(&u.intake);
});
