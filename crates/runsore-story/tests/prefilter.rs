//! The prefilter (rules compiled only when their literal words occur) never changes a reading:
//! every story of every corpus reads the same with it as with every rule compiled and tried, and
//! no expression's filter turns away a story that the expression matches.

mod corpus;

use runsore_story::vocab::{Re, StoryScope, VOCABULARY, VOCABULARY_TOML, compile};
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

/// And no alternative left out of an expression for a story (its words are not all there)
/// matches the story: the alternation of those kept finds the same matches as the whole.
#[test]
fn a_filter_never_turns_away_a_story_its_expression_matches() {
    let stories = corpus::stories();
    let lazies = VOCABULARY.lazies();
    let wholes: Vec<Re> = lazies
        .iter()
        .map(|l| Re::new(l.source()).expect("compiles"))
        .collect();
    let mut turned_away = 0;
    let mut parts = std::collections::HashMap::new();
    for story in &stories {
        // The story's words, found once for every expression.
        let _scope = StoryScope::new(story);
        for (l, re) in lazies.iter().zip(&wholes) {
            let matches = re.is_match(story);
            if matches {
                assert!(l.may_match(story), "{} on {story:?}", l.source());
            } else if !l.may_match(story) {
                turned_away += 1;
            }
            match l.alternation_for(story) {
                None => {}
                Some(None) => assert!(!matches, "{} on {story:?}", l.source()),
                Some(Some(part)) if matches => {
                    let part = parts
                        .entry(part)
                        .or_insert_with_key(|p| Re::new(p).expect("compiles"));
                    let spans = |re: &Re| re.find_iter(story).map(|m| m.start()..m.end());
                    assert!(spans(part).eq(spans(re)), "{} on {story:?}", l.source());
                }
                Some(Some(_)) => {}
            }
        }
    }
    // The filters do filter: most pairs of expression and story are settled without compiling.
    let pairs = lazies.len() * stories.len();
    assert!(
        turned_away * 2 > pairs,
        "{turned_away} of {pairs} turned away"
    );
}
