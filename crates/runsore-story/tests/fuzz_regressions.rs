//! Inputs found by `bench/fuzz.sh` (target `story`) that once crashed the reader, kept as cases.
//! Each must read without a panic into a valid intake, with the field that broke read right.

use runsore_story::read_story;
use serde_json::{Value, json};

fn check(story: &str, field: &str, want: Value) {
    let u = read_story(story);
    assert!(
        u.intake.validate().is_empty(),
        "{story:?}: {:?}",
        u.intake.validate()
    );
    let intake = serde_json::to_value(&u.intake).expect("intake serialises");
    assert_eq!(intake.get(field), Some(&want), "{field} in {story:?}");
    // The evidence for the field is shown: both sides' words when "both" was inferred.
    assert!(
        u.evidence.iter().any(|s| s.field == field),
        "no evidence for {field} in {story:?}: {:?}",
        u.evidence
    );
}

#[test]
fn sides_inferred_as_both_from_left_and_right() {
    // Fuzz crash 8e37c76a: "left" and "right" in one story made `sides` "both", a value no
    // phrase stated, and the reader indexed an empty list of phrases (index out of bounds).
    let cases = [
        (
            "I'veht at my left sit bone, worst on hille of my right bum cheek, not at the sit \
             bone, and it's tender when I press there.ht.",
            "sides",
            json!("both"),
        ),
        (
            "It hurts in my left buttock and my right hip.",
            "sides",
            json!("both"),
        ),
        ("It hurts in my left buttock.", "sides", json!("left")),
    ];
    for (story, field, want) in cases {
        check(story, field, want);
    }
}
