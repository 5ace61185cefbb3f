//! The intake's fields by dotted path as the engine reads them: answer kinds and allowed values
//! come from the model's [`runsore_model::FIELDS`] (declared once there), reading a value from
//! [`Intake::value`].

use std::sync::OnceLock;

use runsore_model::Intake;
pub use runsore_model::{AnswerKind, FIELDS, FieldMeta, FieldValue as Value};

/// Every intake field the engine knows, with its answer kind and, for enums, the allowed values,
/// in the schema's order (derived from [`runsore_model::FIELDS`]).
pub fn intake_fields() -> &'static [(&'static str, AnswerKind, &'static [&'static str])] {
    static TABLE: OnceLock<Vec<(&'static str, AnswerKind, &'static [&'static str])>> =
        OnceLock::new();
    TABLE.get_or_init(|| {
        FIELDS
            .iter()
            .map(|f| {
                let values: &'static [&'static str] = Box::leak(f.values().collect());
                (f.path, f.kind, values)
            })
            .collect()
    })
}

/// The answer kind and allowed values of a dotted path, or `None` for an unknown path.
pub fn field_kind(path: &str) -> Option<(AnswerKind, &'static [&'static str])> {
    intake_fields()
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, kind, values)| (*kind, *values))
}

/// Reads one field of the intake by dotted path; `None` when unknown (or the path is not a field).
pub fn read_field(intake: &Intake, path: &str) -> Option<Value> {
    intake.value(path)
}
