//! How each intake field is asked in a form: its kind, its choices in plain words, and how an
//! answer is written into the intake JSON. Everything comes from the model's field table
//! (`runsore_model::FIELDS`, the source of `schema/intake.schema.json`): this module copies no
//! field, value, label or range. The questions' own wording comes from the engine.

use runsore_model::{AnswerKind, Bound, Choice, FIELDS, FieldMeta, paths};
use serde_json::Value;

/// The kind of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Yes or no.
    Bool,
    /// One of a few choices.
    One(&'static [Choice]),
    /// Any of a few choices; with the words for "none of these" where an empty list is an answer.
    Many(&'static [Choice], Option<&'static str>),
    /// A whole number within a range.
    Int(i64, i64),
    /// A number within its bound (zero or more unless the bound allows less), with its unit.
    Number(Bound),
}

/// The form value of the "none of these" box of an any-of field that has one.
pub const NONE: &str = "none";

fn meta(field: &str) -> Option<&'static FieldMeta> {
    FIELDS.iter().find(|f| f.path == field)
}

/// The regions of `where`, with the words the body map shows.
pub fn regions() -> &'static [Choice] {
    meta(paths::WHERE).map_or(&[], |m| m.choices)
}

/// Whether `id` is one of the regions of `where`.
pub fn is_region(id: &str) -> bool {
    regions().iter().any(|c| c.id == id)
}

/// The label of a region, or `""` for an id that is not one.
pub fn region_label(id: &str) -> &'static str {
    regions()
        .iter()
        .find(|c| c.id == id)
        .map_or("", |c| c.label)
}

/// The kind of a field by its dotted path, or `None` for a path that is not an intake field.
pub fn kind(field: &str) -> Option<Kind> {
    let meta = meta(field)?;
    Some(match meta.kind {
        AnswerKind::YesNo => Kind::Bool,
        AnswerKind::OneOf => Kind::One(meta.choices),
        AnswerKind::AnyOf => Kind::Many(meta.choices, meta.none),
        AnswerKind::Integer => {
            let b = meta.bound?;
            Kind::Int(b.min as i64, b.max as i64)
        }
        AnswerKind::Number => Kind::Number(meta.bound?),
    })
}

/// Reads a form answer for a field into JSON, or says what is wrong with it.
pub fn parse_answer(field: &str, values: &[&str]) -> Result<Value, String> {
    let Some(kind) = kind(field) else {
        return Err(format!("unknown question `{field}`"));
    };
    let first = values.first().copied().unwrap_or("");
    match kind {
        Kind::Bool => match first {
            "yes" | "true" => Ok(Value::Bool(true)),
            "no" | "false" => Ok(Value::Bool(false)),
            "" => Err("choose yes or no, or skip the question".into()),
            _ => Err("choose yes or no".into()),
        },
        Kind::One(choices) => {
            if first.is_empty() {
                return Err("choose one answer, or skip the question".into());
            }
            choices
                .iter()
                .find(|c| c.id == first)
                .map(|c| Value::String(c.id.into()))
                .ok_or_else(|| "choose one of the answers shown".into())
        }
        Kind::Many(choices, none) => {
            if values.is_empty() {
                return Err("choose at least one, or skip the question".into());
            }
            if none.is_some() && values.contains(&NONE) {
                // "None of these" is an answer (an empty list), but not beside a real choice.
                return if values.iter().all(|v| *v == NONE) {
                    Ok(Value::Array(Vec::new()))
                } else {
                    Err("\"none of these\" cannot go with another answer".into())
                };
            }
            let mut out = Vec::new();
            for v in values {
                if !choices.iter().any(|c| c.id == *v) {
                    return Err("choose among the answers shown".into());
                }
                if !out.contains(&Value::String((*v).into())) {
                    out.push(Value::String((*v).into()));
                }
            }
            Ok(Value::Array(out))
        }
        Kind::Int(lo, hi) => {
            let n: i64 = first
                .parse()
                .map_err(|_| format!("enter a whole number from {lo} to {hi}"))?;
            if !(lo..=hi).contains(&n) {
                return Err(format!("enter a whole number from {lo} to {hi}"));
            }
            Ok(Value::from(n))
        }
        Kind::Number(bound) => {
            let unit = bound.unit;
            let n: f64 = first
                .replace(',', ".")
                .parse()
                .map_err(|_| format!("enter a number of {unit}"))?;
            if !bound.contains(n) {
                return Err(format!("enter a number of {unit}: it {}", bound.describe()));
            }
            Ok(Value::from(n))
        }
    }
}

/// Writes a value at a dotted path of an intake JSON object.
pub fn set(intake: &mut Value, field: &str, value: Value) {
    let mut node = intake;
    let mut parts = field.split('.').peekable();
    while let Some(part) = parts.next() {
        if !node.is_object() {
            *node = Value::Object(Default::default());
        }
        let Value::Object(map) = node else { return };
        if parts.peek().is_none() {
            map.insert(part.to_string(), value);
            return;
        }
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// Reads the value at a dotted path.
pub fn get<'a>(intake: &'a Value, field: &str) -> Option<&'a Value> {
    field
        .split('.')
        .try_fold(intake, |node, part| node.get(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(field: &str, values: &[&str], expect: Result<&str, &str>) {
        let got = parse_answer(field, values).map(|v| v.to_string());
        match expect {
            Ok(json) => assert_eq!(got.as_deref(), Ok(json), "{field} {values:?}"),
            Err(fragment) => {
                let err = got.expect_err(field);
                assert!(err.contains(fragment), "{field}: {err}");
            }
        }
    }

    #[test]
    fn answers_are_parsed_and_checked() {
        check("swelling", &["yes"], Ok("true"));
        check("swelling", &["no"], Ok("false"));
        check("swelling", &[], Err("yes or no"));
        check("pain", &["7"], Ok("7"));
        check("pain", &["11"], Err("0 to 10"));
        check("pain", &["x"], Err("whole number"));
        check("onset", &["next_day"], Ok("\"next_day\""));
        check("onset", &["yesterday"], Err("one of the answers"));
        check(
            "feels",
            &["aching", "stiff", "aching"],
            Ok("[\"aching\",\"stiff\"]"),
        );
        check("run.minutes", &["42,5"], Ok("42.5"));
        check("run.minutes", &["-3"], Err("must be 0 to"));
        check("run.minutes", &["1e300"], Err("must be 0 to"));
        check("where", &["calf", "knee"], Ok("[\"calf\",\"knee\"]"));
        check("medications", &["statin"], Ok("[\"statin\"]"));
        check("medications", &["aspirin"], Err("among the answers"));
        check("medications", &["none"], Ok("[]"));
        check("medications", &["none", "statin"], Err("cannot go with"));
        check("feels", &["none"], Err("among the answers"));
        check("training.weekly_increase_pct", &["-10"], Ok("-10.0"));
        check("run.hot", &["yes"], Ok("true"));
        check("nonsense", &["yes"], Err("unknown question"));
    }

    /// Every field of the model's table has a form kind, with the table's own choices and range.
    #[test]
    fn every_field_has_a_kind_from_the_table() {
        for meta in FIELDS {
            let kind = kind(meta.path).unwrap_or_else(|| panic!("{} has no kind", meta.path));
            match (meta.kind, kind) {
                (AnswerKind::YesNo, Kind::Bool) => {}
                (AnswerKind::OneOf, Kind::One(c)) => assert_eq!(c, meta.choices, "{}", meta.path),
                (AnswerKind::AnyOf, Kind::Many(c, none)) => {
                    assert_eq!((c, none), (meta.choices, meta.none), "{}", meta.path)
                }
                (AnswerKind::Integer, Kind::Int(lo, hi)) => {
                    assert_eq!(
                        (lo as f64, hi as f64),
                        (meta.bound.unwrap().min, meta.bound.unwrap().max)
                    )
                }
                (AnswerKind::Number, Kind::Number(b)) => assert_eq!(Some(b), meta.bound),
                other => panic!("{}: {other:?}", meta.path),
            }
        }
        assert_eq!(kind("nonsense"), None);
        assert_eq!(regions().len(), runsore_model::Region::ALL.len());
    }

    #[test]
    fn set_and_get_dotted_paths() {
        let mut v = serde_json::json!({"where": ["buttock"]});
        set(&mut v, "run.hot", Value::Bool(true));
        set(&mut v, "pain", Value::from(3));
        assert_eq!(
            v.to_string(),
            r#"{"pain":3,"run":{"hot":true},"where":["buttock"]}"#
        );
        assert_eq!(get(&v, "run.hot"), Some(&Value::Bool(true)));
        assert_eq!(get(&v, "run.cold"), None);
    }
}
