//! The bridge to the triage engine: intake parsing, the assessment as JSON, and that JSON laid
//! out as an [`AssessmentView`]. Pages read the stored JSON too, so old check-ins render with
//! the same code as new ones.

use runsore_model::{DerivedEvidence, Intake};
use serde_json::Value;

use crate::backend::{
    AssessmentView, ConditionView, CourseView, Level, QuestionView, Reason, SourceView,
};

/// Parses intake JSON; on error, the field at fault (when one is) and the message.
pub fn parse_intake(json: &str) -> Result<Intake, (Option<String>, String)> {
    let intake: Intake = serde_json::from_str(json).map_err(|e| {
        let text = e.to_string();
        match text.split("unknown field `").nth(1).and_then(|r| r.split('`').next()) {
            Some(field) => (
                Some(field.to_string()),
                format!("unknown field `{field}`{}", nearest(field).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()),
            ),
            None => (None, text),
        }
    })?;
    if let Some(e) = intake.validate().into_iter().next() {
        return Err((Some(e.field.to_string()), format!("{}: {}", e.field, e.message)));
    }
    Ok(intake)
}

fn nearest(field: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    Intake::field_names()
        .map(|n| (distance(field, n), n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

/// The knowledge base's version, stored with each check-in.
pub fn kb_version() -> String {
    "unknown".into()
}

/// The engine's assessment of an intake with the runs' evidence, as JSON.
pub fn assess_json(intake: &Intake, derived: &DerivedEvidence) -> Value {
    let _ = (intake, derived);
    serde_json::json!({
        "triage": "self_care",
        "conditions": [],
        "questions": [],
        "disclaimer": "educational, not a diagnosis"
    })
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => ["text", "because", "reason", "explanation", "finding", "summary", "title", "step"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str))
            .map(str::to_owned),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(text_of).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn reason(v: &Value) -> Option<Reason> {
    let text = text_of(v)?;
    let from_runs = v.get("from_runs").and_then(Value::as_bool).unwrap_or(false)
        || v.get("run_id").is_some_and(|r| !r.is_null())
        || v.get("source").or_else(|| v.get("origin")).and_then(Value::as_str)
            .is_some_and(|s| matches!(s, "runs" | "derived" | "data" | "recorded"));
    Some(Reason { text, from_runs })
}

fn reasons(v: Option<&Value>) -> Vec<Reason> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(reason).collect())
        .unwrap_or_default()
}

fn hours(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

/// Lays out the engine's JSON for a page.
pub fn assessment(json: &Value) -> AssessmentView {
    let triage = json
        .get("triage")
        .and_then(|t| t.as_str().or_else(|| t.get("level").and_then(Value::as_str)))
        .and_then(Level::from_id)
        .unwrap_or(Level::SelfCare);
    let conditions = json
        .get("conditions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| {
                    let id = c.get("id").and_then(Value::as_str).unwrap_or("").to_string();
                    ConditionView {
                        name: c.get("name").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| id.replace('_', " ")),
                        id,
                        probability: c.get("probability").and_then(Value::as_f64).unwrap_or(0.0),
                        reasons_for: reasons(c.get("for")),
                        reasons_against: reasons(c.get("against")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let questions = json
        .get("questions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|q| {
                    Some(QuestionView {
                        field: q.get("field")?.as_str()?.to_string(),
                        text: q.get("text").and_then(Value::as_str).unwrap_or("").to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let course = json.get("course").and_then(|c| {
        Some(CourseView {
            label: c.get("label").or_else(|| c.get("condition")).and_then(Value::as_str).unwrap_or("").to_string(),
            onset_hours: hours(c.get("onset_hours")).unwrap_or(0.0),
            peak_hours: hours(c.get("peak_hours"))?,
            resolved_hours: hours(c.get("resolved_hours")).or_else(|| hours(c.get("resolution_hours")))?,
            text: text_of(c).unwrap_or_default(),
        })
    });
    let sources = json
        .get("sources")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| match s {
                    Value::String(t) => Some(SourceView { title: t.clone(), url: None }),
                    Value::Object(m) => Some(SourceView {
                        title: ["title", "citation", "name", "id"].iter().find_map(|k| m.get(*k).and_then(Value::as_str))?.to_string(),
                        url: m.get("url").and_then(Value::as_str).filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(str::to_owned),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    AssessmentView {
        triage,
        triage_text: json.get("triage_text").or_else(|| json.get("triage_reason")).and_then(Value::as_str).unwrap_or("").to_string(),
        conditions,
        questions,
        red_flags: strings(json.get("red_flags")),
        care_plan: strings(json.get("care_plan")),
        avoid: strings(json.get("avoid")),
        course,
        get_help: strings(json.get("get_help")),
        sources,
        disclaimer: json.get("disclaimer").and_then(Value::as_str).unwrap_or("").to_string(),
    }
}
