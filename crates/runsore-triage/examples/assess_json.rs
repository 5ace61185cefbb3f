//! Reads an intake from standard input and prints the assessment as JSON (or as text with
//! `--text`): `cargo run -p runsore-triage --example assess_json < intake.json`.

use std::io::Read;

use runsore_model::DerivedEvidence;
use runsore_triage::{assess, knowledge, parse_intake, render_text};

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read standard input: {e}");
        std::process::exit(2);
    }
    let intake = match parse_intake(&input) {
        Ok(intake) => intake,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let assessment = assess(knowledge(), &intake, &DerivedEvidence::default());
    if std::env::args().any(|a| a == "--text") {
        print!("{}", render_text(&assessment));
    } else {
        match serde_json::to_string_pretty(&assessment) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("{e}"),
        }
    }
}
