//! Reading an intake from JSON with errors that name the field and where it is: malformed JSON
//! (line and column), an unknown field (with the nearest known one), a wrong type, a value out
//! of range.

use runsore_model::Intake;
use serde::Deserialize;

use crate::fields::{AnswerKind, field_kind, intake_fields};

/// Why an intake was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IntakeError {
    /// Not valid JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Malformed {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser saw.
        message: String,
    },
    /// A field the intake does not have.
    #[error("unknown field `{field}`{}{}", at_line(*line), suggestion.as_ref().map(|s| format!(", did you mean `{s}`?")).unwrap_or_default())]
    UnknownField {
        /// Dotted path of the unknown field.
        field: String,
        /// The nearest known field, when one is close.
        suggestion: Option<String>,
        /// 1-based line where the field appears, when found.
        line: Option<usize>,
    },
    /// A value of the wrong type or not among the allowed values.
    #[error("field `{field}`{}: {message}", at_line(*line))]
    WrongType {
        /// Dotted path.
        field: String,
        /// What is wrong.
        message: String,
        /// 1-based line where the field appears, when found.
        line: Option<usize>,
    },
    /// A key given twice in one object: JSON parsers keep one of the two silently, so a red
    /// flag answered `true` and then `false` would be lost.
    #[error("field `{field}`{} is given twice; give it once", at_line(*line))]
    DuplicateField {
        /// Dotted path of the repeated field.
        field: String,
        /// 1-based line of its first appearance, when found.
        line: Option<usize>,
    },
    /// Values out of the schema's range (every one found).
    #[error("{}", problems.iter().map(|(f, m)| format!("field `{f}` {m}")).collect::<Vec<_>>().join("; "))]
    OutOfRange {
        /// (dotted path, what is wrong).
        problems: Vec<(String, String)>,
    },
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

impl IntakeError {
    /// The dotted path of the field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            IntakeError::Malformed { .. } => None,
            IntakeError::UnknownField { field, .. }
            | IntakeError::WrongType { field, .. }
            | IntakeError::DuplicateField { field, .. } => Some(field),
            IntakeError::OutOfRange { problems } => problems.first().map(|(f, _)| f.as_str()),
        }
    }
}

/// Best-effort line of the first `"key"` in the text after `after` (for nested fields).
fn line_of(text: &str, key: &str, after: Option<&str>) -> Option<usize> {
    let start = match after {
        Some(parent) => text.find(&format!("\"{parent}\""))?,
        None => 0,
    };
    let pos = start + text[start..].find(&format!("\"{key}\""))?;
    Some(text[..pos].matches('\n').count() + 1)
}

fn nearest(name: &str, level: &[String]) -> Option<String> {
    // Compare with the names at the same level and, so that a run field written at the top
    // level is found, with every dotted path's last part.
    let all = intake_fields().iter().map(|(p, _, _)| p.to_string());
    level
        .iter()
        .cloned()
        .chain(all)
        .map(|candidate| {
            let leaf = candidate
                .rsplit('.')
                .next()
                .unwrap_or(&candidate)
                .to_string();
            let score =
                strsim::jaro_winkler(name, &leaf).max(strsim::jaro_winkler(name, &candidate));
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, c)| c)
}

fn range_message(path: &str) -> String {
    match runsore_model::bounds::intake_bound(path) {
        Some(b) => format!("must be a whole number from {} to {}", b.min, b.max),
        None => "is out of range".into(),
    }
}

/// The dotted path of the first key given twice in one object, if any. `serde_json::Value`
/// keeps the last of two equal keys without a word, so the text is walked once more.
fn duplicate_key(json: &str) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    struct Walk(String);
    impl<'de> DeserializeSeed<'de> for Walk {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Walk {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut first = None;
            while let Some(found) = seq.next_element_seed(Walk(self.0.clone()))? {
                first = first.or(found);
            }
            Ok(first)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = std::collections::HashSet::new();
            let mut first = None;
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.0.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.0)
                };
                if !seen.insert(key) && first.is_none() {
                    first = Some(path.clone());
                }
                first = first.or(map.next_value_seed(Walk(path))?);
            }
            Ok(first)
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    Walk(String::new()).deserialize(&mut de).ok().flatten()
}

/// Parses an intake (version 2 of `schema/intake.schema.json`, plus runsore's `not_sure` list) and
/// checks its ranges.
///
/// A valid intake is read in one typed pass: every object of the intake is a struct that denies
/// unknown fields and, being derived, refuses a field given twice, so a typed parse that passes
/// with ranges and `not_sure` entries that pass is exactly an intake the checked reading below
/// accepts, giving the same value (the same number parser either way). Anything else is read
/// again by the checked reading, which names the field and line at fault: an error is the same
/// error as before (a test holds both readings to each other on valid and broken intakes).
pub fn parse_intake(json: &str) -> Result<Intake, IntakeError> {
    if objects_as_objects(json)
        && let Ok(intake) = serde_json::from_str::<Intake>(json)
        && intake
            .not_sure
            .iter()
            .all(|entry| intake_fields().iter().any(|(p, _, _)| p == entry))
        && intake.validate().is_empty()
    {
        return Ok(intake);
    }
    parse_intake_checked(json)
}

/// Whether the intake and its `run` and `training` are written as JSON objects, as far as a plain
/// look at the text tells (`false` whenever in doubt: the checked reading then decides). A
/// derived struct would also take an array of its fields in order, which the checked reading
/// refuses; a key spelt with an escape could hide the name, so any backslash counts as doubt.
fn objects_as_objects(json: &str) -> bool {
    let bytes = json.as_bytes();
    if json.trim_start().as_bytes().first() != Some(&b'{') || bytes.contains(&b'\\') {
        return false;
    }
    for key in ["\"run\"", "\"training\""] {
        for (at, _) in json.match_indices(key) {
            let rest = json[at + key.len()..].trim_start();
            if let Some(value) = rest.strip_prefix(':')
                && !value.trim_start().starts_with('{')
            {
                return false;
            }
        }
    }
    true
}

/// The checked reading: the JSON as a tree, then duplicate keys, unknown fields, `not_sure`
/// entries, types field by field and ranges, each error with the field and line.
fn parse_intake_checked(json: &str) -> Result<Intake, IntakeError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| IntakeError::Malformed {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_string(),
        })?;
    let Some(object) = value.as_object() else {
        return Err(IntakeError::WrongType {
            field: "(intake)".into(),
            message: "the intake must be a JSON object".into(),
            line: Some(1),
        });
    };

    if let Some(field) = duplicate_key(json) {
        let (parent, key) = match field.rsplit_once('.') {
            Some((p, k)) => (Some(p), k),
            None => (None, field.as_str()),
        };
        let line = line_of(json, key, parent);
        return Err(IntakeError::DuplicateField { field, line });
    }

    // Unknown fields, at the top level and inside `run` and `training`.
    for key in object.keys() {
        if !Intake::field_names().any(|f| f == key) {
            let top: Vec<String> = Intake::field_names().map(str::to_string).collect();
            return Err(IntakeError::UnknownField {
                field: key.clone(),
                suggestion: nearest(key, &top),
                line: line_of(json, key, None),
            });
        }
    }
    // runsore's "not sure" list: every entry must be an intake field.
    if let Some(list) = object.get("not_sure").and_then(|v| v.as_array()) {
        let all: Vec<String> = intake_fields()
            .iter()
            .map(|(p, _, _)| p.to_string())
            .collect();
        for entry in list.iter().filter_map(|v| v.as_str()) {
            if !all.iter().any(|p| p == entry) {
                return Err(IntakeError::UnknownField {
                    field: format!("not_sure: {entry}"),
                    suggestion: nearest(entry, &all),
                    line: line_of(json, entry, Some("not_sure")),
                });
            }
        }
    }
    for parent in ["run", "training"] {
        let Some(inner) = object.get(parent) else {
            continue;
        };
        let Some(inner) = inner.as_object() else {
            return Err(IntakeError::WrongType {
                field: parent.into(),
                message: "must be an object".into(),
                line: line_of(json, parent, None),
            });
        };
        let prefix = format!("{parent}.");
        let known = |key: &str| {
            intake_fields()
                .iter()
                .any(|(p, _, _)| p.strip_prefix(&prefix) == Some(key))
        };
        for key in inner.keys() {
            if !known(key) {
                let level: Vec<String> = intake_fields()
                    .iter()
                    .filter_map(|(p, _, _)| p.strip_prefix(&prefix).map(str::to_string))
                    .collect();
                let suggestion = nearest(key, &level).map(|s| {
                    if s.contains('.') {
                        s
                    } else {
                        format!("{prefix}{s}")
                    }
                });
                return Err(IntakeError::UnknownField {
                    field: format!("{prefix}{key}"),
                    suggestion,
                    line: line_of(json, key, Some(parent)),
                });
            }
        }
    }

    // Types: the whole intake at once, which every valid one passes; only when that fails is
    // each field tried on its own, so that the error names it (some sixty small parses that
    // were once made for every intake, a quarter of the time the API took to parse one).
    let intake = match Intake::deserialize(&value) {
        Ok(intake) => intake,
        Err(whole) => return Err(type_error(json, object, whole)),
    };
    let problems = intake.validate();
    if !problems.is_empty() {
        return Err(IntakeError::OutOfRange {
            problems: problems
                .into_iter()
                .map(|p| (p.field.to_string(), p.message))
                .collect(),
        });
    }
    Ok(intake)
}

/// The error of an intake whose fields' types do not fit: the first field that fails on its own,
/// named with its line, else what the whole intake's parse said.
fn type_error(
    json: &str,
    object: &serde_json::Map<String, serde_json::Value>,
    whole: serde_json::Error,
) -> IntakeError {
    for (path, kind, _) in intake_fields() {
        let (parent, key) = match path.split_once('.') {
            Some((p, k)) => (Some(p), k),
            None => (None, *path),
        };
        let v = match parent {
            Some(p) => object.get(p).and_then(|o| o.get(key)),
            None => object.get(key),
        };
        let Some(v) = v else {
            continue;
        };
        let single = match parent {
            Some(p) => serde_json::json!({ p: { key: v } }),
            None => serde_json::json!({ key: v }),
        };
        if let Err(e) = serde_json::from_value::<Intake>(single) {
            let line = line_of(json, key, parent);
            if matches!(kind, AnswerKind::Integer) && v.is_number() {
                return IntakeError::OutOfRange {
                    problems: vec![(path.to_string(), range_message(path))],
                };
            }
            let message = e.to_string();
            let message = match field_kind(path) {
                Some((_, allowed)) if !allowed.is_empty() => {
                    format!("{message} (allowed: {})", allowed.join(", "))
                }
                _ => message,
            };
            return IntakeError::WrongType {
                field: path.to_string(),
                message,
                line,
            };
        }
    }
    IntakeError::WrongType {
        field: "(intake)".into(),
        message: whole.to_string(),
        line: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass reading and the checked reading agree on every case of the test data (whole,
    /// and with each value turned into a few wrong ones) and on broken intakes of every kind the
    /// checked reading names: the same intake, or the same error.
    #[test]
    fn the_fast_reading_is_the_checked_reading() {
        let mut bodies: Vec<String> = [
            r#"{"where":["buttock"],"pain":3,"pain":4}"#,
            r#"{"where":["buttock"],"run":{"hot":true,"hot":false}}"#,
            r#"{"where":["buttock"],"training":{"weekly_increase_pct":10,"weekly_increase_pct":10}}"#,
            r#"{"where":["buttock"],"pian":3}"#,
            r#"{"where":["buttock"],"run":{"hott":true}}"#,
            r#"{"where":["buttock"],"run":[]}"#,
            r#"{"where":["buttock"],"run" : [30, 5]}"#,
            r#"{"where":["buttock"],"training":[10]}"#,
            r#"{"where":["buttock"],"r\u0075n":[]}"#,
            r#"{"where":["buttock"],"r\u0075n":{"hot":true}}"#,
            r#"[["buttock"]]"#,
            r#"  {"where":["buttock"],"not_sure":["run"]}"#,
            r#"{"where":["buttock"],"run":null}"#,
            r#"{"where":["buttock"],"not_sure":["run.hot","run.cold"]}"#,
            r#"{"where":["buttock"],"not_sure":["run.hot"]}"#,
            r#"{"where":["buttock"],"not_sure":[3]}"#,
            r#"{"where":["buttock"],"pain":11}"#,
            r#"{"where":["buttock"],"pain":3.5}"#,
            r#"{"where":["buttock"],"pain":null,"pain":2}"#,
            r#"{"where":["buttock","buttock"]}"#,
            r#"{"where":[]}"#,
            r#"{"age":300}"#,
            r#"{"age":-1}"#,
            r#"{"age":1e400}"#,
            r#"{"sex":"x"}"#,
            r#"{"where":"buttock"}"#,
            r#"[]"#,
            r#"{}"#,
            r#"{"where":["buttock"]} x"#,
            r#"{"where":["buttock"],}"#,
            r#"{"where":["buttock"],"run":{"minutes":1e308,"minutes":2}}"#,
            r#"{"where":["buttock"],"hours_since_run":1.0000000000000002}"#,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let wrong = [
            serde_json::json!(null),
            serde_json::json!(-1),
            serde_json::json!(1e9),
            serde_json::json!("nonsense"),
            serde_json::json!([]),
            serde_json::json!({}),
        ];
        for text in crate::test_sets::SETS {
            let cases: serde_json::Value = serde_json::from_str(text).expect("JSON");
            for (n, case) in cases.as_array().into_iter().flatten().enumerate() {
                let Some(intake) = case.get("intake").and_then(|i| i.as_object()) else {
                    continue;
                };
                bodies.push(serde_json::to_string_pretty(intake).expect("JSON"));
                if n % 10 == 0 {
                    for key in intake.keys() {
                        for w in &wrong {
                            let mut broken = intake.clone();
                            broken.insert(key.clone(), w.clone());
                            bodies.push(serde_json::Value::Object(broken).to_string());
                        }
                    }
                }
            }
        }
        let (mut ok, mut errors) = (0, 0);
        for body in &bodies {
            let fast = parse_intake(body);
            assert_eq!(fast, parse_intake_checked(body), "{body}");
            if fast.is_ok() {
                ok += 1;
            } else {
                errors += 1;
            }
        }
        assert!(ok > 1000 && errors > 500, "{ok} valid, {errors} errors");
    }
}
