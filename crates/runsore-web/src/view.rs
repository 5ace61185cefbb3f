//! The bridge to the triage engine: intake parsing, the assessment as JSON, and that JSON laid
//! out as an [`AssessmentView`]. Pages read the stored JSON too, so old check-ins render with
//! the same code as new ones.

use runsore_model::Intake;
use serde_json::Value;

use crate::backend::{
    AssessmentView, ConditionView, CourseView, Level, QuestionView, Reason, SourceView,
};

/// Parses intake JSON; on error, the field at fault (when one is) and the message.
pub fn parse_intake(json: &str) -> Result<Intake, (Option<String>, String)> {
    runsore_triage::parse_intake(json).map_err(|e| (e.field().map(str::to_owned), e.to_string()))
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => [
            "text",
            "because",
            "reason",
            "explanation",
            "finding",
            "summary",
            "title",
            "step",
        ]
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
    let mut text = v
        .get("text")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| text_of(v))?;
    if let Some(because) = v.get("because").and_then(Value::as_str) {
        text = format!("{text}: {because}");
    }
    let from_runs = v.get("from").and_then(Value::as_str) == Some("runs")
        || v.get("from_runs").and_then(Value::as_bool).unwrap_or(false)
        || v.get("run_id").is_some_and(|r| !r.is_null())
        || v.get("source")
            .or_else(|| v.get("origin"))
            .and_then(Value::as_str)
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
        .and_then(|t| {
            t.as_str()
                .or_else(|| t.get("level").and_then(Value::as_str))
        })
        .and_then(Level::from_id)
        // Fail closed: a triage this version cannot read (damaged, or from a newer runsore) is
        // shown as the most urgent level, never as "look after it yourself".
        .unwrap_or(Level::Emergency);
    let conditions = json
        .get("conditions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| {
                    let id = c
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    ConditionView {
                        name: c
                            .get("name")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                            .unwrap_or_else(|| id.replace('_', " ")),
                        id,
                        // A stored 1e308 is not a probability (it once showed as "inf%").
                        probability: c
                            .get("probability")
                            .and_then(Value::as_f64)
                            .filter(|p| runsore_model::bounds::PROBABILITY.contains(*p))
                            .unwrap_or(0.0),
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
                // A checklist question (the engine's safety screen) is asked on the web's own
                // safety page, not as a single yes/no.
                .filter(|q| q.get("fields").is_none())
                .filter_map(|q| {
                    Some(QuestionView {
                        field: q.get("field")?.as_str()?.to_string(),
                        text: q
                            .get("text")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        red_flag: q.get("red_flag").and_then(Value::as_bool).unwrap_or(false),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let advice = json
        .get("advice")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let top = advice.first();
    let mid = |v: Option<&Value>| -> Option<f64> {
        match v? {
            Value::Array(a) => {
                let n: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
                (!n.is_empty()).then(|| n.iter().sum::<f64>() / n.len() as f64)
            }
            other => other.as_f64(),
        }
    };
    let upper = |v: Option<&Value>| -> Option<f64> {
        match v? {
            Value::Array(a) => a.iter().filter_map(Value::as_f64).reduce(f64::max),
            other => other.as_f64(),
        }
    };
    let course = top.and_then(|a| {
        let c = a.get("course")?;
        let onset = mid(c.get("onset_hours")).unwrap_or(0.0);
        let resolved = upper(c.get("resolution_hours")).or_else(|| hours(c.get("max_hours")))?;
        let peak = mid(c.get("peak_hours"))
            .unwrap_or(onset)
            .clamp(onset, resolved);
        Some(CourseView {
            label: a
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            onset_hours: onset,
            peak_hours: peak,
            resolved_hours: resolved,
            text: c
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        })
    });
    let steps = |key: &str| -> Vec<String> { top.map(|a| strings(a.get(key))).unwrap_or_default() };
    let mut seen = std::collections::HashSet::new();
    let sources = advice
        .iter()
        .flat_map(|a| {
            a.get("sources")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|s| match &s {
            Value::String(t) => Some(SourceView {
                title: t.clone(),
                url: None,
            }),
            Value::Object(m) => Some(SourceView {
                title: ["title", "citation", "name", "id"]
                    .iter()
                    .find_map(|k| m.get(*k).and_then(Value::as_str))?
                    .to_string(),
                url: m
                    .get("url")
                    .and_then(Value::as_str)
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .map(str::to_owned),
            }),
            _ => None,
        })
        .filter(|s| seen.insert(s.title.clone()))
        .collect();
    let red_flags = json
        .get("red_flags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|f| {
                    let why = f.get("why").and_then(Value::as_str).unwrap_or("");
                    let action = f.get("action").and_then(Value::as_str).unwrap_or("");
                    let line = format!("{why} {action}").trim().to_string();
                    (!line.is_empty()).then_some(line)
                })
                .collect()
        })
        .unwrap_or_default();
    let get_help = steps("escalate");
    AssessmentView {
        triage,
        triage_text: json
            .get("what_to_do_now")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        summary: top
            .and_then(|a| a.get("summary"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        // The engine's `safety.headline` (safety questions unanswered) counts as the note too:
        // such a result must never read as reassurance.
        pending_note: json
            .get("pending_note")
            .and_then(Value::as_str)
            .or_else(|| {
                json.get("safety")
                    .and_then(|s| s.get("headline"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned),
        from_runs: json
            .get("from_runs")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.get("because").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        conditions,
        questions,
        red_flags,
        care_plan: steps("care"),
        avoid: steps("avoid"),
        course,
        get_help,
        sources,
        disclaimer: json
            .get("disclaimer")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_absurd_stored_values_are_shown_fail_closed() {
        // An unknown stored triage once read "Look after it yourself"; 1e308 showed as "inf%".
        let json = serde_json::json!({
            "triage": "relax",
            "conditions": [{"id": "doms", "probability": 1e308}],
        });
        let view = assessment(&json);
        assert_eq!(view.triage, Level::Emergency);
        assert_eq!(view.conditions[0].probability, 0.0);
        assert_eq!(assessment(&serde_json::json!({})).triage, Level::Emergency);
        let known = assessment(&serde_json::json!({"triage": "self_care"}));
        assert_eq!(known.triage, Level::SelfCare);
    }
}
