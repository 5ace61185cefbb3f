//! The prefilter (rules compiled only when their literal words occur) never changes a reading:
//! every story of every corpus reads the same with it as with every rule compiled and tried.

use runsore_story::vocab::{VOCABULARY, VOCABULARY_TOML, compile};
use runsore_story::{Options, read_with};
use serde_json::Value;

fn stories() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("test data folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let cases: Vec<Value> = serde_json::from_str(&text).expect("json corpus");
                out.extend(
                    cases
                        .iter()
                        .filter_map(|c| c["story"].as_str().map(str::to_string)),
                );
            }
            Some("txt") => out.extend(
                text.lines()
                    .filter(|l| !l.starts_with('#'))
                    .filter_map(|l| l.split_once(" | ").map(|(s, _)| s.to_string())),
            ),
            _ => {}
        }
    }
    out
}

#[test]
fn prefilter_never_changes_a_reading() {
    let eager = compile(VOCABULARY_TOML).expect("vocabulary compiles");
    let stories = stories();
    assert!(stories.len() > 500, "{} stories", stories.len());
    let options = Options::default();
    for story in &stories {
        let fast = read_with(&VOCABULARY, story, &options);
        let full = read_with(&eager, story, &options);
        assert_eq!(fast, full, "{story:?}");
    }
}
