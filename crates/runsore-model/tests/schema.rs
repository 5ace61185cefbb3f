//! The model's field table against the contract's `intake.schema.json` (version 2, copied into
//! `tests/data`): every schema field is in [`FIELDS`] with the same kind, values and bounds, and
//! nothing else is.

use runsore_model::{AnswerKind, FIELDS, field};
use serde_json::Value;

fn schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/intake.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema copy")).expect("json")
}

fn kind(p: &Value) -> AnswerKind {
    if p.get("$ref").is_some() || p["type"] == "boolean" {
        AnswerKind::YesNo
    } else if p.get("enum").is_some() {
        AnswerKind::OneOf
    } else if p["type"] == "array" {
        AnswerKind::AnyOf
    } else if p["type"] == "integer" {
        AnswerKind::Integer
    } else {
        AnswerKind::Number
    }
}

fn schema_fields() -> Vec<(String, Value)> {
    let s = schema();
    let mut out = Vec::new();
    for (name, p) in s["properties"].as_object().unwrap() {
        if name == "run" || name == "training" {
            for (inner, q) in p["properties"].as_object().unwrap() {
                out.push((format!("{name}.{inner}"), q.clone()));
            }
        } else {
            out.push((name.clone(), p.clone()));
        }
    }
    out
}

#[test]
fn fields_match_the_schema() {
    let fields = schema_fields();
    assert_eq!(fields.len(), FIELDS.len(), "field count");
    for (path, p) in &fields {
        let meta = field(path).unwrap_or_else(|| panic!("{path} missing from FIELDS"));
        assert_eq!(meta.kind, kind(p), "{path} kind");
        let values: Vec<&str> = p
            .get("enum")
            .or_else(|| p.get("items").and_then(|i| i.get("enum")))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(meta.values().collect::<Vec<_>>(), values, "{path} values");
        let is_number = matches!(meta.kind, AnswerKind::Integer | AnswerKind::Number);
        assert_eq!(meta.bound.is_some(), is_number, "{path} bound");
        if let Some(b) = meta.bound {
            assert_eq!(b.field, meta.path, "{path} bound field");
            if let Some(min) = p.get("minimum").and_then(Value::as_f64) {
                assert_eq!(b.min, min, "{path} min");
            }
            if let Some(max) = p.get("maximum").and_then(Value::as_f64) {
                assert_eq!(b.max, max, "{path} max");
            }
        }
        assert!(!meta.label.is_empty(), "{path} label");
        assert!(
            meta.choices.iter().all(|c| !c.label.is_empty()),
            "{path} choice labels"
        );
    }
}

/// An intake using every version-2 addition parses; `not_sure` round-trips.
#[test]
fn version_two_fields_parse() {
    let json = r#"{"where":["calf","knee","front_of_thigh"],"radiates_both_legs":false,"fall":true,"medications":["statin","anticoagulant"],"not_sure":["fever"]}"#;
    let intake: runsore_model::Intake = serde_json::from_str(json).unwrap();
    assert!(intake.validate().is_empty());
    assert!(intake.is_not_sure("fever"));
    assert_eq!(intake.value("fever"), None);
    assert_eq!(serde_json::to_string(&intake).unwrap(), json);
}

#[test]
fn not_sure_must_name_fields() {
    let intake: runsore_model::Intake = serde_json::from_str(r#"{"not_sure":["fevr"]}"#).unwrap();
    let errors = intake.validate();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "not_sure");
}
