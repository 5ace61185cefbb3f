//! The prefilter (rules compiled only when their literal words occur) never changes a reading:
//! every story of every corpus reads the same with it as with every rule compiled and tried.

mod corpus;

use runsore_story::vocab::{VOCABULARY, VOCABULARY_TOML, compile};
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
