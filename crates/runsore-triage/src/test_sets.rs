//! The vignette sets of the crate's test data, embedded for the unit tests that hold a fast form
//! of a computation to its first form on every picture (a pure crate reads no files).

/// Every set's JSON: lists of cases with an `intake`.
pub(crate) const SETS: &[&str] = &[
    include_str!("../tests/data/vignettes.json"),
    include_str!("../tests/data/extra_vignettes.json"),
    include_str!("../tests/data/reviewer_vignettes.json"),
    include_str!("../tests/data/reviewer2_vignettes.json"),
    include_str!("../tests/data/blind3_vignettes.json"),
    include_str!("../tests/data/blind4_vignettes.json"),
    include_str!("../tests/data/blind5_vignettes.json"),
    include_str!("../tests/data/blind6_vignettes.json"),
    include_str!("../tests/data/blind7_vignettes.json"),
    include_str!("../tests/data/blind8_vignettes.json"),
    include_str!("../tests/data/blind9_vignettes.json"),
    include_str!("../tests/data/blind10_vignettes.json"),
];
