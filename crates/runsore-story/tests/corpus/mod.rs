//! The stories of the test corpora (`tests/data`), read once for the tests that run the reader or
//! its expressions over all of them: every `story` and `text` of a JSON corpus, and the story
//! half of each `story | expected` line of a text table.

use serde_json::Value;

/// Every story, in folder order.
pub fn stories() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("test data folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let cases: Vec<Value> = serde_json::from_str(&text).expect("json corpus");
                for c in &cases {
                    out.extend(
                        ["story", "text"]
                            .iter()
                            .filter_map(|k| c[*k].as_str().map(str::to_string)),
                    );
                }
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
