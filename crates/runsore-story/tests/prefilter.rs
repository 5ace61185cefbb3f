//! The prefilter (rules compiled only when their literal words occur) never changes a reading:
//! every story of every corpus reads the same with it as with every rule compiled and tried, and
//! no expression's filter turns away a story that the expression matches.

mod corpus;

use runsore_story::vocab::{Re, VOCABULARY, VOCABULARY_TOML, compile};
use runsore_story::{Options, read_with};

#[test]
fn prefilter_never_changes_a_reading() {
    let eager = compile(VOCABULARY_TOML).expect("vocabulary compiles");
    let stories = corpus::stories();
    assert!(stories.len() > 500, "{} stories", stories.len());
    let options = Options::default();
    for story in &stories {
        let fast = read_with(&VOCABULARY, story, &options);
        let full = read_with(&eager, story, &options);
        assert_eq!(fast, full, "{story:?}");
    }
}

#[test]
fn a_filter_never_turns_away_a_story_its_expression_matches() {
    let stories = corpus::stories();
    let mut turned_away = 0;
    for l in VOCABULARY.lazies() {
        let re = Re::new(l.source()).expect("compiles");
        for story in &stories {
            if re.is_match(story) {
                assert!(l.may_match(story), "{} on {story:?}", l.source());
            } else if !l.may_match(story) {
                turned_away += 1;
            }
        }
    }
    // The filters do filter: most pairs of expression and story are settled without compiling.
    let pairs = VOCABULARY.lazies().len() * stories.len();
    assert!(
        turned_away * 2 > pairs,
        "{turned_away} of {pairs} turned away"
    );
}
