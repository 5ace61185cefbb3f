//! Shared domain types of runsore: what a run is, what a runner reports, and the evidence derived
//! from their runs. Plain data, no I/O and no logic beyond small helpers; every crate may use it.
//!
//! The intake (contract version 2) is [`Intake`]; [`FIELDS`] describes each of its fields once
//! (path, answer kind, labels, choices, bounds, unit) for front ends to derive forms, prompts and
//! the schema from; [`Intake::value`] reads a field by dotted path; [`Intake::not_sure`] holds the
//! fields answered "not sure" (runsore's addition to the contract); [`schema`] generates the
//! intake's JSON Schema from the field table.

pub mod bounds;
pub mod evidence;
pub mod fields;
pub mod intake;
pub mod plausible;
pub mod run;
pub mod schema;

pub use bounds::Bound;
pub use evidence::{DerivedEvidence, DerivedFinding};
pub use fields::{
    AnswerKind, Choice, FIELDS, FieldMeta, FieldValue, answer_words, field, field_name, paths,
};
pub use intake::{
    Feel, Intake, Intensity, Medication, Onset, Region, RunReport, Sex, Sides, Training, Trend,
};
pub use run::{Format, Run, RunSummary, Sample, Sport};
