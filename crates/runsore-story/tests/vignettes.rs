//! Reads every vignette story and measures precision (fields read that disagree with the case's
//! intake) and recall (share of the case's fields read), over the vignettes and our own stories.

mod common;

use common::{red_flags, score};
use runsore_story::read_story;
use serde_json::Value;

fn corpus(path: &str) -> Vec<(String, String, Value)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    cases
        .into_iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("?").to_string(),
                c["story"].as_str().unwrap_or_default().to_string(),
                c["intake"].clone(),
            )
        })
        .collect()
}

/// Scores a corpus, prints the figures and every disagreement, returns (wrong, read, red-flag wrong).
fn measure(name: &str, path: &str) -> (usize, usize, usize, f64) {
    let mut right = 0;
    let mut wrong = 0;
    let mut extra = 0;
    let mut expected = 0;
    let mut red = 0;
    let flags = red_flags();
    for (id, story, want) in corpus(path) {
        let understood = read_story(&story);
        let got = serde_json::to_value(&understood.intake).expect("intake serialises");
        let s = score(&got, &want);
        right += s.right;
        wrong += s.wrong.len();
        extra += s.extra.len();
        expected += s.expected;
        for w in &s.wrong {
            println!("{name} {id}: WRONG {w}");
            if flags.iter().any(|(f, _)| w.starts_with(&format!("{f}:"))) {
                red += 1;
            }
        }
        // A red flag the case holds at its alarming value must be read: the corpora here state
        // every such flag in the words, so a miss is a safety failure.
        for (flag, alarming) in &flags {
            let alarming = Value::Bool(*alarming);
            if want.get(flag.as_str()) == Some(&alarming) && got.get(flag.as_str()).is_none() {
                println!(
                    "{name} {id}: MISSED red flag {flag} = {}",
                    want[flag.as_str()]
                );
                red += 1;
            }
        }
        if !s.missed.is_empty() {
            println!("{name} {id}: missed {}", s.missed.join(", "));
        }
        if !s.extra.is_empty() {
            println!("{name} {id}: extra {}", s.extra.join(", "));
        }
    }
    let read = right + wrong;
    let precision = right as f64 / read.max(1) as f64;
    let recall = right as f64 / expected.max(1) as f64;
    println!(
        "{name}: read {read} fields the case states, {right} right, {wrong} wrong \
         (precision {:.1}%), recall {:.1}% of {expected}; {extra} fields read that the case leaves unknown",
        precision * 100.0,
        recall * 100.0
    );
    (wrong, read, red, recall)
}

#[test]
fn vignette_stories_are_read_precisely() {
    let (wrong, read, red, recall) = measure("vignettes", "tests/data/vignettes.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 3,
        "{wrong} wrong of {read} read: above 3%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

#[test]
fn extra_stories_are_read_precisely() {
    let (wrong, read, red, recall) = measure("extra", "tests/data/extra_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 3,
        "{wrong} wrong of {read} read: above 3%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// Stories written after the vocabulary was frozen for them: a check on unseen phrasing.
#[test]
fn held_out_stories_are_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout", "tests/data/heldout_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A second batch written after the vocabulary was frozen for the first.
#[test]
fn second_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout2", "tests/data/heldout2_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A third batch, in the vignettes' style, written after the vocabulary was frozen for the second.
#[test]
fn third_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout3", "tests/data/heldout3_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A fourth batch, written after the vocabulary was frozen for the third.
#[test]
fn fourth_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout4", "tests/data/heldout4_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A fifth batch, mostly red flags stated and negated, written before the reader saw it.
#[test]
fn fifth_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout5", "tests/data/heldout5_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A sixth batch in other registers (terse, teenage, non-native, older), unseen before the run.
#[test]
fn sixth_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout6", "tests/data/heldout6_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A seventh batch on timing, intensity and paraphrase, unseen before the run.
#[test]
fn seventh_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout7", "tests/data/heldout7_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// An eighth batch with the vignettes' traps (self-diagnosis, "probably normal"), unseen before.
#[test]
fn eighth_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout8", "tests/data/heldout8_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A ninth batch of red flags only, in words not planned for, unseen before the run.
#[test]
fn ninth_held_out_batch_of_red_flags_is_read() {
    let (wrong, read, red, recall) = measure("heldout9", "tests/data/heldout9_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// A tenth batch, one story per condition, written last and unseen before the run.
#[test]
fn tenth_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout10", "tests/data/heldout10_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}

/// An eleventh batch, written last, after every other fix: the closest to an unseen-story figure.
#[test]
fn eleventh_held_out_batch_is_read_precisely() {
    let (wrong, read, red, recall) = measure("heldout11", "tests/data/heldout11_stories.json");
    assert_eq!(red, 0, "a red flag read wrong");
    assert!(
        wrong * 100 <= read * 5,
        "{wrong} wrong of {read} read: above 5%"
    );
    assert!(recall >= 0.70, "recall {recall:.2} below 0.70");
}
