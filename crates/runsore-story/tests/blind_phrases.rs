//! A blind phrase table (`tests/data/blind_phrases.json`): 413 sentences written from the intake
//! contract alone by a reviewer who never read the reader, with the value a careful reader takes
//! from each (`null`: mentioned but unknown, such as someone else's, a hypothetical or the past).
//! Scored once, before any change made because of it; the floors hold that score so that the
//! reader can only get better on it. The bar of the issue (red-flag fields at precision 98% and
//! recall 95%) is not met on this table yet: the figures are printed, not hidden.

use std::collections::BTreeMap;

use runsore_story::{Options, read_story_at};
use serde::Deserialize;
use serde_json::Value;
use time::macros::datetime;

/// The fourth table's floors: its score at the end of the day it was written was red-flag fields
/// 0.958 / 0.657, all fields 0.970 / 0.682 by this test; raised to the reader of session 5's end
/// (0.991 / 0.893, all fields recall 0.827); raised in session 10, when the vocabulary written
/// before any test set was read (the dev half reading exactly as before) read 0.996 / 0.917, all
/// fields recall 0.835.
const RED4_PRECISION: f64 = 0.99;
const RED4_RECALL: f64 = 0.91;
const ALL4_RECALL: f64 = 0.83;

/// The ninth table's floors: its first score (af9d212; red-flag 0.827 / 0.744, all fields recall
/// 0.719), rounded down; raised in session 8 (set 9 dev patterns: crude and indirect words for
/// the danger signs, other senses, questions answered in the next sentence, a leading past time),
/// when this test read 0.924 / 0.872, all fields recall 0.780; in session 9 (mechanisms: hedges
/// with another explanation, people named with words between, a subject carried over "and", an
/// age told as when, emoji, typos on the signs' words), when it read 0.947 / 0.889, recall 0.787.
const RED9_PRECISION: f64 = 0.94;
const RED9_RECALL: f64 = 0.88;
const ALL9_RECALL: f64 = 0.78;

/// The contract's red-flag fields and the findings that make one with another (the reviewer's own
/// choice of what to probe, kept apart from the engine's list so the table stays the reviewer's).
const RED: [&str; 23] = [
    "saddle_numbness",
    "bladder_bowel_change",
    "radiates_both_legs",
    "dark_urine",
    "can_bear_weight",
    "chest_pain",
    "short_of_breath",
    "fainting",
    "confusion",
    "nausea_vomiting",
    "fever",
    "belly_or_testicle_pain",
    "cold_pale_leg",
    "calf_swelling",
    "palpitations",
    "fall",
    "weakness",
    "headache",
    "drank_a_lot",
    "pain_at_rest",
    "pain_at_night",
    "limping",
    "general_weakness",
];

#[derive(Deserialize)]
struct Row {
    text: String,
    expect: BTreeMap<String, Value>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Tally {
    fn precision(self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fp)
        }
    }
    fn recall(self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fn_)
        }
    }
}

/// The value read at a dotted path; a list field named by item (`medications[statin]`, as the
/// twelfth table labels medicines and places) is whether the list read holds it, unknown while
/// the list is.
fn get(v: &Value, path: &str) -> Option<Value> {
    if let Some((list, item)) = path.strip_suffix(']').and_then(|p| p.split_once('[')) {
        return match get(v, list)? {
            Value::Array(items) => Some(Value::Bool(items.iter().any(|i| i == item))),
            one => Some(Value::Bool(one == item)),
        };
    }
    let mut node = v;
    for part in path.split('.') {
        node = node.get(part)?;
    }
    (!node.is_null()).then(|| node.clone())
}

/// Whether the value read is the one expected: numbers within 10% (the reviewer converted words
/// such as "a day and a half" and miles by hand), lists as sets, one expected element of a list.
fn same(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (
                g.as_f64().unwrap_or(f64::NAN),
                w.as_f64().unwrap_or(f64::NAN),
            );
            (g - w).abs() <= 0.1 * w.abs().max(1.0)
        }
        (Value::Array(g), Value::Array(w)) => {
            let mut g: Vec<String> = g.iter().map(Value::to_string).collect();
            let mut w: Vec<String> = w.iter().map(Value::to_string).collect();
            g.sort();
            w.sort();
            g == w
        }
        (Value::Array(g), w) => g.contains(w),
        (g, w) => g == w,
    }
}

/// Precision and recall of a phrase table over all fields and over the red-flag fields:
/// `(all, red)`.
fn score_table(file: &str) -> (Tally, Tally) {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let rows: Vec<Row> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(rows.len() >= 400, "{path}: {} rows", rows.len());
    let options = Options {
        now: Some(datetime!(2026-12-02 09:00 UTC)),
        ..Options::default()
    };
    let mut per_field: BTreeMap<String, Tally> = BTreeMap::new();
    for row in &rows {
        let read = serde_json::to_value(read_story_at(&row.text, &options).intake).unwrap();
        for (field, want) in &row.expect {
            let tally = per_field.entry(field.clone()).or_default();
            match (get(&read, field), want.is_null()) {
                (None, true) => {}
                (Some(_), true) => tally.fp += 1,
                (None, false) => tally.fn_ += 1,
                (Some(got), false) if same(&got, want) => tally.tp += 1,
                (Some(_), false) => {
                    tally.fp += 1;
                    tally.fn_ += 1;
                }
            }
        }
    }
    let (mut all, mut red) = (Tally::default(), Tally::default());
    for (field, t) in &per_field {
        println!(
            "{field:32} precision {:.2} recall {:.2}",
            t.precision(),
            t.recall()
        );
        for sum in [&mut all]
            .into_iter()
            .chain(RED.contains(&field.as_str()).then_some(&mut red))
        {
            sum.tp += t.tp;
            sum.fp += t.fp;
            sum.fn_ += t.fn_;
        }
    }
    println!(
        "all fields: precision {:.3} recall {:.3}",
        all.precision(),
        all.recall()
    );
    println!(
        "red-flag fields: precision {:.3} recall {:.3}",
        red.precision(),
        red.recall()
    );
    (all, red)
}

/// Scores a blind table and holds it at its floors: red-flag precision and recall, and the
/// recall of every field.
fn holds(file: &str, red_precision: f64, red_recall: f64, all_recall: f64) {
    let (all, red) = score_table(file);
    eprintln!(
        "{file}: red-flag {:.3} / {:.3}, all fields recall {:.3}",
        red.precision(),
        red.recall(),
        all.recall()
    );
    assert!(
        red.precision() >= red_precision,
        "red-flag precision fell below its last score"
    );
    assert!(
        red.recall() >= red_recall,
        "red-flag recall fell below its last score"
    );
    assert!(
        all.recall() >= all_recall,
        "recall fell below its last score"
    );
}

#[test]
fn blind_phrase_table_holds_its_first_score() {
    // The first score on this table (main at f20c605): all 0.871 / 0.610, red flags 0.818 / 0.565.
    // After the second pass on plain words (belly pain low on one side, a stuck hernia, a cold
    // pale foot, both legs by spread, fever and drinking in plain words, signs that passed
    // within minutes, conditionals that share the sign's words): all 0.937 / 0.737, red flags
    // 0.951 / 0.822. The floors hold that.
    // Raised at session 5's end, when this test read 0.995 / 0.986, all fields recall 0.873.
    holds("blind_phrases.json", 0.99, 0.98, 0.87);
}

/// A fourth blind table (595 sentences, 2026-12-06), by a reviewer who read only the contract.
/// First score, before any change: red-flag fields 0.92 / 0.51 by `bench/score_phrases.py`. No
/// one worked from it before this score: the floors hold the reader as it was then written.
#[test]
fn fourth_blind_phrase_table_holds_its_first_score() {
    holds(
        "blind4_phrases.json",
        RED4_PRECISION,
        RED4_RECALL,
        ALL4_RECALL,
    );
}

/// A fifth blind table (550 sentences, 2026-12-06, afternoon), by a reviewer who read only the
/// contract's README and schema. First score, on the morning's build and before anything changed
/// because of it: red-flag fields 0.946 / 0.678 by `bench/score_phrases.py`. No one worked from
/// it; the floors hold the end of that day's reader (0.962 / 0.755 by the same script), below the
/// issue's bar of 0.98 / 0.95.
#[test]
fn fifth_blind_phrase_table_holds_its_end_score() {
    // Raised at session 5's end, when this test read 0.990 / 0.893, all fields recall 0.832;
    // in session 7 to 0.991 / 0.901, all fields recall 0.838.
    holds("blind5_phrases.json", 0.99, 0.90, 0.83);
}

/// A sixth blind table (450 sentences, 2026-12-06, evening), by a reviewer who read only the
/// contract's README and schema. First score, on that afternoon's build (415a8b8) and before
/// anything changed because of it: red-flag fields 0.924 / 0.833 by `bench/score_phrases.py`. Half
/// of it (split by a hash of the text) was looked at by the lead for patterns; the floors hold the
/// end of that day's reader (0.929 / 0.886 by the same script), below the bar.
#[test]
fn sixth_blind_phrase_table_holds_its_end_score() {
    // Raised at session 5's end, when this test read 1.000 / 0.970, all fields recall 0.885 (the
    // patterns were taken from the dev half only).
    holds("blind6_phrases.json", 0.99, 0.96, 0.88);
}

/// A seventh blind table (450 sentences, 2026-12-06, late afternoon), by a reviewer who read only
/// the contract's README and schema. First score, on the build that began that afternoon
/// (b15e251) and before anything changed because of it: red-flag fields 0.831 / 0.848 by
/// `bench/score_phrases.py` (questions about a sign in general, idioms, someone else's signs and
/// effort-appropriate breathlessness read as findings). The lead took patterns from the half
/// whose text hashes even; the other half is held out.
#[test]
fn seventh_blind_phrase_table_holds_its_end_score() {
    // The end of session 5: this test read 0.850 / 0.862, all fields recall 0.845. Raised in
    // session 6 (who, when and whether: double negatives, readings with units, unverified
    // guesses, people named with words between, past years), when it read 0.899 / 0.924, all
    // fields recall 0.869 (0.887 / 0.924 once two patterns that cost the eighth set were taken
    // back out; 0.895 / 0.938, all fields recall 0.874, with denied testicles and a bike's
    // numbness that came back within the hour).
    // Session 7: 0.901 / 0.945, all fields recall 0.877. Session 9 (mechanisms: hedges with
    // another explanation, questions about a sign in general): 0.926 / 0.952, recall 0.879.
    holds("blind7_phrases.json", 0.92, 0.95, 0.87);
}

/// An eighth blind table (450 sentences, 2026-12-06, evening), by a reviewer who read only the
/// contract's README and schema; 403 of them about a red-flag finding (193 present, 108 denied,
/// 133 that must stay unknown). First score, on the build that began that evening (b7af805) and
/// before anything changed because of it: red-flag fields 0.806 / 0.749, all fields recall 0.740
/// by `bench/score_phrases.py`. The half whose text hashes even is development data; the other
/// half is held out.
#[test]
fn eighth_blind_phrase_table_holds_its_first_score() {
    // Raised in session 6 (who, when and whether), when this test read 0.827 / 0.758, all
    // fields recall 0.746. Raised in session 7 (indirect signs, questions answered at once,
    // idioms, today's weekday), when it read 0.910 / 0.846, all fields recall 0.801; then
    // (someone else's question answered in the same sentence) 0.920 / 0.863, recall 0.814;
    // then ("all normal down there", general questions, a stitch) 0.925 / 0.872, recall 0.820.
    // Raised in session 8 (set 9 dev patterns) when it read 0.944 / 0.890, recall 0.831. Raised
    // in session 10 (vocabulary written before any test set was read; the dev half reads as
    // before) when it read 0.945 / 0.903, recall 0.839.
    holds("blind8_phrases.json", 0.94, 0.90, 0.83);
}

/// A ninth blind table (450 sentences, 2026-12-06, night), by a reviewer who read only the
/// contract's README and schema: South African, Scots and Welsh English, messages translated from
/// Spanish, French and Italian, nurses' shorthand, voice notes; 338 of them bear on a red-flag
/// finding. First score, on the build that began that night (af9d212) and before anything changed
/// because of it: red-flag fields 0.827 / 0.744, all fields 0.890 / 0.719 by
/// `bench/score_phrases.py`. The half whose text hashes even is development data; the other half
/// is held out.
#[test]
fn ninth_blind_phrase_table_holds_its_first_score() {
    holds(
        "blind9_phrases.json",
        RED9_PRECISION,
        RED9_RECALL,
        ALL9_RECALL,
    );
}

/// A tenth blind table (450 sentences, 2026-12-06, late night), by a reviewer who read only the
/// contract's README and schema: Irish, Australian, Indian, Nigerian and Canadian English, texting,
/// messages translated from German, Portuguese and Polish, dictation with homophones, emoji, long
/// rambling messages; 402 of them bear on a red-flag finding. Its writer leaves a sign unknown
/// (not false) when a runner describes the harmless thing the sign is not, and sets history
/// fields for old events. First score, on the build that began that night (57b8ab2) and before
/// anything changed because of it: red-flag fields 0.836 / 0.805, all fields 0.866 / 0.781 by
/// `bench/score_phrases.py`. The half whose text hashes even is development data; the other half
/// is held out.
#[test]
fn tenth_blind_phrase_table_holds_its_first_score() {
    // Raised in session 8 (set 10 dev patterns: dictated homophones, carers' and nurses' words,
    // a question answered "no, there isn't any"), when it read 0.868 / 0.884, recall 0.828.
    // Session 9 (mechanisms, see the ninth table): 0.894 / 0.907, recall 0.843.
    holds("blind10_phrases.json", 0.89, 0.90, 0.84);
}

/// An eleventh blind table (504 sentences, 2026-12-07, early morning), by a reviewer who read only
/// the contract's README and schema: Scottish, Welsh, South African, Singaporean and Jamaican
/// English, translations from Spanish, French, Arabic, Mandarin and Hindi, clinicians' shorthand,
/// self-corrections, numbers and dates in every form; 459 of them bear on a red-flag finding. Its
/// writer reads a harmless thing the runner describes (dark-yellow urine, a stitch) as a no, and
/// sets history fields for old events. First score, on the build that began that session
/// (fbe64b4) and before anything changed because of it: red-flag fields 0.860 / 0.664, all
/// fields 0.875 / 0.683 by `bench/score_phrases.py`. The half whose text hashes even is
/// development data; the other half is held out.
#[test]
fn eleventh_blind_phrase_table_holds_its_first_score() {
    // Raised in session 9 (set 11 dev mechanisms: a sign asked then given another cause, dialect
    // spellings and family words, clinical shorthand, urine that will not come, "the two legs"),
    // when it read 0.918 / 0.758, all fields recall 0.736.
    holds("blind11_phrases.json", 0.91, 0.75, 0.73);
}

/// A twelfth blind table (576 sentences, 2026-12-07, morning), by a reviewer who read only the
/// contract's README and schema: New Zealand, Kenyan, Ghanaian, Filipino, Northern English,
/// Cockney and London English, US Southern and African American English, code-switching,
/// translations from Japanese, Korean, Russian, Turkish, Vietnamese, Swahili and Dutch, bad
/// spelling and autocorrect; 548 of them bear on a red-flag finding. Its writer reads a hedge
/// that leans to yes as a yes, a past sign as unknown unless it is denied now, and labels
/// medicines and places per item (`medications[statin]`). First score, on the build that began
/// that session (d6888cc) and before anything changed because of it: red-flag fields 0.794 /
/// 0.678, all fields 0.819 / 0.650 by `bench/score_phrases.py`. Nobody has read it; the half
/// whose text hashes odd stays held out.
#[test]
fn twelfth_blind_phrase_table_holds_its_first_score() {
    holds("blind12_phrases.json", 0.79, 0.68, 0.65);
}

/// A thirteenth blind table (583 sentences, 2026-12-07, session 11), by a reviewer who read only
/// the contract's README and schema, in the voices of the thirteenth vignette set; 527 of them
/// bear on a red-flag finding, each tagged with its reading (present, denied, hedged either way,
/// unsure, someone else's, past, hypothetical, another sense, numbers in words). Its writer reads
/// a hedge that leans to yes as a yes and one that leans to no, or a hypothetical, as unknown.
/// First score, on the build that began that session (a4a29ae) and before anything changed
/// because of it: red-flag fields 0.796 / 0.687, all fields 0.846 / 0.678 by
/// `bench/score_phrases.py`. The half whose text hashes odd stays held out.
#[test]
fn thirteenth_blind_phrase_table_holds_its_first_score() {
    holds("blind13_phrases.json", 0.79, 0.68, 0.67);
}

/// A fourteenth blind table (607 sentences, 2026-12-07, session 12), by a reviewer who read only
/// the contract's README and schema, in the voices of the fourteenth vignette set; 527 of them
/// bear on a red-flag finding, each tagged with its reading (present 210, denied 101, another
/// sense 61, past 40, someone else's 37, unsure 36, hedged to yes 33 or to no 32, numbers in words
/// 30, hypothetical 27). Its writer reads a hedge that leans to yes as a yes and one that leans to
/// no as a no; someone else's sign, a hypothetical and "unsure" as unknown. First score, on the
/// build that began that session (d540119) and before anything changed because of it: red-flag
/// fields 0.945 / 0.789, all fields 0.940 / 0.735 by `bench/score_phrases.py`. Nobody but its
/// writer has read it.
#[test]
fn fourteenth_blind_phrase_table_holds_its_first_score() {
    holds("blind14_phrases.json", 0.94, 0.78, 0.73);
}
