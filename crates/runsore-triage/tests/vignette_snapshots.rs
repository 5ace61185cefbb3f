//! Per-case snapshots of every vignette set: triage, top cause and top three for each case, so
//! that one case that flips shows by name in review even when a set's percentages still pass.
//!
//! Update them only deliberately, after reading the diff: `INSTA_UPDATE=always cargo test -p
//! runsore-triage --test vignette_snapshots` (or `cargo insta review`), and say in the commit
//! which cases changed and why.

mod common;

use common::{load, run};

/// One line per case: `id  got-triage/want-triage  top  [top-3]`, with a `!` where the case
/// misses its expected condition at top-1 and `v` where its triage is below the expected one.
fn table(file: &str) -> String {
    let mut out = String::new();
    for case in load(file) {
        let a = run(&case.intake);
        let ids: Vec<&str> = a.conditions.iter().take(3).map(|c| &*c.id).collect();
        let top1 = ids.first().copied().unwrap_or("-");
        let miss = if top1 == case.expect.condition {
            ' '
        } else {
            '!'
        };
        let under = if a.triage < case.expect.triage {
            'v'
        } else {
            ' '
        };
        out.push_str(&format!(
            "{id:<28}{miss}{under} {got}/{want}  {top1}  [{top3}]\n",
            id = case.id,
            got = a.triage,
            want = case.expect.triage,
            top3 = ids.join(", "),
        ));
    }
    out
}

fn check(file: &str, name: &str) {
    insta::assert_snapshot!(name, table(file));
}

#[test]
fn project_vignettes_per_case() {
    check("vignettes.json", "project_vignettes");
}

#[test]
fn extra_vignettes_per_case() {
    check("extra_vignettes.json", "extra_vignettes");
}

#[test]
fn reviewer_blind_vignettes_per_case() {
    check("reviewer_vignettes.json", "reviewer_vignettes");
}

#[test]
fn second_reviewer_blind_vignettes_per_case() {
    check("reviewer2_vignettes.json", "reviewer2_vignettes");
}

#[test]
fn third_reviewer_blind_vignettes_per_case() {
    check("blind3_vignettes.json", "blind3_vignettes");
}
