//! runsore-triage: the pure triage engine. A knowledge base as data (embedded TOML, validated),
//! inference in log-odds over likelihood ratios, red flags that set a minimum level, question
//! ranking by expected information gain, and the assessment with care plan, course and sources.
//!
//! No I/O, no clock, no randomness: `assess` is deterministic and cannot fail on a valid intake.
//!
//! The API front ends use: [`knowledge`] (the embedded base, parsed once), [`parse_intake`]
//! (errors name the field, the nearest known one, or the line and column), [`assess`] (ranking
//! with reasons for and against, triage, red flags fired and pending, questions best first, care
//! plan, course and sources), [`render_text`], and for follow-up [`course`] and
//! [`find_question`]. `knowledge/knowledge.toml` explains the likelihood model and the tuning.
//!
//! Lists that front ends must derive, never copy (declared once, here or in the model):
//!
//! - intake field metadata (path, kind, label, help, choices with labels, bounds, unit):
//!   [`runsore_model::FIELDS`] (re-exported as [`fields::FIELDS`]), [`field_label`];
//! - the safety checklist (fields in order, plain-language items, sex and age filters):
//!   [`safety_checklist`], [`ChecklistItem::applies`];
//! - the fields that are red flags on their own, with the answer that is the warning sign and the
//!   level it sets: [`red_flag_fields`];
//! - condition display names: [`condition_names`], [`condition_name`];
//! - which causes get pacing advice: [`paced_conditions`]; which are not running soreness at
//!   all (no soreness care plan): [`is_not_running_soreness`].
//!
//! The assessment's `safety` block says whether the safety questions are answered: while
//! `safety.complete` is false a front end leads with `safety.headline` ("not enough to go on
//! yet: answer the safety questions"), never with reassurance.

// Scores, probabilities and likelihoods are parallel arrays indexed by condition; indexing
// them by one loop variable reads clearer than zipping three iterators.
#![allow(clippy::needless_range_loop)]

mod assess;
mod catalog;
mod engine;
pub mod fields;
mod info_json;
mod kb;
mod parse;
mod render;
mod shared;
#[cfg(test)]
mod test_sets;

use std::sync::OnceLock;

pub use assess::{
    Advice, Assessment, EXPLAINED_MIN_PROBABILITY, FiredRedFlag, Origin, PendingRedFlag, Question,
    RankedCondition, Reason, Safety, assess,
};
pub use catalog::{
    RedFlagField, answer_words, condition_name, condition_names, field_label,
    is_not_running_soreness, paced_conditions, red_flag_fields, safety_checklist,
    safety_checklist_in,
};
pub use info_json::{to_json_vec, to_json_writer};
pub use kb::{
    Checklist, ChecklistItem, Condition, ConditionInfo, Course, EvidenceNote, FieldSpec, Finding,
    KnowledgeBase, KnowledgeError, LevelMass, LevelTexts, Link, MAX_CONDITIONS, PointsTo,
    RedFlagRule, Severity, Source, Step, Triage, Tuning, url_problem,
};
pub use parse::{IntakeError, parse_intake};
pub use render::render_text;
pub use shared::{Shared, Text};

/// The embedded knowledge file.
pub const KNOWLEDGE_TOML: &str = include_str!("../knowledge/knowledge.toml");

/// The embedded knowledge file as JSON, written by the build script from [`KNOWLEDGE_TOML`]
/// (the one source): the same document, which parses in a fraction of the time TOML takes at
/// every start of the command line (`tests/embedded.rs` holds the two equal).
#[doc(hidden)]
pub const KNOWLEDGE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/knowledge.json"));

/// The embedded knowledge base, parsed and compiled once.
///
/// # Panics
/// Never in a released build: the embedded file is validated by the crate's tests, so a broken
/// file fails CI before it can ship.
pub fn knowledge() -> &'static KnowledgeBase {
    EMBEDDED.get_or_init(|| {
        KnowledgeBase::from_json(KNOWLEDGE_JSON)
            .unwrap_or_else(|e| panic!("the embedded knowledge base is invalid: {e}"))
    })
}

static EMBEDDED: OnceLock<KnowledgeBase> = OnceLock::new();

/// The embedded knowledge base when it has been loaded (never loads it).
pub(crate) fn embedded_if_loaded() -> Option<&'static KnowledgeBase> {
    EMBEDDED.get()
}

/// The question for an intake field's dotted path in the embedded knowledge base.
pub fn find_question(field: &str) -> Option<&'static FieldSpec> {
    knowledge().find_question(field)
}

/// The typical course of a condition in the embedded knowledge base, for follow-up.
pub fn course(condition_id: &str) -> Option<&'static Course> {
    knowledge().course(condition_id)
}

/// Validates a knowledge file and returns every problem found (empty when it is valid).
pub fn validate(toml_text: &str) -> Vec<String> {
    match KnowledgeBase::from_toml(toml_text) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems,
    }
}
