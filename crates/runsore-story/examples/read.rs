//! Prints what the reader understood from a story given as arguments or on standard input.
//!
//! `cargo run -p runsore-story --example read -- "Sore bum the day after a longer run than usual."`

use std::io::Read;

fn main() {
    let mut story = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if story.is_empty() && std::io::stdin().read_to_string(&mut story).is_err() {
        eprintln!("error: could not read the story from standard input");
        std::process::exit(2);
    }
    let understood = runsore_story::read_story(&story);
    print!("{}", runsore_story::render_understood(&understood));
    match serde_json::to_string(&understood.intake) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("error: could not write the intake as JSON: {e}"),
    }
}
