//! The simulated patient (issue 2 and issue 8): start from `where` and `onset` only, answer the
//! engine's questions from the full vignette (unknown where it is silent), and compare.

mod common;

use common::{Score, dialogue, load, run};

fn check(file: &str) {
    let mut score = Score::default();
    let mut same = 0;
    for case in load(file) {
        let full = run(&case.intake);
        let (out, n) = dialogue(&case.intake, &["where", "onset"], 15);
        same +=
            (out.conditions[0].id == full.conditions[0].id && out.triage == full.triage) as usize;
        score.add(&case, &out, n);
    }
    score.report(&format!("dialogue {file}"));
    println!("same top and triage as the full intake: {same}/{}", score.n);
    let mean = score.questions as f64 / score.n as f64;
    assert!(mean <= 8.0, "{file}: {mean:.1} questions on average");
    assert_eq!(
        score.under_serious, 0,
        "{file}: urgent or emergency case under-triaged"
    );
    assert!(
        score.pct(score.top1) >= 90.0,
        "{file}: dialogue top-1 below 90%"
    );
}

#[test]
fn project_vignettes_dialogue() {
    check("vignettes.json");
}

#[test]
fn extra_held_out_vignettes_dialogue() {
    check("extra_vignettes.json");
}

#[test]
fn reviewer_blind_vignettes_dialogue() {
    check("reviewer_vignettes.json");
}

#[test]
fn second_reviewer_blind_vignettes_dialogue() {
    check("reviewer2_vignettes.json");
}
