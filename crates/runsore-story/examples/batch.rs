//! Reads many stories in one process and prints, one JSON line each, what the reader understood
//! and the triage the engine gives it (as `runsore check --story` does, without runs): for
//! scoring a phrase table or vignette set quickly while the vocabulary is edited.
//!
//! `cargo run -p runsore-story --example batch < FILE.json`, where FILE holds a JSON list of
//! objects with `text` or `story`.

use std::io::Read as _;

use serde_json::{Value, json};

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("batch: standard input: {e}");
        std::process::exit(2);
    }
    let rows: Vec<Value> = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("batch: standard input is not a JSON list: {e}");
            std::process::exit(2);
        }
    };
    let kb = runsore_triage::knowledge();
    let mut options = runsore_story::Options::at(1_796_000_000, 0);
    options.red_flag_fields = runsore_triage::red_flag_fields()
        .iter()
        .map(|r| r.field.to_string())
        .collect();
    for row in rows {
        let text = row["text"].as_str().or(row["story"].as_str()).unwrap_or("");
        let u = runsore_story::read_story_at(text, &options);
        let a = runsore_triage::assess(kb, &u.intake, &Default::default());
        let top: Vec<&str> = a.conditions.iter().take(3).map(|c| c.id.as_ref()).collect();
        let line = json!({ "understood": u.intake, "triage": a.triage, "conditions": top });
        println!("{line}");
    }
}
