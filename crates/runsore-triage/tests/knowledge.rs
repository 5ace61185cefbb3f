//! The embedded knowledge base is valid, and the validator reports every problem at once.

use runsore_triage::{KNOWLEDGE_TOML, knowledge, validate};

#[test]
fn embedded_knowledge_is_valid() {
    let problems = validate(KNOWLEDGE_TOML);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(knowledge().conditions.len(), 12);
}
