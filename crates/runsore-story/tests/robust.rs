//! Any text at all: the reader never panics, and every span points at the words it quotes.

use proptest::prelude::*;
use runsore_story::read_story;

fn spans_hold(story: &str) {
    let understood = read_story(story);
    for span in &understood.evidence {
        assert!(
            span.start <= span.end && span.end <= story.len(),
            "{span:?}"
        );
        assert_eq!(&story[span.start..span.end], span.text);
    }
    assert!(
        understood.intake.validate().is_empty(),
        "{:?}",
        understood.intake
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_is_read_safely(story in "\\PC{0,300}") {
        spans_hold(&story);
    }

    #[test]
    fn story_like_text_is_read_safely(
        words in proptest::collection::vec(
            prop_oneof![
                Just("no"), Just("not"), Just("glute"), Just("pee"), Just("dark"), Just("7/10"),
                Just("’"), Just(","), Just("."), Just("can't"), Just("walk"), Just("18 km"),
                Just("hours"), Just("later"), Just("and"), Just("I"), Just("left"), Just("numb"),
                Just("between my legs"), Just("🏃"), Just("é"), Just("'"), Just("\""), Just("sit"),
            ],
            0..60,
        )
    ) {
        spans_hold(&words.join(" "));
    }
}

#[test]
fn a_very_long_story_is_read() {
    let story = "My left glute aches after the long run, no swelling. ".repeat(400);
    spans_hold(&story);
}
