//! The model's field table against the contract's `intake.schema.json` (version 2, copied into
//! `tests/data`): every schema field is in [`FIELDS`] with the same kind, values and bounds, and
//! nothing else is; the schema generated from the table is the contract's, and the committed
//! `schema/intake.schema.json` is the generated one.

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

/// The repository's `schema/intake.schema.json`.
fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(runsore_model::schema::SCHEMA_PATH)
}

/// The schema generated from [`FIELDS`] says exactly what the contract's schema says: every
/// property, kind, value, range and description (key order aside).
#[test]
fn generated_schema_is_the_contracts() {
    let generated = runsore_model::schema::intake_schema().to_value();
    let contract = schema();
    if generated != contract {
        let (g, c) = (&generated["properties"], &contract["properties"]);
        let mut differences: Vec<String> = Vec::new();
        for (name, p) in c.as_object().unwrap() {
            if g.get(name) != Some(p) {
                differences.push(format!("{name}: contract {p}, generated {}", g[name]));
            }
        }
        for name in g.as_object().unwrap().keys() {
            if c.get(name).is_none() {
                differences.push(format!("{name}: not in the contract"));
            }
        }
        for key in [
            "$schema",
            "$id",
            "title",
            "description",
            "type",
            "additionalProperties",
            "$defs",
        ] {
            if generated.get(key) != contract.get(key) {
                differences.push(format!(
                    "{key}: contract {}, generated {}",
                    contract[key], generated[key]
                ));
            }
        }
        panic!(
            "the generated schema differs from the contract:\n{}",
            differences.join("\n")
        );
    }
}

/// The committed `schema/intake.schema.json` is what the field table generates today. After a
/// change to the table, regenerate it with `UPDATE_SCHEMA=1 cargo test -p runsore-model`.
#[test]
fn committed_schema_is_fresh() {
    let path = committed_path();
    let generated = runsore_model::schema::intake_schema().to_pretty();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run UPDATE_SCHEMA=1 cargo test -p runsore-model)",
            path.display()
        )
    });
    assert!(
        committed == generated,
        "{} is stale: regenerate it with UPDATE_SCHEMA=1 cargo test -p runsore-model",
        path.display()
    );
}
